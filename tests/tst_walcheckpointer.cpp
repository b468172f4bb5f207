// The write-ahead log copied into the file on a thread of its own (store/walcheckpointer.h):
// the database is the one SQLite's automatic checkpoint gives, the thread does the copying,
// and the log stays bounded.
#include "tabledigests.h"

#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "store/sqliteschema.h"
#include "store/sqlitestore.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestWalCheckpointer final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_demo;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // Ingests the demo set into a fresh `name` with the given checkpoint frames (0: SQLite's
    // automatic checkpoint); the checkpoints run, and the log's size before the store closed.
    struct Outcome
    {
        std::pair<qint64, qint64> checkpoints;
        qint64 walBytes = 0;
        qint64 dbBytes = 0;
    };
    std::optional<Outcome> ingest(const QString &name, int backgroundFrames, int writerFrames)
    {
        SqliteStore store;
        if (!store.open(path(name)))
            return std::nullopt;
        store.setWalCheckpointFrames(backgroundFrames, writerFrames);
        Ingestor ingestor(store);
        if (!ingestor.ingest({m_demo})) {
            qWarning("ingest: %s", qPrintable(ingestor.errorString()));
            return std::nullopt;
        }
        // The log file keeps the largest size it reached until the last connection closes.
        return Outcome{store.walCheckpoints(), QFileInfo(path(name) + u"-wal"_s).size(),
                       QFileInfo(path(name)).size()};
    }

    // SQLite's automatic checkpoint: the database and the log size to compare with.
    std::optional<Outcome> m_automatic;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_demo = path(u"demo"_s);
        QString error;
        DemoGenerator generator;
        QVERIFY2(generator.generate({m_demo, 1.0, 20261204}, &error), qPrintable(error));
        m_automatic = ingest(u"automatic.db"_s, 0, 0);
        QVERIFY(m_automatic);
        QCOMPARE(m_automatic->checkpoints, std::make_pair(qint64(0), qint64(0)));
        QVERIFY(m_automatic->walBytes > 0);
    }

    void threadCopiesTheLogToTheSameDatabase()
    {
        // The writer kept out of it: every copy is the thread's.
        const auto threaded = ingest(u"threaded.db"_s, 1000, std::numeric_limits<int>::max());
        QVERIFY(threaded);
        QVERIFY2(threaded->checkpoints.first > 0,
                 qPrintable(QString::number(threaded->checkpoints.first)));
        QCOMPARE(threaded->checkpoints.second, 0);
        // The thread copied pages into the file while the store was open: a connection that
        // had not read yet found no log and copied nothing, which left the file at one page.
        QVERIFY2(threaded->dbBytes > 64 * qint64(sqlitePageSize),
                 qPrintable(u"%1 bytes in the file before it closed"_s.arg(threaded->dbBytes)));

        // Closed: the last connection copied the rest and removed the log.
        QVERIFY(!QFileInfo::exists(path(u"threaded.db-wal"_s)));
        const auto left = TableDigests::digests(path(u"threaded.db"_s));
        const auto right = TableDigests::digests(path(u"automatic.db"_s));
        QVERIFY(!left.isEmpty());
        QCOMPARE(left.keys(), right.keys());
        for (auto it = left.cbegin(); it != left.cend(); ++it)
            QVERIFY2(it.value() == right.value(it.key()), qPrintable(it.key()));

        SqliteStore reopened;
        QVERIFY(reopened.open(path(u"threaded.db"_s), StoreAccess::ReadOnly));
        const EvidenceReport report = reopened.verifyEvidence({});
        QVERIFY(report.entries > 0);
        QVERIFY2(
            report.intact(),
            qPrintable(report.problems.isEmpty() ? report.error : report.problems.first().problem));
    }

    // The log restarts from its beginning only once it is wholly copied, which the thread
    // alone rarely manages while the writer goes on. Past writerFrames the writer copies what
    // is left after its commit: the log never holds more than writerFrames pages and one
    // commit, while SQLite's automatic checkpoint holds at least the largest commit.
    void writerBoundsTheLog()
    {
        constexpr int writerFrames = 256;
        const auto bounded = ingest(u"bounded.db"_s, 64, writerFrames);
        QVERIFY(bounded);
        QVERIFY(bounded->checkpoints.first > 0);
        QVERIFY(bounded->checkpoints.second > 0);
        const qint64 frameBytes = 24 + sqlitePageSize; // a frame header and a page
        QVERIFY2(
            bounded->walBytes <= m_automatic->walBytes + writerFrames * frameBytes,
            qPrintable(u"log of %1 bytes, %2 with the automatic checkpoint"_s.arg(bounded->walBytes)
                           .arg(m_automatic->walBytes)));
    }
};

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "tst_walcheckpointer.moc"
