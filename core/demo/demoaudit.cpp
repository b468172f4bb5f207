#include "demoaudit.h"

#include "demooutput.h"

#include <QCryptographicHash>
#include <QSet>

#include <algorithm>

namespace Tasktrail::Demo {
namespace {

constexpr qint64 second = 1000;
constexpr qint64 hourMs = 3600 * second;
constexpr qint64 dayMs = 24 * hourMs;

constexpr QByteArrayView gitAgent = "git/2.43.0";
constexpr QByteArrayView ghAgent = "GitHub CLI 2.62.0";
constexpr QByteArrayView copilotAgent = "copilot-swe-agent/1.0";
constexpr QByteArrayView browserAgent =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 "
    "Safari/537.36";

// Personal and machine-user tokens: the identities whose stray calls stand out, outside
// campaigns (a campaign's runs share one token, the hygiene bot's fine-grained one too).
bool isPersonalToken(const Identity &identity)
{
    return identity.kind == "fine_grained_pat" || identity.kind == "oauth_app_token" ||
           identity.kind == "classic_pat";
}

} // namespace

// Who GitHub records as the actor of a token's calls, and how it names the token.
struct AuditTrail::Caller
{
    QByteArray actor;
    bool bot = false;
    QByteArray accessType; // GitHub's programmatic_access_type
    QByteArray hashedToken;
    QByteArray tokenId;
    QByteArray scopes; // comma-separated, for tokens that have OAuth scopes
};

struct AuditTrail::Event
{
    QByteArray action;
    qint64 atMs = 0;
    const Caller *caller = nullptr; // null for a person in the web interface
    QByteArray actor;               // when there is no caller
    const Repo *repo = nullptr;
    bool git = false; // git events name the repository "repository", the others "repo"
    QByteArray operationType;
    QByteArray method;
    QByteArray route;
    QByteArray path;
    int status = 0;
    QByteArrayView userAgent;
};

AuditTrail::AuditTrail(const World &world, quint64 seed, ChunkedFiles &out)
    : m_world(world)
    , m_rng(streamSeed(seed, 4))
    , m_out(out)
{
    // A developer's own git credential: Tasktrail never saw it, so only its hash exists here.
    for (const Human &h : world.humans)
        m_ownTokenHash.append(QCryptographicHash::hash(
                                  QByteArray("own-credential:" + h.login + ':' + m_rng.alnum(16)),
                                  QCryptographicHash::Sha256)
                                  .toBase64());
}

AuditTrail::Caller AuditTrail::callerOf(const Identity &i) const
{
    const QByteArray person = i.human >= 0 ? m_world.humans[i.human].login : i.principal;
    Caller c{i.principal, false, {}, i.hashedToken, i.tokenId, {}};
    if (i.kind == "github_app_installation_token") {
        c.bot = true;
        c.accessType = "GitHub App server-to-server token";
    } else if (i.kind == "github_app_user_token") {
        c.actor = person; // a user-to-server token acts as the user
        c.accessType = "GitHub App user-to-server token";
    } else if (i.kind == "oauth_app_token") {
        c.actor = person;
        c.accessType = "OAuth access token";
        c.scopes = i.scopes.join(',');
    } else if (i.kind == "fine_grained_pat") {
        c.accessType = "Fine-grained personal access token";
    } else if (i.kind == "classic_pat") {
        c.accessType = "Personal access token (classic)";
        c.scopes = i.scopes.join(',');
    } else { // a developer machine: git uses the person's own credential
        c = Caller{person, false, "Personal access token (classic)", m_ownTokenHash.value(i.human),
                   {},     "repo"};
    }
    return c;
}

void AuditTrail::write(const Event &e)
{
    const Repo &repo = *e.repo;
    QByteArray &out = m_out.beginItem();
    JsonWriter json(out);
    json.beginObject()
        .num("@timestamp", e.atMs)
        .str("_document_id", m_rng.alnum(22))
        .str("action", e.action)
        .str("actor", e.caller ? e.caller->actor : e.actor)
        .boolean("actor_is_bot", e.caller && e.caller->bot)
        .num("created_at", e.atMs + m_rng.between(0, 900));
    if (e.caller)
        json.str("hashed_token", e.caller->hashedToken);
    if (!e.operationType.isEmpty())
        json.str("operation_type", e.operationType);
    json.str("org", m_world.orgs[repo.org].login);
    if (e.caller)
        json.str("programmatic_access_type", e.caller->accessType);
    json.str(e.git ? "repository" : "repo", repo.fullName);
    if (!e.method.isEmpty())
        json.str("request_id", m_rng.upperAlnum(4) + ':' + m_rng.upperAlnum(6) + ':' +
                                   m_rng.upperAlnum(7) + ':' + m_rng.upperAlnum(8))
            .str("request_method", e.method)
            .str("route", e.route)
            .num("status_code", e.status);
    if (e.caller && !e.caller->tokenId.isEmpty())
        json.num("token_id", e.caller->tokenId.toLongLong());
    if (e.caller && !e.caller->scopes.isEmpty())
        json.str("token_scopes", e.caller->scopes);
    if (e.git)
        json.str("transport_protocol_name", "http");
    if (!e.path.isEmpty())
        json.str("url_path", e.path);
    json.str("user_agent", e.userAgent).endObject();
    out.append('\n');
    m_out.endItem();
    ++m_events;
}

// An API request event; `pathTail` follows /repos/{owner}/{repo} in the concrete path.
void AuditTrail::request(const Caller &caller, qint64 atMs, const Repo &repo, QByteArrayView method,
                         QByteArrayView route, QByteArrayView pathTail, int status,
                         QByteArrayView userAgent)
{
    Event e;
    e.action = "api.request";
    e.atMs = atMs;
    e.caller = &caller;
    e.repo = &repo;
    e.operationType = "access";
    e.method = method.toByteArray();
    e.route = route.toByteArray();
    e.path = "/repos/" + repo.fullName + pathTail.toByteArray();
    e.status = status;
    e.userAgent = userAgent;
    write(e);
}

void AuditTrail::git(const Caller &caller, qint64 atMs, const Repo &repo, QByteArrayView action)
{
    Event e;
    e.action = action.toByteArray();
    e.atMs = atMs;
    e.caller = &caller;
    e.repo = &repo;
    e.git = true;
    e.userAgent = gitAgent;
    write(e);
}

void AuditTrail::byPerson(QByteArrayView login, qint64 atMs, const Repo &repo,
                          QByteArrayView action)
{
    Event e;
    e.action = action.toByteArray();
    e.atMs = atMs;
    e.actor = login.toByteArray();
    e.repo = &repo;
    e.operationType = action.endsWith("merge") ? "modify" : "create";
    e.userAgent = browserAgent;
    write(e);
}

void AuditTrail::openPullRequest(const Caller &caller, qint64 atMs, const Repo &repo,
                                 QByteArrayView userAgent)
{
    request(caller, atMs, repo, "POST", "/repos/:owner/:repo/pulls", "/pulls", 201, userAgent);
    Event e;
    e.action = "pull_request.create";
    e.atMs = atMs + m_rng.between(20, 300);
    e.caller = &caller;
    e.repo = &repo;
    e.operationType = "create";
    e.userAgent = userAgent;
    write(e);
}

void AuditTrail::addBackground()
{
    // The tokens of the runs at work before the demo's first task: the same actors and tokens
    // as in the runs, but in no run's window.
    QSet<int> used;
    for (const TaskPlan &t : m_world.tasks) {
        if (!m_world.identities[t.identity].hashedToken.isEmpty())
            used.insert(t.identity);
    }
    QList<int> tokens(used.cbegin(), used.cend());
    std::sort(tokens.begin(), tokens.end());
    const qint64 count = std::max<qint64>(4, qint64(m_world.tasks.size()) / 150);
    for (qint64 n = 0; n < count && !tokens.isEmpty(); ++n) {
        const Caller caller = callerOf(m_world.identities[m_rng.pick(tokens)]);
        const Repo &repo = m_rng.pick(m_world.repos);
        const qint64 at = m_world.startMs - m_rng.between(2 * hourMs, 6 * dayMs);
        if (m_rng.chance(0.5))
            request(caller, at, repo, "GET", "/repos/:owner/:repo/pulls", "/pulls", 200, ghAgent);
        else
            git(caller, at, repo, "git.clone");
    }
}

// A repository that no task of this identity works on, so a call there is nobody's business.
int AuditTrail::strayTarget(const TaskPlan &plan)
{
    QSet<int> own;
    for (const TaskPlan &t : m_world.tasks) {
        if (t.identity == plan.identity)
            own.insert(t.repo);
    }
    const int repos = int(m_world.repos.size());
    const int first = int(m_rng.between(0, repos - 1));
    for (int i = 0; i < repos; ++i) {
        const int r = (first + i) % repos;
        if (!own.contains(r) && m_world.repos[r].org != m_world.repos[plan.repo].org)
            return r;
    }
    return -1;
}

void AuditTrail::addStray(const Caller &caller, const TaskPlan &plan, const TaskRun &run,
                          int target)
{
    const Repo &other = m_world.repos[target];
    const RunCommand &last = run.commands.last();
    const qint64 at = m_rng.between(run.startedMs + 20 * second,
                                    std::max(last.startMs, run.startedMs + 30 * second));
    request(caller, at, other, "GET", "/repos/:owner/:repo/zipball/:ref", "/zipball/main", 302,
            ghAgent);
    Event e;
    e.action = "repo.download_zip";
    e.atMs = at + m_rng.between(100, 900);
    e.caller = &caller;
    e.repo = &other;
    e.operationType = "access";
    e.userAgent = ghAgent;
    write(e);
    if (m_strayTask.isEmpty()) {
        m_strayTask = plan.id;
        m_strayRepo = other.fullName;
    }
}

void AuditTrail::addPullRequestEvents(const Repo &repo, const PullRequestPlan &pull)
{
    for (const PullRequestPlan::Review &r : pull.reviews)
        byPerson(r.user, r.atMs, repo, "pull_request_review.submit");
    if (pull.mergedMs)
        byPerson(pull.mergedBy, pull.mergedMs, repo, "pull_request.merge");
}

void AuditTrail::addTask(const TaskPlan &plan, const TaskRun &run)
{
    if (run.commands.isEmpty())
        return;
    const Identity &identity = m_world.identities[plan.identity];
    const Repo &repo = m_world.repos[plan.repo];
    const Caller caller = callerOf(identity);
    if (plan.copilot)
        request(caller, run.startedMs + m_rng.between(1 * second, 8 * second), repo, "GET",
                "/repos/:owner/:repo", {}, 200, copilotAgent);
    for (const RunCommand &c : run.commands) {
        const qint64 at = c.startMs + m_rng.between(300, 2500);
        const bool succeeded = c.exitCode == 0;
        if (c.step == Step::Clone) {
            git(caller, at, repo, "git.clone");
        } else if (c.step == Step::Checkout && plan.copilot) {
            request(caller, at, repo, "GET", "/repos/:owner/:repo/contents/:path",
                    "/contents/package.json", 200, copilotAgent);
        } else if (c.step == Step::GitPush && succeeded) {
            git(caller, at, repo, "git.push");
            // The release bot's push to a protected branch goes through on its admin rights.
            if (identity.kind == "classic_pat" && m_rng.chance(0.25)) {
                Event e;
                e.action = "protected_branch.policy_override";
                e.atMs = at + m_rng.between(5, 80);
                e.caller = &caller;
                e.repo = &repo;
                e.operationType = "modify";
                e.userAgent = gitAgent;
                write(e);
            }
        } else if (c.step == Step::GhPrCreate && succeeded) {
            openPullRequest(caller, at, repo, ghAgent);
        }
    }
    // Copilot opens its pull request itself, through the same API.
    if (plan.copilot && run.pull)
        openPullRequest(caller, run.pull->createdMs - m_rng.between(300, 2000), repo, copilotAgent);
    // The first run of a personal token that got going reaches into another organisation's
    // repository; now and then another one does the same. (Campaign runs share their token,
    // so such a call could not be told from theirs: the demo keeps its stray calls clear.)
    if (plan.campaign < 0 && isPersonalToken(identity) && run.commands.size() >= 2 &&
        (m_strayTask.isEmpty() || m_rng.chance(0.01))) {
        const int target = strayTarget(plan);
        if (target >= 0)
            addStray(caller, plan, run, target);
    }
    if (run.pull)
        addPullRequestEvents(repo, *run.pull);
}

} // namespace Tasktrail::Demo
