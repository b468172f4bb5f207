#pragma once

#include "records/auditevent.h"

namespace Tasktrail {

class SqliteStatement;

// The columns an audit-event query selects first from audit_event e, in this order
// (sqliteauditquery.cpp).
#define TASKTRAIL_SQLITE_EVENT_COLUMNS                                                             \
    "e.id, e.action, e.actor, e.actor_is_bot, e.repo, e.at, e.hashed_token, e.token_id, "          \
    "e.programmatic_access_type, e.token_scopes, e.request_method, e.request_route, e.user_agent"

// The events a conformance check reads (TaskQueries::OutlineScope::Check), of audit_event e
// linked to task t: those in another repository than the task's. NOCASE folds ASCII only, so
// an event it drops is one the rule's case-insensitive comparison skips too.
#define TASKTRAIL_SQLITE_EVENT_CHECKED                                                             \
    "t.repo <> '' AND e.repo <> '' AND NOT (e.repo = t.repo COLLATE NOCASE)"

// The event in the current row of a statement that selects TASKTRAIL_SQLITE_EVENT_COLUMNS.
AuditEvent sqliteAuditEventAt(const SqliteStatement &stmt);

} // namespace Tasktrail
