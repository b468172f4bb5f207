// RunKeys: the keys of an ingest run, kept in a temporary database a page at a time.
#include "store/runkeys.h"

#include <QTest>

#include <sqlite3.h>

#include <csignal>

#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

template<typename Key, typename Next> QList<QList<Key>> pages(Next next)
{
    QList<QList<Key>> all;
    RunKeys::Walk<Key> walk;
    for (int guard = 0; guard < 1000; ++guard) {
        const QList<Key> page = next(walk);
        if (page.isEmpty())
            break;
        all << page;
    }
    return all;
}

} // namespace

class TestRunKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tasksAreASetWalkedInOrder()
    {
        RunKeys keys;
        QVERIFY2(keys.ok(), qPrintable(keys.errorString()));
        for (const QString &id : {u"T-7"_s, u"T-2"_s, u"T-9"_s, u"T-2"_s, u""_s, u"T-1"_s, u"T-7"_s,
                                  u"T-3"_s, u"T-10"_s})
            keys.addTask(id);
        keys.addTasks({u"T-4"_s, u"T-9"_s});
        QCOMPARE(keys.taskCount(), qint64(7));
        const auto walked =
            pages<QString>([&keys](RunKeys::TaskWalk &walk) { return keys.nextTasks(walk, 3); });
        QCOMPARE(walked,
                 (QList<QStringList>{
                     {u"T-1"_s, u"T-10"_s, u"T-2"_s}, {u"T-3"_s, u"T-4"_s, u"T-7"_s}, {u"T-9"_s}}));
        QCOMPARE(keys.allTasks(), walked.at(0) + walked.at(1) + walked.at(2));
        QVERIFY(keys.ok());
    }

    void aWalkOfWholePagesEndsOnAnEmptyOne()
    {
        RunKeys keys;
        keys.addTasks({u"a"_s, u"b"_s, u"c"_s, u"d"_s});
        RunKeys::TaskWalk walk;
        QCOMPARE(keys.nextTasks(walk, 2), (QStringList{u"a"_s, u"b"_s}));
        QVERIFY(!walk.done);
        QCOMPARE(keys.nextTasks(walk, 2), (QStringList{u"c"_s, u"d"_s}));
        QVERIFY(!walk.done);
        QCOMPARE(keys.nextTasks(walk, 2), QStringList());
        QVERIFY(walk.done);
        QCOMPARE(keys.nextTasks(walk, 2), QStringList());
        // A key added behind a walk's position is not seen by it; one ahead would be.
        RunKeys::TaskWalk again;
        QCOMPARE(keys.nextTasks(again, 1), QStringList{u"a"_s});
        keys.addTask(u"0"_s);
        keys.addTask(u"b2"_s);
        QCOMPARE(keys.nextTasks(again, 10), (QStringList{u"b"_s, u"b2"_s, u"c"_s, u"d"_s}));
    }

    void pullRequestsOrderByRepositoryThenNumber()
    {
        RunKeys keys;
        keys.addPullRequest(u"acme/web"_s, 10);
        keys.addPullRequest(u"acme/api"_s, 7);
        keys.addPullRequest(u"acme/web"_s, 9);
        keys.addPullRequest(u"acme/web"_s, 10);
        keys.addPullRequest(u"acme/api"_s, -1);
        keys.addPullRequest(QString(), 3); // no repository: kept as the empty one
        QCOMPARE(keys.pullRequestCount(), qint64(5));
        using Key = std::pair<QString, int>;
        const auto walked = pages<Key>(
            [&keys](RunKeys::PullRequestWalk &walk) { return keys.nextPullRequests(walk, 2); });
        QCOMPARE(walked, (QList<QList<Key>>{{{u""_s, 3}, {u"acme/api"_s, -1}},
                                            {{u"acme/api"_s, 7}, {u"acme/web"_s, 9}},
                                            {{u"acme/web"_s, 10}}}));
    }

    void checkHeadsNeedBothParts()
    {
        RunKeys keys;
        keys.addCheckHead(u"acme/web"_s, u"bbb"_s);
        keys.addCheckHead(u"acme/web"_s, u"aaa"_s);
        keys.addCheckHead(u"acme/api"_s, u"ccc"_s);
        keys.addCheckHead(u"acme/web"_s, u"aaa"_s);
        keys.addCheckHead(u""_s, u"ddd"_s);
        keys.addCheckHead(u"acme/web"_s, QString());
        QCOMPARE(keys.checkHeadCount(), qint64(3));
        using Key = std::pair<QString, QString>;
        const auto walked = pages<Key>(
            [&keys](RunKeys::CheckHeadWalk &walk) { return keys.nextCheckHeads(walk, 5); });
        QCOMPARE(walked, (QList<QList<Key>>{{{u"acme/api"_s, u"ccc"_s},
                                             {u"acme/web"_s, u"aaa"_s},
                                             {u"acme/web"_s, u"bbb"_s}}}));
    }

    void clearForgetsEveryKind()
    {
        RunKeys keys;
        keys.addTask(u"T-1"_s);
        keys.addPullRequest(u"acme/web"_s, 1);
        keys.addCheckHead(u"acme/web"_s, u"aaa"_s);
        keys.clear();
        QCOMPARE(keys.taskCount(), qint64(0));
        QCOMPARE(keys.pullRequestCount(), qint64(0));
        QCOMPARE(keys.checkHeadCount(), qint64(0));
        keys.addTask(u"T-2"_s);
        QCOMPARE(keys.allTasks(), QStringList{u"T-2"_s});
    }

    // The point of the class: the keys go to the temporary file, not into memory. SQLite's
    // own count of what it has allocated stays near the page cache while the keys grow far
    // past it.
    void manyKeysStayInTheFileNotInMemory()
    {
        const sqlite3_int64 before = sqlite3_memory_used();
        RunKeys keys(1024);
        const int count = 200000;
        qint64 keyBytes = 0;
        for (int i = 0; i < count; ++i) {
            const QString id = u"%1-%2"_s.arg(i * 7919 % count, 8, 10, QChar(u'0'))
                                   .arg(u"4b2c6a1e-55f0-4c3d-9f7e-0a1b2c3d4e5f"_s);
            keyBytes += id.toUtf8().size();
            keys.addTask(id);
        }
        QVERIFY2(keys.ok(), qPrintable(keys.errorString()));
        QCOMPARE(keys.taskCount(), qint64(count));
        const sqlite3_int64 used = sqlite3_memory_used() - before;
        QVERIFY2(keyBytes > 8 * 1024 * 1024, qPrintable(QString::number(keyBytes)));
        // 1 MiB of page cache, and SQLite's own structures: well under the keys' size.
        QVERIFY2(used < 3 * 1024 * 1024,
                 qPrintable(u"%1 bytes held for %2 bytes of keys"_s.arg(used).arg(keyBytes)));
        // Read back in order, a page at a time, every key once.
        RunKeys::TaskWalk walk;
        QString previous;
        int seen = 0;
        while (!walk.done) {
            const QStringList page = keys.nextTasks(walk, 50000);
            for (const QString &id : page) {
                QVERIFY(previous < id);
                previous = id;
                ++seen;
            }
        }
        QCOMPARE(seen, count);
        QVERIFY(keys.ok());
    }

    // A key that cannot be written is an error the run sees, not a key silently lost. The
    // file-size limit makes the temporary file's writes fail once the cache spills.
    void aKeyThatCannotBeWrittenIsAnError()
    {
        struct rlimit before;
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &before), 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        RunKeys keys(64);
        QVERIFY2(keys.ok(), qPrintable(keys.errorString()));
        struct rlimit small = before;
        small.rlim_cur = 16 * 1024;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        int added = 0;
        for (; added < 100000 && keys.ok(); ++added)
            keys.addTask(u"task-%1-4b2c6a1e-55f0-4c3d-9f7e-0a1b2c3d4e5f"_s.arg(added));
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &before), 0);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY2(!keys.ok(), qPrintable(u"%1 keys added"_s.arg(added)));
        QVERIFY2(keys.errorString().startsWith(u"cannot keep a task id of the run: "_s),
                 qPrintable(keys.errorString()));
        // The first error stays; a walk ends instead of going on with what is left.
        const QString first = keys.errorString();
        keys.addTask(u"one more"_s);
        QCOMPARE(keys.errorString(), first);
        RunKeys::TaskWalk walk;
        for (int pages = 0; !walk.done && pages < 1000; ++pages)
            keys.nextTasks(walk, 1000);
        QVERIFY(walk.done);
        // The next run starts clean: clear() takes a new file and forgets the error.
        keys.clear();
        QVERIFY2(keys.ok(), qPrintable(keys.errorString()));
        keys.addTask(u"T-next"_s);
        QCOMPARE(keys.allTasks(), QStringList{u"T-next"_s});
        QVERIFY(keys.ok());
    }
};

QTEST_GUILESS_MAIN(TestRunKeys)
#include "tst_runkeys.moc"
