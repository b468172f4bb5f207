#pragma once

#include "records/templatespec.h"
#include "store/runkeys.h"

#include <QStringList>

namespace Tasktrail {
class RecordStore;
} // namespace Tasktrail

namespace Tasktrail::Cli {

// tasktrail-cli findings: stored conformance findings under a filter.
int runFindings(const QStringList &args);
// tasktrail-cli check: checks one task or every task again and stores the findings.
int runCheck(const QStringList &args);

// Checks the tasks an ingest run wrote (its RunKeys) and those launched under the template and
// policy versions it loaded, and prints one line of counts. False (with the error printed) on
// a store error.
bool checkIngestedTasks(RecordStore &store, RunKeys &taskIds, const QList<PolicyDocument> &loaded);

} // namespace Tasktrail::Cli
