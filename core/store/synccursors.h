#pragma once

#include "store/storeconnection.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace Tasktrail {

// Where a sync of one source stopped (core/sync, docs/github-sync.md): a list's `since`, the
// newest update read from it, the ETag of its last answer, an audit-log position. Operational
// state, not records: not part of the evidence chain, never a token.
struct SyncCursor
{
    QString source;      // "tasks:owner/name", "audit:org", "run-logs:owner/name#id", ...
    QString since;       // the `since` the list was asked with (RFC 3339), empty for none
    QString seenUntil;   // the newest updated_at (or audit @timestamp) stored, RFC 3339
    QByteArray etag;     // of the answer to `since`, for If-None-Match
    QString position;    // what else the source needs to go on (an audit-log cursor)
    QDateTime updatedAt; // when the cursor was saved
};

class SyncCursors : public virtual StoreConnection
{
public:
    virtual std::optional<SyncCursor> syncCursor(const QString &source) = 0;
    virtual bool writeSyncCursor(const SyncCursor &cursor) = 0; // inserts or replaces
};

} // namespace Tasktrail
