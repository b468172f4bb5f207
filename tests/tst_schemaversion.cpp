// Schema versions on both backends: a new database gets the current version; an older one is
// upgraded in one transaction (an SQLite file after a copy of it is kept beside it); a newer
// one is refused with the Tasktrail version it needs.
#include "backends.h"

#include "store/pgschema.h"
#include "store/recordstore.h"
#include "store/sqliteschema.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestSchemaVersion : public QObject
{
    Q_OBJECT

private:
    Backends::Fixture m_db;

    static int current(const QString &backend)
    {
        return backend == u"sqlite" ? sqliteSchemaVersion : pgSchemaVersion;
    }

    QString version(const QString &location)
    {
        return location.startsWith(u"postgresql"_s)
                   ? m_db.sql(location, u"SELECT max(version) FROM schema_version"_s)
                   : m_db.sql(location, u"PRAGMA user_version"_s);
    }

    // A database with one request stored.
    QString withRequest(const QString &backend)
    {
        const QString location = m_db.fresh(backend);
        QString error;
        auto store = openStore(location, &error);
        if (!store)
            qFatal("%s", qPrintable(error));
        RequestRecord r;
        r.id = u"R-1"_s;
        r.text = u"bump the lockfiles"_s;
        if (!store->beginBatch() || !store->writeRequest(r) || !store->commitBatch())
            qFatal("%s", qPrintable(store->errorString()));
        return location;
    }

    // Takes the database back to downgraded(): three versions on either.
    void downgrade(const QString &location)
    {
        QString error;
        if (location.startsWith(u"postgresql"_s)) {
            // Version 8 added the evidence triggers, version 9 the check indexes, version 10
            // the pull requests' index by database id.
            m_db.sql(location,
                     u"DELETE FROM schema_version WHERE version IN (8, 9, 10); DROP TRIGGER "
                     "evidence_append_chains ON evidence; DROP TRIGGER finding_triage_author ON "
                     "finding_triage; DROP FUNCTION evidence_check_append(); DROP FUNCTION "
                     "triage_set_author(); DROP FUNCTION tasktrail_reader_only(); DROP INDEX "
                     "check_run_pr; DROP INDEX check_suite_pr; DROP INDEX pull_request_github_id"_s,
                     &error);
        } else {
            // Version 10 made log_fts without positions: back to the index of before. Version
            // 11 let the runs table's indexes be missing: two of them gone, which the upgrade
            // builds again. Version 12 made the task's child tables WITHOUT ROWID: back to
            // tables with a rowid (they are empty here).
            m_db.sql(location,
                     u"DROP TABLE log_fts; CREATE VIRTUAL TABLE log_fts USING fts5 (text, "
                     "content='log_line', content_rowid='id', columnsize=0); INSERT INTO log_fts "
                     "(log_fts) VALUES ('rebuild'); DROP INDEX task_sort_repo; DROP INDEX "
                     "task_order; DROP TABLE test_result; CREATE TABLE test_result (task_id TEXT "
                     "NOT NULL, name TEXT NOT NULL, outcome TEXT, command_seq INTEGER, "
                     "duration_ms INTEGER, PRIMARY KEY (task_id, name)); DROP TABLE contact; "
                     "CREATE TABLE contact (task_id TEXT NOT NULL, host TEXT NOT NULL, tool TEXT "
                     "NOT NULL, purpose TEXT, at INTEGER, PRIMARY KEY (task_id, host, tool)); "
                     "DELETE FROM schema_version WHERE version = 12; PRAGMA user_version = 9"_s,
                     &error);
        }
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(version(location),
                 QString::number(downgraded(location.startsWith(u"postgresql"_s) ? u"postgresql"_s
                                                                                 : u"sqlite"_s)));
    }

    // Every line of PostgreSQL's plan of `query`, in one string.
    QString planOf(const QString &location, const QString &query, QString *error)
    {
        return m_db.sql(
            location,
            u"CREATE FUNCTION pg_temp.plan_of(q TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$ "
            "DECLARE r TEXT; plan TEXT := ''; BEGIN FOR r IN EXECUTE 'EXPLAIN ' || q LOOP "
            "plan := plan || r || ' / '; END LOOP; RETURN plan; END $$; "
            "SELECT pg_temp.plan_of('%1')"_s.arg(QString(query).replace(u'\'', u"''"_s)),
            error);
    }

    // The version downgrade() leaves: the one before the last three. For SQLite the upgrade
    // must both keep what it found (the index with positions, tables with a rowid) and make
    // good what is missing (the runs table's indexes).
    static int downgraded(const QString &backend) { return current(backend) - 3; }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
    }

    void newDatabaseHasTheCurrentVersion_data() { Backends::addBackendRows(); }
    void newDatabaseHasTheCurrentVersion()
    {
        QFETCH(QString, backend);
        const QString location = m_db.fresh(backend);
        QString error;
        QVERIFY2(openStore(location, &error), qPrintable(error));
        QCOMPARE(version(location), QString::number(current(backend)));
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM schema_version"_s),
                 backend == u"sqlite" ? u"1"_s : QString::number(pgSchemaVersion));
    }

    // A new SQLite file gets sqlitePageSize pages. One made with SQLite's default pages keeps
    // them: it is upgraded, written and read as before.
    void sqlitePageSizes()
    {
        const QString made = m_db.fresh(u"sqlite"_s);
        QString error;
        QVERIFY2(openStore(made, &error), qPrintable(error));
        QCOMPARE(m_db.sql(made, u"PRAGMA page_size"_s), QString::number(sqlitePageSize));
        QCOMPARE(m_db.sql(made, u"PRAGMA journal_mode"_s), u"wal"_s);

        const QString older = m_db.fresh(u"sqlite"_s);
        m_db.sql(older,
                 u"PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE kept (a)"_s,
                 &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        {
            auto store = openStore(older, &error);
            QVERIFY2(store, qPrintable(error));
            RequestRecord r;
            r.id = u"R-4k"_s;
            r.text = u"pin the toolchain"_s;
            QVERIFY2(store->beginBatch() && store->writeRequest(r) && store->commitBatch(),
                     qPrintable(store->errorString()));
        }
        QCOMPARE(m_db.sql(older, u"PRAGMA page_size"_s), u"4096"_s);
        QCOMPARE(version(older), QString::number(sqliteSchemaVersion));
        QCOMPARE(m_db.sql(older, u"SELECT text FROM request WHERE id = 'R-4k'"_s),
                 u"pin the toolchain"_s);
        QCOMPARE(m_db.sql(older, u"PRAGMA integrity_check"_s), u"ok"_s);
    }

    void olderDatabaseIsUpgraded_data() { Backends::addBackendRows(); }
    void olderDatabaseIsUpgraded()
    {
        QFETCH(QString, backend);
        const QString location = withRequest(backend);
        downgrade(location);
        QString error;
        QVERIFY2(openStore(location, &error), qPrintable(error));
        QCOMPARE(version(location), QString::number(current(backend)));
        QCOMPARE(m_db.sql(location, u"SELECT text FROM request WHERE id = 'R-1'"_s),
                 u"bump the lockfiles"_s);
        if (backend == u"postgresql") { // the triggers and indexes of the last three are back
            QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM pg_trigger WHERE tgname IN "
                                        "('evidence_append_chains', 'finding_triage_author')"_s),
                     u"2"_s);
            QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM pg_indexes WHERE indexname IN "
                                        "('check_run_pr', 'check_suite_pr', "
                                        "'pull_request_github_id')"_s),
                     u"3"_s);
            return;
        }
        // The log index keeps its positions: the upgrade does not rewrite it.
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM sqlite_schema WHERE name = 'log_fts' "
                                    "AND sql LIKE '%detail=none%'"_s),
                 u"0"_s);
        // The tables made with a rowid keep it; the ones the downgrade left alone keep theirs
        // without.
        QCOMPARE(m_db.sql(location, u"SELECT group_concat(name, ' ') FROM (SELECT name FROM "
                                    "pragma_table_list WHERE name IN ('test_result', 'contact', "
                                    "'file_change', 'failure') AND wr = 0 ORDER BY name)"_s),
                 u"contact test_result"_s);
        // The runs table's indexes are all there again.
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                    "AND name IN ('task_sort_repo', 'task_order')"_s),
                 u"2"_s);
        // The file as it was, beside it: openable by the Tasktrail that wrote it.
        const QString before = QString::number(downgraded(backend));
        const QString backup = location + u".v"_s + before + u"-backup"_s;
        QVERIFY(QFileInfo::exists(backup));
        QCOMPARE(m_db.sql(backup, u"PRAGMA user_version"_s), before);
        QCOMPARE(m_db.sql(backup, u"SELECT text FROM request WHERE id = 'R-1'"_s),
                 u"bump the lockfiles"_s);
        // Opening it again upgrades nothing and copies nothing.
        QVERIFY2(openStore(location, &error), qPrintable(error));
        QVERIFY(!QFileInfo::exists(backup + u"-2"_s));
        // A second upgrade from the same version keeps the first copy.
        downgrade(location);
        QVERIFY2(openStore(location, &error), qPrintable(error));
        QVERIFY(QFileInfo::exists(backup + u"-2"_s));
    }

    // A failing upgrade leaves the database at its version, with nothing of the upgrade in it.
    void failedUpgradeChangesNothing_data() { Backends::addBackendRows(); }
    void failedUpgradeChangesNothing()
    {
        QFETCH(QString, backend);
        const QString location = withRequest(backend);
        downgrade(location);
        QString error;
        // Something in the way of the upgrade's last step.
        if (backend == u"sqlite")
            m_db.sql(location,
                     u"DROP TABLE transcript_entry; DROP TABLE finding_triage; CREATE VIEW "
                     "finding_triage AS SELECT 1 AS id"_s,
                     &error);
        else
            m_db.sql(location,
                     u"CREATE FUNCTION triage_set_author() RETURNS trigger LANGUAGE plpgsql "
                     "AS $$ BEGIN RETURN NULL; END $$"_s,
                     &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!openStore(location, &error));
        QVERIFY2(error.contains(u"upgrade"_s), qPrintable(error));
        QCOMPARE(version(location), QString::number(downgraded(backend)));
        // The upgrade's other statements were rolled back too.
        if (backend == u"sqlite")
            QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM sqlite_schema WHERE name = "
                                        "'transcript_entry'"_s),
                     u"0"_s);
        else
            QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM pg_proc WHERE proname IN "
                                        "('tasktrail_reader_only', 'evidence_check_append')"_s),
                     u"0"_s);
        QCOMPARE(m_db.sql(location, u"SELECT text FROM request WHERE id = 'R-1'"_s),
                 u"bump the lockfiles"_s);
    }

    // A pull request's checks are those of its number or of its head commit: each half has an
    // index, so the OR is two index scans, not every check of the repository (version 9).
    void pullRequestChecksAreIndexScansOnPostgres()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        QString error;
        QVERIFY2(openStore(location, &error), qPrintable(error));
        for (const QString &table : {u"check_run"_s, u"check_suite"_s}) {
            // A busy repository: 5,000 checks, one pull request and head commit each.
            m_db.sql(location,
                     u"INSERT INTO %1 (id, repo, head_sha, pr_number) SELECT n, 'acme/web', "
                     "md5(n::text), n FROM generate_series(1, 5000) n; ANALYZE %1"_s.arg(table),
                     &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            // The plan of the chain's query.
            const QString plan = planOf(location,
                                        u"SELECT id FROM %1 WHERE repo = 'acme/web' AND "
                                        "(pr_number = 7 OR head_sha = md5('9'))"_s.arg(table),
                                        &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QVERIFY2(plan.contains(table + u"_pr"_s) && plan.contains(table + u"_sha"_s),
                     qPrintable(plan));
            QVERIFY2(plan.contains(u"BitmapOr"_s), qPrintable(plan));
        }
    }

    // A task's pull request is the one whose database id or number is its agent's pull
    // artifact id: with an index for the database id, the linking's OR is two index scans, not
    // every pull request of the repository (version 10).
    void pullRequestByArtifactIdIsAnIndexScanOnPostgres()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        QString error;
        QVERIFY2(openStore(location, &error), qPrintable(error));
        // A busy repository: 5,000 pull requests.
        m_db.sql(location,
                 u"INSERT INTO pull_request (repo, number, github_id) SELECT 'acme/web', n, "
                 "100000 + n FROM generate_series(1, 5000) n; ANALYZE pull_request"_s,
                 &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString plan = planOf(location,
                                    u"SELECT 1 FROM pull_request p WHERE p.repo = 'acme/web' AND "
                                    "(p.github_id = 100009 OR p.number = 100009)"_s,
                                    &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(plan.contains(u"pull_request_github_id"_s), qPrintable(plan));
        QVERIFY2(plan.contains(u"BitmapOr"_s), qPrintable(plan));
    }

    // A team database's schema may hold what is not Tasktrail's: an extension's view (as
    // pg_stat_statements installs) and another application's table. A new database is made
    // beside them and leaves them as they were; Tasktrail's text columns compare bytes.
    void otherObjectsInTheSchemaAreLeftAlone()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        QString error;
        m_db.sql(location,
                 u"CREATE TABLE other_app (name TEXT); "
                 "CREATE VIEW other_view AS SELECT name, 'x'::text AS label FROM other_app"_s,
                 &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(openStore(location, &error), qPrintable(error));
        QCOMPARE(version(location), QString::number(pgSchemaVersion));
        const auto collation = [&](const QString &table, const QString &column) {
            return m_db.sql(location,
                            u"SELECT coalesce(collation_name, 'default') FROM "
                            "information_schema.columns WHERE table_schema = current_schema() "
                            "AND table_name = '%1' AND column_name = '%2'"_s.arg(table, column));
        };
        QCOMPARE(collation(u"other_app"_s, u"name"_s), u"default"_s);
        QCOMPARE(collation(u"other_view"_s, u"label"_s), u"default"_s);
        QCOMPARE(collation(u"request"_s, u"text"_s), u"C"_s);
        QCOMPARE(collation(u"task"_s, u"repo"_s), u"C"_s);
    }

    void newerDatabaseNamesTheTasktrailItNeeds_data() { Backends::addBackendRows(); }
    void newerDatabaseNamesTheTasktrailItNeeds()
    {
        QFETCH(QString, backend);
        const QString location = withRequest(backend);
        QString error;
        m_db.sql(location,
                 backend == u"sqlite"
                     ? u"INSERT INTO schema_version VALUES (99, '9.1.0', 0); PRAGMA user_version "
                       "= 99"_s
                     : u"INSERT INTO schema_version (version, tasktrail) VALUES (99, '9.1.0')"_s,
                 &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const StoreAccess access : {StoreAccess::ReadWrite, StoreAccess::ReadOnly}) {
            QVERIFY(!openStore(location, &error, access));
            QVERIFY2(error.contains(u"Tasktrail 9.1.0"_s), qPrintable(error));
            QVERIFY2(error.contains(u"99"_s), qPrintable(error));
            QVERIFY2(error.contains(u"up to %1"_s.arg(current(backend))), qPrintable(error));
        }
        // Nothing was changed: the database is still the newer one.
        QCOMPARE(version(location), u"99"_s);
    }
};

QTEST_GUILESS_MAIN(TestSchemaVersion)
#include "tst_schemaversion.moc"
