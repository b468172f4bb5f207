#pragma once

namespace Tasktrail {

// The schema of an embedded Tasktrail database, documented in docs/data-model.md.
// Version 1. Times are INTEGER milliseconds since the epoch (UTC); lists are JSON arrays.
extern const char *const sqliteSchema;
constexpr int sqliteSchemaVersion = 1;

} // namespace Tasktrail
