// Launching a task once: the launch queue on the Copilot backend against a loopback server
// playing GitHub and a real SQLite store. After a create whose outcome is uncertain (no answer
// in time, a 5xx, a 201 without an id, a worker stopped mid-POST) the queue looks for the task
// and follows it, posts once more only when it is certainly not there, and otherwise holds the
// entry for a person. Every case counts the POSTs GitHub received.
#include "fakegithub.h"
#include "launchfixture.h"

#include "github/tokensources.h"
#include "launch/copilotbackend.h"
#include "launch/createguard.h"
#include "launch/launchqueue.h"
#include "launch/launchspec.h"

#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace LaunchFixture;

namespace {

const QByteArray token = QByteArrayLiteral("ghu_CreateGuardS3cretToken0123456789");
constexpr qint64 creator = 4242;

QString iso(const QDateTime &at)
{
    return at.toUTC().toString(Qt::ISODate);
}

} // namespace

class TestCreateGuard : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<RecordStore> m_store;
    std::unique_ptr<FakeGitHub> m_github;
    MemoryTokenSource m_tokens;
    std::unique_ptr<CopilotBackend> m_backend;
    std::unique_ptr<LaunchQueue> m_queue;
    QString m_task;
    LaunchSpec m_spec;
    QString m_tasks; // the repository's tasks path

    void startWorker(int timeoutMs = 2'000)
    {
        m_backend = std::make_unique<CopilotBackend>(&m_tokens);
        CopilotBackend::Options o;
        o.http.baseUrl = QUrl(m_github->baseUrl());
        o.http.timeoutMs = timeoutMs;
        o.http.transientRetryDelayMs = 20;
        o.pollIntervalMs = 50;
        m_backend->setOptions(o);
        m_queue = std::make_unique<LaunchQueue>(*m_store, *m_backend);
        QueueSettings s;
        s.retryBaseMs = 100;
        s.pollMs = 20;
        m_queue->setSettings(s);
        QVERIFY(m_queue->start());
    }

    // The worker goes away: queue, backend (and its requests) and connection.
    void stopWorker()
    {
        m_queue.reset();
        m_backend.reset();
        m_store.reset();
        m_store = open(m_dir);
        QVERIFY(m_store);
    }

    // A task as GitHub lists it, created now by `by`.
    QJsonObject listed(const QString &id, qint64 by = creator) const
    {
        return {{u"id"_s, id},
                {u"name"_s, m_spec.prompt.left(30)},
                {u"state"_s, u"queued"_s},
                {u"creator"_s, QJsonObject{{u"id"_s, by}}},
                {u"html_url"_s, QString(u"https://github.com/acme-web/cart/copilot/tasks/"_s % id)},
                {u"created_at"_s, iso(QDateTime::currentDateTimeUtc())},
                {u"updated_at"_s, iso(QDateTime::currentDateTimeUtc())}};
    }

    // The same task read by id, with the session that started it.
    QJsonObject described(const QString &id, const QString &state = u"completed"_s,
                          const QString &prompt = {}) const
    {
        QJsonObject t = listed(id);
        t.insert(u"state"_s, state);
        t.insert(u"sessions"_s,
                 QJsonArray{QJsonObject{{u"id"_s, QString(u"s-"_s % id)},
                                        {u"state"_s, state},
                                        {u"prompt"_s, prompt.isEmpty() ? m_spec.prompt : prompt},
                                        {u"base_ref"_s, m_spec.baseRef},
                                        {u"head_ref"_s, m_spec.headRef},
                                        {u"created_at"_s, t.value("created_at"_L1)}}});
        return t;
    }

    void onList(const QJsonArray &tasks)
    {
        m_github->on("GET", m_tasks, json(200, QJsonObject{{u"tasks"_s, tasks}}));
    }

    void onTask(const QString &id, const QString &state = u"completed"_s)
    {
        m_github->on("GET", m_tasks % u'/' % id, json(200, described(id, state)));
    }

    int posts() const
    {
        int n = 0;
        for (const ReceivedRequest &r : std::as_const(m_github->requests))
            n += r.method == "POST";
        return n;
    }

    QueueState state() { return m_store->queueEntry(m_task)->state; }
    QString stateText() { return toString(state()); }
    QList<LaunchAttempt> attempts() { return m_store->launchAttempts(m_task); }
    // Attempt i (from 0; -1: the last), or an empty one when there is no such attempt.
    LaunchAttempt attemptAt(qsizetype i)
    {
        const QList<LaunchAttempt> all = attempts();
        return all.value(i < 0 ? all.size() + i : i);
    }

    QString history()
    {
        QStringList lines;
        for (const LaunchEvent &e : m_store->launchEvents(m_task))
            lines << e.toState % u": "_s % e.reason;
        return lines.join(u'\n');
    }

    // The token went to the API only, and never into the database.
    void checkNoTokenLeft()
    {
        for (const ReceivedRequest &r : std::as_const(m_github->requests))
            QVERIFY(r.path.startsWith("/agents/"_L1) || r.path == "/user"_L1);
        QFile file(m_dir.filePath(u"launch.db"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(token));
    }

private Q_SLOTS:
    void initTestCase() { m_tokens.setToken(u"svc-deps"_s, token); }

    void init()
    {
        QVERIFY(m_dir.isValid());
        m_store = open(m_dir);
        QVERIFY(m_store);
        QVERIFY(loadScene(*m_store));
        m_github = std::make_unique<FakeGitHub>();
        LaunchPlanner planner(*m_store);
        planner.setClock([] { return noon(); });
        LaunchRequest r = request({u"acme-web/cart"_s});
        r.backend = u"copilot-api"_s;
        const LaunchSubmission s = planner.submit(r);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QCOMPARE(s.taskIds.size(), 1);
        m_task = s.taskIds.first();
        m_spec = queuedLaunchFromJson(m_store->queueEntry(m_task)->spec).spec;
        QVERIFY(!m_spec.headRef.isEmpty());
        m_tasks = u"/agents/repos/acme-web/cart/tasks"_s;
        m_github->on("GET", u"/user"_s,
                     json(200, QJsonObject{{u"id"_s, creator}, {u"login"_s, u"svc-deps"_s}}));
    }

    void cleanup()
    {
        m_queue.reset();
        m_backend.reset();
        m_store.reset();
        m_github.reset();
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(m_dir.filePath(u"launch.db"_s) + suffix);
    }

    // The next start from the attempts so far.
    void plan_data()
    {
        QTest::addColumn<QStringList>("outcomes"); // per attempt: outcome[/resolution][/ended]
        QTest::addColumn<QString>("expected");     // post, look since N, adopt r-N
        QTest::addColumn<QString>("note");         // a part of the event's note
        QTest::newRow("first start") << QStringList{} << u"post"_s << QString();
        QTest::newRow("refused") << QStringList{u"not_created/-/ended"_s} << u"post"_s << QString();
        QTest::newRow("uncertain") << QStringList{u"uncertain/-/ended"_s} << u"look since 1"_s
                                   << u"looks for a task created since attempt 1"_s;
        QTest::newRow("stopped mid-POST")
            << QStringList{u"pending"_s} << u"look since 1"_s << u"since attempt 1"_s;
        QTest::newRow("uncertain, then stopped")
            << QStringList{u"uncertain/-/ended"_s, u"pending"_s} << u"look since 1"_s
            << u"since attempt 1"_s;
        QTest::newRow("settled, then uncertain")
            << QStringList{u"uncertain/not_created/ended"_s, u"uncertain/-/ended"_s}
            << u"look since 2"_s << u"since attempt 2"_s;
        QTest::newRow("uncertain, then a start that sent nothing")
            << QStringList{u"uncertain/-/ended"_s, u"not_created/-/ended"_s} << u"look since 1"_s
            << u"since attempt 1"_s;
        QTest::newRow("undecided")
            << QStringList{u"undecided/-/ended"_s} << u"look since 1"_s << u"since attempt 1"_s;
        QTest::newRow("confirmed created") << QStringList{u"undecided/created/ended"_s}
                                           << u"adopt r-1"_s << u"follows remote task r-1"_s;
        QTest::newRow("confirmed not created")
            << QStringList{u"undecided/not_created/ended"_s} << u"post"_s << u"once more"_s;
        QTest::newRow("stopped while following")
            << QStringList{u"created"_s} << u"adopt r-1"_s << u"re-attaches"_s;
        QTest::newRow("adopted, stopped") << QStringList{u"uncertain/created/ended"_s, u"adopted"_s}
                                          << u"adopt r-2"_s << u"re-attaches to remote task r-2"_s;
        QTest::newRow("finished run")
            << QStringList{u"created/-/ended"_s} << u"post"_s << QString();
    }

    void plan()
    {
        QFETCH(QStringList, outcomes);
        QFETCH(QString, expected);
        QFETCH(QString, note);
        const QDateTime t0 = noon();
        QList<LaunchAttempt> attempts;
        for (const QString &text : std::as_const(outcomes)) {
            const QStringList parts = text.split(u'/');
            LaunchAttempt a;
            a.attempt = int(attempts.size()) + 1;
            a.startedAt = t0.addSecs(60 * a.attempt);
            a.outcome = createOutcomeFromString(parts.at(0)).value_or(CreateOutcome::Pending);
            a.resolution = parts.value(1) == u"-" ? QString() : parts.value(1);
            if (parts.value(2) == u"ended")
                a.endedAt = a.startedAt.addSecs(30);
            if (a.outcome == CreateOutcome::Created || a.outcome == CreateOutcome::Adopted ||
                a.resolution == u"created")
                a.remoteId = u"r-%1"_s.arg(a.attempt);
            attempts << a;
        }
        const CreateGuard::Plan p = CreateGuard::plan(attempts);
        QString got = u"post"_s;
        if (!p.adoptRemoteId.isEmpty())
            got = u"adopt "_s % p.adoptRemoteId;
        else if (p.lookSince.isValid())
            got = u"look since %1"_s.arg(t0.secsTo(p.lookSince) / 60);
        QCOMPARE(got, expected);
        if (note.isEmpty())
            QCOMPARE(p.note, QString());
        else
            QVERIFY2(p.note.contains(note), qPrintable(p.note));
    }

    void fingerprintIsOfTheRequest()
    {
        const QJsonObject a{{u"prompt"_s, u"x"_s}, {u"base_ref"_s, u"main"_s}};
        const QJsonObject b{{u"base_ref"_s, u"main"_s}, {u"prompt"_s, u"x"_s}};
        QCOMPARE(CreateGuard::fingerprint(a), CreateGuard::fingerprint(b));
        QCOMPARE(CreateGuard::fingerprint(a).size(), 64);
        QVERIFY(CreateGuard::fingerprint(a) !=
                CreateGuard::fingerprint(QJsonObject{{u"prompt"_s, u"y"_s}}));
    }

    // The POST is answered after the client gave up: GitHub created the task all the same.
    void slow201AfterTheTimeoutIsFound()
    {
        Canned slow = json(201, described(u"t-slow"_s, u"queued"_s));
        slow.delayMs = 1'500;
        m_github->on("POST", m_tasks, slow);
        onList({listed(u"t-slow"_s)});
        onTask(u"t-slow"_s);
        startWorker(400);
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Completed), 20'000);
        QCOMPARE(posts(), 1);
        QCOMPARE(m_store->queueEntry(m_task)->remoteId, u"t-slow"_s);
        const QList<LaunchAttempt> a = attempts();
        QCOMPARE(a.size(), 2);
        QCOMPARE(toString(a.at(0).outcome), u"uncertain"_s);
        QCOMPARE(a.at(0).status, 0);
        QCOMPARE(a.at(0).resolution, u"created"_s);
        QCOMPARE(toString(a.at(1).outcome), u"adopted"_s);
        QVERIFY2(a.at(1).lookup.contains("found task t-slow"_L1), qPrintable(a.at(1).lookup));
        QVERIFY2(history().contains("looks for a task created since attempt 1"_L1),
                 qPrintable(history()));
        // The look asked for this creator's tasks since the attempt, newest first.
        const QList<ReceivedRequest> lists = m_github->requestsTo(m_tasks);
        const ReceivedRequest *list = nullptr;
        for (const ReceivedRequest &r : lists)
            list = r.method == "GET" ? &r : list;
        QVERIFY(list);
        QCOMPARE(list->query.queryItemValue(u"creator_id"_s), QString::number(creator));
        QCOMPARE(list->query.queryItemValue(u"sort"_s), u"created_at"_s);
        QVERIFY(!list->query.queryItemValue(u"since"_s).isEmpty());
        checkNoTokenLeft();
    }

    // A proxy answers 502 after GitHub created the task.
    void badGatewayAfterCreationIsFound()
    {
        m_github->on("POST", m_tasks, gitHubError(502, u"Bad Gateway"_s));
        onList({listed(u"t-502"_s), listed(u"t-other-creator"_s, 7)});
        onTask(u"t-502"_s);
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Completed), 20'000);
        QCOMPARE(posts(), 1);
        QCOMPARE(m_store->queueEntry(m_task)->remoteId, u"t-502"_s);
        QCOMPARE(attemptAt(0).status, 502);
        QVERIFY(attemptAt(0).answer.contains("HTTP 502"_L1));
        // The other creator's task was not even read.
        QCOMPARE(m_github->requestsTo(m_tasks % u"/t-other-creator"_s).size(), 0);
        checkNoTokenLeft();
    }

    // 201, but the body names no task: the look recovers the id; no second POST.
    void garbage201IsRecovered_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("not JSON") << QByteArray("<html>upstream sent garbage");
        QTest::newRow("no id") << QByteArray(R"({"state":"queued"})");
    }

    void garbage201IsRecovered()
    {
        QFETCH(QByteArray, body);
        m_github->on("POST", m_tasks, Canned{201, body, {}, 0});
        onList({listed(u"t-201"_s)});
        onTask(u"t-201"_s);
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Completed), 20'000);
        QCOMPARE(posts(), 1);
        QCOMPARE(m_store->queueEntry(m_task)->remoteId, u"t-201"_s);
        QCOMPARE(attempts().size(), 1);
        QCOMPARE(toString(attemptAt(0).outcome), u"created"_s);
        QVERIFY2(attemptAt(0).answer.contains("names no task"_L1), qPrintable(attemptAt(0).answer));
    }

    // Not finding the task a 201 created is never a reason to post again.
    void garbage201NotFoundNeedsConfirmation()
    {
        m_github->on("POST", m_tasks, Canned{201, "{}", {}, 0});
        onList({});
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::NeedsConfirmation), 20'000);
        // A second POST would come within the retry's first delay: it must not come at all.
        QVERIFY(!QTest::qWaitFor([this] { return posts() > 1; }, 300));
        QCOMPARE(posts(), 1);
    }

    // Two tasks could be the one: a person picks; the queue then follows it and posts nothing.
    void twoCandidatesNeedConfirmation()
    {
        m_github->on("POST", m_tasks, gitHubError(502, u"Bad Gateway"_s));
        onList({listed(u"t-a"_s), listed(u"t-b"_s)});
        onTask(u"t-a"_s);
        onTask(u"t-b"_s);
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::NeedsConfirmation), 20'000);
        // Nothing more happens on its own.
        QVERIFY(!QTest::qWaitFor(
            [this] { return stateText() != toString(QueueState::NeedsConfirmation); }, 300));
        QCOMPARE(posts(), 1);
        QVERIFY(!attempts().isEmpty());
        const LaunchAttempt last = attemptAt(-1);
        QCOMPARE(toString(last.outcome), u"undecided"_s);
        QCOMPARE(last.candidates.size(), 2);
        QCOMPARE(last.candidates.at(1).toObject().value("id"_L1).toString(), u"t-b"_s);
        const QString evidence = CreateGuard::evidence(attempts(), true).join(u'\n');
        for (const char *part : {"attempt 1", "HTTP 502: Bad Gateway", "attempt 2", "2 match",
                                 "candidate: task t-a", "candidate: task t-b"})
            QVERIFY2(evidence.contains(QLatin1StringView(part)), qPrintable(evidence));
        QVERIFY(!m_queue->resume(m_task)); // resuming does not skip the confirmation

        const auto outcome = QueueControl::confirm(*m_store, m_task, u"t-b"_s, u"mgarcia"_s,
                                                   QDateTime::currentDateTimeUtc());
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Completed), 20'000);
        QCOMPARE(posts(), 1);
        QCOMPARE(m_store->queueEntry(m_task)->remoteId, u"t-b"_s);
        QVERIFY(m_github->requestsTo(m_tasks % u"/t-b"_s).size() >= 2);
        QVERIFY2(history().contains("confirmed by mgarcia"_L1), qPrintable(history()));
        checkNoTokenLeft();
    }

    // The list cannot be read: a person confirms it was not created; exactly one new POST.
    void listFailingNeedsConfirmation()
    {
        m_github->on("POST", m_tasks, gitHubError(502, u"Bad Gateway"_s));
        m_github->on("POST", m_tasks, json(201, described(u"t-new"_s, u"queued"_s)));
        m_github->on("GET", m_tasks, gitHubError(500, u"Server Error"_s));
        onTask(u"t-new"_s);
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::NeedsConfirmation), 20'000);
        QCOMPARE(posts(), 1);
        QVERIFY2(attemptAt(-1).lookup.contains("could not be listed"_L1),
                 qPrintable(attemptAt(-1).lookup));
        const auto outcome = QueueControl::confirm(*m_store, m_task, {}, u"mgarcia"_s,
                                                   QDateTime::currentDateTimeUtc());
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Completed), 20'000);
        QCOMPARE(posts(), 2);
        QCOMPARE(m_store->queueEntry(m_task)->remoteId, u"t-new"_s);
    }

    // Without the creator there is nothing to match by.
    void creatorUnknownNeedsConfirmation()
    {
        m_github = std::make_unique<FakeGitHub>(); // without init()'s GET /user
        m_github->on("POST", m_tasks, gitHubError(504, u"Gateway Timeout"_s));
        m_github->on("GET", u"/user"_s, gitHubError(403, u"Resource not accessible"_s));
        onList({listed(u"t-x"_s)});
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::NeedsConfirmation), 20'000);
        QCOMPARE(posts(), 1);
        QVERIFY2(attemptAt(-1).lookup.contains("creator is unknown"_L1),
                 qPrintable(attemptAt(-1).lookup));
    }

    // Certainly not created: exactly one new POST, and a task with another prompt is not taken.
    void notFoundPostsOnce()
    {
        m_github->on("POST", m_tasks, gitHubError(502, u"Bad Gateway"_s));
        m_github->on("POST", m_tasks, json(201, described(u"t-2nd"_s, u"queued"_s)));
        onList({listed(u"t-else"_s)});
        m_github->on("GET", m_tasks % u"/t-else"_s,
                     json(200, described(u"t-else"_s, u"completed"_s, u"Another prompt"_s)));
        onTask(u"t-2nd"_s);
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Completed), 20'000);
        QCOMPARE(posts(), 2);
        QCOMPARE(m_store->queueEntry(m_task)->remoteId, u"t-2nd"_s);
        const QList<LaunchAttempt> a = attempts();
        QCOMPARE(a.size(), 2);
        QCOMPARE(a.at(0).resolution, u"not_created"_s);
        QCOMPARE(toString(a.at(1).outcome), u"created"_s);
        QVERIFY2(a.at(1).lookup.contains("no task with this prompt"_L1),
                 qPrintable(a.at(1).lookup));
    }

    // A refused POST (a 4xx) created nothing: no look, and the usual failure.
    void refusedPostIsNotLookedFor()
    {
        m_github->on("POST", m_tasks, gitHubError(422, u"Validation Failed"_s));
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Failed), 20'000);
        QCOMPARE(posts(), 1);
        QCOMPARE(m_github->requestsTo(u"/user"_s).size(), 0);
        QCOMPARE(toString(attemptAt(0).outcome), u"not_created"_s);
    }

    // The worker stops while the POST is unanswered: the next worker looks before posting.
    void restartAfterAnUnansweredPostLooksFirst()
    {
        Canned slow = json(201, described(u"t-late"_s, u"queued"_s));
        slow.delayMs = 5'000;
        m_github->on("POST", m_tasks, slow);
        startWorker(10'000);
        QTRY_COMPARE_WITH_TIMEOUT(posts(), 1, 10'000);
        QCOMPARE(attempts().size(), 1);
        QCOMPARE(toString(attemptAt(0).outcome), u"pending"_s);
        stopWorker();
        onList({listed(u"t-late"_s)});
        onTask(u"t-late"_s);
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Completed), 20'000);
        QCOMPARE(posts(), 1);
        QCOMPARE(m_store->queueEntry(m_task)->remoteId, u"t-late"_s);
        QVERIFY2(history().contains("its next start looks for a task created since attempt 1"_L1),
                 qPrintable(history()));
    }

    // A restarted worker looks at once, before GitHub lists the task the first POST created:
    // not finding it then is no answer. The worker looks again once the first POST's answer
    // must have come, finds the task and posts nothing.
    void restartLooksAgainUntilTheFirstCreateHasSettled()
    {
        Canned slow = json(201, described(u"t-late"_s, u"queued"_s));
        slow.delayMs = 1'500;
        m_github->on("POST", m_tasks, slow);
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(posts(), 1, 10'000);
        stopWorker();
        onList({});
        onTask(u"t-late"_s);
        startWorker();
        const auto looks = [this] {
            int n = 0;
            for (const ReceivedRequest &r : m_github->requestsTo(m_tasks))
                n += r.method == "GET" ? 1 : 0;
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(looks() >= 1, 10'000);
        m_github->replace("GET", m_tasks,
                          {json(200, QJsonObject{{u"tasks"_s, QJsonArray{listed(u"t-late"_s)}}})});
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Completed), 20'000);
        QCOMPARE(posts(), 1);
        QVERIFY(looks() >= 2);
        QCOMPARE(m_store->queueEntry(m_task)->remoteId, u"t-late"_s);
        QVERIFY2(history().contains("not finding it is no answer before"_L1),
                 qPrintable(history()));
    }

    // The worker stops while following a task: the next one re-attaches, and posts nothing.
    void restartWhileFollowingReattaches()
    {
        m_github->on("POST", m_tasks, json(201, described(u"t-run"_s, u"queued"_s)));
        onTask(u"t-run"_s, u"in_progress"_s);
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(m_store->queueEntry(m_task)->remoteId, u"t-run"_s, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(attempts().size(), 1, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(toString(attemptAt(0).outcome), u"created"_s, 10'000);
        stopWorker();
        m_github = std::make_unique<FakeGitHub>(); // a fresh count; the same port is not needed
        onTask(u"t-run"_s);
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::Completed), 20'000);
        QCOMPARE(posts(), 0);
        QCOMPARE(attempts().size(), 2);
        QCOMPARE(toString(attemptAt(-1).outcome), u"adopted"_s);
        QVERIFY2(history().contains("re-attaches to remote task t-run"_L1), qPrintable(history()));
    }

    // Retries that keep ending uncertain stop in needs_confirmation, never in failed.
    void uncertainToTheLastRetryNeedsConfirmation()
    {
        m_github->on("POST", m_tasks, gitHubError(503, u"Service Unavailable"_s));
        onList({});
        startWorker();
        QTRY_COMPARE_WITH_TIMEOUT(stateText(), toString(QueueState::NeedsConfirmation), 20'000);
        QCOMPARE(posts(), 2); // the same failure twice stops the retries
        QVERIFY2(history().contains("confirm whether the task exists"_L1), qPrintable(history()));
    }

    void confirmRefusesWhatItCannotUse()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(QueueControl::confirm(*m_store, m_task, u"t-1"_s, u"x"_s, now)
                    .error.contains("does not need a confirmation: it is queued"_L1));
        QVERIFY(QueueControl::confirm(*m_store, u"nope"_s, {}, u"x"_s, now)
                    .error.contains("no queue entry"_L1));
        QVERIFY(QueueControl::confirm(*m_store, m_task, u"a b"_s, u"x"_s, now)
                    .error.contains("space"_L1));
        QVERIFY(QueueControl::confirm(*m_store, m_task, u"../t"_s, u"x"_s, now)
                    .error.contains("slash"_L1));
    }
};

QTEST_GUILESS_MAIN(TestCreateGuard)
#include "tst_createguard.moc"
