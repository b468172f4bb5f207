#pragma once

#include "records/finding.h"

namespace Tasktrail {

class SqliteStatement;

// The columns every finding query selects first, in this order (sqlitefindingquery.cpp).
#define TASKTRAIL_FINDING_COLUMNS                                                                  \
    "f.task_id, f.rule, f.severity, f.message, f.evidence_kind, f.evidence_ref, "                  \
    "f.command_seq, f.line_no, f.at, f.template_id, f.template_version, f.policy_id, "             \
    "f.policy_version"

// The finding in the current row of a statement that selects TASKTRAIL_FINDING_COLUMNS.
Finding findingAt(const SqliteStatement &stmt);
// Its triage, from TASKTRAIL_TRIAGE_COLUMNS (findingtriagesql.h) selected from `column` on.
FindingTriage triageAt(const SqliteStatement &stmt, int column);

} // namespace Tasktrail
