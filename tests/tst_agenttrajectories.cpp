// Coding agents' runs saved as one JSON document (SWE-agent trajectories, OpenHands event
// streams): each becomes a task with its commands, changed files, contacts, tests, usage and
// conversation, read element by element.
#include "clirun.h"
#include "ingest/inputformat.h"
#include "ingestfixture.h"
#include "query/recordjson.h"
#include "records/taskchain.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::IngestFixture::Scene;

namespace {

const QString sweTask = u"acme__widget-42"_s;
// Named after the bytes of the stream's first event.
const QString openHandsTask = u"openhands-cd6efb1f64d3a1e6"_s;
const QString sweFile = u"swe-agent.traj"_s;
const QString openHandsFile = u"openhands-trajectory.json"_s;

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(TASKTRAIL_TEST_DATA) + u"/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QByteArray trajectory(const QString &name)
{
    return fixture(u"trajectories/"_s + name);
}

QJsonObject showJson(const QString &db, const QString &task)
{
    const CliRun::Run show =
        CliRun::cli({u"show"_s, u"--db"_s, db, u"--format"_s, u"json"_s, task});
    if (show.exitCode != 0)
        qWarning("show failed: %s", qPrintable(show.err));
    return QJsonDocument::fromJson(show.out.toUtf8()).object();
}

QJsonObject at(const QJsonArray &array, qsizetype i)
{
    return array.at(i).toObject();
}

// The SWE-agent fixture with its malformed step mended.
QByteArray mendedSweAgent()
{
    return trajectory(sweFile).replace("\"execution_time\": 0.1.5", "\"execution_time\": 0.15");
}

} // namespace

class TestAgentTrajectories : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectedByContent_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("name");
        QTest::addColumn<InputFormat>("format");
        const QByteArray swe = trajectory(sweFile);
        const QByteArray openHands = trajectory(openHandsFile);
        QTest::newRow("swe-agent")
            << swe << u"acme__widget-42.traj"_s << InputFormat::SweAgentTrajectory;
        QTest::newRow("swe-agent, any name")
            << swe << u"run.txt"_s << InputFormat::SweAgentTrajectory;
        QTest::newRow("swe-agent, on one line")
            << QJsonDocument::fromJson(mendedSweAgent()).toJson(QJsonDocument::Compact) << u"x"_s
            << InputFormat::SweAgentTrajectory;
        // Only the head of a large file is looked at: a cut-off first step still tells it.
        QTest::newRow("swe-agent, head cut in the first step")
            << swe.left(swe.indexOf("\"state\"")) << u"x.traj"_s << InputFormat::SweAgentTrajectory;
        QTest::newRow("openhands")
            << openHands << u"trajectory.json"_s << InputFormat::OpenHandsTrajectory;
        QTest::newRow("openhands, any name")
            << openHands << u"events.log"_s << InputFormat::OpenHandsTrajectory;
        QTest::newRow("object with another trajectory")
            << QByteArray(R"({"trajectory":[{"x":1,"y":2}]})") << u"t.json"_s
            << InputFormat::GitHubJson;
        QTest::newRow("array of other objects") << QByteArray(R"([{"id":1,"action":"opened"}])")
                                                << u"a.json"_s << InputFormat::GitHubJson;
    }
    void detectedByContent()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, name);
        QFETCH(InputFormat, format);
        QCOMPARE(detectInputFormat(content, name, true).format, format);
    }

    // Common to both: the malformed element is reported with its place and the rest is read;
    // a secret in a command's output is redacted everywhere; ingesting again changes nothing;
    // the records are evidence and the search index matches them.
    void commonGuarantees_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("task");
        QTest::addColumn<int>("badLine");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("searchWord");
        QTest::newRow("swe-agent") << sweFile << sweTask << 97
                                   << u"Rt5Yu7Io9Pa1Sd3Fg5Hj7Kl9Zx1Cv3Bn5Mq7"_s << u"IndexError"_s;
        QTest::newRow("openhands") << openHandsFile << openHandsTask << 194
                                   << u"Lk8Jh6Gf4Ds2Az0Xc9Vb7Nm5Qw3Er1Ty8Ui6"_s << u"isoformat"_s;
    }
    void commonGuarantees()
    {
        QFETCH(QString, file);
        QFETCH(QString, task);
        QFETCH(int, badLine);
        QFETCH(QString, secret);
        QFETCH(QString, searchWord);
        Scene scene;
        const QString path = scene.write(file, trajectory(file));
        const auto run = scene.ingest({path});
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.rejected, 1);
        QCOMPARE(run.issues.size(), 1);
        QVERIFY2(run.issues.constFirst().toString().startsWith(
                     path % u':' % QString::number(badLine) % u": JSON syntax error"_s),
                 qPrintable(run.issues.constFirst().toString()));
        QVERIFY(run.counts.redactions > 0);

        const auto chain = scene.store().taskChain(task);
        QVERIFY(chain);
        QVERIFY(chain->commands.size() >= 4);
        const QByteArray json =
            QJsonDocument(RecordJson::chain(*chain)).toJson(QJsonDocument::Compact);
        QVERIFY(!json.contains(secret.toUtf8()));
        QVERIFY(json.contains("[REDACTED"));
        QByteArray logs;
        for (const auto &command : chain->commands)
            logs += scene.lines(task, command.record.seq).join('\n');
        QVERIFY(!logs.contains(secret.toUtf8()));
        QVERIFY(logs.contains("[REDACTED"));
        QVERIFY(scene.store().search(secret, 10).isEmpty());

        const QList<SearchHit> hits = scene.store().search(searchWord, 10);
        QVERIFY2(!hits.isEmpty(), qPrintable(searchWord));
        QCOMPARE(hits.constFirst().taskId, task);

        const EvidenceReport report = scene.store().verifyEvidence({});
        QVERIFY2(report.intact(),
                 qPrintable(report.error + QString::number(report.problems.size())));

        // The file has a rejected element, so it is read again, record by record.
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

    void sweAgentChain()
    {
        Scene scene;
        const QString path = scene.write(u"t.traj"_s, trajectory(sweFile));
        QCOMPARE(CliRun::cli({u"ingest"_s, u"--db"_s, scene.dbPath(), u"--quiet"_s, path}).exitCode,
                 1); // one step was rejected
        const QJsonObject chain = showJson(scene.dbPath(), sweTask);
        const QJsonObject task = chain.value(u"task"_s).toObject();
        QCOMPARE(task.value(u"id"_s).toString(), sweTask); // the problem's id, not the file's
        QCOMPARE(task.value(u"source"_s).toString(), u"swe-agent"_s);
        QCOMPARE(task.value(u"repo"_s).toString(), u"acme/widget"_s);
        QCOMPARE(task.value(u"state"_s).toString(), u"completed"_s);
        QVERIFY(!task.contains(u"state_reason"_s));
        // No clock times anywhere: said in the known gaps, with the steps' total duration.
        QVERIFY(!task.contains(u"started_at"_s));
        QVERIFY(!task.contains(u"completed_at"_s));
        const QJsonArray gaps = task.value(u"known_gaps"_s).toArray();
        QCOMPARE(gaps.size(), 1);
        QVERIFY2(gaps.at(0).toString().startsWith(u"SWE-agent records no clock times"_s),
                 qPrintable(gaps.at(0).toString()));
        QVERIFY(gaps.at(0).toString().endsWith(u"(9 steps, 5.84 s in all)"_s));
        const QJsonObject usage = task.value(u"usage"_s).toObject();
        QCOMPARE(usage.value(u"tokens_sent"_s).toInteger(), 51200);
        QCOMPARE(usage.value(u"tokens_received"_s).toInteger(), 1800);
        QCOMPARE(usage.value(u"instance_cost"_s).toDouble(), 0.42);
        QCOMPARE(usage.value(u"api_calls"_s).toInteger(), 9);
        const QJsonArray sessions = task.value(u"sessions"_s).toArray();
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(at(sessions, 0).value(u"model"_s).toString(), u"claude-sonnet-4-20250514"_s);

        // Shell actions are commands in step order; SWE-agent's viewer and editor tools are not.
        const QJsonArray commands = chain.value(u"commands"_s).toArray();
        QStringList lines;
        for (const QJsonValue &c : commands)
            lines << c.toObject().value(u"argv"_s).toArray().at(0).toString();
        QCOMPARE(lines,
                 (QStringList{u"ls -F"_s, u"python reproduce.py"_s,
                              u"curl -sS https://pypi.org/pypi/widget/json | head -c 80"_s,
                              u"cat tests/.env"_s, u"python -m pytest tests/test_parser.py -q"_s,
                              u"rm reproduce.py && submit"_s}));
        const QJsonObject crash = at(commands, 1);
        QCOMPARE(crash.value(u"seq"_s).toInt(), 2);
        QCOMPARE(crash.value(u"cwd"_s).toString(), u"/widget"_s);
        QVERIFY(!crash.contains(u"exit_code"_s)); // SWE-agent does not record it
        QVERIFY(!crash.contains(u"started_at"_s));
        QCOMPARE(crash.value(u"log_lines"_s).toInt(), 6);
        QCOMPARE(scene.lines(sweTask, 2).constLast(),
                 QByteArray("IndexError: list index out of range"));

        // The test's outcome comes from pytest's summary: there is no exit code.
        const QJsonArray tests = task.value(u"tests"_s).toArray();
        QCOMPARE(tests.size(), 1);
        QCOMPARE(at(tests, 0).value(u"name"_s).toString(),
                 u"python -m pytest tests/test_parser.py -q"_s);
        QCOMPARE(at(tests, 0).value(u"outcome"_s).toString(), u"passed"_s);
        QCOMPARE(at(tests, 0).value(u"command_seq"_s).toInt(), 5);
        QVERIFY(!task.contains(u"failures"_s));

        // The created script (from the trajectory), the edited file with the patch's lines,
        // and the file only the patch names; paths relative to the repository.
        const QJsonArray files = task.value(u"files_changed"_s).toArray();
        QCOMPARE(files.size(), 3);
        QCOMPARE(at(files, 0).value(u"path"_s).toString(), u"reproduce.py"_s);
        QCOMPARE(at(files, 0).value(u"change"_s).toString(), u"added"_s);
        QCOMPARE(at(files, 1).value(u"path"_s).toString(), u"tests/test_parser.py"_s);
        QCOMPARE(at(files, 1).value(u"change"_s).toString(), u"added"_s);
        QCOMPARE(at(files, 1).value(u"additions"_s).toInt(), 4);
        QCOMPARE(at(files, 2).value(u"path"_s).toString(), u"widget/parser.py"_s);
        QCOMPARE(at(files, 2).value(u"change"_s).toString(), u"modified"_s);
        QCOMPARE(at(files, 2).value(u"additions"_s).toInt(), 3);
        QCOMPARE(at(files, 2).value(u"deletions"_s).toInt(), 1);

        const QJsonArray contacts = task.value(u"contacts"_s).toArray();
        QCOMPARE(contacts.size(), 1);
        QCOMPARE(at(contacts, 0).value(u"host"_s).toString(), u"pypi.org"_s);
        QCOMPARE(at(contacts, 0).value(u"tool"_s).toString(), u"curl"_s);

        // The system prompt and the problem (not the demonstration), then per step the
        // thought, the call and its result.
        const QJsonArray transcript = chain.value(u"transcript"_s).toArray();
        QCOMPARE(transcript.size(), 2 + 9 * 3);
        QCOMPARE(at(transcript, 0).value(u"role"_s).toString(), u"system"_s);
        QCOMPARE(at(transcript, 1).value(u"role"_s).toString(), u"user"_s);
        QVERIFY(at(transcript, 1).value(u"text"_s).toString().contains(u"IndexError"_s));
        QCOMPARE(at(transcript, 2).value(u"role"_s).toString(), u"assistant"_s);
        const QJsonObject call = at(transcript, 3);
        QCOMPARE(call.value(u"role"_s).toString(), u"tool_call"_s);
        QCOMPARE(call.value(u"tool"_s).toString(), u"bash"_s);
        QCOMPARE(call.value(u"call_id"_s).toString(), u"step-1"_s);
        QCOMPARE(call.value(u"text"_s).toString(), u"ls -F"_s);
        QCOMPARE(call.value(u"command_seq"_s).toInt(), 1);
        QVERIFY(!call.contains(u"at"_s));
        const QJsonObject result = at(transcript, 4);
        QCOMPARE(result.value(u"role"_s).toString(), u"tool_result"_s);
        QCOMPARE(result.value(u"call_id"_s).toString(), u"step-1"_s);
        QCOMPARE(result.value(u"text"_s).toString(),
                 u"README.md\nsetup.py\ntests/\nwidget/\n(step took 0.21 s)"_s);
        const QJsonObject open = at(transcript, 12);
        QCOMPARE(open.value(u"tool"_s).toString(), u"open"_s);
        QVERIFY(!open.contains(u"command_seq"_s));
    }

    void openHandsChain()
    {
        Scene scene;
        const QString path = scene.write(u"o.json"_s, trajectory(openHandsFile));
        QCOMPARE(CliRun::cli({u"ingest"_s, u"--db"_s, scene.dbPath(), u"--quiet"_s, path}).exitCode,
                 1);
        const QJsonObject chain = showJson(scene.dbPath(), openHandsTask);
        const QJsonObject task = chain.value(u"task"_s).toObject();
        QCOMPARE(task.value(u"id"_s).toString(), openHandsTask);
        QCOMPARE(task.value(u"source"_s).toString(), u"openhands"_s);
        QCOMPARE(task.value(u"state"_s).toString(), u"completed"_s);
        // Times without an offset are UTC; microseconds are cut to milliseconds.
        QCOMPARE(task.value(u"started_at"_s).toString(), u"2026-03-02T10:15:00.000Z"_s);
        QCOMPARE(task.value(u"completed_at"_s).toString(), u"2026-03-02T10:17:30.000Z"_s);
        QCOMPARE(task.value(u"known_gaps"_s).toArray(),
                 QJsonArray{u"OpenHands names no repository; the working directory was "
                            "/workspace/calendar"_s});
        const QJsonObject usage = task.value(u"usage"_s).toObject();
        QCOMPARE(usage.value(u"prompt_tokens"_s).toInteger(), 29000);
        QCOMPARE(usage.value(u"completion_tokens"_s).toInteger(), 980);
        QCOMPARE(usage.value(u"accumulated_cost"_s).toDouble(), 0.1034);
        QVERIFY(!usage.contains(u"response_id"_s));
        const QJsonArray sessions = task.value(u"sessions"_s).toArray();
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(at(sessions, 0).value(u"model"_s).toString(), u"claude-sonnet-4-5-20250929"_s);

        const QJsonArray commands = chain.value(u"commands"_s).toArray();
        QCOMPARE(commands.size(), 4);
        const QJsonObject failed = at(commands, 0);
        QCOMPARE(failed.value(u"argv"_s).toArray(), QJsonArray{u"python -m pytest -q"_s});
        QCOMPARE(failed.value(u"cwd"_s).toString(), u"/workspace/calendar"_s);
        QCOMPARE(failed.value(u"exit_code"_s).toInt(), 1);
        QCOMPARE(failed.value(u"started_at"_s).toString(), u"2026-03-02T10:15:05.250Z"_s);
        QCOMPARE(failed.value(u"ended_at"_s).toString(), u"2026-03-02T10:15:08.250Z"_s);
        QCOMPARE(failed.value(u"log_lines"_s).toInt(), 3);
        QCOMPARE(at(commands, 2).value(u"exit_code"_s).toInt(), 0);
        QCOMPARE(scene.lines(openHandsTask, 3), (QByteArrayList{"...", "3 passed in 0.25s"}));
        // OpenHands' -1 (no exit code: the command timed out) is an unknown exit code.
        const QJsonObject timedOut = at(commands, 3);
        QCOMPARE(timedOut.value(u"argv"_s).toArray(), QJsonArray{u"pip install python-dateutil"_s});
        QVERIFY(!timedOut.contains(u"exit_code"_s));

        const QJsonArray tests = task.value(u"tests"_s).toArray();
        QCOMPARE(tests.size(), 1);
        QCOMPARE(at(tests, 0).value(u"outcome"_s).toString(), u"passed"_s);
        QCOMPARE(at(tests, 0).value(u"command_seq"_s).toInt(), 3);
        QCOMPARE(at(tests, 0).value(u"duration_ms"_s).toInt(), 4250);
        const QJsonArray failures = task.value(u"failures"_s).toArray();
        QCOMPARE(failures.size(), 1);
        QCOMPARE(at(failures, 0).value(u"message"_s).toString(),
                 u"exit code 1: python -m pytest -q"_s);

        const QJsonArray files = task.value(u"files_changed"_s).toArray();
        QCOMPARE(files.size(), 2);
        QCOMPARE(at(files, 0).value(u"path"_s).toString(), u"calendar/dates.py"_s);
        QCOMPARE(at(files, 0).value(u"change"_s).toString(), u"modified"_s);
        QCOMPARE(at(files, 0).value(u"additions"_s).toInt(), 2);
        QCOMPARE(at(files, 0).value(u"deletions"_s).toInt(), 1);
        QCOMPARE(at(files, 1).value(u"path"_s).toString(), u"tests/test_zulu_more.py"_s);
        QCOMPARE(at(files, 1).value(u"additions"_s).toInt(), 4);

        const QJsonArray contacts = task.value(u"contacts"_s).toArray();
        QCOMPARE(contacts.size(), 1);
        QCOMPARE(at(contacts, 0).value(u"host"_s).toString(), u"docs.python.org"_s);
        QCOMPARE(at(contacts, 0).value(u"tool"_s).toString(), u"browse"_s);

        const QJsonArray transcript = chain.value(u"transcript"_s).toArray();
        QCOMPARE(transcript.size(), 24);
        QCOMPARE(at(transcript, 0).value(u"role"_s).toString(), u"system"_s);
        QCOMPARE(at(transcript, 1).value(u"role"_s).toString(), u"user"_s);
        QCOMPARE(at(transcript, 2).value(u"text"_s).toString(),
                 u"Run the tests first to see what fails."_s);
        const QJsonObject call = at(transcript, 3);
        QCOMPARE(call.value(u"role"_s).toString(), u"tool_call"_s);
        QCOMPARE(call.value(u"tool"_s).toString(), u"run"_s);
        QCOMPARE(call.value(u"call_id"_s).toString(), u"2"_s);
        QCOMPARE(call.value(u"command_seq"_s).toInt(), 1);
        const QJsonObject result = at(transcript, 4);
        QCOMPARE(result.value(u"role"_s).toString(), u"tool_result"_s);
        QCOMPARE(result.value(u"call_id"_s).toString(), u"2"_s); // the observation's cause
        QCOMPARE(result.value(u"is_error"_s).toBool(), true);
        QCOMPARE(result.value(u"at"_s).toString(), u"2026-03-02T10:15:08.250Z"_s);
        // An error observation is the failed call's result.
        const QJsonObject missing = at(transcript, 21);
        QCOMPARE(missing.value(u"tool"_s).toString(), u"read"_s);
        QCOMPARE(missing.value(u"call_id"_s).toString(), u"17"_s);
        QCOMPARE(missing.value(u"is_error"_s).toBool(), true);
        // think and finish are the agent's words.
        QCOMPARE(at(transcript, 22).value(u"text"_s).toString(),
                 u"The fix is in place and the suite passes."_s);
        QCOMPARE(at(transcript, 23).value(u"role"_s).toString(), u"assistant"_s);
        QVERIFY(at(transcript, 23).value(u"text"_s).toString().startsWith(u"ISO dates"_s));
    }

    // exit_status says how the run ended.
    void sweAgentOutcome_data()
    {
        QTest::addColumn<QByteArray>("status");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("reason");
        QTest::newRow("submitted") << QByteArray("submitted") << u"completed"_s << QString();
        QTest::newRow("submitted at the cost limit")
            << QByteArray("submitted (exit_cost)") << u"completed"_s << u"submitted (exit_cost)"_s;
        QTest::newRow("cost limit") << QByteArray("exit_cost") << u"failed"_s << u"exit_cost"_s;
        QTest::newRow("format errors")
            << QByteArray("exit_format") << u"failed"_s << u"exit_format"_s;
    }
    void sweAgentOutcome()
    {
        QFETCH(QByteArray, status);
        QFETCH(QString, state);
        QFETCH(QString, reason);
        Scene scene;
        const QString path =
            scene.write(u"t.traj"_s,
                        mendedSweAgent().replace("\"exit_status\": \"submitted\"",
                                                 QByteArray("\"exit_status\": \"" + status + '"')));
        const auto run = scene.ingest({path});
        QVERIFY2(run.ok && run.issues.isEmpty(), qPrintable(run.describe().join(u'\n')));
        const auto chain = scene.store().taskChain(sweTask);
        QVERIFY(chain);
        QCOMPARE(toString(chain->task.state), state);
        QCOMPARE(chain->task.stateReason, reason);
        QCOMPARE(chain->commands.size(), 7); // the mended step is read too
    }

    // Without an exit code, a test's outcome is what its runner's summary says, and there is
    // no result when it says nothing.
    void sweAgentTestOutcome_data()
    {
        QTest::addColumn<QByteArray>("output");
        QTest::addColumn<QString>("outcome"); // empty: no test result
        QTest::newRow("pytest passed") << QByteArray("....\\n4 passed in 0.31s") << u"passed"_s;
        QTest::newRow("pytest failed")
            << QByteArray("F...\\n1 failed, 3 passed in 0.40s") << u"failed"_s;
        QTest::newRow("pytest error") << QByteArray("E\\n1 error in 0.10s") << u"failed"_s;
        QTest::newRow("no failures counted")
            << QByteArray("test result: ok. 4 passed; 0 failed; 0 ignored") << u"passed"_s;
        QTest::newRow("unittest") << QByteArray("Ran 4 tests in 0.002s\\n\\nOK") << u"passed"_s;
        QTest::newRow("no summary") << QByteArray("collecting ...") << QString();
    }
    void sweAgentTestOutcome()
    {
        QFETCH(QByteArray, output);
        QFETCH(QString, outcome);
        Scene scene;
        QByteArray content = mendedSweAgent();
        QVERIFY(content.contains("....\\n4 passed in 0.31s"));
        content.replace("....\\n4 passed in 0.31s", output);
        QVERIFY(scene.ingest({scene.write(u"t.traj"_s, content)}).ok);
        const auto chain = scene.store().taskChain(sweTask);
        QVERIFY(chain);
        QCOMPARE(chain->task.tests.size(), outcome.isEmpty() ? 0 : 1);
        if (!outcome.isEmpty())
            QCOMPARE(chain->task.tests.constFirst().outcome, outcome);
    }

    // A malformed member outside the steps loses only what it held.
    void sweAgentMalformedInfo()
    {
        Scene scene;
        QByteArray content = mendedSweAgent();
        content.replace("\"api_calls\": 9", "\"api_calls\": 9,,");
        const QString path = scene.write(u"t.traj"_s, content);
        const auto run = scene.ingest({path});
        QVERIFY(run.ok);
        QCOMPARE(run.issues.size(), 1);
        const int line = int(content.left(content.indexOf(",,")).count('\n')) + 1;
        QVERIFY2(run.issues.constFirst().toString().startsWith(path % u':' % QString::number(line) %
                                                               u": info: JSON syntax error"_s),
                 qPrintable(run.issues.constFirst().toString()));
        const auto chain = scene.store().taskChain(sweTask);
        QVERIFY(chain);
        QCOMPARE(chain->commands.size(), 7);
        QCOMPARE(toString(chain->task.state), u"unknown"_s);
        QVERIFY(chain->task.knownGaps.contains(
            u"the info member is malformed: no outcome, patch or usage"_s));
    }

    // The stream is named after its first event: mended and ingested again, the same task
    // gains what it missed, and nothing is duplicated.
    void openHandsMendedElement()
    {
        Scene scene;
        const QByteArray broken = trajectory(openHandsFile);
        QVERIFY(scene.ingest({scene.write(u"o.json"_s, broken)}).ok);
        QByteArray mended = broken;
        mended.replace("\"source\": \"agent\"\n    \"action\": \"run\"",
                       "\"source\": \"agent\",\n    \"action\": \"run\"");
        QVERIFY(mended != broken);
        const auto run = scene.ingest({scene.write(u"o.json"_s, mended)});
        QVERIFY2(run.ok && run.issues.isEmpty(), qPrintable(run.describe().join(u'\n')));
        QCOMPARE(scene.store().stats().tasks, 1);
        const auto chain = scene.store().taskChain(openHandsTask);
        QVERIFY(chain);
        // The mended `ls tests` has no observation: a command without exit code or output.
        QCOMPARE(chain->commands.size(), 5);
        QCOMPARE(chain->commands.constLast().record.argv, QStringList{u"ls tests"_s});
        QVERIFY(!chain->commands.constLast().record.exitCode);
    }

    // A directory of mixed formats: each file is read as what its content is.
    void mixedDirectory()
    {
        Scene scene;
        QDir(scene.path({})).mkpath(u"in"_s);
        scene.write(u"in/a.traj"_s, trajectory(sweFile));
        scene.write(u"in/b.json"_s, trajectory(openHandsFile));
        scene.write(u"in/c.jsonl"_s, fixture(u"transcripts/codex-rollout.jsonl"_s));
        scene.write(u"in/d.jsonl"_s,
                    "{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"T-own\",\"repo\":\"acme/x\"}\n");
        const auto run = scene.ingest({scene.path(u"in"_s)});
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.files, 4);
        QCOMPARE(run.counts.rejected, 3); // one bad element or line in each agent's file
        QCOMPARE(scene.store().taskChain(sweTask)->task.source, u"swe-agent"_s);
        QCOMPARE(scene.store().taskChain(openHandsTask)->task.source, u"openhands"_s);
        QVERIFY(scene.store().taskChain(u"T-own"_s));
    }
};

QTEST_GUILESS_MAIN(TestAgentTrajectories)
#include "tst_agenttrajectories.moc"
