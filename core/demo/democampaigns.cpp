#include "demogenerator.h"
#include "demooutput.h"
#include "demoplanner.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Tasktrail::Demo {
namespace {

constexpr qint64 minuteMs = 60 * 1000;
constexpr qint64 hourMs = 60 * minuteMs;
constexpr qint64 dayMs = 24 * hourMs;
constexpr int showcaseTargetCount = 50;

struct CatalogEntry
{
    WorkKind kind;
    const char *subject;
    const char *from;
    const char *to;
    const char *title; // null: derived from the kind
};

// Campaign work; the first entry is the showcase.
constexpr std::array campaignCatalog{
    CatalogEntry{WorkKind::DependencyBump, "lodash", "4.17.20", "4.17.21", nullptr},
    CatalogEntry{WorkKind::CiMigration, "actions/setup-node", "v3", "v4", nullptr},
    CatalogEntry{WorkKind::AddFile, "CODEOWNERS", "", "", nullptr},
    CatalogEntry{WorkKind::DependencyBump, "axios", "1.6.8", "1.7.4", nullptr},
    CatalogEntry{WorkKind::RuntimeUpgrade, "node", "18", "20", nullptr},
    CatalogEntry{WorkKind::DependencyBump, "express", "4.18.2", "4.19.2", nullptr},
    CatalogEntry{WorkKind::AddFile, "SECURITY.md", "", "", nullptr},
    CatalogEntry{WorkKind::DependencyBump, "jest", "29.5.0", "29.7.0", nullptr},
    CatalogEntry{WorkKind::CiMigration, "actions/checkout", "v3", "v4", nullptr},
    CatalogEntry{WorkKind::DependencyBump, "semver", "7.5.1", "7.5.4", nullptr},
    CatalogEntry{WorkKind::DependencyBump, "follow-redirects", "1.15.4", "1.15.6", nullptr},
    CatalogEntry{WorkKind::CiMigration, "actions/cache", "v3", "v4", nullptr},
    CatalogEntry{WorkKind::DependencyBump, "ws", "8.17.0", "8.17.1", nullptr},
    CatalogEntry{WorkKind::AddFile, ".github/dependabot.yml", "", "", "Add Dependabot config"},
    CatalogEntry{WorkKind::DependencyBump, "braces", "3.0.2", "3.0.3", nullptr},
    CatalogEntry{WorkKind::DependencyBump, "cross-spawn", "7.0.3", "7.0.5", nullptr},
};

constexpr std::array flakyTests{"src/api/client.test.js", "src/cart/totals.test.js",
                                "src/session/refresh.test.js", "src/jobs/retry.test.js",
                                "test/integration/webhooks.test.js"};
constexpr std::array untestedModules{"src/utils/money.js", "src/utils/dates.js",
                                     "src/api/pagination.js", "src/cart/discounts.js"};

QByteArray slug(QByteArray text)
{
    for (char &c : text) {
        if (c == '/' || c == '@' || c == '.' || c == ' ')
            c = '-';
    }
    return text.toLower();
}
Work makeWork(const CatalogEntry &e, int wave)
{
    Work w{e.kind, e.subject, e.from, e.to, {}, {}};
    switch (e.kind) {
    case WorkKind::DependencyBump:
        w.title = "Bump " + w.subject + ' ' + w.from + " -> " + w.to;
        w.branch = "bump-" + slug(w.subject) + '-' + w.to;
        break;
    case WorkKind::CiMigration:
        w.title = "Migrate CI to " + w.subject + '@' + w.to;
        w.branch = "ci-" + slug(w.subject) + '-' + w.to;
        break;
    case WorkKind::AddFile:
        w.title = "Add " + w.subject;
        w.branch = "add-" + slug(w.subject);
        break;
    case WorkKind::RuntimeUpgrade:
        w.title = "Upgrade Node.js " + w.from + " -> " + w.to;
        w.branch = "node-" + w.to;
        break;
    default:
        break;
    }
    if (e.title)
        w.title = e.title;
    if (wave > 1) {
        w.title += " (wave " + decimal(wave) + ')';
        w.branch += "-wave-" + decimal(wave);
    }
    return w;
}

} // namespace

QByteArray Planner::nextRequestId()
{
    return "req-" + QByteArray::number(++m_requests).rightJustified(6, '0');
}

bool Planner::frozenAt(const Repo &repo, qint64 ms) const
{
    if (repo.freeze < 0)
        return false;
    const Freeze &f = m_world.freezes[repo.freeze];
    return ms >= f.fromMs && ms < f.untilMs;
}

// 47 clean repositories with no team over its review budget, plus the three that the policy
// skips for each of three different reasons.
QList<int> Planner::showcaseTargets(qint64 at)
{
    QList<int> targets{0, 1, 2};
    QList<int> perTeam(m_world.teams.size(), 0);
    QList<int> order = m_repoOrder;
    for (qsizetype i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[m_rng.between(0, i)]);
    for (const int r : std::as_const(order)) {
        const Repo &repo = m_world.repos[r];
        if (targets.size() == showcaseTargetCount)
            break;
        if (r < 3 || repo.archived || !repo.npm || frozenAt(repo, at) || perTeam[repo.team] >= 8)
            continue;
        ++perTeam[repo.team];
        targets.append(r);
    }
    return targets;
}

QList<int> Planner::sampleTargets(int count)
{
    // A partial Fisher-Yates shuffle over a list that is never reset is still uniform.
    const qsizetype n = m_repoOrder.size();
    for (qsizetype i = 0; i < count; ++i)
        std::swap(m_repoOrder[i], m_repoOrder[m_rng.between(i, n - 1)]);
    return m_repoOrder.first(count);
}

Campaign Planner::newCampaign(int index, const Work &work, qint64 createdMs)
{
    Campaign c;
    c.id = "cmp-" + QByteArray::number(index + 1).rightJustified(4, '0');
    c.requestId = nextRequestId();
    c.work = work;
    c.createdMs = createdMs;
    const QList<int> &owners = m_world.teams[m_rng.chance(0.6) ? platformTeam : sreTeam].members;
    c.requester = m_rng.pick(owners);
    const bool late = createdMs >= utcMs(2026, 8, 15);
    switch (work.kind) {
    case WorkKind::DependencyBump:
        c.templ = createdMs < utcMs(2026, 7, 1) ? 0 : 1;
        c.policy = late ? 1 : 0;
        c.requestText = "Bump " + work.subject + " from " + work.from + " to " + work.to +
                        " in every npm repository that depends on it";
        break;
    case WorkKind::CiMigration:
        c.templ = 2;
        c.requestText = "Move CI workflows to " + work.subject + '@' + work.to + " before " +
                        work.from + " stops receiving updates";
        break;
    case WorkKind::AddFile:
        c.templ = 3;
        c.requestText = "Every active repository needs " + work.subject + " (audit finding)";
        break;
    default:
        c.templ = 4;
        c.requestText = "Upgrade Node.js " + work.from + " to " + work.to + ": Node.js " +
                        work.from + " is end of life";
        break;
    }
    if (work.kind != WorkKind::DependencyBump)
        c.policy = late ? 3 : 2;
    c.triggerSystem = work.kind == WorkKind::AddFile ? "dev-portal" : "migration-script";
    c.correlationId =
        (work.kind == WorkKind::AddFile ? "PORTAL-" : "MIG-") + decimal(m_rng.between(1000, 99999));
    c.copilot = index == 0 || m_rng.chance(0.7);
    if (!c.copilot)
        c.identity = m_installation;
    else if (work.kind == WorkKind::AddFile && m_rng.chance(0.5))
        c.identity = m_hygieneBot;
    else
        c.identity = m_appUserOf[c.requester];
    return c;
}

void Planner::decide(Campaign &c, QList<int> targets)
{
    std::sort(targets.begin(), targets.end(),
              [&](int a, int b) { return m_world.repos[a].fullName < m_world.repos[b].fullName; });
    const Policy &policy = m_world.policies[c.policy];
    const Template &templ = m_world.templates[c.templ];
    const QByteArray policyRef = policy.id + '@' + policy.version;
    QList<int> perTeam(m_world.teams.size(), 0);
    int started = 0;
    for (qsizetype i = 0; i < targets.size(); ++i) {
        const Repo &repo = m_world.repos[targets[i]];
        Decision d;
        d.repo = targets[i];
        d.decidedMs = c.createdMs + i * 20000 + m_rng.between(0, 9000);
        const QByteArray team = m_world.teamHandle(repo.team);
        const QByteArray cap = decimal(policy.teamDailyReviews);
        if (repo.archived) {
            d.rule = "archived";
            d.reason = "repository is archived";
            d.evidence = "GET /repos/" + repo.fullName + " returned \"archived\": true";
        } else if (c.work.needsNpm() && !repo.npm) {
            d.rule = "not_eligible";
            d.reason = "no package.json: template requires npm";
            d.evidence = repo.fullName + "@main has " + repo.manifest +
                         " at the root and no package.json; template " + templ.id + '@' +
                         templ.version + " runs npm";
        } else if (frozenAt(repo, d.decidedMs)) {
            const Freeze &f = m_world.freezes[repo.freeze];
            d.rule = "release_freeze";
            d.reason = "release freeze until " + formatDate(f.untilMs) + " (" + f.name + ')';
            d.evidence = "freeze calendar entry " + f.name + " (" + formatDate(f.fromMs) + " .. " +
                         formatDate(f.untilMs) + ") covers " + repo.fullName;
        } else if (perTeam[repo.team] >= policy.teamDailyReviews) {
            d.rule = "budget_exhausted";
            d.reason =
                "reviewer capacity for team " + team + " reached (" + cap + '/' + cap + " today)";
            d.evidence = team + " already has " + cap +
                         " agent pull requests awaiting review today; policy " + policyRef +
                         " allows " + cap + " per team per day";
        } else if (started >= policy.maxRepos) {
            d.rule = "blast_radius";
            d.reason = "campaign cap of " + decimal(policy.maxRepos) + " repositories reached";
            d.evidence = "policy " + policyRef + " allows " + decimal(policy.maxRepos) +
                         " repositories per campaign; " + decimal(started) + " already started";
        } else {
            ++perTeam[repo.team];
            ++started;
            d.taskId = m_ids.uuid();
            d.evidence =
                c.work.kind == WorkKind::DependencyBump
                    ? QByteArray("package-lock.json resolves " + c.work.subject + '@' + c.work.from)
                    : QByteArray("matches template " + templ.id + '@' + templ.version);
        }
        c.decisions.append(d);
    }
}

int Planner::pickRepo(bool needsNpm)
{
    const QList<Repo> &repos = m_world.repos;
    for (;;) {
        const int r = int(m_rng.between(0, repos.size() - 1));
        if (!repos[r].archived && (repos[r].npm || !needsNpm))
            return r;
    }
}

void Planner::addAdHocTask()
{
    TaskPlan t;
    t.id = m_ids.uuid();
    t.createdMs = m_rng.between(m_world.startMs, m_world.nowMs - 10 * minuteMs);
    t.requestId = nextRequestId();
    t.requester = int(m_rng.between(0, m_world.humans.size() - 1));
    const qint64 roll = m_rng.between(0, 99);
    Work &w = t.work;
    if (roll < 25) {
        w.kind = WorkKind::FixFlakyTest;
        w.subject = m_rng.pick(flakyTests);
        w.title = "Fix flaky test in " + w.subject;
        w.branch = "fix-flaky-" + slug(w.subject.mid(w.subject.lastIndexOf('/') + 1));
        t.requestText = w.subject + " fails about once in ten CI runs on main; make it "
                                    "deterministic without weakening the assertions";
    } else if (roll < 45) {
        constexpr std::array bumps{0, 3, 5, 7, 9, 10, 12, 14, 15};
        w = makeWork(campaignCatalog[std::size_t(m_rng.pick(bumps))], 1);
        t.requestText = w.title + " here; the security scanner flagged " + w.subject + ' ' + w.from;
    } else if (roll < 65) {
        w.kind = WorkKind::ReleasePrep;
    } else if (roll < 80) {
        w.kind = WorkKind::DocsUpdate;
        w.subject = "README.md";
        w.title = "Update README setup steps and badges";
        w.branch = "docs-readme-setup";
        t.requestText = "The README still says to use Node 16 and yarn; update the setup "
                        "steps and the CI badge";
    } else {
        w.kind = WorkKind::UnitTests;
        w.subject = m_rng.pick(untestedModules);
        w.title = "Add unit tests for " + w.subject;
        w.branch = "tests-" + slug(w.subject.mid(w.subject.lastIndexOf('/') + 1));
        t.requestText = "Coverage for " + w.subject +
                        " is below 40%; add unit tests for "
                        "the rounding and currency edge cases";
    }
    t.repo = pickRepo(w.needsNpm());
    const Repo &repo = m_world.repos[t.repo];
    switch (w.kind) {
    case WorkKind::ReleasePrep: {
        // The version, title and branch follow the repository's earlier releases:
        // separateBranches().
        w.subject = "CHANGELOG.md";
        t.requester = m_world.identities[m_releaseBot].human;
        t.identity = m_releaseBot;
        t.policy = 5;
        t.templ = 6;
        t.triggerSystem = "release-workflow";
        t.correlationId = "release-" + formatDate(t.createdMs);
        t.requestText = "Prepare the weekly release pull request for " + repo.fullName;
        break;
    }
    case WorkKind::DocsUpdate:
        t.identity = m_localOf[t.requester];
        t.policy = 6;
        t.templ = 7;
        t.triggerSystem = "local-cli";
        break;
    case WorkKind::DependencyBump:
        t.identity = m_patOf[t.requester];
        t.policy = 4;
        t.templ = t.createdMs < utcMs(2026, 7, 1) ? 0 : 1;
        t.copilot = true;
        t.triggerSystem = "tasktrail-cli";
        break;
    default:
        t.identity = m_portalOf[t.requester];
        t.policy = 4;
        t.templ = w.kind == WorkKind::FixFlakyTest ? 5 : 8;
        t.copilot = true;
        t.triggerSystem = "dev-portal";
        t.correlationId = "PORTAL-" + decimal(m_rng.between(10000, 99999));
        break;
    }
    m_world.tasks.push_back(t);
}

bool Planner::run(QString *error)
{
    m_world.startMs = utcMs(2026, 3, 2);
    m_world.nowMs = utcMs(2026, 11, 24, 9, 0);
    const qint64 taskTotal = std::max<qint64>(60, std::llround(1000 * m_scale));
    const int repoCount = int(std::max<qint64>(72, std::llround(40 * m_scale)));
    const int campaignCount = int(std::max<qint64>(1, std::llround(12 * m_scale)));
    buildPeople();
    buildRepos(repoCount);
    buildIdentities();
    if (!buildCatalogues(error))
        return false;

    const qint64 campaignBudget = taskTotal * 4 / 5;
    qint64 campaignTasks = 0;
    for (int i = 0; i < campaignCount; ++i) {
        const std::size_t entry = std::size_t(i) % campaignCatalog.size();
        const Work work = makeWork(campaignCatalog[entry], int(i / campaignCatalog.size()) + 1);
        qint64 created = m_rng.between(m_world.startMs, m_world.nowMs - 4 * dayMs);
        if (i == 0)
            created = utcMs(2026, 11, 12, 14, 0);
        else if (i == campaignCount - 1 && campaignCount >= 3)
            created = m_world.nowMs - 5 * hourMs; // still rolling out "now"
        created -= created % minuteMs;
        Campaign c = newCampaign(i, work, created);
        const int maxTargets = int(std::min<qsizetype>(70, m_world.repos.size()));
        decide(c, i == 0 ? showcaseTargets(created)
                         : sampleTargets(int(m_rng.between(20, maxTargets))));
        const auto eligible = std::count_if(c.decisions.cbegin(), c.decisions.cend(),
                                            [](const Decision &d) { return d.rule.isEmpty(); });
        if (i > 0 && campaignTasks + eligible > campaignBudget)
            break;
        campaignTasks += eligible;
        for (const Decision &d : std::as_const(c.decisions)) {
            if (!d.rule.isEmpty())
                continue;
            TaskPlan t;
            t.id = d.taskId;
            t.repo = d.repo;
            t.campaign = int(m_world.campaigns.size());
            t.requester = c.requester;
            t.identity = c.identity;
            t.policy = c.policy;
            t.templ = c.templ;
            t.copilot = c.copilot;
            t.work = c.work;
            t.createdMs = d.decidedMs + m_rng.between(1000, 15000);
            m_world.tasks.push_back(t);
        }
        m_world.campaigns.append(c);
    }

    const Campaign &showcase = m_world.campaigns.first();
    QList<QByteArray> rules;
    for (const Decision &d : showcase.decisions) {
        if (!d.rule.isEmpty())
            rules.append(d.rule);
    }
    std::sort(rules.begin(), rules.end());
    if (showcase.decisions.size() != showcaseTargetCount ||
        rules != QList<QByteArray>{"archived", "not_eligible", "release_freeze"}) {
        *error = u"the showcase campaign could not be planned (%1 targets)"_s.arg(
            showcase.decisions.size());
        return false;
    }

    while (qint64(m_world.tasks.size()) < taskTotal)
        addAdHocTask();
    plantAnomalies();
    for (std::size_t i = 0; i < m_world.tasks.size(); ++i)
        m_world.tasks[i].seed = streamSeed(m_seed, 0x10000 + i);
    std::stable_sort(
        m_world.tasks.begin(), m_world.tasks.end(),
        [](const TaskPlan &a, const TaskPlan &b) { return a.createdMs < b.createdMs; });
    separateBranches();
    return true;
}

// Tasktrail links a pull request to the runs of its repository and head branch, so two runs
// on one branch would share a pull request. Weekly releases count up from the repository's
// last one; a repeated request gets a numbered branch, as the agents name them. In time order.
void Planner::separateBranches()
{
    QHash<int, QByteArray> lastRelease;
    QHash<QByteArray, int> uses; // "repo branch"
    for (TaskPlan &t : m_world.tasks) {
        Work &w = t.work;
        if (w.kind == WorkKind::ReleasePrep) {
            w.from = lastRelease.value(t.repo, m_world.repos[t.repo].version);
            const QList<QByteArray> parts = w.from.split('.');
            w.to = parts[0] + '.' + decimal(parts[1].toInt() + 1) + ".0";
            w.title = "Release " + w.to;
            w.branch = "release-" + w.to;
            lastRelease.insert(t.repo, w.to);
        }
        const int n = ++uses[decimal(t.repo) + ' ' + w.branch];
        if (n > 1)
            w.branch += '-' + decimal(n);
    }
}

bool planWorld(const DemoOptions &options, World *world, QString *error)
{
    *world = World();
    Planner planner(options, *world);
    return planner.run(error);
}

} // namespace Tasktrail::Demo
