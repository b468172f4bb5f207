// PgStore's methods whose SQL is not yet written for PostgreSQL: each fails with "not yet
// supported on PostgreSQL: <what>" in errorString() and returns no data (docs/team-database.md
// lists them); a method that answers a list or a count answers none (-1 for a count).
#include "pgstore.h"

namespace Tasktrail {

std::optional<SecretScanReport> PgStore::scanSecrets(bool /*apply*/)
{
    unsupported("the secret scan (scanSecrets)");
    return std::nullopt;
}

} // namespace Tasktrail
