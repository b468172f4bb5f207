// Sync cursors: where each GitHub source was read up to.
#include "sqlitestatement.h"
#include "sqlitestore.h"
#include "text/redactor.h"

namespace Tasktrail {

std::optional<SyncCursor> SqliteStore::syncCursor(const QString &source)
{
    auto &stmt = statement("SELECT since, seen_until, etag, position, updated_at FROM "
                           "sync_cursor WHERE source = ?");
    stmt.bind(1, source);
    std::optional<SyncCursor> found;
    if (stmt.next()) {
        found = SyncCursor{source,       stmt.text(0),    stmt.text(1), stmt.text(2).toLatin1(),
                           stmt.text(3), stmt.dateTime(4)};
    }
    stmt.reset();
    return found;
}

bool SqliteStore::writeSyncCursor(const SyncCursor &given)
{
    // Text like any other: through the redaction step (an ETag or a cursor is not a secret,
    // but nothing is stored unredacted).
    SyncCursor cursor = given;
    for (QString *text : {&cursor.source, &cursor.since, &cursor.seenUntil, &cursor.position})
        m_redactions += Redactor::redactText(*text);
    auto &stmt = statement("INSERT OR REPLACE INTO sync_cursor (source, since, seen_until, etag, "
                           "position, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
    stmt.bind(1, cursor.source);
    stmt.bind(2, cursor.since);
    stmt.bind(3, cursor.seenUntil);
    stmt.bind(4, QString::fromLatin1(cursor.etag));
    stmt.bind(5, cursor.position);
    stmt.bind(6, cursor.updatedAt.isValid() ? cursor.updatedAt : QDateTime::currentDateTimeUtc());
    return run(stmt);
}

} // namespace Tasktrail
