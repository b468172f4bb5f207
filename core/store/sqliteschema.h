#pragma once

namespace Tasktrail {

// The schema of an embedded Tasktrail database, documented in docs/data-model.md.
// Every statement is IF NOT EXISTS, so an older file is brought up to date by running it again,
// in one transaction, when its user_version is below sqliteSchemaVersion, after a copy of the
// file is kept beside it (SqliteStore::upgrade). Version 6 added the task_sort_* and
// finding_sort_* indexes of the sortable tables, version 7 the transcript_entry table,
// version 8 the schema_version table (which Tasktrail brought the file to which version, so
// that an older Tasktrail can say which one it needs), version 9 the finding_triage table.
// Times are INTEGER milliseconds since the
// epoch (UTC); lists are JSON arrays.
extern const char *const sqliteSchema;
constexpr int sqliteSchemaVersion = 9;

} // namespace Tasktrail
