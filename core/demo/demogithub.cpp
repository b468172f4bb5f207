// GitHub REST shapes: Copilot agent tasks (docs/github-agent-tasks.md), pull requests,
// reviews and check runs, as the API returns them.
#include "demooutput.h"
#include "demowriters.h"

#include <algorithm>

namespace Tasktrail::Demo {
namespace {

constexpr qint64 aiCreditsSince = utcMs(2026, 6, 1);
constexpr qint64 machineUserIds = 149000000;

QByteArray apiRepo(const Repo &repo)
{
    return "https://api.github.com/repos/" + repo.fullName;
}

QByteArray pullApiUrl(const Repo &repo, int number)
{
    return apiRepo(repo) + "/pulls/" + QByteArray::number(number);
}

// GraphQL node ids are opaque; a stable stand-in derived from the database id will do.
QByteArray nodeId(QByteArrayView prefix, qint64 id)
{
    return prefix.toByteArray() + "_kwDO" + QByteArray::number(id * 7919 + 13, 36).toUpper();
}

// The account that created the task: the person a token acts for, or the machine user that
// owns a personal access token.
qint64 creatorId(const World &world, const TaskPlan &plan)
{
    const Identity &identity = world.identities[plan.identity];
    if (identity.kind == "fine_grained_pat" && !identity.onBehalfOf.isEmpty())
        return machineUserIds + plan.identity;
    return world.humans[identity.human >= 0 ? identity.human : plan.requester].id;
}

// Names the request and task, then ticks off the checks the agent ran and passed.
QByteArray pullBody(const World &world, const TaskPlan &plan, const TaskRun &run)
{
    QByteArray body =
        "Automated change for request " +
        (plan.campaign >= 0 ? world.campaigns[plan.campaign].requestId : plan.requestId) +
        " (task " + plan.id + ").\n\n";
    for (const RunCommand &c : run.commands) {
        const bool check = c.step == Step::NpmCi || c.step == Step::NpmTest ||
                           c.step == Step::NpmLint || c.step == Step::NpmBuild ||
                           c.step == Step::Markdownlint;
        if (check && c.exitCode == 0)
            body += "- [x] `" + c.argv.join(' ') + "`\n";
    }
    for (const QByteArray &gap : run.knownGaps)
        body += "- [ ] " + gap + '\n';
    return body;
}

void idObject(JsonWriter &json, QByteArrayView key, qint64 id)
{
    json.beginObject(key).num("id", id).endObject();
}

void writeSession(JsonWriter &json, const World &world, const TaskPlan &plan, const TaskRun &run,
                  const RunSession &s)
{
    const Repo &repo = world.repos[plan.repo];
    json.beginObject().str("id", s.id).str("name", plan.work.title);
    idObject(json, "user", creatorId(world, plan));
    idObject(json, "owner", world.orgs[repo.org].id);
    idObject(json, "repository", repo.id);
    json.str("task_id", plan.id)
        .str("state", s.state)
        .time("created_at", s.startMs)
        .time("updated_at", s.endMs ? s.endMs : run.updatedMs)
        .time("completed_at", s.endMs)
        .str("prompt", run.prompt)
        .str("head_ref", run.headRef)
        .str("base_ref", "main")
        .str("model", run.model);
    if (s.state != "queued") {
        // Seeded per session, so the amount does not depend on anything else in the task.
        Random rng(plan.seed ^ static_cast<quint64>(s.attempt));
        json.beginObject("usage");
        if (s.startMs >= aiCreditsSince) {
            json.str("type", "ai_credits").num("amount", rng.between(2, 40) * 100000000);
        } else {
            json.str("type", "premium_requests");
            if (rng.chance(0.2))
                json.fixed("amount", 1.5, 1);
            else
                json.num("amount", 1);
        }
        json.endObject();
    }
    if (!s.error.isEmpty())
        json.beginObject("error").str("message", s.error).endObject();
    json.endObject();
}

} // namespace

void writeAgentTask(JsonWriter &json, const World &world, const TaskPlan &plan, const TaskRun &run)
{
    const Repo &repo = world.repos[plan.repo];
    json.beginObject()
        .str("id", plan.id)
        .str("url", "https://api.github.com/agents/repos/" + repo.fullName + "/tasks/" + plan.id)
        .str("html_url", "https://github.com/" + repo.fullName + "/copilot/tasks/" + plan.id)
        .str("name", plan.work.title);
    idObject(json, "creator", creatorId(world, plan));
    json.str("creator_type", "user");
    idObject(json, "owner", world.orgs[repo.org].id);
    idObject(json, "repository", repo.id);
    json.str("state", run.state).num("session_count", run.sessions.size()).beginArray("artifacts");
    if (run.pull) {
        json.beginObject().str("provider", "github").str("type", "pull").beginObject("data");
        json.num("id", run.pull->githubId).str("global_id", nodeId("PR", run.pull->githubId));
        json.endObject().endObject();
    }
    const bool pushed =
        std::any_of(run.commands.cbegin(), run.commands.cend(),
                    [](const RunCommand &c) { return c.step == Step::GitPush && c.exitCode == 0; });
    if (pushed) {
        json.beginObject().str("provider", "github").str("type", "branch").beginObject("data");
        json.str("head_ref", run.headRef).str("base_ref", "main").endObject().endObject();
    }
    json.endArray()
        .null("archived_at")
        .time("created_at", plan.createdMs)
        .time("updated_at", run.completedMs ? run.completedMs : run.updatedMs)
        .beginArray("sessions");
    for (const RunSession &s : run.sessions)
        writeSession(json, world, plan, run, s);
    json.endArray().endObject();
}

void writePullRequest(JsonWriter &json, const World &world, const TaskPlan &plan,
                      const TaskRun &run)
{
    const Repo &repo = world.repos[plan.repo];
    const PullRequestPlan &p = *run.pull;
    const QByteArray webUrl =
        "https://github.com/" + repo.fullName + "/pull/" + QByteArray::number(p.number);
    const bool open = p.state == "open";
    json.beginObject()
        .str("url", pullApiUrl(repo, p.number))
        .num("id", p.githubId)
        .str("node_id", nodeId("PR", p.githubId))
        .str("html_url", webUrl)
        .num("number", p.number)
        .str("state", p.state)
        .boolean("locked", false)
        .str("title", plan.work.title)
        .beginObject("user")
        .str("login", p.author)
        .str("type", p.author == "Copilot" || p.author.endsWith("[bot]") ? "Bot" : "User")
        .endObject()
        .str("body", pullBody(world, plan, run))
        .beginArray("labels");
    for (const QByteArray &label : p.labels)
        json.beginObject().str("name", label).endObject();
    json.endArray().beginArray("requested_reviewers");
    if (open) {
        for (const QByteArray &login : p.reviewers) {
            const bool reviewed = std::any_of(p.reviews.cbegin(), p.reviews.cend(),
                                              [&](const auto &r) { return r.user == login; });
            if (!reviewed)
                json.beginObject().str("login", login).endObject();
        }
    }
    json.endArray().beginArray("requested_teams");
    json.beginObject().str("slug", p.team).str("name", p.team).endObject();
    json.endArray()
        .time("created_at", p.createdMs)
        .time("updated_at", p.updatedMs)
        .timeOrNull("closed_at", p.closedMs)
        .timeOrNull("merged_at", p.mergedMs)
        .strOrNull("merge_commit_sha", p.mergeCommitSha)
        .boolean("draft", p.draft)
        .beginObject("head")
        .str("ref", run.headRef)
        .str("sha", run.headSha)
        .beginObject("repo")
        .num("id", repo.id)
        .str("full_name", repo.fullName)
        .endObject()
        .endObject()
        .beginObject("base")
        .str("ref", "main")
        .beginObject("repo")
        .num("id", repo.id)
        .str("full_name", repo.fullName)
        .boolean("archived", repo.archived)
        .endObject()
        .endObject();
    if (p.mergedBy.isEmpty())
        json.null("merged_by");
    else
        json.beginObject("merged_by").str("login", p.mergedBy).endObject();
    json.str("mergeable_state", p.mergeableState).str("author_association", "CONTRIBUTOR");
    json.endObject();
}

void writeReview(JsonWriter &json, const World &world, const TaskPlan &plan, const TaskRun &run,
                 const PullRequestPlan::Review &review)
{
    const Repo &repo = world.repos[plan.repo];
    const int number = run.pull->number;
    const QByteArray body =
        review.state == "CHANGES_REQUESTED"
            ? QByteArray("Please keep the lockfile in npm 9 format; CI still pins npm 9.")
        : review.state == "COMMENTED" ? QByteArray("Were the integration tests run for this?")
                                      : QByteArray();
    json.beginObject()
        .num("id", review.id)
        .str("node_id", nodeId("PRR", review.id))
        .beginObject("user")
        .str("login", review.user)
        .endObject()
        .str("body", body)
        .str("state", review.state)
        .str("html_url", "https://github.com/" + repo.fullName + "/pull/" +
                             QByteArray::number(number) + "#pullrequestreview-" +
                             QByteArray::number(review.id))
        .str("pull_request_url", pullApiUrl(repo, number))
        .str("author_association", "MEMBER")
        .time("submitted_at", review.atMs)
        .str("commit_id", run.headSha)
        .endObject();
}

void writeCheckRun(JsonWriter &json, const World &world, const TaskPlan &plan, const TaskRun &run,
                   const PullRequestPlan::Check &check)
{
    const Repo &repo = world.repos[plan.repo];
    const PullRequestPlan &p = *run.pull;
    const QByteArray webUrl =
        "https://github.com/" + repo.fullName + "/runs/" + QByteArray::number(check.id);
    json.beginObject()
        .num("id", check.id)
        .str("name", check.name)
        .str("node_id", nodeId("CR", check.id))
        .str("head_sha", run.headSha)
        .str("external_id", "")
        .str("url", apiRepo(repo) + "/check-runs/" + QByteArray::number(check.id))
        .str("html_url", webUrl)
        .str("details_url", webUrl)
        .str("status", check.status)
        .strOrNull("conclusion", check.conclusion)
        .time("started_at", check.startMs)
        .timeOrNull("completed_at", check.endMs)
        .beginObject("check_suite")
        .num("id", p.checkSuiteId)
        .endObject()
        .beginObject("app")
        .num("id", 15368)
        .str("slug", "github-actions")
        .str("name", "GitHub Actions")
        .endObject()
        .beginArray("pull_requests")
        .beginObject()
        .str("url", pullApiUrl(repo, p.number))
        .num("id", p.githubId)
        .num("number", p.number)
        .beginObject("head")
        .str("ref", run.headRef)
        .str("sha", run.headSha)
        .endObject()
        .beginObject("base")
        .str("ref", "main")
        .endObject()
        .endObject()
        .endArray()
        .endObject();
}

} // namespace Tasktrail::Demo
