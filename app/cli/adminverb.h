#pragma once

#include <QStringList>

namespace Tasktrail::Cli {

// tasktrail-cli admin init-roles --db postgresql://...: the roles of a team database.
int runAdmin(const QStringList &args);

} // namespace Tasktrail::Cli
