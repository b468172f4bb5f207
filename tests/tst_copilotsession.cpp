// Copilot coding agent session logs: tool calls become commands, changed files and contacts.
#include "clirun.h"
#include "ingest/inputformat.h"
#include "ingestfixture.h"
#include "records/taskchain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::IngestFixture::Scene;

namespace {

QByteArray sessionLog()
{
    QFile file(QStringLiteral(TASKTRAIL_TEST_DATA) + u"/copilot/session-log.txt"_s);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture");
    return file.readAll();
}

IngestOptions forTask(const QString &task, const QString &session = {})
{
    IngestOptions options;
    options.taskId = task;
    options.sessionId = session;
    return options;
}

} // namespace

class TestCopilotSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectedByContent()
    {
        QCOMPARE(detectInputFormat(sessionLog(), u"log.json"_s, true).format,
                 InputFormat::CopilotSessionLog);
        QCOMPARE(detectInputFormat("\n\ndata:{\"a\":1}\n", u"x"_s, true).format,
                 InputFormat::CopilotSessionLog);
        QCOMPARE(detectInputFormat("event: ping\ndata: {}\n", u"x"_s, true).format,
                 InputFormat::CommandLog);
    }

    void toolCallsAreRecords()
    {
        Scene scene;
        const QString file = scene.write(u"session.log"_s, sessionLog());
        const auto run = scene.ingest({file}, forTask(u"T-7"_s, u"S-1"_s));
        QVERIFY2(run.ok, qPrintable(run.error));
        // The malformed data line mid-file is reported with its line; the rest is read.
        QCOMPARE(run.counts.rejected, 1);
        QCOMPARE(run.issues.size(), 1);
        QVERIFY2(run.issues.constFirst().toString().startsWith(file + u":6: invalid JSON"_s),
                 qPrintable(run.issues.constFirst().toString()));

        const auto chain = scene.store().taskChain(u"T-7"_s);
        QVERIFY(chain);
        QCOMPARE(chain->task.sessions.size(), 1);
        QCOMPARE(chain->task.sessions.constFirst().id, u"S-1"_s);
        // bash and async_bash: commands with their output and exit code; a call still
        // running (no result yet) and sandbox tools (view) are not.
        QCOMPARE(chain->commands.size(), 2);
        QCOMPARE(chain->commands.at(0).record.argv, QStringList{u"npm test"_s});
        QCOMPARE(chain->commands.at(0).record.exitCode, 0);
        QCOMPARE(chain->commands.at(0).record.startedAt,
                 QDateTime(QDate(2026, 1, 1), QTime(10, 0, 10), QTimeZone::utc()));
        QCOMPARE(chain->commands.at(1).record.argv, QStringList{u"npm run lint"_s});
        QCOMPARE(chain->commands.at(1).record.exitCode, 1);
        const QByteArrayList output = scene.lines(u"T-7"_s, 1);
        QCOMPARE(output.size(), 4);
        QCOMPARE(output.at(1), QByteArray("PASS src/widget.test.js"));
        QVERIFY(output.at(2).contains("[REDACTED"));
        QVERIFY(!output.join().contains("Zq9Xw8Vu7Ts6"));
        // create and str_replace: files changed, relative to the repository.
        const QList<FileChange> &files = chain->task.filesChanged;
        QCOMPARE(files.size(), 2);
        QCOMPARE(files.at(0).path, u"src/parser.js"_s);
        QCOMPARE(files.at(0).change, u"modified"_s);
        QCOMPARE(files.at(0).additions, 2);
        QCOMPARE(files.at(0).deletions, 1);
        QCOMPARE(files.at(1).path, u"src/validate.js"_s);
        QCOMPARE(files.at(1).change, u"added"_s);
        QCOMPARE(files.at(1).additions, 3);
        // MCP servers and web fetches: external contacts.
        const QList<ExternalContact> &contacts = chain->task.contacts;
        QCOMPARE(contacts.size(), 2);
        QCOMPARE(contacts.at(0).host, u"github-mcp-server"_s);
        QCOMPARE(contacts.at(0).tool, u"github-mcp-server-get_issue"_s);
        QCOMPARE(contacts.at(1).host, u"docs.example.com"_s);
        QCOMPARE(contacts.at(1).tool, u"web_fetch"_s);

        // The agent's messages and progress reports: the session's transcript, searchable.
        QCOMPARE(chain->transcripts.size(), 1);
        const TranscriptRecord &transcript = chain->transcripts.constFirst();
        QCOMPARE(transcript.sessionId, u"S-1"_s);
        QCOMPARE(transcript.text,
                 u"I will add input validation to the widget parser.\n\n"
                 "Progress: Validate parser input\n\n- [x] Add validate()\n- [x] Use it in parse()"
                 "\n\nThe parser now validates its input; lint still reports two problems."_s);
        // A sentence is found once, in the entry that says it (which opens at that entry),
        // not a second time in the session's whole text.
        const QList<SearchHit> hits = scene.store().search(u"validates"_s, 10);
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits.constFirst().taskId, u"T-7"_s);
        QCOMPARE(hits.constFirst().recordKind, u"transcript_entry"_s);
        QVERIFY(hits.constFirst().recordRef.startsWith(u"S-1#"_s));
        QCOMPARE(scene.store().search(u"Progress"_s, 10).size(), 1);
        // The command line's search says it once too.
        const CliRun::Run search =
            CliRun::cli({u"search"_s, u"--db"_s, scene.dbPath(), u"validates"_s});
        QCOMPARE(search.exitCode, 0);
        QCOMPARE(search.out.count(u"The parser now validates its input"_s), 1);

        // The transcript is evidence, and its search index matches it.
        const EvidenceReport report = scene.store().verifyEvidence({});
        QVERIFY2(report.intact(),
                 qPrintable(report.error + QString::number(report.problems.size())));

        // The conversation entry by entry: the agent's text, and each tool call with its
        // result, a shell call linked to the command it became.
        QStringList roles;
        for (const TranscriptEntry &e : chain->transcript)
            roles << e.role;
        QVERIFY(!chain->transcript.isEmpty());
        QCOMPARE(chain->transcript.constFirst().role, u"assistant"_s);
        QCOMPARE(chain->transcript.constFirst().text,
                 u"I will add input validation to the widget parser."_s);
        const auto npmTest = std::find_if(
            chain->transcript.cbegin(), chain->transcript.cend(), [](const TranscriptEntry &e) {
                return e.role == u"tool_call"_s && e.text.contains(u"npm test"_s);
            });
        QVERIFY(npmTest != chain->transcript.cend());
        QCOMPARE(npmTest->tool, u"bash"_s);
        QCOMPARE(npmTest->commandSeq, 1);
        QVERIFY(!npmTest->callId.isEmpty());
        const auto result = std::next(npmTest);
        QVERIFY(result != chain->transcript.cend());
        QCOMPARE(result->role, u"tool_result"_s);
        QCOMPARE(result->callId, npmTest->callId);
        QVERIFY(result->text.contains(u"PASS src/widget.test.js"_s));
        QVERIFY(!result->text.contains(u"Zq9Xw8Vu7Ts6"_s));
        QCOMPARE(roles.count(u"tool_call"_s), roles.count(u"tool_result"_s));
        for (int i = 1; i < chain->transcript.size(); ++i)
            QCOMPARE(chain->transcript.at(i).seq, chain->transcript.at(i - 1).seq + 1);

        const StoreStats before = scene.store().stats();
        const auto again = scene.ingest({file}, forTask(u"T-7"_s, u"S-1"_s));
        QCOMPARE(again.counts.ingested, 0);
        QCOMPARE(scene.store().taskChain(u"T-7"_s)->transcript.size(), chain->transcript.size());
        QCOMPARE(scene.store().stats().commands, before.commands);
        QCOMPARE(scene.store().stats().logLines, before.logLines);
    }

    // A session's log numbers its commands inside its block (the sync gives each session its
    // own); a command past the block's end is reported, never written over the next block.
    void commandsStayInTheirBlock()
    {
        Scene scene;
        const QString file = scene.write(u"session.log"_s, sessionLog());
        IngestOptions options = forTask(u"T-8"_s, u"S-2"_s);
        options.commandSeq = 5;
        options.lastCommandSeq = 5;
        const auto run = scene.ingest({file}, options);
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.rejected, 2); // the malformed line and the second command
        QVERIFY(std::any_of(run.issues.cbegin(), run.issues.cend(), [](const IngestIssue &i) {
            return i.toString().contains(u"too many commands: numbers must be at most 5"_s);
        }));
        const auto chain = scene.store().taskChain(u"T-8"_s);
        QVERIFY(chain);
        QCOMPARE(chain->commands.size(), 1);
        QCOMPARE(chain->commands.constFirst().record.seq, 5);
        QCOMPARE(chain->commands.constFirst().record.argv, QStringList{u"npm test"_s});
        // The call that got no number names no command.
        QStringList linked;
        for (const TranscriptEntry &e : chain->transcript) {
            if (e.role == u"tool_call"_s && e.tool.endsWith(u"bash"_s))
                linked << QString::number(e.commandSeq);
        }
        QCOMPARE(linked, (QStringList{u"5"_s, u"0"_s}));
    }

    // The chain as `show --format json` prints it, field by field.
    void showPrintsTheSession()
    {
        Scene scene;
        const QString file = scene.write(u"session.log"_s, sessionLog());
        QCOMPARE(CliRun::cli({u"ingest"_s, u"--db"_s, scene.dbPath(), u"--task"_s, u"T-8"_s,
                              u"--session"_s, u"S-2"_s, u"--quiet"_s, file})
                     .exitCode,
                 1); // one line was rejected
        const CliRun::Run show =
            CliRun::cli({u"show"_s, u"--db"_s, scene.dbPath(), u"--format"_s, u"json"_s, u"T-8"_s});
        QCOMPARE(show.exitCode, 0);
        const QJsonObject chain = QJsonDocument::fromJson(show.out.toUtf8()).object();
        const QJsonArray commands = chain.value(u"commands"_s).toArray();
        QCOMPARE(commands.size(), 2);
        QCOMPARE(commands.at(0).toObject().value(u"argv"_s).toArray().at(0).toString(),
                 u"npm test"_s);
        QCOMPARE(commands.at(0).toObject().value(u"exit_code"_s).toInt(), 0);
        QCOMPARE(commands.at(0).toObject().value(u"log_lines"_s).toInt(), 4);
        QCOMPARE(commands.at(1).toObject().value(u"exit_code"_s).toInt(), 1);
        const QJsonObject task = chain.value(u"task"_s).toObject();
        QCOMPARE(task.value(u"sessions"_s).toArray().at(0).toObject().value(u"id"_s).toString(),
                 u"S-2"_s);
        const QJsonArray files = task.value(u"files_changed"_s).toArray();
        QCOMPARE(files.size(), 2);
        QCOMPARE(files.at(1).toObject().value(u"path"_s).toString(), u"src/validate.js"_s);
        QCOMPARE(files.at(1).toObject().value(u"change"_s).toString(), u"added"_s);
        const QJsonArray contacts = task.value(u"contacts"_s).toArray();
        QCOMPARE(contacts.size(), 2);
        QCOMPARE(contacts.at(1).toObject().value(u"host"_s).toString(), u"docs.example.com"_s);
        const QJsonArray transcripts = chain.value(u"transcripts"_s).toArray();
        QCOMPARE(transcripts.size(), 1);
        QCOMPARE(transcripts.at(0).toObject().value(u"session_id"_s).toString(), u"S-2"_s);
        QVERIFY(transcripts.at(0).toObject().value(u"text"_s).toString().startsWith(
            u"I will add input validation"_s));
        QVERIFY(!show.out.contains(u"Zq9Xw8Vu7Ts6"_s));
    }

    void needsATask()
    {
        Scene scene;
        const auto run = scene.ingest({scene.write(u"session.log"_s, sessionLog())});
        QCOMPARE(run.counts.rejected, 1);
        QVERIFY2(!run.issueContaining(u"pass --session ID"_s).isEmpty(),
                 qPrintable(run.describe().join(u'\n')));
        QVERIFY2(!run.issueContaining(u"or --task ID"_s).isEmpty(),
                 qPrintable(run.describe().join(u'\n')));
        QVERIFY(!scene.store().taskChain(u"T-7"_s));
    }

    // `ingest --session ID FILE`: the task is the one the stored session belongs to (here
    // from GitHub's agent-task JSON, whose sessions s1..s3 are of task a1b2c3d4-...).
    void attachedBySessionAlone()
    {
        Scene scene;
        const QString agentTask =
            QStringLiteral(TASKTRAIL_TEST_DATA) + u"/github/agent-task.json"_s;
        QCOMPARE(
            CliRun::cli({u"ingest"_s, u"--db"_s, scene.dbPath(), u"--quiet"_s, agentTask}).exitCode,
            0);
        const QString file = scene.write(u"session.log"_s, sessionLog());
        const CliRun::Run run = CliRun::cli(
            {u"ingest"_s, u"--db"_s, scene.dbPath(), u"--session"_s, u"s2"_s, u"--quiet"_s, file});
        QCOMPARE(run.exitCode, 1); // the one malformed line of the fixture
        const QString task = u"a1b2c3d4-e5f6-7890-abcd-ef1234567890"_s;
        const std::optional<TaskChain> chain = scene.store().taskChain(task);
        QVERIFY(chain);
        QCOMPARE(chain->commands.size(), 2);
        QCOMPARE(chain->commands.constFirst().record.argv, QStringList{u"npm test"_s});
        QCOMPARE(chain->transcripts.size(), 1);
        QCOMPARE(chain->transcripts.constFirst().sessionId, u"s2"_s);
        // No task of its own was made for the log.
        QCOMPARE(scene.store().stats().tasks, 1);
    }

    // A session no task has: one clear error, exit 2, and nothing read.
    void unknownSessionIsRefused()
    {
        Scene scene;
        const QString file = scene.write(u"session.log"_s, sessionLog());
        const CliRun::Run run = CliRun::cli(
            {u"ingest"_s, u"--db"_s, scene.dbPath(), u"--session"_s, u"nowhere"_s, file});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"no task has session nowhere"_s), qPrintable(run.err));
        QCOMPARE(scene.store().stats().tasks, 0);
        QCOMPARE(scene.store().stats().commands, 0);
    }

    // --task and --session must agree: a session stored under another task is refused.
    void sessionOfAnotherTaskIsRefused()
    {
        Scene scene;
        const QString file = scene.write(u"session.log"_s, sessionLog());
        QVERIFY(scene.ingest({file}, forTask(u"T-1"_s, u"S-1"_s)).ok);
        const auto run = scene.ingest({file}, forTask(u"T-2"_s, u"S-1"_s));
        QVERIFY(!run.ok);
        QVERIFY2(run.error.contains(u"session S-1 belongs to task T-1, not T-2"_s),
                 qPrintable(run.error));
        QVERIFY(!scene.store().taskChain(u"T-2"_s));
    }
};

QTEST_GUILESS_MAIN(TestCopilotSession)
#include "tst_copilotsession.moc"
