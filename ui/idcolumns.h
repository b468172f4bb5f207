#pragma once

#include <QList>
#include <QStyledItemDelegate>

class QAbstractItemView;
class QFontMetrics;

namespace Tasktrail {

// A column of long ids (task, request and session ids, SHAs): a narrow column keeps both
// ends, "0f3c2a9e-…-7a2b3c4d5e6f", since ids that share a prefix differ at their end. The
// whole id is in the tooltip; the model's text is never shortened, so copying gets all of it.
class MiddleElidedDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // The text as drawn in a cell `width` pixels wide (margins included).
    QString shownText(const QModelIndex &index, const QFontMetrics &metrics, int width) const;

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

// Elides `columns` of `view` in the middle, and makes Ctrl+C (QKeySequence::Copy) copy the
// full values of the selected cells: one line per row, cells separated by tabs, rows and
// columns in their order on screen.
void showIdsElided(QAbstractItemView *view, const QList<int> &columns);

// The selection's full values as Ctrl+C copies them.
QString selectedCellsText(const QAbstractItemView *view);

} // namespace Tasktrail
