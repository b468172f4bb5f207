// The sync's temporary folders: one per run under a known parent, removed when the run ends;
// another run's folder is left alone while that run lives.
#include "sync/syncspool.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestSyncSpool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void removedWhenTheRunEnds()
    {
        QTemporaryDir parent;
        QString path;
        {
            SyncSpool spool;
            QString error;
            QVERIFY2(spool.open(parent.path(), &error), qPrintable(error));
            path = spool.path();
            QVERIFY(path.startsWith(parent.path() % u"/run-"_s));
            QFile file(spool.filePath(u"doc.json"_s));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{}");
        }
        QVERIFY(!QFileInfo::exists(path));
        QCOMPARE(QDir(parent.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
                 QStringList());
    }

    // Two runs at once (the app and the CLI): neither takes the other's folder for stale.
    void aLiveRunsFolderStays()
    {
        QTemporaryDir parent;
        SyncSpool first;
        QString error;
        QVERIFY2(first.open(parent.path(), &error), qPrintable(error));
        SyncSpool second;
        QVERIFY2(second.open(parent.path(), &error), qPrintable(error));
        QCOMPARE(second.removedStale(), 0);
        QVERIFY(QFileInfo(first.path()).isDir());
        QVERIFY(first.path() != second.path());
    }

    void defaultParentIsUnderTheTemporaryFolder()
    {
        QCOMPARE(SyncSpool::defaultParent(), QDir::tempPath() % u"/tasktrail-sync"_s);
    }
};

QTEST_GUILESS_MAIN(TestSyncSpool)
#include "tst_syncspool.moc"
