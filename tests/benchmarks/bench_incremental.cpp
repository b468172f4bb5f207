// Incremental re-ingest benchmark. Not a test: run it by hand.
//
//   bench_incremental [--scale 10] [--work DIR]
//
// Generates the demo set and splits it in two: the last 1% of the task records
// (records/tasks-*.jsonl, each line one task with its sessions and commands) and the log
// sections of those tasks' commands (logs/*.log) are the "new" part; everything else (the other
// tasks, requests, campaigns, GitHub JSON, the audit log, templates and policies) is the "old"
// part. Then it measures, each ingest in a child process as `tasktrail-cli ingest` runs it
// (ingest, then the conformance check of the touched runs):
//   1. the whole set into an empty database (the baseline);
//   2. the old part into another empty database;
//   3. the new part into that database: the incremental ingest, and its ratio to 1.
// For each it prints the time of the post-ingest steps: linking pull requests, correlating audit
// events, checking the runs.
#include "ingestchild.h"

#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "policy/storedspecs.h"
#include "store/recordstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>

#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;
using IngestChild::say;
using namespace Tasktrail;

namespace {

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// The child: ingests the paths and checks the touched runs; prints one JSON object.
int runChild(const QStringList &paths, const QString &db)
{
    const auto fail = [](const QString &error) {
        std::fputs(qUtf8Printable(u"error: "_s + error + u'\n'), stdout);
        return 1;
    };
    QString error;
    const std::unique_ptr<RecordStore> store = openStore(db, &error);
    if (!store)
        return fail(error);
    Ingestor ingestor(*store);
    QElapsedTimer total;
    total.start();
    if (!ingestor.ingest(paths))
        return fail(ingestor.errorString());
    const double ingestMs = msSince(total);
    QElapsedTimer checks;
    checks.start();
    CheckCounts checked;
    if (!checkAfterIngest(*store, ingestor.runKeys(), ingestor.newPolicyDocuments(), &checked,
                          &error))
        return fail(error);
    const double checkMs = msSince(checks);
    const Ingestor::StepTimes steps = ingestor.stepTimes();
    const QJsonObject out{{u"total"_s, msSince(total)},
                          {u"ingest"_s, ingestMs},
                          {u"linkPullRequests"_s, steps.linkPullRequests},
                          {u"linkAuditEvents"_s, steps.linkAuditEvents},
                          {u"checks"_s, checkMs},
                          {u"checked"_s, checked.tasks},
                          {u"records"_s, double(ingestor.counts().ingested)}};
    std::fputs(QJsonDocument(out).toJson(QJsonDocument::Compact).constData(), stdout);
    return 0;
}

std::optional<QJsonObject> measure(const QString &dir, const QString &db, QString *error)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {u"--ingest"_s, dir, u"--db"_s, db});
    const QByteArray out = child.waitForFinished(-1) ? child.readAllStandardOutput() : QByteArray();
    if (child.exitCode() != 0 || !out.startsWith('{')) {
        *error = u"ingest of %1 failed: %2"_s.arg(dir, QString::fromUtf8(out).trimmed());
        return std::nullopt;
    }
    return QJsonDocument::fromJson(out).object();
}

QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

bool write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// Splits `demo` into `old` and `fresh` (see the top of the file); the new part's task count.
qsizetype split(const QString &demo, const QString &old, const QString &fresh, QString *error)
{
    QSet<QByteArray> newTasks;
    const QStringList files = filesUnder(demo);
    // Task records first: the logs are split by their tasks.
    for (const QString &path : files) {
        const QString rel = QDir(demo).relativeFilePath(path);
        if (!rel.startsWith(u"records/tasks-"_s))
            continue;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = u"cannot read %1"_s.arg(path);
            return -1;
        }
        QList<QByteArray> lines = f.readAll().split('\n');
        while (!lines.isEmpty() && lines.constLast().isEmpty())
            lines.removeLast();
        const qsizetype keep = lines.size() - qMax<qsizetype>(1, lines.size() / 100);
        QByteArray a, b;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            (i < keep ? a : b) += lines.at(i) + '\n';
            if (i >= keep)
                newTasks.insert(QJsonDocument::fromJson(lines.at(i))
                                    .object()
                                    .value(u"id"_s)
                                    .toString()
                                    .toUtf8());
        }
        if (!write(old + u'/' + rel, a) || !write(fresh + u'/' + rel, b)) {
            *error = u"cannot write the split of %1"_s.arg(rel);
            return -1;
        }
    }
    for (const QString &path : files) {
        const QString rel = QDir(demo).relativeFilePath(path);
        if (rel.startsWith(u"records/tasks-"_s))
            continue;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = u"cannot read %1"_s.arg(path);
            return -1;
        }
        const QByteArray bytes = f.readAll();
        bool ok = true;
        if (rel.startsWith(u"logs/"_s)) {
            // Sections start with "##[tasktrail] task=ID command=N".
            QByteArray a, b;
            bool toNew = false;
            QList<QByteArray> lines = bytes.split('\n');
            if (!lines.isEmpty() && lines.constLast().isEmpty())
                lines.removeLast();
            for (const QByteArray &line : std::as_const(lines)) {
                if (line.startsWith("##[tasktrail] task=")) {
                    const QByteArray id = line.mid(19).split(' ').value(0);
                    toNew = newTasks.contains(id);
                }
                (toNew ? b : a) += line + '\n';
            }
            ok = write(old + u'/' + rel, a) && (b.isEmpty() || write(fresh + u'/' + rel, b));
        } else {
            ok = write(old + u'/' + rel, bytes);
        }
        if (!ok) {
            *error = u"cannot write the split of %1"_s.arg(rel);
            return -1;
        }
    }
    return newTasks.size();
}

void removeDb(const QString &db)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(db + QLatin1String(suffix));
}

void report(const QString &what, const QJsonObject &r)
{
    say(u"  %1: %2 ms (%3 records, %4 runs checked); link PRs %5 ms, audit correlation %6 ms, "
        "checks %7 ms"_s.arg(what)
            .arg(r.value(u"total"_s).toDouble(), 0, 'f', 0)
            .arg(r.value(u"records"_s).toInt())
            .arg(r.value(u"checked"_s).toInt())
            .arg(r.value(u"linkPullRequests"_s).toDouble(), 0, 'f', 1)
            .arg(r.value(u"linkAuditEvents"_s).toDouble(), 0, 'f', 1)
            .arg(r.value(u"checks"_s).toDouble(), 0, 'f', 1));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Tasktrail incremental re-ingest benchmark"_s);
    parser.addHelpOption();
    parser.addOption({u"scale"_s, u"Demo scale (10: ~10k tasks)."_s, u"S"_s, u"10"_s});
    parser.addOption({u"work"_s, u"Working directory (default: a temporary one)."_s, u"DIR"_s});
    parser.addOption({u"ingest"_s, u"(child) Ingest this directory."_s, u"dir"_s});
    parser.addOption({u"db"_s, u"(child) Into this database."_s, u"file"_s});
    parser.process(app);
    if (parser.isSet(u"ingest"_s))
        return runChild({parser.value(u"ingest"_s)}, parser.value(u"db"_s));

    QTemporaryDir temp;
    const QString work = parser.isSet(u"work"_s) ? parser.value(u"work"_s) : temp.path();
    const double scale = parser.value(u"scale"_s).toDouble();
    const QString demo = work + u"/demo"_s;
    const QString old = work + u"/old"_s;
    const QString fresh = work + u"/new"_s;
    for (const QString &dir : {demo, old, fresh})
        QDir(dir).removeRecursively();

    say(u"Generating the demo set at scale %1 in %2"_s.arg(scale).arg(demo));
    DemoGenerator generator;
    QString error;
    if (!generator.generate({demo, scale, 20261124}, &error)) {
        say(error);
        return 2;
    }
    const qsizetype newTasks = split(demo, old, fresh, &error);
    if (newTasks < 0) {
        say(error);
        return 2;
    }
    say(u"  %1 tasks; the new part: %2 task records and their command logs"_s
            .arg(generator.summary().tasks)
            .arg(newTasks));

    const QString fullDb = work + u"/full.db"_s;
    const QString incDb = work + u"/incremental.db"_s;
    removeDb(fullDb);
    removeDb(incDb);
    const std::optional<QJsonObject> full = measure(demo, fullDb, &error);
    const std::optional<QJsonObject> first = full ? measure(old, incDb, &error) : std::nullopt;
    const std::optional<QJsonObject> second = first ? measure(fresh, incDb, &error) : std::nullopt;
    if (!second) {
        say(error);
        return 1;
    }
    say(u"Ingest and check (child processes):"_s);
    report(u"whole set       "_s, *full);
    report(u"old part (99%)  "_s, *first);
    report(u"new part (1%)   "_s, *second);
    const double ratio = second->value(u"total"_s).toDouble() / full->value(u"total"_s).toDouble();
    say(u"  new part / whole set: %1 (%2%)"_s.arg(ratio, 0, 'f', 4).arg(ratio * 100, 0, 'f', 2));
    return 0;
}
