#pragma once

#include "records/launchrecords.h"

#include <optional>

namespace Tasktrail {

// Describes a local git checkout as a known repository: its name from the origin URL
// ("git@github.com:acme/api.git" -> acme/api), else "local/<directory>"; its default branch
// (origin's HEAD, else the branch checked out); its tracked files up to two levels deep (what
// a template's required_files are checked against). Runs git and waits for it: for the CLI
// and worker threads, not the GUI thread.
std::optional<KnownRepository> readLocalRepository(const QString &path, QString *error);

// "owner/name" from a GitHub remote URL (https, ssh or scp-like); empty when it is none.
QString repositoryNameFromRemote(const QString &url);

} // namespace Tasktrail
