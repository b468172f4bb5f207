#pragma once

namespace Tasktrail {

// The schema of an embedded Tasktrail database, documented in docs/data-model.md.
// Every statement is IF NOT EXISTS, so an older file is brought up to date by running it again
// when its user_version is below sqliteSchemaVersion (version 6 added the task_sort_* and
// finding_sort_* indexes of the sortable tables, version 7 the transcript_entry table). Times are
// INTEGER milliseconds since the epoch (UTC); lists are JSON arrays.
extern const char *const sqliteSchema;
constexpr int sqliteSchemaVersion = 7;

} // namespace Tasktrail
