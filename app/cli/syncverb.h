#pragma once

#include <QStringList>

// `tasktrail-cli sync github`: reads what Copilot's cloud agent did from GitHub into the
// database (docs/github-sync.md).
namespace Tasktrail::Cli {

int runSync(const QStringList &args);

} // namespace Tasktrail::Cli
