// The first page of a search on PostgreSQL: the store's tsvector column with its GIN index
// against pg_trgm (a GIN gin_trgm_ops index on the text, queried with ILIKE). Not a test: run
// it by hand, see README.md ("Benchmark").
//
//   bench_pgsearch [--rows 1000000] [--runs 5] [--explain]
//
// Starts a throwaway server (tests/pgfixture.h), creates the store's schema (PgStore), loads
// `rows` log lines with COPY, each holding the common word "compiled", every 100th "warning"
// and every 100,000th "segfault" (the search column filled with SearchTokens as the store fills
// it; the indexes are built after the load, as a bulk load would), runs ANALYZE, and times the
// first page (50 hits) of each word: PgStore::search(), and the same page by pg_trgm; then
// prefixes and phrases of those words through PgStore::search(), as ratios to the word.
#include "../pgfixture.h"

#include "store/pgconnection.h"
#include "store/pgstore.h"
#include "store/searchtokens.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr int linesPerCommand = 10000;
constexpr int pageSize = 50;

void say(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

QByteArray lineText(qint64 i)
{
    QByteArray text = "2026-12-03T21:30:00.123Z npm info run build@1.0.0 step " +
                      QByteArray::number(i) + ": compiled src/module" + QByteArray::number(i % 97) +
                      ".ts in 12ms";
    if (i % 100 == 0)
        text += " warning: unused variable";
    if (i % 100000 == 0)
        text += " segfault in worker";
    return text;
}

bool load(PgConnection &db, const SearchTokens &tokens, qint64 rows)
{
    QByteArray commands;
    for (qint64 key = 1; key <= (rows + linesPerCommand - 1) / linesPerCommand; ++key)
        commands += QByteArray::number(key) + "\tT-" + QByteArray::number(key) + "\t1\n";
    if (!db.copyIn("COPY command (key, task_id, seq) FROM STDIN", commands))
        return false;
    QByteArray data;
    for (qint64 i = 1; i <= rows; ++i) {
        const qint64 key = (i - 1) / linesPerCommand + 1;
        const qint64 line = (i - 1) % linesPerCommand + 1;
        const QByteArray text = lineText(i);
        data += QByteArray::number((key << logLineBits) | line) + '\t' +
                QByteArray::number(1700000000000 + i) + '\t' + text + "\t\\N\t" +
                tokens.tsvector(text) + '\n';
        if (i % 100000 == 0 || i == rows) {
            if (!db.copyIn("COPY log_line (id, ts, text, ansi, search) FROM STDIN", data))
                return false;
            data.clear();
        }
    }
    return true;
}

// The first and the median of `runs` timings of `page`, in ms; and how many hits it gave.
struct Timing
{
    int hits = 0;
    double first = 0;
    double median = 0;

    QString text() const
    {
        return u"%1 hits, first %2 ms, median %3 ms"_s.arg(hits)
            .arg(first, 0, 'f', 1)
            .arg(median, 0, 'f', 1);
    }
};

Timing timing(int runs, const std::function<int()> &page)
{
    QList<double> ms;
    Timing out;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        out.hits = page();
        ms << double(t.nsecsElapsed()) / 1e6;
    }
    out.first = ms.constFirst();
    std::sort(ms.begin(), ms.end());
    out.median = ms.at(ms.size() / 2);
    return out;
}

QString timed(int runs, const std::function<int()> &page)
{
    return timing(runs, page).text();
}

QString timedSql(PgConnection &db, const char *sql, const char *label, const QString &step)
{
    QElapsedTimer t;
    t.start();
    if (!db.exec(sql))
        return u"%1 failed: %2"_s.arg(QLatin1StringView(label), db.errorString());
    return u"%1: %2 s"_s.arg(step).arg(double(t.elapsed()) / 1000, 0, 'f', 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"rows"_s, u"Log lines to load."_s, u"N"_s, u"1000000"_s});
    parser.addOption({u"runs"_s, u"Timings per query."_s, u"N"_s, u"5"_s});
    parser.addOption({u"explain"_s, u"Print each search statement's plan (auto_explain)."_s});
    parser.process(app);
    const qint64 rows = qMax<qint64>(1, parser.value(u"rows"_s).toLongLong());
    const int runs = qMax(1, parser.value(u"runs"_s).toInt());
    PgFixture::Server server;
    QString error;
    if (!server.start(&error) || !server.createDatabase(u"bench"_s, &error)) {
        say(error);
        return 2;
    }
    const QString url = server.url(u"bench"_s);
    if (parser.isSet(u"explain"_s)) {
        // The store's own statements, as PostgreSQL ran them, as notices on stderr.
        PgConnection admin;
        if (!admin.open(url, &error) ||
            !admin.exec("ALTER DATABASE bench SET session_preload_libraries = 'auto_explain'; "
                        "ALTER DATABASE bench SET auto_explain.log_min_duration = 0; "
                        "ALTER DATABASE bench SET auto_explain.log_analyze = on; "
                        "ALTER DATABASE bench SET auto_explain.log_level = notice")) {
            say(error + admin.errorString());
            return 2;
        }
    }
    PgStore store;
    PgConnection db;
    const SearchTokens tokens;
    if (!store.open(url) || !db.open(url, &error) || !tokens.isValid()) {
        say(store.errorString() + error + tokens.errorString());
        return 2;
    }
    say(u"%1 log lines, PostgreSQL in %2"_s.arg(rows).arg(server.binDir()));
    QElapsedTimer t;
    t.start();
    if (!db.exec("DROP INDEX log_line_search") || !load(db, tokens, rows)) {
        say(db.errorString());
        return 2;
    }
    say(u"COPY with the store's tokens: %1 s"_s.arg(double(t.elapsed()) / 1000, 0, 'f', 1));
    say(timedSql(db, "CREATE INDEX log_line_search ON log_line USING gin (search)", "gin",
                 u"tsvector GIN index"_s));
    say(timedSql(db,
                 "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX log_line_trgm ON "
                 "log_line USING gin (text gin_trgm_ops)",
                 "pg_trgm", u"pg_trgm GIN index"_s));
    say(timedSql(db, "VACUUM ANALYZE log_line", "analyze", u"VACUUM ANALYZE"_s));
    const PgResult sizes = db.query("SELECT pg_size_pretty(pg_relation_size('log_line')), "
                                    "pg_size_pretty(pg_relation_size('log_line_search')), "
                                    "pg_size_pretty(pg_relation_size('log_line_trgm'))");
    if (sizes.ok())
        say(u"sizes: table %1, tsvector GIN %2, pg_trgm GIN %3"_s.arg(
            sizes.text(0, 0), sizes.text(0, 1), sizes.text(0, 2)));
    for (const char *word : {"compiled", "warning", "segfault"}) {
        const QString w = QString::fromLatin1(word);
        const Timing page = timing(runs, [&] { return int(store.search(w, pageSize).size()); });
        say(u"%1, tsvector + GIN (PgStore::search): %2"_s.arg(w, page.text()));
        // The same page by pg_trgm: a substring match, so it also finds the word inside
        // longer words (SQLite's index does not).
        const QByteArray pattern = '%' + QByteArray(word) + '%';
        say(u"%1, pg_trgm GIN (ILIKE):           %2"_s.arg(
            w, timed(runs, [&] {
                const PgResult r = db.query(
                    "SELECT h.id, h.text, c.task_id, c.seq FROM (SELECT id, text FROM log_line "
                    "WHERE text ILIKE $1 ORDER BY id DESC LIMIT $2) h JOIN command c ON c.key = "
                    "h.id >> 32 ORDER BY h.id DESC",
                    PgParams().addUtf8(pattern).add(qint64(pageSize)));
                return r.ok() ? r.rows() : -1;
            })));
    }
    // Prefixes and phrases through the same PgStore::search, each as a ratio to the word of as
    // many hits, timed again right before it (the first query after the load warms the cache).
    const QList<std::pair<QString, QString>> queries = {
        {u"compil*"_s, u"compiled"_s}, {u"\"compiled src\""_s, u"compiled"_s},
        {u"warn*"_s, u"warning"_s},    {u"\"unused variable\""_s, u"warning"_s},
        {u"segf*"_s, u"segfault"_s},   {u"\"segfault in worker\""_s, u"segfault"_s},
    };
    const auto page = [&store](const QString &query) {
        return int(store.search(query, pageSize).size());
    };
    for (const auto &[query, word] : queries) {
        const Timing base = timing(runs, [&] { return page(word); });
        const Timing variant = timing(runs, [&] { return page(query); });
        say(u"%1, PgStore::search: %2; \"%3\" %4 ms; ratio %5"_s.arg(query, variant.text(), word)
                .arg(base.median, 0, 'f', 1)
                .arg(variant.median / qMax(base.median, 0.001), 0, 'f', 2));
    }
    return 0;
}
