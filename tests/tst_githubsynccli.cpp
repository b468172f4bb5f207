// `tasktrail-cli sync github` end to end against a loopback GitHub (tests/syncworld.h), into an
// SQLite file and into a team database (tests/backends.h): the chain it fills, and a sync killed
// with SIGKILL half-way that the next sync completes.
#include "backends.h"
#include "sqlscalar.h"
#include "syncworld.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <sqlite3.h>

namespace {

const QString token = u"ghp_clisynctoken0000000000000000000000"_s;

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs the CLI while this thread's event loop goes on serving the fake GitHub; with tmpDir,
// that is its TMPDIR (where the sync keeps its downloads).
Run cli(const QStringList &args, const QString &ghToken = token, const QString &tmpDir = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!tmpDir.isEmpty())
        env.insert(u"TMPDIR"_s, tmpDir);
    env.remove(u"GITHUB_TOKEN"_s);
    env.remove(u"TASKTRAIL_TOKEN"_s);
    if (ghToken.isEmpty())
        env.remove(u"GH_TOKEN"_s);
    else
        env.insert(u"GH_TOKEN"_s, ghToken);
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(QStringLiteral(TASKTRAIL_CLI), args);
    if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, 120'000))
        p.kill();
    p.waitForFinished();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestGitHubSyncCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Backends::Fixture m_db;

    // A new database of the backend: a file in m_dir named after `name`, or a new database on
    // the fixture's server.
    QString location(const QString &backend, const QString &name)
    {
        return backend == u"sqlite" ? m_dir.filePath(name + u".db"_s) : m_db.fresh(backend);
    }

    static bool isPostgres(const QString &db) { return db.startsWith(u"postgresql://"_s); }

    // The first column of every row, read straight from the database (not through the store).
    QStringList rows(const QString &db, const char *sql)
    {
        QStringList out;
        if (isPostgres(db)) {
            QString text;
            QString error;
            if (!m_db.server().psql(db.section(u'/', -1), QString::fromUtf8(sql), &text, &error))
                qWarning("%s: %s", sql, qPrintable(error));
            else if (!text.isEmpty())
                out = text.split(u'\n');
            return out;
        }
        sqlite3 *h = nullptr;
        sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(h, sql, -1, &stmt, nullptr) == SQLITE_OK) {
            while (sqlite3_step(stmt) == SQLITE_ROW)
                out << QString::fromUtf8(
                    reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
        }
        sqlite3_finalize(stmt);
        sqlite3_close(h);
        return out;
    }

    qint64 scalar(const QString &db, const char *sql)
    {
        if (!isPostgres(db))
            return Tasktrail::SqlScalar::scalar(db, sql);
        const QStringList values = rows(db, sql);
        bool ok = false;
        const qint64 v = values.isEmpty() ? -1 : values.constFirst().toLongLong(&ok);
        return ok ? v : -1;
    }

    // What a sync stored, independent of when: rows per table and the evidence entries by
    // record.
    QStringList stored(const QString &db)
    {
        QStringList out;
        for (const char *table :
             {"task", "task_session", "request", "identity", "pull_request", "review", "check_run",
              "file_change", "audit_event", "record_seen", "task_check", "finding", "evidence"}) {
            const QByteArray sql = "SELECT count(*) FROM " + QByteArray(table);
            out << QString::fromLatin1(table) % u'=' % QString::number(scalar(db, sql.constData()));
        }
        out << rows(db, isPostgres(db)
                            ? "SELECT kind || ' ' || ref || ' ' || upper(encode(content_hash, "
                              "'hex')) FROM evidence ORDER BY kind COLLATE \"C\", ref, "
                              "content_hash"
                            : "SELECT kind || ' ' || ref || ' ' || hex(content_hash) FROM "
                              "evidence ORDER BY kind, ref, content_hash");
        return out;
    }

    QStringList syncArgs(const FakeGitHub &gh, const QString &db) const
    {
        return {u"sync"_s, u"github"_s,    u"--repo"_s,  SyncWorld::repo, u"--org"_s,
                u"acme"_s, u"--api-url"_s, gh.baseUrl(), u"--db"_s,       db};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
    }

    void fillsTheChain_data() { Backends::addBackendRows(); }
    void fillsTheChain()
    {
        QFETCH(QString, backend);
        FakeGitHub gh;
        FakeGitHub blobs;
        SyncWorld::script(gh, blobs);
        const QString db = location(backend, u"chain"_s);
        const Run run = cli(syncArgs(gh, db));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.startsWith(u"3 tasks, 1 pull requests, 1 reviews, 2 check runs, 2 files "
                                    "changed, 1 job logs ("_s),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(u"1 session logs ("_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"1 audit events; 0 requests answered 304"_s),
                 qPrintable(run.out));
        QVERIFY(!run.out.contains(token) && !run.err.contains(token));

        // request -> identity -> pull request (reviews, checks) -> files, and audit events.
        QCOMPARE(rows(db, "SELECT requester FROM request WHERE id = 'github-task:T1'"),
                 QStringList{u"alice"_s});
        QCOMPARE(rows(db, "SELECT i.on_behalf_of FROM task t JOIN identity i ON i.id = "
                          "t.identity_id WHERE t.id = 'T1'"),
                 QStringList{u"alice"_s});
        QCOMPARE(scalar(db, "SELECT pr_number FROM task WHERE id = 'T1'"), 7);
        QCOMPARE(
            scalar(db, "SELECT count(*) FROM review WHERE repo = 'acme/web' AND pr_number = 7"), 1);
        QCOMPARE(scalar(db, "SELECT count(*) FROM check_run WHERE pr_number = 7 AND "
                            "conclusion = 'success'"),
                 2);
        QCOMPARE(rows(db, "SELECT path FROM file_change WHERE task_id = 'T1' ORDER BY path"),
                 (QStringList{u"src/login.ts"_s, u"tests/login.test.ts"_s}));
        QCOMPARE(scalar(db, "SELECT count(*) FROM audit_event WHERE repo = 'acme/web'"), 1);
        // The session log: its commands and the transcript of S1, searchable.
        QCOMPARE(scalar(db, "SELECT count(*) FROM command WHERE task_id = 'T1' AND seq > 100000"),
                 2);
        const Run search = cli({u"search"_s, u"submits"_s, u"--db"_s, db});
        QVERIFY2(search.exitCode == 0 && search.out.contains(u"T1"_s), qPrintable(search.out));

        const Run show = cli({u"show"_s, u"T1"_s, u"--db"_s, db});
        QVERIFY2(show.exitCode == 0, qPrintable(show.err));
        QVERIFY2(show.out.contains(u"alice"_s), qPrintable(show.out));
        const Run verify = cli({u"verify"_s, u"--db"_s, db});
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.out.right(900) + verify.err));

        if (backend == u"sqlite") {
            QFile file(db);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY(!file.readAll().contains(token.toLatin1()));
        } else {
            const QByteArray dump =
                "SELECT count(*) FROM (SELECT row_to_json(t)::text AS j FROM task t UNION ALL "
                "SELECT row_to_json(r)::text FROM request r UNION ALL SELECT "
                "row_to_json(i)::text FROM identity i UNION ALL SELECT row_to_json(a)::text "
                "FROM audit_event a UNION ALL SELECT text FROM log_line UNION ALL SELECT text "
                "FROM record_text UNION ALL SELECT row_to_json(c)::text FROM sync_cursor c) x "
                "WHERE j LIKE '%" +
                token.toLatin1() + "%'";
            QCOMPARE(scalar(db, dump.constData()), 0);
        }
    }

    void withoutTokenFails()
    {
        FakeGitHub gh;
        const Run run = cli({u"sync"_s, u"github"_s, u"--repo"_s, SyncWorld::repo, u"--api-url"_s,
                             gh.baseUrl(), u"--db"_s, m_dir.filePath(u"none.db"_s)},
                            QString());
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"GH_TOKEN"_s), qPrintable(run.err));
        QVERIFY(gh.requests.isEmpty());
    }

    // SIGKILL while the second task is being read: the first task is stored; the next sync
    // completes the rest, and the database is the one a clean sync gives. The killed run's
    // temporary folder is left behind, and the next run removes it.
    void killedThenResumedEqualsClean_data() { Backends::addBackendRows(); }
    void killedThenResumedEqualsClean()
    {
        QFETCH(QString, backend);
        FakeGitHub gh;
        FakeGitHub blobs;
        SyncWorld::script(gh, blobs);
        const QString clean = location(backend, u"clean"_s);
        const Run full = cli(syncArgs(gh, clean));
        QVERIFY2(full.exitCode == 0, qPrintable(full.err));

        gh.replace("GET", SyncWorld::tasksPath + u"/T2"_s, {Canned{200, "{}", {}, 60'000}});
        gh.requests.clear();
        const QString killed = location(backend, u"killed"_s);
        const QString tmp = m_dir.filePath(u"tmp-"_s + backend);
        QVERIFY(QDir().mkpath(tmp));
        const QDir spool(tmp % u"/tasktrail-sync-"_s % QString::number(::getuid()));
        QProcess sync;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"GH_TOKEN"_s, token);
        env.insert(u"TMPDIR"_s, tmp);
        sync.setProcessEnvironment(env);
        sync.start(QStringLiteral(TASKTRAIL_CLI), syncArgs(gh, killed));
        QVERIFY(sync.waitForStarted());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return sync.state() != QProcess::Running ||
                       !gh.requestsTo(SyncWorld::tasksPath + u"/T2"_s).isEmpty();
            },
            60'000));
        const bool running = sync.state() == QProcess::Running;
        sync.kill(); // SIGKILL
        QVERIFY(sync.waitForFinished());
        QVERIFY2(running, "the sync finished before it could be killed");
        QCOMPARE(scalar(killed, "SELECT count(*) FROM task"), 1);
        QCOMPARE(scalar(killed, "SELECT count(*) FROM sync_cursor WHERE source = 'tasks:acme/web'"),
                 0);
        const QStringList left = spool.entryList({u"run-*"_s}, QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(left.size(), 1);
        QVERIFY(!QDir(spool.filePath(left.first())).isEmpty()); // T1's documents

        gh.replace("GET", SyncWorld::tasksPath + u"/T2"_s,
                   {json(200, SyncWorld::listedTask(u"T2"_s, u"2026-03-02T10:30:00Z"_s))});
        const Run resumed = cli(syncArgs(gh, killed), token, tmp);
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QCOMPARE(spool.entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
        QCOMPARE(stored(killed), stored(clean));
        const Run verify = cli({u"verify"_s, u"--db"_s, killed});
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.out.right(2000)));
    }
};

QTEST_GUILESS_MAIN(TestGitHubSyncCli)
#include "tst_githubsynccli.moc"
