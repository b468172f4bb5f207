#pragma once

#include <QStringList>

namespace Tasktrail::Cli {

// tasktrail-cli policy load|list|show: template and policy files (docs/policy-files.md).
int runPolicy(const QStringList &args);

} // namespace Tasktrail::Cli
