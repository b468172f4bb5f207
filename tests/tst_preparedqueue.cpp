#include "ingest/preparedqueue.h"

#include <QTest>

#include <QScopeGuard>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace Tasktrail;

class TestPreparedQueue final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversEverythingInOrder();
    void fastProducerWaitsForTheConsumer();
    void blockedProducerWakesOncePerHalfQueue();
    void byteBoundLetsOneLargeItemThrough();
    void stopEndsABlockedProducer();
    void emptyProducer();
    void takenItemsAreFreedByTheProducer();
};

namespace {

// Records the thread each item is destroyed on (a moved-from item records nothing).
struct FreedOn
{
    std::mutex mutex;
    std::vector<std::thread::id> threads;
};

struct Tracked
{
    std::shared_ptr<FreedOn> log;
    int value = 0;

    Tracked(std::shared_ptr<FreedOn> l, int v)
        : log(std::move(l))
        , value(v)
    {}
    Tracked(Tracked &&) = default;
    Tracked &operator=(Tracked &&) = default;
    ~Tracked()
    {
        if (!log)
            return;
        std::lock_guard lock(log->mutex);
        log->threads.push_back(std::this_thread::get_id());
    }
};

} // namespace

void TestPreparedQueue::deliversEverythingInOrder()
{
    PreparedQueue<int> queue(64, 1 << 20);
    queue.start([](const PreparedQueue<int>::Push &push) {
        for (int i = 0; i < 100000; ++i) {
            if (!push(i, 8))
                return;
        }
    });
    int expected = 0;
    while (std::optional<int> item = queue.pop()) {
        QCOMPARE(*item, expected);
        ++expected;
    }
    QCOMPARE(expected, 100000);
    QVERIFY(queue.peakItems() <= 64);
}

void TestPreparedQueue::fastProducerWaitsForTheConsumer()
{
    std::atomic_int pushed{0};
    PreparedQueue<int> queue(16, 1 << 20);
    queue.start([&pushed](const PreparedQueue<int>::Push &push) {
        for (int i = 0; i < 1000; ++i) {
            if (!push(i, 100))
                return;
            ++pushed;
        }
    });
    // Nothing is taken yet: the producer stops at the bound and waits there.
    QTRY_COMPARE(pushed.load(), 16);
    int taken = 0;
    while (queue.pop())
        ++taken;
    QCOMPARE(taken, 1000);
    QCOMPARE(queue.peakItems(), 16);
    QVERIFY(queue.peakBytes() <= 1600);
}

// A producer that filled the queue sleeps until half of it is taken, so a slow consumer does
// not switch to it for every item it takes.
void TestPreparedQueue::blockedProducerWakesOncePerHalfQueue()
{
    constexpr int items = 1000;
    constexpr qsizetype bound = 16;
    std::atomic_bool done{false};
    PreparedQueue<int> queue(bound, 1 << 20);
    queue.start([&done](const PreparedQueue<int>::Push &push) {
        for (int i = 0; i < items; ++i) {
            if (!push(i, 8))
                return;
        }
        done = true;
    });
    int expected = 0;
    for (;;) {
        // The slowest consumer there is: it takes an item only once the producer sleeps.
        while (!done && !queue.producerWaiting())
            std::this_thread::yield();
        const std::optional<int> item = queue.pop();
        if (!item)
            break;
        QCOMPARE(*item, expected++);
    }
    QCOMPARE(expected, items);
    // Woken at half the bound, it pushes at least bound / 2 items before it sleeps again.
    QVERIFY2(queue.producerWaits() <= items / (bound / 2) + 1,
             qPrintable(QString::number(queue.producerWaits())));
    QVERIFY(queue.producerWaits() >= (items - bound) / bound);
    QCOMPARE(queue.peakItems(), bound);
}

void TestPreparedQueue::byteBoundLetsOneLargeItemThrough()
{
    std::atomic_int pushed{0};
    PreparedQueue<int> queue(100, 1000);
    queue.start([&pushed](const PreparedQueue<int>::Push &push) {
        // 600 + 600 bytes do not fit together: the second waits for the first to be taken.
        for (const qint64 bytes : {600, 600, 5000, 10}) {
            if (!push(int(bytes), bytes))
                return;
            ++pushed;
        }
    });
    QTRY_COMPARE(pushed.load(), 1);
    QCOMPARE(queue.pop().value_or(-1), 600);
    // An item larger than the bound goes through alone rather than never.
    QTRY_COMPARE(pushed.load(), 2);
    QCOMPARE(queue.pop().value_or(-1), 600);
    QCOMPARE(queue.pop().value_or(-1), 5000);
    QCOMPARE(queue.pop().value_or(-1), 10);
    QVERIFY(!queue.pop());
    QCOMPARE(queue.peakBytes(), 5000);
}

void TestPreparedQueue::stopEndsABlockedProducer()
{
    std::atomic_int pushed{0};
    std::atomic_bool refused{false};
    {
        PreparedQueue<int> queue(4, 1 << 20);
        queue.start([&](const PreparedQueue<int>::Push &push) {
            for (int i = 0;; ++i) {
                if (!push(i, 1)) {
                    refused = true;
                    return;
                }
                ++pushed;
            }
        });
        QTRY_COMPARE(pushed.load(), 4);
        QCOMPARE(queue.pop().value_or(-1), 0);
        queue.stop(); // as a store error does: joins the producer, which was waiting
        QVERIFY(refused.load());
        QVERIFY(!queue.pop());
    }
    QVERIFY(pushed.load() <= 5);
}

void TestPreparedQueue::emptyProducer()
{
    PreparedQueue<int> queue(4, 16);
    queue.start([](const PreparedQueue<int>::Push &) {});
    QVERIFY(!queue.pop());
}

// What the writer is done with is freed on the reading thread, not the writer's.
void TestPreparedQueue::takenItemsAreFreedByTheProducer()
{
    constexpr int count = 200;
    const auto log = std::make_shared<FreedOn>();
    std::atomic_bool release{false};
    const auto letGo = [&release] {
        release = true;
        release.notify_one();
    };
    std::thread::id producerThread;
    {
        PreparedQueue<Tracked> queue(16, 1 << 20);
        // However the test ends, the producer is not left waiting (stop() joins it).
        const auto guard = qScopeGuard(letGo);
        queue.start([&](const PreparedQueue<Tracked>::Push &push) {
            producerThread = std::this_thread::get_id();
            for (int i = 0; i <= count; ++i) {
                // The last one, untracked, is taken with pop() after the others went back.
                if (!push(i < count ? Tracked(log, i) : Tracked(nullptr, i), 1))
                    return;
            }
            release.wait(false);
        });
        for (int i = 0; i < count; ++i) {
            PreparedQueue<Tracked>::Taken item = queue.take();
            QVERIFY(item);
            QCOMPARE(item->value, i);
        }
        // Hands the last tracked item on while the producer still runs.
        QCOMPARE(queue.pop().value_or(Tracked(nullptr, -1)).value, count);
        letGo();
        QVERIFY(!queue.take());
        queue.stop(); // joins the producer, which may still be freeing the last ones
        std::lock_guard lock(log->mutex);
        QCOMPARE(int(log->threads.size()), count);
        for (const std::thread::id &thread : log->threads)
            QVERIFY(thread == producerThread);
    }
    // An item given back after stop() is freed on the consumer's thread, once; the one stop()
    // dropped, or the producer's refused push, too.
    {
        PreparedQueue<Tracked> queue(4, 1 << 20);
        queue.start([&](const PreparedQueue<Tracked>::Push &push) {
            if (push(Tracked(log, 1), 1))
                push(Tracked(log, 2), 1);
        });
        PreparedQueue<Tracked>::Taken item = queue.take();
        QVERIFY(item);
        queue.stop();
    }
    std::lock_guard lock(log->mutex);
    QCOMPARE(int(log->threads.size()), count + 2);
    QVERIFY(std::count(log->threads.begin(), log->threads.end(), std::this_thread::get_id()) >= 1);
}

QTEST_GUILESS_MAIN(TestPreparedQueue)
#include "tst_preparedqueue.moc"
