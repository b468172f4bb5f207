#pragma once

#include <QStringList>

namespace Tasktrail::Cli {

// tasktrail-cli compare: two runs side by side, their commands aligned, and the log diff of
// one aligned row (--command N).
int runCompare(const QStringList &args);

} // namespace Tasktrail::Cli
