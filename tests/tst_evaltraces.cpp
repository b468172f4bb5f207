// Evaluation logs and traces: Inspect AI logs (.json, and the .eval ZIP built here from the
// same samples) and OTLP JSON traces with GenAI agent and tool spans. Each sample, and each
// top-level invoke_agent span, becomes a task with its commands, files, contacts, tests,
// failures, usage and conversation.
#include "clirun.h"
#include "ingest/fileingest.h"
#include "ingest/inputformat.h"
#include "ingestfixture.h"
#include "query/recordjson.h"
#include "records/taskchain.h"
#include "text/jsonelements.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <zip.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::IngestFixture::Scene;

namespace {

const QString inspectTask = u"Ev7Qk2Lm9Rt4/bug-1/epoch-1"_s;
const QString inspectFailedTask = u"Ev7Qk2Lm9Rt4/3/epoch-1"_s;
const QString otelTask = u"4bf92f3577b34da6a3ce929d0e0e4736/00f067aa0ba902b7"_s;
const QString otelFailedTask = u"0af7651916cd43dd8448eb211c80319c/c4d5e6f708192a3b"_s;

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(TASKTRAIL_TEST_DATA) + u"/transcripts/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

using Members = QList<std::pair<QByteArray, QByteArray>>;

QByteArray makeZip(const Members &members)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *out = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_source_keep(out);
    zip_t *zip = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    if (!zip)
        qFatal("cannot create a zip");
    for (const auto &[path, text] : members) {
        zip_source_t *data = zip_source_buffer(zip, text.constData(), zip_uint64_t(text.size()), 0);
        if (zip_file_add(zip, path.constData(), data, ZIP_FL_ENC_UTF_8) < 0)
            qFatal("cannot add %s", path.constData());
    }
    if (zip_close(zip) != 0)
        qFatal("cannot write the zip");
    zip_stat_t stat;
    zip_source_stat(out, &stat);
    QByteArray bytes(qsizetype(stat.size), '\0');
    zip_source_open(out);
    zip_source_read(out, bytes.data(), stat.size);
    zip_source_close(out);
    zip_source_free(out);
    zip_error_fini(&error);
    return bytes;
}

// The .eval file Inspect would write for the samples of inspect-log.json, members in its
// order: the journal's start, one member per sample (each sample's bytes as they are in the
// .json, the malformed one too), then the header. `evalId` replaces the eval's id.
QByteArray evalArchive(const QString &evalId = {}, const Members &extra = {})
{
    const QByteArray document = fixture(u"inspect-log.json"_s);
    const qsizetype open = JsonElements::keyedArray(document, "samples");
    QJsonObject header = QJsonDocument::fromJson(document.left(open) + "[]}").object();
    header.remove(u"samples"_s);
    if (!evalId.isEmpty()) {
        QJsonObject spec = header.value(u"eval"_s).toObject();
        spec.insert(u"eval_id"_s, evalId);
        header.insert(u"eval"_s, spec);
    }
    Members members{{"_journal/start.json", QJsonDocument(header).toJson()}};
    const JsonElements::Scan scan = JsonElements::scanArray(document, open);
    for (const JsonElements::Element &element : scan.elements) {
        const QJsonObject sample = QJsonDocument::fromJson(element.bytes.toByteArray()).object();
        const QByteArray id =
            sample.isEmpty() ? "broken" : sample.value(u"id"_s).toVariant().toString().toUtf8();
        members.append({"samples/" + id + "_epoch_1.json", element.bytes.toByteArray()});
    }
    members += extra;
    members.append({"header.json", QJsonDocument(header).toJson()});
    return makeZip(members);
}

QJsonObject showJson(const QString &db, const QString &task)
{
    const CliRun::Run show =
        CliRun::cli({u"show"_s, u"--db"_s, db, u"--format"_s, u"json"_s, task});
    if (show.exitCode != 0)
        qWarning("show failed: %s", qPrintable(show.err));
    return QJsonDocument::fromJson(show.out.toUtf8()).object();
}

QStringList values(const QJsonArray &array, const QString &key)
{
    QStringList out;
    for (const QJsonValue &v : array) {
        const QJsonValue value = v.toObject().value(key);
        out << (value.isArray() ? value.toArray().toVariantList().value(0).toString()
                                : value.toVariant().toString());
    }
    return out;
}

} // namespace

class TestEvalTraces : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectedByContent_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("name");
        QTest::addColumn<InputFormat>("format");
        const QByteArray inspect = fixture(u"inspect-log.json"_s);
        const QByteArray otlp = fixture(u"otlp-traces.jsonl"_s);
        QTest::newRow("inspect json") << inspect << u"log.json"_s << InputFormat::InspectLog;
        QTest::newRow("inspect json, any name") << inspect << u"x.txt"_s << InputFormat::InspectLog;
        QTest::newRow("inspect json, compact")
            << QByteArray("{\"version\":2,\"status\":\"started\",\"eval\":{\"task\":\"t\"}}")
            << u"log.json"_s << InputFormat::InspectLog;
        QTest::newRow("inspect eval")
            << evalArchive() << u"log.eval"_s << InputFormat::InspectEvalLog;
        QTest::newRow("inspect eval, any name")
            << evalArchive() << u"logs_1.zip"_s << InputFormat::InspectEvalLog;
        QTest::newRow("actions archive, named .eval")
            << makeZip({{"1_build.txt", "x\n"}}) << u"log.eval"_s << InputFormat::ActionsRunArchive;
        QTest::newRow("otlp") << otlp << u"traces.jsonl"_s << InputFormat::OtlpTraces;
        QTest::newRow("otlp, any name") << otlp << u"export.log"_s << InputFormat::OtlpTraces;
        QTest::newRow("json named eval") << QByteArray("{\"version\":2,\"status\":\"success\"}")
                                         << u"x.eval"_s << InputFormat::GitHubJson;
        QTest::newRow("unknown json lines")
            << QByteArray("{\"a\":1}\n{\"b\":2}\n") << u"x.jsonl"_s << InputFormat::Unreadable;
    }
    void detectedByContent()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, name);
        QFETCH(InputFormat, format);
        QCOMPARE(detectInputFormat(content, name, true).format, format);
    }

    // A file Tasktrail cannot read gets one message, and it names every format read.
    void oneMessageNamesEveryFormat_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("unknown JSON lines") << QByteArray("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
        QTest::newRow("unknown JSON object") << QByteArray("{\"weather\": \"sunny\"}\n");
        QTest::newRow("plain text") << QByteArray("hello\nworld\n");
        QTest::newRow("binary") << QByteArray("\x01\x02\x00\x03\x00\x00\x05", 7);
    }
    void oneMessageNamesEveryFormat()
    {
        QFETCH(QByteArray, content);
        Scene scene;
        const auto run = scene.ingest({scene.write(u"mystery.jsonl"_s, content)});
        QVERIFY(run.ok);
        QCOMPARE(run.issues.size(), 1);
        const QString message = run.issues.constFirst().toString();
        for (const QString &format :
             {u"its own JSON lines"_s, u"GitHub JSON"_s, u"GitHub audit logs"_s,
              u"GitHub Actions job logs"_s, u"Copilot session logs"_s,
              u"Claude Code session transcripts"_s, u"Codex CLI rollouts"_s,
              u"SWE-agent trajectories"_s, u"OpenHands trajectories"_s,
              u"Inspect AI logs (.json)"_s, u"OpenTelemetry traces (OTLP JSON lines)"_s,
              u"command logs"_s, u"GitHub Actions log archives"_s, u"Inspect AI logs (.eval)"_s})
            QVERIFY2(message.contains(format), qPrintable(format % u" in: "_s % message));
    }

    // The same for every format: a malformed element in the middle is reported at its place
    // and the rest is read; a secret in a tool's output is redacted in the chain, the logs and
    // search; the evidence verifies; ingesting again changes nothing.
    void commonGuarantees_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("issues"); // each an issue's start, after the file's path
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("secret");
        QTest::newRow("inspect json")
            << u"log.json"_s << fixture(u"inspect-log.json"_s)
            << QStringList{u":20: sample 1: event 5 is a string, not an object"_s,
                           u":61: sample 2: "_s}
            << inspectTask << u"Zx9Cv8Bn7Mq6Wl5Ek4Rj3Th2Yg1Uf0Id9Os8"_s;
        QTest::newRow("inspect eval")
            << u"log.eval"_s << evalArchive()
            << QStringList{u": samples/bug-1_epoch_1.json: event 5 is a string"_s,
                           u": samples/broken_epoch_1.json:4: invalid JSON"_s}
            << inspectTask << u"Zx9Cv8Bn7Mq6Wl5Ek4Rj3Th2Yg1Uf0Id9Os8"_s;
        QTest::newRow("otlp") << u"traces.jsonl"_s << fixture(u"otlp-traces.jsonl"_s)
                              << QStringList{u":2: invalid JSON"_s,
                                             u":3: span 6 (execute_tool bash): endTimeUnixNano: "
                                             "'99999999999999999999' is not a time"_s}
                              << otelTask << u"Pl0Ok9Ij8Uh7Yg6Tf5Rd4Es3Wa2Qz1Xc0Vb9"_s;
    }
    void commonGuarantees()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QStringList, issues);
        QFETCH(QString, task);
        QFETCH(QString, secret);
        Scene scene;
        const QString path = scene.write(file, content);
        const auto run = scene.ingest({path});
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.rejected, issues.size());
        QStringList reported = run.describe();
        reported.removeIf([](const QString &s) { return s.contains(u": warning: "_s); });
        QCOMPARE(reported.size(), issues.size());
        for (qsizetype i = 0; i < issues.size(); ++i)
            QVERIFY2(reported.at(i).startsWith(path % issues.at(i)), qPrintable(reported.at(i)));
        QVERIFY(run.counts.redactions > 0);

        const auto chain = scene.store().taskChain(task);
        QVERIFY(chain);
        QCOMPARE(scene.store().stats().tasks, 2); // the sample or trace after the bad one too
        const QByteArray json =
            QJsonDocument(RecordJson::chain(*chain)).toJson(QJsonDocument::Compact);
        QVERIFY(!json.contains(secret.toUtf8()));
        QVERIFY(json.contains("[REDACTED"));
        QByteArray logs;
        for (const auto &command : chain->commands)
            logs += scene.lines(task, command.record.seq).join('\n');
        QVERIFY(logs.contains("[REDACTED"));
        QVERIFY(!logs.contains(secret.toUtf8()));
        QVERIFY(scene.store().search(secret, 10).isEmpty());
        const EvidenceReport report = scene.store().verifyEvidence({});
        QVERIFY2(report.intact(), qPrintable(report.error));

        const StoreStats before = scene.store().stats();
        const auto again = scene.ingest({path});
        QCOMPARE(again.counts.ingested, 0);
        QVERIFY(again.counts.duplicates > 0);
        const StoreStats after = scene.store().stats();
        QCOMPARE(after.tasks, before.tasks);
        QCOMPARE(after.commands, before.commands);
        QCOMPARE(after.logLines, before.logLines);
        QCOMPARE(after.evidenceEntries, before.evidenceEntries);
        QCOMPARE(after.evidenceHead, before.evidenceHead);
        QCOMPARE(QJsonDocument(RecordJson::chain(*scene.store().taskChain(task)))
                     .toJson(QJsonDocument::Compact),
                 json);
    }

    void inspectChain_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("json") << u"log.json"_s << fixture(u"inspect-log.json"_s);
        QTest::newRow("eval") << u"log.eval"_s << evalArchive();
    }
    void inspectChain()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        Scene scene;
        const QString path = scene.write(file, content);
        QCOMPARE(CliRun::cli({u"ingest"_s, u"--db"_s, scene.dbPath(), u"--quiet"_s, path}).exitCode,
                 1); // malformed elements were rejected
        const QJsonObject chain = showJson(scene.dbPath(), inspectTask);
        const QJsonObject task = chain.value(u"task"_s).toObject();
        QCOMPARE(task.value(u"id"_s).toString(), inspectTask);
        QCOMPARE(task.value(u"source"_s).toString(), u"inspect"_s);
        QCOMPARE(task.value(u"repo"_s).toString(), u"acme/widget"_s);
        QCOMPARE(task.value(u"head_sha"_s).toString(),
                 u"9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d"_s);
        QCOMPARE(task.value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(task.value(u"prompt"_s).toString(),
                 u"The parser crashes on empty input. Fix it and run the tests."_s);
        QCOMPARE(task.value(u"started_at"_s).toString(), u"2026-03-02T10:00:02.000Z"_s);
        QCOMPARE(task.value(u"completed_at"_s).toString(), u"2026-03-02T10:01:30.000Z"_s);
        const QJsonObject usage = task.value(u"usage"_s).toObject();
        QCOMPARE(usage.value(u"input_tokens"_s).toInteger(), 3100);
        QCOMPARE(usage.value(u"output_tokens"_s).toInteger(), 420);
        QCOMPARE(usage.value(u"input_tokens_cache_read"_s).toInteger(), 1024);
        const QJsonArray sessions = task.value(u"sessions"_s).toArray();
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(sessions.at(0).toObject().value(u"model"_s).toString(), u"openai/gpt-4o"_s);
        QCOMPARE(sessions.at(0).toObject().value(u"state"_s).toString(), u"completed"_s);

        // Every bash call is a command with its event's times; Inspect records no exit code.
        const QJsonArray commands = chain.value(u"commands"_s).toArray();
        QCOMPARE(values(commands, u"argv"_s).size(), 3);
        const QJsonObject first = commands.at(0).toObject();
        QCOMPARE(first.value(u"argv"_s).toArray(),
                 QJsonArray{u"cd /repo && python -m pytest -q"_s});
        QCOMPARE(first.value(u"started_at"_s).toString(), u"2026-03-02T10:00:05.250Z"_s);
        QCOMPARE(first.value(u"ended_at"_s).toString(), u"2026-03-02T10:00:09.500Z"_s);
        QVERIFY(!first.contains(u"exit_code"_s));
        QCOMPARE(first.value(u"log_lines"_s).toInt(), 4); // the attachment the result refers to
        QCOMPARE(scene.lines(inspectTask, 1).at(1),
                 "FAILED tests/test_parser.py::test_empty - IndexError: list index out of range");
        QCOMPARE(scene.lines(inspectTask, 2),
                 QByteArrayList{"Command timed out before completing."});
        QCOMPARE(scene.lines(inspectTask, 3), (QByteArrayList{"....", "4 passed in 0.21s"}));

        const QJsonArray failures = task.value(u"failures"_s).toArray();
        QCOMPARE(failures.size(), 1);
        QCOMPARE(failures.at(0).toObject().value(u"kind"_s).toString(), u"timeout"_s);
        QCOMPARE(failures.at(0).toObject().value(u"seq"_s).toInt(), 2);
        QCOMPARE(failures.at(0).toObject().value(u"message"_s).toString(),
                 u"Command timed out before completing."_s);
        // The scorer's verdict, and the test command: Inspect's bash gives no exit code, so its
        // outcome is the runner's last summary ("FAILED ..." first, then "4 passed").
        const QJsonArray tests = task.value(u"tests"_s).toArray();
        QMap<QString, QString> outcomes;
        for (const QJsonValue &t : tests)
            outcomes.insert(t.toObject().value(u"name"_s).toString(),
                            t.toObject().value(u"outcome"_s).toString());
        QCOMPARE(outcomes,
                 (QMap<QString, QString>{{u"score: includes"_s, u"passed"_s},
                                         {u"cd /repo && python -m pytest -q"_s, u"passed"_s}}));
        const QJsonArray files = task.value(u"files_changed"_s).toArray();
        QCOMPARE(files.size(), 1);
        QCOMPARE(files.at(0).toObject().value(u"path"_s).toString(), u"/repo/widget/parser.py"_s);
        QCOMPARE(files.at(0).toObject().value(u"change"_s).toString(), u"modified"_s);
        QCOMPARE(files.at(0).toObject().value(u"additions"_s).toInt(), 3);
        QCOMPARE(files.at(0).toObject().value(u"deletions"_s).toInt(), 1);
        QCOMPARE(values(task.value(u"contacts"_s).toArray(), u"host"_s),
                 (QStringList{u"web-search"_s, u"pypi.example.org"_s}));

        // The conversation from the messages, tool calls linked to their commands.
        const QJsonArray transcript = chain.value(u"transcript"_s).toArray();
        QCOMPARE(transcript.size(), 16);
        QCOMPARE(transcript.at(0).toObject().value(u"text"_s).toString(),
                 u"Inspect AI evaluation fix_widget_bugs, sample bug-1 (epoch 1), dataset "
                 "widget-bugs, model openai/gpt-4o"_s);
        QCOMPARE(values(transcript, u"role"_s).mid(1, 4),
                 (QStringList{u"system"_s, u"user"_s, u"assistant"_s, u"tool_call"_s}));
        const QJsonObject call = transcript.at(4).toObject();
        QCOMPARE(call.value(u"tool"_s).toString(), u"bash"_s);
        QCOMPARE(call.value(u"call_id"_s).toString(), u"call_b1"_s);
        QCOMPARE(call.value(u"command_seq"_s).toInt(), 1);
        QCOMPARE(call.value(u"at"_s).toString(), u"2026-03-02T10:00:05.250Z"_s);
        const QJsonObject result = transcript.at(5).toObject();
        QCOMPARE(result.value(u"role"_s).toString(), u"tool_result"_s);
        QVERIFY(result.value(u"text"_s).toString().contains(u"GITHUB_TOKEN=[REDACTED"_s));
        const QJsonObject timeout = transcript.at(12).toObject();
        QCOMPARE(timeout.value(u"call_id"_s).toString(), u"call_b2"_s);
        QCOMPARE(timeout.value(u"is_error"_s).toBool(), true);
        QCOMPARE(timeout.value(u"command_seq"_s).toInt(), 2);
        QCOMPARE(transcript.at(15).toObject().value(u"role"_s).toString(), u"assistant"_s);

        // The sample that failed: its error is the outcome, its scorer's verdict a test.
        const QJsonObject failed = showJson(scene.dbPath(), inspectFailedTask);
        const QJsonObject failedTask = failed.value(u"task"_s).toObject();
        QCOMPARE(failedTask.value(u"state"_s).toString(), u"failed"_s);
        QCOMPARE(failedTask.value(u"state_reason"_s).toString(),
                 u"RuntimeError: the sandbox container exited"_s);
        QCOMPARE(failedTask.value(u"prompt"_s).toString(), u"Make the CLI print its version."_s);
        QCOMPARE(values(failedTask.value(u"tests"_s).toArray(), u"outcome"_s),
                 QStringList{u"failed"_s});
        QCOMPARE(values(failedTask.value(u"failures"_s).toArray(), u"kind"_s),
                 QStringList{u"sample_error"_s});
        const QJsonArray failedTranscript = failed.value(u"transcript"_s).toArray();
        QCOMPARE(failedTranscript.last().toObject().value(u"is_error"_s).toBool(), true);
        QCOMPARE(failed.value(u"commands"_s).toArray().size(), 1);
    }

    void otlpChain()
    {
        Scene scene;
        const QString path = scene.write(u"t.jsonl"_s, fixture(u"otlp-traces.jsonl"_s));
        QCOMPARE(CliRun::cli({u"ingest"_s, u"--db"_s, scene.dbPath(), u"--quiet"_s, path}).exitCode,
                 1);
        const QJsonObject chain = showJson(scene.dbPath(), otelTask);
        const QJsonObject task = chain.value(u"task"_s).toObject();
        QCOMPARE(task.value(u"id"_s).toString(), otelTask);
        QCOMPARE(task.value(u"source"_s).toString(), u"otel"_s);
        QCOMPARE(task.value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(task.value(u"started_at"_s).toString(), u"2026-01-01T10:00:00.000Z"_s);
        QCOMPARE(task.value(u"completed_at"_s).toString(), u"2026-01-01T10:00:30.000Z"_s);
        // The chat spans' tokens, an intValue as a string and as a number alike.
        const QJsonObject usage = task.value(u"usage"_s).toObject();
        QCOMPARE(usage.value(u"input_tokens"_s).toInteger(), 3000);
        QCOMPARE(usage.value(u"output_tokens"_s).toInteger(), 240);

        // The agent and its sub-agent, each a session with its model.
        const QJsonArray sessions = task.value(u"sessions"_s).toArray();
        QCOMPARE(values(sessions, u"id"_s),
                 (QStringList{otelTask, otelTask + u"/agent-b7ad6b7169203331"_s}));
        QCOMPARE(values(sessions, u"model"_s),
                 (QStringList{u"claude-sonnet-4-5"_s, u"claude-haiku-4-5"_s}));
        QCOMPARE(sessions.at(1).toObject().value(u"started_at"_s).toString(),
                 u"2026-01-01T10:00:21.500Z"_s);

        // Shell-like tools are commands, in start order across the lines they came in.
        const QJsonArray commands = chain.value(u"commands"_s).toArray();
        QCOMPARE(values(commands, u"argv"_s),
                 (QStringList{u"npm test"_s, u"npm run lint"_s, u"git log --oneline -3"_s}));
        const QJsonObject test = commands.at(0).toObject();
        QCOMPARE(test.value(u"cwd"_s).toString(), u"/srv/release"_s);
        QCOMPARE(test.value(u"exit_code"_s).toInt(), 0);
        QCOMPARE(test.value(u"started_at"_s).toString(), u"2026-01-01T10:00:05.000Z"_s);
        QCOMPARE(test.value(u"ended_at"_s).toString(), u"2026-01-01T10:00:09.500Z"_s);
        QCOMPARE(test.value(u"log_lines"_s).toInt(), 3);
        QCOMPARE(commands.at(1).toObject().value(u"exit_code"_s).toInt(), 1);
        QVERIFY(!commands.at(2).toObject().contains(u"exit_code"_s));
        QCOMPARE(scene.lines(otelTask, 2),
                 (QByteArrayList{"src/release.js:4:1 error no-unused-vars", "1 problem"}));

        QCOMPARE(values(task.value(u"tests"_s).toArray(), u"name"_s), QStringList{u"npm test"_s});
        QCOMPARE(values(task.value(u"failures"_s).toArray(), u"message"_s),
                 QStringList{u"exit code 1: npm run lint"_s});
        QCOMPARE(values(task.value(u"files_changed"_s).toArray(), u"path"_s),
                 QStringList{u"CHANGELOG.md"_s});
        const QJsonArray contacts = task.value(u"contacts"_s).toArray();
        QCOMPARE(values(contacts, u"host"_s), (QStringList{u"docs.example.com"_s, u"github"_s}));
        QCOMPARE(values(contacts, u"tool"_s),
                 (QStringList{u"fetch_url"_s, u"github__create_issue"_s}));

        const QJsonArray transcript = chain.value(u"transcript"_s).toArray();
        QCOMPARE(transcript.size(), 16);
        QCOMPARE(transcript.at(0).toObject().value(u"text"_s).toString(),
                 u"agent release-helper (asst_5j66UpCpwteGg4YSxUnt7lPY) in service release-bot"_s);
        QCOMPARE(transcript.at(1).toObject().value(u"role"_s).toString(), u"user"_s);
        const QJsonObject call = transcript.at(2).toObject();
        QCOMPARE(call.value(u"role"_s).toString(), u"tool_call"_s);
        QCOMPARE(call.value(u"call_id"_s).toString(), u"toolu_A1"_s);
        QCOMPARE(call.value(u"command_seq"_s).toInt(), 1);
        QCOMPARE(call.value(u"text"_s).toString(), u"npm test"_s);
        QCOMPARE(transcript.at(5).toObject().value(u"is_error"_s).toBool(), true);
        QCOMPARE(transcript.at(10).toObject().value(u"text"_s).toString(),
                 u"Tests pass; lint found one unused variable, filed as an issue."_s);
        const QJsonObject sub = transcript.at(12).toObject();
        QCOMPARE(sub.value(u"session_id"_s).toString(), otelTask + u"/agent-b7ad6b7169203331"_s);
        QCOMPARE(sub.value(u"sidechain"_s).toBool(), true);
        QCOMPARE(sub.value(u"command_seq"_s).toInt(), 3);

        // The second trace's agent failed; its span status says why.
        const QJsonObject failed =
            showJson(scene.dbPath(), otelFailedTask).value(u"task"_s).toObject();
        QCOMPARE(failed.value(u"state"_s).toString(), u"failed"_s);
        QCOMPARE(failed.value(u"state_reason"_s).toString(), u"the model refused the request"_s);
        QCOMPARE(values(failed.value(u"sessions"_s).toArray(), u"model"_s),
                 QStringList{u"gpt-4.1"_s});
    }

    // An execute_tool span under no agent belongs to no task: said once, as a warning.
    void otlpToolOutsideAnAgent()
    {
        Scene scene;
        const auto run = scene.ingest({scene.write(u"t.jsonl"_s, fixture(u"otlp-traces.jsonl"_s))});
        QVERIFY(run.issueContaining(u"1 execute_tool spans are under no invoke_agent span"_s)
                    .contains(u": warning: "_s));
        QCOMPARE(scene.store().taskChain(otelFailedTask)->commands.size(), 0);
    }

    // A trace is written once its root span is read, at the end of that line, and let go: a
    // span of it that comes on a later line is said once, as a warning, and not read; the
    // children that came before the root are read with it.
    void otlpWrittenPerTrace()
    {
        const auto span = [](const char *trace, const char *id, const char *parent,
                             const char *operation) -> QByteArray {
            return "{\"traceId\":\"" + QByteArray(trace) + "\",\"spanId\":\"" + id +
                   "\",\"parentSpanId\":\"" + parent + "\",\"name\":\"" + operation +
                   "\",\"startTimeUnixNano\":\"1767261600000000000\",\"endTimeUnixNano\":"
                   "\"1767261609000000000\",\"attributes\":[{\"key\":\"gen_ai.operation.name\","
                   "\"value\":{\"stringValue\":\"" +
                   operation +
                   "\"}},{\"key\":\"gen_ai.tool.name\",\"value\":{\"stringValue\":\"bash\"}},"
                   "{\"key\":\"gen_ai.tool.call.arguments\",\"value\":{\"stringValue\":"
                   "\"{\\\"command\\\": \\\"make\\\"}\"}}]}";
        };
        const auto line = [](const QByteArray &spans) -> QByteArray {
            return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}\n";
        };
        const char *a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
        const char *b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
        const QByteArray file =
            line(span(b, "00000000000000b2", "00000000000000b1", "execute_tool")) +
            line(span(a, "00000000000000a1", "", "invoke_agent")) +
            line(span(a, "00000000000000a2", "00000000000000a1", "execute_tool") + "," +
                 span(b, "00000000000000b1", "", "invoke_agent"));
        Scene scene;
        const auto run = scene.ingest({scene.write(u"t.jsonl"_s, file)});
        QVERIFY(run.ok);
        QVERIFY2(run.issueContaining(u"1 spans came after their trace had been written"_s)
                     .contains(u": warning: "_s),
                 qPrintable(run.describe().join(u'\n')));
        const auto early = scene.store().taskChain(QString::fromLatin1(a) % u"/00000000000000a1"_s);
        QVERIFY(early);
        QCOMPARE(early->commands.size(), 0);
        const auto late = scene.store().taskChain(QString::fromLatin1(b) % u"/00000000000000b1"_s);
        QVERIFY(late);
        QCOMPARE(late->commands.size(), 1);
    }

    // A task counts its spans toward the ingest batch: a batch commits after about
    // recordBatch spans, not after recordBatch traces, so what a batch holds until it commits
    // (every log line's bytes, for the evidence chain) stays bounded however many tasks the
    // file has. Each progress signal follows a commit: the tasks stored by then show its size.
    void otlpBatchCountsSpans()
    {
        constexpr int traces = 10;
        constexpr int calls = 50;
        QByteArray file;
        for (int t = 1; t <= traces; ++t) {
            const QByteArray trace = QByteArray::number(t, 16).rightJustified(32, '0');
            const QByteArray root = QByteArray::number(t * 1000, 16).rightJustified(16, '0');
            const auto span = [&](const QByteArray &id, const QByteArray &parent,
                                  const char *operation, const QByteArray &more) -> QByteArray {
                return "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + id +
                       "\",\"parentSpanId\":\"" + parent + "\",\"name\":\"" + operation +
                       "\",\"startTimeUnixNano\":\"1767261600000000000\",\"endTimeUnixNano\":"
                       "\"1767261609000000000\",\"attributes\":[{\"key\":"
                       "\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"" +
                       operation + "\"}}" + more + "]}";
            };
            QByteArray spans = span(root, {}, "invoke_agent", {});
            for (int c = 1; c <= calls; ++c) {
                const QByteArray n = QByteArray::number(t * 1000 + c);
                spans += "," + span(QByteArray::number(t * 1000 + c, 16).rightJustified(16, '0'),
                                    root, "execute_tool",
                                    ",{\"key\":\"gen_ai.tool.name\",\"value\":{\"stringValue\":"
                                    "\"bash\"}},{\"key\":\"gen_ai.tool.call.arguments\",\"value\":"
                                    "{\"stringValue\":\"{\\\"command\\\": \\\"make check T=" +
                                        n +
                                        "\\\"}\"}},{\"key\":\"gen_ai.tool.call.result\","
                                        "\"value\":{\"stringValue\":\"ok " +
                                        n + "\\nall passed\"}}");
            }
            file += "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}\n";
        }
        Scene scene;
        IngestOptions options;
        options.recordBatch = 2 * (calls + 1); // two tasks of 51 spans each
        QList<int> storedAtProgress;
        const auto run = scene.ingest({scene.write(u"t.jsonl"_s, file)}, options, [&] {
            storedAtProgress << int(scene.store().stats().tasks);
        });
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.rejected, 0);
        QCOMPARE(scene.store().stats().tasks, traces);
        const auto chain = scene.store().taskChain(
            QString::fromLatin1(QByteArray::number(1).rightJustified(32, '0')) % u'/' %
            QString::fromLatin1(QByteArray::number(1000, 16).rightJustified(16, '0')));
        QVERIFY(chain);
        QCOMPARE(chain->commands.size(), calls);
        storedAtProgress.removeAll(0);
        QString seen;
        for (const int stored : std::as_const(storedAtProgress))
            seen += u' ' % QString::number(stored);
        QVERIFY2(!storedAtProgress.isEmpty() && storedAtProgress.constFirst() <= 2,
                 qPrintable(u"tasks stored at each commit:"_s % seen));
    }

    // Span times are nanoseconds in 64 bits, checked before they are narrowed to milliseconds.
    void otlpTimesRangeChecked_data()
    {
        QTest::addColumn<QByteArray>("end");
        QTest::addColumn<QString>("stored"); // empty: the span is rejected
        QTest::newRow("largest int64")
            << QByteArray("\"9223372036854775807\"") << u"2262-04-11T23:47:16.854Z"_s;
        QTest::newRow("int64 + 1") << QByteArray("\"9223372036854775808\"") << QString();
        QTest::newRow("uint64 max") << QByteArray("\"18446744073709551615\"") << QString();
        QTest::newRow("negative") << QByteArray("\"-1\"") << QString();
        QTest::newRow("not a number") << QByteArray("\"soon\"") << QString();
        QTest::newRow("a JSON number")
            << QByteArray("1767261609000000000") << u"2026-01-01T10:00:09.000Z"_s;
        QTest::newRow("absent: the start") << QByteArray("null") << u"2026-01-01T10:00:00.000Z"_s;
    }
    void otlpTimesRangeChecked()
    {
        QFETCH(QByteArray, end);
        QFETCH(QString, stored);
        const QByteArray line =
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
            "\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b173\",\"name\":"
            "\"invoke_agent a\",\"startTimeUnixNano\":\"1767261600000000000\","
            "\"endTimeUnixNano\":" +
            end +
            ",\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":"
            "\"invoke_agent\"}}]}]}]}]}\n";
        Scene scene;
        const QString path = scene.write(u"t.jsonl"_s, line);
        const auto run = scene.ingest({path});
        QVERIFY(run.ok);
        const auto chain =
            scene.store().taskChain(u"5b8efff798038103d269b633813fc60c/eee19b7ec3c1b173"_s);
        if (stored.isEmpty()) {
            QCOMPARE(run.counts.rejected, 1);
            QVERIFY2(run.issueContaining(u"endTimeUnixNano"_s).startsWith(path % u":1: span 1"_s),
                     qPrintable(run.describe().join(u'\n')));
            QVERIFY(!chain);
            return;
        }
        QCOMPARE(run.counts.rejected, 0);
        QVERIFY(chain);
        QCOMPARE(chain->task.completedAt.toUTC().toString(Qt::ISODateWithMs), stored);
    }

    // A member that would unpack to more than the bound is refused before it is unpacked;
    // names that leave the archive are not read; the other samples are.
    void evalMembersBounded()
    {
        Scene scene;
        const QByteArray huge(qsizetype(maxInspectMemberSize) + 1, ' ');
        const QString path = scene.write(
            u"big.eval"_s,
            evalArchive({}, {{"samples/huge_epoch_1.json", huge},
                             {"samples/../../etc/passwd.json", "{\"id\":\"x\",\"epoch\":1}"},
                             {"/samples/abs_epoch_1.json", "{\"id\":\"y\",\"epoch\":1}"}}));
        const auto run = scene.ingest({path});
        QVERIFY2(run.ok, qPrintable(run.error));
        const QString refused = run.issueContaining(u"huge_epoch_1.json"_s);
        QVERIFY2(refused.startsWith(path % u": samples/huge_epoch_1.json: it unpacks to "_s %
                                    QString::number(maxInspectMemberSize + 1) %
                                    u" bytes, more than the "_s %
                                    QString::number(maxInspectMemberSize) % u" bytes read"_s),
                 qPrintable(refused));
        QVERIFY(run.issueContaining(u"samples/../../etc/passwd.json"_s).contains(u"not read"_s));
        QVERIFY(run.issueContaining(u"/samples/abs_epoch_1.json"_s).contains(u"not read"_s));
        QCOMPARE(scene.store().stats().tasks, 2);
        QVERIFY(!scene.store().taskChain(u"Ev7Qk2Lm9Rt4/x/epoch-1"_s));
    }

    // A ZIP that opens like an Inspect log but has no header is refused whole, with why.
    void evalWithoutHeader()
    {
        Scene scene;
        const QString path = scene.write(
            u"x.eval"_s, makeZip({{"samples/1_epoch_1.json", "{\"id\":1,\"epoch\":1}"}}));
        const auto run = scene.ingest({path});
        QVERIFY(run.ok);
        QCOMPARE(run.counts.rejected, 1);
        QVERIFY(run.issueContaining(u"without Inspect AI's header.json"_s).startsWith(path));
        QCOMPARE(scene.store().stats().tasks, 0);
    }

    // Every kind of file in one directory, ingested by one command: each read as what its
    // content is.
    void mixedDirectory()
    {
        Scene scene;
        QDir(scene.path({})).mkpath(u"in/deeper"_s);
        const auto copy = [&scene](const QString &from, const QString &to) {
            QFile in(QStringLiteral(TASKTRAIL_TEST_DATA) + u'/' + from);
            if (!in.open(QIODevice::ReadOnly))
                qFatal("missing %s", qPrintable(from));
            scene.write(u"in/"_s + to, in.readAll());
        };
        copy(u"ingest/good.jsonl"_s, u"a-records.jsonl"_s);
        copy(u"ingest/logs/two-commands.log"_s, u"b-commands.log"_s);
        copy(u"github/agent-task.json"_s, u"c-github.json"_s);
        copy(u"transcripts/claude-code-session.jsonl"_s, u"d-claude.jsonl"_s);
        copy(u"transcripts/codex-rollout.jsonl"_s, u"deeper/e-codex.jsonl"_s);
        copy(u"transcripts/inspect-log.json"_s, u"f-inspect.json"_s);
        scene.write(u"in/g-inspect.eval"_s, evalArchive(u"Ev8Other"_s));
        copy(u"transcripts/otlp-traces.jsonl"_s, u"h-traces.jsonl"_s);
        const CliRun::Run run = CliRun::cli(
            {u"ingest"_s, u"--db"_s, scene.dbPath(), u"--quiet"_s, scene.path(u"in"_s)});
        QCOMPARE(run.exitCode, 1); // the fixtures' malformed lines and elements
        QVERIFY2(!run.err.contains(u"not a format"_s), qPrintable(run.err));
        // Tasktrail's T-1 (its log attached), GitHub's agent task, Claude Code's and Codex's
        // sessions, two samples from each Inspect log and two agent runs from the traces.
        QCOMPARE(scene.store().stats().tasks, 10);
        QVERIFY(scene.store().taskChain(u"T-1"_s)->commands.size() >= 2);
        QCOMPARE(scene.store().taskChain(u"Ev8Other/bug-1/epoch-1"_s)->task.source, u"inspect"_s);
        QCOMPARE(scene.store().taskChain(otelTask)->task.source, u"otel"_s);
    }
};

QTEST_GUILESS_MAIN(TestEvalTraces)
#include "tst_evaltraces.moc"
