// Transcript ingest benchmark, run by hand; with --check, ctest runs it at small sizes.
//
//   bench_transcript [--mb 20,200] [--format claude,swe,openhands,inspect,otlp] [--work DIR]
//                    [--keep] [--check MB]
//
// For each format and size, writes a transcript of about that many megabytes into a
// temporary directory, each a shell command with its output of 40 lines, repeated: a Claude
// Code session (an assistant record with a Bash tool_use, then the user record with its
// tool_result, and a closing answer), a SWE-agent trajectory (one step per command, pretty
// printed), an OpenHands event list (a run action and its observation), an Inspect AI .json
// log (one sample, so one task, per 50 commands) or OTLP JSON traces (one TracesData line per
// trace: an invoke_agent span and 50 execute_tool spans). With --check, it fails when the peak
// of the largest size exceeds that of the smallest by more than MB. Then ingests it into a new
// database and checks the run, as `tasktrail-cli ingest` does, in a child process of this program,
// so that each size's peak resident memory (VmHWM in /proc/self/status) is its own, and prints the
// time, the MB/s and that peak. Memory that
// stays flat as the transcript grows is what this measures: the peak of a 200 MB transcript
// should be near that of a 20 MB one.
#include "ingestchild.h"

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

QByteArray commandOutput(qint64 call)
{
    QByteArray output;
    for (int line = 1; line <= 40; ++line)
        output += "[" + QByteArray::number(line) + "/40] build/module_" + QByteArray::number(line) +
                  ".o: compiled src/module_" + QByteArray::number(line) + ".cpp for test " +
                  QByteArray::number(call) + (line < 40 ? "\\n" : "");
    return output;
}

QByteArray nanos(qint64 n)
{
    return QByteArray::number((qint64(1772352000) + n) * 1000000000);
}

// The other formats: an opening, one piece per command, a separator and a closing.
struct Shape
{
    QByteArray open;
    QByteArray (*piece)(qint64 call);
    QByteArray separator;
    QByteArray close;
};

QByteArray swePiece(qint64 call)
{
    return R"(  {"response": "Run the tests.", "thought": "Run the tests.", "action": "make check TEST=)" +
           QByteArray::number(call) + R"(", "observation": ")" + commandOutput(call) +
           R"(", "execution_time": 0.5, "state": {"working_dir": "/app", "open_file": "n/a"}})";
}

QByteArray openHandsPiece(qint64 call)
{
    const QByteArray id = QByteArray::number(2 * call);
    return R"(  {"id": )" + id + R"(, "timestamp": ")" + timestamp(2 * call) +
           R"(", "source": "agent", "action": "run", "args": {"command": "make check TEST=)" +
           QByteArray::number(call) + R"(", "thought": ""}},)" + "\n" + R"(  {"id": )" +
           QByteArray::number(2 * call + 1) + R"(, "timestamp": ")" + timestamp(2 * call + 1) +
           R"(", "source": "environment", "observation": "run", "cause": )" + id +
           R"(, "content": ")" + commandOutput(call) +
           R"(", "extras": {"command": "make check", "metadata": {"exit_code": 0}}})";
}

QByteArray inspectEvent(qint64 call)
{
    return R"({"event": "tool", "id": "call_)" + QByteArray::number(call) + R"(", "timestamp": ")" +
           timestamp(call) + R"(Z", "function": "bash", "arguments": {"cmd": "make check TEST=)" +
           QByteArray::number(call) + R"("}, "result": ")" + commandOutput(call) + R"("})";
}

QByteArray inspectPiece(qint64 sample)
{
    QByteArray events;
    for (qint64 call = sample * 50; call < sample * 50 + 50; ++call)
        events += (events.isEmpty() ? "" : ", ") + inspectEvent(call);
    return R"(  {"id": ")" + QByteArray::number(sample) +
           R"(", "epoch": 1, "input": "Fix the build.", "target": "", "messages": [], "events": [)" +
           events + "]}";
}

QByteArray otlpSpan(const QByteArray &trace, qint64 span, qint64 parent, const QByteArray &name,
                    const QByteArray &attributes)
{
    const auto hex16 = [](qint64 n) { return QByteArray::number(n, 16).rightJustified(16, '0'); };
    return R"({"traceId":")" + trace + R"(","spanId":")" + hex16(span) + R"(","parentSpanId":")" +
           (parent > 0 ? hex16(parent) : QByteArray()) + R"(","name":")" + name +
           R"(","startTimeUnixNano":")" + nanos(span) + R"(","endTimeUnixNano":")" +
           nanos(span + 1) + R"(","attributes":[)" + attributes + "]}";
}

QByteArray otlpAttribute(const char *key, const QByteArray &value)
{
    return R"({"key":")" + QByteArray(key) + R"(","value":{"stringValue":")" + value + R"("}})";
}

QByteArray otlpPiece(qint64 trace)
{
    const QByteArray id = QByteArray::number(trace + 1, 16).rightJustified(32, '0');
    const qint64 root = trace * 100 + 1;
    QByteArray spans;
    for (qint64 call = 1; call <= 50; ++call) {
        const qint64 n = trace * 50 + call;
        spans +=
            otlpSpan(id, root + call, root, "execute_tool bash",
                     otlpAttribute("gen_ai.operation.name", "execute_tool") + "," +
                         otlpAttribute("gen_ai.tool.name", "bash") + "," +
                         otlpAttribute("gen_ai.tool.call.id", "call_" + QByteArray::number(n)) +
                         "," +
                         otlpAttribute("gen_ai.tool.call.arguments",
                                       R"({\"command\":\"make check TEST=)" +
                                           QByteArray::number(n) + R"(\"})") +
                         "," + otlpAttribute("gen_ai.tool.call.result", commandOutput(n))) +
            ",";
    }
    spans += otlpSpan(id, root, 0, "invoke_agent Builder",
                      otlpAttribute("gen_ai.operation.name", "invoke_agent") + "," +
                          otlpAttribute("gen_ai.agent.name", "Builder") + "," +
                          otlpAttribute("gen_ai.request.model", "gpt-5"));
    return R"({"resourceSpans":[{"resource":{"attributes":[)" +
           otlpAttribute("service.name", "bench-agent") + R"(]},"scopeSpans":[{"spans":[)" + spans +
           "]}]}]}";
}

Shape shapeOf(const QString &format)
{
    if (format == u"swe")
        return {R"({"environment": "bench", "trajectory": [)"
                "\n",
                swePiece, ",\n",
                "\n ],\n \"history\": [{\"role\": \"system\", \"content\": \"You fix builds.\"}, "
                "{\"role\": \"user\", \"content\": \"Fix the build.\"}],\n \"info\": "
                "{\"exit_status\": \"submitted\", \"submission\": \"\", \"model_stats\": "
                "{\"tokens_sent\": 1200}},\n \"replay_config\": {\"problem_statement\": {\"id\": "
                "\"bench__app-1\"}}}\n"};
    if (format == u"openhands")
        return {"[\n", openHandsPiece, ",\n", "\n]\n"};
    if (format == u"inspect")
        return {
            R"({"version": 2, "status": "success", "eval": {"eval_id": "bench", "task": "build", "model": "openai/gpt-5", "created": "2026-03-01T08:00:00+00:00"}, "samples": [)"
            "\n",
            inspectPiece, ",\n", "\n]}\n"};
    return {{}, otlpPiece, "\n", "\n"};
}

bool writeShaped(const QString &path, const Shape &shape, qint64 bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(shape.open) != shape.open.size())
        return false;
    qint64 written = 0;
    for (qint64 n = 1; written < bytes; ++n) {
        const QByteArray piece = (n > 1 ? shape.separator : QByteArray()) + shape.piece(n);
        if (file.write(piece) != piece.size())
            return false;
        written += piece.size();
    }
    return file.write(shape.close) == shape.close.size();
}

bool writeFormat(const QString &format, const QString &path, qint64 bytes)
{
    return format == u"claude" ? writeTranscript(path, bytes)
                               : writeShaped(path, shapeOf(format), bytes);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption sizesOption(u"mb"_s, u"Transcript sizes in MB, comma-separated."_s,
                                         u"list"_s, u"20,200"_s);
    const QCommandLineOption formatOption(
        u"format"_s, u"Formats, comma-separated: claude, swe, openhands, inspect, otlp."_s,
        u"list"_s, u"claude"_s);
    const QCommandLineOption checkOption(
        u"check"_s, u"Fail when the peak grows by more than this many MB across the sizes."_s,
        u"mb"_s);
    const QCommandLineOption workOption(u"work"_s, u"Working directory."_s, u"dir"_s);
    const QCommandLineOption keepOption(u"keep"_s, u"Keep the transcripts and databases."_s);
    const QCommandLineOption ingestOption(u"ingest"_s, u"(child) Ingest this file."_s, u"file"_s);
    const QCommandLineOption dbOption(u"db"_s, u"(child) Into this database."_s, u"file"_s);
    parser.addOptions(
        {sizesOption, formatOption, checkOption, workOption, keepOption, ingestOption, dbOption});
    parser.process(app);
    if (parser.isSet(ingestOption))
        return IngestChild::run(parser.value(ingestOption).split(u','), parser.value(dbOption));

    QTemporaryDir temp(parser.isSet(workOption) ? parser.value(workOption) + u"/bench-XXXXXX"_s
                                                : QString());
    temp.setAutoRemove(!parser.isSet(keepOption));
    if (!temp.isValid()) {
        say(u"cannot make a directory: "_s + temp.errorString());
        return 1;
    }
    const QStringList formats = parser.value(formatOption).split(u',');
    for (const QString &format : formats) {
        if (format != u"claude" && format != u"swe" && format != u"openhands" &&
            format != u"inspect" && format != u"otlp") {
            say(u"not a format: "_s + format);
            return 2;
        }
    }
    bool bounded = true;
    for (const QString &format : formats) {
        qint64 smallest = -1;
        qint64 largest = -1;
        for (const QString &size : parser.value(sizesOption).split(u',')) {
            bool ok = false;
            const double mb = size.toDouble(&ok);
            if (!ok || mb <= 0 || mb > 100'000) {
                say(u"not a size in MB: "_s + size);
                return 2;
            }
            const QString file = temp.filePath(u"%1-%2mb"_s.arg(format, size));
            const QString db = temp.filePath(u"%1-%2mb.db"_s.arg(format, size));
            if (!writeFormat(format, file, qint64(mb * 1024 * 1024))) {
                say(u"cannot write "_s + file);
                return 1;
            }
            const qint64 bytes = QFile(file).size();
            QString error;
            const auto result = IngestChild::measure({file}, db, &error);
            if (!result) {
                say(error);
                return 1;
            }
            const double seconds = result->seconds;
            const double fileMb = double(bytes) / (1024 * 1024);
            const qint64 peak = result->peakKb;
            smallest = smallest < 0 ? peak : smallest;
            largest = peak;
            say(u"%1 %2 MB: %3 s, %4 MB/s, %5 records, peak RSS %6 MB"_s.arg(format)
                    .arg(fileMb, 0, 'f', 1)
                    .arg(seconds, 0, 'f', 1)
                    .arg(seconds > 0 ? fileMb / seconds : 0, 0, 'f', 2)
                    .arg(result->records)
                    .arg(double(peak) / 1024, 0, 'f', 0));
            if (result->records <= 0) {
                say(u"%1: nothing was ingested"_s.arg(file));
                return 1;
            }
            if (!parser.isSet(keepOption)) {
                QFile::remove(file);
                QFile::remove(db);
            }
        }
        if (parser.isSet(checkOption) &&
            largest - smallest > parser.value(checkOption).toLongLong() * 1024) {
            say(u"%1: the peak grew by %2 MB from the smallest size to the largest, more than "
                "%3 MB"_s.arg(format)
                    .arg((largest - smallest) / 1024)
                    .arg(parser.value(checkOption)));
            bounded = false;
        }
    }
    return bounded ? 0 : 1;
}
