#pragma once

#include <QStringList>

namespace Tasktrail::Cli {

// tasktrail-cli overview: the Overview tab's counts per day (runs by state, pull requests,
// reviewer load against capacity, findings by severity and rule, campaigns by state).
int runOverview(const QStringList &args);

} // namespace Tasktrail::Cli
