#include "pgconnection.h"
#include "pgstore.h"
#include "recordstore.h"
#include "sqlitestore.h"

#include <QFileInfo>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

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

bool configureStoresForProcess()
{
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

// A PostgreSQL URL or libpq keyword string opens the team database (pgconnection.h says which
// locations are read so; docs/team-database.md); anything else is an SQLite file.
std::unique_ptr<RecordStore> openStore(const QString &location, QString *error, StoreAccess access)
{
    if (isPostgresLocation(location))
        return openAs<PgStore>(location, error, access);
    return openAs<SqliteStore>(location, error, access);
}

std::unique_ptr<RecordStore> openReader(const StoreConnection &store, QString *error)
{
    const QString location = store.location();
    if (isPostgresLocation(location))
        return openAs<PgStore>(location, error, StoreAccess::ReadOnly);
    // The writer must be in WAL mode (a -wal file beside it): otherwise a reader and the writer
    // would block each other.
    const QFileInfo file(location);
    if (location.isEmpty() || !QFileInfo::exists(file.absoluteFilePath() + u"-wal"_s)) {
        if (error)
            *error = u"%1 has no write-ahead log to read beside its writer"_s.arg(location);
        return nullptr;
    }
    auto reader = std::make_unique<SqliteStore>();
    if (!reader->open(location, StoreAccess::ReadFollowing) ||
        !reader->setPageCacheKiB(readerPageCacheKiB)) {
        if (error)
            *error = reader->errorString();
        return nullptr;
    }
    return reader;
}

} // namespace Tasktrail
