// configureStoresForProcess(), which a program's main() calls before any store is opened: in a
// process of its own, since it changes SQLite for the whole process and only before first use.
#include "records/request.h"
#include "store/recordstore.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Tasktrail;
using namespace Qt::StringLiterals;

class TestStoreProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memoryStatisticsAreOffForTheWholeProcess();
};

// SQLite's memory statistics are what its per-allocation lock guards: with them off, a store
// that wrote records has made SQLite count nothing. Once SQLite is in use, the setting can no
// longer change, and the call says so.
void TestStoreProcess::memoryStatisticsAreOffForTheWholeProcess()
{
    QVERIFY(configureStoresForProcess());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    auto store = openStore(dir.filePath(u"t.db"_s), &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY(store->beginBatch());
    RequestRecord request;
    request.id = u"R-1"_s;
    request.text = u"Bump lodash"_s;
    QVERIFY2(store->writeRequest(request), qPrintable(store->errorString()));
    QVERIFY(store->commitBatch());
    QCOMPARE(sqlite3_memory_used(), sqlite3_int64(0));
    QVERIFY(!configureStoresForProcess());
}

QTEST_GUILESS_MAIN(TestStoreProcess)
#include "tst_storeprocess.moc"
