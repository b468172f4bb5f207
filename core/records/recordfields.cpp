#include "recordfields.h"

#include "task.h"

namespace Tasktrail {

std::span<const RecordField<TaskRecord>> taskFields()
{
    using T = TaskRecord;
    // In the order writes have always bound them: the evidence of a write without an input
    // record hashes the statement as bound.
    static const RecordField<T> fields[] = {
        {"id", &T::id},
        {"repo", &T::repo},
        {"campaign_id", &T::campaignId},
        {"request_id", &T::requestId},
        {"identity_id", &T::identityId},
        {"policy_id", &T::policyId},
        {"policy_version", &T::policyVersion},
        {"template_id", &T::templateId},
        {"template_version", &T::templateVersion},
        {"state", &T::state},
        {"state_reason", &T::stateReason},
        {"prompt", &T::prompt},
        {"base_ref", &T::baseRef},
        {"head_ref", &T::headRef},
        {"head_sha", &T::headSha},
        {"source", &T::source, FieldMerge::First},
        {"created_at", &T::createdAt},
        {"started_at", &T::startedAt},
        {"completed_at", &T::completedAt},
        {"confidence", &T::confidence},
        {"known_gaps", &T::knownGaps},
        {"pr_number", &T::prNumber},
        {"retries", &T::retries},
        {"usage", &T::usage},
        {"pr_artifact_id", &T::prArtifactId},
    };
    return fields;
}

} // namespace Tasktrail
