// The post-ingest steps on SQLite and PostgreSQL, over a generated demo set: the outlines read
// for a batch of tasks are what the per-task read gives, task by task; checking the runs again
// rewrites nothing when their findings did not change; pull-request linking of a run that
// touched only part of the data links what linking every task links.
#include "auditscene.h"
#include "backends.h"

#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "policy/conformance.h"
#include "policy/storedspecs.h"
#include "query/recordjson.h"
#include "store/recordstore.h"

#include <QDir>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <tuple>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr double demoScale = 0.2;

// Everything an outline holds, as comparable JSON: the chain's JSON view plus what it leaves
// out (command keys, the conversation's size, findings' row ids and triage).
QByteArray outlineJson(const TaskChain &c)
{
    QJsonObject o = RecordJson::chain(c);
    QJsonArray keys;
    for (const TaskChain::Command &cmd : c.commands)
        keys << cmd.key;
    o.insert(u"command_keys"_s, keys);
    o.insert(u"transcript_entries"_s, c.transcriptEntries);
    QJsonArray findings;
    for (const Finding &f : c.findings)
        findings << QJsonArray{f.id, toString(f.triage.state), f.triage.by,
                               f.triage.at.toString(Qt::ISODateWithMs), f.triage.note};
    o.insert(u"finding_rows"_s, findings);
    o.insert(u"request_id"_s, c.task.requestId);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace

class TestChainBatch final : public QObject
{
    Q_OBJECT

    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QString m_demo;

    std::unique_ptr<RecordStore> open(const QString &location)
    {
        QString error;
        auto store = openStore(location, &error);
        if (!store)
            qWarning("%s", qPrintable(error));
        return store;
    }

    // Ingests `paths` and checks the touched runs, as `tasktrail-cli ingest` does; linkSlice:
    // the keys of each kind one batch of the linking takes (0: the default).
    bool ingest(RecordStore &store, const QStringList &paths, qsizetype linkSlice = 0)
    {
        Ingestor ingestor(store);
        if (linkSlice > 0)
            ingestor.setLinkSlice(linkSlice);
        if (!ingestor.ingest(paths)) {
            qWarning("ingest: %s", qPrintable(ingestor.errorString()));
            return false;
        }
        QString error;
        if (!checkAfterIngest(store, ingestor.runKeys(), ingestor.newPolicyDocuments(), nullptr,
                              &error)) {
            qWarning("check: %s", qPrintable(error));
            return false;
        }
        return true;
    }

    QString demo(const QString &part) const { return m_demo + u'/' + part; }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
        QVERIFY(m_dir.isValid());
        m_demo = m_dir.filePath(u"demo"_s);
        DemoGenerator generator;
        QVERIFY2(generator.generate({m_demo, demoScale, 20261124}, &error), qPrintable(error));
    }

    // A query for `expr` of each row of `rows` (which has an id), in id order, joined with
    // commas: SQLite 3.40 has no string_agg, PostgreSQL no group_concat. SQLite's keeps the
    // subquery's order, PostgreSQL's is told.
    static QString joinedById(const QString &backend, const QString &expr, const QString &rows)
    {
        if (backend == u"postgresql"_s)
            return u"SELECT string_agg(%1, ',' ORDER BY id) FROM (%2) t"_s.arg(expr, rows);
        return u"SELECT group_concat(%1, ',') FROM (%2 ORDER BY id) t"_s.arg(expr, rows);
    }

    // A task names its pull request by the id of the agent's pull artifact, which is the pull
    // request's database id or its number: the database id wins, a number links when no
    // database id matches, and a task whose id matches neither in its repository stays
    // unlinked. The same when every task is linked and when a run's keys are.
    void tasksLinkByArtifactIdOrNumber_data() { Backends::addBackendRows(); }
    void tasksLinkByArtifactIdOrNumber()
    {
        QFETCH(QString, backend);
        const QString links = joinedById(backend,
                                         u"id || ':' || coalesce(CAST(pr_number AS "
                                         "TEXT), '-')"_s,
                                         u"SELECT id, pr_number FROM task"_s);
        for (const bool everything : {true, false}) {
            const QString location = m_db.fresh(backend);
            auto store = open(location);
            QVERIFY(store);
            QVERIFY(store->beginBatch());
            const auto pullRequest = [&](const QString &repo, int number, qint64 githubId) {
                PullRequestRecord pr;
                pr.repo = repo;
                pr.number = number;
                pr.githubId = githubId;
                return store->writePullRequest(pr);
            };
            QVERIFY(pullRequest(u"acme/web"_s, 3, 9));
            QVERIFY(pullRequest(u"acme/web"_s, 9, 5001));
            QVERIFY(pullRequest(u"acme/web"_s, 8, 5002));
            QVERIFY(pullRequest(u"acme/api"_s, 4, 7001));
            // task, repository, artifact id
            const QList<std::tuple<QString, QString, qint64>> tasks = {
                {u"T-db-id"_s, u"acme/web"_s, 5002},     // the database id of #8
                {u"T-both"_s, u"acme/web"_s, 9},         // #9, and the database id of #3
                {u"T-number"_s, u"acme/web"_s, 8},       // only the number #8
                {u"T-elsewhere"_s, u"acme/web"_s, 7001}, // the database id of api's #4
                {u"T-none"_s, u"acme/api"_s, 5},
            };
            QStringList ids;
            for (const auto &[id, repo, artifact] : tasks) {
                TaskRecord task;
                task.id = id;
                task.repo = repo;
                task.prArtifactId = artifact;
                QVERIFY(store->writeTask(task));
                ids << id;
            }
            if (everything) {
                QVERIFY(store->linkPullRequests());
            } else {
                PullRequestLinkScope scope;
                scope.taskIds = ids;
                QVERIFY(store->linkPullRequests(scope));
            }
            QVERIFY(store->commitBatch());
            QCOMPARE(m_db.sql(location, links),
                     u"T-both:3,T-db-id:8,T-elsewhere:-,T-none:-,T-number:8"_s);
        }
    }

    // A pull request's check runs and suites are those of its number (earlier commits too)
    // and those of its head commit (a run GitHub gave no pull request), each once; none of
    // another pull request or commit. The same in the task's chain and in a batch of outlines.
    void pullRequestChecksByNumberOrHeadCommit_data() { Backends::addBackendRows(); }
    void pullRequestChecksByNumberOrHeadCommit()
    {
        QFETCH(QString, backend);
        auto store = open(m_db.fresh(backend));
        QVERIFY(store);
        const QString repo = u"acme/web"_s;
        QVERIFY(store->beginBatch());
        TaskRecord task;
        task.id = u"T-checks"_s;
        task.repo = repo;
        task.headSha = u"sha-2"_s;
        task.prNumber = 7;
        QVERIFY(store->writeTask(task));
        PullRequestRecord pr;
        pr.repo = repo;
        pr.number = 7;
        pr.githubId = 7007;
        pr.headSha = u"sha-2"_s;
        QVERIFY(store->writePullRequest(pr));
        // name, pull request number, head commit
        const QList<std::tuple<QString, std::optional<int>, QString>> checks = {
            {u"a earlier commit"_s, 7, u"sha-1"_s},
            {u"b head, no pr"_s, std::nullopt, u"sha-2"_s},
            {u"c head and pr"_s, 7, u"sha-2"_s},
            {u"d other pr"_s, 8, u"sha-3"_s},
            {u"e other commit"_s, std::nullopt, u"sha-9"_s},
            {u"f other repo"_s, 7, u"sha-2"_s},
        };
        qint64 id = 100;
        for (const auto &[name, number, sha] : checks) {
            const QString where = name.startsWith(u'f') ? u"acme/api"_s : repo;
            CheckRunRecord run;
            run.id = ++id;
            run.repo = where;
            run.name = name;
            run.prNumber = number;
            run.headSha = sha;
            QVERIFY(store->writeCheckRun(run));
            CheckSuiteRecord suite;
            suite.id = id;
            suite.repo = where;
            suite.app = name;
            suite.prNumber = number;
            suite.headSha = sha;
            QVERIFY(store->writeCheckSuite(suite));
        }
        QVERIFY2(store->commitBatch(), qPrintable(store->errorString()));

        const QStringList expected = {u"a earlier commit"_s, u"b head, no pr"_s,
                                      u"c head and pr"_s};
        const auto names = [](const TaskChain &chain) {
            QStringList runs, suites;
            for (const CheckRunRecord &r : chain.checkRuns)
                runs << r.name;
            for (const CheckSuiteRecord &s : chain.checkSuites)
                suites << s.app;
            return std::pair{runs, suites};
        };
        const std::optional<TaskChain> chain = store->taskChain(task.id);
        QVERIFY(chain);
        QVERIFY(chain->pullRequest);
        QCOMPARE(names(*chain).first, expected);
        QCOMPARE(names(*chain).second, expected);
        const QList<std::optional<TaskChain>> outlines = store->taskChainOutlines({task.id});
        QCOMPARE(outlines.size(), 1);
        QVERIFY(outlines.first());
        QCOMPARE(names(*outlines.first()).first, expected);
        QCOMPARE(names(*outlines.first()).second, expected);
    }

    void outlinesAreThePerTaskOutlines_data() { Backends::addBackendRows(); }
    void outlinesAreThePerTaskOutlines()
    {
        QFETCH(QString, backend);
        const QString location = m_db.fresh(backend);
        auto store = open(location);
        QVERIFY(store);
        QVERIFY(ingest(*store, {m_demo}));
        // A triaged finding reads back with its triage in both reads.
        const QList<Finding> some = store->findings({});
        QVERIFY(!some.isEmpty());
        QVERIFY(store->triageFindings({some.first().id},
                                      FindingTriage{TriageState::Acknowledged, u"reviewer"_s,
                                                    QDateTime::currentDateTimeUtc(), u"seen"_s}));

        const QStringList ids = store->taskIds(0, -1);
        QVERIFY(ids.size() >= 150);
        // Two batches, an unknown id and a repeated one among them.
        QStringList asked = ids;
        asked.insert(3, u"no-such-task"_s);
        asked << ids.first();
        const qsizetype half = asked.size() / 2;
        QList<std::optional<TaskChain>> batch = store->taskChainOutlines(asked.mid(0, half));
        batch += store->taskChainOutlines(asked.mid(half));
        QCOMPARE(batch.size(), asked.size());
        int withPr = 0, withFindings = 0, withAudit = 0, withCommands = 0;
        for (qsizetype i = 0; i < asked.size(); ++i) {
            const std::optional<TaskChain> one = store->taskChainOutline(asked.at(i));
            QCOMPARE(batch.at(i).has_value(), one.has_value());
            if (!one)
                continue;
            QCOMPARE(outlineJson(*batch.at(i)), outlineJson(*one));
            withPr += one->pullRequest ? 1 : 0;
            withFindings += one->findings.isEmpty() ? 0 : 1;
            withAudit += one->auditEvents.isEmpty() ? 0 : 1;
            withCommands += one->commands.isEmpty() ? 0 : 1;
        }
        QVERIFY(!batch.at(3));
        // The demo exercises every part compared.
        QVERIFY(withPr > 0 && withFindings > 0 && withAudit > 0 && withCommands > 0);
        QVERIFY(store->taskChainOutlines({}).isEmpty());
    }

    // A check's outlines hold what the rules read: the whole outline without line counts, and
    // only the audit events outside the task's repository. The findings are the same as the
    // whole outline's, so the rules read nothing the check leaves out.
    void checkOutlinesHoldWhatTheRulesRead_data() { Backends::addBackendRows(); }
    void checkOutlinesHoldWhatTheRulesRead()
    {
        QFETCH(QString, backend);
        auto store = open(m_db.fresh(backend));
        QVERIFY(store);
        QVERIFY(ingest(*store, {m_demo}));
        const QStringList ids = store->taskIds(0, -1);
        const QList<std::optional<TaskChain>> whole = store->taskChainOutlines(ids);
        const QList<std::optional<TaskChain>> check =
            store->taskChainOutlines(ids, TaskQueries::OutlineScope::Check);
        QCOMPARE(check.size(), ids.size());
        ConformanceChecker checker(*store, storedSpecSources(*store));
        int counted = 0, dropped = 0, kept = 0, outside = 0;
        for (qsizetype i = 0; i < ids.size(); ++i) {
            QVERIFY(whole.at(i) && check.at(i));
            TaskChain expected = *whole.at(i);
            for (TaskChain::Command &c : expected.commands) {
                counted += c.logLines > 0 ? 1 : 0;
                c.logLines = 0;
            }
            const QString &repo = expected.task.repo;
            const qsizetype before = expected.auditEvents.size();
            expected.auditEvents.removeIf([&repo](const AuditLink &l) {
                return repo.isEmpty() || l.event.repo.isEmpty() ||
                       l.event.repo.compare(repo, Qt::CaseInsensitive) == 0;
            });
            dropped += int(before - expected.auditEvents.size());
            kept += int(expected.auditEvents.size());
            QCOMPARE(outlineJson(*check.at(i)), outlineJson(expected));
            const QList<Finding> findings = checker.check(*check.at(i));
            QCOMPARE(findings, checker.check(*whole.at(i)));
            for (const Finding &f : findings)
                outside += f.rule == u"api_call_outside_repository" ? 1 : 0;
        }
        // The demo has lines, events in the task's repository and stray calls outside it.
        QVERIFY(counted > 0 && dropped > 0 && kept > 0);
        QCOMPARE(outside, kept);
    }

    // Which audit events a check's outline keeps, repository by repository: another one;
    // not the task's, also in other ASCII case; none without a repository, of the event or
    // of the task; a case variant beyond ASCII is kept and the rule, which folds it, skips it.
    void checkOutlinesKeepEventsOfOtherRepositories_data() { Backends::addBackendRows(); }
    void checkOutlinesKeepEventsOfOtherRepositories()
    {
        QFETCH(QString, backend);
        AuditTest::Scene scene(m_db.fresh(backend));
        RecordStore &store = *scene.store;
        const qint64 t0 = 1767225600000; // 2026-01-01
        const qint64 minute = AuditTest::minute;
        const QString web = u"T-web"_s, bare = u"T-bare"_s, accented = u"T-accented"_s;
        scene.identity(u"I-web"_s, u"bot-web"_s, u"hash-web"_s, {});
        scene.identity(u"I-bare"_s, u"bot-bare"_s, u"hash-bare"_s, {});
        scene.identity(u"I-acc"_s, u"bot-acc"_s, u"hash-acc"_s, {});
        scene.task(web, u"acme/web"_s, u"I-web"_s, t0, t0, t0 + 30 * minute);
        scene.task(bare, QString(), u"I-bare"_s, t0, t0, t0 + 30 * minute);
        scene.task(accented, u"acme/w\u00e9b"_s, u"I-acc"_s, t0, t0, t0 + 30 * minute);
        const QList<std::pair<QString, QString>> webEvents = {
            {u"E-same"_s, u"acme/web"_s},
            {u"E-case"_s, u"ACME/Web"_s},
            {u"E-none"_s, QString()},
            {u"E-other"_s, u"acme/api"_s},
        };
        qint64 ms = t0 + minute;
        for (const auto &[id, repo] : webEvents)
            scene.event(id, ms += minute, u"hash-web"_s, {}, u"bot-web"_s, repo);
        scene.event(u"E-bare"_s, ms += minute, u"hash-bare"_s, {}, u"bot-bare"_s, u"acme/api"_s);
        scene.event(u"E-accented"_s, ms += minute, u"hash-acc"_s, {}, u"bot-acc"_s,
                    u"ACME/W\u00c9B"_s);
        QVERIFY(scene.link());

        const QStringList ids = {web, bare, accented};
        const QList<std::optional<TaskChain>> whole = store.taskChainOutlines(ids);
        const QList<std::optional<TaskChain>> check =
            store.taskChainOutlines(ids, TaskQueries::OutlineScope::Check);
        const auto eventIds = [](const std::optional<TaskChain> &chain) {
            QStringList out;
            for (const AuditLink &l : chain->auditEvents)
                out << l.event.id;
            return out;
        };
        QCOMPARE(eventIds(whole.at(0)),
                 (QStringList{u"E-same"_s, u"E-case"_s, u"E-none"_s, u"E-other"_s}));
        QCOMPARE(eventIds(whole.at(1)), QStringList{u"E-bare"_s});
        QCOMPARE(eventIds(whole.at(2)), QStringList{u"E-accented"_s});
        QCOMPARE(eventIds(check.at(0)), QStringList{u"E-other"_s});
        QCOMPARE(eventIds(check.at(1)), QStringList());
        QCOMPARE(eventIds(check.at(2)), QStringList{u"E-accented"_s});

        // The findings are the whole outline's: one call outside the repository, of T-web.
        ConformanceChecker checker(store, SpecSources{});
        int outside = 0;
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const QList<Finding> findings = checker.check(*check.at(i));
            QCOMPARE(findings, checker.check(*whole.at(i)));
            for (const Finding &f : findings) {
                if (f.rule == u"api_call_outside_repository") {
                    ++outside;
                    QCOMPARE(f.taskId, web);
                    QCOMPARE(f.evidenceRef, u"E-other"_s);
                }
            }
        }
        QCOMPARE(outside, 1);
    }

    void checkingAgainRewritesNothing_data() { Backends::addBackendRows(); }
    void checkingAgainRewritesNothing()
    {
        QFETCH(QString, backend);
        const QString location = m_db.fresh(backend);
        auto store = open(location);
        QVERIFY(store);
        QVERIFY(ingest(*store, {m_demo}));
        const QStringList ids = store->taskIds(0, -1);
        QMap<QString, QList<StoredFinding>> before;
        QMap<QString, QDateTime> checkedBefore;
        for (const QString &id : ids) {
            before.insert(id, store->storedFindings(id));
            checkedBefore.insert(id, store->checkedAt(id).value_or(QDateTime()));
        }
        const QByteArray head = store->evidenceHead();

        ConformanceChecker checker(*store, storedSpecSources(*store));
        QString error;
        QVERIFY2(checker.checkAll(&error), qPrintable(error));
        QCOMPARE(checker.counts().tasks, int(ids.size()));
        QVERIFY(checker.counts().findings > 0);
        QCOMPARE(store->evidenceHead(), head);
        for (const QString &id : ids) {
            const QList<StoredFinding> after = store->storedFindings(id);
            QCOMPARE(after.size(), before.value(id).size());
            for (qsizetype i = 0; i < after.size(); ++i) {
                QCOMPARE(after.at(i).id, before.value(id).at(i).id);
                QCOMPARE(after.at(i).finding, before.value(id).at(i).finding);
            }
            QCOMPARE(store->checkedAt(id).value_or(QDateTime()), checkedBefore.value(id));
        }

        // A check that gives other findings replaces them: a template no run's spec source has.
        ConformanceChecker without(*store, SpecSources{});
        QVERIFY2(without.checkAll(&error), qPrintable(error));
        int changed = 0;
        for (const QString &id : ids)
            changed += store->storedFindings(id).size() != before.value(id).size() ? 1 : 0;
        QVERIFY(changed > 0);
    }

    // Linking after each run, for what it wrote, links what linking every task links: the
    // pull requests before their runs, and the runs before their pull requests.
    void linkingFollowsTheRun_data() { Backends::addBackendRows(); }
    void linkingFollowsTheRun()
    {
        QFETCH(QString, backend);
        const QString whole = m_db.fresh(backend);
        {
            auto store = open(whole);
            QVERIFY(store);
            QVERIFY(ingest(*store, {m_demo}));
        }
        const QString linked = u"SELECT count(*) FROM task WHERE pr_number IS NOT NULL"_s;
        const QString checks = u"SELECT count(*) FROM check_run WHERE pr_number IS NOT NULL"_s;
        const QString expected = m_db.sql(whole, linked);
        const QString expectedChecks = m_db.sql(whole, checks);
        QVERIFY(expected.toInt() > 0);
        QVERIFY(expectedChecks.toInt() > 0);
        const QStringList parts = {demo(u"policies"_s), demo(u"github"_s), demo(u"records"_s),
                                   demo(u"logs"_s), demo(u"audit"_s)};
        for (const bool githubFirst : {true, false}) {
            const QString location = m_db.fresh(backend);
            auto store = open(location);
            QVERIFY(store);
            // The run's keys linked in many batches: of 7 keys each, and one by one.
            const qsizetype slice = githubFirst ? 7 : 1;
            QVERIFY(ingest(*store, {parts.at(0)}, slice));
            QVERIFY(ingest(*store, {githubFirst ? parts.at(1) : parts.at(2)}, slice));
            QVERIFY(ingest(*store, {githubFirst ? parts.at(2) : parts.at(1)}, slice));
            QVERIFY(ingest(*store, {parts.at(3), parts.at(4)}, slice));
            QCOMPARE(m_db.sql(location, linked), expected);
            QCOMPARE(m_db.sql(location, checks), expectedChecks);
            // Linking every task finds nothing more.
            const QByteArray head = store->evidenceHead();
            QVERIFY(store->beginBatch());
            QVERIFY(store->linkPullRequests());
            QVERIFY(store->commitBatch());
            QCOMPARE(store->evidenceHead(), head);
            QCOMPARE(m_db.sql(location, linked), expected);
            // A task and its pull request agree with the whole set's.
            const QString pairs =
                joinedById(backend, u"id || ':' || pr_number"_s,
                           u"SELECT id, pr_number FROM task WHERE pr_number IS NOT NULL"_s);
            QVERIFY(!m_db.sql(whole, pairs).isEmpty());
            QCOMPARE(m_db.sql(location, pairs), m_db.sql(whole, pairs));
        }
    }

    // A run stopped after its files' last batches but before its linking leaves those files
    // known (they are not read again) and their pull requests unlinked: the next run, whatever
    // it reads, links every task, as one whole ingest would have.
    void runAfterAStoppedOneLinksEverything_data() { Backends::addBackendRows(); }
    void runAfterAStoppedOneLinksEverything()
    {
        QFETCH(QString, backend);
        const QString linked = u"SELECT count(*) FROM task WHERE pr_number IS NOT NULL"_s;
        const QString whole = m_db.fresh(backend);
        {
            auto store = open(whole);
            QVERIFY(store);
            QVERIFY(ingest(*store, {demo(u"records"_s), demo(u"github"_s)}));
        }
        const QString expected = m_db.sql(whole, linked);
        QVERIFY(expected.toInt() > 0);

        const QString location = m_db.fresh(backend);
        auto store = open(location);
        QVERIFY(store);
        QVERIFY(ingest(*store, {demo(u"records"_s)}));
        const QString before = m_db.sql(location, linked);
        {
            // Stopped as the first log file starts: every GitHub file is committed and known,
            // and the run ends before its linking.
            Ingestor stopped(*store);
            connect(&stopped, &Ingestor::fileStarted, this,
                    [&stopped](const QString &path, const QString &) {
                        if (path.contains(u"/logs/"_s))
                            stopped.cancel();
                    });
            QVERIFY(!stopped.ingest({demo(u"github"_s), demo(u"logs"_s)}));
            QCOMPARE(stopped.errorString(), u"cancelled"_s);
        }
        QCOMPARE(m_db.sql(location, linked), before);
        // The next run reads nothing new of the GitHub files, and still links their tasks.
        QVERIFY(ingest(*store, {demo(u"github"_s)}));
        QCOMPARE(m_db.sql(location, linked), expected);
    }
};

QTEST_GUILESS_MAIN(TestChainBatch)
#include "tst_chainbatch.moc"
