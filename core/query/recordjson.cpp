#include "recordjson.h"

#include "findingjson.h"
#include "policy/conformance.h"
#include "policy/policyfile.h"
#include "policy/policyloader.h"
#include "records/recordfields.h"
#include "runsentence.h"
#include "text/tasktraillink.h"

#include <type_traits>
#include <variant>

using namespace Qt::StringLiterals;

namespace Tasktrail::RecordJson {
namespace {

// Builds an object, skipping empty strings, invalid times and absent optionals.
class Obj
{
public:
    Obj &set(const QString &key, const QString &value)
    {
        if (!value.isEmpty())
            m_o.insert(key, value);
        return *this;
    }
    Obj &set(const QString &key, const QDateTime &value)
    {
        if (value.isValid())
            m_o.insert(key, value.toUTC().toString(Qt::ISODateWithMs));
        return *this;
    }
    template<typename T> Obj &set(const QString &key, const std::optional<T> &value)
    {
        if (value)
            m_o.insert(key, double(*value));
        return *this;
    }
    Obj &set(const QString &key, const QStringList &value)
    {
        if (!value.isEmpty())
            m_o.insert(key, QJsonArray::fromStringList(value));
        return *this;
    }
    Obj &set(const QString &key, const QJsonValue &value)
    {
        if (!(value.isArray() && value.toArray().isEmpty()) &&
            !(value.isObject() && value.toObject().isEmpty()))
            m_o.insert(key, value);
        return *this;
    }
    Obj &number(const QString &key, qint64 value)
    {
        m_o.insert(key, double(value));
        return *this;
    }
    Obj &flag(const QString &key, bool value)
    {
        m_o.insert(key, value);
        return *this;
    }
    operator QJsonObject() const { return m_o; }

private:
    QJsonObject m_o;
};

// Every field of a record under its column's name (records/recordfields.h), left out where
// the record does not state it. Enums are written even when unknown. `omit` names a field the
// enclosing object already says (the task of a record listed inside the task).
template<typename Record>
Obj fields(const Record &r, std::span<const RecordField<Record>> list, const char *omit = nullptr)
{
    Obj o;
    for (const RecordField<Record> &f : list) {
        if (omit && qstrcmp(f.name, omit) == 0)
            continue;
        const QString key = QString::fromLatin1(f.name);
        std::visit(
            [&](auto member) {
                const auto &value = r.*member;
                using V = std::decay_t<decltype(value)>;
                if constexpr (std::is_enum_v<V>)
                    o.set(key, toString(value));
                else if constexpr (std::is_same_v<V, QJsonObject>)
                    o.set(key, QJsonValue(value));
                else if constexpr (std::is_same_v<V, bool>)
                    o.flag(key, value);
                else if constexpr (std::is_same_v<V, int> || std::is_same_v<V, qint64>) {
                    if (!isUnstated(f, value))
                        o.number(key, value);
                } else
                    o.set(key, value);
            },
            f.member);
    }
    return o;
}

template<typename Record>
QJsonArray fieldsOfEach(const QList<Record> &records, std::span<const RecordField<Record>> list,
                        const char *omit = nullptr)
{
    QJsonArray out;
    for (const Record &r : records)
        out << QJsonObject(fields(r, list, omit));
    return out;
}

QJsonObject decision(const RepoDecision &d)
{
    return fields(d, decisionFields());
}

QJsonObject request(const RequestRecord &r)
{
    return fields(r, requestFields());
}

QJsonObject pullRequest(const PullRequestRecord &p)
{
    return fields(p, pullRequestFields()).flag(u"merged"_s, p.merged());
}

QJsonObject task(const TaskRecord &t)
{
    const QJsonArray sessions = fieldsOfEach(t.sessions, sessionFields());
    const QJsonArray tests = fieldsOfEach(t.tests, testFields());
    // Files, hosts and failures were always listed without their task's id.
    const QJsonArray files = fieldsOfEach(t.filesChanged, fileChangeFields(), "task_id");
    const QJsonArray contacts = fieldsOfEach(t.contacts, contactFields(), "task_id");
    const QJsonArray failures = fieldsOfEach(t.failures, failureFields(), "task_id");
    Obj o = fields(t, taskFields());
    return o.set(u"sessions"_s, QJsonValue(sessions))
        .set(u"tests"_s, QJsonValue(tests))
        .set(u"files_changed"_s, QJsonValue(files))
        .set(u"contacts"_s, QJsonValue(contacts))
        .set(u"failures"_s, QJsonValue(failures));
}

// An audit event linked to a task; `other_repo` flags a call outside the task's repository.
QJsonObject auditLink(const AuditLink &l, const QString &taskRepo)
{
    const AuditEvent &e = l.event;
    Obj o;
    o.set(u"id"_s, e.id)
        .set(u"at"_s, e.at)
        .set(u"action"_s, e.action)
        .set(u"actor"_s, e.actor)
        .flag(u"actor_is_bot"_s, e.actorIsBot)
        .set(u"repo"_s, e.repo)
        .set(u"request_method"_s, e.requestMethod)
        .set(u"request_route"_s, e.requestRoute)
        .set(u"hashed_token"_s, e.hashedToken)
        .set(u"token_id"_s, e.tokenId)
        .set(u"programmatic_access_type"_s, e.programmaticAccessType)
        .set(u"token_scopes"_s, e.tokenScopes)
        .set(u"user_agent"_s, e.userAgent)
        .set(u"match"_s, l.match);
    if (!e.repo.isEmpty() && e.repo != taskRepo)
        o.flag(u"other_repo"_s, true);
    return o;
}

} // namespace

QJsonObject chain(const TaskChain &c)
{
    QJsonObject out;
    out.insert(u"summary"_s, RunSentence::of(c));
    out.insert(u"task"_s, task(c.task));
    if (c.request)
        out.insert(u"request"_s, request(*c.request));
    if (c.campaign)
        out.insert(u"campaign"_s, QJsonObject(fields(*c.campaign, campaignFields())));
    if (c.decision)
        out.insert(u"decision"_s, decision(*c.decision));
    if (c.identity)
        out.insert(u"identity"_s, QJsonObject(fields(*c.identity, identityFields())));
    if (c.policy)
        out.insert(u"policy"_s, QJsonObject(fields(*c.policy, policyFields())));
    if (c.taskTemplate)
        out.insert(u"template"_s, QJsonObject(fields(*c.taskTemplate, templateFields())));
    QJsonArray commands;
    for (const auto &cmd : c.commands)
        commands << QJsonObject(
            fields(cmd.record, commandFields()).number(u"log_lines"_s, cmd.logLines));
    out.insert(u"commands"_s, commands);
    QJsonArray transcripts;
    for (const auto &t : c.transcripts)
        transcripts << QJsonObject(Obj().set(u"session_id"_s, t.sessionId).set(u"text"_s, t.text));
    if (!transcripts.isEmpty()) // as for check suites
        out.insert(u"transcripts"_s, transcripts);
    QJsonArray transcript;
    for (const TranscriptEntry &e : c.transcript) {
        Obj entry;
        entry.set(u"session_id"_s, e.sessionId)
            .number(u"seq"_s, e.seq)
            .set(u"role"_s, e.role)
            .set(u"tool"_s, e.tool)
            .set(u"call_id"_s, e.callId)
            .set(u"at"_s, e.at)
            .set(u"text"_s, e.text);
        if (e.commandSeq > 0)
            entry.number(u"command_seq"_s, e.commandSeq);
        if (e.sidechain)
            entry.flag(u"sidechain"_s, true);
        if (e.isError)
            entry.flag(u"is_error"_s, true);
        transcript << QJsonObject(entry);
    }
    if (!transcript.isEmpty())
        out.insert(u"transcript"_s, transcript);
    if (c.pullRequest) {
        QJsonObject pr = pullRequest(*c.pullRequest);
        pr.insert(u"reviews"_s, fieldsOfEach(c.reviews, reviewFields()));
        pr.insert(u"check_runs"_s, fieldsOfEach(c.checkRuns, checkRunFields()));
        const QJsonArray suites = fieldsOfEach(c.checkSuites, checkSuiteFields());
        // Only when there are any: chains without suites print as they did before.
        if (!suites.isEmpty())
            pr.insert(u"check_suites"_s, suites);
        out.insert(u"pull_request"_s, pr);
    }
    QJsonArray audit;
    for (const AuditLink &l : c.auditEvents)
        audit << auditLink(l, c.task.repo);
    out.insert(u"audit_events"_s, audit);
    // Without a check there is no review to report: null, not an empty list of findings.
    out.insert(u"review"_s, c.checkedAt
                                ? QJsonValue(QJsonObject{
                                      {u"checked_at"_s, c.checkedAt->toString(Qt::ISODateWithMs)},
                                      {u"verdict"_s, PolicyVerdict::of(c).text()},
                                      {u"findings"_s, findings(c.findings)}})
                                : QJsonValue());
    return out;
}

QJsonObject campaign(const CampaignSummary &s)
{
    QJsonArray repos;
    QJsonObject skipsByReason;
    for (const auto &o : s.repos) {
        QJsonObject row = decision(o.decision);
        row.insert(u"state"_s, toString(o.state));
        if (o.prNumber)
            row.insert(u"pr_number"_s, *o.prNumber);
        row.insert(u"pr_merged"_s, o.prMerged);
        row.insert(u"retries"_s, o.retries);
        repos << row;
        if (o.decision.verdict == RepoVerdict::Skipped) {
            const QString rule = o.decision.rule.isEmpty() ? u"unspecified"_s : o.decision.rule;
            QJsonArray list = skipsByReason.value(rule).toArray();
            list << QJsonObject(Obj()
                                    .set(u"repo"_s, o.decision.repo)
                                    .set(u"reason"_s, o.decision.reason)
                                    .set(u"evidence"_s, o.decision.evidence));
            skipsByReason.insert(rule, list);
        }
    }
    QJsonObject out = fields(s.campaign, campaignFields())
                          .number(u"targeted"_s, s.targeted)
                          .number(u"skipped"_s, s.skipped)
                          .number(u"prs_opened"_s, s.prsOpened)
                          .number(u"prs_merged"_s, s.prsMerged)
                          .number(u"failed"_s, s.failed)
                          .number(u"retried"_s, s.retried);
    out.insert(u"link"_s, campaignLinkUrl(s.campaign.id));
    if (s.request)
        out.insert(u"request"_s, request(*s.request));
    out.insert(u"skips_by_rule"_s, skipsByReason);
    out.insert(u"repos"_s, repos);
    return out;
}

QJsonObject stats(const StoreStats &s)
{
    QJsonObject byState, byRule;
    for (auto it = s.tasksByState.cbegin(); it != s.tasksByState.cend(); ++it)
        byState.insert(it.key(), double(it.value()));
    for (auto it = s.skipsByRule.cbegin(); it != s.skipsByRule.cend(); ++it)
        byRule.insert(it.key(), double(it.value()));
    QJsonObject out = Obj()
                          .number(u"requests"_s, s.requests)
                          .number(u"campaigns"_s, s.campaigns)
                          .number(u"tasks"_s, s.tasks)
                          .number(u"identities"_s, s.identities)
                          .number(u"commands"_s, s.commands)
                          .number(u"log_lines"_s, s.logLines)
                          .number(u"pull_requests"_s, s.pullRequests)
                          .number(u"merged_pull_requests"_s, s.mergedPullRequests)
                          .number(u"reviews"_s, s.reviews)
                          .number(u"check_runs"_s, s.checkRuns)
                          .number(u"skipped_repos"_s, s.skippedRepos)
                          .number(u"ingested_files"_s, s.ingestedFiles)
                          .number(u"redactions"_s, s.redactions)
                          .number(u"evidence_entries"_s, s.evidenceEntries)
                          .set(u"evidence_head"_s, QString::fromLatin1(s.evidenceHead));
    out.insert(u"tasks_by_state"_s, byState);
    out.insert(u"skips_by_rule"_s, byRule);
    return out;
}

QJsonArray searchHits(const QList<SearchHit> &hits)
{
    QJsonArray out;
    for (const auto &h : hits) {
        Obj o;
        o.set(u"kind"_s, h.kind == SearchHit::Kind::LogLine ? u"log"_s : h.recordKind)
            .set(u"task_id"_s, h.taskId)
            .set(u"text"_s, h.text);
        if (h.kind == SearchHit::Kind::LogLine)
            o.number(u"command_seq"_s, h.commandSeq).number(u"line"_s, h.lineNo);
        out << QJsonObject(o);
    }
    return out;
}

QJsonObject queueEntry(const QueueEntry &e)
{
    return fields(e, queueEntryFields(), "spec");
}

QJsonObject taskRow(const TaskRow &r)
{
    return Obj()
        .set(u"id"_s, r.id)
        .set(u"repo"_s, r.repo)
        .set(u"campaign_id"_s, r.campaignId)
        .set(u"state"_s, toString(r.state))
        .set(u"requester"_s, r.requester)
        .set(u"identity"_s, r.identity)
        .set(u"policy"_s, r.policy)
        .set(u"pr_number"_s, r.prNumber)
        .flag(u"pr_merged"_s, r.prMerged)
        .set(u"started_at"_s, r.startedAt)
        .set(u"duration_ms"_s, r.durationMs);
}

QJsonObject policyDocument(const PolicyDocument &d, bool withText)
{
    Obj o;
    o.set(u"kind"_s, toString(d.kind))
        .set(u"id"_s, d.id)
        .set(u"version"_s, d.version)
        .set(u"name"_s, d.name)
        .set(u"digest"_s, d.digest)
        .set(u"source_path"_s, d.sourcePath)
        .set(u"loaded_at"_s, d.loadedAt);
    if (withText)
        o.set(u"text"_s, d.text).set(u"text_redacted"_s, QJsonValue(!isOriginalText(d)));
    return o;
}

} // namespace Tasktrail::RecordJson
