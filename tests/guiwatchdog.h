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
// timer on the GUI thread beats, and each gap between two beats while armed is a time the event
// loop did not turn. Arm it around what a user does (clicks, scrolls, typing, switching tabs) and
// wait with QTRY_* / QTest::qWaitFor, so that the event loop runs; any database query or other
// blocking work on the GUI thread then shows up as a stall.
//
//     GuiWatchdog watchdog;
//     watchdog.arm();
//     ... interact, QTRY_VERIFY(...) ...
//     QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
//
// A gap is measured twice, and either can make a stall:
// - the work: the CPU time the GUI thread spent in it (a query, a model reset, a layout). It is
//   the thread's own clock, so load elsewhere on the machine does not lengthen it, and the
//   limit is tight: workLimitMs.
// - the wait: the gap less the time the thread was ready to run but had no core (a lock held by
//   a writer, a query reading the disk, a join). On a loaded machine the kernel itself wakes a
//   sleeping thread late, by tens of milliseconds, and a page of code read back from a busy
//   disk takes as long, so the wait's limit (waitLimitMs) leaves room for that. A write made on
//   the GUI thread while another connection holds the write lock waits up to SQLite's busy
//   timeout (10 s), far past it.
// On Linux the kernel counts both per thread (/proc/thread-self/schedstat: ns on a core, ns
// waiting on a run queue); elsewhere both are wall-clock time.
class GuiWatchdog final : public QObject
{
public:
    static constexpr qint64 workLimitMs = 50;
    static constexpr qint64 waitLimitMs = 250;

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
        m_work = {};
        m_wait = {};
        m_lastBeat = m_clock.nsecsElapsed();
        const Clocks t = clocks();
        m_lastQueued = t.queuedNs;
        m_lastCpu = t.cpuNs;
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

    // The longest CPU time the GUI thread spent, and the longest time it was away (working or
    // waiting), between two turns of its event loop. The gap still open counts too: a stall
    // that has not ended yet is a stall.
    qint64 longestWorkMs() const
    {
        return std::max(m_work.ns, openGap().cpu) / 1'000'000;
    }
    qint64 longestWaitMs() const
    {
        return std::max(m_wait.ns, openGap().away) / 1'000'000;
    }

    bool stalled() const
    {
        return longestWorkMs() >= workLimitMs || longestWaitMs() >= waitLimitMs;
    }

    // Whether the kernel reports this thread's run-queue wait, so that load elsewhere is not
    // counted as a stall (when it does not, gaps are wall-clock time).
    bool seesRunQueue() const
    {
        return schedstat().size() >= 2 && schedstat().at(0).toLongLong() > 0;
    }

    QString report() const
    {
        const auto during = [](const QString &at) {
            return at.isEmpty() ? QString() : QStringLiteral(" during: ") + at;
        };
        return QStringLiteral("the GUI thread worked for %1 ms (limit %2 ms)%3, and was away from "
                              "its event loop for %4 ms (limit %5 ms)%6")
            .arg(longestWorkMs())
            .arg(workLimitMs)
            .arg(during(m_work.at))
            .arg(longestWaitMs())
            .arg(waitLimitMs)
            .arg(during(m_wait.at));
    }

private:
    struct Longest
    {
        qint64 ns = 0;
        QString at; // every step the gap spanned
    };
    struct Gap
    {
        qint64 away = 0; // wall-clock time less the run-queue wait
        qint64 cpu = 0;
    };
    struct Clocks
    {
        qint64 cpuNs = 0;
        qint64 queuedNs = 0;
    };

    Gap gapUntil(qint64 now, const Clocks &t) const
    {
        if (t.cpuNs == 0 && t.queuedNs == 0) { // no scheduler statistics: wall-clock time
            const qint64 wall = now - m_lastBeat;
            return {wall, wall};
        }
        return {now - m_lastBeat - (t.queuedNs - m_lastQueued), t.cpuNs - m_lastCpu};
    }

    Gap openGap() const
    {
        return m_armed ? gapUntil(m_clock.nsecsElapsed(), clocks()) : Gap{};
    }

    void beat()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const Clocks t = clocks();
        const Gap gap = gapUntil(now, t);
        m_lastBeat = now;
        m_lastQueued = t.queuedNs;
        m_lastCpu = t.cpuNs;
        if (m_armed && (gap.cpu > m_work.ns || gap.away > m_wait.ns)) {
            // Every step the gap spanned is named: the one running when it began stalled, or
            // one set during it did its first work before the event loop turned again.
            m_gapSteps.removeAll(QString());
            m_gapSteps.removeDuplicates();
            const QString at = m_gapSteps.join(QStringLiteral(" / "));
            if (gap.cpu > m_work.ns)
                m_work = {gap.cpu, at};
            if (gap.away > m_wait.ns)
                m_wait = {gap.away, at};
        }
        m_gapSteps = QStringList{m_step};
    }

    // The watched thread's time on a core and waiting for one, in ns (0 and 0 when the kernel
    // does not say). The file was opened on the thread that built the watchdog (the GUI
    // thread): /proc/thread-self resolves to that thread once, at open.
    Clocks clocks() const
    {
        const QList<QByteArray> fields = schedstat();
        if (fields.size() < 2)
            return {};
        return {fields.at(0).toLongLong(), fields.at(1).toLongLong()};
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
    qint64 m_lastCpu = 0;
    int m_schedstat = -1;
    bool m_armed = false;
    QString m_step;
    QStringList m_gapSteps; // the steps current since the last beat
    Longest m_work;
    Longest m_wait;
};

} // namespace TestSupport
