// The store on PostgreSQL (store/pgstore.h), with the same writes on SQLite where the
// behaviour is shared: locations, merge-writes with redaction, log lines, batches, the
// evidence chain (the same state hashes on both), sync cursors, concurrent appenders,
// interrupt(), what is not supported yet, and the roles of `tasktrail-cli admin init-roles`
// (for records, findings and the launch queue).
#include "backends.h"
#include "clirun.h"

#include "store/evidencehash.h"
#include "store/pgconnection.h"
#include "store/pgstore.h"
#include "store/recordstore.h"

#include <QScopeGuard>
#include <QThread>
#include <QTimeZone>

#include <atomic>
#include <functional>
#include <thread>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

const QString secret = u"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"_s;

// One run's records, as an ingest would write them (each after markRecordSeen).
bool writeRun(RecordStore &store, const QString &taskId, int lines)
{
    const auto seen = [&store](const QByteArray &what) {
        bool isNew = false;
        return store.markRecordSeen(Sha256::of(what), &isNew);
    };
    RequestRecord request;
    request.id = u"R-"_s + taskId;
    request.text = u"rotate the key "_s + secret;
    request.createdAt = QDateTime::fromMSecsSinceEpoch(1700000000000, QTimeZone::utc());
    TaskRecord task;
    task.id = taskId;
    task.repo = u"acme/web"_s;
    task.requestId = request.id;
    task.state = TaskState::Completed;
    task.prompt = u"update dependencies"_s;
    task.confidence = 0.75;
    task.knownGaps = {u"no tests for the parser"_s};
    task.headRef = u"agent/"_s + taskId;
    CommandRecord command;
    command.seq = 1;
    command.argv = {u"npm"_s, u"test"_s};
    command.exitCode = 0;
    task.commands << command;
    task.tests << TestResult{{}, u"parser"_s, u"passed"_s, 1, 42};
    task.filesChanged << FileChange{{}, u"package.json"_s, u"modified"_s, 3, 1};
    PullRequestRecord pr;
    pr.repo = u"acme/web"_s;
    pr.number = 7;
    pr.githubId = 9007;
    pr.title = u"Update dependencies"_s;
    pr.headRef = task.headRef;
    pr.labels = {u"deps"_s};
    if (!store.beginBatch() || !seen(request.id.toUtf8()) || !store.writeRequest(request) ||
        !seen(taskId.toUtf8()) || !store.writeTask(task) || !seen("pr " + taskId.toUtf8()) ||
        !store.writePullRequest(pr))
        return false;
    const std::optional<qint64> key = store.commandKey(taskId, 1);
    if (!key || !seen("log " + taskId.toUtf8()))
        return false;
    for (int i = 1; i <= lines; ++i) {
        LogLine line{
            i, 1700000000000 + i, QByteArray("line\t" + QByteArray::number(i) + " \\ ok"), {}};
        if (i == 2)
            line.text = "export TOKEN=" + secret.toUtf8();
        bool inserted = false;
        if (!store.appendLogLine(*key, line, &inserted))
            return false;
    }
    return store.linkPullRequests() && store.commitBatch();
}

} // namespace

class TestPgStore : public QObject
{
    Q_OBJECT

private:
    Backends::Fixture m_db;

    std::unique_ptr<RecordStore> open(const QString &location,
                                      StoreAccess access = StoreAccess::ReadWrite)
    {
        QString error;
        auto store = openStore(location, &error, access);
        if (!store)
            qWarning("%s", qPrintable(error));
        return store;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
    }

    void locations_data()
    {
        QTest::addColumn<QString>("location");
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("url") << u"postgresql://alice@db.example:5433/tasktrail"_s << true << true;
        QTest::newRow("short scheme") << u"postgres://alice@db/tasktrail"_s << true << true;
        QTest::newRow("keywords") << u"host=db.example dbname=tasktrail user=alice"_s << true
                                  << true;
        QTest::newRow("service") << u"service=team"_s << true << true;
        QTest::newRow("file") << u"tasks.db"_s << false << true;
        QTest::newRow("file with =") << u"/data/a=b.db"_s << false << true;
        QTest::newRow("url password")
            << u"postgresql://alice:hunter2@db/tasktrail"_s << true << false;
        QTest::newRow("keyword password")
            << u"host=db dbname=tasktrail password=hunter2"_s << true << false;
        QTest::newRow("url query password")
            << u"postgresql://alice@db/tasktrail?password=hunter2"_s << true << false;
        QTest::newRow("unknown keyword")
            << u"host=db dbname=tasktrail colour=blue"_s << true << false;
    }
    void locations()
    {
        QFETCH(QString, location);
        QFETCH(bool, postgres);
        QFETCH(bool, accepted);
        QCOMPARE(isPostgresLocation(location), postgres);
        if (!postgres)
            return;
        QString error;
        QCOMPARE(!postgresConnInfo(location, &error).isEmpty(), accepted);
        QCOMPARE(error.isEmpty(), accepted);
        // The message never repeats the password.
        QVERIFY2(!error.contains(u"hunter2"_s), qPrintable(error));
        if (location.contains(u"hunter2"_s)) {
            QVERIFY2(error.contains(u".pgpass"_s), qPrintable(error));
            QString openError;
            QVERIFY(!openStore(location, &openError));
            QVERIFY2(openError.contains(u".pgpass"_s), qPrintable(openError));
        }
    }

    // What a location leaves out, libpq takes from PG* variables (and passwords from
    // ~/.pgpass, the same way).
    void environmentFillsTheGaps()
    {
        const QString url = m_db.fresh(u"postgresql"_s);
        const QByteArray name = url.section(u'/', -1).toUtf8();
        qputenv("PGPORT", QByteArray::number(m_db.server().port()));
        qputenv("PGUSER", PgFixture::Server::superuser().toUtf8());
        qputenv("PGDATABASE", name);
        auto store = open(u"host=127.0.0.1"_s);
        qunsetenv("PGPORT");
        qunsetenv("PGUSER");
        qunsetenv("PGDATABASE");
        QVERIFY(store);
        RequestRecord r;
        r.id = u"R-env"_s;
        QVERIFY(store->beginBatch() && store->writeRequest(r) && store->commitBatch());
        QCOMPARE(m_db.sql(url, u"SELECT count(*) FROM request"_s), u"1"_s);
    }

    // A role that must give a password finds it in the file PGPASSFILE names, or in ~/.pgpass,
    // as libpq does for every connection; without one it is refused, the password unnamed.
    void passwordFromPasswordFile()
    {
        const QString owner = m_db.fresh(u"postgresql"_s);
        const QString name = owner.section(u'/', -1);
        const QString user = PgFixture::Server::passwordUser();
        const QString password = u"correct-horse-battery"_s;
        QString error;
        m_db.sql(owner,
                 u"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1') THEN "
                 "CREATE ROLE %1 LOGIN PASSWORD '%2'; END IF; END $$; ALTER DATABASE \"%3\" "
                 "OWNER TO %1"_s.arg(user, password, name),
                 &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString url = m_db.server().url(name, user);
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QByteArray oldHome = qgetenv("HOME");
        const auto restore = qScopeGuard([&oldHome] {
            qputenv("HOME", oldHome);
            qunsetenv("PGPASSFILE");
        });
        qputenv("HOME", QFile::encodeName(home.path()));

        qputenv("PGPASSFILE", QFile::encodeName(home.filePath(u"none"_s)));
        QVERIFY(!openStore(url, &error));
        QVERIFY2(error.contains(u"password"_s), qPrintable(error));
        QVERIFY(!error.contains(password));

        const auto writePassFile = [&](const QString &path) {
            QFile file(path);
            const QByteArray line = u"127.0.0.1:%1:%2:%3:%4\n"_s.arg(m_db.server().port())
                                        .arg(name, user, password)
                                        .toUtf8();
            return file.open(QIODevice::WriteOnly) && file.write(line) == line.size() &&
                   file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        };
        const QString passFile = home.filePath(u"team.pgpass"_s);
        QVERIFY(writePassFile(passFile));
        qputenv("PGPASSFILE", QFile::encodeName(passFile));
        {
            auto store = open(url);
            QVERIFY(store);
            RequestRecord r;
            r.id = u"R-password"_s;
            QVERIFY2(store->beginBatch() && store->writeRequest(r) && store->commitBatch(),
                     qPrintable(store->errorString()));
        }
        QCOMPARE(m_db.sql(owner, u"SELECT string_agg(id, ',') FROM request"_s), u"R-password"_s);
        // The CLI's libpq reads the same file.
        const auto stats = CliRun::cli({u"stats"_s, u"--db"_s, url});
        QVERIFY2(stats.exitCode == 0, qPrintable(stats.err));

        // ~/.pgpass when PGPASSFILE is not set.
        qunsetenv("PGPASSFILE");
        QVERIFY(!openStore(url, &error));
        QVERIFY(writePassFile(home.filePath(u".pgpass"_s)));
        QVERIFY2(openStore(url, &error), qPrintable(error));
    }

    // The same records on both backends: stored redacted, merged, log lines once, and a
    // chain that verifies.
    void writesAndVerifies_data() { Backends::addBackendRows(); }
    void writesAndVerifies()
    {
        QFETCH(QString, backend);
        const QString location = m_db.fresh(backend);
        auto store = open(location);
        QVERIFY(store);
        QVERIFY2(writeRun(*store, u"T-1"_s, 5), qPrintable(store->errorString()));
        QCOMPARE(store->redactions(), 2);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM log_line"_s), u"5"_s);
        QVERIFY(!m_db.sql(location, u"SELECT text FROM request"_s).contains(secret));
        QVERIFY(!m_db.sql(location, u"SELECT text FROM log_line WHERE text LIKE 'export%'"_s)
                     .contains(secret));
        QCOMPARE(m_db.sql(location, u"SELECT text FROM log_line ORDER BY id LIMIT 1"_s),
                 u"line\t1 \\ ok"_s);
        // linkPullRequests joined the PR by head ref.
        QCOMPARE(m_db.sql(location, u"SELECT pr_number FROM task"_s), u"7"_s);
        const QByteArray head = store->evidenceHead();
        // The same run again: nothing new, no line twice; a merge keeps what it leaves out.
        QVERIFY2(writeRun(*store, u"T-1"_s, 6), qPrintable(store->errorString()));
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM log_line"_s), u"6"_s);
        QVERIFY(store->beginBatch());
        TaskRecord partial;
        partial.id = u"T-1"_s;
        partial.state = TaskState::Failed;
        QVERIFY(store->writeTask(partial) && store->commitBatch());
        QCOMPARE(m_db.sql(location, u"SELECT prompt FROM task"_s), u"update dependencies"_s);
        const EvidenceReport report = store->verifyEvidence(head);
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        for (const EvidenceProblem &p : report.problems)
            qWarning("%s %s: %s", qPrintable(p.kind), qPrintable(p.ref), qPrintable(p.problem));
        QVERIFY(report.intact());
        QVERIFY(report.entries >= 8);
    }

    // A record's state hash is the same on both backends: the chain means the same thing.
    void sameStateHashesOnBothBackends()
    {
        const QString lite = m_db.fresh(u"sqlite"_s);
        const QString pg = m_db.fresh(u"postgresql"_s);
        auto a = open(lite);
        auto b = open(pg);
        QVERIFY(a && b);
        QVERIFY2(writeRun(*a, u"T-9"_s, 4), qPrintable(a->errorString()));
        QVERIFY2(writeRun(*b, u"T-9"_s, 4), qPrintable(b->errorString()));
        const QList<std::pair<QString, QString>> records{{u"request"_s, u"R-T-9"_s},
                                                         {u"task"_s, u"T-9"_s},
                                                         {u"pull_request"_s, u"acme/web#7"_s}};
        for (const auto &[kind, ref] : records) {
            const auto x = a->latestEvidence(kind, ref);
            const auto y = b->latestEvidence(kind, ref);
            QVERIFY2(x && y, qPrintable(kind));
            QCOMPARE(y->stateHash.toHex(), x->stateHash.toHex());
            QCOMPARE(y->contentHash.toHex(), x->contentHash.toHex());
            QCOMPARE(b->currentEvidenceState(kind, ref), a->currentEvidenceState(kind, ref));
        }
        QCOMPARE(b->evidenceHead(), a->evidenceHead());
    }

    // A command's key is made once: asked for again, by the log or after its task record
    // wrote the command, it is the same; a number below 1 or no task is refused.
    void commandKeyIsOnePerCommand_data() { Backends::addBackendRows(); }
    void commandKeyIsOnePerCommand()
    {
        QFETCH(QString, backend);
        const QString location = m_db.fresh(backend);
        auto store = open(location);
        QVERIFY(store && store->beginBatch());
        const auto first = store->commandKey(u"T-c"_s, 1);
        QVERIFY2(first, qPrintable(store->errorString()));
        QCOMPARE(store->commandKey(u"T-c"_s, 1), first);
        const auto second = store->commandKey(u"T-c"_s, 2);
        QVERIFY(second && *second != *first);
        CommandRecord written;
        written.taskId = u"T-c"_s;
        written.seq = 3;
        written.argv = {u"npm"_s, u"test"_s};
        QVERIFY2(store->writeCommand(written), qPrintable(store->errorString()));
        const auto third = store->commandKey(u"T-c"_s, 3);
        QVERIFY(third);
        QVERIFY(*third != *first && *third != *second);
        QVERIFY(!store->commandKey(u"T-c"_s, 0));
        QVERIFY(store->errorString().contains(u"number of 1 or more"_s));
        QVERIFY(!store->commandKey(QString(), 1));
        QVERIFY(store->commitBatch());
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM command WHERE task_id = 'T-c'"_s),
                 u"3"_s);
        QCOMPARE(m_db.sql(location, u"SELECT key FROM command WHERE seq = 3"_s),
                 QString::number(*third));
        QCOMPARE(m_db.sql(location, u"SELECT argv FROM command WHERE seq = 3"_s).contains(u"npm"_s),
                 true);
        QVERIFY(store->verifyEvidence({}).problems.isEmpty());
    }

    // A batch that never commits leaves nothing (a killed ingest's connection is closed the
    // same way), log lines sent early with COPY included.
    void uncommittedBatchLeavesNothing_data() { Backends::addBackendRows(); }
    void uncommittedBatchLeavesNothing()
    {
        QFETCH(QString, backend);
        const QString location = m_db.fresh(backend);
        {
            auto store = open(location);
            QVERIFY(store && store->beginBatch());
            const auto key = store->commandKey(u"T-k"_s, 1);
            QVERIFY(key);
            for (int i = 1; i <= 25000; ++i) { // past one COPY batch
                bool inserted = false;
                QVERIFY(store->appendLogLine(*key, LogLine{i, 0, "x", {}}, &inserted));
                QVERIFY(inserted);
            }
        } // closed without commit
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM log_line"_s), u"0"_s);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM command"_s), u"0"_s);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM evidence"_s), u"0"_s);
    }

    // A batch's writes go out without waiting for each answer (PgConnection::send()). A write
    // the server refuses fails the batch all the same, wherever in the pipeline it was, and
    // nothing of the batch stays; the connection and its prepared statements then serve the
    // next batch.
    void refusedWriteSentAheadFailsItsBatch()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        QVERIFY(open(location)); // the schema, before the trigger goes on it
        QString error;
        m_db.sql(location,
                 u"CREATE FUNCTION refuse_bad() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                 "IF NEW.id = 'R-bad' THEN RAISE EXCEPTION 'request R-bad refused'; END IF; "
                 "RETURN NEW; END $$; CREATE TRIGGER refuse_bad BEFORE INSERT ON request FOR EACH "
                 "ROW EXECUTE FUNCTION refuse_bad()"_s,
                 &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        auto store = open(location);
        QVERIFY(store);
        const QString refused = u"request R-bad refused"_s;
        // 600 writes: more than wait for their answers at a time, the refused one among the
        // later ones.
        const auto writeBatch = [&store](int count, int badAt) {
            bool ok = store->beginBatch();
            for (int i = 0; ok && i < count; ++i) {
                RequestRecord r;
                r.id = i == badAt ? u"R-bad"_s : u"R-%1"_s.arg(i);
                r.text = u"request %1"_s.arg(i);
                ok = store->writeRequest(r);
            }
            return ok && store->commitBatch();
        };
        QVERIFY(!writeBatch(600, 400));
        QVERIFY2(store->errorString().contains(refused), qPrintable(store->errorString()));
        store->rollbackBatch();
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM request"_s), u"0"_s);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM record_text"_s), u"0"_s);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM evidence"_s), u"0"_s);

        // A statement that waits for its answer reports the refused write sent before it,
        // and does not run.
        QVERIFY(store->beginBatch());
        RequestRecord bad;
        bad.id = u"R-bad"_s;
        QVERIFY(store->writeRequest(bad)); // sent, its answer not read yet
        // A kind not written before: its statement is prepared behind the refused write, so
        // the server never makes it; the next batch prepares it again.
        IdentityRecord identity;
        identity.id = u"I-1"_s;
        identity.principal = u"bot"_s;
        QVERIFY(store->writeIdentity(identity));
        bool isNew = false;
        QVERIFY(!store->markRecordSeen(Sha256::of(QByteArrayLiteral("after")), &isNew));
        QVERIFY2(store->errorString().contains(u"a write sent before this statement failed"_s),
                 qPrintable(store->errorString()));
        QVERIFY2(store->errorString().contains(refused), qPrintable(store->errorString()));
        // A caller that goes on after a failed read gets the same failure from every statement
        // and from the commit, until the batch is rolled back.
        QVERIFY(!store->markRecordSeen(Sha256::of(QByteArrayLiteral("again")), &isNew));
        QVERIFY2(store->errorString().contains(refused), qPrintable(store->errorString()));
        QVERIFY(!store->commitBatch());
        QVERIFY2(store->errorString().contains(refused), qPrintable(store->errorString()));
        store->rollbackBatch();
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM record_seen"_s), u"0"_s);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM identity"_s), u"0"_s);

        // The same store writes the next batch whole, and its chain verifies.
        QVERIFY(store->beginBatch());
        QVERIFY2(store->writeIdentity(identity) && store->commitBatch(),
                 qPrintable(store->errorString()));
        QCOMPARE(m_db.sql(location, u"SELECT principal FROM identity WHERE id = 'I-1'"_s),
                 u"bot"_s);
        QVERIFY2(writeBatch(600, -1), qPrintable(store->errorString()));
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM request"_s), u"600"_s);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM record_text"_s), u"600"_s);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM evidence WHERE kind = 'request'"_s),
                 u"600"_s);
        const EvidenceReport report = store->verifyEvidence({});
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QVERIFY(report.intact());

        // A newer schema widens a table while the store is open: the evidence chain's
        // prepared read of it fails the batch under way once, and is prepared again after.
        m_db.sql(location, u"ALTER TABLE request ADD COLUMN added_later TEXT"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!writeBatch(1, -1));
        QVERIFY2(store->errorString().contains(u"cached plan must not change result type"_s),
                 qPrintable(store->errorString()));
        store->rollbackBatch();
        QVERIFY2(writeBatch(1, -1), qPrintable(store->errorString()));
    }

    // The evidence chain reads the states of a batch's records a chunk at a time in one
    // round trip each (PgEvidenceLedger::currentStates()): with more records than one chunk
    // holds, every entry has the state that reading its record alone gives.
    void batchStatesEqualEachRecordsOwn()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        auto store = open(location);
        QVERIFY(store && store->beginBatch());
        QStringList ids;
        for (int i = 0; i < 60; ++i) { // a task has seven parts: 420 statements
            TaskRecord task;
            task.id = u"T-%1"_s.arg(i);
            task.repo = u"acme/web"_s;
            task.state = i % 2 ? TaskState::Completed : TaskState::Failed;
            task.prompt = u"task %1"_s.arg(i);
            for (int c = 1; c <= i % 4; ++c) {
                CommandRecord command;
                command.seq = c;
                command.argv = {u"npm"_s, u"run"_s, QString::number(c)};
                command.exitCode = c - 1;
                task.commands << command;
            }
            if (i % 3 == 0)
                task.tests << TestResult{{}, u"parser"_s, u"passed"_s, 1, i};
            QVERIFY2(store->writeTask(task), qPrintable(store->errorString()));
            ids << task.id;
        }
        QVERIFY2(store->commitBatch(), qPrintable(store->errorString()));
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM evidence WHERE kind = 'task'"_s),
                 u"60"_s);
        for (const QString &id : std::as_const(ids)) {
            const auto entry = store->latestEvidence(u"task"_s, id);
            QVERIFY(entry);
            QCOMPARE(entry->stateHash, store->currentEvidenceState(u"task"_s, id));
        }
        // Distinct records have distinct states: the states did not shift between records.
        QCOMPARE(m_db.sql(location, u"SELECT count(DISTINCT state_hash) FROM evidence"_s), u"60"_s);
        const EvidenceReport report = store->verifyEvidence({});
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QVERIFY(report.intact());
    }

    // Two writers at once: every batch's entries end up in one chain that verifies.
    void concurrentAppendsStayOneChain()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        QVERIFY(open(location)); // creates the schema before the writers race
        std::atomic<int> failures = 0;
        const auto writer = [&](const QString &prefix) {
            QString error;
            auto store = openStore(location, &error);
            for (int i = 0; store && i < 15; ++i) {
                if (!writeRun(*store, prefix + QString::number(i), 3))
                    ++failures;
            }
            if (!store)
                ++failures;
        };
        std::thread one(writer, u"A-"_s);
        std::thread two(writer, u"B-"_s);
        one.join();
        two.join();
        QCOMPARE(failures.load(), 0);
        auto store = open(location);
        const EvidenceReport report = store->verifyEvidence({});
        QVERIFY2(report.intact(), qPrintable(report.error));
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM task"_s), u"30"_s);
        QCOMPARE(m_db.sql(location, u"SELECT count(DISTINCT seq) = max(seq) FROM evidence"_s),
                 u"t"_s);
    }

    void editAfterIngestIsFound()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        auto store = open(location);
        QVERIFY(store && writeRun(*store, u"T-e"_s, 2));
        QString error;
        m_db.sql(location, u"UPDATE task SET state = 'completed', prompt = 'other'"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const EvidenceReport report = store->verifyEvidence({});
        // The task, and its searchable prompt, which no longer matches the task's.
        QCOMPARE(report.problems.size(), 2);
        QCOMPARE(report.problems.constFirst().ref, u"T-e"_s);
        QCOMPARE(report.problems.constFirst().problem, u"edited after ingest"_s);
        QCOMPARE(report.problems.constLast().kind, u"record_text"_s);
        QCOMPARE(report.problems.constLast().ref, u"task T-e"_s);
    }

    // interrupt() from another thread ends a statement that waits (here on another
    // connection's uncommitted command).
    void interruptCancelsAWaitingStatement()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        auto holder = open(location);
        auto waiter = open(location);
        QVERIFY(holder && waiter && holder->beginBatch() && holder->commandKey(u"T-w"_s, 1));
        QVERIFY(waiter->beginBatch());
        std::atomic<bool> done = false;
        std::thread canceller([&] {
            // Until the waiter is seen waiting for the lock, then once.
            while (!done &&
                   m_db.sql(location, u"SELECT count(*) FROM pg_locks WHERE NOT granted"_s) !=
                       u"1"_s)
                QThread::yieldCurrentThread();
            waiter->interrupt();
        });
        const auto key = waiter->commandKey(u"T-w"_s, 1);
        done = true;
        canceller.join();
        QVERIFY(!key);
        QVERIFY2(waiter->errorString().contains(u"cancel"_s), qPrintable(waiter->errorString()));
        holder->rollbackBatch();
    }

    // The roles hold against raw SQL; the evidence table refuses changes even to its owner.
    void rolesHoldAgainstRawSql()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        {
            auto store = open(location);
            QVERIFY(store && writeRun(*store, u"T-r"_s, 2));
        }
        for (int round = 0; round < 2; ++round) { // a second run only sets the grants again
            const auto run = CliRun::cli({u"admin"_s, u"init-roles"_s, u"--db"_s, location});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            QVERIFY2(run.out.contains(round ? u"tasktrail_reader: grants set again"_s
                                            : u"tasktrail_reader: created"_s),
                     qPrintable(run.out));
        }
        QString error;
        m_db.sql(location,
                 u"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'alice') "
                 "THEN CREATE ROLE alice LOGIN IN ROLE tasktrail_reader; CREATE ROLE bot LOGIN "
                 "IN ROLE tasktrail_ingest; CREATE ROLE olivia LOGIN IN ROLE tasktrail_owner; "
                 "END IF; END $$"_s,
                 &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto refused = [&](const QString &user, const QString &sql, const QString &why) {
            QString err;
            m_db.sql(location, sql, &err, user);
            return err.contains(why) ? QString()
                                     : QString(user + u": "_s + sql + u" -> '"_s + err + u"'"_s);
        };
        const QString denied = u"permission denied"_s;
        const QString insertOnly = u"accepts inserts only"_s;
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM task"_s, &error, u"alice"_s), u"1"_s);
        QCOMPARE(refused(u"alice"_s, u"UPDATE task SET state = 'failed'"_s, denied), QString());
        QCOMPARE(refused(u"alice"_s, u"DELETE FROM log_line"_s, denied), QString());
        QCOMPARE(refused(u"alice"_s, u"INSERT INTO request (id) VALUES ('x')"_s, denied),
                 QString());
        QCOMPARE(refused(u"bot"_s, u"DELETE FROM task"_s, denied), QString());
        QCOMPARE(refused(u"bot"_s, u"UPDATE evidence SET at = 0"_s, denied), QString());
        QCOMPARE(refused(u"olivia"_s, u"UPDATE evidence SET at = 0"_s, insertOnly), QString());
        QCOMPARE(refused(u"olivia"_s, u"DELETE FROM evidence"_s, insertOnly), QString());
        QCOMPARE(refused(PgFixture::Server::superuser(), u"TRUNCATE evidence"_s, insertOnly),
                 QString());
        // The ingest role writes records; the reader's store opens and cannot.
        m_db.sql(location, u"INSERT INTO request (id) VALUES ('R-bot')"_s, &error, u"bot"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString asAlice =
            QString(location).replace(PgFixture::Server::superuser() + u'@', u"alice@"_s);
        auto reader = open(asAlice, StoreAccess::ReadOnly);
        QVERIFY(reader);
        QVERIFY(!reader->evidenceHead().isEmpty());
        auto writer = open(asAlice);
        QVERIFY(writer && writer->beginBatch());
        RequestRecord r;
        r.id = u"R-alice"_s;
        // A batch's writes are sent without waiting for each answer: the refusal shows at the
        // write or, at the latest, at the commit, and nothing of the batch is stored.
        QVERIFY(!writer->writeRequest(r) || !writer->commitBatch());
        QVERIFY2(writer->errorString().contains(denied), qPrintable(writer->errorString()));
        writer->rollbackBatch();
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM request WHERE id = 'R-alice'"_s),
                 u"0"_s);
        // The connection is usable after the refusal: the reader's store still reads.
        QVERIFY(!writer->evidenceHead().isEmpty());

        // The chain takes only the entry that chains onto the last, whoever inserts it.
        auto owner = open(location);
        QVERIFY(owner);
        const qint64 last = m_db.sql(location, u"SELECT max(seq) FROM evidence"_s).toLongLong();
        QVERIFY(last > 0);
        const QByteArray previous = QByteArray::fromHex(owner->evidenceHead());
        const QByteArray state = owner->currentEvidenceState(u"task"_s, u"T-r"_s);
        const QByteArray content = Sha256::of(QByteArrayLiteral("written by hand"));
        const auto hex = [](const QByteArray &bytes) {
            return u"decode('%1', 'hex')"_s.arg(QString::fromLatin1(bytes.toHex()));
        };
        const auto entry = [&](qint64 seq, const QString &kind, const QString &ref,
                               const QByteArray &chain) {
            return u"INSERT INTO evidence (seq, kind, ref, content_hash, state_hash, chain_hash, "
                   "at) VALUES (%1, '%2', '%3', %4, %5, %6, 0)"_s.arg(seq)
                       .arg(kind, ref, hex(content), hex(state), hex(chain));
        };
        const QByteArray bogus(Evidence::hashSize, 'x');
        const QString noChain = u"does not chain"_s;
        const QString triageOnly = u"triage entries only"_s;
        QCOMPARE(refused(u"alice"_s, entry(last + 1, u"task"_s, u"T-r"_s, bogus), triageOnly),
                 QString());
        const QByteArray aliceChain =
            Evidence::chainHash(previous, last + 1, "task", "T-r", content, state);
        QCOMPARE(refused(u"alice"_s, entry(last + 1, u"task"_s, u"T-r"_s, aliceChain), triageOnly),
                 QString());
        QCOMPARE(refused(u"alice"_s, entry(last + 1, u"triage"_s, u"1"_s, bogus), noChain),
                 QString());
        QCOMPARE(refused(u"bot"_s, entry(last + 1, u"task"_s, u"T-r"_s, bogus), noChain),
                 QString());
        QCOMPARE(refused(u"olivia"_s, entry(last + 1, u"task"_s, u"T-r"_s, bogus), noChain),
                 QString());
        QCOMPARE(refused(PgFixture::Server::superuser(),
                         entry(last + 1, u"task"_s, u"T-r"_s, bogus), noChain),
                 QString());
        // A right hash under the wrong number, or one that skips an entry, is refused too.
        const QByteArray skipping =
            Evidence::chainHash(previous, last + 2, "task", "T-r", content, state);
        QCOMPARE(refused(u"bot"_s, entry(last + 2, u"task"_s, u"T-r"_s, skipping),
                         u"takes entry %1 next"_s.arg(last + 1)),
                 QString());
        QCOMPARE(refused(u"bot"_s, entry(last + 1, u"task"_s, u"T-r"_s, skipping), noChain),
                 QString());
        // A table of the session's own named evidence does not stand in for the chain: the
        // check reads the database's table whatever the session's search path finds first.
        const QByteArray fake(Evidence::hashSize, 'f');
        const QByteArray onFake =
            Evidence::chainHash(fake, last + 1, "triage", "1", content, state);
        const QString shadow =
            u"CREATE TEMP TABLE evidence (seq BIGINT, chain_hash BYTEA); INSERT INTO "
            "pg_temp.evidence VALUES (%1, %2); "_s.arg(last)
                .arg(hex(fake)) +
            entry(last + 1, u"triage"_s, u"1"_s, onFake)
                .replace(u"INTO evidence"_s, u"INTO %1.evidence"_s.arg(
                                                 m_db.sql(location, u"SELECT current_schema()"_s)));
        QCOMPARE(refused(u"alice"_s, shadow, noChain), QString());
        QCOMPARE(m_db.sql(location, u"SELECT max(seq) FROM evidence"_s), QString::number(last));
        // The database's hash is Evidence::chainHash byte for byte, UTF-8 refs included.
        const QString wide = u"R-\u00fcber-\u6f22"_s;
        const QByteArray wideChain =
            Evidence::chainHash(previous, last + 1, "request", wide.toUtf8(), content, state);
        m_db.sql(location,
                 u"BEGIN; "_s + entry(last + 1, u"request"_s, wide, wideChain) + u"; ROLLBACK"_s,
                 &error, u"bot"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_db.sql(location, entry(last + 1, u"task"_s, u"T-r"_s, aliceChain), &error, u"bot"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(m_db.sql(location, u"SELECT max(seq) FROM evidence"_s), QString::number(last + 1));
        // The chain holds: the one problem is the request the ingest role wrote outside a batch.
        const EvidenceReport report = owner->verifyEvidence({});
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.entries, last + 1);
        QCOMPARE(report.problems.size(), 1);
        QCOMPARE(report.problems.constFirst().seq, 0);
        QCOMPARE(report.problems.constFirst().ref, u"R-bot"_s);

        // A reader's triage is its own, whatever name it writes.
        m_db.sql(location,
                 u"INSERT INTO finding_triage (task_id, rule, evidence_kind, evidence_ref, "
                 "command_seq, line_no, state, triaged_by, triaged_at) VALUES ('T-r', "
                 "'host_not_allowed', 'contact', 'evil.example', 0, 0, 'false_positive', 'bob', "
                 "1)"_s,
                 &error, u"alice"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(m_db.sql(location, u"SELECT string_agg(triaged_by, ',') FROM finding_triage"_s),
                 u"alice"_s);
        // The ingest role's triage keeps the name it gives (as a copy of a file's history does).
        m_db.sql(location,
                 u"INSERT INTO finding_triage (task_id, rule, evidence_kind, evidence_ref, "
                 "command_seq, line_no, state, triaged_by, triaged_at) VALUES ('T-r', "
                 "'host_not_allowed', 'contact', 'evil.example', 0, 0, 'fixed', 'dana', 2)"_s,
                 &error, u"bot"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(m_db.sql(location, u"SELECT string_agg(triaged_by, ',' ORDER BY id) FROM "
                                    "finding_triage"_s),
                 u"alice,dana"_s);
    }

    // Where a sync stopped: stored, replaced whole, redacted, and nothing for an unknown
    // source.
    void syncCursorsRoundTrip_data() { Backends::addBackendRows(); }
    void syncCursorsRoundTrip()
    {
        QFETCH(QString, backend);
        const QString location = m_db.fresh(backend);
        auto store = open(location);
        QVERIFY(store);
        QVERIFY(!store->syncCursor(u"tasks:acme/web"_s));
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(1764800000123, QTimeZone::utc());
        SyncCursor c{u"tasks:acme/web"_s, u"2026-03-01T00:00:00Z"_s, u"2026-03-02T10:00:00Z"_s,
                     "W/\"abc\"",         u"after=42 "_s + secret,   at};
        QVERIFY(store->writeSyncCursor(c));
        auto found = store->syncCursor(u"tasks:acme/web"_s);
        QVERIFY(found);
        QCOMPARE(found->since, c.since);
        QCOMPARE(found->seenUntil, c.seenUntil);
        QCOMPARE(found->etag, c.etag);
        QCOMPARE(found->updatedAt, at);
        QVERIFY(found->position.startsWith(u"after=42 "_s));
        QVERIFY(!found->position.contains(secret));
        // Written again: the whole row is the new one; no time given is now.
        SyncCursor next{u"tasks:acme/web"_s, u"2026-03-02T10:00:00Z"_s, {}, {}, {}, {}};
        QVERIFY(store->writeSyncCursor(next));
        found = store->syncCursor(u"tasks:acme/web"_s);
        QVERIFY(found);
        QCOMPARE(found->since, next.since);
        QVERIFY(found->seenUntil.isEmpty() && found->etag.isEmpty() && found->position.isEmpty());
        QVERIFY(found->updatedAt > at);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM sync_cursor"_s), u"1"_s);
    }

    // Each role can do what its verbs need and no more: the ingest role stores findings,
    // documents and cursors but not the queue; the launch role the queue too; a reader
    // nothing.
    void rolesKeepTheQueueToLaunchers()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        QVERIFY(open(location));
        const auto roles = CliRun::cli({u"admin"_s, u"init-roles"_s, u"--db"_s, location});
        QVERIFY2(roles.exitCode == 0, qPrintable(roles.err));
        QString error;
        for (const auto &[user, group] : {std::pair{u"ci_ingest"_s, u"tasktrail_ingest"_s},
                                          std::pair{u"launcher"_s, u"tasktrail_launch"_s},
                                          std::pair{u"reviewer"_s, u"tasktrail_reader"_s}}) {
            m_db.sql(location,
                     u"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1') "
                     "THEN CREATE ROLE %1 LOGIN IN ROLE %2; END IF; END $$"_s.arg(user, group),
                     &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
        const auto as = [&location](const QString &user) {
            return QString(location).replace(PgFixture::Server::superuser() + u'@', user + u'@');
        };
        QueueEntry entry;
        entry.taskId = u"T-q"_s;
        entry.repo = u"acme/web"_s;
        entry.createdAt = QDateTime::currentDateTimeUtc();
        Finding finding;
        finding.taskId = u"T-q"_s;
        finding.rule = u"host_not_allowed"_s;
        const SyncCursor cursor{u"tasks:acme/web"_s, {}, {}, {}, {}, {}};
        QString campaign = u"C-1"_s;
        bool claimed = false;
        KnownRepository repository;
        repository.name = u"acme/web"_s;
        LaunchAttempt attempt;
        attempt.taskId = u"T-q"_s;
        attempt.attempt = 1;

        auto ingest = open(as(u"ci_ingest"_s));
        QVERIFY(ingest && ingest->beginBatch());
        QVERIFY2(ingest->replaceFindings(u"T-q"_s, {finding}), qPrintable(ingest->errorString()));
        QVERIFY2(ingest->replaceFindings(u"T-q"_s, {finding}), qPrintable(ingest->errorString()));
        QVERIFY(ingest->writeSyncCursor(cursor));
        QVERIFY(ingest->commitBatch());
        for (const auto &write : std::initializer_list<std::function<bool()>>{
                 [&] { return ingest->writeQueueEntry(entry); },
                 [&] { return ingest->claimIdempotencyKey(u"k"_s, &campaign, &claimed); },
                 [&] { return ingest->writeRepository(repository); },
                 [&] {
                     return ingest->appendLaunchEvent({0, u"T-q"_s, {}, {}, u"queued"_s, {}});
                 }}) {
            QVERIFY(!write());
            QVERIFY2(ingest->errorString().contains(u"permission denied"_s),
                     qPrintable(ingest->errorString()));
        }

        auto launch = open(as(u"launcher"_s));
        QVERIFY(launch && launch->beginBatch());
        QVERIFY2(launch->claimIdempotencyKey(u"k"_s, &campaign, &claimed) && claimed,
                 qPrintable(launch->errorString()));
        QVERIFY(launch->writeQueueEntry(entry));
        QVERIFY(launch->writeQueueEntry(entry)); // replaced: an update, no delete needed
        QVERIFY(launch->appendLaunchEvent({0, u"T-q"_s, {}, {}, u"queued"_s, u"submitted"_s}));
        QVERIFY(launch->writeLaunchAttempt(attempt));
        QVERIFY(launch->writeLaunchAttempt(attempt));
        QVERIFY(launch->writeRepository(repository));
        QVERIFY(launch->replaceFindings(u"T-q"_s, {finding})); // a launch checks its runs
        QVERIFY2(launch->commitBatch(), qPrintable(launch->errorString()));

        auto reader = open(as(u"reviewer"_s), StoreAccess::ReadOnly);
        QVERIFY(reader);
        QCOMPARE(reader->queueEntries({}, true).size(), 1);
        QCOMPARE(reader->findingCount(u"T-q"_s), 1);
        QCOMPARE(reader->launchEvents(u"T-q"_s).size(), 1);
        QVERIFY(reader->syncCursor(u"tasks:acme/web"_s));
        m_db.sql(location, u"DELETE FROM finding"_s, &error, u"reviewer"_s);
        QVERIFY2(error.contains(u"permission denied"_s), qPrintable(error));
        error.clear();
        m_db.sql(location, u"UPDATE launch_queue SET state = 'running'"_s, &error, u"reviewer"_s);
        QVERIFY2(error.contains(u"permission denied"_s), qPrintable(error));
        error.clear();
        m_db.sql(location, u"DELETE FROM launch_queue"_s, &error, u"launcher"_s);
        QVERIFY2(error.contains(u"permission denied"_s), qPrintable(error));
    }

    // The roles name Tasktrail's tables: another application's table, view and sequence in
    // the schema keep their owner, and Tasktrail's roles get nothing on them. Every other
    // table is Tasktrail's and owned by tasktrail_owner, so a table a schema version adds and
    // the roles do not name shows up here.
    void rolesLeaveOtherObjectsAlone()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        QString error;
        m_db.sql(location,
                 u"CREATE TABLE other_app (name TEXT); CREATE VIEW other_view AS SELECT name "
                 "FROM other_app; CREATE SEQUENCE other_seq"_s,
                 &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto run = CliRun::cli({u"admin"_s, u"init-roles"_s, u"--db"_s, location});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(m_db.sql(location, u"SELECT string_agg(tablename, ',' ORDER BY tablename) FROM "
                                    "pg_tables WHERE schemaname = current_schema() AND "
                                    "tableowner <> 'tasktrail_owner'"_s),
                 u"other_app"_s);
        QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM pg_tables WHERE schemaname = "
                                    "current_schema() AND tableowner = 'tasktrail_owner'"_s)
                         .toInt() > 30,
                 true);
        const auto allowed = [&](const QString &check) {
            return m_db.sql(location, u"SELECT (%1)::int"_s.arg(check));
        };
        for (const QString &role :
             {u"tasktrail_reader"_s, u"tasktrail_ingest"_s, u"tasktrail_launch"_s}) {
            QCOMPARE(allowed(u"has_table_privilege('%1', 'other_app', 'SELECT')"_s.arg(role)),
                     u"0"_s);
            QCOMPARE(allowed(u"has_table_privilege('%1', 'other_view', 'SELECT')"_s.arg(role)),
                     u"0"_s);
            QCOMPARE(allowed(u"has_sequence_privilege('%1', 'other_seq', 'USAGE')"_s.arg(role)),
                     u"0"_s);
            QCOMPARE(allowed(u"has_table_privilege('%1', 'task', 'SELECT')"_s.arg(role)), u"1"_s);
        }
        QCOMPARE(allowed(u"has_sequence_privilege('tasktrail_ingest', "
                         "pg_get_serial_sequence('command', 'key'), 'USAGE')"_s),
                 u"1"_s);
        QCOMPARE(allowed(u"has_sequence_privilege('tasktrail_reader', "
                         "pg_get_serial_sequence('command', 'key'), 'USAGE')"_s),
                 u"0"_s);
    }
};

QTEST_GUILESS_MAIN(TestPgStore)
#include "tst_pgstore.moc"
