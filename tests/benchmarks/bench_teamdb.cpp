// SQLite against PostgreSQL on the same machine, same input, same build. Not a test: run it by
// hand, see README.md ("Benchmark") and docs/team-database.md.
//
//   bench_teamdb [--scale 100] [--demo DIR] [--only logs,...] [--work DIR] [--chains 200]
//                [--runs 5] [--common WORD] [--rare WORD]
//
// Writes the demo set with `tasktrail-cli demo --scale S` (or reuses one with --demo; --only
// ingests those of its folders, with its policies: `--only logs` is the log lines alone), starts a
// throwaway PostgreSQL server (tests/pgfixture.h), and ingests the set with `tasktrail-cli ingest`
// into a fresh SQLite file and into a fresh PostgreSQL database. For both it prints: the ingest's
// wall time and rows/s (rows counted table by table afterwards, and the counts compared), the
// database size (the file with its WAL; pg_database_size), the median and p99 of
// RecordStore::taskChain on `chains` sampled tasks, and the median of `runs` first pages (50 hits)
// of RecordStore::search for a common and a rare word; then PostgreSQL / SQLite ratios.
// PostgreSQL's queries are timed as the ingest left the database (statistics only from autovacuum)
// and again after ANALYZE.
#include "../pgfixture.h"

#include "store/pgconnection.h"
#include "store/recordstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr int pageSize = 50;

// The tables both schemas hold records in (not the full-text shadow tables, not the schema
// version, not audit_link_state: where SQLite's audit linking left off, which PostgreSQL keeps
// as the audit_event_new queue): their row counts after the ingest are the "rows" of rows/s.
constexpr const char *recordTables[] = {
    "audit_event",
    "audit_link",
    "audit_task_window",
    "campaign",
    "check_run",
    "check_suite",
    "command",
    "contact",
    "evidence",
    "failure",
    "file_change",
    "finding",
    "identity",
    "ingested_file",
    "log_line",
    "policy",
    "policy_document",
    "pull_request",
    "record_seen",
    "record_text",
    "redaction",
    "repo_decision",
    "repository",
    "request",
    "review",
    "session_transcript",
    "task",
    "task_check",
    "task_session",
    "task_template",
    "test_result",
    "transcript_entry",
};

void say(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

// Runs tasktrail-cli; its wall time in s, or -1 (and why on stdout) when it fails.
double runCli(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral(TASKTRAIL_CLI), args);
    const bool finished = p.waitForFinished(-1);
    const double secs = double(t.nsecsElapsed()) / 1e9;
    const QString out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        say(u"tasktrail-cli %1 failed (exit %2): %3"_s.arg(args.join(u' '))
                .arg(p.exitCode())
                .arg(out));
        return -1;
    }
    if (!out.isEmpty())
        say(u"  "_s + out.split(u'\n').constFirst());
    return secs;
}

struct Latency
{
    double median = 0;
    double p99 = 0;
};

// Median and p99 of `runs` timings; zero when nothing was timed.
Latency measure(int runs, const std::function<void(int)> &f)
{
    if (runs <= 0)
        return {};
    QList<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f(i);
        ms << double(t.nsecsElapsed()) / 1e6;
    }
    std::sort(ms.begin(), ms.end());
    return {ms.at(ms.size() / 2), ms.at(qMin(ms.size() - 1, qsizetype(double(ms.size()) * 0.99)))};
}

struct Figures
{
    double ingestSecs = 0;
    qint64 rows = 0;
    QMap<QString, qint64> counts;
    qint64 bytes = 0;
    Latency chain;
    Latency common;
    Latency rare;
    int commonHits = 0;
    int rareHits = 0;
};

QMap<QString, qint64> sqliteCounts(const QString &path)
{
    QMap<QString, qint64> counts;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
        for (const char *table : recordTables) {
            sqlite3_stmt *st = nullptr;
            const QByteArray sql = "SELECT count(*) FROM " + QByteArray(table);
            if (sqlite3_prepare_v2(db, sql.constData(), -1, &st, nullptr) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW)
                counts.insert(QLatin1StringView(table), sqlite3_column_int64(st, 0));
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(db);
    return counts;
}

QMap<QString, qint64> pgCounts(PgConnection &db)
{
    QMap<QString, qint64> counts;
    for (const char *table : recordTables) {
        const QByteArray sql = "SELECT count(*) FROM " + QByteArray(table);
        const PgResult r = db.query(sql.constData());
        if (r.ok())
            counts.insert(QLatin1StringView(table), r.int64(0, 0));
    }
    return counts;
}

qint64 total(const QMap<QString, qint64> &counts)
{
    qint64 sum = 0;
    for (qint64 n : counts)
        sum += n;
    return sum;
}

// Chain lookups and first pages through the store's own interface, as the CLI and app use it.
bool timeQueries(const QString &location, const QStringList &words, int chains, int runs,
                 Figures *f)
{
    QString error;
    auto store = openStore(location, &error, StoreAccess::ReadOnly);
    if (!store) {
        say(error);
        return false;
    }
    QStringList ids;
    for (const TaskRow &row : store->tasks(TaskFilter(), 0, 5000))
        ids << row.id;
    // Log lines alone (--only logs) make no task records: no chain to look up.
    if (ids.isEmpty())
        say(u"  no tasks in %1: chain lookups not timed"_s.arg(location));
    QRandomGenerator rng(7);
    int missing = 0;
    f->chain = measure(ids.isEmpty() ? 0 : chains, [&](int) {
        if (!store->taskChain(ids.at(rng.bounded(qsizetype(ids.size())))))
            ++missing;
    });
    if (missing)
        say(u"  %1 chain lookups found nothing"_s.arg(missing));
    f->common =
        measure(runs, [&](int) { f->commonHits = int(store->search(words[0], pageSize).size()); });
    f->rare =
        measure(runs, [&](int) { f->rareHits = int(store->search(words[1], pageSize).size()); });
    return true;
}

QString ms(const Latency &l)
{
    return u"%1 ms (p99 %2)"_s.arg(l.median, 0, 'f', 2).arg(l.p99, 0, 'f', 2);
}

QString ratio(double pg, double sqlite)
{
    return sqlite > 0 ? u"%1x"_s.arg(pg / sqlite, 0, 'f', 2) : u"-"_s;
}

void report(const QString &name, const Figures &f, const QStringList &words)
{
    say(u"%1: ingest %2 s, %3 rows, %4 rows/s (log lines %5); size %6 MB"_s.arg(name)
            .arg(f.ingestSecs, 0, 'f', 1)
            .arg(f.rows)
            .arg(double(f.rows) / f.ingestSecs, 0, 'f', 0)
            .arg(f.counts.value(u"log_line"_s))
            .arg(double(f.bytes) / 1e6, 0, 'f', 1));
    say(u"  chain lookup: %1; first page \"%2\" (%3 shown): %4; \"%5\" (%6 shown): %7"_s
            .arg(ms(f.chain), words[0])
            .arg(f.commonHits)
            .arg(ms(f.common), words[1])
            .arg(f.rareHits)
            .arg(ms(f.rare)));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Tasktrail on SQLite and on PostgreSQL, one run"_s);
    parser.addHelpOption();
    parser.addOption(
        {u"scale"_s, u"Demo scale (100: ~100k tasks, ~5M log lines)."_s, u"S"_s, u"100"_s});
    parser.addOption({u"work"_s, u"Working directory (default: a temporary one)."_s, u"DIR"_s});
    parser.addOption({u"demo"_s, u"Use the demo set written before in DIR."_s, u"DIR"_s});
    parser.addOption({u"only"_s,
                      u"Ingest only these folders of the demo set (comma-separated, e.g. logs), "
                      "with its policies."_s,
                      u"FOLDERS"_s});
    parser.addOption({u"chains"_s, u"Chain lookups to time."_s, u"N"_s, u"200"_s});
    parser.addOption({u"runs"_s, u"Timings per search."_s, u"N"_s, u"5"_s});
    parser.addOption({u"common"_s, u"A word on many log lines."_s, u"WORD"_s, u"warning"_s});
    parser.addOption({u"rare"_s, u"A word on few log lines."_s, u"WORD"_s, u"fatal"_s});
    parser.process(app);
    const QString scale = parser.value(u"scale"_s);
    const int chains = qMax(1, parser.value(u"chains"_s).toInt());
    const int runs = qMax(1, parser.value(u"runs"_s).toInt());
    const QStringList words{parser.value(u"common"_s), parser.value(u"rare"_s)};

    QTemporaryDir temp;
    const QString work = parser.isSet(u"work"_s) ? parser.value(u"work"_s) : temp.path();
    QDir().mkpath(work);
    QString demo = work + u"/demo"_s;
    if (parser.isSet(u"demo"_s)) {
        demo = parser.value(u"demo"_s);
        say(u"Using the demo set in %1"_s.arg(demo));
    } else {
        QDir(demo).removeRecursively();
        say(u"Demo set at scale %1 in %2"_s.arg(scale, demo));
        const double gen = runCli({u"demo"_s, u"--scale"_s, scale, u"--out"_s, demo});
        if (gen < 0)
            return 2;
        say(u"  written in %1 s"_s.arg(gen, 0, 'f', 1));
    }
    QStringList inputs{demo};
    if (parser.isSet(u"only"_s)) {
        inputs = {demo + u"/policies"_s};
        for (const QString &folder : parser.value(u"only"_s).split(u',', Qt::SkipEmptyParts))
            inputs << demo + u'/' + folder.trimmed();
        say(u"Ingesting %1"_s.arg(inputs.join(u", "_s)));
    }

    PgFixture::Server server;
    QString error;
    if (!server.start(&error) || !server.createDatabase(u"bench"_s, &error)) {
        say(error);
        return 2;
    }
    const QString url = server.url(u"bench"_s);
    say(u"PostgreSQL from %1 on port %2"_s.arg(server.binDir()).arg(server.port()));

    Figures lite;
    const QString file = work + u"/bench.db"_s;
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(file + QLatin1String(suffix));
    say(u"Ingest into SQLite"_s);
    lite.ingestSecs = runCli(QStringList{u"ingest"_s, u"--quiet"_s, u"--db"_s, file} + inputs);
    Figures pg;
    say(u"Ingest into PostgreSQL"_s);
    pg.ingestSecs = runCli(QStringList{u"ingest"_s, u"--quiet"_s, u"--db"_s, url} + inputs);
    if (lite.ingestSecs < 0 || pg.ingestSecs < 0)
        return 2;

    lite.counts = sqliteCounts(file);
    lite.rows = total(lite.counts);
    for (const char *suffix : {"", "-wal"})
        lite.bytes += QFileInfo(file + QLatin1String(suffix)).size();
    PgConnection db;
    if (!db.open(url, &error)) {
        say(error);
        return 2;
    }
    pg.counts = pgCounts(db);
    pg.rows = total(pg.counts);
    const PgResult size = db.query("SELECT pg_database_size(current_database())");
    pg.bytes = size.ok() ? size.int64(0, 0) : -1;
    for (auto it = lite.counts.cbegin(); it != lite.counts.cend(); ++it)
        if (pg.counts.value(it.key(), -1) != it.value())
            say(u"  rows differ in %1: SQLite %2, PostgreSQL %3"_s.arg(it.key())
                    .arg(it.value())
                    .arg(pg.counts.value(it.key(), -1)));

    if (!timeQueries(file, words, chains, runs, &lite) ||
        !timeQueries(url, words, chains, runs, &pg))
        return 2;
    Figures analyzed = pg;
    if (!db.exec("ANALYZE") || !timeQueries(url, words, chains, runs, &analyzed)) {
        say(db.errorString());
        return 2;
    }

    say(u"\n%1, same input, same build"_s.arg(parser.isSet(u"demo"_s) ? demo
                                                                      : u"Scale "_s + scale));
    report(u"SQLite"_s, lite, words);
    report(u"PostgreSQL"_s, pg, words);
    say(u"  after ANALYZE: chain lookup %1; \"%2\" %3; \"%4\" %5"_s.arg(
        ms(analyzed.chain), words[0], ms(analyzed.common), words[1], ms(analyzed.rare)));
    say(u"PostgreSQL / SQLite: ingest time %1, size %2, chain %3, \"%4\" %5, \"%6\" %7"_s.arg(
        ratio(pg.ingestSecs, lite.ingestSecs), ratio(double(pg.bytes), double(lite.bytes)),
        ratio(pg.chain.median, lite.chain.median), words[0],
        ratio(pg.common.median, lite.common.median), words[1],
        ratio(pg.rare.median, lite.rare.median)));
    return 0;
}
