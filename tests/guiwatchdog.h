#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <algorithm>

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
    }

    // Starts measuring (again) from now.
    void arm()
    {
        m_longest = 0;
        m_longestAt.clear();
        m_lastBeat = m_clock.elapsed();
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
    void setStep(const QString &step) { m_step = step; }

    qint64 longestStallMs() const
    {
        // The gap still open counts too: a stall that has not ended yet is a stall.
        const qint64 open = m_armed ? m_clock.elapsed() - m_lastBeat : 0;
        return std::max(m_longest, open);
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
        const qint64 now = m_clock.elapsed();
        const qint64 gap = now - m_lastBeat;
        m_lastBeat = now;
        if (m_armed && gap > m_longest) {
            m_longest = gap;
            m_longestAt = m_step;
        }
    }

    QTimer m_beat;
    QElapsedTimer m_clock;
    qint64 m_lastBeat = 0;
    qint64 m_longest = 0;
    bool m_armed = false;
    QString m_step;
    QString m_longestAt;
};

} // namespace TestSupport
