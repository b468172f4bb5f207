#pragma once

#include "records/auditevent.h"
#include "records/finding.h"

namespace Tasktrail {

class PgResult;

// The columns every finding query selects first, in this order (the same as SQLite's).
#define TASKTRAIL_PG_FINDING_COLUMNS                                                               \
    "f.task_id, f.rule, f.severity, f.message, f.evidence_kind, f.evidence_ref, "                  \
    "f.command_seq, f.line_no, f.at, f.template_id, f.template_version, f.policy_id, "             \
    "f.policy_version"

// The columns an audit-event query selects first from audit_event e, in this order.
#define TASKTRAIL_PG_EVENT_COLUMNS                                                                 \
    "e.id, e.action, e.actor, e.actor_is_bot, e.repo, e.at, e.hashed_token, e.token_id, "          \
    "e.programmatic_access_type, e.token_scopes, e.request_method, e.request_route, "              \
    "e.user_agent"

// The events a conformance check reads (TaskQueries::OutlineScope::Check), of audit_event e
// linked to task t: those in another repository than the task's. lower() in the "C" collation
// folds ASCII only, so an event it drops is one the rule's case-insensitive comparison skips
// too.
#define TASKTRAIL_PG_EVENT_CHECKED                                                                 \
    "t.repo <> '' AND e.repo <> '' AND lower(e.repo COLLATE \"C\") <> lower(t.repo COLLATE \"C\")"

// The finding in a row that selects TASKTRAIL_PG_FINDING_COLUMNS (pgfindings.cpp).
Finding pgFindingAt(const PgResult &r, int row);
// The event in a row that selects TASKTRAIL_PG_EVENT_COLUMNS (pgaudit.cpp).
AuditEvent pgAuditEventAt(const PgResult &r, int row);

} // namespace Tasktrail
