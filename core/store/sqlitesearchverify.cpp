// verify's check of the search index: record_text against the records it mirrors, and each
// FTS5 index against the table it indexes, term by term. Read-only: the scratch tables live in
// the connection's temp schema, so it runs on a database opened read-only.
//
// FTS5's own 'integrity-check' command compares an external-content index with its table,
// but it is an INSERT, which a read-only connection refuses, and it says only that something
// differs. Here both sides are reduced to one keyed digest per row: the index's side read
// through fts5vocab (every term, row, column and position it holds), the table's side by
// indexing its rows again, a chunk at a time, into a contentless temp FTS5 table with the same
// tokenizer and detail. Equal sums end the check; otherwise the rows whose digests differ are
// named.
#include "evidencehash.h"
#include "sqliteevidence.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QHash>
#include <QRandomGenerator>

#include <algorithm>
#include <limits>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Every searchable text as the records hold it now (SqliteStore::indexRecordText writes
// them): kind, ref, task id, text.
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

// The rows of record_text that differ from what the records say, or that no record has.
constexpr const char *textMismatchSql =
    "WITH expected (kind, ref, task_id, text) AS (%1) "
    "SELECT e.kind, e.ref, r.id, CASE WHEN r.id IS NULL THEN 'missing' "
    "WHEN r.text IS NOT e.text THEN 'text' ELSE 'task' END "
    "FROM expected e LEFT JOIN record_text r ON r.kind = e.kind AND r.ref = e.ref "
    "WHERE r.id IS NULL OR r.text IS NOT e.text OR r.task_id IS NOT e.task_id "
    "UNION ALL SELECT r.kind, r.ref, r.id, 'extra' FROM record_text r WHERE NOT EXISTS "
    "(SELECT 1 FROM expected e WHERE e.kind = r.kind AND e.ref = r.ref) ORDER BY 1, 2";

// An index and the table it indexes. The scratch index uses FTS5's default tokenizer, as the
// schema's log_fts and record_fts do.
struct SearchIndex
{
    const char *fts;
    const char *vocabSql;    // creates the fts5vocab view of the index
    const char *scanSql;     // every (term, row, column, position) the index holds
    const char *chunkEndSql; // the last rowid of the next chunk after ?1, ?2 rows long
    const char *fillSql;     // indexes the rows (?1, ?2] into the scratch index, named %1
    const char *rowsSql;     // the rowids in (?1, ?2]
};

const SearchIndex logIndex{
    "log_fts",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.verify_log_vocab USING fts5vocab(main, log_fts, "
    "instance)",
    "SELECT term, doc, col, offset FROM temp.verify_log_vocab",
    "SELECT max(id) FROM (SELECT id FROM log_line WHERE id > ?1 ORDER BY id LIMIT ?2)",
    "INSERT INTO temp.%1 (rowid, text) SELECT id, text FROM log_line "
    "WHERE id > ?1 AND id <= ?2",
    "SELECT id FROM log_line WHERE id > ?1 AND id <= ?2"};

const SearchIndex recordIndex{
    "record_fts",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.verify_record_vocab USING fts5vocab(main, "
    "record_fts, instance)",
    "SELECT term, doc, col, offset FROM temp.verify_record_vocab",
    "SELECT max(id) FROM (SELECT id FROM record_text WHERE id > ?1 ORDER BY id LIMIT ?2)",
    "INSERT INTO temp.%1 (rowid, text) SELECT id, text FROM record_text "
    "WHERE id > ?1 AND id <= ?2",
    "SELECT id FROM record_text WHERE id > ?1 AND id <= ?2"};

// The scratch index for an index of FTS5 detail `detail` (fts5Detail: "full",
// "column" or "none"): of the same detail, so that both hold the same kind of instances. An
// index without positions holds one instance per term and row (column and position NULL).
struct ScratchIndex
{
    explicit ScratchIndex(const QByteArray &detail)
        : name("verify_fts_" + detail)
    {
        createSql = "CREATE VIRTUAL TABLE IF NOT EXISTS temp." + name +
                    " USING fts5 (text, content='', detail=" + detail +
                    ");"
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp." +
                    name + "_vocab USING fts5vocab(temp, " + name + ", instance);";
        scanSql = "SELECT term, doc, col, offset FROM temp." + name + "_vocab";
        clearSql = "INSERT INTO temp." + name + " (" + name + ") VALUES ('delete-all')";
    }

    QByteArray name;
    QByteArray createSql;
    QByteArray scanSql;
    QByteArray clearSql;
};

// Rows indexed again per chunk: bounds the scratch index's memory.
constexpr qint64 chunkRows = 20000;
// Rows named per index and per check; the rest are counted in one more problem.
constexpr int maxNamed = 50;

// What an index holds for a set of rows: a sum and a xor of one keyed hash per (term, row,
// column, position), and their number. The key is drawn per verification, so no one can
// prepare index entries whose hashes cancel out.
struct TermDigest
{
    quint64 sum = 0;
    quint64 mix = 0;
    qint64 count = 0;

    void add(quint64 h)
    {
        sum += h;
        mix ^= h;
        ++count;
    }
    friend bool operator==(const TermDigest &, const TermDigest &) = default;
};

} // namespace

// The search index half of verify (see the top of this file); a friend of SqliteStore.
struct SearchIndexCheck
{
    SearchIndexCheck(SqliteStore &s, EvidenceReport &r)
        : store(s)
        , report(r)
    {}

    SqliteStore &store;
    EvidenceReport &report;
    const size_t seed = size_t(QRandomGenerator::system()->generate64());
    QByteArray tuple; // reused for every hashed instance

    quint64 instanceHash(const SqliteStatement &row)
    {
        // term, then row, column and position: the term's bytes end at a NUL it cannot hold.
        const QByteArrayView term = row.view(0);
        const qint64 doc = row.int64(1);
        const QByteArrayView column = row.view(2);
        const qint64 position = row.int64(3);
        tuple.resize(0);
        tuple.append(term.data(), term.size()).append('\0');
        tuple.append(reinterpret_cast<const char *>(&doc), sizeof doc);
        tuple.append(reinterpret_cast<const char *>(&position), sizeof position);
        tuple.append(column.data(), column.size());
        return qHash(QByteArrayView(tuple), seed);
    }

    // Reads every instance `sql` yields into the total and, when asked, per row.
    bool digest(SqliteStatement &scan, TermDigest *total, QHash<qint64, TermDigest> *perRow)
    {
        while (scan.next()) {
            const quint64 h = instanceHash(scan);
            total->add(h);
            if (perRow)
                (*perRow)[scan.int64(1)].add(h);
        }
        const bool ok = scan.lastResult() == SQLITE_DONE;
        scan.reset();
        return ok;
    }

    bool fail(const SearchIndex &index, const QString &what)
    {
        report.problems << EvidenceProblem{
            0,
            QString::fromLatin1(index.fts),
            {},
            u"cannot check the search index: %1: %2"_s.arg(what, store.errorString())};
        return false;
    }

    // Indexes the table again chunk by chunk; `chunkDone(from, to, digests)` sees each chunk's
    // per-row digests when perRow is wanted.
    template<typename ChunkDone>
    bool contentDigest(const SearchIndex &index, TermDigest *total, bool perRow,
                       ChunkDone chunkDone)
    {
        const ScratchIndex scratch(store.ftsDetail(index.fts));
        if (!store.execScript(scratch.createSql.constData()))
            return fail(index, u"cannot create the scratch index"_s);
        auto &end = store.statement(index.chunkEndSql);
        auto &fill = store.statement(QByteArray(index.fillSql).replace("%1", scratch.name));
        auto &scan = store.statement(scratch.scanSql);
        auto &clear = store.statement(scratch.clearSql);
        for (qint64 from = std::numeric_limits<qint64>::min();;) {
            end.bind(1, from);
            end.bind(2, chunkRows);
            const bool more = end.next() && !end.isNull(0);
            const qint64 to = more ? end.int64(0) : from;
            end.reset();
            if (!more)
                return true;
            fill.bind(1, from);
            fill.bind(2, to);
            QHash<qint64, TermDigest> rows;
            if (!store.run(fill) || !digest(scan, total, perRow ? &rows : nullptr) ||
                !store.run(clear))
                return fail(index, u"cannot index the rows again"_s);
            if (perRow)
                chunkDone(from, to, rows);
            from = to;
        }
    }

    void check(const SearchIndex &index, qint64 rows, const QString &what)
    {
        if (!store.execScript(index.vocabSql)) {
            fail(index, u"cannot read the index"_s);
            return;
        }
        TermDigest indexed;
        TermDigest content;
        if (!digest(store.statement(index.scanSql), &indexed, nullptr)) {
            fail(index, u"cannot read the index"_s);
            return;
        }
        if (!contentDigest(index, &content, false, [](qint64, qint64, const auto &) {}))
            return;
        report.covered << EvidenceCoverage{
            what, rows, u"the full-text index compared term by term with the text it indexes"_s};
        if (indexed == content)
            return;
        locate(index);
    }

    // The index differs from its table: the rows whose digests differ, by name.
    void locate(const SearchIndex &index)
    {
        QHash<qint64, TermDigest> indexed;
        TermDigest ignored;
        if (!digest(store.statement(index.scanSql), &ignored, &indexed)) {
            fail(index, u"cannot read the index"_s);
            return;
        }
        qint64 named = 0;
        qint64 unnamed = 0;
        const auto name = [&](qint64 rowid, bool exists) {
            if (named++ < maxNamed)
                report.problems << problemFor(index, rowid, exists);
            else
                ++unnamed;
        };
        auto &ids = store.statement(index.rowsSql);
        const auto chunkDone = [&](qint64 from, qint64 to, const QHash<qint64, TermDigest> &rows) {
            ids.bind(1, from);
            ids.bind(2, to);
            while (ids.next()) {
                const qint64 rowid = ids.int64(0);
                if (indexed.take(rowid) != rows.value(rowid))
                    name(rowid, true);
            }
            ids.reset();
        };
        if (!contentDigest(index, &ignored, true, chunkDone))
            return;
        QList<qint64> forged = indexed.keys(); // in the index, not in the table
        std::sort(forged.begin(), forged.end());
        for (const qint64 rowid : std::as_const(forged))
            name(rowid, false);
        if (unnamed > 0)
            report.problems << EvidenceProblem{
                0,
                QString::fromLatin1(index.fts),
                {},
                u"%1 more rows of the search index do not match what they index"_s.arg(unnamed)};
        if (named == 0) // the sums differ, yet no row does: the index's structure was changed
            report.problems << EvidenceProblem{
                0,
                QString::fromLatin1(index.fts),
                {},
                u"the search index does not match what it indexes"_s};
    }

    EvidenceProblem problemFor(const SearchIndex &index, qint64 rowid, bool exists)
    {
        const QString kind = QString::fromLatin1(index.fts);
        if (&index == &logIndex) {
            const qint64 key = rowid >> SqliteStore::lineBits;
            const qint64 line = rowid & ((qint64(1) << SqliteStore::lineBits) - 1);
            const QString ref = QString::fromLatin1(Evidence::logRef(key, line, line));
            auto &q = store.statement("SELECT task_id, seq FROM command WHERE key = ?");
            q.bind(1, key);
            const QString where =
                q.next()
                    ? u" (task %1 command %2 line %3)"_s.arg(q.text(0)).arg(q.int64(1)).arg(line)
                    : QString();
            q.reset();
            return {0, kind, ref,
                    (exists ? u"the search index does not match the stored line"_s
                            : u"the search index holds a line that is not stored: search finds "
                              "text no log has"_s) %
                        where};
        }
        auto &q = store.statement("SELECT kind, ref FROM record_text WHERE id = ?");
        q.bind(1, rowid);
        const QString ref =
            q.next() ? QString(q.text(0) % u' ' % q.text(1)) : QString::number(rowid);
        q.reset();
        return {0, kind, ref,
                exists ? u"the search index does not match the record's searchable text"_s
                       : u"the search index holds text (row %1) that no record has"_s.arg(rowid)};
    }

    void checkRecordText()
    {
        static const QByteArray sql =
            QByteArray(textMismatchSql).replace("%1", QByteArray(expectedTextSql));
        auto &rows = store.statement(sql.constData());
        while (rows.next()) {
            const QString kind = rows.text(0);
            const QString ref = rows.text(1);
            const QString how = rows.text(3);
            const QString row = u"row "_s % QString::number(rows.int64(2)) % u": "_s;
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
            report.problems << EvidenceProblem{0, u"record_text"_s, kind % u' ' % ref, problem};
        }
        if (rows.lastResult() != SQLITE_DONE)
            report.problems << EvidenceProblem{
                0, u"record_text"_s, {}, u"cannot check: "_s % store.errorString()};
        rows.reset();
        report.covered << EvidenceCoverage{
            u"searchable record text"_s, store.count("SELECT count(*) FROM record_text"),
            u"recomputed from the requests, campaigns, decisions, tasks and pull requests"_s};
    }
};

void SqliteStore::verifySearchIndex(EvidenceReport &report)
{
    SearchIndexCheck check(*this, report);
    check.checkRecordText();
    check.check(recordIndex, count("SELECT count(*) FROM record_text"), u"record search index"_s);
    check.check(logIndex, count("SELECT count(*) FROM log_line"), u"log search index"_s);
}

} // namespace Tasktrail
