#include "pgconnection.h"
#include "pgstore.h"
#include "recordstore.h"
#include "sqlitestore.h"

namespace Tasktrail {

namespace {

template<typename Store>
std::unique_ptr<RecordStore> openAs(const QString &location, QString *error, StoreAccess access)
{
    auto store = std::make_unique<Store>();
    if (!store->open(location, access)) {
        if (error)
            *error = store->errorString();
        return nullptr;
    }
    return store;
}

} // namespace

// A PostgreSQL URL or libpq keyword string opens the team database (pgconnection.h says which
// locations are read so; docs/team-database.md); anything else is an SQLite file.
std::unique_ptr<RecordStore> openStore(const QString &location, QString *error, StoreAccess access)
{
    if (isPostgresLocation(location))
        return openAs<PgStore>(location, error, access);
    return openAs<SqliteStore>(location, error, access);
}

} // namespace Tasktrail
