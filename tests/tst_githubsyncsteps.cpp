// The sync's steps after the task itself, against a loopback GitHub (tests/syncworld.h): each
// session's Copilot session log (where it is asked, how it is stored, that it is not asked
// again), and the organisation audit log paged by GitHub's own `after` cursor, resumed after an
// interruption.
#include "sqlscalar.h"
#include "store/recordstore.h"
#include "sync/githubsync.h"
#include "sync/runlogsink.h"
#include "syncworld.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sqlite3.h>

using namespace Tasktrail;
using Tasktrail::SqlScalar::scalar;

namespace {

const QByteArray token = "ghp_stepstesttoken00000000000000000000";
const QString auditPath = u"/orgs/acme/audit-log"_s;

bool exec(const QString &db, const char *sql)
{
    sqlite3 *h = nullptr;
    sqlite3_open(db.toUtf8().constData(), &h);
    const bool ok = sqlite3_exec(h, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(h);
    return ok;
}

QJsonObject auditEvent(const QString &id, const QString &at)
{
    const qint64 ms = QDateTime::fromString(at, Qt::ISODate).toMSecsSinceEpoch();
    return QJsonObject{{u"_document_id"_s, id},    {u"action"_s, u"git.push"_s},
                       {u"actor"_s, u"Copilot"_s}, {u"repo"_s, u"acme/web"_s},
                       {u"@timestamp"_s, ms},      {u"created_at"_s, ms}};
}

struct Outcome
{
    bool ok = false;
    GitHubSyncSummary summary;
    QString error;
    QStringList problems;
};

} // namespace

class TestGitHubSyncSteps : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<FakeGitHub> m_gh;
    std::unique_ptr<FakeGitHub> m_blobs;
    std::unique_ptr<FakeGitHub> m_copilot;
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
        if (during)
            during(s);
        o.ok = s.run(m_options);
        o.summary = s.summary();
        o.error = s.errorString();
        return o;
    }

    // The audit log in three pages, each pointing to the next with GitHub's `after` cursor
    // in its Link header (the last one has none).
    void scriptAuditPages()
    {
        const auto link = [this](const char *after) -> QByteArray {
            return "<" + (m_gh->baseUrl() % auditPath).toUtf8() + "?after=" + after +
                   "&before=>; rel=\"next\"";
        };
        const QJsonArray first{auditEvent(u"e1"_s, u"2026-03-01T10:01:00Z"_s),
                               auditEvent(u"e2"_s, u"2026-03-01T10:02:00Z"_s)};
        const QJsonArray second{auditEvent(u"e3"_s, u"2026-03-01T10:03:00Z"_s),
                                auditEvent(u"e4"_s, u"2026-03-01T10:04:00Z"_s)};
        const QJsonArray third{auditEvent(u"e5"_s, u"2026-03-01T10:05:00Z"_s)};
        m_gh->hooks.prepend([=](const ReceivedRequest &r) -> std::optional<Canned> {
            if (r.path != auditPath)
                return std::nullopt;
            const QString after = r.query.queryItemValue(u"after"_s);
            if (after.isEmpty())
                return json(200, first, {{"Link", link("MS4x")}});
            if (after == u"MS4x")
                return json(200, second, {{"Link", link("Mi4y")}});
            if (after == u"Mi4y")
                return json(200, third);
            return gitHubError(400, u"unknown cursor"_s);
        });
    }

    QStringList auditAfters() const
    {
        QStringList out;
        for (const ReceivedRequest &r : m_gh->requestsTo(auditPath))
            out << (r.query.hasQueryItem(u"after"_s) ? r.query.queryItemValue(u"after"_s)
                                                     : u"(none)"_s);
        return out;
    }

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        m_db = m_dir.filePath(u"steps%1.db"_s.arg(++n));
        m_gh = std::make_unique<FakeGitHub>();
        m_blobs = std::make_unique<FakeGitHub>();
        m_copilot = std::make_unique<FakeGitHub>();
        SyncWorld::script(*m_gh, *m_blobs);
        m_copilot->on("GET", SyncWorld::sessionLogPath,
                      Canned{200, SyncWorld::sessionLog(), {}, 0});
        m_options = {};
        m_options.repos = {SyncWorld::repo};
        m_options.client.baseUrl = QUrl(m_gh->baseUrl());
        m_options.copilotApiUrl = QUrl(m_copilot->baseUrl());
        m_options.spoolParent = m_dir.filePath(u"spool"_s);
        m_options.client.waitCapMs = 20;
        m_options.client.transientRetryDelayMs = 10;
        m_sink = {};
    }

    // S1's log is asked of the Copilot API as `gh agent-task view --log` asks it, and read
    // into T1: its commands (numbered apart from the job logs' steps), the file it edited and
    // its transcript, searchable.
    void sessionLogIsReadIntoItsTask()
    {
        const Outcome o = sync();
        QVERIFY2(o.ok, qPrintable(o.error));
        QVERIFY2(o.problems.isEmpty(), qPrintable(o.problems.join(u'\n')));
        QCOMPARE(o.summary.sessionLogs, 1);
        QCOMPARE(o.summary.sessionLogBytes, SyncWorld::sessionLog().size());
        QVERIFY2(o.summary.toString().contains(u"1 session logs ("_s),
                 qPrintable(o.summary.toString()));

        const QList<ReceivedRequest> asked = m_copilot->requestsTo(SyncWorld::sessionLogPath);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first().headers.value("authorization"), "Bearer " + token);
        QCOMPARE(asked.first().headers.value("copilot-integration-id"), "copilot-4-cli");
        QCOMPARE(asked.first().headers.value("x-github-api-version"), "2026-01-09");
        QVERIFY(m_gh->requestsTo(SyncWorld::sessionLogPath).isEmpty());

        QCOMPARE(scalar(m_db, "SELECT count(*) FROM command WHERE task_id = 'T1' AND seq > 100000"),
                 2);
        QCOMPARE(scalar(m_db, "SELECT min(seq) FROM command WHERE task_id = 'T1'"), 100001);
        QCOMPARE(scalar(m_db, "SELECT exit_code FROM command WHERE task_id = 'T1' AND seq = "
                              "100002"),
                 1);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM session_transcript WHERE session_id = 'S1' "
                              "AND task_id = 'T1'"),
                 1);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM task_session WHERE id = 'S1' AND task_id = "
                              "'T1' AND state = 'completed'"),
                 1);
        QString error;
        auto store = openStore(m_db, &error);
        QVERIFY2(store, qPrintable(error));
        // Found once, in the entry of the session's conversation that says it (not again in
        // the session's whole text), of T1.
        const QList<SearchHit> hits = store->search(u"submits"_s, 10);
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits.constFirst().recordKind, u"transcript_entry"_s);
        for (const SearchHit &hit : hits)
            QCOMPARE(hit.taskId, u"T1"_s);
    }

    // A finished session's log, once read, is not asked again when its task is read again;
    // a session still running is asked with the log's ETag, and a 304 changes nothing.
    void sessionLogIsNotFetchedAgain()
    {
        m_copilot->etag(SyncWorld::sessionLogPath, "\"log-v1\"");
        QVERIFY(sync().ok);
        QCOMPARE(m_copilot->requests.size(), 1);
        const qint64 commands = scalar(m_db, "SELECT count(*) FROM command");

        QVERIFY(exec(m_db, "DELETE FROM sync_cursor WHERE source LIKE 'tasks%'"));
        const Outcome again = sync();
        QVERIFY2(again.ok, qPrintable(again.error));
        QCOMPARE(again.summary.tasks, 3);
        QCOMPARE(m_copilot->requests.size(), 1);

        QJsonObject task = SyncWorld::taskOne();
        QJsonArray sessions = task.value(u"sessions"_s).toArray();
        QJsonObject session = sessions.first().toObject();
        session.insert(u"state"_s, u"in_progress"_s);
        session.remove(u"completed_at"_s);
        session.insert(u"updated_at"_s, u"2026-03-01T10:40:00Z"_s);
        sessions.replace(0, session);
        task.insert(u"sessions"_s, sessions);
        m_gh->replace("GET", SyncWorld::tasksPath + u"/T1"_s, {json(200, task)});
        QVERIFY(exec(m_db, "DELETE FROM sync_cursor WHERE source LIKE 'tasks%'"));
        const Outcome running = sync();
        QVERIFY2(running.ok, qPrintable(running.error));
        QVERIFY2(running.problems.isEmpty(), qPrintable(running.problems.join(u'\n')));
        QCOMPARE(m_copilot->requests.size(), 2);
        QCOMPARE(m_copilot->requests.last().headers.value("if-none-match"), "\"log-v1\"");
        QCOMPARE(running.summary.sessionLogs, 0);
        QVERIFY(running.summary.notModified >= 1);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM command"), commands);
    }

    // A session without a log (404) is no problem, and nothing is stored for it.
    void missingSessionLogIsNoProblem()
    {
        m_copilot->replace("GET", SyncWorld::sessionLogPath, {gitHubError(404, u"Not Found"_s)});
        const Outcome o = sync();
        QVERIFY2(o.ok, qPrintable(o.error));
        QVERIFY2(o.problems.isEmpty(), qPrintable(o.problems.join(u'\n')));
        QCOMPARE(o.summary.sessionLogs, 0);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM session_transcript"), 0);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM sync_cursor WHERE source LIKE 'session-log:%'"),
                 0);
    }

    // The audit log goes page by page with GitHub's `after` cursors; the cursor of the last
    // page stored is kept. Interrupted while the third page is on its way, the next sync asks
    // from the stored cursor on: nothing asked twice, nothing lost, nothing stored twice.
    void auditLogResumesFromGitHubsCursor()
    {
        m_options.repos.clear();
        m_options.org = u"acme"_s;
        scriptAuditPages();
        const Outcome killed = sync([this](GitHubSync &s) {
            m_gh->hooks.prepend([&s](const ReceivedRequest &r) -> std::optional<Canned> {
                if (r.path == auditPath && r.query.queryItemValue(u"after"_s) == u"Mi4y") {
                    QTimer::singleShot(0, &s, &GitHubSync::cancel);
                    return Canned{200, "[]", {}, 30'000};
                }
                return std::nullopt;
            });
        });
        m_gh->hooks.removeFirst();
        QVERIFY(!killed.ok);
        QVERIFY(killed.summary.cancelled);
        QCOMPARE(auditAfters(), (QStringList{u"(none)"_s, u"MS4x"_s, u"Mi4y"_s}));
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM audit_event"), 4);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM sync_cursor WHERE source = 'audit:acme' AND "
                              "position = 'Mi4y'"),
                 1);

        m_gh->requests.clear();
        const Outcome resumed = sync();
        QVERIFY2(resumed.ok, qPrintable(resumed.error));
        QVERIFY2(resumed.problems.isEmpty(), qPrintable(resumed.problems.join(u'\n')));
        QCOMPARE(auditAfters(), QStringList{u"Mi4y"_s});
        QCOMPARE(resumed.summary.auditEvents, 1);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM audit_event"), 5);
        QCOMPARE(scalar(m_db, "SELECT count(DISTINCT id) FROM audit_event WHERE id IN ('e1', 'e2', "
                              "'e3', 'e4', 'e5')"),
                 5);
        // Every request of the query asks the same phrase, so GitHub's cursors stay valid.
        QStringList phrases;
        for (const ReceivedRequest &r : m_gh->requestsTo(auditPath))
            phrases << r.query.queryItemValue(u"phrase"_s, QUrl::FullyDecoded);
        QCOMPARE(phrases, QStringList{u"created:>=2026-03-01T09:45:00Z"_s});

        // The last page is asked again next time (GitHub gives no cursor after it) and what
        // it holds is not stored twice.
        m_gh->requests.clear();
        const Outcome third = sync();
        QVERIFY2(third.ok, qPrintable(third.error));
        QCOMPARE(auditAfters(), QStringList{u"Mi4y"_s});
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM audit_event"), 5);
    }

    // A task older than the query's start makes a new query from that task's window on,
    // without a cursor of the old one.
    void olderTaskRestartsTheAuditQuery()
    {
        m_options.repos.clear();
        m_options.org = u"acme"_s;
        scriptAuditPages();
        QVERIFY(sync().ok);
        QVERIFY(exec(m_db, "UPDATE sync_cursor SET since = '2026-03-02T00:00:00Z' WHERE source = "
                           "'audit:acme'"));
        QVERIFY(exec(m_db, "DELETE FROM sync_cursor WHERE source LIKE 'tasks%'"));
        m_gh->requests.clear();
        const Outcome o = sync();
        QVERIFY2(o.ok, qPrintable(o.error));
        QCOMPARE(auditAfters().first(), u"(none)"_s);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM audit_event"), 5);
    }
};

QTEST_GUILESS_MAIN(TestGitHubSyncSteps)
#include "tst_githubsyncsteps.moc"
