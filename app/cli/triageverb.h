#pragma once

#include <QStringList>

namespace Tasktrail::Cli {

// tasktrail-cli findings triage ID [ID...] --state S [--note TEXT] [--by NAME]: sets the
// triage state of findings, each change recorded in the evidence chain.
int runFindingsTriage(const QStringList &args);

} // namespace Tasktrail::Cli
