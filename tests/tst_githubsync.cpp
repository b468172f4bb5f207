// The GitHub sync against a real loopback server playing GitHub (tests/syncworld.h): what it
// stores, what it asks again, how it waits, and where the token goes. What it stores is
// checked on both backends (rows sqlite and postgresql); how it talks to GitHub does not
// depend on the store, and those cases sync into a SQLite file.
#include "backends.h"
#include "store/recordstore.h"
#include "sync/githubsync.h"
#include "sync/runlogsink.h"
#include "sync/syncrecords.h"
#include "syncworld.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Tasktrail;

namespace {

const QByteArray token = "ghp_synctesttoken000000000000000000000";

struct Outcome
{
    bool ok = false;
    GitHubSyncSummary summary;
    QString error;
    QStringList problems;
    QList<GitHubSyncProgress> progress;
};

} // namespace

class TestGitHubSync : public QObject
{
    Q_OBJECT

private:
    Backends::Fixture m_backends;
    QString m_db;
    std::unique_ptr<FakeGitHub> m_gh;
    std::unique_ptr<FakeGitHub> m_blobs;
    GitHubSyncOptions m_options;
    CountingRunLogSink m_sink;

    Outcome sync(const std::function<void(GitHubSync &)> &during = {})
    {
        QString error;
        auto store = openStore(m_db, &error);
        if (!store)
            qFatal("cannot open the store: %s", qPrintable(error));
        GitHubSync s(*store, token, m_sink);
        Outcome o;
        connect(&s, &GitHubSync::problem, this, [&o](const QString &m) { o.problems << m; });
        connect(&s, &GitHubSync::progress, this,
                [&o](const GitHubSyncProgress &p) { o.progress << p; });
        if (during)
            during(s);
        o.ok = s.run(m_options);
        o.summary = s.summary();
        o.error = s.errorString();
        return o;
    }

    // One number read straight from the database, not through the store; -1 when there is
    // no row.
    qint64 scalar(const char *sql)
    {
        QString error;
        const QString value = m_backends.sql(m_db, QString::fromUtf8(sql), &error);
        if (!error.isEmpty())
            qWarning("%s: %s", sql, qPrintable(error));
        return value.isEmpty() ? -1 : value.toLongLong();
    }

    bool exec(const char *sql)
    {
        QString error;
        m_backends.sql(m_db, QString::fromUtf8(sql), &error);
        return error.isEmpty();
    }

    // Row counts of what a sync writes, and the evidence chain's head: equal when nothing
    // changed.
    QStringList databaseState()
    {
        QStringList out;
        for (const char *table : {"task", "task_session", "request", "identity", "pull_request",
                                  "review", "check_run", "file_change", "audit_event", "audit_link",
                                  "record_seen", "task_check", "finding", "evidence"}) {
            const QByteArray sql = "SELECT count(*) FROM " + QByteArray(table);
            out << QString::fromLatin1(table) % u'=' % QString::number(scalar(sql.constData()));
        }
        const QString head = m_backends.sql(
            m_db, m_db.startsWith(u"postgresql://"_s)
                      ? u"SELECT encode(chain_hash, 'hex') FROM evidence ORDER BY seq DESC "
                        "LIMIT 1"_s
                      : u"SELECT lower(hex(chain_hash)) FROM evidence ORDER BY seq DESC LIMIT 1"_s);
        if (!head.isEmpty())
            out << u"head="_s % head;
        return out;
    }

    // The backend of the current row: the cases about what is stored have rows "sqlite" and
    // "postgresql"; the others sync into a SQLite file.
    static QString backend()
    {
        const QByteArray tag = QTest::currentDataTag();
        return tag == "postgresql" ? u"postgresql"_s : u"sqlite"_s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_backends.start(&error), qPrintable(error));
    }

    void init()
    {
        m_db = m_backends.fresh(backend());
        m_gh = std::make_unique<FakeGitHub>();
        m_blobs = std::make_unique<FakeGitHub>();
        SyncWorld::script(*m_gh, *m_blobs);
        m_options = {};
        m_options.repos = {SyncWorld::repo};
        m_options.client.baseUrl = QUrl(m_gh->baseUrl());
        m_options.client.waitCapMs = 20; // GitHub's minutes, shortened
        m_options.client.transientRetryDelayMs = 10;
        m_sink = {};
    }

    void fullSyncFillsTheChain_data() { Backends::addBackendRows(); }
    void fullSyncFillsTheChain()
    {
        m_options.repos.clear();
        m_options.org = u"acme"_s;
        const Outcome o = sync();
        QVERIFY2(o.ok, qPrintable(o.error));
        QVERIFY2(o.problems.isEmpty(), qPrintable(o.problems.join(u'\n')));
        QCOMPARE(o.summary.tasks, 3);
        QCOMPARE(o.summary.pullRequests, 1);
        QCOMPARE(o.summary.reviews, 1);
        QCOMPARE(o.summary.checkRuns, 2);
        QCOMPARE(o.summary.filesChanged, 2);
        QCOMPARE(o.summary.jobLogs, 1);
        QCOMPARE(o.summary.jobLogBytes, SyncWorld::runLogsZip().size());
        QCOMPARE(o.summary.auditEvents, 1); // the other event lies outside every task's window
        QVERIFY2(o.summary.toString().startsWith(u"3 tasks, 1 pull requests"_s),
                 qPrintable(o.summary.toString()));

        // The three pages of the task list, each asked once.
        int pages = 0;
        for (const ReceivedRequest &r : m_gh->requestsTo(SyncWorld::tasksPath))
            pages += r.query.queryItemValue(u"is_archived"_s) != u"true" ? 1 : 0;
        QCOMPARE(pages, 3);
        QCOMPARE(scalar("SELECT count(*) FROM task WHERE repo = 'acme/web'"), 3);
        // The chain of T1: request, identity, pull request with review and checks, files.
        QCOMPARE(scalar("SELECT pr_number FROM task WHERE id = 'T1'"), 7);
        QCOMPARE(scalar("SELECT count(*) FROM request WHERE id = 'github-task:T1' AND "
                        "requester = 'alice' AND text = 'Fix the login button'"),
                 1);
        QCOMPARE(scalar("SELECT count(*) FROM task t JOIN identity i ON i.id = "
                        "t.identity_id WHERE t.id = 'T1' AND i.principal = 'Copilot' AND "
                        "i.on_behalf_of = 'alice'"),
                 1);
        QCOMPARE(scalar("SELECT count(*) FROM review WHERE pr_number = 7"), 1);
        QCOMPARE(scalar("SELECT count(*) FROM check_run WHERE pr_number = 7"), 2);
        QCOMPARE(scalar("SELECT count(*) FROM file_change WHERE task_id = 'T1'"), 2);
        QCOMPARE(scalar("SELECT count(*) FROM task_session WHERE task_id = 'T1'"), 1);
        QCOMPARE(scalar("SELECT count(*) FROM audit_event"), 1);

        // The logs: the API got the token, the storage host behind the redirect did not.
        const QList<ReceivedRequest> api = m_gh->requestsTo(SyncWorld::logsPath);
        QCOMPARE(api.size(), 1);
        QCOMPARE(api.first().headers.value("authorization"), "Bearer " + token);
        QCOMPARE(m_blobs->requests.size(), 1);
        QVERIFY(!m_blobs->requests.first().headers.contains("authorization"));
        QCOMPARE(m_sink.archives(), 1);
        // The token reached no row of the database.
        QVERIFY(!m_backends.storedBytes(m_db).contains(token));
    }
    // The second sync sends the list's ETag; GitHub answers 304 and nothing else is asked.
    void secondSyncAnswers304_data() { Backends::addBackendRows(); }
    void secondSyncAnswers304()
    {
        m_gh->etag(SyncWorld::tasksPath, "\"tasks-v1\"");
        const Outcome first = sync();
        QVERIFY2(first.ok, qPrintable(first.error));
        QCOMPARE(first.summary.notModified, 0);
        const QStringList before = databaseState();
        m_gh->requests.clear();

        const Outcome second = sync();
        QVERIFY2(second.ok, qPrintable(second.error));
        QCOMPARE(second.summary.tasks, 0);
        QVERIFY(second.summary.notModified >= 1);
        QVERIFY2(second.summary.toString().contains(u"requests answered 304"_s),
                 qPrintable(second.summary.toString()));
        const QList<ReceivedRequest> lists = m_gh->requestsTo(SyncWorld::tasksPath);
        bool conditional = false;
        for (const ReceivedRequest &r : lists)
            conditional |= r.headers.value("if-none-match") == "\"tasks-v1\"";
        QVERIFY(conditional);
        QVERIFY(m_gh->requestsTo(SyncWorld::tasksPath + u"/T1"_s).isEmpty());
        QVERIFY(m_gh->requestsTo(u"/repos/acme/web/pulls/7"_s).isEmpty());
        QCOMPARE(databaseState(), before);

        // Something changed: a new ETag, and the changed task is read again.
        m_gh->changeEtag(SyncWorld::tasksPath, "\"tasks-v2\"");
        m_gh->replace(
            "GET", SyncWorld::tasksPath + u"?page=3"_s,
            {json(200, QJsonObject{{u"tasks"_s, QJsonArray{SyncWorld::listedTask(
                                                    u"T3"_s, u"2026-03-04T10:30:00Z"_s)}}})});
        const Outcome third = sync();
        QVERIFY2(third.ok, qPrintable(third.error));
        QCOMPARE(third.summary.tasks, 1);
        QCOMPARE(m_gh->requestsTo(SyncWorld::tasksPath + u"/T3"_s).size(), 1);
    }

    // GitHub's secondary rate limit: 403 with Retry-After. The sync waits (shortened here),
    // says until when, and goes on.
    void secondaryRateLimitWaits()
    {
        m_gh->replace("GET", SyncWorld::tasksPath + u"/T2"_s,
                      {gitHubError(403, u"You have exceeded a secondary rate limit."_s,
                                   {{"Retry-After", "60"}}),
                       json(200, SyncWorld::listedTask(u"T2"_s, u"2026-03-02T10:30:00Z"_s))});
        QElapsedTimer clock;
        clock.start();
        const QDateTime started = QDateTime::currentDateTimeUtc();
        const Outcome o = sync();
        QVERIFY2(o.ok, qPrintable(o.error));
        QVERIFY(clock.elapsed() < 20'000);
        QCOMPARE(o.summary.tasks, 3);
        QCOMPARE(m_gh->requestsTo(SyncWorld::tasksPath + u"/T2"_s).size(), 2);
        bool told = false;
        for (const GitHubSyncProgress &p : o.progress) {
            if (p.waitingUntil.isValid()) {
                told = true;
                QCOMPARE(p.waitReason, u"rate limited"_s);
                QVERIFY(p.waitingUntil >= started.addSecs(59));
                QVERIFY2(p.toString().startsWith(u"rate limited, resuming at "_s),
                         qPrintable(p.toString()));
            }
        }
        QVERIFY(told);
    }

    // x-ratelimit-remaining 0: the next request waits for x-ratelimit-reset.
    void exhaustedRateLimitWaitsForReset()
    {
        const qint64 reset = QDateTime::currentSecsSinceEpoch() + 120;
        m_gh->replace("GET", SyncWorld::tasksPath + u"/T1"_s,
                      {json(200, SyncWorld::taskOne(),
                            {{"x-ratelimit-remaining", "0"},
                             {"x-ratelimit-reset", QByteArray::number(reset)}})});
        const Outcome o = sync();
        QVERIFY2(o.ok, qPrintable(o.error));
        bool told = false;
        for (const GitHubSyncProgress &p : o.progress)
            told |= p.waitingUntil.toSecsSinceEpoch() == reset;
        QVERIFY(told);
    }

    // A 502 is asked again (backing off) and the sync goes on; one that stays is retried a
    // bounded number of times and reported.
    void badGatewayThenSuccess_data() { Backends::addBackendRows(); }
    void badGatewayThenSuccess()
    {
        m_gh->replace("GET", u"/repos/acme/web/pulls/7"_s,
                      {gitHubError(502, u"Bad Gateway"_s), json(200, SyncWorld::pullRequest())});
        m_gh->replace("GET", u"/repos/acme/web/pulls/7/files"_s,
                      {gitHubError(502, u"Bad Gateway"_s)});
        const Outcome o = sync();
        QVERIFY2(o.ok, qPrintable(o.error));
        QCOMPARE(m_gh->requestsTo(u"/repos/acme/web/pulls/7"_s).size(), 2);
        QCOMPARE(o.summary.pullRequests, 1);
        QCOMPARE(m_gh->requestsTo(u"/repos/acme/web/pulls/7/files"_s).size(),
                 1 + m_options.client.maxTransientRetries);
        QCOMPARE(o.problems.size(), 1);
        QVERIFY2(o.problems.first().contains(u"HTTP 502"_s), qPrintable(o.problems.first()));
        // A list with a problem keeps its cursor: the next sync reads the task again.
        QVERIFY(scalar("SELECT count(*) FROM sync_cursor WHERE source = 'tasks:acme/web'") <= 0);
    }

    // A cut-off archive is not handed on, is reported, and is downloaded again next time.
    void truncatedZipIsDownloadedAgain_data() { Backends::addBackendRows(); }
    void truncatedZipIsDownloadedAgain()
    {
        const QByteArray zip = SyncWorld::runLogsZip();
        m_blobs->replace("GET", SyncWorld::blobPath,
                         {Canned{200, zip.left(zip.size() - 30), {}, 0}});
        const Outcome first = sync();
        QVERIFY2(first.ok, qPrintable(first.error));
        QCOMPARE(m_sink.archives(), 0);
        QCOMPARE(first.problems.size(), 1);
        QVERIFY2(first.problems.first().contains(u"run 3001"_s),
                 qPrintable(first.problems.first()));

        m_blobs->replace("GET", SyncWorld::blobPath, {Canned{200, zip, {}, 0}});
        const Outcome second = sync();
        QVERIFY2(second.ok, qPrintable(second.error));
        QVERIFY2(second.problems.isEmpty(), qPrintable(second.problems.join(u'\n')));
        QCOMPARE(m_sink.archives(), 1);
        QCOMPARE(m_blobs->requests.size(), 2);

        // Downloaded once: a later sync does not fetch the logs again.
        QVERIFY(exec("DELETE FROM sync_cursor WHERE source LIKE 'tasks%'"));
        const Outcome third = sync();
        QVERIFY2(third.ok, qPrintable(third.error));
        QCOMPARE(m_blobs->requests.size(), 2);
    }

    // Everything read again (the cursors lost) stores nothing twice: the same rows, the same
    // evidence head.
    void sameDataTwiceChangesNothing_data() { Backends::addBackendRows(); }
    void sameDataTwiceChangesNothing()
    {
        m_options.repos.clear();
        m_options.org = u"acme"_s;
        const Outcome first = sync();
        QVERIFY2(first.ok, qPrintable(first.error));
        const QStringList before = databaseState();
        QVERIFY(exec("DELETE FROM sync_cursor"));
        const Outcome second = sync();
        QVERIFY2(second.ok, qPrintable(second.error));
        QCOMPARE(second.summary.tasks, 3);
        QCOMPARE(second.summary.auditEvents, 1);
        QCOMPARE(databaseState(), before);
    }

    // GET /agents/tasks names repositories by id: resolved with GET /repositories/{id}.
    void userTasksResolveTheirRepository_data() { Backends::addBackendRows(); }
    void userTasksResolveTheirRepository()
    {
        m_options.repos.clear();
        QJsonObject listed = SyncWorld::listedTask(u"T9"_s, u"2026-03-05T10:00:00Z"_s);
        listed.remove(u"url"_s);
        listed.remove(u"html_url"_s);
        m_gh->on("GET", u"/agents/tasks"_s,
                 json(200, QJsonObject{{u"tasks"_s, QJsonArray{listed}}}));
        m_gh->on("GET", u"/repositories/42"_s,
                 json(200, QJsonObject{{u"id"_s, 42}, {u"full_name"_s, u"acme/web"_s}}));
        m_gh->on("GET", SyncWorld::tasksPath + u"/T9"_s, json(200, listed));
        const Outcome o = sync();
        QVERIFY2(o.ok, qPrintable(o.error));
        QVERIFY2(o.problems.isEmpty(), qPrintable(o.problems.join(u'\n')));
        QCOMPARE(scalar("SELECT count(*) FROM task WHERE id = 'T9' AND repo = 'acme/web'"), 1);
        QCOMPARE(m_gh->requestsTo(u"/repositories/42"_s).size(), 1);
    }

    // A refused token ends the sync with GitHub's reason, and the token is not in it.
    void refusedTokenIsFatal()
    {
        m_gh->hooks.prepend([](const ReceivedRequest &) -> std::optional<Canned> {
            return gitHubError(401, u"Bad credentials"_s);
        });
        const Outcome o = sync();
        QVERIFY(!o.ok);
        QVERIFY2(o.error.contains(u"Bad credentials"_s), qPrintable(o.error));
        QVERIFY(!o.error.contains(QString::fromLatin1(token)));
    }

    // Cancel ends the request in flight at once.
    void cancelStopsAtOnce_data() { Backends::addBackendRows(); }
    void cancelStopsAtOnce()
    {
        m_gh->replace("GET", SyncWorld::tasksPath + u"/T2"_s, {Canned{200, "{}", {}, 30'000}});
        QElapsedTimer clock;
        clock.start();
        const Outcome o = sync([](GitHubSync &s) {
            QObject::connect(&s, &GitHubSync::progress, &s, [&s](const GitHubSyncProgress &p) {
                if (p.doing.endsWith(u"task T2"_s))
                    QTimer::singleShot(50, &s, &GitHubSync::cancel);
            });
        });
        QVERIFY(!o.ok);
        QVERIFY(o.summary.cancelled);
        QCOMPARE(o.error, u"cancelled"_s);
        QVERIFY(clock.elapsed() < 10'000);
        QCOMPARE(scalar("SELECT count(*) FROM task WHERE id = 'T1'"), 1);
    }

    void whoAsked_data()
    {
        QTest::addColumn<QByteArray>("timeline");
        QTest::addColumn<QString>("login");
        QTest::addColumn<QString>("how");
        QTest::newRow("work started")
            << QByteArray(R"([{"event":"commented","user":{"login":"a"},"body":"@copilot go"},
            {"event":"copilot_work_started","actor":{"login":"b"}}])")
            << u"b"_s << u"copilot_work_started"_s;
        QTest::newRow("comment mentions")
            << QByteArray(
                   R"([{"event":"commented","user":{"login":"a"},"body":"hey @Copilot, fix it"}])")
            << u"a"_s << u"comment"_s;
        QTest::newRow("mention inside a word")
            << QByteArray(
                   R"([{"event":"commented","user":{"login":"a"},"body":"mail x@copilot.dev"}])")
            << QString() << QString();
        QTest::newRow("nothing") << QByteArray(R"([{"event":"labeled","actor":{"login":"a"}}])")
                                 << QString() << QString();
    }
    void whoAsked()
    {
        QFETCH(QByteArray, timeline);
        QFETCH(QString, login);
        QFETCH(QString, how);
        const auto ask = Sync::whoAskedCopilot(QJsonDocument::fromJson(timeline).array());
        QCOMPARE(ask ? ask->login : QString(), login);
        QCOMPARE(ask ? ask->how : QString(), how);
    }

    void zipProblems_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("whole");
        const QByteArray zip = SyncWorld::runLogsZip();
        QTest::newRow("whole") << zip << true;
        QTest::newRow("end cut off") << zip.left(zip.size() - 1) << false;
        QTest::newRow("central directory cut off") << zip.left(zip.size() - 40) << false;
        QTest::newRow("start cut off") << zip.mid(10) << false;
        QTest::newRow("empty") << QByteArray() << false;
    }
    void zipProblems()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, whole);
        QCOMPARE(zipArchiveProblem(bytes).isEmpty(), whole);
    }
};

QTEST_GUILESS_MAIN(TestGitHubSync)
#include "tst_githubsync.moc"
