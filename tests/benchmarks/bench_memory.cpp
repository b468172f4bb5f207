// Peak memory of an ingest as its input grows. Not a test: run it by hand, see README.md
// ("Benchmark").
//
//   bench_memory [--mb 2048] [--task-mb 64] [--work DIR]
//
// Writes a GitHub audit log (one event per line) and a command log (Tasktrail's headers, a
// new command every 100,000 lines) of a quarter of the size and of the whole size, and task
// records (a task with four commands per line) of a quarter and the whole of --task-mb,
// ingests each into a fresh database in a child process, checks its runs, and prints time,
// MB/s and peak resident memory (VmHWM): flat memory means the two sizes peak alike.
#include "ingestchild.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

using namespace Qt::StringLiterals;
using IngestChild::say;

namespace {

constexpr const char *actions[] = {"git.clone",         "git.fetch",
                                   "git.push",          "pull_request.create",
                                   "repo.download_zip", "workflows.created_workflow_run"};
constexpr const char *actors[] = {"svc-migrations[bot]", "svc-repo-hygiene", "dpetrov", "mgarcia",
                                  "copilot-swe-agent[bot]"};

// `bytes` of audit events, as GitHub's audit-log streaming writes them.
bool writeAuditLog(const QString &path, qint64 bytes)
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    qint64 written = 0;
    const qint64 start = 1772163385105;
    for (qint64 i = 0; written < bytes; ++i) {
        const QByteArray line =
            "{\"@timestamp\":" + QByteArray::number(start + i * 37) + ",\"_document_id\":\"bm-" +
            QByteArray::number(i) + "\",\"action\":\"" + actions[i % std::size(actions)] +
            "\",\"actor\":\"" + actors[i % std::size(actors)] +
            "\",\"actor_is_bot\":false,\"created_at\":" + QByteArray::number(start + i * 37 + 500) +
            ",\"hashed_token\":\"" + QByteArray::number(i % 977).toBase64() +
            "\",\"org\":\"acme-platform\",\"programmatic_access_type\":\"GitHub App user-to-server "
            "token\",\"repository\":\"acme-platform/repo-" +
            QByteArray::number(i % 5000) +
            "\",\"token_id\":" + QByteArray::number(500000 + i % 977) +
            ",\"transport_protocol_name\":\"http\",\"user_agent\":\"git/2.43.0\"}\n";
        if (out.write(line) != line.size())
            return false;
        written += line.size();
    }
    return true;
}

// `bytes` of command output under Tasktrail's headers.
bool writeCommandLog(const QString &path, qint64 bytes)
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    qint64 written = 0;
    for (qint64 i = 0; written < bytes; ++i) {
        QByteArray line;
        if (i % 100000 == 0)
            line = "##[tasktrail] task=bench-memory-" + QByteArray::number(i / 1000000) +
                   " command=" + QByteArray::number(i / 100000 % 10 + 1) + "\n";
        line += "2026-03-02T00:15:23." + QByteArray::number(100 + i % 900) + "Z step " +
                QByteArray::number(i) + ": compiling module " + QByteArray::number(i % 733) +
                " of the workspace, warning count " + QByteArray::number(i % 17) +
                ", cache hit ratio 0." + QByteArray::number(i % 97) + "\n";
        if (out.write(line) != line.size())
            return false;
        written += line.size();
    }
    return true;
}

// `bytes` of Tasktrail task records (JSON Lines), each with its commands: every task is a key
// the linking and the check after the ingest take up.
bool writeTaskRecords(const QString &path, qint64 bytes)
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    qint64 written = 0;
    for (qint64 i = 0; written < bytes; ++i) {
        const QByteArray n = QByteArray::number(i);
        const QByteArray repo = "acme-platform/repo-" + QByteArray::number(i % 5000);
        QByteArray line = "{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"bench-task-" + n +
                          "\",\"repo\":\"" + repo +
                          "\",\"identity_id\":\"svc-migrations\",\"template_id\":\"deps-bump\","
                          "\"template_version\":\"1\",\"state\":\"completed\",\"prompt\":\"Bump "
                          "braces in " +
                          repo + "\",\"created_at\":\"2026-03-02T00:12:25Z\",\"commands\":[";
        for (int c = 1; c <= 4; ++c) {
            line += (c > 1 ? "," : "") + QByteArray("{\"seq\":") + QByteArray::number(c) +
                    ",\"argv\":[\"npm\",\"run\",\"step-" + QByteArray::number(c) +
                    "\"],\"cwd\":\"/home/runner/work/repo\",\"exit_code\":0,"
                    "\"started_at\":\"2026-03-02T00:15:2" +
                    QByteArray::number(c) + "Z\"}";
        }
        line += "]}\n";
        if (out.write(line) != line.size())
            return false;
        written += line.size();
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Tasktrail ingest memory benchmark"_s);
    parser.addHelpOption();
    parser.addOption(
        {u"mb"_s, u"The larger input's size in MB (default 2048)."_s, u"N"_s, u"2048"_s});
    parser.addOption({u"task-mb"_s,
                      u"The larger task-record input's size in MB (default 64): each task is "
                      "checked after the ingest, so it costs far more time per MB."_s,
                      u"N"_s, u"64"_s});
    parser.addOption({u"work"_s, u"Working directory (default: a temporary one)."_s, u"DIR"_s});
    IngestChild::addChildOptions(parser);
    parser.process(app);
    if (IngestChild::isChild(parser))
        return IngestChild::runChild(parser);

    QTemporaryDir temp;
    const QString work = parser.isSet(u"work"_s) ? parser.value(u"work"_s) : temp.path();
    QDir().mkpath(work);
    const qint64 mb = qMax(4, parser.value(u"mb"_s).toInt());
    const qint64 taskMb = qMax(4, parser.value(u"task-mb"_s).toInt());

    say(u"Peak resident memory of an ingest (child process per input; peak = VmHWM)"_s);
    say(u"  | input | size | time | MB/s | records | peak RSS |"_s);
    say(u"  |---|---|---|---|---|---|"_s);
    struct Input
    {
        const char *kind;
        QString file;
        bool (*write)(const QString &, qint64);
        qint64 mb;
    };
    const Input inputs[] = {{"audit log", u"/audit.ndjson"_s, writeAuditLog, mb},
                            {"command log", u"/commands.log"_s, writeCommandLog, mb},
                            {"task records", u"/tasks.jsonl"_s, writeTaskRecords, taskMb}};
    for (const Input &in : inputs) {
        const char *kind = in.kind;
        for (const qint64 size : {in.mb / 4, in.mb}) {
            const QString input = work + in.file;
            const qint64 bytes = size * 1000 * 1000;
            if (!in.write(input, bytes)) {
                say(u"cannot write "_s + input);
                return 1;
            }
            const QString db = work + u"/memory.db"_s;
            for (const char *suffix : {"", "-wal", "-shm"})
                QFile::remove(db + QLatin1String(suffix));
            QString error;
            const auto result = IngestChild::measure({input}, db, &error);
            QFile::remove(input);
            if (!result) {
                say(error);
                return 1;
            }
            say(u"  | %1 | %2 MB | %3 s | %4 | %5 | %6 MB |"_s.arg(QLatin1StringView(kind))
                    .arg(size)
                    .arg(result->seconds, 0, 'f', 1)
                    .arg(double(size) / result->seconds, 0, 'f', 1)
                    .arg(result->records)
                    .arg(double(result->peakKb) / 1024, 0, 'f', 0));
        }
    }
    return 0;
}
