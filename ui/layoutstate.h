#pragma once

#include <QByteArray>
#include <QList>

class QHeaderView;
class QSplitter;

namespace Tasktrail {

// The splitters and headers of a view (sizes, column widths, order, hidden columns) in one
// value for the settings, so a view's layout comes back after a restart.
struct LayoutParts
{
    QList<QSplitter *> splitters;
    QList<QHeaderView *> headers;
};

QByteArray saveLayoutState(const LayoutParts &parts);
// False, changing nothing, for a value that is empty, of another version, or saved from a view
// with another number of splitters or headers.
bool restoreLayoutState(const LayoutParts &parts, const QByteArray &state);

} // namespace Tasktrail
