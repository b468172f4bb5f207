#pragma once

#include <vector>

namespace Tasktrail {

// The schema of a team database on PostgreSQL (docs/team-database.md): ordered migrations,
// each applied once in the transaction that records it in table schema_version. A database
// whose highest version is above pgSchemaVersion was written by a newer Tasktrail and is not
// opened.
struct PgMigration
{
    int version;
    const char *sql;
};
const std::vector<PgMigration> &pgMigrations();
constexpr int pgSchemaVersion = 10;

} // namespace Tasktrail
