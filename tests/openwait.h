#pragma once

#include "mainwindow.h"

#include <QTest>

#include <memory>
#include <optional>

// Opens a database in the window and waits for the open to finish (MainWindow opens on a
// worker thread): true when it is open; false when it could not be, or when it did not finish
// in time.
inline bool openAndWait(Tasktrail::MainWindow &window, const QString &location)
{
    auto opened = std::make_shared<std::optional<bool>>();
    window.openDatabase(location, [opened](bool ok) { *opened = ok; });
    return QTest::qWaitFor([&opened] { return opened->has_value(); }, 60000) && **opened;
}
