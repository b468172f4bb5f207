// verify's check of the search data on PostgreSQL, as sqlitesearchverify.cpp checks SQLite's:
// record_text against the records it mirrors, and every search column against the words of
// the text beside it. The words are recomputed here (SearchTokens, the store's own writer) and
// compared with the column's text, which PostgreSQL writes back in the order tsvector()
// writes: equal text, equal words. Read-only: it runs in verify's READ ONLY snapshot.
#include "evidencehash.h"
#include "pgstore.h"
#include "searchtokens.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Every searchable text as the records hold it now (PgStore::indexRecordText writes them):
// kind, ref, task id, text; the SQLite check's list.
constexpr const char *expectedTextSql =
    "SELECT 'request', id, NULL, text FROM request WHERE coalesce(text, '') <> '' "
    "UNION ALL SELECT 'campaign', id, NULL, title FROM campaign WHERE coalesce(title, '') <> '' "
    "UNION ALL SELECT 'decision', campaign_id || ' ' || repo, task_id, reason "
    "FROM repo_decision WHERE coalesce(reason, '') <> '' "
    "UNION ALL SELECT 'task', id, id, prompt FROM task WHERE coalesce(prompt, '') <> '' "
    "UNION ALL SELECT 'pull_request', repo || '#' || number, NULL, title FROM pull_request "
    "WHERE coalesce(title, '') <> '' "
    "UNION ALL SELECT 'transcript', session_id, task_id, text FROM session_transcript "
    "WHERE text <> '' "
    "UNION ALL SELECT 'transcript_entry', session_id || '#' || seq, task_id, text "
    "FROM transcript_entry WHERE coalesce(text, '') <> ''";

// The rows of record_text that differ from what the records say, or that no record has, in
// SQLite's order (bytewise, whatever the database's collation).
constexpr const char *textMismatchSql =
    "WITH expected (kind, ref, task_id, text) AS (%1) "
    "SELECT * FROM (SELECT e.kind, e.ref, r.id, CASE WHEN r.id IS NULL THEN 'missing' "
    "WHEN r.text IS DISTINCT FROM e.text THEN 'text' ELSE 'task' END AS how "
    "FROM expected e LEFT JOIN record_text r ON r.kind = e.kind AND r.ref = e.ref "
    "WHERE r.id IS NULL OR r.text IS DISTINCT FROM e.text "
    "OR r.task_id IS DISTINCT FROM e.task_id "
    "UNION ALL SELECT r.kind, r.ref, r.id, 'extra' FROM record_text r WHERE NOT EXISTS "
    "(SELECT 1 FROM expected e WHERE e.kind = r.kind AND e.ref = r.ref)) d "
    "ORDER BY d.kind COLLATE \"C\", d.ref COLLATE \"C\"";

// Rows read per page of a search column's check; rows named per column.
constexpr int pageRows = 10000;
constexpr int maxNamed = 50;

} // namespace

void PgStore::verifySearchText(EvidenceReport &report)
{
    static const QByteArray sql =
        QByteArray(textMismatchSql).replace("%1", QByteArray(expectedTextSql));
    const PgResult rows = m_db.query(sql.constData());
    for (int i = 0; rows.ok() && i < rows.rows(); ++i) {
        const QString kind = rows.text(i, 0);
        const QString how = rows.text(i, 3);
        const QString row = u"row "_s % rows.text(i, 2) % u": "_s;
        QString problem;
        if (how == u"missing")
            problem = u"not searchable: the %1's text is missing from the index"_s.arg(kind);
        else if (how == u"text")
            problem = row % u"text differs from the %1's: search shows text it does not "
                            "have"_s.arg(kind);
        else if (how == u"task")
            problem = row % u"names another task than the %1 does"_s.arg(kind);
        else
            problem = row % u"no such record: search shows text no record has"_s;
        report.problems << EvidenceProblem{0, u"record_text"_s, kind % u' ' % rows.text(i, 1),
                                           problem};
    }
    if (!rows.ok())
        report.problems << EvidenceProblem{
            0, u"record_text"_s, {}, u"cannot check: "_s % m_db.errorString()};
    const PgResult count = m_db.query("SELECT count(*) FROM record_text");
    report.covered << EvidenceCoverage{
        u"searchable record text"_s, count.ok() ? count.int64(0, 0) : 0,
        u"recomputed from the requests, campaigns, decisions, tasks and pull requests"_s};
    verifySearchColumn(report, false);
    verifySearchColumn(report, true);
}

// One search column (record_text's or log_line's), page by page in id order: every row whose
// words are not its text's, by name.
void PgStore::verifySearchColumn(EvidenceReport &report, bool logs)
{
    const QString column = logs ? u"log_line.search"_s : u"record_text.search"_s;
    const char *pageSql = logs ? "SELECT id, text, search::text FROM log_line WHERE id > $1 "
                                 "ORDER BY id LIMIT $2"
                               : "SELECT id, text, search::text, kind || ' ' || ref "
                                 "FROM record_text WHERE id > $1 ORDER BY id LIMIT $2";
    const SearchTokens &tokens = searchTokens();
    qint64 checked = 0;
    qint64 named = 0;
    for (qint64 after = std::numeric_limits<qint64>::min();;) {
        const PgResult r = m_db.query(pageSql, PgParams().add(after).add(qint64(pageRows)));
        if (!r.ok()) {
            report.problems << EvidenceProblem{
                0, column, {}, u"cannot check: "_s % m_db.errorString()};
            return;
        }
        for (int i = 0; i < r.rows(); ++i) {
            after = r.int64(i, 0);
            ++checked;
            if (tokens.tsvector(r.utf8(i, 1)) == r.utf8(i, 2) || named++ >= maxNamed)
                continue;
            if (!logs) {
                report.problems << EvidenceProblem{
                    0, column, r.text(i, 3),
                    u"the search index does not match the record's searchable text"_s};
                continue;
            }
            const qint64 key = after >> logLineBits;
            const qint64 line = after & maxLogLineNo;
            const PgResult c =
                m_db.query("SELECT task_id, seq FROM command WHERE key = $1", PgParams().add(key));
            const QString where = c.ok() && c.rows() == 1
                                      ? u" (task %1 command %2 line %3)"_s.arg(c.text(0, 0))
                                            .arg(c.int64(0, 1))
                                            .arg(line)
                                      : QString();
            report.problems << EvidenceProblem{
                0, column, QString::fromLatin1(Evidence::logRef(key, line, line)),
                u"the search index does not match the stored line"_s % where};
        }
        if (r.rows() < pageRows)
            break;
    }
    if (named > maxNamed)
        report.problems << EvidenceProblem{
            0,
            column,
            {},
            u"%1 more rows of the search index do not match what they index"_s.arg(named -
                                                                                   maxNamed)};
    report.covered << EvidenceCoverage{
        logs ? u"log search index"_s : u"record search index"_s, checked,
        u"every row's search words recomputed from its text and compared"_s};
}

} // namespace Tasktrail
