#include "secretscanner.h"

#include "evidencehash.h"
#include "records/logline.h"
#include "sqliteevidence.h"
#include "text/logtext.h"
#include "text/redactionrules.h"
#include "text/redactor.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <map>
#include <set>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Lines whose colours were stored with other escapes (hyperlinks, titles): they carry text
// nobody sees, so the scan drops them like ingest does now; recorded under this kind.
constexpr QLatin1StringView hiddenEscapes = "hidden-escape"_L1;

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

constexpr qint64 lineMask = (qint64(1) << logLineBits) - 1;

} // namespace

struct SecretScanner::LineStreams
{
    Redactor text;
    Redactor ansi;
    qint64 previous = -2;
};

SecretScanner::SecretScanner(bool apply)
    : m_apply(apply)
    , m_lines(std::make_unique<LineStreams>())
{
    m_report.applied = apply;
}

SecretScanner::~SecretScanner() = default;

std::optional<SecretScanReport> SecretScanner::run()
{
    const qint64 entriesBefore = evidenceEntries();
    if (!begin())
        return std::nullopt;
    for (const ScannedTable &table : tables()) {
        const bool ok = qstrcmp(table.table, "log_line") == 0
                            ? readLogLines([&](const StoredLine &l) { scanLine(table, l); })
                            : readRows(table, [&](const StoredRow &r) { scanRow(table, r); });
        if (!ok) {
            rollback();
            return std::nullopt;
        }
    }
    if (!m_apply || m_changes.isEmpty()) {
        rollback();
        return m_report;
    }
    if (!applyChanges() || !commit()) {
        rollback();
        return std::nullopt;
    }
    const qint64 entriesAfter = evidenceEntries();
    if (entriesAfter > entriesBefore) {
        m_report.firstEntry = entriesBefore + 1;
        m_report.lastEntry = entriesAfter;
    }
    if (const QString note = compact(); !note.isEmpty())
        m_report.notes << note;
    return m_report;
}

void SecretScanner::scanRow(const ScannedTable &t, const StoredRow &stored)
{
    ++m_report.rowsScanned;
    Change row;
    row.table = &t;
    row.rowId = stored.rowId;
    row.rowKey = stored.rowKey;
    row.rowKeyIsText = stored.rowKeyIsText;
    row.rowName = stored.rowName;
    // A key may hold a secret (see checkKeys()); the row's name stays its own as ingest's ids do.
    Redactor::redactKey(row.rowName);
    row.evidenceKind = stored.evidenceKind;
    row.evidenceRef = stored.evidenceRef;
    qsizetype at = 0;
    for (const char *name : t.text)
        redactValue(row, name, stored.values.value(at++), false);
    for (const char *name : t.json)
        redactValue(row, name, stored.values.value(at++), true);
    QStringList keys;
    for (qsizetype k = 0; k < qsizetype(t.keys.size()); ++k)
        keys << QString::fromUtf8(stored.values.value(at++));
    checkKeys(t, row.rowName, keys);
}

// One text or JSON column of a row.
void SecretScanner::redactValue(const Change &row, const char *column, const QByteArray &value,
                                bool json)
{
    if (value.isNull() || !Redactor::mayContainSecret(value.constData(), value.size()))
        return;
    RedactionTally tally;
    QByteArray after;
    if (json) {
        after = redactedJson(value, &tally);
    } else if (Redactor::isKeyName(QString::fromLatin1(column))) {
        // A ref or another value rows are matched by: redacted as ingest redacts it now.
        QString text = QString::fromUtf8(value);
        Redactor::redactKey(text, &tally);
        after = text.toUtf8();
    } else {
        QString text = QString::fromUtf8(value);
        Redactor::redactText(text, &tally);
        after = text.toUtf8();
    }
    if (tally.total() == 0)
        return;
    Change c = row;
    c.column = column;
    c.before = value;
    c.after = after;
    c.kinds = kindsOf(tally);
    addChange(std::move(c));
}

// A command's lines in order are one stream: a private key block spans them.
void SecretScanner::scanLine(const ScannedTable &t, const StoredLine &stored)
{
    ++m_report.rowsScanned;
    LineStreams &streams = *m_lines;
    if (stored.id != streams.previous + 1) { // another command, or a gap: not the same stream
        streams.text.reset();
        streams.ansi.reset();
    }
    streams.previous = stored.id;
    Change row;
    row.table = &t;
    row.rowId = stored.id;
    row.rowName = u"log %1:%2"_s.arg(stored.id >> logLineBits).arg(stored.id & lineMask);
    row.evidenceKind = u"log"_s;
    RedactionTally tally;
    QByteArray newText = stored.text;
    if (streams.text.redactLine(newText, &tally) || newText != stored.text) {
        Change c = row;
        c.column = "text";
        c.before = stored.text;
        c.after = newText;
        c.kinds = kindsOf(tally);
        if (c.kinds.isEmpty()) // a line inside a key block
            c.kinds.append({keyBlockKind(), 1});
        addChange(std::move(c));
    }
    if (stored.ansi.isNull())
        return;
    QByteArray plain, newAnsi;
    RedactionTally ansiTally;
    streams.ansi.redactLogLine(stored.ansi, &plain, &newAnsi, &ansiTally);
    if (newAnsi == stored.ansi)
        return;
    Change c = row;
    c.column = "ansi";
    c.before = stored.ansi;
    c.after = newAnsi;
    c.kinds = kindsOf(ansiTally);
    if (c.kinds.isEmpty())
        c.kinds.append(
            {plain != LogText::stripAnsi(stored.ansi) ? keyBlockKind() : QString(hiddenEscapes),
             1});
    addChange(std::move(c));
}

void SecretScanner::checkKeys(const ScannedTable &t, const QString &rowName,
                              const QStringList &keys)
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

void SecretScanner::addChange(Change change)
{
    for (const auto &[kind, count] : std::as_const(change.kinds))
        m_report.found.append({QLatin1StringView(change.table->table), change.rowName,
                               QLatin1StringView(change.column), kind, count, m_apply});
    m_changes.append(std::move(change));
}

// The evidence records the changes touch, each with the redaction rows that will explain it.
// A record is carried forward only when it was intact before, so that the scan never makes an
// earlier edit look like a redaction.
std::optional<SecretScanner::Records> SecretScanner::carriedRecords()
{
    // The entries that hold the changed log lines and audit events: the entries of each kind
    // are read once, whatever the number of changes, and matched against the changed rows.
    std::map<qint64, QStringList> lineRefs; // changed log line id: the `log` entries holding it
    QHash<QString, QStringList> eventRefs;  // changed audit event: its shared entries
    for (const Change &c : std::as_const(m_changes)) {
        if (c.evidenceKind == u"log")
            lineRefs[c.rowId];
        else if (c.evidenceKind == u"audit_event")
            eventRefs[c.evidenceRef];
    }
    if (!lineRefs.empty() && !readEntryRefs("log", [&](const QString &ref) {
            for (const Evidence::LogRange &range :
                 Evidence::parseLogRefs(ref).value_or(QList<Evidence::LogRange>())) {
                const qint64 first = *logLineId(range.commandKey, range.firstLine);
                const qint64 last = *logLineId(range.commandKey, range.lastLine);
                for (auto it = lineRefs.lower_bound(first);
                     it != lineRefs.end() && it->first <= last; ++it)
                    it->second << ref;
            }
        }))
        return std::nullopt;
    if (!eventRefs.isEmpty() && !readEntryRefs("audit_events", [&](const QString &ref) {
            for (const QString &id : Evidence::parseGroupRef(ref).value_or(QStringList())) {
                if (const auto it = eventRefs.find(id); it != eventRefs.end())
                    it->append(ref);
            }
        }))
        return std::nullopt;

    Records carried;
    std::set<std::pair<QString, QString>> seen;
    for (Change &c : m_changes) {
        QStringList refs;
        if (c.evidenceKind == u"log") {
            refs = lineRefs[c.rowId];
        } else if (c.evidenceKind == u"audit_event" && !eventRefs.value(c.evidenceRef).isEmpty()) {
            // The event shares an entry with the others of its batch: that entry is carried.
            refs = eventRefs.value(c.evidenceRef);
            c.evidenceKind = u"audit_events"_s;
        } else if (!c.evidenceKind.isEmpty()) {
            refs << c.evidenceRef;
        }
        refs.removeDuplicates();
        c.evidenceRef = refs.join(u'\n');
        for (const QString &ref : std::as_const(refs)) {
            const std::pair<QString, QString> record{c.evidenceKind, ref};
            if (!seen.insert(record).second)
                continue;
            const RecordState state = recordState(c.evidenceKind, ref);
            if (state == RecordState::Intact)
                carried[record];
            else if (state == RecordState::Edited)
                m_report.notes << u"%1 %2 did not match its evidence entry before the scan: it "
                                  "is redacted, and verify still reports the edit"_s.arg(
                                      c.evidenceKind, ref);
        }
    }
    return carried;
}

bool SecretScanner::applyChanges()
{
    std::optional<Records> carried = carriedRecords();
    if (!carried)
        return false;
    for (const Change &c : std::as_const(m_changes)) {
        if (!rewrite(c))
            return false;
    }
    return finishRewrites() && recordRedactions(*carried);
}

// One `redaction` row per value and kind, each an evidence entry of its own; every intact
// record it changed gets an entry with its new state, whose content names those rows.
bool SecretScanner::recordRedactions(Records &groups)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Change &c : std::as_const(m_changes)) {
        for (const auto &[kind, count] : c.kinds) {
            const std::optional<qint64> row = insertRedaction(now, c, kind, count);
            if (!row)
                return false;
            const QString id = QString::number(*row);
            const QByteArray what = "redaction " + id.toUtf8() + ": " + c.table->table + ' ' +
                                    c.rowName.toUtf8() + ' ' + c.column + ' ' + kind.toUtf8() +
                                    " x" + QByteArray::number(count);
            touchEvidence("redaction", id, what);
            for (const QString &ref : c.evidenceRef.split(u'\n', Qt::SkipEmptyParts)) {
                const auto group = groups.find({c.evidenceKind, ref});
                if (group != groups.end())
                    group->second << id;
            }
        }
    }
    for (const auto &[record, ids] : groups) {
        if (const char *kind = kindLiteral(record.first))
            touchEvidence(kind, record.second,
                          "redacted by scan: redaction " + ids.join(u' ').toUtf8());
    }
    return true;
}

} // namespace Tasktrail
