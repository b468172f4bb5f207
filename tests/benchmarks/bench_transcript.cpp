// Transcript ingest benchmark. Not a test: run it by hand.
//
//   bench_transcript [--mb 20,200] [--work DIR] [--keep]
//
// For each size, writes a Claude Code session transcript of about that many megabytes into a
// temporary directory: an assistant record with a Bash tool_use, then the user record with its
// tool_result of 40 lines, repeated, and a closing answer. Then ingests it into a new database
// and checks the run, as `tasktrail-cli ingest` does, in a child process of this program, so
// that each size's peak resident memory (VmHWM in /proc/self/status) is its own, and prints the
// time, the MB/s and that peak. Memory that
// stays flat as the transcript grows is what this measures: the peak of a 200 MB transcript
// should be near that of a 20 MB one.
#include "ingest/ingestor.h"
#include "policy/storedspecs.h"
#include "store/recordstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

void say(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

qint64 peakKb()
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

QByteArray timestamp(qint64 n)
{
    const QDateTime at = QDateTime(QDate(2026, 3, 1), QTime(8, 0), Qt::UTC).addMSecs(n * 1500);
    return at.toString(Qt::ISODateWithMs).toLatin1();
}

// One record of the session, linked to the one before it.
QByteArray record(const char *type, qint64 n, const QByteArray &message)
{
    return R"({"type":")" + QByteArray(type) +
           R"(","sessionId":"5f0c6a1e-2c4d-4b8e-9a51-0d3f6b7c8e90","uuid":"u-)" +
           QByteArray::number(n) + R"(","parentUuid":"u-)" + QByteArray::number(n - 1) +
           R"(","cwd":"/home/dev/work/app","gitBranch":"main","timestamp":")" + timestamp(n) +
           R"(","isSidechain":false,"message":)" + message + "}\n";
}

// A transcript of at least `bytes`: tool call, 40-line result, repeated.
bool writeTranscript(const QString &path, qint64 bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    qint64 written = 0;
    qint64 n = 0;
    for (qint64 call = 1; written < bytes; ++call) {
        const QByteArray id = "toolu_" + QByteArray::number(call);
        const QByteArray use =
            R"({"id":"msg_)" + QByteArray::number(call) +
            R"(","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"tool_use","id":")" +
            id + R"(","name":"Bash","input":{"command":"make -C build check TEST=)" +
            QByteArray::number(call) + R"("}}],"usage":{"input_tokens":1200,"output_tokens":40}})";
        QByteArray output;
        for (int line = 1; line <= 40; ++line)
            output += "[" + QByteArray::number(line) + "/40] build/module_" +
                      QByteArray::number(line) + ".o: compiled src/module_" +
                      QByteArray::number(line) + ".cpp for test " + QByteArray::number(call) +
                      (line < 40 ? "\\n" : "");
        const QByteArray result =
            R"({"role":"user","content":[{"type":"tool_result","tool_use_id":")" + id +
            R"(","content":")" + output + R"(","is_error":false}]})";
        n += 2;
        const QByteArray pair = record("assistant", n - 1, use) + record("user", n, result);
        if (file.write(pair) != pair.size())
            return false;
        written += pair.size();
    }
    const QByteArray end = record(
        "assistant", ++n,
        R"({"id":"msg_end","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Every test passes."}]})");
    return file.write(end) == end.size();
}

// The child: ingests one file into a new database, then checks the run as `tasktrail-cli
// ingest` does, and prints "milliseconds peak-kB records".
int ingestChild(const QString &file, const QString &db)
{
    QString error;
    const std::unique_ptr<RecordStore> store = openStore(db, &error);
    if (!store) {
        say(u"error: "_s + error);
        return 1;
    }
    Ingestor ingestor(*store);
    QElapsedTimer timer;
    timer.start();
    if (!ingestor.ingest({file})) {
        say(u"error: "_s + ingestor.errorString());
        return 1;
    }
    CheckCounts checked;
    if (!checkAfterIngest(*store, ingestor.touchedTaskIds(), ingestor.policyDocuments(), &checked,
                          &error)) {
        say(u"error: "_s + error);
        return 1;
    }
    const qint64 ms = timer.elapsed();
    say(u"%1 %2 %3"_s.arg(ms).arg(peakKb()).arg(ingestor.counts().ingested));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption sizesOption(u"mb"_s, u"Transcript sizes in MB, comma-separated."_s,
                                         u"list"_s, u"20,200"_s);
    const QCommandLineOption workOption(u"work"_s, u"Working directory."_s, u"dir"_s);
    const QCommandLineOption keepOption(u"keep"_s, u"Keep the transcripts and databases."_s);
    const QCommandLineOption ingestOption(u"ingest"_s, u"(child) Ingest this file."_s, u"file"_s);
    const QCommandLineOption dbOption(u"db"_s, u"(child) Into this database."_s, u"file"_s);
    parser.addOptions({sizesOption, workOption, keepOption, ingestOption, dbOption});
    parser.process(app);
    if (parser.isSet(ingestOption))
        return ingestChild(parser.value(ingestOption), parser.value(dbOption));

    QTemporaryDir temp(parser.isSet(workOption) ? parser.value(workOption) + u"/bench-XXXXXX"_s
                                                : QString());
    temp.setAutoRemove(!parser.isSet(keepOption));
    if (!temp.isValid()) {
        say(u"cannot make a directory: "_s + temp.errorString());
        return 1;
    }
    for (const QString &size : parser.value(sizesOption).split(u',')) {
        bool ok = false;
        const double mb = size.toDouble(&ok);
        if (!ok || mb <= 0 || mb > 100'000) {
            say(u"not a size in MB: "_s + size);
            return 2;
        }
        const QString file = temp.filePath(u"session-%1mb.jsonl"_s.arg(size));
        if (!writeTranscript(file, qint64(mb * 1024 * 1024))) {
            say(u"cannot write "_s + file);
            return 1;
        }
        const qint64 bytes = QFile(file).size();
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    {u"--ingest"_s, file, u"--db"_s, temp.filePath(u"%1mb.db"_s.arg(size))});
        if (!child.waitForFinished(-1) || child.exitCode() != 0) {
            say(u"ingest of %1 failed: %2"_s.arg(file,
                                                 QString::fromUtf8(child.readAllStandardOutput())));
            return 1;
        }
        const QList<QByteArray> result = child.readAllStandardOutput().trimmed().split(' ');
        const double seconds = result.value(0).toDouble() / 1000;
        const double fileMb = double(bytes) / (1024 * 1024);
        say(u"%1 MB transcript: %2 s, %3 MB/s, %4 records, peak RSS %5 MB"_s.arg(fileMb, 0, 'f', 1)
                .arg(seconds, 0, 'f', 1)
                .arg(seconds > 0 ? fileMb / seconds : 0, 0, 'f', 2)
                .arg(QString::fromLatin1(result.value(2)))
                .arg(double(result.value(1).toLongLong()) / 1024, 0, 'f', 0));
        if (!parser.isSet(keepOption)) {
            QFile::remove(file);
            QFile::remove(temp.filePath(u"%1mb.db"_s.arg(size)));
        }
    }
    return 0;
}
