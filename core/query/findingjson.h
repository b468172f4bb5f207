#pragma once

#include "records/finding.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Tasktrail::RecordJson {

// A finding with every field, empty ones included, so a script can rely on the keys:
// task_id, rule, severity, message, evidence_kind, evidence_ref, command_seq, line_no, at
// (ISO 8601 UTC, or null when unknown), template_id, template_version, policy_id,
// policy_version.
QJsonObject finding(const Finding &finding);
QJsonArray findings(const QList<Finding> &findings);

} // namespace Tasktrail::RecordJson
