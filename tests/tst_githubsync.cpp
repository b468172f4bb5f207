// The GitHub sync against a real loopback server playing GitHub (tests/syncworld.h): what it
// stores, what it asks again, how it waits, and where the token goes.
#include "sqlscalar.h"
#include "store/recordstore.h"
#include "sync/githubsync.h"
#include "sync/runlogsink.h"
#include "sync/syncrecords.h"
#include "syncworld.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Tasktrail;
using Tasktrail::SqlScalar::scalar;

namespace {

const QByteArray token = "ghp_synctesttoken000000000000000000000";

// Row counts of what a sync writes, and the evidence chain's head: equal when nothing changed.
[[maybe_unused]] QStringList databaseState(const QString &db)
{
    QStringList out;
    for (const char *table :
         {"task", "task_session", "request", "identity", "pull_request", "review", "check_run",
          "file_change", "audit_event", "audit_link", "record_seen", "evidence"}) {
        const QByteArray sql = "SELECT count(*) FROM " + QByteArray(table);
        out << QString::fromLatin1(table) % u'=' % QString::number(scalar(db, sql.constData()));
    }
    sqlite3 *h = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    sqlite3_prepare_v2(h, "SELECT hex(chain_hash) FROM evidence ORDER BY seq DESC LIMIT 1", -1,
                       &stmt, nullptr);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        out << u"head="_s %
                   QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(h);
    return out;
}

[[maybe_unused]] bool exec(const QString &db, const char *sql)
{
    sqlite3 *h = nullptr;
    sqlite3_open(db.toUtf8().constData(), &h);
    const bool ok = sqlite3_exec(h, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(h);
    return ok;
}

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
    QTemporaryDir m_dir;
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

private Q_SLOTS:
    void init()
    {
        static int n = 0;
        m_db = m_dir.filePath(u"sync%1.db"_s.arg(++n));
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
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM task WHERE repo = 'acme/web'"), 3);
        // The chain of T1: request, identity, pull request with review and checks, files.
        QCOMPARE(scalar(m_db, "SELECT pr_number FROM task WHERE id = 'T1'"), 7);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM request WHERE id = 'github-task:T1' AND "
                              "requester = 'alice' AND text = 'Fix the login button'"),
                 1);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM task t JOIN identity i ON i.id = "
                              "t.identity_id WHERE t.id = 'T1' AND i.principal = 'Copilot' AND "
                              "i.on_behalf_of = 'alice'"),
                 1);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM review WHERE pr_number = 7"), 1);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM check_run WHERE pr_number = 7"), 2);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM file_change WHERE task_id = 'T1'"), 2);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM task_session WHERE task_id = 'T1'"), 1);
        QCOMPARE(scalar(m_db, "SELECT count(*) FROM audit_event"), 1);

        // The logs: the API got the token, the storage host behind the redirect did not.
        const QList<ReceivedRequest> api = m_gh->requestsTo(SyncWorld::logsPath);
        QCOMPARE(api.size(), 1);
        QCOMPARE(api.first().headers.value("authorization"), "Bearer " + token);
        QCOMPARE(m_blobs->requests.size(), 1);
        QVERIFY(!m_blobs->requests.first().headers.contains("authorization"));
        QCOMPARE(m_sink.archives(), 1);
        // The token reached no row of the database.
        QFile file(m_db);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(token));
    }
};

QTEST_GUILESS_MAIN(TestGitHubSync)
#include "tst_githubsync.moc"
