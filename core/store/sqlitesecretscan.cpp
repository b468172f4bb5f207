// `tasktrail-cli scan`: every stored text read through the redaction step again, for what
// older versions stored before the step knew a kind of secret; what it finds is rewritten in
// one batch that the evidence chain explains (docs/data-model.md, "Redaction").
#include "secretscancolumns.h"
#include "sqliteevidence.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"
#include "text/logtext.h"
#include "text/redactionrules.h"
#include "text/redactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <map>
#include <set>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Lines whose colours were stored with other escapes (hyperlinks, titles): they carry text
// nobody sees, so the scan drops them like ingest does now; recorded under this kind.
constexpr QLatin1StringView hiddenEscapes = "hidden-escape"_L1;

// One value the scan rewrites.
struct Change
{
    const ScannedTable *table = nullptr;
    const char *column = nullptr;
    qint64 rowId = 0; // rowid, or, when rowKeyIsText, the text key below
    QString rowKey;
    bool rowKeyIsText = false;
    QString rowName;
    QString evidenceKind; // empty: not in the evidence chain
    QString evidenceRef;
    QByteArray before;
    QByteArray after; // null: NULL
    QList<std::pair<QString, int>> kinds;
};

QList<std::pair<QString, int>> kindsOf(const RedactionTally &tally)
{
    QList<std::pair<QString, int>> kinds;
    const auto &rules = redactionRules();
    for (qsizetype r = 0; r < tally.byRule.size(); ++r) {
        if (tally.byRule.at(r) > 0)
            kinds.append({QString(rules[size_t(r)].kind), tally.byRule.at(r)});
    }
    return kinds;
}

// A JSON column's strings redacted, written back compact as the store writes it; text that
// is not JSON is redacted as text.
QByteArray redactedJson(const QByteArray &stored, RedactionTally *tally)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(stored, &error);
    if (error.error != QJsonParseError::NoError || doc.isNull()) {
        QString text = QString::fromUtf8(stored);
        return Redactor::redactText(text, tally) ? text.toUtf8() : stored;
    }
    QJsonValue value = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    if (!Redactor::redactJson(value, tally))
        return stored;
    const QJsonDocument out =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return out.toJson(QJsonDocument::Compact);
}

// The kind of the lines of a private key block after its BEGIN line: the block's secret.
QString keyBlockKind()
{
    for (const RedactionRule &rule : redactionRules()) {
        if (rule.extent == RedactionRule::Extent::KeyBlock)
            return rule.kind;
    }
    return {};
}

const char *kindLiteral(const QString &kind)
{
    for (const EvidencePart &part : evidenceParts) {
        if (kind == QLatin1StringView(part.kind))
            return part.kind;
    }
    return nullptr;
}

} // namespace

// The scan of one store; a friend of SqliteStore, like the evidence ledger.
class SecretScan final
{
public:
    SecretScan(SqliteStore &store, bool apply)
        : m_store(store)
        , m_apply(apply)
    {
        m_report.applied = apply;
    }

    std::optional<SecretScanReport> run();

private:
    bool readTable(const ScannedTable &table);
    bool readLogLines(const ScannedTable &table);
    void redactValue(const Change &row, const char *column, const SqliteStatement &rows, int at,
                     bool json);
    void checkKeys(const ScannedTable &table, const QString &rowName, const QStringList &keys);
    void addChange(Change change);
    QStringList logRefs(qint64 lineId);
    // An evidence record (kind, ref) and the ids of the redaction rows that explain it.
    using Records = std::map<std::pair<QString, QString>, QStringList>;
    Records carriedRecords();
    bool rewrite(const Change &change);
    bool applyChanges();
    bool recordRedactions(Records &groups);
    bool compact();

    SqliteStore &m_store;
    bool m_apply;
    SecretScanReport m_report;
    QList<Change> m_changes;
    std::set<QByteArray> m_changedIndexes;
};

std::optional<SecretScanReport> SecretScan::run()
{
    qint64 entriesBefore = 0;
    m_store.m_evidence->head(&entriesBefore);
    if (m_apply ? !m_store.beginBatch() : !m_store.execScript("BEGIN"))
        return std::nullopt;
    for (const ScannedTable &table : scannedTables()) {
        const bool ok =
            qstrcmp(table.table, "log_line") == 0 ? readLogLines(table) : readTable(table);
        if (!ok) {
            m_store.rollbackBatch();
            return std::nullopt;
        }
    }
    if (!m_apply || m_changes.isEmpty()) {
        m_store.rollbackBatch();
        return m_report;
    }
    if (!applyChanges()) {
        m_store.rollbackBatch();
        return std::nullopt;
    }
    if (!m_store.commitBatch()) {
        m_store.rollbackBatch();
        return std::nullopt;
    }
    qint64 entriesAfter = 0;
    m_store.m_evidence->head(&entriesAfter);
    if (entriesAfter > entriesBefore) {
        m_report.firstEntry = entriesBefore + 1;
        m_report.lastEntry = entriesAfter;
    }
    if (!compact())
        m_report.notes << u"the database could not be compacted (%1): the old text may remain "
                          "in unused pages of the file until VACUUM runs"_s.arg(m_store.m_error);
    return m_report;
}

bool SecretScan::readTable(const ScannedTable &t)
{
    QByteArray sql = QByteArray("SELECT ") + t.rowKey + ", " + t.rowName + ", " +
                     (t.evidenceKind ? t.evidenceKind : "NULL") + ", " +
                     (t.evidenceRef ? t.evidenceRef : "NULL");
    for (const auto *list : {&t.text, &t.json, &t.keys}) {
        for (const char *column : *list)
            sql += QByteArray(", ") + column;
    }
    sql += QByteArray(" FROM ") + t.table;
    SqliteStatement rows(m_store.m_db, sql.constData());
    if (!rows.isValid())
        return m_store.fail(u"cannot read table %1"_s.arg(QLatin1StringView(t.table)));
    while (rows.next()) {
        ++m_report.rowsScanned;
        Change row;
        row.table = &t;
        row.rowKeyIsText = rows.columnType(0) == SQLITE_TEXT;
        row.rowId = rows.int64(0);
        row.rowKey = rows.text(0);
        row.rowName = rows.text(1);
        Redactor::redactText(row.rowName); // a key may hold a secret: see checkKeys()
        row.evidenceKind = rows.text(2);
        row.evidenceRef = rows.text(3);
        int column = 4;
        for (const char *name : t.text)
            redactValue(row, name, rows, column++, false);
        for (const char *name : t.json)
            redactValue(row, name, rows, column++, true);
        QStringList keys;
        for (qsizetype k = 0; k < qsizetype(t.keys.size()); ++k)
            keys << rows.text(column++);
        checkKeys(t, row.rowName, keys);
    }
    const bool done = rows.lastResult() == SQLITE_DONE;
    return done || m_store.fail(u"cannot read table %1"_s.arg(QLatin1StringView(t.table)));
}

// One text or JSON column of the row `rows` stands on.
void SecretScan::redactValue(const Change &row, const char *column, const SqliteStatement &rows,
                             int at, bool json)
{
    if (rows.isNull(at) || !Redactor::mayContainSecret(rows.text(at)))
        return;
    RedactionTally tally;
    QByteArray after;
    if (json) {
        after = redactedJson(rows.bytes(at), &tally);
    } else {
        QString value = rows.text(at);
        Redactor::redactText(value, &tally);
        after = value.toUtf8();
    }
    if (tally.total() == 0)
        return;
    Change c = row;
    c.column = column;
    c.before = rows.bytes(at);
    c.after = after;
    c.kinds = kindsOf(tally);
    addChange(std::move(c));
}

// A command's lines in order are one stream: a private key block spans them.
bool SecretScan::readLogLines(const ScannedTable &t)
{
    SqliteStatement rows(m_store.m_db, "SELECT id, text, ansi FROM log_line ORDER BY id");
    if (!rows.isValid())
        return m_store.fail(u"cannot read table log_line"_s);
    const qint64 lineMask = (qint64(1) << SqliteStore::lineBits) - 1;
    Redactor textStream, ansiStream;
    qint64 previous = -2;
    while (rows.next()) {
        ++m_report.rowsScanned;
        const qint64 id = rows.int64(0);
        if (id != previous + 1) { // another command, or a gap: not the same stream
            textStream.reset();
            ansiStream.reset();
        }
        previous = id;
        Change row;
        row.table = &t;
        row.rowId = id;
        row.rowName = u"log %1:%2"_s.arg(id >> SqliteStore::lineBits).arg(id & lineMask);
        row.evidenceKind = u"log"_s;
        const QByteArray text = rows.bytes(1);
        RedactionTally tally;
        QByteArray newText = text;
        if (textStream.redactLine(newText, &tally) || newText != text) {
            Change c = row;
            c.column = "text";
            c.before = text;
            c.after = newText;
            c.kinds = kindsOf(tally);
            if (c.kinds.isEmpty()) // a line inside a key block
                c.kinds.append({keyBlockKind(), 1});
            addChange(std::move(c));
        }
        if (rows.isNull(2))
            continue;
        const QByteArray ansi = rows.bytes(2);
        QByteArray plain, newAnsi;
        RedactionTally ansiTally;
        ansiStream.redactLogLine(ansi, &plain, &newAnsi, &ansiTally);
        if (newAnsi != ansi) {
            Change c = row;
            c.column = "ansi";
            c.before = ansi;
            c.after = newAnsi;
            c.kinds = kindsOf(ansiTally);
            if (c.kinds.isEmpty())
                c.kinds.append(
                    {plain != LogText::stripAnsi(ansi) ? keyBlockKind() : QString(hiddenEscapes),
                     1});
            addChange(std::move(c));
        }
    }
    const bool done = rows.lastResult() == SQLITE_DONE;
    return done || m_store.fail(u"cannot read table log_line"_s);
}

void SecretScan::checkKeys(const ScannedTable &t, const QString &rowName, const QStringList &keys)
{
    for (qsizetype k = 0; k < keys.size(); ++k) {
        QString value = keys.at(k);
        RedactionTally tally;
        if (!Redactor::mayContainSecret(value) || !Redactor::redactText(value, &tally))
            continue;
        for (const auto &[kind, count] : kindsOf(tally))
            m_report.found.append({QLatin1StringView(t.table), rowName,
                                   QLatin1StringView(t.keys.at(size_t(k))), kind, count, false});
        m_report.notes << u"%1 %2: a secret in the key column %3 is left as it is, since the "
                          "evidence chain and other tables name the record by it"_s.arg(
                              QLatin1StringView(t.table), rowName,
                              QLatin1StringView(t.keys.at(size_t(k))));
    }
}

void SecretScan::addChange(Change change)
{
    for (const auto &[kind, count] : std::as_const(change.kinds))
        m_report.found.append({QLatin1StringView(change.table->table), change.rowName,
                               QLatin1StringView(change.column), kind, count, m_apply});
    m_changes.append(std::move(change));
}

// The refs of the evidence entries whose line range holds this log line.
QStringList SecretScan::logRefs(qint64 lineId)
{
    const qint64 key = lineId >> SqliteStore::lineBits;
    const qint64 line = lineId & ((qint64(1) << SqliteStore::lineBits) - 1);
    auto &q = m_store.statement("SELECT DISTINCT ref FROM evidence WHERE kind = 'log' AND "
                                "ref >= ?1 AND ref < ?2");
    q.bind(1, QString::number(key) + u':');
    q.bind(2, QString::number(key) + u';'); // ';' follows ':'
    QStringList refs;
    while (q.next()) {
        const auto range = Evidence::parseLogRef(q.text(0));
        if (range && range->commandKey == key && range->firstLine <= line &&
            line <= range->lastLine)
            refs << q.text(0);
    }
    q.reset();
    return refs;
}

// The evidence records the changes touch, each with the redaction rows that will explain it.
// A record is carried forward only when it was intact before, so that the scan never makes an
// earlier edit look like a redaction.
SecretScan::Records SecretScan::carriedRecords()
{
    Records carried;
    std::set<std::pair<QString, QString>> seen;
    for (Change &c : m_changes) {
        QStringList refs;
        if (c.evidenceKind == u"log")
            refs = logRefs(c.rowId);
        else if (!c.evidenceKind.isEmpty())
            refs << c.evidenceRef;
        c.evidenceRef = refs.join(u'\n');
        for (const QString &ref : std::as_const(refs)) {
            const std::pair<QString, QString> record{c.evidenceKind, ref};
            if (!seen.insert(record).second)
                continue;
            QString error;
            const auto state = m_store.m_evidence->currentState(c.evidenceKind, ref, &error);
            const auto entry = m_store.m_evidence->latest(c.evidenceKind, ref);
            if (state && entry && state->hash == entry->stateHash)
                carried[record];
            else if (entry)
                m_report.notes << u"%1 %2 did not match its evidence entry before the scan: it "
                                  "is redacted, and verify still reports the edit"_s.arg(
                                      c.evidenceKind, ref);
        }
    }
    return carried;
}

// One value rewritten; a full-text index over it loses the old terms and gets the new ones.
bool SecretScan::rewrite(const Change &c)
{
    const ScannedTable &t = *c.table;
    if (t.ftsIndex && qstrcmp(c.column, "text") == 0) {
        const QByteArray del = QByteArray("INSERT INTO ") + t.ftsIndex + " (" + t.ftsIndex +
                               ", rowid, text) VALUES ('delete', ?1, ?2)";
        const QByteArray ins =
            QByteArray("INSERT INTO ") + t.ftsIndex + " (rowid, text) VALUES (?1, ?2)";
        SqliteStatement remove(m_store.m_db, del.constData());
        SqliteStatement add(m_store.m_db, ins.constData());
        remove.bind(1, c.rowId);
        remove.bindText(2, c.before);
        add.bind(1, c.rowId);
        add.bindText(2, c.after);
        if (!m_store.run(remove) || !m_store.run(add))
            return false;
        m_changedIndexes.insert(QByteArray(t.ftsIndex));
    }
    const QByteArray sql =
        QByteArray("UPDATE ") + t.table + " SET " + c.column + " = ?1 WHERE " + t.rowKey + " = ?2";
    SqliteStatement update(m_store.m_db, sql.constData());
    update.bindText(1, c.after);
    if (c.rowKeyIsText)
        update.bind(2, c.rowKey);
    else
        update.bind(2, c.rowId);
    return m_store.run(update);
}

bool SecretScan::applyChanges()
{
    Records carried = carriedRecords();
    for (const Change &c : std::as_const(m_changes)) {
        if (!rewrite(c))
            return false;
    }
    // Deleted terms stay in an index's older segments until they are merged.
    for (const QByteArray &index : std::as_const(m_changedIndexes)) {
        const QByteArray sql = "INSERT INTO " + index + " (" + index + ") VALUES ('optimize')";
        SqliteStatement optimize(m_store.m_db, sql.constData());
        if (!m_store.run(optimize))
            return false;
    }
    return recordRedactions(carried);
}

// One `redaction` row per value and kind, each an evidence entry of its own; every intact
// record it changed gets an entry with its new state, whose content names those rows.
bool SecretScan::recordRedactions(Records &groups)
{
    auto &ins = m_store.statement("INSERT INTO redaction (at, table_name, row_ref, column_name, "
                                  "rule, count) VALUES (?, ?, ?, ?, ?, ?)");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Change &c : std::as_const(m_changes)) {
        for (const auto &[kind, count] : c.kinds) {
            ins.bind(1, now);
            ins.bind(2, QString::fromLatin1(c.table->table));
            ins.bind(3, c.rowName);
            ins.bind(4, QString::fromLatin1(c.column));
            ins.bind(5, kind);
            ins.bind(6, count);
            if (!m_store.run(ins))
                return false;
            const QString id = QString::number(sqlite3_last_insert_rowid(m_store.m_db));
            const QByteArray what = "redaction " + id.toUtf8() + ": " + c.table->table + ' ' +
                                    c.rowName.toUtf8() + ' ' + c.column + ' ' + kind.toUtf8() +
                                    " x" + QByteArray::number(count);
            m_store.m_evidence->touch("redaction", id, what);
            for (const QString &ref : c.evidenceRef.split(u'\n', Qt::SkipEmptyParts)) {
                const auto group = groups.find({c.evidenceKind, ref});
                if (group != groups.end())
                    group->second << id;
            }
        }
    }
    for (const auto &[record, ids] : groups) {
        if (const char *kind = kindLiteral(record.first))
            m_store.m_evidence->touch(kind, record.second,
                                      "redacted by scan: redaction " + ids.join(u' ').toUtf8());
    }
    return true;
}

bool SecretScan::compact()
{
    return m_store.execScript("VACUUM") && m_store.execScript("PRAGMA wal_checkpoint(TRUNCATE)");
}

std::optional<SecretScanReport> SqliteStore::scanSecrets(bool apply)
{
    return SecretScan(*this, apply).run();
}

} // namespace Tasktrail
