#pragma once

#include "records/finding.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Tasktrail::RecordJson {

// A finding with every field, empty ones included, so a script can rely on the keys:
// task_id, rule, severity, message, evidence_kind, evidence_ref, command_seq, line_no, at
// (ISO 8601 UTC, or null when unknown), template_id, template_version, policy_id,
// policy_version, id (the row id as stored, which `findings triage` takes; a check renumbers
// it), triage and link (its tasktrail://finding/ID, null for a finding not read from a store).
QJsonObject finding(const Finding &finding);
// state ("new", "acknowledged", "false_positive", "needs_follow_up", "fixed"), by, at and
// note (null when not set).
QJsonObject triage(const FindingTriage &triage);
QJsonArray findings(const QList<Finding> &findings);

} // namespace Tasktrail::RecordJson
