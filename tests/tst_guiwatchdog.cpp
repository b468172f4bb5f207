#include "guiwatchdog.h"

#include <QElapsedTimer>
#include <QTest>
#include <QTimer>

using TestSupport::GuiWatchdog;

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
        QVERIFY2(watchdog.longestStallMs() < GuiWatchdog::limitMs, qPrintable(watchdog.report()));
    }

    void seesAHandlerThatBlocks()
    {
        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(QStringLiteral("a slow handler"));
        bool ran = false;
        // Work done on the GUI thread, as a query run from a slot would be.
        QTimer::singleShot(10, this, [&ran] {
            QElapsedTimer busy;
            busy.start();
            while (busy.elapsed() < 3 * GuiWatchdog::limitMs) {
            }
            ran = true;
        });
        QVERIFY(QTest::qWaitFor([&ran] { return ran; }));
        watchdog.disarm();
        QVERIFY2(watchdog.longestStallMs() >= 3 * GuiWatchdog::limitMs,
                 qPrintable(watchdog.report()));
        QVERIFY(watchdog.report().contains(QStringLiteral("a slow handler")));
    }

    void seesAStallStillInProgress()
    {
        GuiWatchdog watchdog;
        watchdog.arm();
        QElapsedTimer busy;
        busy.start();
        while (busy.elapsed() < 2 * GuiWatchdog::limitMs) {
        }
        QVERIFY(watchdog.longestStallMs() >= 2 * GuiWatchdog::limitMs);
    }
};

QTEST_GUILESS_MAIN(TestGuiWatchdog)
#include "tst_guiwatchdog.moc"
