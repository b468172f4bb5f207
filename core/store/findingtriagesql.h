#pragma once

// SQL both stores share for triage (sqlitetriage.cpp, pgtriage.cpp): the same text runs on
// SQLite and PostgreSQL, and binds nothing.

// A finding's identity as stored with its triage: what a check gives again for the same
// finding, whatever row id the check gives it (NULL as '' and 0, the triage columns are NOT
// NULL). The latest triage of finding f joins as g.
#define TASKTRAIL_TRIAGE_JOIN                                                                      \
    " LEFT JOIN finding_triage g ON g.id = (SELECT max(h.id) FROM finding_triage h WHERE "         \
    "h.task_id = f.task_id AND h.rule = f.rule AND h.evidence_kind = coalesce(f.evidence_kind, "   \
    "'') AND h.evidence_ref = coalesce(f.evidence_ref, '') AND h.command_seq = "                   \
    "coalesce(f.command_seq, 0) AND h.line_no = coalesce(f.line_no, 0))"

// The triage columns a finding query selects after the finding's own, in this order.
#define TASKTRAIL_TRIAGE_COLUMNS "g.state, g.triaged_by, g.triaged_at, g.note"

// The state filter of a FindingFilter: a finding never triaged is new.
#define TASKTRAIL_TRIAGE_STATE_TERM "coalesce(g.state, 'new') = ?"

#include "records/finding.h"

namespace Tasktrail {

class PgResult;

// A PostgreSQL row's triage, from TASKTRAIL_TRIAGE_COLUMNS selected from `column` on
// (pgfindings.cpp; SQLite's is triageAt in sqlitefindingrow.h).
FindingTriage pgTriageAt(const PgResult &r, int row, int column);

} // namespace Tasktrail
