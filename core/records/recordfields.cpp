#include "recordfields.h"

#include "identity.h"
#include "pullrequest.h"
#include "request.h"
#include "task.h"

#include <QtGlobal>

// The lists keep the order writes have always bound them in: the evidence of a write without
// an input record hashes the statement as bound, so a changed order would change the hash of
// a row whose content did not change.

namespace Tasktrail {

#define LABEL(text) QT_TRANSLATE_NOOP("RecordField", text)

std::span<const RecordField<TaskRecord>> taskFields()
{
    using T = TaskRecord;
    static const RecordField<T> fields[] = {
        {"id", LABEL("Task ID"), &T::id, FieldMerge::Key},
        {"repo", LABEL("Repository"), &T::repo},
        {"campaign_id", LABEL("Campaign ID"), &T::campaignId},
        {"request_id", LABEL("Request ID"), &T::requestId},
        {"identity_id", LABEL("Identity ID"), &T::identityId},
        {"policy_id", LABEL("Policy ID"), &T::policyId},
        {"policy_version", LABEL("Policy version"), &T::policyVersion},
        {"template_id", LABEL("Template ID"), &T::templateId},
        {"template_version", LABEL("Template version"), &T::templateVersion},
        {"state", LABEL("State"), &T::state},
        {"state_reason", LABEL("State reason"), &T::stateReason},
        {"prompt", LABEL("Prompt"), &T::prompt},
        {"base_ref", LABEL("Base ref"), &T::baseRef},
        {"head_ref", LABEL("Head ref"), &T::headRef},
        {"head_sha", LABEL("Head SHA"), &T::headSha},
        {"source", LABEL("Source"), &T::source, FieldMerge::First},
        {"created_at", LABEL("Created"), &T::createdAt},
        {"started_at", LABEL("Started"), &T::startedAt},
        {"completed_at", LABEL("Completed"), &T::completedAt},
        {"confidence", LABEL("Confidence"), &T::confidence},
        {"known_gaps", LABEL("Known gaps"), &T::knownGaps},
        {"pr_number", LABEL("Pull request"), &T::prNumber},
        {"retries", LABEL("Retries"), &T::retries},
        {"usage", LABEL("Usage"), &T::usage},
        {"pr_artifact_id", LABEL("PR artifact ID"), &T::prArtifactId},
    };
    return fields;
}

std::span<const RecordField<SessionRecord>> sessionFields()
{
    using S = SessionRecord;
    static const RecordField<S> fields[] = {
        {"id", LABEL("Session ID"), &S::id, FieldMerge::Key},
        {"task_id", LABEL("Task ID"), &S::taskId, FieldMerge::Inserted},
        {"attempt", LABEL("Attempt"), &S::attempt},
        {"state", LABEL("State"), &S::state},
        {"model", LABEL("Model"), &S::model},
        {"error", LABEL("Error"), &S::error},
        {"started_at", LABEL("Started"), &S::startedAt},
        {"completed_at", LABEL("Completed"), &S::completedAt},
    };
    return fields;
}

std::span<const RecordField<CommandRecord>> commandFields()
{
    using C = CommandRecord;
    static const RecordField<C> fields[] = {
        {"task_id", LABEL("Task ID"), &C::taskId, FieldMerge::Key},
        {"seq", LABEL("Number"), &C::seq, FieldMerge::Key},
        {"argv", LABEL("Command line"), &C::argv},
        {"cwd", LABEL("Directory"), &C::cwd},
        {"exit_code", LABEL("Exit code"), &C::exitCode},
        {"started_at", LABEL("Started"), &C::startedAt},
        {"ended_at", LABEL("Ended"), &C::endedAt},
    };
    return fields;
}

std::span<const RecordField<TestResult>> testFields()
{
    using R = TestResult;
    static const RecordField<R> fields[] = {
        {"task_id", LABEL("Task ID"), &R::taskId, FieldMerge::Key},
        {"name", LABEL("Test"), &R::name, FieldMerge::Key},
        {"outcome", LABEL("Outcome"), &R::outcome},
        {"command_seq", LABEL("Ran in command"), &R::commandSeq},
        {"duration_ms", LABEL("Duration (ms)"), &R::durationMs},
    };
    return fields;
}

std::span<const RecordField<RequestRecord>> requestFields()
{
    using R = RequestRecord;
    static const RecordField<R> fields[] = {
        {"id", LABEL("ID"), &R::id, FieldMerge::Key},
        {"text", LABEL("Text"), &R::text},
        {"requester", LABEL("Requester"), &R::requester},
        {"trigger_system", LABEL("Trigger"), &R::triggerSystem},
        {"correlation_id", LABEL("Correlation ID"), &R::correlationId},
        {"created_at", LABEL("Created"), &R::createdAt},
    };
    return fields;
}

std::span<const RecordField<CampaignRecord>> campaignFields()
{
    using C = CampaignRecord;
    static const RecordField<C> fields[] = {
        {"id", LABEL("Campaign ID"), &C::id, FieldMerge::Key},
        {"request_id", LABEL("Request ID"), &C::requestId},
        {"title", LABEL("Title"), &C::title},
        {"template_id", LABEL("Template ID"), &C::templateId},
        {"template_version", LABEL("Template version"), &C::templateVersion},
        {"policy_id", LABEL("Policy ID"), &C::policyId},
        {"policy_version", LABEL("Policy version"), &C::policyVersion},
        {"created_at", LABEL("Created"), &C::createdAt},
    };
    return fields;
}

std::span<const RecordField<RepoDecision>> decisionFields()
{
    using D = RepoDecision;
    static const RecordField<D> fields[] = {
        {"campaign_id", LABEL("Campaign ID"), &D::campaignId, FieldMerge::Key},
        {"repo", LABEL("Repository"), &D::repo, FieldMerge::Key},
        // Every decision states its verdict: a later one overrides it.
        {"verdict", LABEL("Decision"), &D::verdict, FieldMerge::Always},
        {"rule", LABEL("Rule"), &D::rule},
        {"reason", LABEL("Reason"), &D::reason},
        {"evidence", LABEL("Evidence"), &D::evidence},
        {"task_id", LABEL("Task ID"), &D::taskId},
        {"decided_at", LABEL("Decided"), &D::decidedAt},
    };
    return fields;
}

std::span<const RecordField<IdentityRecord>> identityFields()
{
    using I = IdentityRecord;
    static const RecordField<I> fields[] = {
        {"id", LABEL("Identity ID"), &I::id, FieldMerge::Key},
        {"kind", LABEL("Token kind"), &I::kind},
        {"principal", LABEL("Principal"), &I::principal},
        {"on_behalf_of", LABEL("On behalf of"), &I::onBehalfOf},
        {"scopes", LABEL("Scopes"), &I::scopes},
        {"hashed_token", LABEL("Hashed token"), &I::hashedToken},
        {"token_id", LABEL("Token ID"), &I::tokenId},
    };
    return fields;
}

std::span<const RecordField<PolicyRecord>> policyFields()
{
    using P = PolicyRecord;
    static const RecordField<P> fields[] = {
        {"id", LABEL("Policy"), &P::id, FieldMerge::Key},
        {"version", LABEL("Version"), &P::version, FieldMerge::Key},
        {"name", LABEL("Name"), &P::name},
        {"verdict", LABEL("Verdict"), &P::verdict},
        {"digest", LABEL("Digest"), &P::digest},
    };
    return fields;
}

std::span<const RecordField<TemplateRecord>> templateFields()
{
    using T = TemplateRecord;
    static const RecordField<T> fields[] = {
        {"id", LABEL("Template"), &T::id, FieldMerge::Key},
        {"version", LABEL("Version"), &T::version, FieldMerge::Key},
        {"name", LABEL("Template name"), &T::name},
        {"digest", LABEL("Template digest"), &T::digest},
    };
    return fields;
}

std::span<const RecordField<PullRequestRecord>> pullRequestFields()
{
    using P = PullRequestRecord;
    static const RecordField<P> fields[] = {
        {"repo", LABEL("Repository"), &P::repo, FieldMerge::Key},
        {"number", LABEL("Number"), &P::number, FieldMerge::Key},
        {"github_id", LABEL("GitHub ID"), &P::githubId},
        {"title", LABEL("Title"), &P::title},
        {"state", LABEL("State"), &P::state},
        // GitHub sends the flag and the lists whole with every pull request: false and empty
        // are answers, not gaps.
        {"draft", LABEL("Draft"), &P::draft, FieldMerge::Always},
        {"author", LABEL("Author"), &P::author},
        {"head_ref", LABEL("Head"), &P::headRef},
        {"head_sha", LABEL("Head SHA"), &P::headSha},
        {"base_ref", LABEL("Base"), &P::baseRef},
        {"url", LABEL("URL"), &P::url},
        {"merge_commit_sha", LABEL("Merge commit"), &P::mergeCommitSha},
        {"merged_by", LABEL("Merged by"), &P::mergedBy},
        {"mergeable_state", LABEL("Mergeable"), &P::mergeableState},
        {"labels", LABEL("Labels"), &P::labels, FieldMerge::Always},
        {"requested_reviewers", LABEL("Requested reviewers"), &P::requestedReviewers,
         FieldMerge::Always},
        {"requested_teams", LABEL("Requested teams"), &P::requestedTeams, FieldMerge::Always},
        {"created_at", LABEL("Created"), &P::createdAt},
        {"updated_at", LABEL("Updated"), &P::updatedAt},
        {"closed_at", LABEL("Closed"), &P::closedAt},
        {"merged_at", LABEL("Merged"), &P::mergedAt},
    };
    return fields;
}

std::span<const RecordField<ReviewRecord>> reviewFields()
{
    using R = ReviewRecord;
    static const RecordField<R> fields[] = {
        {"id", LABEL("Review ID"), &R::id, FieldMerge::Key},
        {"repo", LABEL("Repository"), &R::repo},
        // A review always belongs to a pull request: its number is written as it is.
        {"pr_number", LABEL("Pull request"), &R::prNumber, FieldMerge::Latest, true},
        {"reviewer", LABEL("Reviewer"), &R::reviewer},
        {"state", LABEL("State"), &R::state},
        {"commit_id", LABEL("Commit"), &R::commitId},
        {"submitted_at", LABEL("Submitted"), &R::submittedAt},
    };
    return fields;
}

std::span<const RecordField<CheckRunRecord>> checkRunFields()
{
    using C = CheckRunRecord;
    static const RecordField<C> fields[] = {
        {"id", LABEL("Check run ID"), &C::id, FieldMerge::Key},
        {"repo", LABEL("Repository"), &C::repo},
        {"head_sha", LABEL("Head SHA"), &C::headSha},
        {"name", LABEL("Check"), &C::name},
        {"status", LABEL("Status"), &C::status},
        {"conclusion", LABEL("Conclusion"), &C::conclusion},
        {"app", LABEL("App"), &C::app},
        {"pr_number", LABEL("Pull request"), &C::prNumber},
        {"started_at", LABEL("Started"), &C::startedAt},
        {"completed_at", LABEL("Completed"), &C::completedAt},
    };
    return fields;
}

std::span<const RecordField<CheckSuiteRecord>> checkSuiteFields()
{
    using C = CheckSuiteRecord;
    static const RecordField<C> fields[] = {
        {"id", LABEL("Check suite ID"), &C::id, FieldMerge::Key},
        {"repo", LABEL("Repository"), &C::repo},
        {"head_sha", LABEL("Head SHA"), &C::headSha},
        {"head_branch", LABEL("Head branch"), &C::headBranch},
        {"status", LABEL("Status"), &C::status},
        {"conclusion", LABEL("Conclusion"), &C::conclusion},
        {"app", LABEL("App"), &C::app},
        {"pr_number", LABEL("Pull request"), &C::prNumber},
        {"created_at", LABEL("Created"), &C::createdAt},
        {"updated_at", LABEL("Updated"), &C::updatedAt},
    };
    return fields;
}

std::span<const RecordField<FileChange>> fileChangeFields()
{
    using F = FileChange;
    static const RecordField<F> fields[] = {
        {"task_id", LABEL("Task ID"), &F::taskId, FieldMerge::Key},
        {"path", LABEL("Path"), &F::path, FieldMerge::Key},
        {"change", LABEL("Change"), &F::change},
        // The line counts of the latest diff replace the earlier ones; no lines is a count.
        {"additions", LABEL("Lines added"), &F::additions, FieldMerge::Always, true},
        {"deletions", LABEL("Lines deleted"), &F::deletions, FieldMerge::Always, true},
    };
    return fields;
}

std::span<const RecordField<ExternalContact>> contactFields()
{
    using C = ExternalContact;
    static const RecordField<C> fields[] = {
        {"task_id", LABEL("Task ID"), &C::taskId, FieldMerge::Key},
        {"host", LABEL("Host"), &C::host, FieldMerge::Key},
        // A contact without a tool is stored under the empty tool (the store writes it so).
        {"tool", LABEL("Tool"), &C::tool, FieldMerge::Key},
        {"purpose", LABEL("Purpose"), &C::purpose},
        {"at", LABEL("When"), &C::at},
    };
    return fields;
}

std::span<const RecordField<FailureRecord>> failureFields()
{
    using F = FailureRecord;
    static const RecordField<F> fields[] = {
        {"task_id", LABEL("Task ID"), &F::taskId, FieldMerge::Key},
        {"seq", LABEL("Number"), &F::seq, FieldMerge::Key},
        {"kind", LABEL("Failure"), &F::kind},
        {"message", LABEL("Message"), &F::message},
        {"retried", LABEL("Retried"), &F::retried, FieldMerge::Always},
        {"at", LABEL("When"), &F::at},
    };
    return fields;
}

std::span<const RecordField<QueueEntry>> queueEntryFields()
{
    using Q = QueueEntry;
    constexpr FieldMerge whole = FieldMerge::Always;
    static const RecordField<Q> fields[] = {
        {"task_id", LABEL("Task ID"), &Q::taskId, FieldMerge::Key},
        {"campaign_id", LABEL("Campaign ID"), &Q::campaignId, whole},
        {"repo", LABEL("Repository"), &Q::repo, whole},
        {"template_id", LABEL("Template ID"), &Q::templateId, whole},
        {"template_version", LABEL("Template version"), &Q::templateVersion, whole},
        {"backend", LABEL("Backend"), &Q::backend, whole},
        {"state", LABEL("State"), &Q::state, whole},
        {"attempts", LABEL("Attempts"), &Q::attempts, whole, true},
        {"next_attempt_at", LABEL("Next attempt"), &Q::nextAttemptAt, whole},
        {"last_failure_kind", LABEL("Last failure kind"), &Q::lastFailureKind, whole},
        {"last_failure", LABEL("Last failure"), &Q::lastFailure, whole},
        {"paused", LABEL("Paused"), &Q::paused, whole},
        {"created_at", LABEL("Created"), &Q::createdAt, whole},
        {"updated_at", LABEL("Updated"), &Q::updatedAt, whole},
        {"spec", LABEL("Launch spec"), &Q::spec, whole},
        {"reviewer_team", LABEL("Reviewer team"), &Q::reviewerTeam, whole},
        {"request_key", LABEL("Request key"), &Q::requestKey, whole},
        {"review_day", LABEL("Review day"), &Q::reviewDay, whole},
        {"remote_id", LABEL("Remote ID"), &Q::remoteId, whole},
        {"requested", LABEL("Requested"), &Q::requested, whole},
    };
    return fields;
}

#undef LABEL

} // namespace Tasktrail
