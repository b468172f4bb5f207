#pragma once

#include "records/taskchain.h"

#include <QList>
#include <QWidget>

namespace Tasktrail {

// A task's commands as bars on one time axis, one lane per command, so gaps, overlaps and the
// command that took the time stand out. Failed commands are drawn in an error colour.
// Clicking a bar (or moving with the arrow keys) selects its command; double-click or Enter
// activates it.
class TimelineWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit TimelineWidget(QWidget *parent = nullptr);
    ~TimelineWidget() override;

    void setCommands(const QList<TaskChain::Command> &commands);
    void clear();

    // -1 when nothing is selected.
    int selectedSeq() const;
    // Selects without emitting commandSelected (to follow a selection made elsewhere).
    void setSelectedSeq(int seq);

    // Where the bar of the command with that sequence number is drawn; empty for a command
    // without a start time (it has no place on the axis).
    QRect barRect(int seq) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // The colour failed commands are drawn in, readable on the palette's base colour.
    static QColor errorColor(const QPalette &palette);

Q_SIGNALS:
    void commandSelected(qint64 key, int seq);
    void commandActivated(qint64 key, int seq);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Bar
    {
        qint64 key = 0;
        int seq = 0;
        bool failed = false;
        bool running = false;
        qint64 startMs = 0; // from the first command's start
        qint64 endMs = 0;
        QString label;
    };
    int laneHeight() const;
    int labelWidth() const;
    QRect plotRect() const;
    QRect barGeometry(int index) const;
    int indexAt(const QPoint &pos) const;
    void select(int index, bool notify);

    QList<Bar> m_bars; // in lane order
    qint64 m_spanMs = 0;
    int m_selected = -1;
};

} // namespace Tasktrail
