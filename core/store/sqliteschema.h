#pragma once

namespace Tasktrail {

// The schema of an embedded Tasktrail database, documented in docs/data-model.md.
// Version 2 (every statement is IF NOT EXISTS, so an older file is brought up to date by running it
// again). Times are INTEGER milliseconds since the epoch (UTC); lists are JSON arrays.
extern const char *const sqliteSchema;
constexpr int sqliteSchemaVersion = 6;

} // namespace Tasktrail
