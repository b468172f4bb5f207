#pragma once

#include <QStringList>

// Launching from the command line: launch (dry run and submit), queue (list, pause, resume,
// cancel), run-queue (the worker) and repos (the known-repositories catalogue).
namespace Tasktrail::Cli {

int runLaunch(const QStringList &args);
int runQueue(const QStringList &args);
int runRunQueue(const QStringList &args);
int runRepos(const QStringList &args);

} // namespace Tasktrail::Cli
