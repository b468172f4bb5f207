// What became of a finished task's pull request: merged, closed or still open at the demo's
// present, with its reviews and check runs.
#include "demotask.h"

#include <algorithm>

namespace Tasktrail::Demo {
namespace {

constexpr qint64 second = 1000;
constexpr qint64 minute = 60 * second;
constexpr qint64 hour = 60 * minute;

} // namespace

PullRequestPlan planPullRequest(const World &world, const TaskPlan &plan, const TaskRun &run,
                                int number, GitHubCounters &counters, Random &rng)
{
    const Repo &repo = world.repos[plan.repo];
    PullRequestPlan p;
    p.number = number;
    p.githubId = (counters.pullId += rng.between(3, 40));
    const Identity &identity = world.identities[plan.identity];
    p.author = plan.copilot                    ? QByteArray("Copilot")
               : identity.kind == "local_user" ? world.humans[identity.human].login
                                               : identity.principal;
    p.team = world.teams[repo.team].slug;
    // Two of the owning team review, never the person the task worked for.
    QList<int> members;
    for (const int m : std::as_const(world.teams[repo.team].members)) {
        if (m != plan.requester && m != identity.human)
            members << m;
    }
    if (members.isEmpty())
        members = world.teams[repo.team].members;
    const qsizetype firstReviewer = qsizetype(rng.between(0, members.size() - 1));
    for (qsizetype i = 0; i < std::min<qsizetype>(2, members.size()); ++i)
        p.reviewers << world.humans[members[(firstReviewer + i) % members.size()]].login;
    switch (plan.work.kind) {
    case WorkKind::DependencyBump:
    case WorkKind::RuntimeUpgrade:
        p.labels = {"dependencies", "automated"};
        break;
    case WorkKind::CiMigration:
        p.labels = {"ci", "automated"};
        break;
    case WorkKind::AddFile:
        p.labels = {"repo-hygiene", "automated"};
        break;
    case WorkKind::ReleasePrep:
        p.labels = {"release"};
        break;
    case WorkKind::DocsUpdate:
        p.labels = {"documentation"};
        break;
    default:
        p.labels = {"tests", "automated"};
        break;
    }
    if (plan.campaign >= 0)
        p.labels << "campaign:" + world.campaigns[plan.campaign].id;
    p.createdMs = run.completedMs - rng.between(1 * second, 20 * second);

    const qint64 delay = rng.chance(0.7) ? rng.between(40 * minute, 20 * hour)
                                         : rng.between(20 * hour, 6 * 24 * hour);
    const qint64 decided = p.createdMs + delay;
    const double fate = rng.unit();
    // The planted self-approval: the requester approves and merges their own task's change.
    const bool selfApproved = plan.anomaly == Anomaly::SelfApproval;
    const QByteArray approver =
        selfApproved ? world.humans[plan.requester].login : p.reviewers.first();
    p.state = "open";
    if (decided < world.nowMs && (fate < 0.68 || selfApproved)) {
        p.state = "closed";
        p.mergedMs = p.closedMs = decided;
        p.mergedBy = approver;
        p.mergeCommitSha = rng.hex(40);
        if (rng.chance(0.3))
            p.reviews.append({0, p.reviewers.last(), "COMMENTED", p.createdMs + delay / 3});
        p.reviews.append({0, approver, "APPROVED", decided - rng.between(minute, delay / 4)});
    } else if (decided < world.nowMs && fate < 0.8) {
        p.state = "closed";
        p.closedMs = decided;
        p.reviews.append({0, p.reviewers.first(),
                          rng.chance(0.6) ? "CHANGES_REQUESTED" : "COMMENTED",
                          p.createdMs + delay / 2});
    } else if (rng.chance(0.4)) {
        const qint64 at = std::min(world.nowMs - minute, p.createdMs + delay / 3);
        p.reviews.append(
            {0, p.reviewers.first(), rng.chance(0.5) ? "CHANGES_REQUESTED" : "COMMENTED", at});
    }
    const bool open = p.state == "open";
    p.draft = open && rng.chance(0.15);
    for (PullRequestPlan::Review &r : p.reviews)
        r.id = (counters.reviewId += rng.between(1, 60));

    const bool npm = repo.npm;
    const QList<QByteArray> names = npm ? QList<QByteArray>{"build", "test (20.x)", "lint"}
                                        : QList<QByteArray>{"build", "validate"};
    p.checkSuiteId = (counters.checkSuiteId += rng.between(1, 50));
    // The check that failed, if any: closed-unmerged pulls often had one, open ones sometimes.
    const qsizetype failing = p.state == "closed" && !p.mergedMs && rng.chance(0.5) ? 1
                              : open && rng.chance(0.15) ? names.size() - 1
                                                         : -1;
    bool unstable = false;
    for (qsizetype i = 0; i < names.size(); ++i) {
        PullRequestPlan::Check c;
        c.id = (counters.checkRunId += rng.between(1, 9));
        c.name = names[i];
        c.startMs = p.createdMs + rng.between(5 * second, 40 * second);
        c.endMs = c.startMs + rng.between(40 * second, 6 * minute);
        c.status = "completed";
        c.conclusion = i == failing ? "failure" : "success";
        if (c.endMs >= world.nowMs) {
            c.status = "in_progress";
            c.conclusion.clear();
            c.endMs = 0;
        }
        unstable = unstable || c.conclusion == "failure";
        p.checks.append(c);
    }
    p.mergeableState = !open ? "unknown" : p.draft ? "draft" : unstable ? "unstable" : "blocked";
    p.updatedMs = std::max({p.createdMs, p.closedMs, p.checks.last().endMs,
                            p.reviews.isEmpty() ? 0 : p.reviews.last().atMs});
    return p;
}

} // namespace Tasktrail::Demo
