// kill -9 in the middle of a multi-batch ingest, then the same ingest again: the database must
// be the one a clean ingest of the same input gives, table by table, and verify must pass. On
// both backends: a kill leaves exactly the batches that committed.
#include "backends.h"
#include "clirun.h"
#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "sqlscalar.h"
#include "store/recordstore.h"
#include "store/sqliteschema.h"
#include "tabledigests.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail::CliRun;

using namespace Tasktrail::TableDigests;

class TestKilledIngest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedThenReingestedEqualsClean();
    void runsCommittedBeforeTheCheckAreCheckedNext();
    void killLeavesTheCommittedBatches_data() { Backends::addBackendRows(); }
    void killLeavesTheCommittedBatches();
    void killLeavesWholeKeyOrderedBatches_data() { Backends::addBackendRows(); }
    void killLeavesWholeKeyOrderedBatches();

private:
    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QString m_input;
    int m_dataFiles = 0;
};

void TestKilledIngest::initTestCase()
{
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
    QVERIFY(m_dir.isValid());
    m_input = m_dir.filePath(u"demo"_s);
    Tasktrail::DemoGenerator generator;
    QVERIFY2(generator.generate({m_input, 0.1, 424242}, &error), qPrintable(error));
    QDirIterator it(m_input, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        m_dataFiles += it.next().endsWith(u".toml"_s) ? 0 : 1;
    QVERIFY(m_dataFiles > 3);
}

void TestKilledIngest::killedThenReingestedEqualsClean()
{
    const QString clean = m_dir.filePath(u"clean.db"_s);
    const Run full = cli({u"ingest"_s, u"--db"_s, clean, u"--quiet"_s, m_input});
    QVERIFY2(full.exitCode == 0, qPrintable(full.err));

    // Small log batches: many commits, so the kill lands between two of them.
    const QString killed = m_dir.filePath(u"killed.db"_s);
    QProcess ingest;
    ingest.start(QStringLiteral(TASKTRAIL_CLI), {u"ingest"_s, u"--db"_s, killed, u"--quiet"_s,
                                                 u"--batch-lines"_s, u"10"_s, m_input});
    QVERIFY(ingest.waitForStarted());
    // Killed once a batch of runs has committed: those runs are then in the database, but
    // the check that ends an ingest never saw them.
    const auto committedTasks = [&killed] {
        if (!QFile::exists(killed))
            return qint64(0);
        return Db(killed).number("SELECT count(*) FROM task");
    };
    QVERIFY(QTest::qWaitFor(
        [&] { return ingest.state() != QProcess::Running || committedTasks() >= 1; }, 60000));
    const bool running = ingest.state() == QProcess::Running;
    ingest.kill();
    QVERIFY(ingest.waitForFinished());
    QVERIFY2(running, "the ingest finished before it could be killed");
    {
        Db db(killed);
        // At least one batch committed, and the kill came before the ingest finished: files
        // were left unread, no run was checked.
        QVERIFY(db.number("SELECT count(*) FROM evidence") >= 1);
        QVERIFY(db.number("SELECT count(*) FROM task") >= 1);
        QVERIFY2(db.number("SELECT count(*) FROM ingested_file") < m_dataFiles,
                 "every file was read before the kill");
        QCOMPARE(db.number("SELECT count(*) FROM task_check"), 0);
        // A first load builds the runs table's indexes at its end, which this one never
        // reached.
        QCOMPARE(db.number(Tasktrail::SqlScalar::runsIndexCount), 0);
    }

    const Run again = cli({u"ingest"_s, u"--db"_s, killed, u"--quiet"_s, m_input});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QCOMPARE(Db(killed).number(Tasktrail::SqlScalar::runsIndexCount),
             Tasktrail::deferredIndexCount);
    QCOMPARE(Db(clean).number(Tasktrail::SqlScalar::runsIndexCount), Tasktrail::deferredIndexCount);

    // fts5vocab tables to compare the indexes by content; made in copies, the databases
    // themselves stay as the ingests left them.
    QMap<QString, TableDigest> expected;
    QMap<QString, TableDigest> actual;
    for (const QString &path : {clean, killed}) {
        const QString copy = path + u".compare"_s;
        QVERIFY(QFile::copy(path, copy));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(copy.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db,
                              "CREATE VIRTUAL TABLE fts5vocab_log_fts USING fts5vocab(log_fts, "
                              "instance); CREATE VIRTUAL TABLE fts5vocab_record_fts USING "
                              "fts5vocab(record_fts, instance);",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close(db);
        (path == clean ? expected : actual) = digests(copy);
    }
    QVERIFY(expected.size() > 20);
    QCOMPARE(actual.keys(), expected.keys());
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const TableDigest got = actual.value(it.key());
        QVERIFY2(got.rows == it->rows,
                 qPrintable(u"%1: %2 rows, a clean ingest has %3"_s.arg(it.key()).arg(got.rows).arg(
                     it->rows)));
        QVERIFY2(got.sha256 == it->sha256,
                 qPrintable(u"%1: content differs from a clean ingest"_s.arg(it.key())));
    }
    const Run verify = cli({u"verify"_s, u"--db"_s, killed});
    QVERIFY2(verify.exitCode == 0, qPrintable(verify.out.right(2000)));
    QVERIFY(verify.out.endsWith(u"intact\n"_s));
}

// What a kill between the last batch and the check leaves: runs stored, never checked, and
// their file recorded as read, so ingesting it again reads nothing. The next ingest of
// anything checks them.
void TestKilledIngest::runsCommittedBeforeTheCheckAreCheckedNext()
{
    const QString db = m_dir.filePath(u"unchecked.db"_s);
    {
        QString error;
        auto store = Tasktrail::openStore(db, &error);
        QVERIFY2(store, qPrintable(error));
        Tasktrail::Ingestor ingestor(*store); // stores, but does not check
        QVERIFY(ingestor.ingest({m_input}));
    }
    QCOMPARE(Db(db).number("SELECT count(*) FROM task_check"), 0);
    const qint64 tasks = Db(db).number("SELECT count(*) FROM task");
    QVERIFY(tasks > 0);
    const QString other = m_dir.filePath(u"other.jsonl"_s);
    QFile f(other);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"tasktrail":1,"kind":"request","id":"R-other","text":"unrelated"})"
            "\n");
    f.close();
    const Run next = cli({u"ingest"_s, u"--db"_s, db, u"--quiet"_s, other});
    QVERIFY2(next.exitCode == 0, qPrintable(next.err));
    QCOMPARE(Db(db).number("SELECT count(*) FROM task_check"), tasks);
}

// One command's long log, ingested ten lines to a transaction and killed after some have
// committed: what is stored is a whole number of batches, every line of them in the evidence
// chain, and the same ingest again completes it to what a clean ingest stores.
void TestKilledIngest::killLeavesTheCommittedBatches()
{
    QFETCH(QString, backend);
    constexpr int lines = 100000;
    const QString log = m_dir.filePath(u"long-%1.log"_s.arg(backend));
    {
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("##[tasktrail] task=T-long command=1\n");
        for (int i = 1; i <= lines; ++i)
            f.write("2026-03-01T12:00:00.000Z step " + QByteArray::number(i) + " of the build\n");
    }
    // Lines, their ids, texts and times, as one comparable value on either backend.
    const QString linesSql = u"SELECT count(*) || ':' || coalesce(sum(id), 0) || ':' || "
                             "coalesce(sum(length(text)), 0) || ':' || coalesce(sum(ts), 0) "
                             "FROM log_line"_s;
    const QString killed = m_db.fresh(backend);
    QProcess ingest;
    ingest.start(QStringLiteral(TASKTRAIL_CLI),
                 {u"ingest"_s, u"--db"_s, killed, u"--quiet"_s, u"--batch-lines"_s, u"10"_s, log});
    QVERIFY(ingest.waitForStarted());
    const auto stored = [&] {
        return m_db.sql(killed, u"SELECT count(*) FROM log_line"_s).toInt();
    };
    QVERIFY(QTest::qWaitFor([&] { return ingest.state() != QProcess::Running || stored() >= 30; },
                            60000));
    const bool running = ingest.state() == QProcess::Running;
    ingest.kill();
    QVERIFY(ingest.waitForFinished());
    QVERIFY2(running, "the ingest finished before it could be killed");

    const int kept = stored();
    QVERIFY(kept >= 30 && kept < lines);
    QCOMPARE(kept % 10, 0); // whole batches only
    QCOMPARE(m_db.sql(killed, u"SELECT max(id) - min(id) + 1 FROM log_line"_s).toInt(), kept);
    {
        QString error;
        auto store = Tasktrail::openStore(killed, &error);
        QVERIFY2(store, qPrintable(error));
        const Tasktrail::EvidenceReport report = store->verifyEvidence({});
        QVERIFY2(report.problems.isEmpty(), qPrintable(report.problems.value(0).problem));
        // verify compared every stored line with the chain: no line is outside a committed
        // batch's entry. The store reads back the whole batches.
        QCOMPARE(store->logLines(*store->commandKey(u"T-long"_s, 1), 1, -1).size(), kept);

        // The same file again (in-process: the ingest stores without the check that ends the
        // CLI's) completes it.
        Tasktrail::Ingestor again(*store);
        QVERIFY2(again.ingest({log}), qPrintable(again.errorString()));
        QVERIFY(store->verifyEvidence({}).problems.isEmpty());
    }
    const QString clean = m_db.fresh(backend);
    {
        QString error;
        auto store = Tasktrail::openStore(clean, &error);
        QVERIFY2(store, qPrintable(error));
        Tasktrail::Ingestor once(*store);
        QVERIFY(once.ingest({log}));
    }
    QCOMPARE(m_db.sql(clean, u"SELECT count(*) FROM log_line"_s).toInt(), lines);
    QCOMPARE(m_db.sql(killed, linesSql), m_db.sql(clean, linesSql));
}

// Tasktrail records are written a batch of 8,000 lines at a time, each batch in its tasks'
// order: a kill leaves whole batches, and they are the file's first lines, whatever order their
// tasks were written in.
void TestKilledIngest::killLeavesWholeKeyOrderedBatches()
{
    QFETCH(QString, backend);
    constexpr int tasks = 24000;
    const int batch = Tasktrail::IngestOptions().recordBatch;
    // Task numbers in an order unlike their ids' (a permutation of 0 to 23,999).
    const auto number = [](qint64 line) { return (line * 7919) % tasks; };
    const QString file = m_dir.filePath(u"tasks-%1.jsonl"_s.arg(backend));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (qint64 line = 0; line < tasks; ++line)
            f.write(
                R"({"tasktrail":1,"kind":"task","id":"T-)" + QByteArray::number(number(line)) +
                R"(","repo":"acme/web","state":"completed","commands":[{"seq":1,"argv":["make"]}]})"
                "\n");
    }
    // The tasks stored, as one comparable value on either backend.
    const QString storedSql = u"SELECT count(*) || ':' || coalesce(sum(CAST(substr(id, 3) AS "
                              "BIGINT)), 0) || ':' || coalesce(sum(CAST(substr(id, 3) AS BIGINT) "
                              "* CAST(substr(id, 3) AS BIGINT)), 0) FROM task"_s;
    const auto firstLines = [&number](qint64 lines) {
        qint64 sum = 0;
        qint64 squares = 0;
        for (qint64 line = 0; line < lines; ++line) {
            sum += number(line);
            squares += number(line) * number(line);
        }
        return u"%1:%2:%3"_s.arg(lines).arg(sum).arg(squares);
    };
    const QString killed = m_db.fresh(backend);
    QProcess ingest;
    ingest.start(QStringLiteral(TASKTRAIL_CLI),
                 {u"ingest"_s, u"--db"_s, killed, u"--quiet"_s, u"--key-order"_s, file});
    QVERIFY(ingest.waitForStarted());
    const auto stored = [&] { return m_db.sql(killed, u"SELECT count(*) FROM task"_s).toInt(); };
    QVERIFY(QTest::qWaitFor(
        [&] { return ingest.state() != QProcess::Running || stored() >= batch; }, 60000));
    const bool running = ingest.state() == QProcess::Running;
    ingest.kill();
    QVERIFY(ingest.waitForFinished());
    QVERIFY2(running, "the ingest finished before it could be killed");

    const int kept = stored();
    QVERIFY(kept >= batch && kept < tasks);
    QCOMPARE(kept % batch, 0); // whole batches only
    QCOMPARE(m_db.sql(killed, storedSql), firstLines(kept));
    QCOMPARE(m_db.sql(killed, u"SELECT count(*) FROM command"_s).toInt(), kept);
    QString error;
    auto store = Tasktrail::openStore(killed, &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY(store->verifyEvidence({}).problems.isEmpty());
    // The same file again completes it.
    Tasktrail::Ingestor again(*store);
    Tasktrail::IngestOptions keyOrder;
    keyOrder.keyOrderedRecords = true;
    again.setOptions(keyOrder);
    QVERIFY2(again.ingest({file}), qPrintable(again.errorString()));
    QCOMPARE(again.counts().duplicates, kept);
    QCOMPARE(again.counts().ingested, tasks - kept);
    QCOMPARE(m_db.sql(killed, storedSql), firstLines(tasks));
    QVERIFY(store->verifyEvidence({}).problems.isEmpty());
}

QTEST_GUILESS_MAIN(TestKilledIngest)
#include "tst_killedingest.moc"
