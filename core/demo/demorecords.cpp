// Tasktrail's own record format (docs/record-format.md), one JSON object per line.
#include "demooutput.h"
#include "demowriters.h"

namespace Tasktrail::Demo {
namespace {

constexpr qint64 minuteMs = 60 * 1000;

JsonWriter &beginRecord(JsonWriter &json, QByteArrayView kind)
{
    return json.beginObject().num("tasktrail", 1).str("kind", kind);
}

void strings(JsonWriter &json, QByteArrayView key, const QList<QByteArray> &values)
{
    json.beginArray(key);
    for (const QByteArray &v : values)
        json.str(v);
    json.endArray();
}

void optionalStr(JsonWriter &json, QByteArrayView key, const QByteArray &value)
{
    if (!value.isEmpty())
        json.str(key, value);
}

void writeCommands(JsonWriter &json, const TaskRun &run)
{
    json.beginArray("commands");
    for (const RunCommand &c : run.commands) {
        json.beginObject().num("seq", c.seq);
        strings(json, "argv", c.argv);
        json.str("cwd", c.cwd);
        if (c.exitCode)
            json.num("exit_code", *c.exitCode);
        json.time("started_at", c.startMs).time("ended_at", c.endMs).endObject();
    }
    json.endArray();
}

void writeEvidence(JsonWriter &json, const TaskRun &run)
{
    json.beginArray("tests");
    for (const RunTest &t : run.tests) {
        json.beginObject()
            .str("name", t.file + " › " + t.suite + " › " + t.name)
            .str("outcome", t.outcome)
            .num("command_seq", t.commandSeq)
            .num("duration_ms", t.durationMs)
            .endObject();
    }
    json.endArray().beginArray("files_changed");
    for (const RunFile &f : run.files) {
        json.beginObject()
            .str("path", f.path)
            .str("change", f.change)
            .num("additions", f.additions)
            .num("deletions", f.deletions)
            .endObject();
    }
    json.endArray().beginArray("contacts");
    for (const RunContact &c : run.contacts) {
        json.beginObject()
            .str("host", c.host)
            .str("tool", c.tool)
            .str("purpose", c.purpose)
            .time("at", c.atMs)
            .endObject();
    }
    json.endArray().beginArray("failures");
    for (const RunFailure &f : run.failures) {
        json.beginObject()
            .num("seq", f.seq)
            .str("kind", f.kind)
            .str("message", f.message)
            .boolean("retried", f.retried)
            .time("at", f.atMs)
            .endObject();
    }
    json.endArray();
}

} // namespace

void writeIdentity(JsonWriter &json, const Identity &identity)
{
    // "identity_kind", because "kind" names the record kind on every line.
    beginRecord(json, "identity").str("id", identity.id).str("identity_kind", identity.kind);
    json.str("principal", identity.principal);
    optionalStr(json, "on_behalf_of", identity.onBehalfOf);
    strings(json, "scopes", identity.scopes);
    optionalStr(json, "hashed_token", identity.hashedToken);
    optionalStr(json, "token_id", identity.tokenId);
    json.endObject();
}

void writePolicy(JsonWriter &json, const Policy &policy)
{
    beginRecord(json, "policy")
        .str("id", policy.id)
        .str("version", policy.version)
        .str("name", policy.name)
        .str("verdict", "allowed")
        .str("digest", policy.digest)
        .endObject();
}

void writeTemplate(JsonWriter &json, const Template &templ)
{
    beginRecord(json, "template")
        .str("id", templ.id)
        .str("version", templ.version)
        .str("name", templ.name)
        .str("digest", templ.digest)
        .endObject();
}

void writeCampaignRequest(JsonWriter &json, const World &world, const Campaign &c)
{
    beginRecord(json, "request")
        .str("id", c.requestId)
        .str("text", c.requestText)
        .str("requester", world.humans[c.requester].login)
        .str("trigger_system", c.triggerSystem)
        .str("correlation_id", c.correlationId)
        .time("created_at", c.createdMs - 3 * minuteMs)
        .endObject();
}

void writeCampaign(JsonWriter &json, const World &world, const Campaign &c)
{
    const Template &templ = world.templates[c.templ];
    const Policy &policy = world.policies[c.policy];
    beginRecord(json, "campaign")
        .str("id", c.id)
        .str("request_id", c.requestId)
        .str("title", c.work.title)
        .str("template_id", templ.id)
        .str("template_version", templ.version)
        .str("policy_id", policy.id)
        .str("policy_version", policy.version)
        .time("created_at", c.createdMs)
        .beginArray("decisions");
    for (const Decision &d : c.decisions) {
        const bool skipped = !d.rule.isEmpty();
        json.beginObject()
            .str("repo", world.repos[d.repo].fullName)
            .str("verdict", skipped ? "skipped" : "eligible")
            .str("rule", skipped ? d.rule : QByteArray("default"));
        optionalStr(json, "reason", d.reason);
        json.str("evidence", d.evidence);
        optionalStr(json, "task_id", d.taskId);
        json.time("decided_at", d.decidedMs).endObject();
    }
    json.endArray().endObject();
}

void writeTaskRequest(JsonWriter &json, const World &world, const TaskPlan &plan)
{
    beginRecord(json, "request")
        .str("id", plan.requestId)
        .str("text", plan.requestText.isEmpty() ? plan.work.title : plan.requestText)
        .str("requester", world.humans[plan.requester].login)
        .str("trigger_system", plan.triggerSystem);
    optionalStr(json, "correlation_id", plan.correlationId);
    json.time("created_at", plan.createdMs - 20 * 1000).endObject();
}

void writeTask(JsonWriter &json, const World &world, const TaskPlan &plan, const TaskRun &run)
{
    const Policy &policy = world.policies[plan.policy];
    const Template &templ = world.templates[plan.templ];
    beginRecord(json, "task").str("id", plan.id).str("repo", world.repos[plan.repo].fullName);
    if (plan.campaign >= 0)
        json.str("campaign_id", world.campaigns[plan.campaign].id);
    json.str("request_id",
             plan.campaign >= 0 ? world.campaigns[plan.campaign].requestId : plan.requestId)
        .str("identity_id", world.identities[plan.identity].id)
        .str("policy_id", policy.id)
        .str("policy_version", policy.version)
        .str("template_id", templ.id)
        .str("template_version", templ.version)
        .str("state", run.state);
    optionalStr(json, "state_reason", run.stateReason);
    json.str("prompt", run.prompt).str("base_ref", "main").str("head_ref", run.headRef);
    if (run.startedMs)
        json.str("head_sha", run.headSha);
    json.time("created_at", plan.createdMs)
        .time("started_at", run.startedMs)
        .time("completed_at", run.completedMs);
    if (run.confidence)
        json.fixed("confidence", *run.confidence, 2);
    strings(json, "known_gaps", run.knownGaps);
    // Copilot tasks name their pull request through the agent task's "pull" artifact instead.
    if (run.pull && !plan.copilot)
        json.num("pr_number", run.pull->number);
    json.num("retries", run.retries);
    if (!plan.copilot) {
        // Copilot reports sessions and usage itself (github/agent-tasks-*.json).
        json.beginObject("usage")
            .num("input_tokens", run.inputTokens)
            .num("output_tokens", run.outputTokens)
            .endObject()
            .beginArray("sessions");
        for (const RunSession &s : run.sessions) {
            json.beginObject().str("id", s.id).num("attempt", s.attempt).str("state", s.state);
            json.str("model", run.model);
            optionalStr(json, "error", s.error);
            json.time("started_at", s.startMs).time("completed_at", s.endMs).endObject();
        }
        json.endArray();
    }
    writeCommands(json, run);
    writeEvidence(json, run);
    json.endObject();
}

} // namespace Tasktrail::Demo
