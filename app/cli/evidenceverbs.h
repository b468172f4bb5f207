#pragma once

#include <QStringList>

namespace Tasktrail::Cli {

// tasktrail-cli verify: recomputes the evidence chain; exit 0 intact, 1 problems, 2 fatal.
int runVerify(const QStringList &args);
// tasktrail-cli attest TASK: an in-toto Statement with SLSA provenance for one task.
int runAttest(const QStringList &args);

} // namespace Tasktrail::Cli
