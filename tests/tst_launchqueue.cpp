// The launch queue on a scripted backend and a real store, SQLite and PostgreSQL (rows
// "sqlite" and "postgresql", backends.h): budgets, retries, pause, resume and cancel,
// restarts, events, two connections claiming one idempotency key, and the records a launched
// run leaves.
#include "backends.h"
#include "launchfixture.h"
#include "scriptedbackend.h"

#include "launch/launchqueue.h"

#include <QElapsedTimer>
#include <QSignalSpy>

#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace LaunchFixture;

class TestLaunchQueue : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Backends::Fixture m_backends;
    QString m_location; // the row's database
    std::unique_ptr<RecordStore> m_store;
    std::unique_ptr<ScriptedBackend> m_backend;
    std::unique_ptr<LaunchQueue> m_queue;
    QDateTime m_base = noon();
    QElapsedTimer m_elapsed;

    // The clock the planner and queue see: a settable instant that moves with real time, so
    // backoffs measured in milliseconds pass.
    QDateTime now() const { return m_base.addMSecs(m_elapsed.elapsed()); }
    void setNow(const QDateTime &at)
    {
        m_base = at;
        m_elapsed.restart();
    }

    void makeQueue(int maxConcurrent = 4)
    {
        m_backend = std::make_unique<ScriptedBackend>();
        m_queue = std::make_unique<LaunchQueue>(*m_store, *m_backend);
        QueueSettings s;
        s.maxConcurrent = maxConcurrent;
        s.retryBaseMs = 100;
        s.pollMs = 20;
        m_queue->setSettings(s);
        m_queue->setClock([this] { return now(); });
    }

    LaunchSubmission submit(const QStringList &repos, const QString &version = u"4.17.21"_s,
                            const QString &templateRef = u"deps-bump@3"_s)
    {
        LaunchPlanner planner(*m_store);
        planner.setClock([this] { return now(); });
        LaunchRequest r = request(repos);
        r.templateRef = templateRef;
        r.parameters[u"version"_s] = version;
        const LaunchSubmission s = planner.submit(r);
        if (!s.error.isEmpty())
            qWarning("%s", qPrintable(s.error));
        return s;
    }

    QueueState state(const QString &task) { return m_store->queueEntry(task)->state; }

    bool allIn(const QStringList &tasks, QueueState s)
    {
        return std::all_of(tasks.cbegin(), tasks.cend(),
                           [&](const QString &t) { return state(t) == s; });
    }

    QStringList reasons(const QString &task)
    {
        QStringList out;
        for (const LaunchEvent &e : m_store->launchEvents(task))
            out << e.toState + u": "_s + e.reason;
        return out;
    }

    // Every state change has an event with a reason, and the events chain: each starts where
    // the one before ended, and the last ends where the entry is.
    void checkEvents()
    {
        for (const QueueEntry &e : m_store->queueEntries({}, true)) {
            const QList<LaunchEvent> events = m_store->launchEvents(e.taskId);
            QVERIFY(!events.isEmpty());
            QVERIFY(events.first().fromState.isEmpty());
            for (qsizetype i = 0; i < events.size(); ++i) {
                QVERIFY2(!events[i].reason.isEmpty(), qPrintable(e.taskId));
                QVERIFY(events[i].at.isValid());
                if (i > 0)
                    QCOMPARE(events[i].fromState, events[i - 1].toState);
            }
            QCOMPARE(events.last().toState, toString(e.state));
        }
    }

    void addRepos(int n)
    {
        for (int i = 1; i <= n; ++i)
            QVERIFY(m_store->writeRepository(repo(u"acme-web/r%1"_s.arg(i))));
    }

private Q_SLOTS:
    // The rows of a test that reads the launched run's chain (taskChain, logLines, search):
    // PostgreSQL joins when those are read there (docs/team-database.md, "Not yet supported").
    static void taskChainRows()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
    }

    std::unique_ptr<RecordStore> openRowStore()
    {
        QString error;
        auto store = openStore(m_location, &error);
        if (!store)
            qWarning("%s", qPrintable(error));
        return store;
    }

    void initTestCase()
    {
        QString error;
        QVERIFY2(m_backends.start(&error), qPrintable(error));
    }
    // Each row starts from a new database of its backend.
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_elapsed.start();
        m_base = noon();
        m_location = m_backends.fresh(QString::fromLatin1(QTest::currentDataTag()));
        m_store = openRowStore();
        QVERIFY(m_store);
        QVERIFY(loadScene(*m_store));
    }
    void cleanup()
    {
        m_queue.reset();
        m_backend.reset();
        m_store.reset();
    }

    void globalConcurrencyCap_data() { Backends::addBackendRows(); }
    void globalConcurrencyCap()
    {
        addRepos(5);
        const LaunchSubmission s = submit({u"acme-web/r1"_s, u"acme-web/r2"_s, u"acme-web/r3"_s,
                                           u"acme-web/r4"_s, u"acme-web/r5"_s});
        QCOMPARE(s.taskIds.size(), 5);
        makeQueue(2);
        m_backend->defaultOutcome.delayMs = 60;
        QSignalSpy drained(m_queue.get(), &LaunchQueue::drained);
        QVERIFY(m_queue->start());
        QTRY_VERIFY_WITH_TIMEOUT(allIn(s.taskIds, QueueState::Completed), 10000);
        QTRY_VERIFY(drained.count() > 0);
        QCOMPARE(m_backend->maxConcurrent, 2);
        QCOMPARE(m_backend->specs.size(), 5);
        checkEvents();
    }

    void templateAndRepositoryCaps_data() { Backends::addBackendRows(); }
    void templateAndRepositoryCaps()
    {
        Budgets b;
        b.version = u"4"_s;
        b.concurrency = 3;
        b.perRepository = 1;
        QVERIFY(loadTemplate(*m_store, b));
        addRepos(2);
        const QStringList repos{u"acme-web/cart"_s, u"acme-web/checkout"_s, u"acme-web/r1"_s,
                                u"acme-web/r2"_s};
        const QStringList first = submit(repos, u"1.0.0"_s, u"deps-bump@4"_s).taskIds;
        const QStringList second = submit(repos, u"2.0.0"_s, u"deps-bump@4"_s).taskIds;
        QCOMPARE(first.size() + second.size(), 8);
        makeQueue(10);
        m_backend->defaultOutcome.delayMs = 80;
        QVERIFY(m_queue->start());
        QTRY_VERIFY_WITH_TIMEOUT(allIn(first + second, QueueState::Completed), 15000);
        QCOMPARE(m_backend->maxConcurrent, 3);
        QCOMPARE(m_backend->maxPerRepo, 1);
        checkEvents();
    }

    void reviewerCapacityDefersToNextDay_data() { Backends::addBackendRows(); }
    void reviewerCapacityDefersToNextDay()
    {
        Budgets b;
        b.version = u"4"_s;
        b.reviewsPerDay = 1;
        QVERIFY(loadTemplate(*m_store, b));
        setNow(QDateTime(QDate(2026, 10, 4), QTime(23, 0), Qt::UTC));
        const LaunchSubmission s =
            submit({u"acme-web/cart"_s, u"acme-web/checkout"_s}, u"1.0.0"_s, u"deps-bump@4"_s);
        const QString cart = s.taskIds.at(0), checkout = s.taskIds.at(1);
        QCOMPARE(toString(state(checkout)), toString(QueueState::Waiting));
        QCOMPARE(m_store->queueEntry(checkout)->nextAttemptAt,
                 QDateTime(QDate(2026, 10, 5), QTime(0, 0), Qt::UTC));

        // Next day: the waiting entry is due, but the first run takes the day's only slot.
        setNow(QDateTime(QDate(2026, 10, 5), QTime(12, 0), Qt::UTC));
        makeQueue();
        QVERIFY(m_queue->start());
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(cart)), toString(QueueState::Completed), 10000);
        QCOMPARE(toString(state(checkout)), toString(QueueState::Waiting));
        QCOMPARE(m_store->queueEntry(checkout)->nextAttemptAt,
                 QDateTime(QDate(2026, 10, 6), QTime(0, 0), Qt::UTC));
        QVERIFY2(reasons(checkout).last().contains(u"reviewer capacity of team acme/platform "
                                                   "reached (1 of 1 today)"_s),
                 qPrintable(reasons(checkout).join(u'\n')));
        QCOMPARE(m_backend->starts.value(checkout), 0);

        setNow(QDateTime(QDate(2026, 10, 6), QTime(0, 0, 1), Qt::UTC));
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(checkout)), toString(QueueState::Completed),
                                  10000);
        QCOMPARE(m_store->queueEntry(checkout)->reviewDay, u"2026-10-06"_s);
        checkEvents();
    }

    void retriesWithBackoffUntilTheSameFailureTwice_data() { taskChainRows(); }
    void retriesWithBackoffUntilTheSameFailureTwice()
    {
        makeQueue();
        const ScriptedBackend::Outcome unavailable{10, u"503 from the agent API"_s, u"http_error"_s,
                                                   true};
        m_backend->script(u"acme-web/cart"_s, {unavailable, unavailable});
        const QString task = submit({u"acme-web/cart"_s}).taskIds.first();
        QVERIFY(m_queue->start());
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(task)), toString(QueueState::Failed), 10000);
        const QueueEntry e = *m_store->queueEntry(task);
        QCOMPARE(e.attempts, 2);
        QCOMPARE(e.lastFailureKind, u"http_error"_s);
        QCOMPARE(e.lastFailure, u"503 from the agent API"_s);
        const QStringList r = reasons(task);
        QCOMPARE(r.size(), 5); // queued, running, retry_wait, running, failed
        QVERIFY2(r[2].startsWith(u"retry_wait: attempt 1 failed (http_error)"_s), qPrintable(r[2]));
        QVERIFY(r[2].endsWith(u"retry in 0.1 s"_s));
        QVERIFY2(r[4].contains(u"the same failure twice"_s), qPrintable(r[4]));
        const auto chain = m_store->taskChain(task);
        QCOMPARE(toString(chain->task.state), toString(TaskState::Failed));
        QCOMPARE(chain->task.retries.value_or(-1), 1);
        checkEvents();
    }

    void backoffDoublesAndRetriesAreCapped_data() { Backends::addBackendRows(); }
    void backoffDoublesAndRetriesAreCapped()
    {
        makeQueue();
        m_backend->script(u"acme-web/cart"_s, {{10, u"timed out"_s, u"timeout"_s, true},
                                               {10, u"rate limited"_s, u"rate_limited"_s, true},
                                               {10, u"502"_s, u"http_error"_s, true}});
        m_backend->script(u"acme-web/checkout"_s, {{10, u"timed out"_s, u"timeout"_s, true}});
        const LaunchSubmission s = submit({u"acme-web/cart"_s, u"acme-web/checkout"_s});
        QVERIFY(m_queue->start());
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(s.taskIds.at(0))), toString(QueueState::Failed),
                                  10000);
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(s.taskIds.at(1))), toString(QueueState::Completed),
                                  10000);
        const QStringList r = reasons(s.taskIds.at(0));
        QVERIFY(r[2].endsWith(u"retry in 0.1 s"_s));
        QVERIFY(r[4].endsWith(u"retry in 0.2 s"_s));
        QVERIFY2(r.last().contains(u"stopped after 3 attempts: the template allows 2 retries"_s),
                 qPrintable(r.last()));
        QCOMPARE(m_backend->starts.value(s.taskIds.at(1)), 2); // failed once, then completed
        checkEvents();
    }

    void nonRetryableStopsAtOnce_data() { Backends::addBackendRows(); }
    void nonRetryableStopsAtOnce()
    {
        makeQueue();
        m_backend->script(u"acme-web/cart"_s, {{10, u"token expired"_s, u"auth"_s, false}});
        const QString task = submit({u"acme-web/cart"_s}).taskIds.first();
        QVERIFY(m_queue->start());
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(task)), toString(QueueState::Failed), 10000);
        QCOMPARE(m_backend->starts.value(task), 1);
        QVERIFY(reasons(task).last().contains(u"not retryable (auth) token expired"_s));
        checkEvents();
    }

    void pauseResumeCancelTask_data() { taskChainRows(); }
    void pauseResumeCancelTask()
    {
        makeQueue();
        m_backend->defaultOutcome.delayMs = 50;
        const LaunchSubmission s = submit({u"acme-web/cart"_s, u"acme-web/checkout"_s});
        const QString paused = s.taskIds.at(0), other = s.taskIds.at(1);
        QVERIFY(m_queue->pause(paused));
        QCOMPARE(toString(state(paused)), toString(QueueState::Paused));
        QSignalSpy drained(m_queue.get(), &LaunchQueue::drained);
        QVERIFY(m_queue->start());
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(other)), toString(QueueState::Completed), 10000);
        // Drained: the queue has looked at everything it could start, and left the paused one.
        QTRY_VERIFY_WITH_TIMEOUT(drained.count() > 0, 10000);
        QCOMPARE(toString(state(paused)), toString(QueueState::Paused));
        QCOMPARE(m_backend->starts.value(paused), 0);
        QVERIFY(m_queue->resume(paused));
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(paused)), toString(QueueState::Completed), 10000);

        // Cancelling a running task stops it on the backend.
        m_backend->defaultOutcome.delayMs = -1;
        const QString running = submit({u"acme-web/cart"_s}, u"9.9.9"_s).taskIds.first();
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(running)), toString(QueueState::Running), 10000);
        QVERIFY(m_queue->cancel(running));
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(running)), toString(QueueState::Cancelled), 10000);
        QCOMPARE(m_backend->cancelled, QStringList{running});
        QCOMPARE(toString(m_store->taskChain(running)->task.state), toString(TaskState::Cancelled));
        QVERIFY(!m_queue->cancel(running)); // final: nothing left to cancel
        checkEvents();
    }

    void pauseResumeCancelCampaign_data() { Backends::addBackendRows(); }
    void pauseResumeCancelCampaign()
    {
        makeQueue(1);
        m_backend->defaultOutcome.delayMs = -1;
        const LaunchSubmission s =
            submit({u"acme-web/cart"_s, u"acme-web/checkout"_s, u"acme-payments/ledger"_s});
        QVERIFY(m_queue->start());
        QTRY_COMPARE_WITH_TIMEOUT(m_backend->running(), 1, 10000);
        const QString running = m_backend->specs.first().taskId;
        QVERIFY(m_queue->pauseCampaign(s.campaignId));
        for (const QString &t : s.taskIds) {
            const QueueEntry e = *m_store->queueEntry(t);
            QVERIFY(e.paused);
            QCOMPARE(toString(e.state),
                     toString(t == running ? QueueState::Running : QueueState::Paused));
        }
        QVERIFY(m_queue->resumeCampaign(s.campaignId));
        for (const QString &t : s.taskIds)
            QVERIFY(!m_store->queueEntry(t)->paused);
        QVERIFY(m_queue->cancelCampaign(s.campaignId));
        QTRY_VERIFY_WITH_TIMEOUT(allIn(s.taskIds, QueueState::Cancelled), 10000);
        QCOMPARE(m_backend->cancelled, QStringList{running});
        QCOMPARE(m_backend->specs.size(), 1);
        checkEvents();
    }

    void survivesRestart_data() { Backends::addBackendRows(); }
    void survivesRestart()
    {
        makeQueue(2);
        m_backend->defaultOutcome.delayMs = -1;
        const LaunchSubmission s =
            submit({u"acme-web/cart"_s, u"acme-web/checkout"_s, u"acme-payments/ledger"_s});
        QVERIFY(m_queue->start());
        QTRY_COMPARE_WITH_TIMEOUT(m_backend->running(), 2, 10000);
        QStringList interrupted;
        for (const LaunchSpec &spec : m_backend->specs)
            interrupted << spec.taskId;
        // The backend reports the remote ids asynchronously; the queue has stored them.
        for (const QString &t : interrupted)
            QTRY_VERIFY_WITH_TIMEOUT(!m_store->queueEntry(t)->remoteId.isEmpty(), 10000);

        // The worker goes away mid-run: queue, backend and connection.
        m_queue.reset();
        m_backend.reset();
        m_store.reset();

        m_store = openRowStore();
        QVERIFY(m_store);
        for (const QString &t : interrupted)
            QCOMPARE(toString(state(t)), toString(QueueState::Running));
        makeQueue(2);
        QVERIFY(m_queue->start());
        QTRY_VERIFY_WITH_TIMEOUT(allIn(s.taskIds, QueueState::Completed), 10000);
        for (const QString &t : interrupted) {
            QVERIFY2(reasons(t).join(u'\n').contains(u"re-queued after a restart: attempt 1 was "
                                                     "running (remote id remote-"_s),
                     qPrintable(reasons(t).join(u'\n')));
            QCOMPARE(m_store->queueEntry(t)->attempts, 2);
        }
        checkEvents();
    }

    // Two planners submit the same request at once on two connections: the key is claimed
    // once, the loser is told the winner's campaign, and one campaign's entries are queued.
    void twoConnectionsClaimOneIdempotencyKey_data() { Backends::addBackendRows(); }
    void twoConnectionsClaimOneIdempotencyKey()
    {
        m_store.reset();
        auto first = openRowStore();
        auto second = openRowStore();
        QVERIFY(first && second);
        QVERIFY(first->beginBatch());
        QString firstCampaign = u"C-first"_s;
        bool firstClaimed = false;
        QVERIFY(first->claimIdempotencyKey(u"deps-bump@3 lodash"_s, &firstCampaign, &firstClaimed));
        QVERIFY(firstClaimed);
        // The second claim waits for the first batch (SQLite: for the write lock, PostgreSQL:
        // for the key's row), then finds the key taken.
        QString secondCampaign = u"C-second"_s;
        bool secondClaimed = true;
        bool secondOk = false;
        std::atomic<bool> started = false;
        std::thread racer([&] {
            started = true;
            secondOk = second->beginBatch() &&
                       second->claimIdempotencyKey(u"deps-bump@3 lodash"_s, &secondCampaign,
                                                   &secondClaimed) &&
                       second->commitBatch();
        });
        QVERIFY(QTest::qWaitFor([&] { return started.load(); }));
        if (m_location.startsWith(u"postgresql:"_s)) { // seen waiting for the key's row
            QVERIFY(QTest::qWaitFor([&] {
                return m_backends.sql(m_location,
                                      u"SELECT count(*) FROM pg_locks WHERE NOT granted"_s) ==
                       u"1"_s;
            }));
        }
        QVERIFY(first->commitBatch());
        racer.join();
        QVERIFY2(secondOk, qPrintable(second->errorString()));
        QVERIFY(!secondClaimed);
        QCOMPARE(secondCampaign, u"C-first"_s);
        QCOMPARE(second->campaignForIdempotencyKey(u"deps-bump@3 lodash"_s), u"C-first"_s);
        QVERIFY(!second->campaignForIdempotencyKey(u"another key"_s));

        // Through the planner: many submissions of one request at once, one campaign.
        constexpr int racers = 4;
        std::vector<std::thread> planners;
        QStringList campaigns[racers];
        for (int i = 0; i < racers; ++i) {
            planners.emplace_back([this, i, &campaigns] {
                auto store = openRowStore();
                if (!store)
                    return;
                LaunchPlanner planner(*store);
                planner.setClock([] { return noon(); });
                LaunchRequest r = request({u"acme-web/cart"_s});
                r.idempotencyKey = u"portal-request-17"_s;
                const LaunchSubmission s = planner.submit(r);
                campaigns[i] << s.campaignId << s.taskIds;
            });
        }
        for (std::thread &t : planners)
            t.join();
        for (int i = 1; i < racers; ++i)
            QCOMPARE(campaigns[i].value(0), campaigns[0].value(0));
        QVERIFY(!campaigns[0].value(0).isEmpty());
        auto store = openRowStore();
        QCOMPARE(store->queueEntries({}, true).size(), 1);
    }

    // The queue verbs' answers on the row's backend: entries in order, attempts, events.
    void queueReadsBack_data() { Backends::addBackendRows(); }
    void queueReadsBack()
    {
        const QList<KnownRepository> repos = m_store->repositories();
        QCOMPARE(repos.size(), 10);
        QCOMPARE(repos.constFirst().name, u"acme-api/gateway"_s); // in name order
        QCOMPARE(repos.constFirst().language, u"Go"_s);
        QCOMPARE(repos.constFirst().files, (QStringList{u"package.json"_s, u"README.md"_s}));
        KnownRepository changed = repos.constFirst();
        changed.archived = true;
        changed.topics.clear();
        QVERIFY(m_store->writeRepository(changed)); // replaces the row
        QVERIFY(m_store->repositories().constFirst().archived);
        QVERIFY(m_store->repositories().constFirst().topics.isEmpty());

        const LaunchSubmission s = submit({u"acme-web/checkout"_s, u"acme-web/cart"_s});
        QCOMPARE(s.taskIds.size(), 2);
        const QList<QueueEntry> entries = m_store->queueEntries(s.campaignId, false);
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).repo, u"acme-web/cart"_s); // same time: by repository
        QCOMPARE(toString(entries.at(0).state), toString(QueueState::Queued));
        QVERIFY(entries.at(0).createdAt >= noon() && entries.at(0).createdAt <= now());
        QCOMPARE(entries.at(1).createdAt, entries.at(0).createdAt);
        QVERIFY(!entries.at(0).spec.isEmpty());
        QVERIFY(m_store->identity(u"svc-deps"_s));
        QCOMPARE(m_store->identity(u"svc-deps"_s)->scopes, QStringList{u"agent_tasks:write"_s});
        QVERIFY(!m_store->identity(u"nobody"_s));

        const QString held = entries.at(0).taskId;
        QVERIFY(holdForConfirmation(*m_store, held, noon()));
        QCOMPARE(toString(m_store->queueEntry(held)->state),
                 toString(QueueState::NeedsConfirmation));
        QCOMPARE(m_store->queueEntry(held)->attempts, 2);
        const QList<LaunchAttempt> attempts = m_store->launchAttempts(held);
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(toString(attempts.at(0).outcome), toString(CreateOutcome::Uncertain));
        QCOMPARE(attempts.at(0).status, 502);
        QCOMPARE(attempts.at(0).startedAt, noon());
        QCOMPARE(attempts.at(0).request.value(u"base_ref"_s).toString(), u"main"_s);
        QCOMPARE(attempts.at(1).candidates.size(), 2);
        QCOMPARE(attempts.at(1).candidates.at(1).toObject().value(u"id"_s).toString(), u"t-b"_s);
        QVERIFY(!attempts.at(1).endedAt.isNull());
        QCOMPARE(reasons(held).last(), u"needs_confirmation: needs confirmation: two candidates"_s);

        // Cancelled: final, so only the full list has it; the write replaced the whole row.
        QueueEntry e = *m_store->queueEntry(s.taskIds.at(1));
        e.state = QueueState::Cancelled;
        e.remoteId.clear();
        e.paused = true;
        QVERIFY(m_store->writeQueueEntry(e));
        QCOMPARE(m_store->queueEntries(s.campaignId, false).size(), 1);
        QCOMPARE(m_store->queueEntries({}, true).size(), 2);
        QVERIFY(m_store->queueEntry(e.taskId)->paused);
        QVERIFY(m_store->queueEntries(u"C-none"_s, true).isEmpty());
        QVERIFY(!m_store->queueEntry(u"T-none"_s));
    }

    void launchedRunHasTheIngestedChain_data() { taskChainRows(); }
    void launchedRunHasTheIngestedChain()
    {
        makeQueue();
        const LaunchSubmission s = submit({u"acme-web/cart"_s});
        const QString task = s.taskIds.first();
        QVERIFY(m_queue->start());
        QTRY_COMPARE_WITH_TIMEOUT(toString(state(task)), toString(QueueState::Completed), 10000);
        const auto chain = m_store->taskChain(task);
        QVERIFY(chain);
        QCOMPARE(toString(chain->task.state), toString(TaskState::Completed));
        QCOMPARE(chain->task.source, u"test"_s);
        QCOMPARE(chain->task.repo, u"acme-web/cart"_s);
        QCOMPARE(chain->task.campaignId, s.campaignId);
        QCOMPARE(chain->task.templateVersion, u"3"_s);
        QVERIFY(chain->request && chain->campaign && chain->decision && chain->identity);
        QVERIFY(chain->policy && chain->taskTemplate);
        QCOMPARE(chain->commands.size(), 2);
        QCOMPARE(chain->commands.at(1).record.argv, (QStringList{u"npm"_s, u"test"_s}));
        QCOMPARE(chain->commands.at(1).logLines, 3);
        const QList<LogLine> lines = m_store->logLines(chain->commands.at(1).key, 1, 10);
        QCOMPARE(lines.size(), 3);
        QVERIFY(!lines.at(1).text.contains("ghp_"));
        QVERIFY(lines.at(1).text.contains("[REDACTED"));
        // The pull request is linked by head ref, as an ingested one would be.
        QVERIFY(chain->pullRequest);
        QCOMPARE(chain->task.prNumber.value_or(0), chain->pullRequest->number);
        QCOMPARE(chain->pullRequest->headRef, chain->task.headRef);
        QCOMPARE(chain->reviews.size(), 1);
        QCOMPARE(chain->checkRuns.size(), 1);
        QVERIFY(chain->checkedAt); // the conformance check ran
        QVERIFY(!m_store->search(u"lodash"_s, 10).isEmpty());
        QVERIFY(m_store->verifyEvidence({}).intact());
        QVERIFY(m_store->latestEvidence(u"task"_s, task));
        QVERIFY(m_store->latestEvidence(u"pull_request"_s,
                                        u"acme-web/cart#%1"_s.arg(chain->pullRequest->number)));
        checkEvents();
    }
};

QTEST_GUILESS_MAIN(TestLaunchQueue)
#include "tst_launchqueue.moc"
