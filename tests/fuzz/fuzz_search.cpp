// The search box and the log view's find: what a person types, turned into an FTS5 query and
// LIKE patterns over a store that holds the demo data.
#include "fuzzingest.h"

#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "store/searchtokens.h"
#include "store/sqlitestore.h"

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// A small demo set ingested once per process; searches only read it.
struct SearchScene
{
    SearchScene()
    {
        const QString dir = Fuzz::scratchPath(u"demo"_s);
        DemoOptions options;
        options.outDir = dir;
        options.scale = 0.02;
        DemoGenerator generator;
        QString error;
        if (!generator.generate(options, &error))
            Fuzz::fail("cannot write the demo data", error);
        path = Fuzz::scratchPath(u"search.db"_s);
        if (!store.open(path))
            Fuzz::fail("cannot open the search database", store.errorString());
        Ingestor ingestor(store);
        if (!ingestor.ingest({dir}))
            Fuzz::fail("cannot ingest the demo data", ingestor.errorString());
        // A second connection, as the plain C API sees the same index.
        if (sqlite3_open_v2(path.toUtf8().constData(), &raw, SQLITE_OPEN_READONLY, nullptr) !=
            SQLITE_OK)
            Fuzz::fail("cannot open the search database read-only");
        sqlite3_stmt *keys = nullptr;
        sqlite3_prepare_v2(raw, "SELECT key FROM command ORDER BY key LIMIT 3", -1, &keys, nullptr);
        while (sqlite3_step(keys) == SQLITE_ROW)
            commandKeys << sqlite3_column_int64(keys, 0);
        sqlite3_finalize(keys);
        if (commandKeys.isEmpty())
            Fuzz::fail("the demo data has no command logs");
        // The same lines in an index with positions, which finds phrases itself (in the temp
        // schema: the connection is read-only).
        if (sqlite3_exec(raw,
                         "CREATE VIRTUAL TABLE temp.positions USING fts5 (text, content='');"
                         "INSERT INTO temp.positions (rowid, text) SELECT id, text FROM log_line",
                         nullptr, nullptr, nullptr) != SQLITE_OK)
            Fuzz::fail("cannot index the lines with positions",
                       QString::fromUtf8(sqlite3_errmsg(raw)));
    }
    ~SearchScene() { sqlite3_close(raw); }

    // The newest lines (at most `limit`) an index finds for `match`; with `check`, only those
    // whose text holds its phrases, as SqliteStore::searchLogs reads them.
    QList<qint64> lines(const char *sql, const QString &match, const TokenSearch *check,
                        int limit) const
    {
        sqlite3_stmt *stmt = nullptr;
        const QByteArray utf8 = match.toUtf8();
        QList<qint64> out;
        sqlite3_prepare_v2(raw, sql, -1, &stmt, nullptr);
        sqlite3_bind_text(stmt, 1, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
        int rc = SQLITE_ROW;
        while (out.size() < limit && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            if (!check || check->matches(QByteArrayView(
                              static_cast<const char *>(sqlite3_column_blob(stmt, 1)),
                              sqlite3_column_bytes(stmt, 1))))
                out << sqlite3_column_int64(stmt, 0);
        }
        const QString why = QString::fromUtf8(sqlite3_errmsg(raw));
        sqlite3_finalize(stmt);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            Fuzz::fail("FTS5 rejects the query the store built", match % u": "_s % why);
        return out;
    }

    // The log index keeps no positions; what it finds, with the phrases checked on the text,
    // must be what an index with positions finds for the FTS5 query of the same text.
    void checkSameLines(const QString &query) const
    {
        constexpr int limit = 50;
        const QString match = SqliteStore::ftsQuery(query);
        const TokenSearch tokenSearch(searchTerms(query), tokens);
        const QList<qint64> want =
            match.isEmpty() ? QList<qint64>()
                            : lines("SELECT rowid, NULL FROM temp.positions WHERE positions "
                                    "MATCH ? ORDER BY rowid DESC",
                                    match, nullptr, limit);
        // With the few words a prefix starts written out, as the store searches.
        const QString written = tokenSearch.ftsQuery(raw, "log_fts");
        const QList<qint64> got =
            written.isEmpty()
                ? QList<qint64>()
                : lines("SELECT f.rowid, l.text FROM log_fts f JOIN log_line l ON l.id = f.rowid "
                        "WHERE log_fts MATCH ? ORDER BY f.rowid DESC",
                        written, &tokenSearch, limit);
        if (got != want)
            Fuzz::fail("the log index without positions finds other lines than one with them",
                       query % u": "_s % QString::number(got.size()) % u" lines, not "_s %
                           QString::number(want.size()));
    }

    // FTS5 itself must accept every query the store builds: ftsQuery() for the records' index
    // (with positions), TokenSearch's for the logs' (without). A syntax error would show as
    // "no results" for text that is there.
    void checkFtsAccepts(const char *countSql, const QString &match) const
    {
        sqlite3_stmt *stmt = nullptr;
        const QByteArray utf8 = match.toUtf8();
        int rc = sqlite3_prepare_v2(raw, countSql, -1, &stmt, nullptr);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(stmt, 1, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
            rc = sqlite3_step(stmt);
        }
        const QString why = QString::fromUtf8(sqlite3_errmsg(raw));
        sqlite3_finalize(stmt);
        if (rc != SQLITE_ROW)
            Fuzz::fail("FTS5 rejects the query the store built", match % u": "_s % why);
    }

    // A line the log view's find stops at holds the text it looked for.
    void checkFind(qint64 key, const QString &text, bool backwards)
    {
        const qint64 from = backwards ? (qint64(1) << SqliteStore::lineBits) - 1 : 0;
        const std::optional<qint64> found = store.findLogLine(key, from, text, backwards);
        if (!found)
            return;
        const QList<LogLine> lines = store.logLines(key, *found, 1);
        if (lines.size() != 1 ||
            !QString::fromUtf8(lines.first().text).contains(text, Qt::CaseInsensitive))
            Fuzz::fail("find stopped at a line without the text", text);
    }

    SqliteStore store;
    SearchTokens tokens;
    QString path;
    sqlite3 *raw = nullptr;
    QList<qint64> commandKeys;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static SearchScene scene;
    const QString query = QString::fromUtf8(Fuzz::inputBytes(data, size));
    const QString match = SqliteStore::ftsQuery(query);
    if (!match.isEmpty())
        scene.checkFtsAccepts("SELECT count(*) FROM record_fts WHERE record_fts MATCH ?", match);
    const TokenSearch tokenSearch(searchTerms(query), scene.tokens);
    if (!tokenSearch.ftsQuery().isEmpty())
        scene.checkFtsAccepts("SELECT count(*) FROM log_fts WHERE log_fts MATCH ?",
                              tokenSearch.ftsQuery());
    scene.checkSameLines(query);
    scene.store.search(query, 20);
    for (const qint64 key : std::as_const(scene.commandKeys)) {
        scene.checkFind(key, query, false);
        scene.checkFind(key, query, true);
    }
    return 0;
}
