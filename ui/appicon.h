#pragma once

#include <QIcon>

namespace Tasktrail {

// The application's icon: the SVG compiled into the UI library, the same file the package
// installs in the hicolor theme under the desktop file's name.
QIcon applicationIcon();

} // namespace Tasktrail
