#pragma once

#include <QStringList>

namespace Tasktrail::Cli {

// tasktrail-cli copy --from FILE.db --to postgresql://...: moves an SQLite file into an empty
// team database, evidence chain included (store/storecopy.h).
int runCopy(const QStringList &args);

} // namespace Tasktrail::Cli
