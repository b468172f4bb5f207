#pragma once

#include <QStringList>

namespace Tasktrail {
class RecordStore;
struct SpecSources;
} // namespace Tasktrail

namespace Tasktrail::Cli {

// tasktrail-cli findings: stored conformance findings under a filter.
int runFindings(const QStringList &args);
// tasktrail-cli check: checks one task or every task again and stores the findings.
int runCheck(const QStringList &args);

// Checks the tasks an ingest run wrote and prints one line of counts. False (with the error
// printed) on a store error.
bool checkIngestedTasks(RecordStore &store, const QStringList &taskIds);

// Where the CLI's checks read template and policy versions from. Until the policy documents
// are stored, no version is on file and every named one is reported as unknown.
SpecSources cliSpecSources(RecordStore &store);

} // namespace Tasktrail::Cli
