#include "guiwatchdog.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <ctime>
#include <sched.h>

using TestSupport::GuiWatchdog;

namespace {

// Keeps this thread busy for `ms` of its own CPU time: a stall the thread causes itself, however
// long the machine keeps it waiting for a core. The CPU time the kernel reports in schedstat
// may lag the thread's CPU clock by up to a scheduler tick, so a stall that must be seen is
// made that much longer.
constexpr qint64 tickMs = 10;

void burnCpu(qint64 ms)
{
    const auto cpuMs = [] {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1000 + t.tv_nsec / 1'000'000;
    };
    const qint64 until = cpuMs() + ms;
    while (cpuMs() < until) {
    }
}

// Blocks this thread for `ms` of wall-clock time without using the CPU, as a wait on a lock
// another thread holds does.
void waitOnALock(qint64 ms)
{
    QSemaphore neverReleased;
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < ms)
        neverReleased.tryAcquire(1, int(ms - waited.elapsed()));
}

} // namespace

// The watchdog the view tests rely on must see a blocked GUI thread, and must not see one
// where the event loop keeps turning.
class TestGuiWatchdog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quietWhileTheLoopTurns()
    {
        GuiWatchdog watchdog;
        watchdog.arm();
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
        ticker.start(1);
        QVERIFY(QTest::qWaitFor([&ticks] { return ticks >= 100; }));
        watchdog.disarm();
        QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
    }

    void seesAHandlerThatBlocks()
    {
        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(QStringLiteral("a slow handler"));
        bool ran = false;
        // Work done on the GUI thread, as a query run from a slot would be.
        QTimer::singleShot(10, this, [&ran] {
            burnCpu(3 * GuiWatchdog::workLimitMs + tickMs);
            ran = true;
        });
        QVERIFY(QTest::qWaitFor([&ran] { return ran; }));
        watchdog.disarm();
        QVERIFY2(watchdog.longestWorkMs() >= 3 * GuiWatchdog::workLimitMs,
                 qPrintable(watchdog.report()));
        QVERIFY(watchdog.stalled());
        QVERIFY(watchdog.report().contains(QStringLiteral("a slow handler")));
    }

    void seesAStallStillInProgress()
    {
        GuiWatchdog watchdog;
        watchdog.arm();
        burnCpu(2 * GuiWatchdog::workLimitMs + tickMs);
        QVERIFY2(watchdog.longestWorkMs() >= 2 * GuiWatchdog::workLimitMs,
                 qPrintable(watchdog.report()));
        QVERIFY(watchdog.stalled());
    }

    // Waiting is a stall too (a lock held by a writer, a query on the GUI thread): the GUI
    // thread uses no CPU then, and the watchdog must still count the time.
    void seesAHandlerThatWaits()
    {
        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(QStringLiteral("a handler waiting on a lock"));
        bool ran = false;
        QTimer::singleShot(10, this, [&] {
            waitOnALock(2 * GuiWatchdog::waitLimitMs);
            ran = true;
        });
        QVERIFY(QTest::qWaitFor([&ran] { return ran; }));
        watchdog.disarm();
        QVERIFY2(watchdog.longestWaitMs() >= 2 * GuiWatchdog::waitLimitMs - 5,
                 qPrintable(watchdog.report()));
        QVERIFY(watchdog.stalled());
        if (watchdog.seesRunQueue()) // otherwise the work is wall-clock time too
            QVERIFY2(watchdog.longestWorkMs() < GuiWatchdog::workLimitMs,
                     qPrintable(watchdog.report()));
        QVERIFY(watchdog.report().contains(QStringLiteral("a handler waiting on a lock")));
    }

    // A loaded machine wakes a sleeping thread late and reads a page back from a busy disk
    // slowly: a wait shorter than the wait's limit is not a stall, though the same time spent
    // working is.
    void aShortWaitIsNotAStall()
    {
        if (!GuiWatchdog().seesRunQueue())
            QSKIP("the kernel does not report CPU time apart from wall-clock time on this system");
        const qint64 ms = 2 * GuiWatchdog::workLimitMs;
        static_assert(2 * GuiWatchdog::workLimitMs + 100 < GuiWatchdog::waitLimitMs);
        GuiWatchdog watchdog;
        watchdog.arm();
        bool ran = false;
        QTimer::singleShot(10, this, [&] {
            waitOnALock(ms);
            ran = true;
        });
        QVERIFY(QTest::qWaitFor([&ran] { return ran; }));
        watchdog.disarm();
        QVERIFY2(watchdog.longestWaitMs() >= ms - 5, qPrintable(watchdog.report()));
        QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
    }

    // A step set while the GUI thread was blocked is named with the step that blocked it.
    void namesTheStepTheStallBeganIn()
    {
        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(QStringLiteral("writing"));
        burnCpu(2 * GuiWatchdog::workLimitMs);
        watchdog.setStep(QStringLiteral("reading"));
        bool turned = false;
        QTimer::singleShot(0, this, [&turned] { turned = true; });
        QVERIFY(QTest::qWaitFor([&turned] { return turned; }));
        watchdog.disarm();
        QVERIFY2(watchdog.report().contains(QStringLiteral("writing / reading")),
                 qPrintable(watchdog.report()));
    }

    // Time spent waiting for a core is the machine's, not the view's. Here the GUI thread shares
    // one core with many busy threads and never sleeps itself (a zero timer keeps it runnable),
    // so the scheduler leaves it waiting longer than the work's limit between its turns (the
    // test measures that on the wall clock too); the watchdog must count none of it.
    void loadElsewhereIsNotAStall()
    {
        if (!GuiWatchdog().seesRunQueue())
            QSKIP("the kernel does not report run-queue wait on this system");
        cpu_set_t all;
        QCOMPARE(sched_getaffinity(0, sizeof all, &all), 0);
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(sched_getcpu(), &one);
        QCOMPARE(sched_setaffinity(0, sizeof one, &one), 0);
        std::atomic<bool> stop = false;
        QList<QThread *> hogs;
        for (int i = 0; i < 128; ++i) {
            hogs << QThread::create([&stop, one] {
                sched_setaffinity(0, sizeof one, &one);
                while (!stop.load(std::memory_order_relaxed)) {
                }
            });
            hogs.last()->start();
        }
        GuiWatchdog watchdog;
        watchdog.arm();
        QTimer spin;
        QElapsedTimer sinceSpin;
        qint64 longestWallMs = 0; // between two turns of the event loop
        sinceSpin.start();
        connect(&spin, &QTimer::timeout, this,
                [&] { longestWallMs = std::max(longestWallMs, sinceSpin.restart()); });
        spin.start(0);
        QElapsedTimer measured;
        measured.start();
        QVERIFY(QTest::qWaitFor([&measured] { return measured.elapsed() >= 1500; }, 20'000));
        watchdog.disarm();
        stop = true;
        for (QThread *t : std::as_const(hogs)) {
            t->wait();
            delete t;
        }
        QCOMPARE(sched_setaffinity(0, sizeof all, &all), 0);
        QVERIFY2(longestWallMs >= GuiWatchdog::workLimitMs,
                 qPrintable(QStringLiteral("the load kept the event loop from turning for only "
                                           "%1 ms")
                                .arg(longestWallMs)));
        QVERIFY2(watchdog.longestWaitMs() < GuiWatchdog::workLimitMs,
                 qPrintable(watchdog.report()));
        QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
    }
};

QTEST_GUILESS_MAIN(TestGuiWatchdog)
#include "tst_guiwatchdog.moc"
