#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <unistd.h>
#endif

namespace TestSupport {

// Fails a GUI test when the GUI thread stops turning its event loop for too long: a fast
// timer on the GUI thread beats, and the longest gap between two beats while armed is the
// longest time the event loop was blocked. Arm it around what a user does (clicks, scrolls, typing,
// switching tabs) and wait with QTRY_* / QTest::qWaitFor, so that the event loop runs; any
// database query or other blocking work on the GUI thread then shows up as a stall.
//
//     GuiWatchdog watchdog;
//     watchdog.arm();
//     ... interact, QTRY_VERIFY(...) ...
//     QVERIFY2(watchdog.longestStallMs() < GuiWatchdog::limitMs, qPrintable(watchdog.report()));
//
// A gap counts the time the GUI thread worked or waited (on a lock, a query, a file), not the
// time it was ready to run but had no core: on a loaded 2-core machine the scheduler alone can
// keep a thread off the CPU for tens of milliseconds, which says nothing about the view. On
// Linux the kernel counts that run-queue wait per thread (/proc/thread-self/schedstat, second
// field, in ns) and it is taken out of each gap; elsewhere a gap is wall-clock time.
class GuiWatchdog final : public QObject
{
public:
    static constexpr qint64 limitMs = 50;

    explicit GuiWatchdog(QObject *parent = nullptr)
        : QObject(parent)
    {
        m_beat.setTimerType(Qt::PreciseTimer);
        m_beat.setInterval(2);
        QObject::connect(&m_beat, &QTimer::timeout, this, [this] { beat(); });
        m_clock.start();
#ifdef Q_OS_LINUX
        m_schedstat = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
#endif
    }

    ~GuiWatchdog() override
    {
#ifdef Q_OS_LINUX
        if (m_schedstat >= 0)
            ::close(m_schedstat);
#endif
    }

    // Starts measuring (again) from now.
    void arm()
    {
        m_longest = 0;
        m_longestAt.clear();
        m_lastBeat = m_clock.nsecsElapsed();
        m_lastQueued = queuedNs();
        m_gapSteps = QStringList{m_step};
        m_armed = true;
        m_beat.start();
    }

    // Stops measuring; what was measured, the gap still open included, stays readable.
    void disarm()
    {
        beat();
        m_armed = false;
        m_beat.stop();
    }

    // Names the step being measured, so report() says where the longest stall happened.
    void setStep(const QString &step)
    {
        m_step = step;
        m_gapSteps << step;
    }

    qint64 longestStallMs() const
    {
        // The gap still open counts too: a stall that has not ended yet is a stall.
        const qint64 open =
            m_armed ? m_clock.nsecsElapsed() - m_lastBeat - (queuedNs() - m_lastQueued) : 0;
        return std::max(m_longest, open) / 1'000'000;
    }

    // Whether the kernel reports this thread's run-queue wait, so that load elsewhere is not
    // counted as a stall (when it does not, gaps are wall-clock time).
    bool seesRunQueue() const
    {
        return schedstat().size() >= 2 && schedstat().at(0).toLongLong() > 0;
    }

    QString report() const
    {
        return QStringLiteral("the GUI thread stalled for %1 ms (limit %2 ms)%3")
            .arg(longestStallMs())
            .arg(limitMs)
            .arg(m_longestAt.isEmpty() ? QString() : QStringLiteral(" during: ") + m_longestAt);
    }

private:
    void beat()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 queued = queuedNs();
        const qint64 gap = now - m_lastBeat - (queued - m_lastQueued);
        m_lastBeat = now;
        m_lastQueued = queued;
        if (m_armed && gap > m_longest) {
            m_longest = gap;
            // Every step the gap spanned is named: the one running when it began stalled, or
            // one set during it did its first work before the event loop turned again.
            m_gapSteps.removeAll(QString());
            m_gapSteps.removeDuplicates();
            m_longestAt = m_gapSteps.join(QStringLiteral(" / "));
        }
        m_gapSteps = QStringList{m_step};
    }

    // The time, in ns, the watched thread has spent runnable but waiting for a core (0 when the
    // kernel does not say). The file was opened on the thread that built the watchdog (the GUI
    // thread): /proc/thread-self resolves to that thread once, at open.
    qint64 queuedNs() const
    {
        const QList<QByteArray> fields = schedstat();
        return fields.size() >= 2 ? fields.at(1).toLongLong() : 0;
    }

    // "<ns on cpu> <ns waiting on a run queue> <timeslices>", or nothing. A kernel without
    // scheduler statistics prints "0 0 0".
    QList<QByteArray> schedstat() const
    {
#ifdef Q_OS_LINUX
        char text[96] = {};
        const ssize_t n = m_schedstat < 0 ? -1 : ::pread(m_schedstat, text, sizeof text - 1, 0);
        if (n > 0)
            return QByteArray(text, n).simplified().split(' ');
#endif
        return {};
    }

    QTimer m_beat;
    QElapsedTimer m_clock;
    // In ns.
    qint64 m_lastBeat = 0;
    qint64 m_lastQueued = 0;
    qint64 m_longest = 0;
    int m_schedstat = -1;
    bool m_armed = false;
    QString m_step;
    QStringList m_gapSteps; // the steps current since the last beat
    QString m_longestAt;
};

} // namespace TestSupport
