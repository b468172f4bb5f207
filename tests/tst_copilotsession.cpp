// Copilot coding agent session logs: tool calls become commands, changed files and contacts.
#include "ingest/inputformat.h"
#include "ingestfixture.h"
#include "records/taskchain.h"

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

        const StoreStats before = scene.store().stats();
        const auto again = scene.ingest({file}, forTask(u"T-7"_s, u"S-1"_s));
        QCOMPARE(again.counts.ingested, 0);
        QCOMPARE(scene.store().stats().commands, before.commands);
        QCOMPARE(scene.store().stats().logLines, before.logLines);
    }

    void needsATask()
    {
        Scene scene;
        const auto run = scene.ingest({scene.write(u"session.log"_s, sessionLog())});
        QCOMPARE(run.counts.rejected, 1);
        QVERIFY2(!run.issueContaining(u"pass --task ID"_s).isEmpty(),
                 qPrintable(run.describe().join(u'\n')));
        QVERIFY(!scene.store().taskChain(u"T-7"_s));
    }
};

QTEST_GUILESS_MAIN(TestCopilotSession)
#include "tst_copilotsession.moc"
