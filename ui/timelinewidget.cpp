#include "timelinewidget.h"

#include "commandsmodel.h"
#include "displaytext.h"
#include "text/shellquote.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionFocusRect>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr int axisTicks = 4;

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

TimelineWidget::TimelineWidget(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setAccessibleName(tr("Command timeline"));
}

TimelineWidget::~TimelineWidget() = default;

void TimelineWidget::setCommands(const QList<TaskChain::Command> &commands)
{
    m_bars.clear();
    m_selected = -1;
    m_spanMs = 0;
    QDateTime origin;
    for (const TaskChain::Command &c : commands)
        if (c.record.startedAt.isValid() && (!origin.isValid() || c.record.startedAt < origin))
            origin = c.record.startedAt;
    for (const TaskChain::Command &c : commands) {
        Bar bar;
        bar.key = c.key;
        bar.seq = c.record.seq;
        bar.failed = CommandsModel::failed(c.record);
        bar.running = !c.record.exitCode;
        bar.label = tr("%1. %2").arg(c.record.seq).arg(shellCommandLine(c.record.argv));
        if (c.record.startedAt.isValid()) {
            bar.startMs = origin.msecsTo(c.record.startedAt);
            bar.endMs = c.record.endedAt.isValid()
                            ? std::max(bar.startMs, origin.msecsTo(c.record.endedAt))
                            : bar.startMs;
            m_spanMs = std::max(m_spanMs, bar.endMs);
        } else {
            bar.startMs = -1; // no place on the axis
        }
        m_bars << bar;
    }
    updateGeometry();
    update();
}

void TimelineWidget::clear()
{
    setCommands({});
}

int TimelineWidget::selectedSeq() const
{
    return m_selected < 0 ? -1 : m_bars.at(m_selected).seq;
}

void TimelineWidget::setSelectedSeq(int seq)
{
    const auto it = std::find_if(m_bars.cbegin(), m_bars.cend(),
                                 [seq](const Bar &bar) { return bar.seq == seq; });
    select(it == m_bars.cend() ? -1 : int(it - m_bars.cbegin()), false);
}

QRect TimelineWidget::barRect(int seq) const
{
    for (int i = 0; i < m_bars.size(); ++i)
        if (m_bars.at(i).seq == seq)
            return barGeometry(i);
    return {};
}

QColor TimelineWidget::errorColor(const QPalette &palette)
{
    // Dark themes need a lighter red to keep contrast with their base colour.
    return palette.color(QPalette::Base).lightness() < 128 ? QColor(0xef, 0x6c, 0x6c)
                                                           : QColor(0xc6, 0x28, 0x28);
}

int TimelineWidget::laneHeight() const
{
    return fontMetrics().height() * 3 / 2;
}

int TimelineWidget::labelWidth() const
{
    return fontMetrics().averageCharWidth() * 20;
}

QRect TimelineWidget::plotRect() const
{
    const int margin = fontMetrics().averageCharWidth();
    const int axis = fontMetrics().lineSpacing() + margin;
    return rect().adjusted(labelWidth() + margin, margin, -margin * 4, -axis);
}

QRect TimelineWidget::barGeometry(int index) const
{
    const Bar &bar = m_bars.at(index);
    if (bar.startMs < 0)
        return {};
    const QRect plot = plotRect();
    const int lane = laneHeight();
    const int barHeight = fontMetrics().height();
    const qint64 span = std::max<qint64>(m_spanMs, 1);
    const int x0 = plot.left() + int(bar.startMs * plot.width() / span);
    const int x1 = plot.left() + int(bar.endMs * plot.width() / span);
    // A zero-length or still running command still gets a bar one can hit.
    const int width = std::max(x1 - x0, fontMetrics().averageCharWidth());
    const int top = plot.top() + index * lane + (lane - barHeight) / 2;
    return {x0, top, width, barHeight};
}

int TimelineWidget::indexAt(const QPoint &pos) const
{
    const QRect plot = plotRect();
    if (pos.y() < plot.top())
        return -1;
    const int index = (pos.y() - plot.top()) / laneHeight();
    return index < m_bars.size() ? index : -1;
}

void TimelineWidget::select(int index, bool notify)
{
    if (index == m_selected)
        return;
    m_selected = index;
    update();
    if (notify && index >= 0)
        Q_EMIT commandSelected(m_bars.at(index).key, m_bars.at(index).seq);
}

QSize TimelineWidget::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const int lanes = std::max<int>(int(m_bars.size()), 1);
    return {labelWidth() + fm.averageCharWidth() * 60,
            lanes * laneHeight() + fm.lineSpacing() + 2 * fm.averageCharWidth()};
}

QSize TimelineWidget::minimumSizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    return {labelWidth() + fm.averageCharWidth() * 20, laneHeight() * 2 + fm.lineSpacing()};
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    const QFontMetrics fm = fontMetrics();
    p.fillRect(rect(), pal.color(QPalette::Base));
    if (m_bars.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No commands recorded."));
        return;
    }
    const QRect plot = plotRect();
    const int lane = laneHeight();
    const QColor normal = mix(pal.color(QPalette::Highlight), pal.color(QPalette::Base), 0.25);
    const QColor failed = errorColor(pal);

    for (int i = 0; i < m_bars.size(); ++i) {
        const Bar &bar = m_bars.at(i);
        const QRect laneRect(0, plot.top() + i * lane, width(), lane);
        if (i == m_selected) {
            QColor band = pal.color(QPalette::Highlight);
            band.setAlpha(48);
            p.fillRect(laneRect, band);
        }
        p.setPen(pal.color(QPalette::Text));
        const QRect label(fm.averageCharWidth() / 2, laneRect.top(), labelWidth(), lane);
        p.drawText(label, Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(bar.label, Qt::ElideRight, label.width()));
        const QRect barRect = barGeometry(i);
        if (barRect.isEmpty()) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(plot.left(), laneRect.top(), plot.width(), lane,
                       Qt::AlignLeft | Qt::AlignVCenter, tr("no times recorded"));
            continue;
        }
        p.fillRect(barRect, bar.failed ? failed : bar.running ? pal.color(QPalette::Mid) : normal);
        if (i == m_selected) {
            p.setPen(QPen(pal.color(QPalette::Text), 2));
            p.drawRect(barRect.adjusted(1, 1, -1, -1));
        }
    }

    // The axis: offsets from the first command's start, read like every other duration.
    p.setPen(pal.color(QPalette::Mid));
    const int axisY = plot.top() + int(m_bars.size()) * lane;
    p.drawLine(plot.left(), axisY, plot.right(), axisY);
    p.setPen(pal.color(QPalette::Text));
    for (int t = 0; t <= axisTicks; ++t) {
        const int x = plot.left() + plot.width() * t / axisTicks;
        p.drawLine(x, axisY, x, axisY + fm.averageCharWidth() / 2);
        const QString text = DisplayText::duration(m_spanMs * t / axisTicks);
        const int w = fm.horizontalAdvance(text);
        p.drawText(std::clamp(x - w / 2, 0, std::max(0, width() - w)), axisY + fm.ascent() + 2,
                   text);
    }

    if (hasFocus()) {
        QStyleOptionFocusRect option;
        option.initFrom(this);
        option.rect =
            m_selected >= 0 ? QRect(0, plot.top() + m_selected * lane, width(), lane) : rect();
        style()->drawPrimitive(QStyle::PE_FrameFocusRect, &option, &p, this);
    }
}

void TimelineWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int index = indexAt(event->position().toPoint());
    if (index < 0)
        return;
    // A click on the selected command reports it again: the view may have moved on.
    if (index == m_selected)
        Q_EMIT commandSelected(m_bars.at(index).key, m_bars.at(index).seq);
    select(index, true);
}

void TimelineWidget::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int index = indexAt(event->position().toPoint());
    if (event->button() != Qt::LeftButton || index < 0)
        return QWidget::mouseDoubleClickEvent(event);
    select(index, true);
    Q_EMIT commandActivated(m_bars.at(index).key, m_bars.at(index).seq);
}

void TimelineWidget::keyPressEvent(QKeyEvent *event)
{
    if (m_bars.isEmpty())
        return QWidget::keyPressEvent(event);
    switch (event->key()) {
    case Qt::Key_Up:
        select(std::max(0, m_selected - 1), true);
        return;
    case Qt::Key_Down:
        select(std::min(int(m_bars.size()) - 1, m_selected + 1), true);
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_selected >= 0)
            Q_EMIT commandActivated(m_bars.at(m_selected).key, m_bars.at(m_selected).seq);
        return;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

} // namespace Tasktrail
