#pragma once

#include <QStringList>

class QMimeData;

namespace Tasktrail {

// The local files and directories in a drag, in the order they were dragged, without
// duplicates. Remote URLs and paths that do not exist are left out: the importer reads local
// files only. An empty list means the drop should be refused.
QStringList localFilesFromMimeData(const QMimeData *mimeData);

} // namespace Tasktrail
