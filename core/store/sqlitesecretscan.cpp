// The secret scan on SQLite (secretscanner.h): rows read by rowid (by primary key in a table
// without one), a rewritten text's old terms taken out of its full-text index, and the file
// vacuumed afterwards so that the old text leaves its pages.
#include "secretscanner.h"
#include "sqliteevidence.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <map>
#include <set>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

// A friend of SqliteStore, like the evidence ledger.
class SqliteSecretScan final : public SecretScanner
{
public:
    SqliteSecretScan(SqliteStore &store, bool apply)
        : SecretScanner(apply)
        , m_store(store)
    {}

private:
    const std::vector<ScannedTable> &tables() override { return scannedTables(); }
    bool begin() override
    {
        return applying() ? m_store.beginBatch() : m_store.execScript("BEGIN");
    }
    bool commit() override { return m_store.commitBatch(); }
    void rollback() override { m_store.rollbackBatch(); }
    qint64 evidenceEntries() override
    {
        qint64 entries = 0;
        m_store.m_evidence->head(&entries);
        return entries;
    }
    bool readRows(const ScannedTable &table,
                  const std::function<void(const StoredRow &)> &onRow) override;
    bool readLogLines(const std::function<void(const StoredLine &)> &onLine) override;
    bool readEntryRefs(const char *kind,
                       const std::function<void(const QString &)> &onRef) override;
    RecordState recordState(const QString &kind, const QString &ref) override;
    bool rewrite(const Change &change) override;
    bool finishRewrites() override;
    std::optional<qint64> insertRedaction(const QDateTime &at, const Change &change,
                                          const QString &kind, int count) override;
    void touchEvidence(const char *kind, const QString &ref, const QByteArray &what) override
    {
        m_store.m_evidence->touch(kind, ref, what);
    }
    QString compact() override;

    // How a row of `t` is addressed in this file: what a read selects and what an UPDATE's
    // WHERE compares with ?2. A table made WITHOUT ROWID (sqliteschema.cpp: audit_link,
    // audit_task_window, sync_cursor, and the task's child tables in files made since schema 12)
    // has no rowid: whatever its `rowKey`, its row is named by its primary key as a JSON array,
    // taken apart again in the WHERE, which then reads the key's own index.
    struct RowAddress
    {
        QByteArray select;
        QByteArray where;
    };
    const RowAddress &addressOf(const ScannedTable &t);

    SqliteStore &m_store;
    std::set<QByteArray> m_changedIndexes;
    std::map<QByteArray, RowAddress> m_addresses;
};

const SqliteSecretScan::RowAddress &SqliteSecretScan::addressOf(const ScannedTable &t)
{
    const QByteArray table(t.table);
    if (const auto it = m_addresses.find(table); it != m_addresses.end())
        return it->second;
    RowAddress address{t.rowKey, t.rowKey + QByteArray(" = ?2")};
    SqliteStatement withoutRowid(m_store.m_db, "SELECT wr FROM pragma_table_list WHERE schema = "
                                               "'main' AND name = ?1");
    withoutRowid.bindText(1, table);
    if (withoutRowid.next() && withoutRowid.int64(0) == 1) {
        SqliteStatement key(m_store.m_db, "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 "
                                          "ORDER BY pk");
        key.bindText(1, table);
        QByteArray columns;
        QByteArray parts;
        for (int i = 0; key.next(); ++i) {
            const QByteArray sep = i ? ", " : "";
            columns += sep + '"' + key.bytes(0).replace('"', "\"\"") + '"';
            parts += sep + "?2 ->> " + QByteArray::number(i);
        }
        address = {"json_array(" + columns + ")", "(" + columns + ") = (" + parts + ")"};
    }
    return m_addresses.emplace(table, address).first->second;
}

bool SqliteSecretScan::readRows(const ScannedTable &t,
                                const std::function<void(const StoredRow &)> &onRow)
{
    QByteArray sql = QByteArray("SELECT ") + addressOf(t).select + ", " + t.rowName + ", " +
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
    const int columns = 4 + int(t.text.size() + t.json.size() + t.keys.size());
    while (rows.next()) {
        StoredRow row;
        row.rowKeyIsText = rows.columnType(0) == SQLITE_TEXT;
        row.rowId = rows.int64(0);
        row.rowKey = rows.text(0);
        row.rowName = rows.text(1);
        row.evidenceKind = rows.text(2);
        row.evidenceRef = rows.text(3);
        for (int c = 4; c < columns; ++c)
            row.values << rows.bytes(c);
        onRow(row);
    }
    const bool done = rows.lastResult() == SQLITE_DONE;
    return done || m_store.fail(u"cannot read table %1"_s.arg(QLatin1StringView(t.table)));
}

bool SqliteSecretScan::readLogLines(const std::function<void(const StoredLine &)> &onLine)
{
    SqliteStatement rows(m_store.m_db, "SELECT id, text, ansi FROM log_line ORDER BY id");
    if (!rows.isValid())
        return m_store.fail(u"cannot read table log_line"_s);
    while (rows.next())
        onLine({rows.int64(0), rows.bytes(1), rows.bytes(2)});
    const bool done = rows.lastResult() == SQLITE_DONE;
    return done || m_store.fail(u"cannot read table log_line"_s);
}

bool SqliteSecretScan::readEntryRefs(const char *kind,
                                     const std::function<void(const QString &)> &onRef)
{
    auto &q = m_store.statement("SELECT DISTINCT ref FROM evidence WHERE kind = ?1");
    q.bind(1, QString::fromLatin1(kind));
    while (q.next())
        onRef(q.text(0));
    const bool done = q.lastResult() == SQLITE_DONE;
    q.reset();
    return done || m_store.fail(u"cannot read the evidence table"_s);
}

SecretScanner::RecordState SqliteSecretScan::recordState(const QString &kind, const QString &ref)
{
    return stateIn(*m_store.m_evidence, kind, ref);
}

// One value rewritten; a full-text index over it loses the old terms and gets the new ones.
bool SqliteSecretScan::rewrite(const Change &c)
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
        QByteArray("UPDATE ") + t.table + " SET " + c.column + " = ?1 WHERE " + addressOf(t).where;
    SqliteStatement update(m_store.m_db, sql.constData());
    update.bindText(1, c.after);
    if (c.rowKeyIsText)
        update.bind(2, c.rowKey);
    else
        update.bind(2, c.rowId);
    if (!m_store.run(update))
        return false;
    // The row read is the row written, or the redaction it is recorded as did not happen.
    return sqlite3_changes(m_store.m_db) == 1 ||
           m_store.fail(u"%1 %2: the row read could not be found again to redact it"_s.arg(
               QLatin1StringView(t.table), c.rowName));
}

// Deleted terms stay in an index's older segments until they are merged.
bool SqliteSecretScan::finishRewrites()
{
    for (const QByteArray &index : std::as_const(m_changedIndexes)) {
        const QByteArray sql = "INSERT INTO " + index + " (" + index + ") VALUES ('optimize')";
        SqliteStatement optimize(m_store.m_db, sql.constData());
        if (!m_store.run(optimize))
            return false;
    }
    return true;
}

std::optional<qint64> SqliteSecretScan::insertRedaction(const QDateTime &at, const Change &c,
                                                        const QString &kind, int count)
{
    auto &ins = m_store.statement("INSERT INTO redaction (at, table_name, row_ref, column_name, "
                                  "rule, count) VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, at);
    ins.bind(2, QString::fromLatin1(c.table->table));
    ins.bind(3, c.rowName);
    ins.bind(4, QString::fromLatin1(c.column));
    ins.bind(5, kind);
    ins.bind(6, count);
    if (!m_store.run(ins))
        return std::nullopt;
    return sqlite3_last_insert_rowid(m_store.m_db);
}

QString SqliteSecretScan::compact()
{
    if (!m_store.execScript("VACUUM"))
        return u"the database could not be compacted (%1): the old text may remain in unused "
               "pages of the file until VACUUM runs"_s.arg(m_store.m_error);
    if (!m_store.truncateLog())
        return u"the write-ahead log could not be emptied (another connection is reading the "
               "database): the old text may remain in it until the last connection closes"_s;
    return {};
}

std::optional<SecretScanReport> SqliteStore::scanSecrets(bool apply)
{
    return SqliteSecretScan(*this, apply).run();
}

} // namespace Tasktrail
