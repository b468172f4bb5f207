#pragma once

#include <QStringList>

namespace Tasktrail::Cli {

// tasktrail-cli scan [--dry-run]: finds and redacts secrets that older versions stored; exit 0
// when none is left, 1 when some are (a dry run, or a key column), 2 fatal.
int runScan(const QStringList &args);

} // namespace Tasktrail::Cli
