// The Ingestor end to end on both backends: fixture files in, a real SQLite file or
// PostgreSQL database out, read back through the store's queries (and, for the "nothing
// changed" and "never stored" checks, on a connection of their own or from the stored bytes).
#include "backends.h"
#include "ingest/ingestor.h"
#include "sqlscalar.h"
#include "store/recordstore.h"
#include "store/sqliteschema.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// The raw token of the identity in good.jsonl. It must never reach the database.
const QByteArray rawToken = "ghp_Zq9RawTokenNeverStored0123456789abcd";

QString fixturePath(const QString &name)
{
    return QString::fromUtf8(TASKTRAIL_TEST_DATA) % u"/ingest/" % name;
}

QByteArray fixture(const QString &name)
{
    QFile file(fixturePath(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QDateTime utc(const char *rfc3339)
{
    return QDateTime::fromString(QString::fromLatin1(rfc3339), Qt::ISODateWithMs);
}

qint64 utcMs(const char *rfc3339)
{
    return utc(rfc3339).toMSecsSinceEpoch();
}

struct IngestRun
{
    bool ok = false;
    QString error;
    IngestCounts counts;
    QList<IngestIssue> issues;
    qint64 lastBytesDone = -1;
    qint64 bytesTotal = -1;

    QByteArray describeIssues() const
    {
        QStringList lines;
        for (const IngestIssue &issue : issues)
            lines << issue.toString();
        return lines.join(u'\n').toUtf8();
    }
};

QMap<QString, qint64> statsMap(const StoreStats &s)
{
    QMap<QString, qint64> m{{u"requests"_s, s.requests},
                            {u"campaigns"_s, s.campaigns},
                            {u"tasks"_s, s.tasks},
                            {u"identities"_s, s.identities},
                            {u"commands"_s, s.commands},
                            {u"logLines"_s, s.logLines},
                            {u"pullRequests"_s, s.pullRequests},
                            {u"mergedPullRequests"_s, s.mergedPullRequests},
                            {u"reviews"_s, s.reviews},
                            {u"checkRuns"_s, s.checkRuns},
                            {u"skippedRepos"_s, s.skippedRepos},
                            {u"ingestedFiles"_s, s.ingestedFiles},
                            {u"redactions"_s, s.redactions}};
    for (auto it = s.tasksByState.begin(); it != s.tasksByState.end(); ++it)
        m.insert(u"state:"_s % it.key(), it.value());
    for (auto it = s.skipsByRule.begin(); it != s.skipsByRule.end(); ++it)
        m.insert(u"skip:"_s % it.key(), it.value());
    return m;
}

QByteArrayList texts(const QList<LogLine> &lines)
{
    QByteArrayList out;
    for (const LogLine &line : lines)
        out << line.text;
    return out;
}

} // namespace

class TestIngest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void goodRecordsAllIngest_data() { Backends::addBackendRows(); }
    void goodRecordsAllIngest();
    void chainHasRequestCampaignAndDecisions_data() { Backends::addBackendRows(); }
    void chainHasRequestCampaignAndDecisions();
    void chainHasIdentityPolicyAndTemplate_data() { Backends::addBackendRows(); }
    void chainHasIdentityPolicyAndTemplate();
    void chainHasTheTaskWithItsNestedLists_data() { Backends::addBackendRows(); }
    void chainHasTheTaskWithItsNestedLists();
    void chainHasCommandsWithTheirLogs_data() { Backends::addBackendRows(); }
    void chainHasCommandsWithTheirLogs();
    void chainHasPullRequestReviewsAndChecks_data() { Backends::addBackendRows(); }
    void chainHasPullRequestReviewsAndChecks();
    void checkSuitesJoinTheirPullRequest_data() { Backends::addBackendRows(); }
    void checkSuitesJoinTheirPullRequest();
    void rawTokenNeverReachesTheDatabase_data() { Backends::addBackendRows(); }
    void rawTokenNeverReachesTheDatabase();

    void badRecordLines_data();
    void badRecordLines();

    void sameInputTwiceAddsNothing_data();
    void sameInputTwiceAddsNothing();

    void logLinesAreStored_data();
    void logLinesAreStored();
    void secretsInLogsAreRedacted_data();
    void secretsInLogsAreRedacted();
    void logsWithoutHeader_data();
    void logsWithoutHeader();
    void oddLogLinesAreKept_data();
    void oddLogLinesAreKept();
    void logHeaderLineNumbersAreBounded_data();
    void logHeaderLineNumbersAreBounded();
    void searchFindsLogLines_data();
    void searchFindsLogLines();
    void findNeverMatchesTextWithNul_data() { Backends::addBackendRows(); }
    void findNeverMatchesTextWithNul();

    void batches_data();
    void batches();

    void batchesAreWrittenInKeyOrder_data();
    void batchesAreWrittenInKeyOrder();
    void keyOrderKeepsEachTasksRecordsInFileOrder_data();
    void keyOrderKeepsEachTasksRecordsInFileOrder();
    void keyOrderedBatchReportsIssuesInLineOrder_data() { Backends::addBackendRows(); }
    void keyOrderedBatchReportsIssuesInLineOrder();
    void linesOfUnknownKeyStayInPlace_data();
    void linesOfUnknownKeyStayInPlace();
    void aSessionNamedByTwoTasksKeepsTheFileOrder_data();
    void aSessionNamedByTwoTasksKeepsTheFileOrder();
    void keyOrderedBatchShowsTheFirstWarningsByLine_data() { Backends::addBackendRows(); }
    void keyOrderedBatchShowsTheFirstWarningsByLine();
    void newCommandsGetKeysInFileOrder_data() { Backends::addBackendRows(); }
    void newCommandsGetKeysInFileOrder();

    void stoppedFirstLoadStillBuildsTheRunsIndexes_data();
    void stoppedFirstLoadStillBuildsTheRunsIndexes();
    void logsAreReadAfterTheirRuns_data() { Backends::addBackendRows(); }
    void logsAreReadAfterTheirRuns();

private:
    IngestRun ingest(const QStringList &paths, const IngestOptions &options = {});
    std::optional<TaskChain> ingestGoodChain();
    QString writeInput(const QString &name, const QByteArray &content);
    QList<LogLine> storedLines(const QString &taskId, int seq);
    QByteArray databaseBytes();
    QMap<QString, qint64> tableRows();

    Backends::Fixture m_db;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<RecordStore> m_store;
    QString m_location;
};

void TestIngest::initTestCase()
{
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
}

void TestIngest::init()
{
    // Every test and every data row starts from an empty database of its row's backend.
    QFETCH(QString, backend);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_location = m_db.fresh(backend);
    QString error;
    m_store = openStore(m_location, &error);
    QVERIFY2(m_store, qPrintable(error));
}

void TestIngest::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

IngestRun TestIngest::ingest(const QStringList &paths, const IngestOptions &options)
{
    Ingestor ingestor(*m_store);
    ingestor.setOptions(options);
    QSignalSpy issues(&ingestor, &Ingestor::issueFound);
    QSignalSpy progress(&ingestor, &Ingestor::progress);
    IngestRun run;
    run.ok = ingestor.ingest(paths);
    run.error = ingestor.errorString();
    run.counts = ingestor.counts();
    for (const QList<QVariant> &args : std::as_const(issues))
        run.issues << args.constFirst().value<IngestIssue>();
    if (!progress.isEmpty()) {
        run.lastBytesDone = progress.constLast().at(0).toLongLong();
        run.bytesTotal = progress.constLast().at(1).toLongLong();
    }
    return run;
}

std::optional<TaskChain> TestIngest::ingestGoodChain()
{
    const IngestRun run = ingest({fixturePath(u"good.jsonl"_s)});
    if (!run.ok || !run.issues.isEmpty()) {
        qWarning("good.jsonl did not ingest cleanly: %s\n%s", qPrintable(run.error),
                 run.describeIssues().constData());
        return std::nullopt;
    }
    return m_store->taskChain(u"T-1"_s);
}

QString TestIngest::writeInput(const QString &name, const QByteArray &content)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QList<LogLine> TestIngest::storedLines(const QString &taskId, int seq)
{
    const auto key = m_store->commandKey(taskId, seq);
    return key ? m_store->logLines(*key, 1, 100000) : QList<LogLine>{};
}

QByteArray TestIngest::databaseBytes()
{
    return m_db.storedBytes(m_location);
}

QMap<QString, qint64> TestIngest::tableRows()
{
    // A second connection: the count does not go through the code under test.
    return m_db.tableRows(m_location);
}

void TestIngest::goodRecordsAllIngest()
{
    const IngestRun run = ingest({fixturePath(u"good.jsonl"_s)});
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    QCOMPARE(run.counts.ingested, 10);
    QCOMPARE(run.counts.duplicates, 0);
    QCOMPARE(run.counts.rejected, 0);
    QCOMPARE(run.counts.warnings, 0);
    QCOMPARE(run.counts.redactions, 1); // the identity's raw token, hashed
    QCOMPARE(run.counts.files, 1);

    const QMap<QString, qint64> expected{
        {u"requests"_s, 1},     {u"campaigns"_s, 1},          {u"tasks"_s, 1},
        {u"identities"_s, 1},   {u"commands"_s, 2},           {u"logLines"_s, 3},
        {u"pullRequests"_s, 1}, {u"mergedPullRequests"_s, 1}, {u"reviews"_s, 1},
        {u"checkRuns"_s, 1},    {u"skippedRepos"_s, 1},       {u"ingestedFiles"_s, 1},
        {u"redactions"_s, 1},   {u"state:completed"_s, 1},    {u"skip:release_freeze"_s, 1}};
    QCOMPARE(statsMap(m_store->stats()), expected);
}

void TestIngest::chainHasRequestCampaignAndDecisions()
{
    const auto chain = ingestGoodChain();
    QVERIFY(chain);

    QVERIFY(chain->request);
    QCOMPARE(chain->request->id, u"R-100"_s);
    QCOMPARE(chain->request->text, u"Upgrade lodash to 4.17.21 in every web repository"_s);
    QCOMPARE(chain->request->requester, u"maria"_s);
    QCOMPARE(chain->request->triggerSystem, u"dev-portal"_s);
    QCOMPARE(chain->request->correlationId, u"PORTAL-881"_s);
    QCOMPARE(chain->request->createdAt, utc("2026-03-01T11:00:00Z"));

    QVERIFY(chain->campaign);
    QCOMPARE(chain->campaign->title, u"lodash 4.17.21 everywhere"_s);
    QCOMPARE(chain->campaign->requestId, u"R-100"_s);

    QVERIFY(chain->decision);
    QCOMPARE(toString(chain->decision->verdict), u"eligible"_s);
    QCOMPARE(chain->decision->rule, u"default"_s);
    QCOMPARE(chain->decision->taskId, u"T-1"_s);

    const auto campaign = m_store->campaign(u"C-7"_s);
    QVERIFY(campaign);
    QCOMPARE(campaign->skipped, 1);
    const auto skipped = std::find_if(
        campaign->repos.cbegin(), campaign->repos.cend(),
        [](const CampaignSummary::RepoOutcome &r) { return r.decision.repo == u"acme/billing"; });
    QVERIFY(skipped != campaign->repos.cend());
    QCOMPARE(toString(skipped->decision.verdict), u"skipped"_s);
    QCOMPARE(skipped->decision.rule, u"release_freeze"_s);
    QCOMPARE(skipped->decision.reason, u"release freeze until 2026-03-15"_s);
    QCOMPARE(skipped->decision.evidence, u"freeze.yml"_s);
}

void TestIngest::chainHasIdentityPolicyAndTemplate()
{
    const auto chain = ingestGoodChain();
    QVERIFY(chain);

    QVERIFY(chain->identity);
    QCOMPARE(toString(chain->identity->kind), u"fine_grained_pat"_s);
    QCOMPARE(chain->identity->principal, u"deps-bot"_s);
    QCOMPARE(chain->identity->onBehalfOf, u"maria"_s);
    QCOMPARE(chain->identity->scopes, QStringList({u"contents:write"_s, u"pull_requests:write"_s}));
    QCOMPARE(chain->identity->tokenId, u"9911"_s);
    // GitHub's audit log form: base64 of the SHA-256 of the token.
    const QByteArray digest = QCryptographicHash::hash(rawToken, QCryptographicHash::Sha256);
    QCOMPARE(chain->identity->hashedToken, QString::fromLatin1(digest.toBase64()));

    QVERIFY(chain->policy);
    QCOMPARE(chain->policy->id, u"P-deps"_s);
    QCOMPARE(chain->policy->version, u"3"_s);
    QCOMPARE(chain->policy->name, u"Dependency upgrades"_s);
    QCOMPARE(chain->policy->verdict, u"allowed"_s);
    QCOMPARE(chain->policy->digest, u"sha256:9f2c41"_s);

    QVERIFY(chain->taskTemplate);
    QCOMPARE(chain->taskTemplate->version, u"2"_s);
    QCOMPARE(chain->taskTemplate->name, u"Upgrade one package"_s);
    QCOMPARE(chain->taskTemplate->digest, u"sha256:77aa03"_s);
}

void TestIngest::chainHasTheTaskWithItsNestedLists()
{
    const auto chain = ingestGoodChain();
    QVERIFY(chain);
    const TaskRecord &t = chain->task;

    QCOMPARE(t.repo, u"acme/web"_s);
    QCOMPARE(toString(t.state), u"completed"_s);
    QCOMPARE(t.prompt, u"Upgrade lodash to 4.17.21 and run the tests"_s);
    QCOMPARE(t.source, u"tasktrail"_s);
    QCOMPARE(t.startedAt, utc("2026-03-01T12:00:00Z"));
    QCOMPARE(t.completedAt, utc("2026-03-01T12:09:30Z"));
    QCOMPARE(t.confidence, std::optional<double>(0.8));
    QCOMPARE(t.knownGaps, QStringList{u"no browser tests"_s});
    QCOMPARE(t.retries, std::optional<int>(1));
    QCOMPARE(t.usage.value(u"premium_requests").toInt(), 3);

    QCOMPARE(t.sessions.size(), 2);
    QCOMPARE(t.sessions.at(0).id, u"S-1"_s);
    QCOMPARE(toString(t.sessions.at(0).state), u"failed"_s);
    QCOMPARE(t.sessions.at(0).error, u"test timeout"_s);
    QCOMPARE(toString(t.sessions.at(1).state), u"completed"_s);

    QCOMPARE(t.tests.size(), 2);
    QCOMPARE(t.tests.at(0).name, u"cart totals"_s);
    QCOMPARE(t.tests.at(0).outcome, u"failed"_s);
    QCOMPARE(t.tests.at(0).commandSeq, 2);
    QCOMPARE(t.tests.at(0).durationMs, std::optional<qint64>(420));
    QCOMPARE(t.tests.at(1).outcome, u"passed"_s);

    QCOMPARE(t.filesChanged.size(), 2);
    QCOMPARE(t.filesChanged.at(1).path, u"package.json"_s);
    QCOMPARE(t.filesChanged.at(1).change, u"modified"_s);
    QCOMPARE(t.filesChanged.at(0).additions, 12);

    QCOMPARE(t.contacts.size(), 1);
    QCOMPARE(t.contacts.at(0).host, u"registry.npmjs.org"_s);
    QCOMPARE(t.contacts.at(0).tool, u"npm"_s);
    QCOMPARE(t.contacts.at(0).at, utc("2026-03-01T12:05:12Z"));

    QCOMPARE(t.failures.size(), 1);
    QCOMPARE(t.failures.at(0).kind, u"timeout"_s);
    QCOMPARE(t.failures.at(0).message, u"tests timed out after 240 s"_s);
    QVERIFY(t.failures.at(0).retried);
}

void TestIngest::chainHasCommandsWithTheirLogs()
{
    const auto chain = ingestGoodChain();
    QVERIFY(chain);

    QCOMPARE(chain->commands.size(), 2);
    const TaskChain::Command &ci = chain->commands.at(0);
    QCOMPARE(ci.record.argv, QStringList({u"npm"_s, u"ci"_s}));
    QCOMPARE(ci.record.cwd, u"/work/web"_s);
    QCOMPARE(ci.record.exitCode, std::optional<int>(0));
    QCOMPARE(ci.record.endedAt, utc("2026-03-01T12:05:40Z"));
    QCOMPARE(ci.logLines, 0);

    const TaskChain::Command &test = chain->commands.at(1);
    QCOMPARE(test.record.argv, QStringList({u"npm"_s, u"test"_s}));
    QCOMPARE(test.record.exitCode, std::optional<int>(1));
    QCOMPARE(test.logLines, 3);
    const QList<LogLine> lines = m_store->logLines(test.key, 1, 10);
    QCOMPARE(texts(lines), QByteArrayList({"> web@1.0.0 test", "FAIL cart totals",
                                           "Tests: 1 failed, 1 passed, 2 total"}));
    QCOMPARE(lines.at(1).lineNo, 2);
    QCOMPARE(lines.at(1).ansi, QByteArray("\x1b[31mFAIL\x1b[0m cart totals"));
}

void TestIngest::chainHasPullRequestReviewsAndChecks()
{
    const auto chain = ingestGoodChain();
    QVERIFY(chain);

    // The task names no PR number: it is linked by repository and head ref.
    QCOMPARE(chain->task.prNumber, std::optional<int>(42));
    QVERIFY(chain->pullRequest);
    const PullRequestRecord &pr = *chain->pullRequest;
    QCOMPARE(pr.number, 42);
    QCOMPARE(pr.title, u"Upgrade lodash to 4.17.21"_s);
    QVERIFY(pr.merged());
    QCOMPARE(pr.mergedBy, u"maria"_s);
    QCOMPARE(pr.labels, QStringList{u"dependencies"_s});
    QCOMPARE(pr.requestedReviewers, QStringList{u"omar"_s});

    QCOMPARE(chain->reviews.size(), 1);
    QCOMPARE(chain->reviews.at(0).reviewer, u"omar"_s);
    QCOMPARE(chain->reviews.at(0).state, u"APPROVED"_s);

    QCOMPARE(chain->checkRuns.size(), 1);
    QCOMPARE(chain->checkRuns.at(0).name, u"ci / test"_s);
    QCOMPARE(chain->checkRuns.at(0).conclusion, u"success"_s);
    QCOMPARE(chain->checkRuns.at(0).prNumber, std::optional<int>(42));
}

void TestIngest::rawTokenNeverReachesTheDatabase()
{
    QVERIFY(fixture(u"good.jsonl"_s).contains(rawToken)); // or this test proves nothing
    const auto chain = ingestGoodChain();
    QVERIFY(chain);
    QVERIFY(chain->identity);
    const QByteArray hashed = chain->identity->hashedToken.toUtf8();
    const QByteArray tokenBody = rawToken.mid(4); // without "ghp_"

    // SQLite: the database file and its write-ahead log; PostgreSQL: every row, dumped.
    const QByteArray open = databaseBytes();
    QVERIFY(open.contains(hashed));
    QVERIFY(!open.contains(rawToken));
    QVERIFY(!open.contains(tokenBody));

    m_store.reset(); // closing checkpoints SQLite's log into the database file
    const QByteArray closed = databaseBytes();
    QVERIFY(closed.contains(hashed));
    QVERIFY(!closed.contains(rawToken));
    QVERIFY(!closed.contains(tokenBody));
}

void TestIngest::badRecordLines_data()
{
    // Each input has a good request on the lines before and after the bad one; those two
    // must be stored whatever happens to the line between them.
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("ingested");
    QTest::addColumn<int>("duplicates");
    QTest::addColumn<int>("rejected");
    QTest::addColumn<int>("warnings");
    QTest::addColumn<int>("requestsStored");
    QTest::addColumn<int>("issueLine");
    QTest::addColumn<QString>("reason"); // empty: no issue at all
    QTest::addColumn<bool>("warning");

    const QByteArray before = R"({"tasktrail":1,"kind":"request","id":"R-before"})";
    const QByteArray after = R"({"tasktrail":1,"kind":"request","id":"R-after"})";
    const QByteArray huge = R"({"tasktrail":1,"kind":"request","id":"R-huge","text":")" +
                            QByteArray(50 * 1024 * 1024, 'x') + "\"}";

    Backends::forEachBackend([&](const auto &row) {
        row("truncated JSON") << fixture(u"bad/truncated-json.jsonl"_s) << 2 << 0 << 1 << 0 << 2
                              << 2 << u"invalid JSON at column"_s << false;
        row("exit_code is a string")
            << fixture(u"bad/exit-code-not-integer.jsonl"_s) << 2 << 0 << 1 << 0 << 2 << 2
            << u"command: field 'exit_code': expected an integer, got a string"_s << false;
        row("argv is a string") << fixture(u"bad/argv-not-array.jsonl"_s) << 2 << 0 << 1 << 0 << 2
                                << 2 << u"command: field 'argv': expected an array, got a string"_s
                                << false;
        row("wrong type inside a task's commands")
            << fixture(u"bad/nested-wrong-type.jsonl"_s) << 2 << 0 << 1 << 0 << 2 << 2
            << u"command: field 'exit_code': expected an integer, got a string"_s << false;
        row("unknown kind") << fixture(u"bad/unknown-kind.jsonl"_s) << 2 << 0 << 1 << 0 << 2 << 2
                            << u"unknown record kind 'deployment'"_s << false;
        row("missing required field") << fixture(u"bad/missing-field.jsonl"_s) << 2 << 0 << 1 << 0
                                      << 2 << 2 << u"missing required field 'repo'"_s << false;
        row("unsupported format version")
            << fixture(u"bad/version-2.jsonl"_s) << 2 << 0 << 1 << 0 << 2 << 2
            << u"record format version 2 is not supported"_s << false;
        row("invalid UTF-8") << fixture(u"bad/invalid-utf8.jsonl"_s) << 2 << 0 << 1 << 0 << 2 << 2
                             << u"not valid UTF-8"_s << false;
        row("same record twice in one file: a duplicate, not an error")
            << fixture(u"bad/duplicate.jsonl"_s) << 2 << 1 << 0 << 0 << 2 << 0 << QString()
            << false;
        row("empty file: a warning, nothing rejected")
            << fixture(u"bad/empty.jsonl"_s) << 0 << 0 << 0 << 1 << 0 << 0 << u"file is empty"_s
            << true;

        row("50 MB line") << QByteArray(before + '\n' + huge + '\n' + after + '\n') << 2 << 0 << 1
                          << 0 << 2 << 2
                          << u"record of %1 bytes is larger than the 16777216 byte limit"_s.arg(
                                 huge.size())
                          << false;
    });
}

void TestIngest::badRecordLines()
{
    QFETCH(QByteArray, content);
    QFETCH(int, ingested);
    QFETCH(int, duplicates);
    QFETCH(int, rejected);
    QFETCH(int, warnings);
    QFETCH(int, requestsStored);
    QFETCH(int, issueLine);
    QFETCH(QString, reason);
    QFETCH(bool, warning);

    const QString path = writeInput(u"input.jsonl"_s, content);
    const IngestRun run = ingest({path});
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.ingested, ingested);
    QCOMPARE(run.counts.duplicates, duplicates);
    QCOMPARE(run.counts.rejected, rejected);
    QCOMPARE(run.counts.warnings, warnings);
    QCOMPARE(m_store->stats().requests, requestsStored);

    if (reason.isEmpty()) {
        QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
        return;
    }
    QCOMPARE(run.issues.size(), 1);
    const IngestIssue &issue = run.issues.constFirst();
    QCOMPARE(issue.file, path);
    QCOMPARE(issue.line, issueLine);
    QVERIFY2(issue.reason.contains(reason), qPrintable(issue.reason));
    QCOMPARE(issue.severity == IngestIssue::Severity::Warning, warning);
}

void TestIngest::sameInputTwiceAddsNothing_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("fixtureName");

    Backends::forEachBackend([&](const auto &row) {
        row("record file") << u"good.jsonl"_s;
        row("command log") << u"logs/two-commands.log"_s;
        row("record file with a rejected line") << u"bad/truncated-json.jsonl"_s;
        row("log with rejected lines") << u"logs/before-header.log"_s;
    });
}

void TestIngest::sameInputTwiceAddsNothing()
{
    QFETCH(QString, fixtureName);

    const QString path = fixturePath(fixtureName);
    const IngestRun first = ingest({path});
    QVERIFY2(first.ok, qPrintable(first.error));
    QVERIFY(first.counts.ingested > 0);
    const QMap<QString, qint64> rows = tableRows();
    QVERIFY(!rows.isEmpty());
    const QMap<QString, qint64> stats = statsMap(m_store->stats());

    const IngestRun second = ingest({path});
    QVERIFY2(second.ok, qPrintable(second.error));
    QCOMPARE(second.counts.ingested, 0);
    QCOMPARE(second.counts.duplicates, first.counts.ingested + first.counts.duplicates);
    QCOMPARE(second.counts.rejected, first.counts.rejected);
    QCOMPARE(tableRows(), rows);
    QCOMPARE(statsMap(m_store->stats()), stats);

    // The same bytes under another name are the same input.
    const QString copy = m_dir->filePath(u"copy-of-input"_s);
    QVERIFY(QFile::copy(path, copy));
    const IngestRun third = ingest({copy});
    QVERIFY2(third.ok, qPrintable(third.error));
    QCOMPARE(third.counts.ingested, 0);
    QCOMPARE(third.counts.duplicates, first.counts.ingested + first.counts.duplicates);
    QCOMPARE(tableRows(), rows);
    QCOMPARE(statsMap(m_store->stats()), stats);
}

void TestIngest::logLinesAreStored_data()
{
    // Every line of logs/two-commands.log as it is stored: numbered within its section,
    // timestamp parsed (in UTC) and cut off, ANSI escapes kept apart from the plain text.
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("command");
    QTest::addColumn<int>("lineNo");
    QTest::addColumn<qint64>("timestampMs");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("ansi");

    Backends::forEachBackend([&](const auto &row) {
        row("1:1 milliseconds") << 1 << 1 << utcMs("2026-03-01T12:05:10.250Z")
                                << QByteArray("npm ci") << QByteArray();
        row("1:2 seven-digit fraction")
            << 1 << 2 << utcMs("2026-03-01T12:05:39Z")
            << QByteArray("added 812 packages, frobnicated 3 in 29s") << QByteArray();
        row("2:1 numbered from 1 again, +02:00 stored as UTC")
            << 2 << 1 << utcMs("2026-03-01T12:05:41Z") << QByteArray("> web@1.0.0 test")
            << QByteArray();
        row("2:2 ANSI kept apart")
            << 2 << 2 << utcMs("2026-03-01T12:05:50.500Z") << QByteArray("FAIL src/cart.test.ts")
            << QByteArray("\x1b[31mFAIL\x1b[0m src/cart.test.ts");
        row("2:3 no timestamp") << 2 << 3 << qint64(0) << QByteArray("no timestamp on this line")
                                << QByteArray();
    });
}

void TestIngest::logLinesAreStored()
{
    QFETCH(int, command);
    QFETCH(int, lineNo);
    QFETCH(qint64, timestampMs);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, ansi);

    const IngestRun run = ingest({fixturePath(u"logs/two-commands.log"_s)});
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    QCOMPARE(run.counts.ingested, 5);
    QCOMPARE(storedLines(u"T-1"_s, 1).size(), 2);
    QCOMPARE(storedLines(u"T-1"_s, 2).size(), 3);

    const QList<LogLine> lines = storedLines(u"T-1"_s, command);
    QVERIFY(lineNo <= lines.size());
    const LogLine &line = lines.at(lineNo - 1);
    QCOMPARE(line.lineNo, lineNo);
    QCOMPARE(line.timestampMs, timestampMs);
    QCOMPARE(line.text, text);
    QCOMPARE(line.ansi, ansi);
}

void TestIngest::secretsInLogsAreRedacted_data()
{
    // The same six lines as a command log and as a "log" record.
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("fixtureName");
    QTest::addColumn<int>("ingested");

    Backends::forEachBackend([&](const auto &row) {
        row("command log") << u"logs/secrets.log"_s << 6;
        row("log record") << u"secrets-log-record.jsonl"_s << 1;
    });
}

void TestIngest::secretsInLogsAreRedacted()
{
    QFETCH(QString, fixtureName);
    QFETCH(int, ingested);

    const IngestRun run = ingest({fixturePath(fixtureName)});
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    QCOMPARE(run.counts.ingested, ingested);
    QCOMPARE(run.counts.redactions, 3); // header, key block, token
    QCOMPARE(texts(storedLines(u"T-2"_s, 1)),
             QByteArrayList({"curl -H \"Authorization: [REDACTED:authorization]\" "
                             "https://api.internal",
                             "[REDACTED:private-key]", "[REDACTED:private-key]",
                             "[REDACTED:private-key]",
                             "git push https://x-access-token:[REDACTED:github-token]"
                             "@github.com/acme/web",
                             "pushed deps/lodash-4.17.21"}));

    const QByteArray db = databaseBytes();
    QVERIFY(!db.contains("abc123"));
    QVERIFY(!db.contains("keyBodyNeverStored"));
    QVERIFY(!db.contains("aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"));
    QCOMPARE(m_store->stats().redactions, 3);
}

// A check_suite webhook and a list of suites: stored once, shown with the pull request of
// their head commit, in the evidence chain.
void TestIngest::checkSuitesJoinTheirPullRequest()
{
    const QString github = QString::fromUtf8(TASKTRAIL_TEST_DATA) % u"/github/";
    const QString task = m_dir->filePath(u"task.jsonl"_s);
    QFile out(task);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(R"({"tasktrail":1,"kind":"task","id":"T-CS","repo":"acme/widgets","pr_number":12})"
              "\n");
    out.close();
    const QString pull = m_dir->filePath(u"pull.json"_s);
    QFile pr(pull);
    QVERIFY(pr.open(QIODevice::WriteOnly));
    pr.write(R"({"url": "https://api.github.com/repos/acme/widgets/pulls/12", "id": 991,
        "number": 12, "state": "open", "title": "Validate input", "user": {"login": "Copilot"},
        "head": {"ref": "copilot/validate-input", "sha": "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"},
        "base": {"ref": "main"}, "created_at": "2026-01-05T07:00:00Z"})");
    pr.close();
    const QStringList paths{task, pull, github % u"check-suite-webhook.json"_s,
                            github % u"check-suites.json"_s};
    const IngestRun run = ingest(paths);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.rejected, 1); // the suite whose id is a string
    const auto chain = m_store->taskChain(u"T-CS"_s);
    QVERIFY(chain && chain->pullRequest);
    QStringList suites;
    for (const CheckSuiteRecord &s : chain->checkSuites)
        suites << u"%1 %2 %3 %4"_s.arg(s.id).arg(s.app, s.status, s.conclusion);
    // By pull request number (the webhook's) and by head sha (the listed ones).
    QCOMPARE(suites, (QStringList{u"5001 github-actions completed success"_s,
                                  u"118578147 github-actions completed failure"_s,
                                  u"5003 lint-bot queued "_s}));
    const EvidenceReport report = m_store->verifyEvidence({});
    QVERIFY2(report.intact(), qPrintable(report.error + QString::number(report.problems.size())));
    const IngestRun again = ingest(paths);
    QCOMPARE(again.counts.ingested, 0);
}

void TestIngest::logsWithoutHeader_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("fixtureName");
    QTest::addColumn<QString>("taskOption");
    QTest::addColumn<int>("commandOption");
    QTest::addColumn<int>("ingested");
    QTest::addColumn<int>("rejected");
    QTest::addColumn<QString>("storedTask");
    QTest::addColumn<int>("storedCommand");
    QTest::addColumn<QByteArrayList>("storedTexts");

    Backends::forEachBackend([&](const auto &row) {
        row("lines before the first header are rejected")
            << u"logs/before-header.log"_s << QString() << 0 << 1 << 2 << u"T-9"_s << 1
            << QByteArrayList{"npm test"};
        // As a whole, in one message naming the formats read and --task: no line has a home.
        row("header-less log without a task is rejected")
            << u"logs/no-header.log"_s << QString() << 0 << 0 << 1 << QString() << 0
            << QByteArrayList{};
        row("header-less log with a task and command is attached")
            << u"logs/no-header.log"_s << u"T-7"_s << 3 << 2 << 0 << u"T-7"_s << 3
            << QByteArrayList{"npm run lint", "lint passed: 0 problems"};
        row("header-less log starting with '[' is a log, not JSON")
            << u"logs/maven.log"_s << u"T-7"_s << 1 << 2 << 0 << u"T-7"_s << 1
            << QByteArrayList{"[INFO] Scanning for projects...", "[INFO] BUILD SUCCESS"};
    });
}

void TestIngest::logsWithoutHeader()
{
    QFETCH(QString, fixtureName);
    QFETCH(QString, taskOption);
    QFETCH(int, commandOption);
    QFETCH(int, ingested);
    QFETCH(int, rejected);
    QFETCH(QString, storedTask);
    QFETCH(int, storedCommand);
    QFETCH(QByteArrayList, storedTexts);

    IngestOptions options;
    options.taskId = taskOption;
    options.commandSeq = commandOption;
    const QString path = fixturePath(fixtureName);
    const IngestRun run = ingest({path}, options);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.ingested, ingested);
    QCOMPARE(run.counts.rejected, rejected);
    QCOMPARE(m_store->stats().logLines, ingested);

    if (rejected) {
        // One issue for the run of homeless lines, naming the first of them; for a file
        // without any header, one issue for the file.
        QCOMPARE(run.issues.size(), 1);
        const IngestIssue &issue = run.issues.constFirst();
        QVERIFY(issue.severity == IngestIssue::Severity::Error);
        const QString expected =
            fixtureName.endsWith(u"no-header.log"_s)
                ? QString(path % u": not a format Tasktrail reads by itself")
                : QString(path % u":1: log line before any ##[tasktrail] header");
        QVERIFY2(issue.toString().startsWith(expected), qPrintable(issue.toString()));
        if (fixtureName.endsWith(u"no-header.log"_s))
            QVERIFY(issue.reason.contains(u"--task ID --command N"_s));
    } else {
        QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    }
    if (!storedTask.isEmpty())
        QCOMPARE(texts(storedLines(storedTask, storedCommand)), storedTexts);
}

void TestIngest::oddLogLinesAreKept_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("warnings");
    QTest::addColumn<int>("issueLine");
    QTest::addColumn<QString>("reason"); // empty: no issue at all
    QTest::addColumn<QByteArrayList>("storedTexts");

    const QByteArray header = "##[tasktrail] task=T-4 command=1\n";
    // A minified bundle printed on one line.
    const QByteArray bundle = QByteArray("const a=1;").repeated(5 * 1024 * 1024);
    Backends::forEachBackend([&](const auto &row) {
        row("50 MB line is cut to 1 MiB") << QByteArray(header + bundle + "\nafter\n") << 1 << 2
                                          << u"line of 52428800 bytes cut to 1048576 bytes"_s
                                          << QByteArrayList{bundle.left(1024 * 1024), "after"};
        row("invalid UTF-8 becomes U+FFFD")
            << QByteArray(header + "bad \xff byte\n") << 1 << 2
            << u"invalid UTF-8 replaced with U+FFFD"_s << QByteArrayList{"bad \xEF\xBF\xBD byte"};
        row("CRLF line endings are not a cut") << fixture(u"logs/crlf.log"_s) << 0 << 0 << QString()
                                               << QByteArrayList{"npm ci", "added 12 packages"};
    });
}

void TestIngest::oddLogLinesAreKept()
{
    QFETCH(QByteArray, content);
    QFETCH(int, warnings);
    QFETCH(int, issueLine);
    QFETCH(QString, reason);
    QFETCH(QByteArrayList, storedTexts);

    const IngestRun run = ingest({writeInput(u"odd.log"_s, content)});
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.ingested, storedTexts.size());
    QCOMPARE(run.counts.rejected, 0);
    QCOMPARE(run.counts.warnings, warnings);
    if (reason.isEmpty()) {
        QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    } else {
        QCOMPARE(run.issues.size(), 1);
        QVERIFY(run.issues.constFirst().severity == IngestIssue::Severity::Warning);
        QCOMPARE(run.issues.constFirst().line, issueLine);
        QCOMPARE(run.issues.constFirst().reason, reason);
    }
    QCOMPARE(texts(storedLines(u"T-4"_s, 1)), storedTexts);
}

// The input of tests/fuzz/regressions/commandlog: under UBSan, counting lines on from the
// largest 64-bit first_line overflowed.
void TestIngest::logHeaderLineNumbersAreBounded_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("firstLine");
    QTest::addColumn<QString>("reason"); // empty: the header is good
    Backends::forEachBackend([&](const auto &row) {
        row("largest line number") << QByteArray("4294967295") << QString();
        row("past 32 bits")
            << QByteArray("4294967296")
            << u"header field 'first_line': 4294967296: must be at most 4294967295"_s;
        row("largest 64-bit number")
            << QByteArray("9223372036854775807")
            << u"header field 'first_line': 9223372036854775807: must be at most 4294967295"_s;
    });
}

void TestIngest::logHeaderLineNumbersAreBounded()
{
    QFETCH(QByteArray, firstLine);
    QFETCH(QString, reason);
    const QByteArray log = "##[tasktrail] task=T-4 command=1 first_line=" + firstLine + "\none\n";
    const IngestRun run = ingest({writeInput(u"bounded.log"_s, log)});
    QVERIFY2(run.ok, qPrintable(run.error));
    if (reason.isEmpty()) {
        QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
        QCOMPARE(run.counts.ingested, 1);
        const QList<LogLine> lines = storedLines(u"T-4"_s, 1);
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.constFirst().lineNo, qint64(4294967295));
        QCOMPARE(lines.constFirst().text, QByteArray("one"));
        return;
    }
    QCOMPARE(run.counts.ingested, 0);
    QCOMPARE(run.counts.rejected, 2); // the header, and the line that has no home
    QCOMPARE(run.issues.constFirst().line, 1);
    QCOMPARE(run.issues.constFirst().reason, reason);
}

// The input of tests/fuzz/regressions/search: find stopped at a line without the text.
void TestIngest::findNeverMatchesTextWithNul()
{
    const QByteArray log = "##[tasktrail] task=T-4 command=1\nalpha\nbeta\n";
    QVERIFY(ingest({writeInput(u"find.log"_s, log)}).ok);
    const std::optional<qint64> key = m_store->commandKey(u"T-4"_s, 1);
    QVERIFY(key);
    QCOMPARE(m_store->findLogLine(*key, 1, u"beta"_s, false), 2);
    const QString withNul = QString(QChar::Null) + u"nowhere"_s;
    QCOMPARE(m_store->findLogLine(*key, 1, withNul, false), std::nullopt);
    QCOMPARE(m_store->findLogLine(*key, 2, withNul, true), std::nullopt);
    QCOMPARE(m_store->findLogLineAny(*key, 1, {withNul, u"beta"_s}, false), 2);
}

void TestIngest::searchFindsLogLines_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("fixtureName");
    QTest::addColumn<QString>("taskOption");
    QTest::addColumn<int>("commandOption");
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("taskId");
    QTest::addColumn<int>("commandSeq");
    QTest::addColumn<int>("lineNo");
    QTest::addColumn<QString>("text");

    Backends::forEachBackend([&](const auto &row) {
        row("log with headers") << u"logs/two-commands.log"_s << QString() << 0 << u"frobnicated"_s
                                << u"T-1"_s << 1 << 2
                                << u"added 812 packages, frobnicated 3 in 29s"_s;
        row("ANSI line found by its plain text")
            << u"logs/two-commands.log"_s << QString() << 0 << u"FAIL"_s << u"T-1"_s << 2 << 2
            << u"FAIL src/cart.test.ts"_s;
        row("header-less log attached to a task")
            << u"logs/no-header.log"_s << u"T-7"_s << 3 << u"problems"_s << u"T-7"_s << 3 << 2
            << u"lint passed: 0 problems"_s;
    });
}

void TestIngest::searchFindsLogLines()
{
    QFETCH(QString, fixtureName);
    QFETCH(QString, taskOption);
    QFETCH(int, commandOption);
    QFETCH(QString, word);
    QFETCH(QString, taskId);
    QFETCH(int, commandSeq);
    QFETCH(int, lineNo);
    QFETCH(QString, text);

    IngestOptions options;
    options.taskId = taskOption;
    options.commandSeq = commandOption;
    const IngestRun run = ingest({fixturePath(fixtureName)}, options);
    QVERIFY2(run.ok, qPrintable(run.error));

    const QList<SearchHit> hits = m_store->search(word, 10);
    QCOMPARE(hits.size(), 1);
    const SearchHit &hit = hits.constFirst();
    QVERIFY(hit.kind == SearchHit::Kind::LogLine);
    QCOMPARE(hit.taskId, taskId);
    QCOMPARE(hit.commandSeq, commandSeq);
    QCOMPARE(hit.lineNo, lineNo);
    QCOMPARE(hit.text, text);
}

void TestIngest::batches_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("recordBatch");
    QTest::addColumn<int>("logBatchLines");
    QTest::addColumn<int>("ingested");
    QTest::addColumn<int>("logLines");
    QTest::addColumn<int>("requests");

    QByteArray log = "##[tasktrail] task=T-8 command=1\n";
    for (int i = 1; i <= 1000; ++i)
        log += "line " + QByteArray::number(i) + '\n';
    Backends::forEachBackend([&](const auto &row) {
        row("1,000 log lines, 10 per batch") << log << 2000 << 10 << 1000 << 1000 << 0;

        QByteArray records;
        for (int i = 1; i <= 25; ++i)
            records +=
                R"({"tasktrail":1,"kind":"request","id":"R-)" + QByteArray::number(i) + "\"}\n";
        row("25 records, 10 per batch") << records << 10 << 50000 << 25 << 0 << 25;
    });
}

void TestIngest::batches()
{
    QFETCH(QByteArray, content);
    QFETCH(int, recordBatch);
    QFETCH(int, logBatchLines);
    QFETCH(int, ingested);
    QFETCH(int, logLines);
    QFETCH(int, requests);

    IngestOptions options;
    options.recordBatch = recordBatch;
    options.logBatchLines = logBatchLines;
    const IngestRun run = ingest({writeInput(u"input"_s, content)}, options);
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    QCOMPARE(run.counts.ingested, ingested);
    QCOMPARE(run.bytesTotal, content.size());
    QCOMPARE(run.lastBytesDone, run.bytesTotal);

    const StoreStats stats = m_store->stats();
    QCOMPARE(stats.logLines, logLines);
    QCOMPARE(stats.requests, requests);
    if (logLines) {
        const QList<LogLine> lines = storedLines(u"T-8"_s, 1);
        QCOMPARE(lines.size(), logLines);
        QCOMPARE(lines.constLast().lineNo, logLines);
        QCOMPARE(lines.constLast().text, QByteArray("line " + QByteArray::number(logLines)));
    }
}

namespace {

QByteArray taskWithCommand(const char *id)
{
    return R"({"tasktrail":1,"kind":"task","id":")" + QByteArray(id) +
           R"(","repo":"acme/web","state":"completed","prompt":"make it",)"
           R"("commands":[{"seq":1,"argv":["make"]}]})"
           "\n";
}

// Options that write a batch of records in its tasks' order.
IngestOptions keyOrdered()
{
    IngestOptions options;
    options.keyOrderedRecords = true;
    return options;
}

} // namespace

void TestIngest::batchesAreWrittenInKeyOrder_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("recordBatch");
    QTest::addColumn<qint64>("recordBatchBytes");
    QTest::addColumn<QStringList>("writeOrder");

    const qint64 unbounded = 1ll << 30;
    const auto tasks = [](const char *ids) { return QString::fromLatin1(ids).split(u' '); };
    // The tasks' text rows get their ids in the order the tasks are written.
    QTest::newRow("one batch") << u"sqlite"_s << 100 << unbounded
                               << tasks("T-1 T-2 T-3 T-4 T-5 T-7 T-8 T-9");
    QTest::newRow("batches of 2 lines")
        << u"sqlite"_s << 2 << unbounded << tasks("T-3 T-5 T-1 T-9 T-2 T-7 T-4 T-8");
    // Each line is past the byte bound: a batch per line, in file order.
    QTest::newRow("byte bound") << u"sqlite"_s << 100 << 1ll
                                << tasks("T-5 T-3 T-9 T-1 T-7 T-2 T-8 T-4");
    // Two lines of the four a batch holds.
    QTest::newRow("byte bound of two lines")
        << u"sqlite"_s << 4 << qint64(taskWithCommand("T-1").size() - 1) * 2
        << tasks("T-3 T-5 T-1 T-9 T-2 T-7 T-4 T-8");
}

// A batch goes to the tables in its keys' order, and ends at either bound. Its new commands
// get their keys in the file's order all the same (RecordStore::planCommandKeys).
void TestIngest::batchesAreWrittenInKeyOrder()
{
    QFETCH(int, recordBatch);
    QFETCH(qint64, recordBatchBytes);
    QFETCH(QStringList, writeOrder);

    QByteArray content;
    for (const char *id : {"T-5", "T-3", "T-9", "T-1", "T-7", "T-2", "T-8", "T-4"})
        content += taskWithCommand(id);
    IngestOptions options;
    options.keyOrderedRecords = true;
    options.recordBatch = recordBatch;
    options.recordBatchBytes = recordBatchBytes;
    const IngestRun run = ingest({writeInput(u"tasks.jsonl"_s, content)}, options);
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    QCOMPARE(run.counts.ingested, 8);
    QCOMPARE(run.lastBytesDone, content.size());
    m_store.reset();
    QCOMPARE(SqlScalar::column(m_location,
                               "SELECT ref FROM record_text WHERE kind = 'task' ORDER BY id"),
             writeOrder);
    QCOMPARE(SqlScalar::column(m_location, "SELECT task_id FROM command ORDER BY key"),
             QString::fromLatin1("T-5 T-3 T-9 T-1 T-7 T-2 T-8 T-4").split(u' '));
}

void TestIngest::keyOrderKeepsEachTasksRecordsInFileOrder_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("recordBatch");
    Backends::forEachBackend([](const auto &row) {
        row("a record per batch") << 1;
        // The eight tasks before them are the first batch; they are the second.
        row("batches of 8 lines") << 8;
    });
}

// Records of one task keep the file's order in a batch written in key order: a task updated
// later in the file ends in its later state, a log follows the command it belongs to, and a
// line seen before is a duplicate. Records of other kinds are written too. The same holds
// with a record per batch, where nothing is gathered.
void TestIngest::keyOrderKeepsEachTasksRecordsInFileOrder()
{
    QFETCH(int, recordBatch);

    const QByteArray running =
        R"({"tasktrail":1,"kind":"task","id":"T-2","repo":"acme/web","state":"in_progress"})"
        "\n";
    QByteArray content;
    for (int i = 1; i <= 8; ++i)
        content += taskWithCommand(QByteArray("F-" + QByteArray::number(i)).constData());
    content +=
        running +
        R"({"tasktrail":1,"kind":"command","task_id":"T-1","seq":1,"argv":["make","test"]})"
        "\n" +
        R"({"tasktrail":1,"kind":"task","id":"T-1","repo":"acme/api","state":"failed"})"
        "\n" +
        R"({"tasktrail":1,"kind":"log","task_id":"T-1","command_seq":1,"lines":["one","two"]})"
        "\n" +
        R"({"tasktrail":1,"kind":"task","id":"T-2","repo":"acme/web","state":"completed"})"
        "\n" +
        R"({"tasktrail":1,"kind":"request","id":"R-1","text":"the request"})"
        "\n" +
        running;
    IngestOptions options;
    options.keyOrderedRecords = true;
    options.recordBatch = recordBatch;
    const IngestRun run = ingest({writeInput(u"mixed.jsonl"_s, content)}, options);
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    QCOMPARE(run.counts.ingested, 8 + 6);
    QCOMPARE(run.counts.duplicates, 1);

    const std::optional<TaskChain> second = m_store->taskChain(u"T-2"_s);
    QVERIFY(second);
    QCOMPARE(toString(second->task.state), toString(TaskState::Completed));
    const std::optional<TaskChain> first = m_store->taskChain(u"T-1"_s);
    QVERIFY(first);
    QCOMPARE(toString(first->task.state), toString(TaskState::Failed));
    QCOMPARE(first->commands.size(), 1);
    QCOMPARE(first->commands.constFirst().record.argv, (QStringList{u"make"_s, u"test"_s}));
    QCOMPARE(texts(storedLines(u"T-1"_s, 1)), (QByteArrayList{"one", "two"}));
    QCOMPARE(m_store->stats().requests, 1);
}

// Writing in key order leaves the issues of a batch in the file's order: a warning from a
// write (a log line that differs from the stored one, written after task T-1) and a request
// without its id (keyless, written first) come out by line, and so does a line that is not
// JSON, which nothing moves past.
void TestIngest::keyOrderedBatchReportsIssuesInLineOrder()
{
    const IngestRun before = ingest(
        {writeInput(u"first.jsonl"_s,
                    R"({"tasktrail":1,"kind":"log","task_id":"T-9","command_seq":1,"lines":["a"]})"
                    "\n")});
    QVERIFY2(before.ok && before.issues.isEmpty(), qPrintable(before.error));

    const QString path =
        writeInput(u"second.jsonl"_s,
                   R"({"tasktrail":1,"kind":"log","task_id":"T-9","command_seq":1,"lines":["b"]})"
                   "\n"
                   R"({"tasktrail":1,"kind":"request","text":"no id"})"
                   "\n" +
                       taskWithCommand("T-1") + "not json\n");
    const IngestOptions keyOrder = keyOrdered();
    const IngestRun run = ingest({path}, keyOrder);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.rejected, 2);
    QCOMPARE(run.counts.warnings, 1);
    QList<qint64> lines;
    QList<IngestIssue::Severity> severities;
    for (const IngestIssue &issue : run.issues) {
        lines << issue.line;
        severities << issue.severity;
    }
    QCOMPARE(lines, (QList<qint64>{1, 2, 4}));
    QCOMPARE(severities, (QList<IngestIssue::Severity>{IngestIssue::Severity::Warning,
                                                       IngestIssue::Severity::Error,
                                                       IngestIssue::Severity::Error}));
    QVERIFY2(run.issues.constFirst().reason.contains(u"differs from the line 1 stored before"_s),
             qPrintable(run.issues.constFirst().reason));
    QCOMPARE(texts(storedLines(u"T-9"_s, 1)), QByteArrayList{"a"});
    QVERIFY(m_store->taskChain(u"T-1"_s));
}

void TestIngest::linesOfUnknownKeyStayInPlace_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("earlier");
    QTest::addColumn<QByteArray>("later");
    QTest::addColumn<QString>("taskId");
    QTest::addColumn<QString>("prompt");
    const QByteArray plainLater =
        R"({"tasktrail":1,"kind":"task","id":"T-1","repo":"acme/web","prompt":"later"})";
    Backends::forEachBackend([&](const auto &row) {
        // "T-\u0031" is T-1: read from the bytes it would sort after "T-1".
        row("escaped id first")
            << QByteArray(
                   R"({"tasktrail":1,"kind":"task","id":"T-\u0031","repo":"acme/web","prompt":"earlier"})")
            << plainLater << u"T-1"_s << u"later"_s;
        // "i\u0064" is the key id, the last of two: the record is T-0's, which the bytes alone
        // do not say.
        row("escaped key")
            << QByteArray(
                   R"({"tasktrail":1,"kind":"task","id":"T-9","i\u0064":"T-0","repo":"acme/web","prompt":"earlier"})")
            << QByteArray(
                   R"({"tasktrail":1,"kind":"task","id":"T-0","repo":"acme/web","prompt":"later"})")
            << u"T-0"_s << u"later"_s;
    });
}

// A line whose key is not known exactly from its bytes is written where it stands, so that a
// later record of the same task still comes after it.
void TestIngest::linesOfUnknownKeyStayInPlace()
{
    QFETCH(QByteArray, earlier);
    QFETCH(QByteArray, later);
    QFETCH(QString, taskId);
    QFETCH(QString, prompt);

    const IngestOptions keyOrder = keyOrdered();
    const IngestRun run =
        ingest({writeInput(u"tasks.jsonl"_s, earlier + '\n' + later + '\n' +
                                                 taskWithCommand("T-5") + taskWithCommand("T-2"))},
               keyOrder);
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    QCOMPARE(run.counts.ingested, 4);
    const std::optional<TaskChain> chain = m_store->taskChain(taskId);
    QVERIFY(chain);
    QCOMPARE(chain->task.prompt, prompt);
}

void TestIngest::aSessionNamedByTwoTasksKeepsTheFileOrder_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("content");
    const auto task = [](const char *id, const char *sessions) -> QByteArray {
        return R"({"tasktrail":1,"kind":"task","id":")" + QByteArray(id) +
               R"(","repo":"acme/web","state":"completed")" + QByteArray(sessions) + "}\n";
    };
    const auto session = [](const char *taskId) -> QByteArray {
        return R"({"tasktrail":1,"kind":"session","id":"S-1","task_id":")" + QByteArray(taskId) +
               R"(","attempt":1})"
               "\n";
    };
    Backends::forEachBackend([&](const auto &row) {
        row("session records") << QByteArray(task("T-9", "") + task("T-1", "") + session("T-9") +
                                             session("T-1"));
        row("nested sessions") << QByteArray(
            task("T-9", R"(,"sessions":[{"id":"S-1","attempt":1}])") +
            task("T-1", R"(,"sessions":[{"id":"S-1","attempt":1}])"));
    });
}

// A session is keyed by its own id and names its task, which its first write sets. Named by
// two tasks in one batch, it stays with the one the file names first, T-9, though T-1 sorts
// first.
void TestIngest::aSessionNamedByTwoTasksKeepsTheFileOrder()
{
    QFETCH(QByteArray, content);
    const IngestOptions keyOrder = keyOrdered();
    const IngestRun run = ingest({writeInput(u"sessions.jsonl"_s, content)}, keyOrder);
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    QCOMPARE(m_store->taskIdsForSession(u"S-1"_s), QStringList{u"T-9"_s});
}

// A batch written in key order shows the same warnings as the file's order would: the first 20
// by line, then how many more there were. Here 150 logs differ from the stored ones, in the
// reverse of their tasks' order, so the writes warn from the last line up.
void TestIngest::keyOrderedBatchShowsTheFirstWarningsByLine()
{
    const auto log = [](int task, const char *text) -> QByteArray {
        return R"({"tasktrail":1,"kind":"log","task_id":"T-)" +
               QByteArray::number(task).rightJustified(3, '0') + R"(","command_seq":1,"lines":[")" +
               QByteArray(text) + "\"]}\n";
    };
    QByteArray stored;
    QByteArray differing;
    for (int task = 0; task < 150; ++task) {
        stored += log(task, "a");
        differing += log(149 - task, "b");
    }
    const IngestRun before = ingest({writeInput(u"stored.jsonl"_s, stored)});
    QVERIFY2(before.ok && before.issues.isEmpty(), qPrintable(before.error));

    const IngestOptions keyOrder = keyOrdered();
    const IngestRun run = ingest({writeInput(u"differing.jsonl"_s, differing)}, keyOrder);
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.warnings, 150);
    QCOMPARE(run.issues.size(), 21);
    for (int i = 0; i < 20; ++i) {
        QCOMPARE(run.issues.at(i).line, i + 1);
        QCOMPARE(run.issues.at(i).severity, IngestIssue::Severity::Warning);
    }
    QCOMPARE(run.issues.constLast().line, 0);
    QCOMPARE(run.issues.constLast().reason, u"130 more warnings not shown"_s);
    QCOMPARE(texts(storedLines(u"T-000"_s, 1)), QByteArrayList{"a"});
}

// A batch is written in its tasks' order, but its new commands get their keys in the file's
// order: nested in a task, a command record, and the command a log creates. A command stored
// before keeps its key, and one made later, outside a batch of records, gets a key after them.
void TestIngest::newCommandsGetKeysInFileOrder()
{
    QFETCH(QString, backend);
    const auto task = [](const char *id, const char *commands) -> QByteArray {
        return R"({"tasktrail":1,"kind":"task","id":")" + QByteArray(id) +
               R"(","repo":"acme/web","commands":[)" + QByteArray(commands) + "]}\n";
    };
    const IngestRun before =
        ingest({writeInput(u"before.jsonl"_s, task("T-8", R"({"seq":1,"argv":["a"]})"))});
    QVERIFY2(before.ok && before.issues.isEmpty(), qPrintable(before.error));
    const std::optional<qint64> storedKey = m_store->commandKey(u"T-8"_s, 1);
    QVERIFY(storedKey);

    const QByteArray content =
        task("T-9", R"({"seq":1,"argv":["b"]},{"seq":2,"argv":["c"]})") +
        R"({"tasktrail":1,"kind":"command","task_id":"T-1","seq":3,"argv":["d"]})"
        "\n"
        R"({"tasktrail":1,"kind":"log","task_id":"T-5","command_seq":1,"lines":["x"]})"
        "\n" +
        task("T-8", R"({"seq":1,"argv":["a"]},{"seq":2,"argv":["e"]})") +
        task("T-2", R"({"seq":1,"argv":["f"]})");
    const IngestOptions keyOrder = keyOrdered();
    const IngestRun run = ingest({writeInput(u"commands.jsonl"_s, content)}, keyOrder);
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), run.describeIssues().constData());
    const IngestRun later = ingest({writeInput(u"later.log"_s, "##[tasktrail] task=T-7 command=1\n"
                                                               "one line\n")});
    QVERIFY2(later.ok && later.issues.isEmpty(), qPrintable(later.error));

    const QString inKeyOrder =
        backend == u"sqlite"_s
            ? u"SELECT group_concat(c, ' ') FROM (SELECT task_id || ':' || seq AS c FROM command "
              "ORDER BY key)"_s
            : u"SELECT string_agg(task_id || ':' || seq, ' ' ORDER BY key) FROM command"_s;
    QCOMPARE(m_db.sql(m_location, inKeyOrder),
             u"T-8:1 T-9:1 T-9:2 T-1:3 T-5:1 T-8:2 T-2:1 T-7:1"_s);
    QCOMPARE(m_store->commandKey(u"T-8"_s, 1), storedKey);
    QCOMPARE(texts(storedLines(u"T-5"_s, 1)), QByteArrayList{"x"});
    QCOMPARE(texts(storedLines(u"T-7"_s, 1)), QByteArrayList{"one line"});
}

void TestIngest::stoppedFirstLoadStillBuildsTheRunsIndexes_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << u"sqlite"_s;
}

// A first load builds the runs table's indexes at its end however it ends: here it is
// cancelled once its first file is in.
void TestIngest::stoppedFirstLoadStillBuildsTheRunsIndexes()
{
    const char *countIndexes = SqlScalar::runsIndexCount;
    QCOMPARE(SqlScalar::scalar(m_location, countIndexes), deferredIndexCount);
    const QString second = writeInput(u"second.jsonl"_s, fixture(u"good.jsonl"_s));
    Ingestor ingestor(*m_store);
    qint64 duringLoad = -1;
    int started = 0;
    connect(&ingestor, &Ingestor::fileStarted, this, [&] {
        // At the second file, with the first one's tasks committed.
        if (++started == 2) {
            duringLoad = SqlScalar::scalar(m_location, countIndexes);
            ingestor.cancel();
        }
    });
    QVERIFY(!ingestor.ingest({fixturePath(u"good.jsonl"_s), second}));
    QCOMPARE(ingestor.errorString(), u"cancelled"_s);
    QCOMPARE(duringLoad, 0);
    QVERIFY(SqlScalar::scalar(m_location, "SELECT count(*) FROM task") > 0);
    QCOMPARE(SqlScalar::scalar(m_location, countIndexes), deferredIndexCount);
}

// A directory whose log sorts before the run records it belongs to. The log is read last, so
// it finds its task's command stored: the chain holds what reading the records and then the
// log, in two runs, makes, and no entry for a command known by its number alone.
void TestIngest::logsAreReadAfterTheirRuns()
{
    QFETCH(QString, backend);
    QFile good(fixturePath(u"good.jsonl"_s));
    QVERIFY(good.open(QIODevice::ReadOnly));
    const QByteArray runs = good.readAll();
    QVERIFY(QDir(m_dir->path()).mkpath(u"in"_s));
    const QString logPath = writeInput(u"in/1-install.log"_s,
                                       "##[tasktrail] task=T-1 command=1\nadded 3 packages\nok\n");
    const QString runsPath = writeInput(u"in/2-runs.jsonl"_s, runs);

    Ingestor ingestor(*m_store);
    QSignalSpy started(&ingestor, &Ingestor::fileStarted);
    QVERIFY2(ingestor.ingest({m_dir->filePath(u"in"_s)}), qPrintable(ingestor.errorString()));
    QCOMPARE(started.size(), 2);
    QCOMPARE(started.at(0).at(0).toString(), runsPath);
    QCOMPARE(started.at(1).at(0).toString(), logPath);
    QCOMPARE(storedLines(u"T-1"_s, 1).size(), 2);

    QString error;
    const std::unique_ptr<RecordStore> apart = openStore(m_db.fresh(backend), &error);
    QVERIFY2(apart, qPrintable(error));
    for (const QString &path : {runsPath, logPath}) {
        Ingestor one(*apart);
        QVERIFY2(one.ingest({path}), qPrintable(one.errorString()));
    }
    const EvidenceReport together = m_store->verifyEvidence({});
    const EvidenceReport inTwoRuns = apart->verifyEvidence({});
    QVERIFY2(together.intact(), qPrintable(together.error));
    QVERIFY2(inTwoRuns.intact(), qPrintable(inTwoRuns.error));
    QVERIFY(inTwoRuns.entries > 0);
    QCOMPARE(together.entries, inTwoRuns.entries);
    const auto task = m_store->latestEvidence(u"task"_s, u"T-1"_s);
    const auto taskApart = apart->latestEvidence(u"task"_s, u"T-1"_s);
    QVERIFY(task && taskApart);
    QCOMPARE(task->stateHash, taskApart->stateHash);
}

QTEST_GUILESS_MAIN(TestIngest)

#include "tst_ingest.moc"
