// The launch verbs end to end: a real binary, a real git checkout, a real SQLite file or team
// database; and the queue, repository and policy verbs printing the same from SQLite and
// PostgreSQL.
#include "backends.h"
#include "clirun.h"
#include "launchfixture.h"
#include "sqlscalar.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimeZone>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail::SqlScalar;
using namespace Tasktrail;
using namespace LaunchFixture;
using namespace Tasktrail::CliRun;

class TestLaunchCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RecordStore> m_store;
    Backends::Fixture m_backends;

    QString dbPath() const { return m_dir.filePath(u"launch.db"_s); }

    LaunchPlanner planner()
    {
        LaunchPlanner p(*m_store);
        p.setClock([] { return noon(); });
        return p;
    }

    // The same launch scene in a new database of `backend`, at fixed times: two template
    // versions loaded in the same millisecond, a policy, the catalogue, a submitted launch of
    // three repositories and one entry that waits for a person. The launch's ids are random:
    // *ids maps them to names that do not depend on the database.
    bool writeFixedScene(const QString &location, QList<std::pair<QString, QString>> *ids)
    {
        QString error;
        auto store = openStore(location, &error);
        if (!store) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        const QDateTime loaded(QDate(2026, 10, 1), QTime(9, 30), QTimeZone::utc());
        const auto doc = [&loaded](PolicyDocument::Kind kind, const QString &id,
                                   const QString &version, const QString &text) {
            PolicyDocument d;
            d.kind = kind;
            d.id = id;
            d.version = version;
            d.name = id;
            d.text = text;
            d.digest = QString::number(qHash(text), 16);
            d.sourcePath = id + u".toml"_s;
            d.loadedAt = loaded;
            return d;
        };
        Budgets older;
        older.version = u"2"_s;
        bool changed = false;
        if (!store->beginBatch() ||
            !store->writePolicyDocument(
                doc(PolicyDocument::Kind::Template, u"deps-bump"_s, u"2"_s, templateText(older)),
                &changed) ||
            !store->writePolicyDocument(
                doc(PolicyDocument::Kind::Template, u"deps-bump"_s, u"3"_s, templateText({})),
                &changed) ||
            !store->writePolicyDocument(doc(PolicyDocument::Kind::Policy, u"deps-fanout"_s, u"5"_s,
                                            QString::fromUtf8(policyText())),
                                        &changed) ||
            !store->commitBatch() || !loadCatalogue(*store))
            return false;
        LaunchPlanner planner(*store);
        planner.setClock([] { return noon(); });
        LaunchRequest r = request({u"acme-web/cart"_s, u"acme-web/checkout"_s, u"acme-api/search"_s,
                                   u"acme-payments/ledger"_s});
        r.idempotencyKey = u"portal-17"_s;
        const LaunchSubmission s = planner.submit(r);
        if (!s.error.isEmpty() || s.taskIds.size() < 2)
            return false;
        *ids << std::pair{s.campaignId, u"<campaign>"_s} << std::pair{s.requestId, u"<request>"_s};
        for (int i = 0; i < s.taskIds.size(); ++i)
            *ids << std::pair{s.taskIds.at(i), u"<task %1>"_s.arg(i)};
        return holdForConfirmation(*store, s.taskIds.constFirst(), noon());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_backends.start(&error), qPrintable(error));
    }

    void init()
    {
        QVERIFY(m_dir.isValid());
        m_store = open(m_dir);
        QVERIFY(m_store);
        QVERIFY(loadScene(*m_store));
    }
    void cleanup()
    {
        m_store.reset();
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(dbPath() + suffix);
    }

    void repositoryCatalogueFromGitHubJson()
    {
        const QString file = m_dir.filePath(u"repos.json"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[\n"
                "  {\"id\": 1, \"full_name\": \"acme-web/storefront\", \"archived\": false, "
                "\"fork\": false,\n"
                "   \"topics\": [\"npm\", \"web\"], \"language\": \"TypeScript\", "
                "\"default_branch\": \"trunk\",\n"
                "   \"owner\": {\"login\": \"acme-web\"}},\n"
                "  {\"id\": 2, \"full_name\": \"acme-web/attic\", \"archived\": true, \"fork\": "
                "false,\n"
                "   \"topics\": [], \"language\": null, \"default_branch\": \"master\"}\n"
                "]");
        f.close();
        m_store.reset();
        const Run ingest = cli({u"ingest"_s, u"--db"_s, dbPath(), u"--quiet"_s, file});
        QCOMPARE(ingest.exitCode, 0);
        QVERIFY2(ingest.out.startsWith(u"2 ingested"_s), qPrintable(ingest.out));
        m_store = open(m_dir);
        KnownRepository store;
        for (const KnownRepository &r : m_store->repositories()) {
            if (r.name == u"acme-web/storefront")
                store = r;
        }
        QCOMPARE(store.defaultBranch, u"trunk"_s);
        QCOMPARE(store.topics, (QStringList{u"npm"_s, u"web"_s}));
        QCOMPARE(store.language, u"TypeScript"_s);
        const LaunchPlan plan = planner().plan(request({u"acme-web/attic"_s}));
        QCOMPARE(plan.repos.first().decision.rule, u"archived"_s);
    }

    void cliLaunchAndQueue_data() { Backends::addBackendRows(); }
    void cliLaunchAndQueue()
    {
        QFETCH(QString, backend);
        m_store.reset();
        // The scene init() wrote to the file, written to a new team database as well.
        const QString db = backend == u"sqlite" ? dbPath() : m_backends.fresh(backend);
        if (backend != u"sqlite") {
            QString error;
            auto store = openStore(db, &error);
            QVERIFY2(store, qPrintable(error));
            QVERIFY(loadScene(*store));
        }
        const auto count = [&db, this](const char *sql) {
            return db.startsWith(u"postgresql://"_s)
                       ? m_backends.sql(db, QString::fromUtf8(sql)).toLongLong()
                       : scalar(db, sql);
        };
        // A local checkout as a known repository.
        const QString checkout = m_dir.filePath(u"checkout-"_s + backend);
        QVERIFY(QDir().mkpath(checkout));
        QFile manifest(checkout + u"/package.json"_s);
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write("{}\n");
        manifest.close();
        for (const QStringList &git : {QStringList{u"init"_s, u"-q"_s, u"-b"_s, u"main"_s},
                                       QStringList{u"remote"_s, u"add"_s, u"origin"_s,
                                                   u"git@github.com:acme-web/local-app.git"_s},
                                       QStringList{u"add"_s, u"package.json"_s}}) {
            QProcess p;
            p.setWorkingDirectory(checkout);
            p.start(u"git"_s, git);
            QVERIFY(p.waitForFinished());
            QCOMPARE(p.exitCode(), 0);
        }
        const Run added = cli({u"repos"_s, u"add-local"_s, u"--db"_s, db, u"--topics"_s,
                               u"npm,web"_s, u"--language"_s, u"TypeScript"_s, checkout});
        QCOMPARE(added.exitCode, 0);
        QVERIFY2(added.out.startsWith(u"acme-web/local-app:"_s), qPrintable(added.out + added.err));

        const QStringList launch{u"launch"_s,
                                 u"--db"_s,
                                 db,
                                 u"--template"_s,
                                 u"deps-bump"_s,
                                 u"--policy"_s,
                                 u"deps-fanout@5"_s,
                                 u"--repos"_s,
                                 u"acme-web/local-app,acme-web/cart,acme-web/old-site"_s,
                                 u"--param"_s,
                                 u"package=lodash"_s,
                                 u"--param"_s,
                                 u"version=4.17.21"_s,
                                 u"--requester"_s,
                                 u"mgarcia"_s,
                                 u"--identity"_s,
                                 u"svc-deps"_s,
                                 u"--identity-kind"_s,
                                 u"github_app_user_token"_s};
        const Run dry = cli(launch + QStringList{u"--dry-run"_s});
        QCOMPARE(dry.exitCode, 0);
        QVERIFY2(dry.out.contains(u"acme-web/old-site"_s) && dry.out.contains(u"archived"_s),
                 qPrintable(dry.out));
        QVERIFY2(dry.out.contains(u"2 eligible"_s), qPrintable(dry.out));
        QCOMPARE(count("SELECT count(*) FROM launch_queue"), 0);

        const Run refused = cli(launch);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY(refused.err.contains(u"--yes"_s));
        QCOMPARE(count("SELECT count(*) FROM campaign"), 0);

        const Run submitted =
            cli(launch + QStringList{u"--yes"_s, u"--idempotency-key"_s, u"k1"_s});
        QCOMPARE(submitted.exitCode, 0);
        QVERIFY2(submitted.out.contains(u"2 tasks queued"_s), qPrintable(submitted.out));
        const Run again = cli(launch + QStringList{u"--yes"_s, u"--idempotency-key"_s, u"k1"_s});
        QCOMPARE(again.exitCode, 0);
        QVERIFY(again.out.contains(u"nothing started"_s));
        QCOMPARE(count("SELECT count(*) FROM launch_queue"), 2);

        const Run list = cli({u"queue"_s, u"list"_s, u"--db"_s, db});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out.count(u" queued "_s), 2);
        QVERIFY(list.out.contains(u"budgets:"_s));

        m_store = openStore(db, nullptr);
        QVERIFY(m_store);
        const QList<QueueEntry> entries = m_store->queueEntries({}, true);
        const auto local = std::find_if(entries.cbegin(), entries.cend(), [](const QueueEntry &e) {
            return e.repo == u"acme-web/local-app";
        });
        QVERIFY(local != entries.cend());
        const QString task = local->taskId;
        const QString campaign = local->campaignId;
        QCOMPARE(local->spec.value(u"base_ref"_s).toString(), u"main"_s);
        QCOMPARE(queuedLaunchSpecPath(task), checkout);
        m_store.reset();
        QCOMPARE(cli({u"queue"_s, u"pause"_s, u"--db"_s, db, u"--task"_s, task}).exitCode, 0);
        QCOMPARE(stateOf(db, task), u"paused"_s);
        QCOMPARE(cli({u"queue"_s, u"resume"_s, u"--db"_s, db, u"--task"_s, task}).exitCode, 0);
        QCOMPARE(stateOf(db, task), u"queued"_s);
        QCOMPARE(cli({u"queue"_s, u"cancel"_s, u"--db"_s, db, u"--campaign"_s, campaign}).exitCode,
                 0);
        QCOMPARE(count("SELECT count(*) FROM launch_queue WHERE state = 'cancelled'"), 2);
        QCOMPARE(count("SELECT count(*) FROM task WHERE state = 'cancelled'"), 2);
        QCOMPARE(cli({u"queue"_s, u"pause"_s, u"--db"_s, db}).exitCode, 2);
        // Everything was cancelled: a worker finds nothing to run and stops.
        const Run worker = cli({u"run-queue"_s, u"--db"_s, db, u"--once"_s});
        QCOMPARE(worker.exitCode, 0);
        const Run unknown =
            cli({u"run-queue"_s, u"--db"_s, db, u"--once"_s, u"--backend"_s, u"nosuch"_s});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains(u"copilot-api"_s), qPrintable(unknown.err));
        const Run verify = cli({u"verify"_s, u"--db"_s, db});
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.out.right(2000) + verify.err));
        m_store = open(m_dir);
    }

    // An entry that needs a person: queue list shows it with its evidence, and queue confirm
    // takes the answer.
    void cliConfirmsAnUncertainLaunch()
    {
        LaunchRequest r = request({u"acme-web/cart"_s, u"acme-web/checkout"_s});
        r.backend = u"copilot-api"_s;
        const LaunchSubmission s = planner().submit(r);
        QCOMPARE(s.taskIds.size(), 2);
        const QString held = s.taskIds.at(0), other = s.taskIds.at(1);
        QVERIFY(holdForConfirmation(*m_store, held, noon()));
        QVERIFY(holdForConfirmation(*m_store, other, noon()));
        m_store.reset();
        const QString db = dbPath();

        const Run list = cli({u"queue"_s, u"list"_s, u"--db"_s, db});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out.count(u" needs_confirmation "_s), 2);
        for (const char *part : {"attempt 1, started 2026-10-05 12:00:00 UTC: uncertain",
                                 "answer: POST /agents/repos/acme-web/cart/tasks: HTTP 502",
                                 "attempt 2, started 2026-10-05 12:01:00 UTC: undecided", "2 match",
                                 "candidate: task t-a", "candidate: task t-b"})
            QVERIFY2(list.out.contains(QLatin1StringView(part)), qPrintable(list.out));
        const Run json = cli({u"queue"_s, u"list"_s, u"--db"_s, db, u"--format"_s, u"json"_s});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray rows = QJsonDocument::fromJson(json.out.toUtf8()).array();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).toObject().value("state"_L1).toString(), u"needs_confirmation"_s);
        QCOMPARE(rows.at(0).toObject().value("candidates"_L1).toArray().size(), 2);

        for (const QStringList &bad :
             {QStringList{u"--task"_s, held}, QStringList{u"--remote-id"_s, u"t-a"_s},
              QStringList{u"--task"_s, held, u"--remote-id"_s, u"t-a"_s, u"--not-created"_s}}) {
            const Run refused = cli(QStringList{u"queue"_s, u"confirm"_s, u"--db"_s, db} + bad);
            QCOMPARE(refused.exitCode, 2);
            QVERIFY2(refused.err.contains(u"--remote-id R or --not-created"_s),
                     qPrintable(refused.err));
        }
        const Run created = cli({u"queue"_s, u"confirm"_s, u"--db"_s, db, u"--task"_s, held,
                                 u"--remote-id"_s, u"t-b"_s, u"--by"_s, u"mgarcia"_s});
        QCOMPARE(created.exitCode, 0);
        QVERIFY2(created.out.contains(u"confirmed as remote task t-b"_s), qPrintable(created.out));
        QCOMPARE(stateOf(db, held), u"queued"_s);
        const Run notCreated =
            cli({u"queue"_s, u"confirm"_s, u"--db"_s, db, u"--task"_s, other, u"--not-created"_s});
        QCOMPARE(notCreated.exitCode, 0);
        QCOMPARE(stateOf(db, other), u"queued"_s);
        const Run twice =
            cli({u"queue"_s, u"confirm"_s, u"--db"_s, db, u"--task"_s, other, u"--not-created"_s});
        QCOMPARE(twice.exitCode, 2);
        QVERIFY2(twice.err.contains(u"does not need a confirmation"_s), qPrintable(twice.err));

        m_store = open(m_dir);
        const QList<LaunchAttempt> heldAttempts = m_store->launchAttempts(held);
        QCOMPARE(heldAttempts.last().resolution, u"created"_s);
        QCOMPARE(heldAttempts.last().remoteId, u"t-b"_s);
        QVERIFY(heldAttempts.last().resolvedBy.startsWith(u"confirmed by mgarcia"_s));
        QCOMPARE(heldAttempts.first().resolution, u"created"_s); // the open attempt before it
        QCOMPARE(CreateGuard::plan(heldAttempts).adoptRemoteId, u"t-b"_s);
        const QList<LaunchAttempt> otherAttempts = m_store->launchAttempts(other);
        QCOMPARE(otherAttempts.last().resolution, u"not_created"_s);
        const CreateGuard::Plan again = CreateGuard::plan(otherAttempts);
        QVERIFY(again.adoptRemoteId.isEmpty() && !again.lookSince.isValid());
    }

    // The same scene in SQLite and PostgreSQL: `queue list`, `repos list` and `policy list` and
    // `show` print the same, in JSON and in text.
    void verbsPrintTheSameOnBothBackends()
    {
        const QString lite = m_backends.fresh(u"sqlite"_s);
        const QString pg = m_backends.fresh(u"postgresql"_s);
        QList<std::pair<QString, QString>> liteIds, pgIds;
        QVERIFY(writeFixedScene(lite, &liteIds));
        QVERIFY(writeFixedScene(pg, &pgIds));
        const auto named = [](QString out, const QList<std::pair<QString, QString>> &ids) {
            for (const auto &[id, name] : ids)
                out.replace(id, name);
            return out;
        };
        const QList<QStringList> verbs{
            {u"queue"_s, u"list"_s, u"--format"_s, u"json"_s},
            {u"queue"_s, u"list"_s, u"--all"_s, u"--format"_s, u"json"_s},
            {u"queue"_s, u"list"_s, u"--all"_s},
            {u"repos"_s, u"list"_s},
            {u"policy"_s, u"list"_s, u"--format"_s, u"json"_s},
            {u"policy"_s, u"list"_s, u"--kind"_s, u"template"_s},
            {u"policy"_s, u"show"_s, u"template"_s, u"deps-bump"_s},
            {u"policy"_s, u"show"_s, u"template"_s, u"deps-bump"_s, u"2"_s},
            {u"policy"_s, u"show"_s, u"policy"_s, u"deps-fanout"_s, u"--format"_s, u"json"_s}};
        for (const QStringList &verb : verbs) {
            const Run a = cli(verb + QStringList{u"--db"_s, lite});
            const Run b = cli(verb + QStringList{u"--db"_s, pg});
            QVERIFY2(a.exitCode == 0, qPrintable(verb.join(u' ') + u": "_s + a.err));
            QVERIFY2(b.exitCode == 0, qPrintable(verb.join(u' ') + u": "_s + b.err));
            QVERIFY2(a.out.size() > 40, qPrintable(a.out));
            QCOMPARE(named(b.out, pgIds), named(a.out, liteIds));
        }
        // The entry waiting for a person is listed with its candidates.
        QVERIFY(cli({u"queue"_s, u"list"_s, u"--db"_s, pg}).out.contains(u"t-b"_s));
    }

private:
    QString stateOf(const QString &db, const QString &task)
    {
        auto store = openStore(db, nullptr);
        const auto e = store->queueEntry(task);
        return e ? toString(e->state) : QString();
    }
    QString queuedLaunchSpecPath(const QString &task)
    {
        const auto e = m_store->queueEntry(task);
        return e ? e->spec.value(u"local_repository_path"_s).toString() : QString();
    }
};

QTEST_GUILESS_MAIN(TestLaunchCli)
#include "tst_launchcli.moc"
