#include "tasktrailrecord.h"

#include "records/logline.h"
#include "records/recordvalues.h"
#include "text/jsonfields.h"
#include "text/sha256.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

using F = JsonFields;
constexpr auto Req = JsonFields::Required;

QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

SessionRecord session(const QJsonObject &o, F &outer, const QString &taskId = {})
{
    F f(o, u"session"_s);
    SessionRecord s;
    s.id = f.string(key("id"), Req);
    s.taskId = taskId.isEmpty() ? f.string(key("task_id"), Req) : taskId;
    s.attempt = f.int32(key("attempt"), F::Optional, 1).value_or(0);
    s.state = taskStateFromString(f.string(key("state")));
    s.model = f.string(key("model"));
    s.error = f.string(key("error"));
    s.startedAt = f.time(key("started_at"));
    s.completedAt = f.time(key("completed_at"));
    if (!f.ok())
        outer.setError(f.error());
    return s;
}

CommandRecord command(const QJsonObject &o, F &outer, const QString &taskId = {})
{
    F f(o, u"command"_s);
    CommandRecord c;
    c.taskId = taskId.isEmpty() ? f.string(key("task_id"), Req) : taskId;
    c.seq = f.int32(key("seq"), Req, 1).value_or(0);
    c.argv = f.strings(key("argv"), Req);
    c.cwd = f.string(key("cwd"));
    // Negative exit codes are real: Windows reports NTSTATUS codes as negative ints.
    c.exitCode = f.int32(key("exit_code"), F::Optional, std::numeric_limits<int>::min());
    c.startedAt = f.time(key("started_at"));
    c.endedAt = f.time(key("ended_at"));
    if (!f.ok())
        outer.setError(f.error());
    return c;
}

TestResult test(const QJsonObject &o, F &outer, const QString &taskId = {})
{
    F f(o, u"test"_s);
    TestResult t;
    t.taskId = taskId.isEmpty() ? f.string(key("task_id"), Req) : taskId;
    t.name = f.string(key("name"), Req);
    t.outcome = f.string(key("outcome"), Req);
    t.commandSeq = f.int32(key("command_seq"), F::Optional, 1).value_or(0);
    t.durationMs = f.integer(key("duration_ms"), F::Optional, 0, RecordValues::maxId);
    if (!f.ok())
        outer.setError(f.error());
    return t;
}

FileChange fileChange(const QJsonObject &o, F &outer, const QString &taskId = {})
{
    F f(o, u"file_change"_s);
    FileChange c;
    c.taskId = taskId.isEmpty() ? f.string(key("task_id"), Req) : taskId;
    c.path = f.string(key("path"), Req);
    c.change = f.string(key("change"));
    c.additions = f.int32(key("additions"), F::Optional, 0).value_or(0);
    c.deletions = f.int32(key("deletions"), F::Optional, 0).value_or(0);
    if (!f.ok())
        outer.setError(f.error());
    return c;
}

ExternalContact contact(const QJsonObject &o, F &outer, const QString &taskId = {})
{
    F f(o, u"contact"_s);
    ExternalContact c;
    c.taskId = taskId.isEmpty() ? f.string(key("task_id"), Req) : taskId;
    c.host = f.string(key("host"), Req);
    c.tool = f.string(key("tool"));
    c.purpose = f.string(key("purpose"));
    c.at = f.time(key("at"));
    if (!f.ok())
        outer.setError(f.error());
    return c;
}

FailureRecord failure(const QJsonObject &o, F &outer, const QString &taskId = {})
{
    F f(o, u"failure"_s);
    FailureRecord r;
    r.taskId = taskId.isEmpty() ? f.string(key("task_id"), Req) : taskId;
    r.seq = f.int32(key("seq"), Req, 1).value_or(0);
    // On a line of its own "kind" names the record, so the failure's kind is failure_kind.
    r.kind = f.string(key(taskId.isEmpty() ? "failure_kind" : "kind"));
    r.message = f.string(key("message"));
    r.retried = f.boolean(key("retried")).value_or(false);
    r.at = f.time(key("at"));
    if (!f.ok())
        outer.setError(f.error());
    return r;
}

RepoDecision decision(const QJsonObject &o, F &outer, const QString &campaignId = {})
{
    F f(o, u"decision"_s);
    RepoDecision d;
    d.campaignId = campaignId.isEmpty() ? f.string(key("campaign_id"), Req) : campaignId;
    d.repo = f.repository(key("repo"));
    const QString verdict = f.string(key("verdict"), Req);
    bool known = true;
    d.verdict = repoVerdictFromString(verdict, &known);
    if (f.ok() && !known)
        f.setError(u"field 'verdict': '%1' is neither 'eligible' nor 'skipped'"_s.arg(verdict));
    d.rule = f.string(key("rule"));
    d.reason = f.string(key("reason"));
    d.evidence = f.string(key("evidence"));
    d.taskId = f.string(key("task_id"));
    d.decidedAt = f.time(key("decided_at"));
    if (!f.ok())
        outer.setError(f.error());
    return d;
}

template<typename Item, typename Mapper>
QList<Item> listOf(F &f, const char *name, Mapper map, const QString &parentId)
{
    QList<Item> out;
    const QJsonArray array = f.array(key(name));
    for (const QJsonValue &v : array) {
        if (!v.isObject()) {
            f.setError(u"field '%1': expected an array of objects"_s.arg(QLatin1String(name)));
            break;
        }
        out << map(v.toObject(), f, parentId);
        if (!f.ok())
            break;
    }
    return out;
}

TaskRecord task(F &f)
{
    TaskRecord t;
    t.id = f.string(key("id"), Req);
    t.repo = f.repository(key("repo"));
    t.campaignId = f.string(key("campaign_id"));
    t.requestId = f.string(key("request_id"));
    t.identityId = f.string(key("identity_id"));
    t.policyId = f.string(key("policy_id"));
    t.policyVersion = f.string(key("policy_version"));
    t.templateId = f.string(key("template_id"));
    t.templateVersion = f.string(key("template_version"));
    const QString state = f.string(key("state"));
    t.state = taskStateFromString(state);
    if (f.ok() && !state.isEmpty() && t.state == TaskState::Unknown)
        f.setError(u"field 'state': unknown state '%1'"_s.arg(state));
    t.stateReason = f.string(key("state_reason"));
    t.prompt = f.string(key("prompt"));
    t.baseRef = f.string(key("base_ref"));
    t.headRef = f.string(key("head_ref"));
    t.headSha = f.string(key("head_sha"));
    t.source = u"tasktrail"_s;
    t.createdAt = f.time(key("created_at"));
    t.startedAt = f.time(key("started_at"));
    t.completedAt = f.time(key("completed_at"));
    t.confidence = f.number(key("confidence"));
    if (f.ok() && t.confidence && (*t.confidence < 0 || *t.confidence > 1))
        f.setError(u"field 'confidence': must be between 0 and 1"_s);
    t.knownGaps = f.strings(key("known_gaps"));
    t.prNumber = f.int32(key("pr_number"), F::Optional, 1);
    t.retries = f.int32(key("retries"), F::Optional, 0);
    t.usage = f.object(key("usage"));
    t.sessions = listOf<SessionRecord>(f, "sessions", session, t.id);
    t.commands = listOf<CommandRecord>(f, "commands", command, t.id);
    t.tests = listOf<TestResult>(f, "tests", test, t.id);
    t.filesChanged = listOf<FileChange>(f, "files_changed", fileChange, t.id);
    t.contacts = listOf<ExternalContact>(f, "contacts", contact, t.id);
    t.failures = listOf<FailureRecord>(f, "failures", failure, t.id);
    return t;
}

CampaignRecord campaign(F &f)
{
    CampaignRecord c;
    c.id = f.string(key("id"), Req);
    c.requestId = f.string(key("request_id"));
    c.title = f.string(key("title"));
    c.templateId = f.string(key("template_id"));
    c.templateVersion = f.string(key("template_version"));
    c.policyId = f.string(key("policy_id"));
    c.policyVersion = f.string(key("policy_version"));
    c.createdAt = f.time(key("created_at"));
    c.decisions = listOf<RepoDecision>(f, "decisions", decision, c.id);
    return c;
}

IdentityRecord identity(F &f, int *tokensHashed)
{
    IdentityRecord i;
    i.id = f.string(key("id"), Req);
    // Not "kind": that key already says which record this is.
    const QString kind = f.string(key("identity_kind"), Req);
    i.kind = identityKindFromString(kind);
    if (f.ok() && i.kind == IdentityKind::Unknown)
        f.setError(u"field 'identity_kind': unknown identity kind '%1'"_s.arg(kind));
    i.principal = f.string(key("principal"));
    i.onBehalfOf = f.string(key("on_behalf_of"));
    i.scopes = f.strings(key("scopes"));
    i.hashedToken = f.string(key("hashed_token"));
    i.tokenId = f.string(key("token_id"));
    const QString token = f.string(key("token"));
    if (!token.isEmpty()) {
        if (i.hashedToken.isEmpty())
            i.hashedToken = hashToken(token);
        ++*tokensHashed;
    }
    return i;
}

// Every line's number must fit a log line id (records/logline.h), the last one included.
InlineLog inlineLog(F &f)
{
    InlineLog log;
    log.taskId = f.string(key("task_id"), Req);
    log.commandSeq = f.int32(key("command_seq"), Req, 1).value_or(0);
    log.firstLine = f.integer(key("first_line"), F::Optional, 1, maxLogLineNo).value_or(1);
    log.lines = f.strings(key("lines"), Req);
    const qint64 last = log.firstLine + log.lines.size() - 1;
    if (f.ok() && last > maxLogLineNo)
        f.setError(u"field 'lines': %1 lines from line %2 end at line %3: must end by line %4"_s
                       .arg(log.lines.size())
                       .arg(log.firstLine)
                       .arg(last)
                       .arg(maxLogLineNo));
    return log;
}

PullRequestRecord pullRequest(F &f)
{
    PullRequestRecord p;
    p.repo = f.repository(key("repo"));
    p.number = f.int32(key("number"), Req, 1).value_or(0);
    p.githubId = f.integer(key("github_id"), F::Optional, 1, RecordValues::maxId).value_or(0);
    p.title = f.string(key("title"));
    p.state = f.string(key("state"));
    p.draft = f.boolean(key("draft")).value_or(false);
    p.author = f.string(key("author"));
    p.headRef = f.string(key("head_ref"));
    p.headSha = f.string(key("head_sha"));
    p.baseRef = f.string(key("base_ref"));
    p.url = f.string(key("url"));
    p.mergeCommitSha = f.string(key("merge_commit_sha"));
    p.mergedBy = f.string(key("merged_by"));
    p.mergeableState = f.string(key("mergeable_state"));
    p.labels = f.strings(key("labels"));
    p.requestedReviewers = f.strings(key("requested_reviewers"));
    p.requestedTeams = f.strings(key("requested_teams"));
    p.createdAt = f.time(key("created_at"));
    p.updatedAt = f.time(key("updated_at"));
    p.closedAt = f.time(key("closed_at"));
    p.mergedAt = f.time(key("merged_at"));
    return p;
}

} // namespace

QString hashToken(const QString &token)
{
    return QString::fromLatin1(Sha256::of(token.toUtf8()).toBase64());
}

bool parseTasktrailRecord(const QJsonObject &object, TasktrailRecord *out, QString *error,
                          int *tokensHashed)
{
    F f(object);
    const auto version = f.integer(key("tasktrail"), Req);
    if (f.ok() && *version != tasktrailFormatVersion)
        f.setError(
            u"record format version %1 is not supported (this build reads %2)"_s.arg(*version).arg(
                tasktrailFormatVersion));
    const QString kind = f.string(key("kind"), Req);
    if (!f.ok()) {
        *error = f.error();
        return false;
    }
    if (kind == u"request") {
        *out = RequestRecord{f.string(key("id"), Req),        f.string(key("text")),
                             f.string(key("requester")),      f.string(key("trigger_system")),
                             f.string(key("correlation_id")), f.time(key("created_at"))};
    } else if (kind == u"campaign") {
        *out = campaign(f);
    } else if (kind == u"decision") {
        *out = decision(object, f);
    } else if (kind == u"identity") {
        *out = identity(f, tokensHashed);
    } else if (kind == u"policy") {
        *out =
            PolicyRecord{f.string(key("id"), Req), f.string(key("version"), Req),
                         f.string(key("name")), f.string(key("verdict")), f.string(key("digest"))};
    } else if (kind == u"template") {
        *out = TemplateRecord{f.string(key("id"), Req), f.string(key("version"), Req),
                              f.string(key("name")), f.string(key("digest"))};
    } else if (kind == u"task") {
        *out = task(f);
    } else if (kind == u"session") {
        *out = session(object, f);
    } else if (kind == u"command") {
        *out = command(object, f);
    } else if (kind == u"test") {
        *out = test(object, f);
    } else if (kind == u"file_change") {
        *out = fileChange(object, f);
    } else if (kind == u"contact") {
        *out = contact(object, f);
    } else if (kind == u"failure") {
        *out = failure(object, f);
    } else if (kind == u"pull_request") {
        *out = pullRequest(f);
    } else if (kind == u"review") {
        *out = ReviewRecord{f.integer(key("id"), Req, 1, RecordValues::maxId).value_or(0),
                            f.repository(key("repo")),
                            f.int32(key("pr_number"), Req, 1).value_or(0),
                            f.string(key("reviewer")),
                            f.string(key("state")),
                            f.string(key("commit_id")),
                            f.time(key("submitted_at"))};
    } else if (kind == u"check_run") {
        CheckRunRecord c{f.integer(key("id"), Req, 1, RecordValues::maxId).value_or(0),
                         f.repository(key("repo")),
                         f.string(key("head_sha"), Req),
                         f.string(key("name"), Req),
                         f.string(key("status")),
                         f.string(key("conclusion")),
                         f.string(key("app")),
                         std::nullopt,
                         f.time(key("started_at")),
                         f.time(key("completed_at"))};
        c.prNumber = f.int32(key("pr_number"), F::Optional, 1);
        *out = c;
    } else if (kind == u"log") {
        *out = inlineLog(f);
    } else {
        f.setError(u"unknown record kind '%1'"_s.arg(kind));
    }
    if (!f.ok()) {
        *error = f.error();
        return false;
    }
    return true;
}

} // namespace Tasktrail
