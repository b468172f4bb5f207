#pragma once

// An ingest measured in a child process of the benchmark, so that its peak resident memory
// (VmHWM in /proc/self/status) is its own: the benchmark starts itself again with
// `--ingest PATH[,PATH...] --db FILE`; the child ingests the paths, checks the runs as
// `tasktrail-cli ingest` does, and prints "milliseconds peak-kB records".
#include "ingest/ingestor.h"
#include "policy/storedspecs.h"
#include "store/recordstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <optional>

namespace IngestChild {

using namespace Qt::StringLiterals;

// A line of the benchmark's output, at once.
inline void say(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

// The options by which measure() starts the benchmark again as the child.
inline void addChildOptions(QCommandLineParser &parser)
{
    parser.addOption({u"ingest"_s, u"(child) Ingest these paths, comma-separated."_s, u"paths"_s});
    parser.addOption({u"db"_s, u"(child) Into this database."_s, u"file"_s});
}
inline bool isChild(const QCommandLineParser &parser)
{
    return parser.isSet(u"ingest"_s);
}

inline qint64 peakKb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// The child's work; its exit code.
inline int run(const QStringList &paths, const QString &db)
{
    using namespace Tasktrail;
    const auto fail = [](const QString &error) {
        std::fputs(qUtf8Printable(u"error: "_s + error + u'\n'), stdout);
        return 1;
    };
    QString error;
    const std::unique_ptr<RecordStore> store = openStore(db, &error);
    if (!store)
        return fail(error);
    Ingestor ingestor(*store);
    QElapsedTimer timer;
    timer.start();
    if (!ingestor.ingest(paths))
        return fail(ingestor.errorString());
    CheckCounts checked;
    if (!checkAfterIngest(*store, ingestor.runKeys(), ingestor.newPolicyDocuments(), &checked,
                          &error))
        return fail(error);
    const QString result =
        u"%1 %2 %3\n"_s.arg(timer.elapsed()).arg(peakKb()).arg(ingestor.counts().ingested);
    std::fputs(qUtf8Printable(result), stdout);
    return 0;
}

// The child's work when the command line asks for it (isChild()).
inline int runChild(const QCommandLineParser &parser)
{
    return run(parser.value(u"ingest"_s).split(u','), parser.value(u"db"_s));
}

struct Result
{
    double seconds = 0;
    qint64 peakKb = 0;
    qint64 records = 0;
};

// Runs the child; nothing, with *error, when it fails.
inline std::optional<Result> measure(const QStringList &paths, const QString &db, QString *error)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(),
                {u"--ingest"_s, paths.join(u','), u"--db"_s, db});
    if (!child.waitForFinished(-1) || child.exitCode() != 0) {
        *error = u"ingest of %1 failed: %2"_s.arg(
            paths.join(u", "_s), QString::fromUtf8(child.readAllStandardOutput()).trimmed());
        return std::nullopt;
    }
    const QList<QByteArray> out = child.readAllStandardOutput().trimmed().split(' ');
    return Result{out.value(0).toDouble() / 1000, out.value(1).toLongLong(),
                  out.value(2).toLongLong()};
}

} // namespace IngestChild
