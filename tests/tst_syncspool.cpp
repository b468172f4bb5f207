// The sync's temporary folders: one per run under a known parent, removed when the run ends;
// another run's folder is left alone while that run lives.
#include "sync/syncspool.h"

#include <QDir>
#include <QFile>
#include <QLockFile>
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

    void defaultParentIsTheUsersUnderTheTemporaryFolder()
    {
        QVERIFY2(SyncSpool::defaultParent().startsWith(QDir::tempPath() % u"/tasktrail-sync-"_s),
                 qPrintable(SyncSpool::defaultParent()));
    }

    // The temporary folder is shared: a link named like a run's folder, placed by anyone, is
    // never followed, so what it points to is not removed.
    void aLinkIsNotFollowed()
    {
        QTemporaryDir parent;
        QTemporaryDir victim;
        QFile kept(victim.filePath(u"kept.txt"_s));
        QVERIFY(kept.open(QIODevice::WriteOnly));
        kept.write("kept");
        kept.close();
        QVERIFY(QFile::link(victim.path(), parent.filePath(u"run-link00"_s)));
        {
            // The lock of a run that is gone, as a killed sync leaves it.
            QLockFile gone(parent.filePath(u"run-link00.lock"_s));
            QVERIFY(gone.tryLock(0));
            QVERIFY(QFile::exists(parent.filePath(u"run-link00.lock"_s)));
            QFile lock(parent.filePath(u"run-link00.lock"_s));
            QVERIFY(lock.open(QIODevice::ReadOnly));
            const QByteArray text = lock.readAll();
            lock.close();
            QVERIFY(QFile::remove(lock.fileName()));
            gone.unlock();
            QVERIFY(lock.open(QIODevice::WriteOnly));
            lock.write(u"%1\n"_s.arg(std::numeric_limits<int>::max()).toLatin1() +
                       text.mid(text.indexOf('\n') + 1));
        }
        SyncSpool spool;
        QString error;
        QVERIFY2(spool.open(parent.path(), &error), qPrintable(error));
        QCOMPARE(spool.removedStale(), 0);
        QVERIFY(QFileInfo::exists(victim.filePath(u"kept.txt"_s)));
    }

    // A parent that is a link is refused, and the parent is made private to the user.
    void theParentIsTheUsersOwn()
    {
        QTemporaryDir base;
        const QString real = base.filePath(u"real"_s);
        QVERIFY(QDir().mkpath(real));
        const QString link = base.filePath(u"link"_s);
        QVERIFY(QFile::link(real, link));
        QString error;
        {
            SyncSpool spool;
            QVERIFY(!spool.open(link, &error));
            QVERIFY2(error.contains(u"not this user's own folder"_s), qPrintable(error));
        }
        SyncSpool spool;
        QVERIFY2(spool.open(real, &error), qPrintable(error));
        QCOMPARE(QFileInfo(real).permissions() &
                     (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
                 QFile::Permissions());
    }
};

QTEST_GUILESS_MAIN(TestSyncSpool)
#include "tst_syncspool.moc"
