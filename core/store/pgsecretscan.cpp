// The secret scan on PostgreSQL (secretscanner.h). Rows are read through a cursor, a page at a
// time, and addressed by their ctid, which every table has whatever its key; a rewritten row
// moves to a new ctid, which later changes of the same row follow. A row that another
// connection changed while the scan ran is not overwritten: the scan fails and is run again.
// A rewritten text's search column is written again with it. After the commit, VACUUM FULL
// rewrites the changed tables so that the old text leaves their files; the write-ahead log and
// any backup keep it until they are recycled (docs/team-database.md).
#include "pgevidence.h"
#include "pgstore.h"
#include "searchtokens.h"
#include "secretscanner.h"

#include <map>
#include <set>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Rows read per round trip.
constexpr int pageRows = 2000;

bool isLogLine(const ScannedTable &t)
{
    return qstrcmp(t.table, "log_line") == 0;
}

} // namespace

// A friend of PgStore, like its evidence ledger.
class PgSecretScan final : public SecretScanner
{
public:
    PgSecretScan(PgStore &store, bool apply)
        : SecretScanner(apply)
        , m_store(store)
    {}

private:
    const std::vector<ScannedTable> &tables() override { return postgresScannedTables(); }
    bool begin() override { return m_store.beginBatch(); }
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
    std::optional<qint64> insertRedaction(const QDateTime &at, const Change &change,
                                          const QString &kind, int count) override;
    void touchEvidence(const char *kind, const QString &ref, const QByteArray &what) override
    {
        m_store.m_evidence->touch(kind, ref, what);
    }
    QString compact() override;

    bool readPages(const QByteArray &select, const char *table,
                   const std::function<void(const PgResult &, int)> &onRow);

    PgStore &m_store;
    std::set<QByteArray> m_changedTables;
    // Where a row rewritten by the scan is now: (table, ctid read) -> its ctid now.
    std::map<std::pair<QByteArray, QString>, QString> m_moved;
};

// A SELECT read through a cursor of the open transaction, pageRows rows at a time.
bool PgSecretScan::readPages(const QByteArray &select, const char *table,
                             const std::function<void(const PgResult &, int)> &onRow)
{
    const auto failed = [&] {
        return m_store.fail(u"cannot read table %1"_s.arg(QLatin1StringView(table)));
    };
    const QByteArray declare = "DECLARE tasktrail_scan NO SCROLL CURSOR FOR " + select;
    if (!m_store.m_db.exec(declare.constData()))
        return failed();
    const QByteArray fetch = "FETCH " + QByteArray::number(pageRows) + " FROM tasktrail_scan";
    for (;;) {
        const PgResult page = m_store.m_db.query(fetch.constData());
        if (!page.ok())
            return failed();
        for (int r = 0; r < page.rows(); ++r)
            onRow(page, r);
        if (page.rows() < pageRows)
            break;
    }
    return m_store.m_db.exec("CLOSE tasktrail_scan") || failed();
}

bool PgSecretScan::readRows(const ScannedTable &t,
                            const std::function<void(const StoredRow &)> &onRow)
{
    QByteArray sql = QByteArray("SELECT ctid::text, ") + t.rowName + ", " +
                     (t.evidenceKind ? t.evidenceKind : "NULL") + ", " +
                     (t.evidenceRef ? t.evidenceRef : "NULL");
    for (const auto *list : {&t.text, &t.json, &t.keys}) {
        for (const char *column : *list)
            sql += QByteArray(", ") + column + "::text";
    }
    sql += QByteArray(" FROM ") + t.table;
    return readPages(sql, t.table, [&](const PgResult &page, int r) {
        StoredRow row;
        row.rowKeyIsText = true;
        row.rowKey = page.text(r, 0);
        row.rowName = page.text(r, 1);
        row.evidenceKind = page.text(r, 2);
        row.evidenceRef = page.text(r, 3);
        for (int c = 4; c < page.columns(); ++c)
            row.values << (page.isNull(r, c) ? QByteArray() : page.utf8(r, c));
        onRow(row);
    });
}

bool PgSecretScan::readLogLines(const std::function<void(const StoredLine &)> &onLine)
{
    return readPages("SELECT id, text, ansi FROM log_line ORDER BY id", "log_line",
                     [&](const PgResult &page, int r) {
                         onLine({page.int64(r, 0), page.utf8(r, 1),
                                 page.isNull(r, 2) ? QByteArray() : page.utf8(r, 2)});
                     });
}

bool PgSecretScan::readEntryRefs(const char *kind,
                                 const std::function<void(const QString &)> &onRef)
{
    const PgResult r = m_store.run("SELECT DISTINCT ref FROM evidence WHERE kind = $1",
                                   PgParams().add(QString::fromLatin1(kind)));
    if (!r.ok())
        return m_store.fail(u"cannot read the evidence table"_s);
    for (int i = 0; i < r.rows(); ++i)
        onRef(r.text(i, 0));
    return true;
}

SecretScanner::RecordState PgSecretScan::recordState(const QString &kind, const QString &ref)
{
    return stateIn(*m_store.m_evidence, kind, ref);
}

// One value rewritten, with the words of its search column when it has one: the tables SQLite
// indexes with FTS5 (ScannedTable::ftsIndex) have a search column here.
bool PgSecretScan::rewrite(const Change &c)
{
    const ScannedTable &t = *c.table;
    const bool searched = t.ftsIndex && qstrcmp(c.column, "text") == 0;
    PgParams params;
    params.addUtf8(c.after);
    if (searched)
        params.addUtf8(m_store.searchTokens().tsvector(c.after));
    QByteArray sql = QByteArray("UPDATE ") + t.table + " SET " + c.column + " = $1";
    if (searched)
        sql += ", search = $2::tsvector";
    const QByteArray at = '$' + QByteArray::number(params.count() + 1);
    if (isLogLine(t)) {
        sql += " WHERE id = " + at;
        params.add(c.rowId);
    } else {
        sql += " WHERE ctid = " + at + "::tid RETURNING ctid::text";
        const auto moved = m_moved.find({QByteArray(t.table), c.rowKey});
        params.add(moved == m_moved.end() ? c.rowKey : moved->second);
    }
    const PgResult r = m_store.run(sql.constData(), params);
    if (!r.ok())
        return false;
    if (r.affected() != 1)
        return m_store.fail(u"%1 %2 changed while the scan read it: run the scan again"_s.arg(
            QLatin1StringView(t.table), c.rowName));
    if (!isLogLine(t))
        m_moved[{QByteArray(t.table), c.rowKey}] = r.text(0, 0);
    m_changedTables.insert(QByteArray(t.table));
    return true;
}

std::optional<qint64> PgSecretScan::insertRedaction(const QDateTime &at, const Change &c,
                                                    const QString &kind, int count)
{
    const PgResult r = m_store.run("INSERT INTO redaction (at, table_name, row_ref, column_name, "
                                   "rule, count) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                   PgParams()
                                       .add(at)
                                       .add(QString::fromLatin1(c.table->table))
                                       .add(c.rowName)
                                       .add(QString::fromLatin1(c.column))
                                       .add(kind)
                                       .add(qint64(count)));
    if (!r.ok() || r.rows() != 1)
        return std::nullopt;
    return r.int64(0, 0);
}

// UPDATE leaves the old row version in the table's file until a vacuum; VACUUM FULL writes
// the table anew without it.
QString PgSecretScan::compact()
{
    QStringList failed;
    for (const QByteArray &table : std::as_const(m_changedTables)) {
        const QByteArray sql = "VACUUM FULL " + table;
        if (!m_store.m_db.exec(sql.constData()))
            failed << QString::fromLatin1(table) + u" ("_s + m_store.m_db.errorString().trimmed() +
                          u')';
    }
    if (failed.isEmpty())
        return {};
    return u"the old row versions could not be removed from %1: the old text may remain in the "
           "tables' files until their owner runs VACUUM FULL"_s.arg(failed.join(u", "_s));
}

std::optional<SecretScanReport> PgStore::scanSecrets(bool apply)
{
    return PgSecretScan(*this, apply).run();
}

} // namespace Tasktrail
