#pragma once

#include "text/tasktraillink.h"

#include <QModelIndex>

#include <functional>
#include <optional>

class QAbstractItemView;
class QAction;

namespace Tasktrail {

// The place a row of a view stands for (a task, a finding, a campaign), if any.
using LinkOfIndex = std::function<std::optional<TasktrailLink>(const QModelIndex &)>;

// Puts the link's tasktrail:// URL on the clipboard (and the X11 selection where there is one)
// and returns the URL.
QString copyLinkToClipboard(const TasktrailLink &link);

// Adds "Copy Link" to the context menu of `view`: it copies the link of the view's current
// row, and is disabled while that row has none. The view's model must be set; the action is
// named "copyLinkAction" and belongs to the view.
QAction *addCopyLinkAction(QAbstractItemView *view, LinkOfIndex linkOf);

// The link of a model index's `role` value as a task, finding (a positive row id) or campaign
// id; none when the value is empty.
LinkOfIndex linkFromRole(TasktrailLink::Kind kind, int role);

} // namespace Tasktrail
