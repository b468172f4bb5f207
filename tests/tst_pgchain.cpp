// What the chain view and `show` read, on SQLite and PostgreSQL: the same fixture files
// ingested into both show the same chains (`tasktrail-cli show`, json and text); log lines page and
// are found the same way; a task's conversation gives the same rows and finds; a killed ingest on
// PostgreSQL leaves exactly the batches it committed.
#include "backends.h"
#include "clirun.h"

#include "ingest/ingestor.h"
#include "store/recordstore.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace Tasktrail::CliRun;

namespace {

QString data(const QString &path)
{
    return QStringLiteral(TASKTRAIL_TEST_DATA) + u'/' + path;
}

const QString claudeTask = u"0f3c2a9e-5d41-4b7a-9c1e-7a2b3c4d5e6f"_s;
const QString codexTask = u"7d1e9b20-4c3a-4f5e-8a6b-1c2d3e4f5a6b"_s;

// A run of the audit fixture's token (its hashed_token) in the events' repository, so that the
// stream's events link to it.
const QByteArray auditRun =
    R"({"tasktrail":1,"kind":"identity","id":"I-mig","identity_kind":"github_app_installation_token","principal":"svc-migrations[bot]","hashed_token":"g5g7tITZyudvM0a10iwURsjpTIikj6tf8I4dnMJtnR0="})"
    "\n"
    R"({"tasktrail":1,"kind":"task","id":"T-audit","repo":"acme-web/cart-api","identity_id":"I-mig","state":"completed","created_at":"2026-11-18T09:50:00Z","started_at":"2026-11-18T09:55:00Z","completed_at":"2026-11-18T10:20:00Z"})"
    "\n";

} // namespace

class TestPgChain final : public QObject
{
    Q_OBJECT

    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QString m_lite;
    QString m_pg;
    QStringList m_inputs;
    QList<int> m_issues; // the ingest issues of each backend's database

    std::unique_ptr<RecordStore> open(const QString &location)
    {
        QString error;
        auto store = openStore(location, &error);
        if (!store)
            qWarning("%s", qPrintable(error));
        return store;
    }

    // A fresh database of `backend` holding the fixture files, stored by the ingest's reader
    // and writer. (`tasktrail-cli ingest` also checks the runs it stored, which needs the
    // findings store on PostgreSQL; the chain does not.)
    QString ingested(const QString &backend)
    {
        const QString location = m_db.fresh(backend);
        auto store = open(location);
        if (!store)
            return {};
        Ingestor ingestor(*store);
        int issues = 0;
        QObject::connect(&ingestor, &Ingestor::issueFound, [&issues] { ++issues; });
        if (!ingestor.ingest(m_inputs)) {
            qWarning("ingest into %s: %s", qPrintable(backend), qPrintable(ingestor.errorString()));
            return {};
        }
        m_issues << issues;
        return location;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
        QVERIFY(m_dir.isValid());
        QFile records(m_dir.filePath(u"audit-run.jsonl"_s));
        QVERIFY(records.open(QIODevice::WriteOnly));
        records.write(auditRun);
        records.close();
        m_inputs = QStringList{data(u"ingest/good.jsonl"_s),
                               data(u"ingest/logs/two-commands.log"_s),
                               data(u"github/agent-task.json"_s),
                               data(u"github/pull-requests.json"_s),
                               data(u"github/reviews.json"_s),
                               data(u"github/check-runs.json"_s),
                               data(u"github/check-suites.json"_s),
                               data(u"audit/stream.ndjson"_s),
                               data(u"transcripts/claude-code-session.jsonl"_s),
                               data(u"transcripts/codex-rollout.jsonl"_s),
                               records.fileName()};
        m_lite = ingested(u"sqlite"_s);
        m_pg = ingested(u"postgresql"_s);
        QVERIFY(!m_lite.isEmpty() && !m_pg.isEmpty());
        // The same lines of the fixtures are rejected on both (lines they hold on purpose).
        QCOMPARE(m_issues.size(), 2);
        QVERIFY(m_issues.at(0) > 0);
        QCOMPARE(m_issues.at(1), m_issues.at(0));
    }

    // Every task of the fixtures, in id order, on both.
    void sameTasks()
    {
        auto lite = open(m_lite);
        auto pg = open(m_pg);
        QVERIFY(lite && pg);
        const QStringList ids = lite->taskIds(0, -1);
        QVERIFY2(ids.size() >= 4, qPrintable(ids.join(u' ')));
        QCOMPARE(pg->taskIds(0, -1), ids);
        QCOMPARE(pg->taskIds(1, 2), lite->taskIds(1, 2));
        QCOMPARE(pg->taskIdsForSession(claudeTask), QStringList{claudeTask});
        QCOMPARE(pg->taskIdsForPullRequest(u"acme/web"_s, 42),
                 lite->taskIdsForPullRequest(u"acme/web"_s, 42));
        QCOMPARE(pg->identity(u"I-bot"_s).has_value(), true);
        QCOMPARE(pg->identity(u"I-bot"_s)->scopes, lite->identity(u"I-bot"_s)->scopes);
        QCOMPARE(pg->identity(u"I-bot"_s)->tokenId, u"9911"_s);
        QVERIFY(!pg->identity(u"nobody"_s));
    }

    void showIsTheSame_data()
    {
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("format");
        for (const QString &task : {u"T-1"_s, u"T-audit"_s, claudeTask, codexTask}) {
            QTest::addRow("%s json", qPrintable(task)) << task << u"json"_s;
            QTest::addRow("%s text", qPrintable(task)) << task << u"text"_s;
        }
    }
    void showIsTheSame()
    {
        QFETCH(QString, task);
        QFETCH(QString, format);
        const Run lite = cli({u"show"_s, u"--db"_s, m_lite, u"--format"_s, format, task});
        const Run pg = cli({u"show"_s, u"--db"_s, m_pg, u"--format"_s, format, task});
        QVERIFY2(lite.exitCode == 0, qPrintable(lite.err));
        QVERIFY2(pg.exitCode == 0, qPrintable(pg.err));
        QVERIFY(lite.out.size() > 200);
        QCOMPARE(pg.out, lite.out);
        if (format == u"json") {
            // Not an empty chain twice: each part the fixtures give is there.
            const QJsonObject chain = QJsonDocument::fromJson(pg.out.toUtf8()).object();
            QCOMPARE(chain.value(u"task"_s).toObject().value(u"id"_s).toString(), task);
            if (task == u"T-1")
                QVERIFY(chain.contains(u"pull_request"_s) && chain.contains(u"identity"_s));
            if (task == u"T-audit")
                QCOMPARE(chain.value(u"audit_events"_s).toArray().size(), 2);
            if (task == claudeTask)
                QCOMPARE(chain.value(u"transcript"_s).toArray().size(), 21);
        }
    }

    // The evidence chain covers what the ingest stored, transcript entries and audit events
    // included, with the same record states on both.
    void evidenceCoversTheSameStates()
    {
        auto lite = open(m_lite);
        auto pg = open(m_pg);
        QVERIFY(lite && pg);
        const EvidenceReport a = lite->verifyEvidence({});
        const EvidenceReport b = pg->verifyEvidence({});
        QVERIFY2(b.problems.isEmpty(), qPrintable(b.problems.value(0).problem));
        QVERIFY(a.problems.isEmpty());
        QCOMPARE(b.entries, a.entries);
        QList<std::pair<QString, QString>> records{{u"transcript"_s, claudeTask},
                                                   {u"transcript"_s, codexTask}};
        // An audit event is in the `audit_events` entry of its batch, the same on both.
        for (const AuditLink &link : lite->auditEvents(u"T-audit"_s)) {
            const QString sql = u"SELECT ref FROM evidence WHERE kind = 'audit_events' AND ref "
                                "LIKE '%%\"%1\"%%' ORDER BY seq DESC"_s.arg(link.event.id);
            const QString ref = m_db.sql(m_lite, sql);
            QVERIFY2(!ref.isEmpty(), qPrintable(link.event.id));
            QCOMPARE(m_db.sql(m_pg, sql), ref);
            QCOMPARE(pg->currentEvidenceState(u"audit_event"_s, link.event.id).toHex(),
                     lite->currentEvidenceState(u"audit_event"_s, link.event.id).toHex());
            if (!records.contains(std::pair(u"audit_events"_s, ref)))
                records.append({u"audit_events"_s, ref});
        }
        QCOMPARE(records.size(), 3);
        for (const auto &[kind, ref] : std::as_const(records)) {
            const auto x = lite->latestEvidence(kind, ref);
            const auto y = pg->latestEvidence(kind, ref);
            QVERIFY2(x && y, qPrintable(kind + u' ' + ref));
            QCOMPARE(y->stateHash.toHex(), x->stateHash.toHex());
        }
    }

    // The outline: the chain without its conversation, its entries counted.
    void outlineLeavesTheConversationOut()
    {
        auto lite = open(m_lite);
        auto pg = open(m_pg);
        QVERIFY(lite && pg);
        const auto full = pg->taskChain(claudeTask);
        const auto outline = pg->taskChainOutline(claudeTask);
        QVERIFY(full && outline);
        QCOMPARE(full->transcript.size(), 21);
        QVERIFY(outline->transcript.isEmpty());
        QVERIFY(outline->transcripts.isEmpty());
        QCOMPARE(outline->transcriptEntries, 21);
        QCOMPARE(outline->commands.size(), full->commands.size());
        QCOMPARE(lite->taskChainOutline(claudeTask)->transcriptEntries, 21);
        QVERIFY(!pg->taskChain(u"no-such-task"_s));
    }

    // A conversation's rows, their positions and the search over them, on both.
    void transcriptRowsAndFind()
    {
        auto lite = open(m_lite);
        auto pg = open(m_pg);
        QVERIFY(lite && pg);
        const TranscriptOutline a = lite->transcriptOutline(claudeTask, 5);
        const TranscriptOutline b = pg->transcriptOutline(claudeTask, 5);
        QVERIFY(a.rows > 10 && a.rows < 21); // folded calls are not rows of their own
        QCOMPARE(b.rows, a.rows);
        QCOMPARE(b.sessions, a.sessions);
        QCOMPARE(b.anchors.size(), a.anchors.size());
        for (qsizetype i = 0; i < a.anchors.size(); ++i) {
            QCOMPARE(b.anchors.at(i).sessionId, a.anchors.at(i).sessionId);
            QCOMPARE(b.anchors.at(i).seq, a.anchors.at(i).seq);
        }
        const QList<TranscriptRow> rowsA = lite->transcriptRows(claudeTask, a.anchors.at(1), 7);
        const QList<TranscriptRow> rowsB = pg->transcriptRows(claudeTask, a.anchors.at(1), 7);
        QCOMPARE(rowsB.size(), 7);
        QCOMPARE(rowsB.size(), rowsA.size());
        int folded = 0;
        for (qsizetype i = 0; i < rowsA.size(); ++i) {
            QCOMPARE(rowsB.at(i).entry.seq, rowsA.at(i).entry.seq);
            QCOMPARE(rowsB.at(i).entry.text, rowsA.at(i).entry.text);
            QCOMPARE(rowsB.at(i).entry.at, rowsA.at(i).entry.at);
            QCOMPARE(rowsB.at(i).call.has_value(), rowsA.at(i).call.has_value());
            if (rowsA.at(i).call) {
                ++folded;
                QCOMPARE(rowsB.at(i).call->seq, rowsA.at(i).call->seq);
            }
        }
        QVERIFY(folded > 0);

        // The call of command 1 is folded under its result: its row is the result's.
        const auto callA = lite->transcriptCallOfCommand(claudeTask, 1);
        const auto callB = pg->transcriptCallOfCommand(claudeTask, 1);
        QVERIFY(callA && callB);
        QCOMPARE(callB->seq, callA->seq);
        QCOMPARE(pg->transcriptRowOf(claudeTask, *callB),
                 lite->transcriptRowOf(claudeTask, *callA));
        QVERIFY(pg->transcriptRowOf(claudeTask, *callB) >= 0);
        QCOMPARE(pg->transcriptRowOf(claudeTask, TranscriptPosition{u"nope"_s, 1}), -1);
        QVERIFY(!pg->transcriptCallOfCommand(claudeTask, 99));

        // Find: forwards and backwards, ASCII case ignored, from either end and from a row.
        for (const QString &text : {u"npm test"_s, u"NPM TEST"_s, u"validation"_s, u"%"_s}) {
            for (const bool backwards : {false, true}) {
                const auto x = lite->findTranscriptRow(claudeTask, {}, text, backwards);
                const auto y = pg->findTranscriptRow(claudeTask, {}, text, backwards);
                QCOMPARE(y.has_value(), x.has_value());
                if (!x)
                    continue;
                QCOMPARE(y->sessionId, x->sessionId);
                QCOMPARE(y->seq, x->seq);
                const auto nextX = lite->findTranscriptRow(claudeTask, *x, text, backwards);
                const auto nextY = pg->findTranscriptRow(claudeTask, *y, text, backwards);
                QCOMPARE(nextY.has_value(), nextX.has_value());
                if (nextX)
                    QCOMPARE(nextY->seq, nextX->seq);
            }
        }
        QVERIFY(pg->findTranscriptRow(claudeTask, {}, u"NPM TEST"_s, false));
        QVERIFY(!pg->findTranscriptRow(claudeTask, {}, u"no such words anywhere"_s, false));

        // A call read again keeps its command number; a new one takes the next free one.
        QCOMPARE(pg->commandSeqForCall(claudeTask, u"toolu_01"_s),
                 lite->commandSeqForCall(claudeTask, u"toolu_01"_s));
        QCOMPARE(pg->commandSeqForCall(claudeTask, u"toolu_new"_s),
                 lite->commandSeqForCall(claudeTask, u"toolu_new"_s));
        QCOMPARE(pg->commandSeqForCall(claudeTask, u"toolu_new"_s), std::optional<int>(4));
    }

    // A command's log a page at a time, and the line search over it.
    void logLinesPageAndFind_data() { Backends::addBackendRows(); }
    void logLinesPageAndFind()
    {
        QFETCH(QString, backend);
        auto store = open(m_db.fresh(backend));
        QVERIFY(store && store->beginBatch());
        const auto key = store->commandKey(u"T-log"_s, 1);
        const auto other = store->commandKey(u"T-log"_s, 2);
        QVERIFY(key && other);
        const QList<QByteArray> texts{"starting",    "Error: disk full", "50% done", "a_b c",
                                      "ÉCHEC total", "error again",      "finished"};
        for (int i = 0; i < texts.size(); ++i) {
            bool inserted = false;
            QVERIFY(
                store->appendLogLine(*key, LogLine{i + 1, 1000 + i, texts.at(i), {}}, &inserted));
            QVERIFY(inserted);
        }
        bool inserted = false;
        QVERIFY(store->appendLogLine(*other, LogLine{1, 0, "error elsewhere", {}}, &inserted));
        QVERIFY(store->commitBatch());

        const QList<LogLine> page = store->logLines(*key, 3, 2);
        QCOMPARE(page.size(), 2);
        QCOMPARE(page.at(0).lineNo, 3);
        QCOMPARE(page.at(0).text, QByteArray("50% done"));
        QCOMPARE(page.at(0).timestampMs, 1002);
        QCOMPARE(page.at(1).lineNo, 4);
        QCOMPARE(store->logLines(*key, 6, 100).size(), 2); // not into the next command's
        QCOMPARE(store->logLines(*key, 0, 1).at(0).lineNo, 1);
        QVERIFY(store->logLines(*key, 8, 10).isEmpty());
        QCOMPARE(store->logLines(*key, 1, -1).size(), 7); // no limit

        QCOMPARE(store->findLogLine(*key, 1, u"error"_s, false), std::optional<qint64>(2));
        QCOMPARE(store->findLogLine(*key, 3, u"ERROR"_s, false), std::optional<qint64>(6));
        QCOMPARE(store->findLogLine(*key, 7, u"error"_s, false), std::nullopt);
        QCOMPARE(store->findLogLine(*key, 7, u"error"_s, true), std::optional<qint64>(6));
        QCOMPARE(store->findLogLine(*key, 5, u"Error"_s, true), std::optional<qint64>(2));
        QCOMPARE(store->findLogLine(*key, 0, u"error"_s, true), std::nullopt);
        // Wildcards are literal; only ASCII letters fold.
        QCOMPARE(store->findLogLine(*key, 1, u"%"_s, false), std::optional<qint64>(3));
        QCOMPARE(store->findLogLine(*key, 1, u"a_b"_s, false), std::optional<qint64>(4));
        QCOMPARE(store->findLogLine(*key, 1, u"_"_s, false), std::optional<qint64>(4));
        QCOMPARE(store->findLogLine(*key, 1, u"échec"_s, false), std::nullopt);
        QCOMPARE(store->findLogLine(*key, 1, u"ÉCHEC"_s, false), std::optional<qint64>(5));
        QCOMPARE(store->findLogLine(*key, 1, QString(u"a\0b"_s), false), std::nullopt);
        QCOMPARE(store->findLogLineAny(*key, 1, {u"finished"_s, u"disk"_s}, false),
                 std::optional<qint64>(2));
        QCOMPARE(store->findLogLineAny(*key, 7, {u"STARTING"_s, u"DISK"_s}, true),
                 std::optional<qint64>(2));
        QCOMPARE(store->findLogLineAny(*key, 1, {}, false), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestPgChain)
#include "tst_pgchain.moc"
