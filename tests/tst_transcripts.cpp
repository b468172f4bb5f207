// Coding agents' own transcripts (Claude Code sessions, Codex CLI rollouts): each becomes a
// task with its sessions, commands, changed files, contacts, tests, usage and conversation.
// What is stored is checked on both backends (rows sqlite and postgresql).
#include "backends.h"
#include "clirun.h"
#include "ingest/inputformat.h"
#include "ingestfixture.h"
#include "policy/storedspecs.h"
#include "query/recordjson.h"
#include "records/taskchain.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::IngestFixture::Scene;

namespace {

const QString claudeTask = u"0f3c2a9e-5d41-4b7a-9c1e-7a2b3c4d5e6f"_s;
const QString codexTask = u"7d1e9b20-4c3a-4f5e-8a6b-1c2d3e4f5a6b"_s;

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(TASKTRAIL_TEST_DATA) + u"/transcripts/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

// This process's resident memory and its peak since the peak was last reset, in kB.
std::pair<qint64, qint64> residentKb()
{
    QFile status(u"/proc/self/status"_s);
    qint64 rss = -1;
    qint64 peak = -1;
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                rss = line.mid(6).trimmed().split(' ').value(0).toLongLong();
            else if (line.startsWith("VmHWM:"))
                peak = line.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
    }
    return {rss, peak};
}

QJsonObject showJson(const QString &db, const QString &task)
{
    const CliRun::Run show =
        CliRun::cli({u"show"_s, u"--db"_s, db, u"--format"_s, u"json"_s, task});
    if (show.exitCode != 0)
        qWarning("show failed: %s", qPrintable(show.err));
    return QJsonDocument::fromJson(show.out.toUtf8()).object();
}

} // namespace

class TestTranscripts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
    }

    void detectedByContent_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("name");
        QTest::addColumn<InputFormat>("format");
        const QByteArray claude = fixture(u"claude-code-session.jsonl"_s);
        const QByteArray codex = fixture(u"codex-rollout.jsonl"_s);
        QTest::newRow("claude-code")
            << claude << u"session.jsonl"_s << InputFormat::ClaudeCodeSession;
        QTest::newRow("claude-code, any name")
            << claude << u"notes.txt"_s << InputFormat::ClaudeCodeSession;
        // The session's first record after a line that is no JSON still tells the format.
        QTest::newRow("claude-code after a bad line")
            << QByteArray("{oops\n" + claude.mid(claude.indexOf('\n') + 1)) << u"s.jsonl"_s
            << InputFormat::ClaudeCodeSession;
        QTest::newRow("codex") << codex << u"rollout.jsonl"_s << InputFormat::CodexRollout;
        QTest::newRow("codex, any name") << codex << u"x.log"_s << InputFormat::CodexRollout;
        QTest::newRow("other JSON lines") << QByteArray("{\"type\":\"user\",\"payload\":1}\n")
                                          << u"a.jsonl"_s << InputFormat::GitHubJson;
        QTest::newRow("tasktrail records")
            << QByteArray("{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"T\"}\n") << u"r.jsonl"_s
            << InputFormat::TasktrailRecords;
    }
    void detectedByContent()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, name);
        QFETCH(InputFormat, format);
        QCOMPARE(detectInputFormat(content, name, true).format, format);
    }

    // Common to every format: the malformed line is reported with its place and the rest is
    // read; a secret in a tool's output is redacted everywhere; ingesting again changes
    // nothing; the records are evidence and the search index matches them.
    void commonGuarantees_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("task");
        QTest::addColumn<int>("badLine");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("searchWord");
        Backends::forEachBackend([](const auto &row) {
            row("claude-code") << u"claude-code-session.jsonl"_s << claudeTask << 9
                               << u"Qw2Er4Ty6Ui8Op0As1Df3Gh5"_s << u"semicolon"_s;
            row("codex") << u"codex-rollout.jsonl"_s << codexTask << 10
                         << u"Mn8Bv6Cx4Za2Sd9Fg7Hj5Kl3"_s << u"subclass"_s;
        });
    }
    void commonGuarantees()
    {
        QFETCH(QString, file);
        QFETCH(QString, task);
        QFETCH(int, badLine);
        QFETCH(QString, secret);
        QFETCH(QString, searchWord);
        Scene scene(fresh());
        const QString path = scene.write(file, fixture(file));
        const auto run = scene.ingest({path});
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.rejected, 1);
        QCOMPARE(run.issues.size(), 1);
        QVERIFY2(run.issues.constFirst().toString().startsWith(
                     path % u':' % QString::number(badLine) % u": invalid JSON"_s),
                 qPrintable(run.issues.constFirst().toString()));
        QVERIFY(run.counts.redactions > 0);

        const auto chain = scene.store().taskChain(task);
        QVERIFY(chain);
        const QByteArray json =
            QJsonDocument(RecordJson::chain(*chain)).toJson(QJsonDocument::Compact);
        QVERIFY(!json.contains(secret.toUtf8()));
        QVERIFY(json.contains("[REDACTED"));
        QByteArray logs;
        for (const auto &command : chain->commands)
            logs += scene.lines(task, command.record.seq).join('\n');
        QVERIFY(!logs.contains(secret.toUtf8()));
        QVERIFY(scene.store().search(secret, 10).isEmpty());

        const QList<SearchHit> hits = scene.store().search(searchWord, 10);
        QVERIFY2(!hits.isEmpty(), qPrintable(searchWord));
        QCOMPARE(hits.constFirst().taskId, task);

        const EvidenceReport report = scene.store().verifyEvidence({});
        QVERIFY2(report.intact(),
                 qPrintable(report.error + QString::number(report.problems.size())));

        // The file has a rejected line, so it is read again, record by record.
        const StoreStats before = scene.store().stats();
        const auto again = scene.ingest({path});
        QCOMPARE(again.counts.ingested, 0);
        QVERIFY(again.counts.duplicates > 0);
        const StoreStats after = scene.store().stats();
        QCOMPARE(after.commands, before.commands);
        QCOMPARE(after.logLines, before.logLines);
        QCOMPARE(after.evidenceEntries, before.evidenceEntries);
        QCOMPARE(after.evidenceHead, before.evidenceHead);
        const auto chainAgain = scene.store().taskChain(task);
        QVERIFY(chainAgain);
        QCOMPARE(QJsonDocument(RecordJson::chain(*chainAgain)).toJson(QJsonDocument::Compact),
                 json);
    }

    void claudeCodeChain_data() { Backends::addBackendRows(); }
    void claudeCodeChain()
    {
        Scene scene(fresh());
        const QString path = scene.write(u"s.jsonl"_s, fixture(u"claude-code-session.jsonl"_s));
        QCOMPARE(CliRun::cli({u"ingest"_s, u"--db"_s, scene.dbPath(), u"--quiet"_s, path}).exitCode,
                 1); // one line was rejected
        const QJsonObject chain = showJson(scene.dbPath(), claudeTask);
        const QJsonObject task = chain.value(u"task"_s).toObject();
        QCOMPARE(task.value(u"id"_s).toString(), claudeTask);
        QCOMPARE(task.value(u"source"_s).toString(), u"claude-code"_s);
        QCOMPARE(task.value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(task.value(u"head_ref"_s).toString(), u"feature/validate"_s);
        QCOMPARE(task.value(u"started_at"_s).toString(), u"2026-01-05T09:00:00.000Z"_s);
        QCOMPARE(task.value(u"completed_at"_s).toString(), u"2026-01-05T09:01:10.000Z"_s);
        QVERIFY(
            task.value(u"known_gaps"_s)
                .toArray()
                .contains(u"no repository named; the working directory was /home/dev/widget"_s));
        // An assistant message spans records that repeat its usage: counted once.
        const QJsonObject usage = task.value(u"usage"_s).toObject();
        QCOMPARE(usage.value(u"input_tokens"_s).toInteger(), 15300);
        QCOMPARE(usage.value(u"output_tokens"_s).toInteger(), 365);
        QCOMPARE(usage.value(u"cache_read_input_tokens"_s).toInteger(), 300);

        const QJsonArray sessions = task.value(u"sessions"_s).toArray();
        QCOMPARE(sessions.size(), 2);
        QCOMPARE(sessions.at(0).toObject().value(u"id"_s).toString(), claudeTask);
        QCOMPARE(sessions.at(0).toObject().value(u"model"_s).toString(), u"claude-sonnet-4-5"_s);
        QCOMPARE(sessions.at(1).toObject().value(u"id"_s).toString(),
                 claudeTask + u"/agent-a7f3"_s);

        // Every Bash call is a command, the sub-agent's included, numbered in call order.
        const QJsonArray commands = chain.value(u"commands"_s).toArray();
        QCOMPARE(commands.size(), 3);
        const QJsonObject test = commands.at(0).toObject();
        QCOMPARE(test.value(u"argv"_s).toArray(), QJsonArray{u"npm test"_s});
        QCOMPARE(test.value(u"cwd"_s).toString(), u"/home/dev/widget"_s);
        QCOMPARE(test.value(u"exit_code"_s).toInt(), 0);
        QCOMPARE(test.value(u"started_at"_s).toString(), u"2026-01-05T09:00:06.000Z"_s);
        QCOMPARE(test.value(u"ended_at"_s).toString(), u"2026-01-05T09:00:10.000Z"_s);
        QCOMPARE(test.value(u"log_lines"_s).toInt(), 4);
        const QJsonObject lint = commands.at(1).toObject();
        QCOMPARE(lint.value(u"argv"_s).toArray(), QJsonArray{u"npm run lint"_s});
        QCOMPARE(lint.value(u"exit_code"_s).toInt(), 1);
        QCOMPARE(lint.value(u"log_lines"_s).toInt(), 4);
        QCOMPARE(commands.at(2).toObject().value(u"seq"_s).toInt(), 3);

        const QJsonArray tests = task.value(u"tests"_s).toArray();
        QCOMPARE(tests.size(), 1);
        QCOMPARE(tests.at(0).toObject().value(u"name"_s).toString(), u"npm test"_s);
        QCOMPARE(tests.at(0).toObject().value(u"outcome"_s).toString(), u"passed"_s);
        const QJsonArray failures = task.value(u"failures"_s).toArray();
        QCOMPARE(failures.size(), 1);
        QCOMPARE(failures.at(0).toObject().value(u"message"_s).toString(),
                 u"exit code 1: npm run lint"_s);

        const QJsonArray files = task.value(u"files_changed"_s).toArray();
        QCOMPARE(files.size(), 2);
        QCOMPARE(files.at(0).toObject().value(u"path"_s).toString(), u"src/parser.js"_s);
        QCOMPARE(files.at(0).toObject().value(u"change"_s).toString(), u"modified"_s);
        QCOMPARE(files.at(0).toObject().value(u"additions"_s).toInt(), 2);
        QCOMPARE(files.at(0).toObject().value(u"deletions"_s).toInt(), 1);
        QCOMPARE(files.at(1).toObject().value(u"path"_s).toString(), u"src/validate.js"_s);
        QCOMPARE(files.at(1).toObject().value(u"change"_s).toString(), u"added"_s);
        QCOMPARE(files.at(1).toObject().value(u"additions"_s).toInt(), 3);

        const QJsonArray contacts = task.value(u"contacts"_s).toArray();
        QCOMPARE(contacts.size(), 3);
        QCOMPARE(contacts.at(0).toObject().value(u"host"_s).toString(), u"docs.example.com"_s);
        QCOMPARE(contacts.at(0).toObject().value(u"tool"_s).toString(), u"WebFetch"_s);
        QCOMPARE(contacts.at(1).toObject().value(u"host"_s).toString(), u"github"_s);
        QCOMPARE(contacts.at(1).toObject().value(u"tool"_s).toString(),
                 u"mcp__github__get_issue"_s);
        QCOMPARE(contacts.at(2).toObject().value(u"host"_s).toString(), u"registry.npmjs.org"_s);
        QCOMPARE(contacts.at(2).toObject().value(u"tool"_s).toString(), u"curl"_s);

        // The conversation: the main session's 17 entries, then the sub-agent's 4.
        const QJsonArray transcript = chain.value(u"transcript"_s).toArray();
        QCOMPARE(transcript.size(), 21);
        const QJsonObject first = transcript.at(0).toObject();
        QCOMPARE(first.value(u"role"_s).toString(), u"user"_s);
        QCOMPARE(first.value(u"seq"_s).toInt(), 1);
        QCOMPARE(first.value(u"at"_s).toString(), u"2026-01-05T09:00:00.000Z"_s);
        QVERIFY(first.value(u"text"_s).toString().startsWith(u"Add input validation"_s));
        const QJsonObject call = transcript.at(2).toObject();
        QCOMPARE(call.value(u"role"_s).toString(), u"tool_call"_s);
        QCOMPARE(call.value(u"tool"_s).toString(), u"Bash"_s);
        QCOMPARE(call.value(u"call_id"_s).toString(), u"toolu_01"_s);
        QCOMPARE(call.value(u"text"_s).toString(), u"npm test"_s);
        QCOMPARE(call.value(u"command_seq"_s).toInt(), 1);
        const QJsonObject result = transcript.at(3).toObject();
        QCOMPARE(result.value(u"role"_s).toString(), u"tool_result"_s);
        QCOMPARE(result.value(u"call_id"_s).toString(), u"toolu_01"_s);
        QCOMPARE(result.value(u"command_seq"_s).toInt(), 1);
        QVERIFY(result.value(u"text"_s).toString().contains(u"[REDACTED"_s));
        QCOMPARE(transcript.at(16).toObject().value(u"role"_s).toString(), u"assistant"_s);
        QVERIFY(!transcript.at(16).toObject().contains(u"sidechain"_s));
        const QJsonObject subFailure = transcript.at(19).toObject();
        QCOMPARE(subFailure.value(u"session_id"_s).toString(), claudeTask + u"/agent-a7f3"_s);
        QCOMPARE(subFailure.value(u"role"_s).toString(), u"tool_result"_s);
        QCOMPARE(subFailure.value(u"sidechain"_s).toBool(), true);
        QCOMPARE(subFailure.value(u"is_error"_s).toBool(), true);
        QCOMPARE(subFailure.value(u"command_seq"_s).toInt(), 2);
    }

    void codexChain_data() { Backends::addBackendRows(); }
    void codexChain()
    {
        Scene scene(fresh());
        const QString path = scene.write(u"r.jsonl"_s, fixture(u"codex-rollout.jsonl"_s));
        QCOMPARE(CliRun::cli({u"ingest"_s, u"--db"_s, scene.dbPath(), u"--quiet"_s, path}).exitCode,
                 1);
        const QJsonObject chain = showJson(scene.dbPath(), codexTask);
        const QJsonObject task = chain.value(u"task"_s).toObject();
        QCOMPARE(task.value(u"id"_s).toString(), codexTask);
        QCOMPARE(task.value(u"source"_s).toString(), u"codex"_s);
        QCOMPARE(task.value(u"repo"_s).toString(), u"acme/widget"_s);
        QCOMPARE(task.value(u"head_ref"_s).toString(), u"fix/empty-input"_s);
        QCOMPARE(task.value(u"head_sha"_s).toString(),
                 u"4b825dc642cb6eb9a060e54bf8d69288fbee4904"_s);
        QCOMPARE(task.value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(task.value(u"started_at"_s).toString(), u"2026-02-10T14:00:00.000Z"_s);
        QCOMPARE(task.value(u"completed_at"_s).toString(), u"2026-02-10T14:00:28.000Z"_s);
        QVERIFY(!task.contains(u"known_gaps"_s));
        const QJsonObject usage = task.value(u"usage"_s).toObject();
        QCOMPARE(usage.value(u"input_tokens"_s).toInteger(), 8200);
        QCOMPARE(usage.value(u"output_tokens"_s).toInteger(), 950);
        QCOMPARE(usage.value(u"total_tokens"_s).toInteger(), 9150);
        const QJsonArray sessions = task.value(u"sessions"_s).toArray();
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(sessions.at(0).toObject().value(u"model"_s).toString(), u"gpt-5-codex"_s);

        const QJsonArray commands = chain.value(u"commands"_s).toArray();
        QCOMPARE(commands.size(), 2);
        const QJsonObject failed = commands.at(0).toObject();
        QCOMPARE(failed.value(u"argv"_s).toArray(),
                 (QJsonArray{u"bash"_s, u"-lc"_s, u"npm test"_s}));
        QCOMPARE(failed.value(u"cwd"_s).toString(), u"/work/acme/widget"_s);
        QCOMPARE(failed.value(u"exit_code"_s).toInt(), 1);
        QCOMPARE(failed.value(u"started_at"_s).toString(), u"2026-02-10T14:00:04.000Z"_s);
        QCOMPARE(failed.value(u"ended_at"_s).toString(), u"2026-02-10T14:00:09.000Z"_s);
        QCOMPARE(failed.value(u"log_lines"_s).toInt(), 4);
        const QJsonObject passed = commands.at(1).toObject();
        QCOMPARE(passed.value(u"exit_code"_s).toInt(), 0);
        QCOMPARE(passed.value(u"log_lines"_s).toInt(), 2);
        QCOMPARE(scene.lines(codexTask, 2),
                 (QByteArrayList{"PASS src/parser.test.js", "Tests: 4 passed"}));

        // The same test command run twice: its last outcome; the failed run is a failure.
        const QJsonArray tests = task.value(u"tests"_s).toArray();
        QCOMPARE(tests.size(), 1);
        QCOMPARE(tests.at(0).toObject().value(u"outcome"_s).toString(), u"passed"_s);
        QCOMPARE(tests.at(0).toObject().value(u"duration_ms"_s).toInt(), 5000);
        QCOMPARE(scene.store().taskChain(codexTask)->task.tests.constFirst().commandSeq, 2);
        QCOMPARE(task.value(u"failures"_s).toArray().size(), 1);

        const QJsonArray files = task.value(u"files_changed"_s).toArray();
        QCOMPARE(files.size(), 2);
        QCOMPARE(files.at(0).toObject().value(u"path"_s).toString(), u"src/errors.js"_s);
        QCOMPARE(files.at(0).toObject().value(u"change"_s).toString(), u"added"_s);
        QCOMPARE(files.at(0).toObject().value(u"additions"_s).toInt(), 1);
        QCOMPARE(files.at(1).toObject().value(u"path"_s).toString(), u"src/parser.js"_s);
        QCOMPARE(files.at(1).toObject().value(u"change"_s).toString(), u"modified"_s);
        QCOMPARE(files.at(1).toObject().value(u"additions"_s).toInt(), 2);
        QCOMPARE(files.at(1).toObject().value(u"deletions"_s).toInt(), 1);

        const QJsonArray contacts = task.value(u"contacts"_s).toArray();
        QCOMPARE(contacts.size(), 2);
        QCOMPARE(contacts.at(0).toObject().value(u"host"_s).toString(), u"docs"_s);
        QCOMPARE(contacts.at(0).toObject().value(u"tool"_s).toString(), u"docs__search"_s);
        QCOMPARE(contacts.at(1).toObject().value(u"host"_s).toString(), u"web-search"_s);

        // Unknown line types and reasoning are skipped; the environment is a system entry.
        const QJsonArray transcript = chain.value(u"transcript"_s).toArray();
        QCOMPARE(transcript.size(), 12);
        QCOMPARE(transcript.at(0).toObject().value(u"role"_s).toString(), u"system"_s);
        QCOMPARE(transcript.at(1).toObject().value(u"role"_s).toString(), u"user"_s);
        const QJsonObject call = transcript.at(2).toObject();
        QCOMPARE(call.value(u"tool"_s).toString(), u"shell"_s);
        QCOMPARE(call.value(u"call_id"_s).toString(), u"call_A1"_s);
        QCOMPARE(call.value(u"text"_s).toString(), u"npm test"_s);
        QCOMPARE(call.value(u"command_seq"_s).toInt(), 1);
        const QJsonObject result = transcript.at(3).toObject();
        QCOMPARE(result.value(u"role"_s).toString(), u"tool_result"_s);
        QCOMPARE(result.value(u"is_error"_s).toBool(), true);
        QCOMPARE(transcript.at(4).toObject().value(u"tool"_s).toString(), u"apply_patch"_s);
        QCOMPARE(transcript.at(7).toObject().value(u"text"_s).toString(),
                 u"PASS src/parser.test.js\nTests: 4 passed\n"_s);
        QCOMPARE(transcript.at(11).toObject().value(u"role"_s).toString(), u"assistant"_s);
        QCOMPARE(transcript.at(11).toObject().value(u"at"_s).toString(),
                 u"2026-02-10T14:00:27.000Z"_s);
    }

    // show prints the conversation; --transcript prints it alone and whole.
    void showPrintsTheTranscript_data() { Backends::addBackendRows(); }
    void showPrintsTheTranscript()
    {
        Scene scene(fresh());
        const QString path = scene.write(u"r.jsonl"_s, fixture(u"codex-rollout.jsonl"_s));
        QVERIFY(scene.ingest({path}).ok);
        const CliRun::Run show = CliRun::cli({u"show"_s, u"--db"_s, scene.dbPath(), codexTask});
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.out.contains(u"Transcript (12 entries"_s), qPrintable(show.out));
        QVERIFY(show.out.contains(u"tool_call shell (command 1): npm test"_s));
        const CliRun::Run whole =
            CliRun::cli({u"show"_s, u"--db"_s, scene.dbPath(), u"--transcript"_s, codexTask});
        QCOMPARE(whole.exitCode, 0);
        QVERIFY(!whole.out.contains(u"Pull request"_s));
        QVERIFY(whole.out.contains(u"PASS src/parser.test.js\nTests: 4 passed\n"_s));
    }

    // A sub-agent's own file belongs to its parent's task; whichever file comes first, each
    // tool call keeps one command number and no command overwrites another.
    void subagentFile_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<bool>("subagentFirst");
        QTest::addColumn<int>("subagentSeq");
        Backends::forEachBackend([](const auto &row) {
            row("main session first") << false << 4;
            row("sub-agent first") << true << 1;
        });
    }
    void subagentFile()
    {
        QFETCH(bool, subagentFirst);
        QFETCH(int, subagentSeq);
        Scene scene(fresh());
        const QString main = scene.write(u"main.jsonl"_s, fixture(u"claude-code-session.jsonl"_s));
        const QString sub =
            scene.write(u"agent-b9c1.jsonl"_s, fixture(u"claude-code-subagent.jsonl"_s));
        const QStringList order = subagentFirst ? QStringList{sub, main} : QStringList{main, sub};
        QVERIFY(scene.ingest({order.at(0)}).ok);
        QVERIFY(scene.ingest({order.at(1)}).ok);
        const auto chain = scene.store().taskChain(claudeTask);
        QVERIFY(chain);
        QCOMPARE(chain->commands.size(), 4);
        QStringList commandLines;
        for (const auto &command : chain->commands)
            commandLines << command.record.argv.join(u' ');
        QCOMPARE(commandLines.at(subagentSeq - 1), u"pytest -q tools/"_s);
        QCOMPARE(commandLines.count(u"npm test"_s), 1);
        QCOMPARE(chain->task.sessions.size(), 3);
        const auto subagent = std::find_if(
            chain->task.sessions.cbegin(), chain->task.sessions.cend(),
            [](const SessionRecord &s) { return s.id == claudeTask + u"/agent-b9c1"_s; });
        QVERIFY(subagent != chain->task.sessions.cend());
        QCOMPARE(subagent->model, u"claude-haiku-4-5"_s);
        QCOMPARE(chain->task.tests.size(), 2); // npm test and pytest

        const StoreStats before = scene.store().stats();
        QCOMPARE(scene.ingest(order).counts.ingested, 0);
        QCOMPARE(scene.store().stats().evidenceEntries, before.evidenceEntries);
        QCOMPARE(scene.store().taskChain(claudeTask)->commands.size(), 4);
    }

    // A database of the version before gains the transcript table when opened for writing.
    // SQLite only: the version before is a SQLite file's user_version; PostgreSQL's schema
    // has had the table since its first version.
    void olderDatabaseGainsTheTable()
    {
        Scene scene;
        const QString db = scene.path(u"old.db"_s);
        {
            QString error;
            QVERIFY2(openStore(db, &error), qPrintable(error));
        }
        sqlite3 *handle = nullptr;
        QCOMPARE(sqlite3_open(db.toUtf8().constData(), &handle), SQLITE_OK);
        QCOMPARE(sqlite3_exec(handle, "DROP TABLE transcript_entry; PRAGMA user_version = 6;",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close(handle);
        const QString path = scene.write(u"r.jsonl"_s, fixture(u"codex-rollout.jsonl"_s));
        QCOMPARE(CliRun::cli({u"ingest"_s, u"--db"_s, db, u"--quiet"_s, path}).exitCode, 1);
        QCOMPARE(showJson(db, codexTask).value(u"transcript"_s).toArray().size(), 12);
    }

    // The check after an ingest reads the run without its conversation, whose text grows with
    // the transcript and which no rule reads: its memory does not grow with the transcript.
    void checkLeavesTheConversationUnread_data() { Backends::addBackendRows(); }
    void checkLeavesTheConversationUnread()
    {
        Scene scene(fresh());
        const QString session = u"5f0c6a1e-2c4d-4b8e-9a51-0d3f6b7c8e90"_s;
        QByteArray text;
        for (int word = 0; text.size() < 60 * 1024; ++word)
            text += "line " + QByteArray::number(word) + " of a file the agent read\\n";
        QByteArray transcript;
        constexpr int reads = 400; // 24 MB of results, 48 MB once read as QStrings
        for (int i = 1; i <= reads; ++i) {
            const QByteArray id = "toolu_" + QByteArray::number(i);
            const QByteArray head = "{\"sessionId\":\"" + session.toUtf8() + "\",\"uuid\":\"u" +
                                    QByteArray::number(i) + "\",\"parentUuid\":null,";
            transcript += head +
                          "\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":"
                          "[{\"type\":\"tool_use\",\"id\":\"" +
                          id + "\",\"name\":\"Read\",\"input\":{\"file_path\":\"src/a.cpp\"}}]}}\n";
            transcript += head +
                          "\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":"
                          "\"tool_result\",\"tool_use_id\":\"" +
                          id + "\",\"content\":\"" + text + "\"}]}}\n";
        }
        const auto run = scene.ingest({scene.write(u"long.jsonl"_s, transcript)});
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.rejected, 0);

        QFile clear(u"/proc/self/clear_refs"_s);
        QVERIFY2(clear.open(QIODevice::WriteOnly) && clear.write("5") == 1,
                 "the peak resident memory can be reset");
        clear.close();
        const qint64 before = residentKb().first;
        CheckCounts counts;
        QString error;
        QVERIFY2(checkAfterIngest(scene.store(), {session}, {}, &counts, &error),
                 qPrintable(error));
        QCOMPARE(counts.tasks, 1);
        const qint64 grown = residentKb().second - before;
        QVERIFY2(grown < 16 * 1024, qPrintable(u"the check took %1 kB more"_s.arg(grown)));

        // Everything else of the chain is there.
        const std::optional<TaskChain> whole = scene.store().taskChain(session);
        const std::optional<TaskChain> checked = scene.store().taskChainOutline(session);
        QVERIFY(whole && checked);
        QCOMPARE(whole->transcript.size(), 2 * reads);
        QVERIFY(checked->transcript.isEmpty());
        QCOMPARE(RecordJson::chain(*checked).value(u"task"_s),
                 RecordJson::chain(*whole).value(u"task"_s));
        QCOMPARE(checked->findings.size(), whole->findings.size());
    }

    // A directory of mixed formats: each file is read as what its content is.
    void mixedDirectory_data() { Backends::addBackendRows(); }
    void mixedDirectory()
    {
        Scene scene(fresh());
        QDir(scene.path({})).mkpath(u"in"_s);
        scene.write(u"in/a.jsonl"_s, fixture(u"claude-code-session.jsonl"_s));
        scene.write(u"in/b.jsonl"_s, fixture(u"codex-rollout.jsonl"_s));
        scene.write(u"in/c.jsonl"_s,
                    "{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"T-own\",\"repo\":\"acme/x\"}\n");
        const auto run = scene.ingest({scene.path(u"in"_s)});
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.files, 3);
        QCOMPARE(run.counts.rejected, 2); // one bad line in each transcript
        QCOMPARE(scene.store().taskChain(claudeTask)->task.source, u"claude-code"_s);
        QCOMPARE(scene.store().taskChain(codexTask)->task.source, u"codex"_s);
        QVERIFY(scene.store().taskChain(u"T-own"_s));
    }

private:
    // A new, empty database of the current row's backend.
    QString fresh()
    {
        QFETCH(QString, backend);
        return m_db.fresh(backend);
    }

    Backends::Fixture m_db;
};

QTEST_GUILESS_MAIN(TestTranscripts)
#include "tst_transcripts.moc"
