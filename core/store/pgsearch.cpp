// PgStore's search: SqliteStore::search's answers (sqlitestorequeries.cpp) from the tsvector
// columns. Both columns hold the words SQLite's index holds (searchtokens.h) and the query is
// built from the same words, so the same data gives the same hits in the same order.
#include "pgstore.h"
#include "searchtokens.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// The newest rows a search reads before it asks the GIN index (PgStore::searchLogs).
constexpr qint64 newestRows = 10000;

} // namespace

const SearchTokens &PgStore::searchTokens()
{
    if (!m_searchTokens)
        m_searchTokens = std::make_unique<SearchTokens>();
    return *m_searchTokens;
}

QList<SearchHit> PgStore::search(const QString &query, int limit)
{
    if (!searchTokens().isValid()) {
        fail(searchTokens().errorString());
        return {};
    }
    const QByteArray tsquery = searchTokens().tsquery(query);
    if (tsquery.isEmpty() || limit <= 0)
        return {};
    QList<SearchHit> hits = searchRecords(tsquery, limit);
    hits += searchLogs(tsquery, limit - int(hits.size()));
    return hits;
}

QList<SearchHit> PgStore::searchRecords(const QByteArray &tsquery, int limit)
{
    QList<SearchHit> hits;
    // Newest first, in the two steps searchLogs() explains.
    static const char *const newestSql =
        "SELECT kind, ref, task_id, text FROM (SELECT id, kind, ref, task_id, text, search "
        "FROM record_text ORDER BY id DESC LIMIT $3) w WHERE search @@ $1::tsquery "
        "ORDER BY id DESC LIMIT $2";
    static const char *const indexedSql =
        "WITH m AS MATERIALIZED (SELECT id FROM record_text WHERE search @@ $1::tsquery) "
        "SELECT r.kind, r.ref, r.task_id, r.text FROM (SELECT id FROM m ORDER BY id DESC "
        "LIMIT $2) h JOIN record_text r ON r.id = h.id ORDER BY h.id DESC";
    PgResult r = run(newestSql, PgParams().addUtf8(tsquery).add(qint64(limit)).add(newestRows));
    if (r.ok() && r.rows() < limit)
        r = run(indexedSql, PgParams().addUtf8(tsquery).add(qint64(limit)));
    for (int i = 0; r.ok() && i < r.rows(); ++i) {
        SearchHit hit;
        hit.kind = SearchHit::Kind::Record;
        hit.recordKind = r.text(i, 0);
        hit.taskId = r.text(i, 2);
        if (hit.taskId.isEmpty() && hit.recordKind == u"task")
            hit.taskId = r.text(i, 1);
        hit.recordRef = r.text(i, 1);
        hit.text = hit.recordKind % u' ' % hit.recordRef % u": "_s % r.text(i, 3);
        hits << hit;
    }
    // As on SQLite: a sentence found in a transcript entry is not shown again in the session's
    // whole text.
    QSet<QString> sessionsWithEntryHits;
    for (const SearchHit &hit : std::as_const(hits)) {
        if (hit.recordKind == u"transcript_entry")
            sessionsWithEntryHits.insert(hit.recordRef.left(hit.recordRef.lastIndexOf(u'#')));
    }
    hits.removeIf([&sessionsWithEntryHits](const SearchHit &hit) {
        return hit.recordKind == u"transcript" && sessionsWithEntryHits.contains(hit.recordRef);
    });
    return hits;
}

QList<SearchHit> PgStore::searchLogs(const QByteArray &tsquery, int limit)
{
    QList<SearchHit> hits;
    if (limit <= 0)
        return hits;
    // Newest first by id, in two steps, because the planner cannot know how common a word
    // is: for a word it has no statistics of it assumes 0.5% of the lines and walks the
    // primary key backwards, which for a rare word reads every line (1.4 s for 10 hits in a
    // million, tests/benchmarks/bench_pgsearch.cpp). So first the newest lines only, a bounded
    // walk: when they hold a page of hits, those are the newest hits of all. Otherwise the word
    // is rare among recent lines, and the GIN index gives every match (few, then) to sort.
    // A line whose command is missing is left out after the limit, as on SQLite.
    static const char *const newestSql =
        "SELECT h.id, h.text, c.task_id, c.seq FROM (SELECT id, text FROM (SELECT id, text, "
        "search FROM log_line ORDER BY id DESC LIMIT $3) w WHERE search @@ $1::tsquery "
        "ORDER BY id DESC LIMIT $2) h JOIN command c ON c.key = h.id >> 32 ORDER BY h.id DESC";
    static const char *const indexedSql =
        "WITH m AS MATERIALIZED (SELECT id FROM log_line WHERE search @@ $1::tsquery) "
        "SELECT h.id, l.text, c.task_id, c.seq FROM (SELECT id FROM m ORDER BY id DESC "
        "LIMIT $2) h JOIN log_line l ON l.id = h.id JOIN command c ON c.key = h.id >> 32 "
        "ORDER BY h.id DESC";
    PgResult r = run(newestSql, PgParams().addUtf8(tsquery).add(qint64(limit)).add(newestRows));
    if (r.ok() && r.rows() < limit)
        r = run(indexedSql, PgParams().addUtf8(tsquery).add(qint64(limit)));
    for (int i = 0; r.ok() && i < r.rows(); ++i) {
        SearchHit hit;
        hit.kind = SearchHit::Kind::LogLine;
        hit.text = r.text(i, 1);
        hit.taskId = r.text(i, 2);
        hit.commandSeq = int(r.int64(i, 3));
        hit.lineNo = r.int64(i, 0) & maxLogLineNo;
        hits << hit;
    }
    return hits;
}

} // namespace Tasktrail
