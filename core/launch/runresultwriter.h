#pragma once

#include "agentbackend.h"

namespace Tasktrail {

class RecordStore;

// Writes a finished run through the store in the caller's batch, the way an ingest writes the
// same records: the task with its nested lists, each command's log lines (the store redacts
// every text again: a token must not reach the database even if a backend missed it), the pull
// request with its reviews and check runs, and the links between them. `task` is the result's task
// with the launch's ids filled in.
bool writeRunResult(RecordStore &store, const TaskRecord &task, const RunResult &result);

} // namespace Tasktrail
