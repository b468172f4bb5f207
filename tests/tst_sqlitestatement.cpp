// A prepared statement (store/sqlitestatement.h) that failed to prepare: SQLite's interrupt,
// which a view's stale query gets from the GUI thread, fails a prepare while another statement
// of the connection runs. The statement is then invalid and harmless, and prepares again.
#include "store/sqlitestatement.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestSqliteStatement final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void interruptedPrepareIsInvalidAndPreparesAgain()
    {
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(":memory:", &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        {
            SqliteStatement running(db, "SELECT x FROM t ORDER BY x");
            QVERIFY(running.next());
            sqlite3_interrupt(db);
            const char *sql = "SELECT count(*) FROM t WHERE x > ?";
            SqliteStatement later(db, sql);
            QVERIFY(!later.isValid());
            QCOMPARE(later.lastResult(), SQLITE_INTERRUPT);
            // Bound, stepped and reset as nothing; the prepare's result stays.
            later.bind(1, qint64(1));
            QVERIFY(!later.next());
            later.reset();
            QVERIFY(!later.exec());
            QCOMPARE(later.lastResult(), SQLITE_INTERRUPT);
            QCOMPARE(later.columnCount(), 0);
            QVERIFY(later.expandedSql().isEmpty());

            // The running statement was interrupted too; once it is reset, nothing runs and
            // the same object prepares again.
            QVERIFY(!running.next());
            running.reset();
            QVERIFY(later.prepare(db, sql));
            QVERIFY(later.isValid());
            later.bind(1, qint64(1));
            QVERIFY(later.next());
            QCOMPARE(later.int64(0), qint64(2));
            later.reset();
            // A valid statement is kept as it is, bindings cleared by the reset.
            QVERIFY(later.prepare(db, "SELECT 'not this one'"));
            later.bind(1, qint64(2));
            QVERIFY(later.next());
            QCOMPARE(later.int64(0), qint64(1));
            later.reset();
        }
        sqlite3_close(db);
    }
};

QTEST_GUILESS_MAIN(TestSqliteStatement)
#include "tst_sqlitestatement.moc"
