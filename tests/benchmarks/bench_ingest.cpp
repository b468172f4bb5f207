// Ingest and query benchmark. Not a test: run it by hand, see README.md ("Benchmark").
//
//   bench_ingest [--scale 100] [--work DIR] [--demo DIR] [--logs-only]
//
// Generates the demo set, then measures in one run:
//   1. the sqlite3 shell's .import of the same log lines into a plain table (baseline);
//   2. a raw SQLite C-API loader doing the same indexing as Tasktrail (log table + FTS5), once
//      with FTS5's default settings and once with those of Tasktrail's log_fts (columnsize=0,
//      detail=none, sqliteschema.h's logIndexSettings), so the settings' own gain shows;
//   3. Tasktrail's ingest of the same log files, and of the whole demo set; the sizes of the
//      logs-only database and of the raw loaders' ones; full-text first page and full count of
//      a word, a phrase and a prefix on the default-settings raw database and on Tasktrail's;
//   4. each source of the demo set on its own (records, GitHub JSON, the audit log into the
//      records' database, logs): time, MB/s and peak resident memory, each in a child process;
//   5. the targets: the whole set's time, the logs' time, the largest peak of any ingest, the
//      logs database against the raw loader's and the evidence chain's share of the whole
//      set's database, each with its bound and whether this run met it;
//   6. chain lookup latency and the first page of a full-text query with ~1M hits;
//   7. when installed, lnav opening the same log files (it indexes every line each time it
//      opens them) and showing the messages with a word, and grep counting the lines with it:
//      tools that search without a stored index, on the same files in the same run.
// --demo reuses a demo set generated before (its scale is then the one it was made with);
// --logs-only measures steps 1 to 3 for the logs, the logs source alone of step 4, and the
// targets of step 5 that they give.
#include "ingestchild.h"

#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "store/recordstore.h"
#include "store/searchtokens.h"
#include "store/sqliteschema.h"
#include "store/sqlitestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;
using IngestChild::say;
using namespace Tasktrail;

namespace {

// CPU seconds of this process so far, all threads: on a machine shared with other work the
// wall time of a step says little, its CPU time more.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

QStringList logFiles(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir + u"/logs"_s, {u"*.log"_s}, QDir::Files);
    while (it.hasNext())
        files << it.next();
    std::sort(files.begin(), files.end());
    return files;
}

qint64 fileSize(const QString &path)
{
    qint64 size = QFileInfo(path).size();
    for (const char *suffix : {"-wal", "-shm"})
        size += QFileInfo(path + QLatin1String(suffix)).size();
    return size;
}

// All log lines without section headers, one per line: the input of the sqlite3 baseline.
qint64 writePlainLines(const QStringList &logs, const QString &out)
{
    QFile target(out);
    if (!target.open(QIODevice::WriteOnly))
        return -1;
    qint64 count = 0;
    for (const QString &path : logs) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        while (!f.atEnd()) {
            const QByteArray line = f.readLine();
            if (line.startsWith("##[tasktrail]"))
                continue;
            target.write(line);
            ++count;
        }
    }
    return count;
}

// A tool run on the benchmark's files, its standard output written to `out`: the wall time, or
// nullopt when the tool is not installed (`*installed` false) or failed, which is said: an exit
// status other than 0 (or 1 for grep: no line matched). Each run gets a new configuration
// directory of its own, so that neither a user's lnav formats nor what an earlier run saved
// change what it does, and one locale, whatever the user's.
std::optional<double> timeTool(const QString &program, const QStringList &args, const QString &work,
                               const QString &out, bool *installed = nullptr)
{
    const QString exe = QStandardPaths::findExecutable(program);
    if (installed)
        *installed = !exe.isEmpty();
    if (exe.isEmpty())
        return std::nullopt;
    const QString config = work + u"/tool-config"_s;
    QDir(config).removeRecursively();
    QDir().mkpath(config);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_CONFIG_HOME"_s, config);
    env.insert(u"HOME"_s, config);
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    p.setProcessEnvironment(env);
    p.setStandardOutputFile(out);
    QElapsedTimer t;
    t.start();
    p.start(exe, args);
    const int lastGood = program == u"grep" ? 1 : 0;
    if (!p.waitForFinished(-1) || p.exitStatus() != QProcess::NormalExit ||
        p.exitCode() > lastGood) {
        say(u"%1 failed (status %2): %3"_s.arg(program)
                .arg(p.exitCode())
                .arg(QString::fromUtf8(p.readAllStandardError()).trimmed()));
        return std::nullopt;
    }
    return double(t.nsecsElapsed()) / 1e9;
}

// The sqlite3 shell's .import of the lines into a plain table, run as timeTool runs every tool
// (so a user's ~/.sqliterc changes nothing): its wall time, or -1.
double sqliteShellImport(const QString &lines, const QString &db, const QString &work)
{
    QFile::remove(db);
    bool installed = false;
    // ASCII mode: no CSV quoting; the unit separator never occurs in a log line.
    const std::optional<double> seconds = timeTool(
        u"sqlite3"_s,
        {db, u"PRAGMA journal_mode=WAL"_s, u"CREATE TABLE line(text TEXT)"_s, u".mode ascii"_s,
         u".separator \"\\037\" \"\\n\""_s, u".import "_s + lines + u" line"_s},
        work, QProcess::nullDevice(), &installed);
    if (!installed)
        say(u"sqlite3 .import failed: sqlite3 is not installed"_s);
    return seconds.value_or(-1);
}

// What a tool printed, as numbers: the sum of every line that is a number (grep -c's counts,
// lnav's count(*)) and the count of lines (lnav's filtered view).
struct ToolOutput
{
    qint64 sum = 0;
    qint64 lines = 0;
};

ToolOutput readToolOutput(const QString &path)
{
    ToolOutput result;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return result;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        ++result.lines;
        bool ok = false;
        const qint64 n = line.trimmed().toLongLong(&ok);
        if (ok)
            result.sum += n;
    }
    return result;
}

struct ToolTimes
{
    bool lnavInstalled = false;
    QString lnavVersion;
    std::optional<double> lnavOpen;
    qint64 lnavLines = 0;
    std::optional<double> lnavFilter;
    qint64 lnavShown = 0;
    std::optional<double> grep;
    qint64 grepLines = 0;
};

// lnav headless (-n): opening the files and counting every message it indexed (a line, or a
// line with the lines without a time stamp that follow it); then showing the messages with the
// benchmark's word anywhere in them, case-insensitive, colour codes left out (:filter-in), every
// shown line printed. grep counting the lines with the word, case-insensitive, as a whole word,
// colour codes left in, as the raw loaders' index matches it. Each is left out when its tool is
// not installed. lnav reports a failed command on its error output and still exits 0: a run
// that printed nothing failed.
ToolTimes timeTools(const QStringList &logs, const QString &work)
{
    ToolTimes times;
    const QString out = work + u"/tool-output.txt"_s;
    if (QFile version(out); timeTool(u"lnav"_s, {u"-V"_s}, work, out, &times.lnavInstalled) &&
                            version.open(QIODevice::ReadOnly))
        times.lnavVersion = QString::fromUtf8(version.readLine()).trimmed();
    const auto lnav = [&](const QString &command, qint64 *counted, bool sum) {
        std::optional<double> seconds =
            timeTool(u"lnav"_s, QStringList{u"-n"_s, u"-c"_s, command} + logs, work, out);
        if (seconds) {
            const ToolOutput output = readToolOutput(out);
            *counted = sum ? output.sum : output.lines;
            if (*counted == 0) {
                say(u"lnav printed nothing for %1"_s.arg(command));
                seconds.reset();
            }
        }
        return seconds;
    };
    if (times.lnavInstalled) {
        times.lnavOpen = lnav(u";SELECT count(*) FROM all_logs"_s, &times.lnavLines, true);
        times.lnavFilter = lnav(u":filter-in warning"_s, &times.lnavShown, false);
    }
    times.grep = timeTool(
        u"grep"_s, QStringList{u"-c"_s, u"-h"_s, u"-i"_s, u"-w"_s, u"warning"_s} + logs, work, out);
    if (times.grep)
        times.grepLines = readToolOutput(out).sum;
    QFile::remove(out);
    QDir(work + u"/tool-config"_s).removeRecursively();
    return times;
}

// The same schema and indexing as Tasktrail's log tables, loaded with nothing in between:
// read a line, bind it, step. Batches and pragmas as Tasktrail uses them.
// `tuned`: the index as Tasktrail's schema makes it (columnsize=0, detail=none,
// logIndexSettings), else FTS5's defaults.
double rawLoader(const QStringList &logs, const QString &dbPath, bool tuned, qint64 *rows)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(dbPath + QLatin1String(suffix));
    sqlite3 *db = nullptr;
    sqlite3_open(dbPath.toUtf8().constData(), &db);
    // Tasktrail's writer pragmas and log table; the tuned index leaves out column sizes.
    const QByteArray schema =
        QByteArrayLiteral("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                          "PRAGMA cache_size=-32768;"
                          "CREATE TABLE log_line (id INTEGER PRIMARY KEY, ts INTEGER, "
                          "text TEXT NOT NULL, ansi TEXT);"
                          "CREATE VIRTUAL TABLE log_fts USING fts5(text, "
                          "content='log_line', content_rowid='id'") +
        (tuned ? ", columnsize=0, detail=none);" : ");");
    sqlite3_exec(db, schema.constData(), nullptr, nullptr, nullptr);
    if (tuned) {
        sqlite3_stmt *set = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO log_fts (log_fts, rank) VALUES (?, ?)", -1, &set,
                           nullptr);
        for (const Fts5Setting &setting : logIndexSettings) {
            sqlite3_bind_text(set, 1, setting.name, -1, SQLITE_STATIC);
            sqlite3_bind_int(set, 2, setting.value);
            sqlite3_step(set);
            sqlite3_reset(set);
        }
        sqlite3_finalize(set);
    }
    sqlite3_stmt *ins = nullptr;
    sqlite3_stmt *fts = nullptr;
    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO log_line (id, ts, text) VALUES (?, ?, ?)", -1,
                       &ins, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO log_fts (rowid, text) VALUES (?, ?)", -1, &fts, nullptr);
    QElapsedTimer t;
    t.start();
    qint64 section = 0, lineNo = 0, n = 0;
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (const QString &path : logs) {
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        while (!f.atEnd()) {
            QByteArray line = f.readLine();
            line.chop(1);
            if (line.startsWith("##[tasktrail]")) {
                ++section;
                lineNo = 0;
                continue;
            }
            const qint64 id = (section << 32) | ++lineNo;
            sqlite3_bind_int64(ins, 1, id);
            sqlite3_bind_null(ins, 2);
            sqlite3_bind_text(ins, 3, line.constData(), int(line.size()), SQLITE_STATIC);
            sqlite3_step(ins);
            sqlite3_reset(ins);
            sqlite3_bind_int64(fts, 1, id);
            sqlite3_bind_text(fts, 2, line.constData(), int(line.size()), SQLITE_STATIC);
            sqlite3_step(fts);
            sqlite3_reset(fts);
            if (++n % 50000 == 0) {
                sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
                sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
            }
        }
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    const double secs = double(t.nsecsElapsed()) / 1e9;
    sqlite3_finalize(ins);
    sqlite3_finalize(fts);
    // Sizes are compared without the write-ahead log, as Tasktrail's are after it closes.
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    *rows = n;
    return secs;
}

double tasktrailIngest(const QStringList &paths, const QString &dbPath, IngestCounts *counts)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(dbPath + QLatin1String(suffix));
    QString error;
    auto store = openStore(dbPath, &error);
    if (!store) {
        say(error);
        return -1;
    }
    Ingestor ingestor(*store);
    QElapsedTimer t;
    t.start();
    if (!ingestor.ingest(paths))
        say(u"ingest failed: "_s + ingestor.errorString());
    *counts = ingestor.counts();
    return double(t.nsecsElapsed()) / 1e9;
}

struct Latency
{
    double median = 0;
    double p99 = 0;
};

template<typename F> Latency measure(int runs, F &&f)
{
    QList<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f(i);
        ms << double(t.nsecsElapsed()) / 1e6;
    }
    std::sort(ms.begin(), ms.end());
    return {ms.at(ms.size() / 2), ms.at(qMin(ms.size() - 1, qsizetype(ms.size() * 0.99)))};
}

qint64 treeSize(const QString &path)
{
    qint64 size = 0;
    QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        size += QFileInfo(it.next()).size();
    return size;
}

// A word, a phrase and a prefix, each common in the demo logs, as a person types them.
const char *const searchQueries[] = {"warning", "\"found 0 vulnerabilities\"", "deprec*"};

// The first page as Tasktrail's log search reads it (newest first), and the full count. An
// index with positions takes the FTS5 query the store builds from what was typed
// (SqliteStore::ftsQuery); one without (detail=none) the query of each token alone (a prefix
// written out as the few words it starts), its rows' text then checked for the phrases
// (TokenSearch), as SqliteStore::searchLogs does.
void searchTimes(const QString &label, const QString &dbPath)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(dbPath.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    const bool positions = fts5Detail(db, "log_fts") == "full";
    const SearchTokens tokens;
    for (const char *query : searchQueries) {
        const QString typed = QString::fromUtf8(query);
        const TokenSearch tokenSearch(searchTerms(typed), tokens);
        const QByteArray match =
            (positions ? SqliteStore::ftsQuery(typed) : tokenSearch.ftsQuery(db, "log_fts"))
                .toUtf8();
        const bool checkText = !positions && tokenSearch.checksText();
        sqlite3_stmt *rows = nullptr;
        sqlite3_stmt *count = nullptr;
        sqlite3_prepare_v2(db,
                           checkText ? "SELECT f.rowid, l.text FROM log_fts f JOIN log_line l ON "
                                       "l.id = f.rowid WHERE log_fts MATCH ? ORDER BY f.rowid DESC"
                                     : "SELECT rowid FROM log_fts WHERE log_fts MATCH ? "
                                       "ORDER BY rowid DESC",
                           -1, &rows, nullptr);
        sqlite3_prepare_v2(db, "SELECT count(*) FROM log_fts WHERE log_fts MATCH ?", -1, &count,
                           nullptr);
        // Rows found (up to `limit`, when positive), their text checked when it must be. The
        // full count is FTS5's own count(*) where no text is checked.
        const auto search = [&](qint64 limit) {
            qint64 found = 0;
            if (limit <= 0 && !checkText) {
                sqlite3_bind_text(count, 1, match.constData(), -1, SQLITE_STATIC);
                sqlite3_step(count);
                found = sqlite3_column_int64(count, 0);
                sqlite3_reset(count);
                return found;
            }
            sqlite3_bind_text(rows, 1, match.constData(), -1, SQLITE_STATIC);
            while ((limit <= 0 || found < limit) && sqlite3_step(rows) == SQLITE_ROW) {
                if (!checkText || tokenSearch.matches(QByteArrayView(
                                      static_cast<const char *>(sqlite3_column_blob(rows, 1)),
                                      sqlite3_column_bytes(rows, 1))))
                    ++found;
            }
            sqlite3_reset(rows);
            return found;
        };
        qint64 hits = 0;
        const Latency total = measure(5, [&](int) { hits = search(0); });
        const Latency first = measure(20, [&](int) { search(50); });
        say(u"  | %1 | %2 | %3 | %4 ms | %5 ms |"_s.arg(label, typed)
                .arg(hits)
                .arg(first.median, 0, 'f', 2)
                .arg(total.median, 0, 'f', 1));
        sqlite3_finalize(rows);
        sqlite3_finalize(count);
    }
    sqlite3_close(db);
}

// Each source alone, with the policies, in a child process: the audit log goes into a copy
// of the records' database, where its events have tasks to be linked to.
bool perSource(const QString &demo, const QString &work, bool logsOnly, qint64 *peakKb)
{
    say(u"\nEach source alone (child process per source; peak = VmHWM)"_s);
    say(u"  | source | input | time | MB/s | records | peak RSS |"_s);
    say(u"  |---|---|---|---|---|---|"_s);
    const QString policies = demo + u"/policies"_s;
    for (const char *name : {"records", "github", "audit", "logs"}) {
        const QString source = QLatin1StringView(name);
        if (logsOnly && source != u"logs")
            continue;
        const QString db = work + u"/source-"_s + source + u".db"_s;
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(db + QLatin1String(suffix));
        if (source == u"audit" && !QFile::copy(work + u"/source-records.db"_s, db)) {
            say(u"cannot copy the records' database to "_s + db);
            return false;
        }
        QString error;
        const auto result = IngestChild::measure({policies, demo + u'/' + source}, db, &error);
        if (!result) {
            say(error);
            return false;
        }
        const double inputMb = double(treeSize(demo + u'/' + source)) / 1e6;
        say(u"  | %1/ | %2 MB | %3 s | %4 | %5 | %6 MB |"_s.arg(source)
                .arg(inputMb, 0, 'f', 0)
                .arg(result->seconds, 0, 'f', 1)
                .arg(inputMb / result->seconds, 0, 'f', 1)
                .arg(result->records)
                .arg(double(result->peakKb) / 1024, 0, 'f', 0));
        *peakKb = std::max(*peakKb, result->peakKb);
    }
    return true;
}

// The evidence chain's share (its table and lookup index) of a database's pages, from
// SQLite's dbstat table; nullopt where the library lacks it.
std::optional<double> evidenceShare(const QString &path)
{
    sqlite3 *db = nullptr;
    std::optional<double> share;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(db,
                               "SELECT sum(pgsize) FILTER (WHERE name IN ('evidence', "
                               "'evidence_ref')), sum(pgsize) FROM dbstat",
                               -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int64(stmt, 1) > 0)
            share = double(sqlite3_column_int64(stmt, 0)) / double(sqlite3_column_int64(stmt, 1));
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return share;
}

// One line of the targets' summary: what was measured against what it must be.
void target(const QString &what, const QString &measured, bool met)
{
    say(u"  %1: %2 (%3)"_s.arg(what, measured, met ? u"met"_s : u"not met"_s));
}

QString mb(qint64 bytes)
{
    return QString::number(double(bytes) / 1e6, 'f', 1) + u" MB"_s;
}
QString rate(double rows, double secs)
{
    return QString::number(rows / secs / 1000.0, 'f', 0) + u"k rows/s"_s;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Tasktrail ingest and query benchmark"_s);
    parser.addHelpOption();
    parser.addOption(
        {u"scale"_s, u"Demo scale (100: ~100k tasks, ~5M log lines)."_s, u"S"_s, u"100"_s});
    parser.addOption({u"work"_s, u"Working directory (default: a temporary one)."_s, u"DIR"_s});
    parser.addOption({u"demo"_s, u"Use the demo set generated before in DIR."_s, u"DIR"_s});
    parser.addOption({u"logs-only"_s, u"Measure the logs only."_s});
    IngestChild::addChildOptions(parser);
    parser.process(app);
    if (IngestChild::isChild(parser))
        return IngestChild::runChild(parser);

    QTemporaryDir temp;
    const QString work = parser.isSet(u"work"_s) ? parser.value(u"work"_s) : temp.path();
    QDir().mkpath(work);
    const double scale = parser.value(u"scale"_s).toDouble();
    const bool logsOnly = parser.isSet(u"logs-only"_s);
    const QString demo = parser.isSet(u"demo"_s) ? parser.value(u"demo"_s) : work + u"/demo"_s;
    QString error;
    if (!parser.isSet(u"demo"_s)) {
        say(u"Generating the demo set at scale %1 in %2"_s.arg(scale).arg(demo));
        QDir(demo).removeRecursively();
        DemoGenerator generator;
        QElapsedTimer gen;
        gen.start();
        if (!generator.generate({demo, scale, 20261124}, &error)) {
            say(error);
            return 2;
        }
        const DemoSummary summary = generator.summary();
        say(u"  %1 tasks, %2 log lines, %3 files in %4 s"_s.arg(summary.tasks)
                .arg(summary.logLines)
                .arg(summary.files)
                .arg(double(gen.elapsed()) / 1000.0, 0, 'f', 1));
    } else {
        say(u"Using the demo set in %1"_s.arg(demo));
    }

    const QStringList logs = logFiles(demo);
    const QString lines = work + u"/lines.txt"_s;
    const qint64 lineCount = writePlainLines(logs, lines);

    const double shell = sqliteShellImport(lines, work + u"/baseline-shell.db"_s, work);
    qint64 rawRows = 0;
    const QString rawDefault = work + u"/baseline-raw.db"_s;
    const QString rawTuned = work + u"/baseline-raw-tuned.db"_s;
    double cpu = cpuSeconds();
    const double raw = rawLoader(logs, rawDefault, false, &rawRows);
    const double rawCpu = cpuSeconds() - cpu;
    cpu = cpuSeconds();
    const double rawNew = rawLoader(logs, rawTuned, true, &rawRows);
    const double rawNewCpu = cpuSeconds() - cpu;
    IngestCounts logCounts;
    const QString logsDb = work + u"/logs.db"_s;
    cpu = cpuSeconds();
    const double ours = tasktrailIngest(logs, logsDb, &logCounts);
    const double oursCpu = cpuSeconds() - cpu;
    const ToolTimes tools = timeTools(logs, work);
    const QString full = work + u"/full.db"_s;
    std::optional<IngestChild::Result> all;
    if (!logsOnly) {
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(full + QLatin1String(suffix));
        all = IngestChild::measure({demo}, full, &error);
        if (!all) {
            say(error);
            return 1;
        }
    }

    say(u"\nIngest of %1 log lines (same files, same run)"_s.arg(lineCount));
    say(u"  sqlite3 .import, plain table     %1 s  %2  (1.00x)"_s.arg(shell, 7, 'f', 2)
            .arg(rate(double(lineCount), shell)));
    say(u"  raw C-API loader, table + FTS5   %1 s  %2  (%3x the .import; FTS5 defaults)"_s
            .arg(raw, 7, 'f', 2)
            .arg(rate(double(rawRows), raw))
            .arg(raw / shell, 0, 'f', 2));
    say(u"  raw loader, Tasktrail's log_fts  %1 s  %2  (%3x the .import, %4x the default raw)"_s
            .arg(rawNew, 7, 'f', 2)
            .arg(rate(double(rawRows), rawNew))
            .arg(rawNew / shell, 0, 'f', 2)
            .arg(rawNew / raw, 0, 'f', 2));
    say(u"  Tasktrail ingest, table + FTS5   %1 s  %2  (%3x the raw loader, %4x the tuned raw, "
        "%5x the .import)"_s.arg(ours, 7, 'f', 2)
            .arg(rate(double(logCounts.ingested), ours))
            .arg(ours / raw, 0, 'f', 2)
            .arg(ours / rawNew, 0, 'f', 2)
            .arg(ours / shell, 0, 'f', 2));
    say(u"  CPU time (all threads): raw loader %1 s, tuned raw loader %2 s, Tasktrail %3 s "
        "(%4x the raw loader)"_s.arg(rawCpu, 0, 'f', 2)
            .arg(rawNewCpu, 0, 'f', 2)
            .arg(oursCpu, 0, 'f', 2)
            .arg(oursCpu / rawCpu, 0, 'f', 2));
    if (tools.lnavOpen)
        say(u"  %1 headless, open     %2 s  %3  (%4x the .import; %5 messages, indexed again each "
            "time it opens the files)"_s.arg(tools.lnavVersion)
                .arg(*tools.lnavOpen, 7, 'f', 2)
                .arg(rate(double(tools.lnavLines), *tools.lnavOpen))
                .arg(*tools.lnavOpen / shell, 0, 'f', 2)
                .arg(tools.lnavLines));
    else if (!tools.lnavInstalled)
        say(u"  lnav: not installed"_s);
    if (all)
        say(u"  Tasktrail full demo set, checked %1 s  %2 records + lines, peak RSS %3 MB"_s
                .arg(all->seconds, 7, 'f', 2)
                .arg(all->records)
                .arg(double(all->peakKb) / 1024, 0, 'f', 0));
    say(u"\nDatabase size: logs only %1 (%2x the raw loader, %3x the tuned raw loader); raw "
        "loader %4, tuned raw loader %5, .import %6"_s.arg(mb(fileSize(logsDb)))
            .arg(double(fileSize(logsDb)) / double(fileSize(rawDefault)), 0, 'f', 2)
            .arg(double(fileSize(logsDb)) / double(fileSize(rawTuned)), 0, 'f', 2)
            .arg(mb(fileSize(rawDefault)), mb(fileSize(rawTuned)),
                 mb(fileSize(work + u"/baseline-shell.db"_s))));
    if (all)
        say(u"Database size: full %1"_s.arg(mb(fileSize(full))));
    say(u"\nLog search, median (first page: 50 newest hits; count: every hit)"_s);
    say(u"  | database | query | hits | first page | count |"_s);
    say(u"  |---|---|---|---|---|"_s);
    searchTimes(u"raw loader, FTS5 defaults"_s, rawDefault);
    searchTimes(u"raw loader, Tasktrail's log_fts"_s, rawTuned);
    searchTimes(u"Tasktrail logs"_s, logsDb);
    say(u"  Without a stored index, \"warning\" (every line read each time):"_s);
    if (tools.grep)
        say(u"    grep -c -i -w, a whole word, colour codes left in: %1 s, %2 lines"_s
                .arg(*tools.grep, 0, 'f', 2)
                .arg(tools.grepLines));
    if (tools.lnavFilter)
        say(u"    lnav :filter-in, anywhere in a message, colour codes left out, opening the files "
            "and showing the messages: %1 s, %2 lines shown"_s.arg(*tools.lnavFilter, 0, 'f', 2)
                .arg(tools.lnavShown));
    qint64 peakKb = all ? all->peakKb : 0;
    if (!perSource(demo, work, logsOnly, &peakKb))
        return 1;

    // The targets, each from this run's figures.
    const double logsRatio = double(fileSize(logsDb)) / double(fileSize(rawDefault));
    say(u"\nTargets (their bounds are for the scale-100 set)"_s);
    if (all)
        target(u"whole demo set under 60 s"_s, u"%1 s"_s.arg(all->seconds, 0, 'f', 1),
               all->seconds < 60);
    target(u"logs with full-text search under 30 s"_s, u"%1 s"_s.arg(ours, 0, 'f', 1), ours < 30);
    target(u"peak RSS under 200 MB, any ingest above"_s,
           u"%1 MB"_s.arg(double(peakKb) / 1024, 0, 'f', 0), peakKb < 200 * 1024);
    target(u"logs database at most 1.2x the raw loader's"_s, u"%1x"_s.arg(logsRatio, 0, 'f', 2),
           logsRatio <= 1.2);
    if (all) {
        const std::optional<double> share = evidenceShare(full);
        if (share)
            target(u"evidence chain at most 10% of the whole set's database"_s,
                   u"%1%"_s.arg(*share * 100, 0, 'f', 1), *share <= 0.10);
        else
            say(u"  evidence chain's share: unknown (this SQLite has no dbstat table)"_s);
    }
    if (logsOnly)
        return 0;

    auto store = openStore(full, &error);
    TaskFilter none;
    QStringList ids;
    for (const TaskRow &row : store->tasks(none, 0, 5000))
        ids << row.id;
    QRandomGenerator rng(7);
    const Latency chain = measure(1000, [&](int) {
        const auto c = store->taskChain(ids.at(rng.bounded(qsizetype(ids.size()))));
        Q_UNUSED(c);
    });
    say(u"\nChain lookup (taskChain, 1000 random tasks): median %1 ms, p99 %2 ms"_s
            .arg(chain.median, 0, 'f', 3)
            .arg(chain.p99, 0, 'f', 3));

    sqlite3 *db = nullptr;
    sqlite3_open(full.toUtf8().constData(), &db);
    sqlite3_stmt *count = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM log_fts WHERE log_fts MATCH 'warning'", -1, &count,
                       nullptr);
    sqlite3_step(count);
    const qint64 hits = sqlite3_column_int64(count, 0);
    sqlite3_finalize(count);
    sqlite3_close(db);
    const Latency fts = measure(20, [&](int) {
        const auto page = store->search(u"warning"_s, 50);
        Q_UNUSED(page);
    });
    say(u"Full-text first page (search \"warning\", %1 hits, 50 shown): median %2 ms, p99 %3 ms"_s
            .arg(hits)
            .arg(fts.median, 0, 'f', 2)
            .arg(fts.p99, 0, 'f', 2));
    return 0;
}
