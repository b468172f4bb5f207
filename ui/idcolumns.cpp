#include "idcolumns.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QTableView>
#include <QToolTip>
#include <QTreeView>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The room for text in a cell: the style keeps a focus-frame margin on either side.
int textWidth(const QWidget *widget, int cellWidth)
{
    const QStyle *style = widget ? widget->style() : QApplication::style();
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    return qMax(0, cellWidth - 2 * margin);
}

// Ctrl+C on the view copies the selection's full values rather than the current cell only.
class CopyFullValues final : public QObject
{
public:
    explicit CopyFullValues(QAbstractItemView *view)
        : QObject(view)
        , m_view(view)
    {
        view->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched != m_view ||
            (event->type() != QEvent::KeyPress && event->type() != QEvent::ShortcutOverride))
            return false;
        auto *key = static_cast<QKeyEvent *>(event);
        if (!key->matches(QKeySequence::Copy))
            return false;
        // Claimed before any window shortcut on the same keys, then handled as a key press.
        event->accept();
        if (event->type() == QEvent::KeyPress)
            QApplication::clipboard()->setText(selectedCellsText(m_view));
        return event->type() == QEvent::KeyPress;
    }

private:
    QAbstractItemView *m_view;
};

} // namespace

QString MiddleElidedDelegate::shownText(const QModelIndex &index, const QFontMetrics &metrics,
                                        int width) const
{
    const QWidget *widget = qobject_cast<const QWidget *>(parent());
    return metrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideMiddle,
                              textWidth(widget, width));
}

void MiddleElidedDelegate::initStyleOption(QStyleOptionViewItem *option,
                                           const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    option->text = option->fontMetrics.elidedText(option->text, Qt::ElideMiddle,
                                                  textWidth(option->widget, option->rect.width()));
    option->textElideMode = Qt::ElideNone; // elided here already, in the middle
}

bool MiddleElidedDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                     const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    QString tip = index.data(Qt::ToolTipRole).toString();
    if (tip.isEmpty())
        tip = index.data(Qt::DisplayRole).toString();
    if (tip.isEmpty())
        return false;
    QToolTip::showText(event->globalPos(), tip, view->viewport(), option.rect);
    return true;
}

void showIdsElided(QAbstractItemView *view, const QList<int> &columns)
{
    for (const int column : columns)
        view->setItemDelegateForColumn(column, new MiddleElidedDelegate(view));
    new CopyFullValues(view);
}

QString selectedCellsText(const QAbstractItemView *view)
{
    if (!view->selectionModel())
        return {};
    QModelIndexList cells = view->selectionModel()->selectedIndexes();
    // Hidden columns are not copied; moved ones are copied where they are shown.
    const QHeaderView *header = nullptr;
    if (const auto *table = qobject_cast<const QTableView *>(view))
        header = table->horizontalHeader();
    else if (const auto *tree = qobject_cast<const QTreeView *>(view))
        header = tree->header();
    const auto shownColumn = [header](const QModelIndex &index) {
        return header ? header->visualIndex(index.column()) : index.column();
    };
    if (header) {
        cells.removeIf(
            [header](const QModelIndex &index) { return header->isSectionHidden(index.column()); });
    }
    std::sort(cells.begin(), cells.end(), [&](const QModelIndex &a, const QModelIndex &b) {
        return a.row() != b.row() ? a.row() < b.row() : shownColumn(a) < shownColumn(b);
    });
    QString text;
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            text += cells.at(i).row() == cells.at(i - 1).row() ? u'\t' : u'\n';
        text += cells.at(i).data(Qt::DisplayRole).toString();
    }
    return text;
}

} // namespace Tasktrail
