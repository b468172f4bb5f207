// Moving an SQLite file into a team database (store/storecopy.h, `tasktrail-cli copy`): the
// same chain head and a chain that verifies on both ends, keys generated afterwards that do
// not collide with copied ones, a copy cancelled or killed midway that finishes when started
// again without duplicates, and the targets it refuses.
#include "backends.h"
#include "clirun.h"

#include "store/pgstore.h"
#include "store/recordstore.h"
#include "store/storecopy.h"

#include <QFile>
#include <QSignalSpy>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestStoreCopy : public QObject
{
    Q_OBJECT

private:
    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QString m_source; // demo data ingested into an SQLite file, written once
    QString m_head;

    std::unique_ptr<RecordStore> open(const QString &location,
                                      StoreAccess access = StoreAccess::ReadWrite)
    {
        QString error;
        auto store = openStore(location, &error, access);
        if (!store)
            qWarning("%s", qPrintable(error));
        return store;
    }

    // A copy of the source file, for a test that changes it.
    QString sourceCopy(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QFile::remove(path);
        return QFile::copy(m_source, path) ? path : QString();
    }

    // The tables whose rows must all arrive, counted on both ends.
    void compareCounts(const QString &from, const QString &to)
    {
        for (const QString &table :
             {u"task"_s, u"command"_s, u"log_line"_s, u"audit_event"_s, u"audit_link"_s,
              u"record_text"_s, u"record_seen"_s, u"finding"_s, u"evidence"_s}) {
            const QString sql = u"SELECT count(*) FROM "_s + table;
            QCOMPARE(m_db.sql(to, sql) + u' ' + table, m_db.sql(from, sql) + u' ' + table);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
        const QString demo = m_dir.filePath(u"demo"_s);
        auto run = CliRun::cli(
            {u"demo"_s, u"--out"_s, demo, u"--scale"_s, u"0.05"_s, u"--seed"_s, u"14"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        m_source = m_dir.filePath(u"source.db"_s);
        run = CliRun::cli({u"ingest"_s, u"--db"_s, m_source, demo});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        auto store = open(m_source, StoreAccess::ReadOnly);
        QVERIFY(store);
        m_head = QString::fromLatin1(store->evidenceHead());
        QVERIFY(!m_head.isEmpty());
        QVERIFY(m_db.sql(m_source, u"SELECT count(*) FROM audit_link"_s).toInt() > 0);
    }

    // The whole file arrives: the same chain head, a chain that verifies on both ends (by the
    // store and by `verify`), every row, and the file itself unchanged.
    void copyThenVerifyOnBothEnds()
    {
        const QString target = m_db.fresh(u"postgresql"_s);
        const auto run = CliRun::cli({u"copy"_s, u"--from"_s, m_source, u"--to"_s, target});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(m_head), qPrintable(run.out));
        QVERIFY2(run.err.contains(u"copy: log_line"_s), qPrintable(run.err));
        compareCounts(m_source, target);
        for (const QString &location : {m_source, target}) {
            auto store = open(location, StoreAccess::ReadOnly);
            QVERIFY(store);
            QCOMPARE(QString::fromLatin1(store->evidenceHead()), m_head);
            const EvidenceReport report = store->verifyEvidence(m_head.toLatin1());
            QVERIFY2(report.intact(), qPrintable(location + u": "_s + report.error));
            QVERIFY(report.entries > 500); // 608 entries for this demo
            const auto verify = CliRun::cli({u"verify"_s, u"--db"_s, location});
            QVERIFY2(verify.exitCode == 0, qPrintable(location + verify.out + verify.err));
        }
        // Copying again finds the work done and changes nothing.
        const auto again = CliRun::cli({u"copy"_s, u"--from"_s, m_source, u"--to"_s, target});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY2(again.out.contains(u"copied 0 rows (resumed)"_s), qPrintable(again.out));
        compareCounts(m_source, target);
    }

    // Keys the target generates after the copy continue after the copied ones.
    void generatedKeysFollowTheCopiedOnes()
    {
        const QString target = m_db.fresh(u"postgresql"_s);
        StoreCopy copy;
        QVERIFY2(copy.run(m_source, target), qPrintable(copy.errorString()));
        const qint64 highest = m_db.sql(target, u"SELECT max(key) FROM command"_s).toLongLong();
        QVERIFY(highest > 0);
        auto store = open(target);
        QVERIFY(store && store->beginBatch());
        const std::optional<qint64> key = store->commandKey(u"T-after-copy"_s, 1);
        QVERIFY2(key, qPrintable(store->errorString()));
        QCOMPARE(*key, highest + 1);
        QVERIFY(store->commitBatch());
    }

    // A copy cancelled midway leaves whole batches; the next one goes on from there and ends
    // with every row once and the same head.
    void resumesAfterCancel()
    {
        const QString target = m_db.fresh(u"postgresql"_s);
        StoreCopy first;
        first.setBatchRows(100);
        first.setProgressCallback([&first](const StoreCopyProgress &p) {
            if (p.table == u"log_line" && p.tableDone >= 1000)
                first.cancel();
        });
        QVERIFY(!first.run(m_source, target));
        QVERIFY(first.wasCancelled());
        QCOMPARE(first.errorString(), u"cancelled"_s);
        QCOMPARE(m_db.sql(target, u"SELECT count(*) FROM evidence"_s), u"0"_s);
        const qint64 lines = m_db.sql(target, u"SELECT count(*) FROM log_line"_s).toLongLong();
        QVERIFY(lines >= 1000 && lines % 100 == 0);
        QCOMPARE(m_db.sql(target, u"SELECT rows FROM copy_progress WHERE "
                                  "table_name = 'log_line'"_s)
                     .toLongLong(),
                 lines);

        StoreCopy second;
        QVERIFY2(second.run(m_source, target), qPrintable(second.errorString()));
        QVERIFY(second.resumed());
        QCOMPARE(QString::fromLatin1(second.head()), m_head);
        compareCounts(m_source, target);
        auto store = open(target, StoreAccess::ReadOnly);
        QVERIFY(store);
        QVERIFY(store->verifyEvidence({}).intact());
    }

    // SIGKILL in the middle of `copy`: the next `copy` finishes it.
    void resumesAfterKill()
    {
        const QString target = m_db.fresh(u"postgresql"_s);
        QProcess copy;
        copy.start(QStringLiteral(TASKTRAIL_CLI), {u"copy"_s, u"--from"_s, m_source, u"--to"_s,
                                                   target, u"--batch-rows"_s, u"5"_s});
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += copy.readAllStandardError()).contains("copy: log_line"),
                                 60000);
        ::kill(pid_t(copy.processId()), SIGKILL);
        QVERIFY(copy.waitForFinished(10000));
        QCOMPARE(copy.exitStatus(), QProcess::CrashExit);
        // Killed midway: not finished, and some rows in.
        QCOMPARE(m_db.sql(target, u"SELECT finished_at IS NULL FROM copy_source"_s), u"t"_s);
        QVERIFY(m_db.sql(target, u"SELECT count(*) FROM command"_s).toInt() > 0);

        const auto run = CliRun::cli({u"copy"_s, u"--from"_s, m_source, u"--to"_s, target});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(u"(resumed)"_s), qPrintable(run.out));
        compareCounts(m_source, target);
        auto store = open(target, StoreAccess::ReadOnly);
        QVERIFY(store);
        QCOMPARE(QString::fromLatin1(store->evidenceHead()), m_head);
        QVERIFY(store->verifyEvidence({}).intact());
    }

    // A database with records of its own is not a copy's target, and neither is one holding a
    // copy of another state of the file; a file path is not a team database.
    void refusesWhatItCannotCopyInto()
    {
        const QString used = m_db.fresh(u"postgresql"_s);
        QVERIFY(open(used));
        m_db.sql(used, u"INSERT INTO request (id) VALUES ('R-1')"_s);
        auto run = CliRun::cli({u"copy"_s, u"--from"_s, m_source, u"--to"_s, used});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"already holds data (table request has rows)"_s),
                 qPrintable(run.err));
        QCOMPARE(m_db.sql(used, u"SELECT count(*) FROM request"_s), u"1"_s);

        const QString changing = sourceCopy(u"changing.db"_s);
        const QString target = m_db.fresh(u"postgresql"_s);
        StoreCopy first;
        first.setBatchRows(50);
        first.setProgressCallback([&first](const StoreCopyProgress &p) {
            if (p.table == u"task")
                first.cancel();
        });
        QVERIFY(!first.run(changing, target));
        {
            auto store = open(changing);
            QVERIFY(store && store->beginBatch());
            RequestRecord request;
            request.id = u"R-later"_s;
            QVERIFY(store->writeRequest(request) && store->commitBatch());
        }
        StoreCopy second;
        QVERIFY(!second.run(changing, target));
        QVERIFY2(second.errorString().contains(u"another state of the file"_s),
                 qPrintable(second.errorString()));

        run = CliRun::cli({u"copy"_s, u"--from"_s, m_source, u"--to"_s, m_source});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"--to must name a PostgreSQL database"_s), qPrintable(run.err));
    }

    // The job runs the copy on its own thread and reports progress and the end.
    void jobReportsProgress()
    {
        const QString target = m_db.fresh(u"postgresql"_s);
        StoreCopyJob job;
        job.setBatchRows(1000);
        QSignalSpy progress(&job, &StoreCopyJob::progress);
        QSignalSpy finished(&job, &StoreCopyJob::finished);
        QVERIFY(job.start(m_source, target));
        QVERIFY(!job.start(m_source, target));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        QCOMPARE(finished.constFirst().constFirst().toString(), QString());
        QVERIFY(!job.isRunning());
        QVERIFY(progress.size() > 10);
        const auto last = progress.constLast().constFirst().value<StoreCopyProgress>();
        QCOMPARE(last.done, last.total);
        QCOMPARE(last.table, u"evidence"_s);
    }
};

QTEST_GUILESS_MAIN(TestStoreCopy)
#include "tst_storecopy.moc"
