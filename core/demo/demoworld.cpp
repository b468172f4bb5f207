#include "demoworld.h"

#include "demogenerator.h"
#include "demooutput.h"
#include "demoplanner.h"
#include "demopolicies.h"
#include "policy/policyfile.h"

#include <QCryptographicHash>

#include <array>
#include <numeric>
#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail::Demo {
namespace {

constexpr std::array orgNames{"acme-web", "acme-payments", "acme-platform", "acme-data"};
// Two teams per org, in org order; repositories are spread over them round-robin.
constexpr std::array teamSlugs{"web",      "design-system", "payments-core", "checkout",
                               "platform", "sre",           "data-eng",      "ml-infra"};
constexpr std::array humanLogins{
    "mchen",   "aokafor", "pgomes",  "lrossi",  "skumar",  "jnakamura", "efischer",  "tnguyen",
    "rdiaz",   "kwalker", "ahassan", "bmuller", "cdubois", "dpetrov",   "fsilva",    "gkim",
    "hjansen", "ilopez",  "jsmith",  "knovak",  "lbrown",  "mgarcia",   "nkowalski", "ooconnor"};
constexpr std::array repoWords{
    "checkout",      "billing",       "ledger",    "invoice",      "cart",       "catalog",
    "search",        "auth",          "session",   "profile",      "notify",     "email",
    "sms",           "feature-flags", "metrics",   "audit",        "gateway",    "storefront",
    "admin",         "reports",       "pricing",   "inventory",    "shipping",   "returns",
    "loyalty",       "payouts",       "fraud",     "kyc",          "onboarding", "docs-site",
    "design-tokens", "ui-kit",        "web-shell", "mobile-bff",   "graph",      "events",
    "ingest",        "etl",           "warehouse", "model-serving"};
constexpr std::array repoKinds{"service",  "api",       "web",   "worker", "ui",    "sdk",
                               "cli",      "jobs",      "lib",   "app",    "proxy", "bot",
                               "consumer", "dashboard", "tools", "gateway"};
constexpr std::array otherManifests{"go.mod", "pyproject.toml", "pom.xml", "Cargo.toml"};

} // namespace

Planner::Planner(const DemoOptions &options, World &world)
    : m_world(world)
    , m_rng(streamSeed(options.seed, 1))
    , m_ids(streamSeed(options.seed, 2))
    , m_seed(options.seed)
    , m_scale(options.scale)
{}

void Planner::buildPeople()
{
    for (qsizetype i = 0; i < qsizetype(orgNames.size()); ++i)
        m_world.orgs.append(Org{orgNames[i], 91000001 + i * 37});
    for (qsizetype i = 0; i < qsizetype(teamSlugs.size()); ++i)
        m_world.teams.append(Team{int(i / 2), teamSlugs[i], {}});
    for (qsizetype i = 0; i < qsizetype(humanLogins.size()); ++i) {
        const int team = int(i % teamSlugs.size());
        m_world.humans.append(Human{humanLogins[i], 5100000 + i * 7919, team});
        m_world.teams[team].members.append(int(i));
    }
    m_world.freezes = {Freeze{"payments-release-42", utcMs(2026, 11, 10), utcMs(2026, 12, 1)},
                       Freeze{"web-release-17", utcMs(2026, 6, 1), utcMs(2026, 6, 15)},
                       Freeze{"data-q3-close", utcMs(2026, 9, 24), utcMs(2026, 10, 6)}};
}

void Planner::buildRepos(int count)
{
    const qsizetype combos = qsizetype(repoWords.size() * repoKinds.size());
    QList<int> names(combos);
    std::iota(names.begin(), names.end(), 0);
    for (qsizetype i = combos - 1; i > 0; --i)
        std::swap(names[i], names[m_rng.between(0, i)]);
    for (int i = 0; i < count; ++i) {
        Repo r;
        r.team = i % int(teamSlugs.size());
        r.org = m_world.teams[r.team].org;
        const int combo = names[i % combos];
        r.name = QByteArray(repoWords[combo / repoKinds.size()]) + '-' +
                 repoKinds[combo % repoKinds.size()];
        if (i >= combos)
            r.name += '-' + decimal(i / combos + 1);
        r.fullName = m_world.orgs[r.org].login + '/' + r.name;
        r.id = 412000000 + qint64(i) * 1031 + m_rng.between(0, 1000);
        // The first three are the showcase's skips: archived, not npm, frozen.
        r.archived = i == 0 || (i > 2 && m_rng.chance(0.03));
        r.npm = i != 1 && (i < 3 || m_rng.chance(0.88));
        if (!r.npm)
            r.manifest = m_rng.pick(otherManifests);
        const QByteArray &org = m_world.orgs[r.org].login;
        if (i == 2 || (i > 2 && org == "acme-payments" && m_rng.chance(0.35)))
            r.freeze = 0;
        else if (i > 2 && org == "acme-web" && m_rng.chance(0.3))
            r.freeze = 1;
        else if (i > 2 && org == "acme-data" && m_rng.chance(0.3))
            r.freeze = 2;
        r.version = decimal(m_rng.between(1, 4)) + '.' + decimal(m_rng.between(0, 20)) + '.' +
                    decimal(m_rng.between(0, 9));
        r.firstPr = int(m_rng.between(12, 900));
        m_world.repos.append(r);
    }
    m_repoOrder.resize(count);
    std::iota(m_repoOrder.begin(), m_repoOrder.end(), 0);
}

int Planner::addIdentity(QByteArray id, QByteArray kind, QByteArray principal, int human,
                         QList<QByteArray> scopes, QByteArray token)
{
    Identity identity;
    identity.id = std::move(id);
    identity.kind = std::move(kind);
    identity.principal = std::move(principal);
    identity.human = human;
    if (human >= 0 && identity.principal != m_world.humans[human].login)
        identity.onBehalfOf = m_world.humans[human].login;
    identity.scopes = std::move(scopes);
    // Only the digest is kept, as GitHub's audit log does; the token itself is never written.
    if (!token.isEmpty()) {
        identity.hashedToken =
            QCryptographicHash::hash(token, QCryptographicHash::Sha256).toBase64();
        identity.tokenId = decimal(m_rng.between(100000000, 999999999));
    }
    m_world.identities.append(identity);
    return int(m_world.identities.size() - 1);
}

void Planner::buildIdentities()
{
    const QList<QByteArray> fineGrained{"agent_tasks:write", "contents:write",
                                        "pull_requests:write", "metadata:read"};
    const int humans = int(m_world.humans.size());
    for (int h = 0; h < humans; ++h) {
        const QByteArray &login = m_world.humans[h].login;
        m_patOf.append(addIdentity("pat-" + login, "fine_grained_pat", login, h, fineGrained,
                                   "github_pat_11" + m_rng.upperAlnum(20) + '_' + m_rng.alnum(59)));
        m_portalOf.append(addIdentity("portal-" + login, "oauth_app_token", "dev-portal", h,
                                      {"repo", "read:org"}, "gho_" + m_rng.alnum(36)));
        m_localOf.append(addIdentity("local-" + login, "local_user",
                                     login + "@devbox-" + decimal(m_rng.between(10, 99)), h, {},
                                     {}));
        const int team = m_world.humans[h].team;
        m_appUserOf.append(team == platformTeam || team == sreTeam
                               ? addIdentity("app-user-svc-migrations-" + login,
                                             "github_app_user_token", "svc-migrations[bot]", h,
                                             fineGrained + QList<QByteArray>{"workflows:write"},
                                             "ghu_" + m_rng.alnum(36))
                               : -1);
    }
    const QList<int> &platform = m_world.teams[platformTeam].members;
    const QList<int> &sre = m_world.teams[sreTeam].members;
    m_installation = addIdentity(
        "app-installation-svc-migrations", "github_app_installation_token", "svc-migrations[bot]",
        -1, {"contents:write", "pull_requests:write", "checks:read"}, "ghs_" + m_rng.alnum(36));
    m_releaseBot = addIdentity("classic-release-bot", "classic_pat", "release-bot", sre.first(),
                               {"repo", "workflow"}, "ghp_" + m_rng.alnum(36));
    m_hygieneBot = addIdentity("pat-svc-repo-hygiene", "fine_grained_pat", "svc-repo-hygiene",
                               platform.first(), fineGrained,
                               "github_pat_11" + m_rng.upperAlnum(20) + '_' + m_rng.alnum(59));
}

// Each version's digest is that of its shipped file (demopolicies.h), as `policy load` stores
// it, so the catalog records and the loaded texts agree.
bool Planner::buildCatalogues(QString *error)
{
    QString missing;
    const auto digestOf = [&](PolicyDocument::Kind kind, const QByteArray &id,
                              const QByteArray &version) {
        const ShippedPolicyFile *file =
            findShippedPolicy(kind, QString::fromLatin1(id), QString::fromLatin1(version));
        if (!file && missing.isEmpty())
            missing = u"the demo ships no %1 file for %2@%3"_s.arg(
                toString(kind), QString::fromLatin1(id), QString::fromLatin1(version));
        return file ? file->document.digest.toLatin1() : QByteArray();
    };
    const auto policy = [&](QByteArray id, QByteArray version, QByteArray name, int maxRepos,
                            int reviews) {
        const QByteArray digest = digestOf(PolicyDocument::Kind::Policy, id, version);
        m_world.policies.append(Policy{id, version, name, digest, maxRepos, reviews});
    };
    policy("deps-fanout", "4", "Dependency fan-out", 50, 8);
    policy("deps-fanout", "5", "Dependency fan-out", 50, 8);
    policy("fanout-standard", "2", "Standard campaign fan-out", 40, 8);
    policy("fanout-standard", "3", "Standard campaign fan-out", 40, 8);
    policy("portal-single", "2", "Single-repository portal request", 1, 0);
    policy("release-bot", "1", "Weekly release preparation", 1, 0);
    policy("local-dev", "1", "Developer machine", 1, 0);
    const auto templ = [&](QByteArray id, QByteArray version, QByteArray name) {
        const QByteArray digest = digestOf(PolicyDocument::Kind::Template, id, version);
        m_world.templates.append(Template{id, version, name, digest});
    };
    templ("deps-bump", "2", "Dependency bump (npm)");
    templ("deps-bump", "3", "Dependency bump (npm)");
    templ("ci-migrate", "2", "CI workflow migration");
    templ("repo-hygiene", "1", "Repository hygiene file");
    templ("runtime-upgrade", "2", "Node.js runtime upgrade");
    templ("fix-flaky-test", "1", "Fix a flaky test");
    templ("release-prep", "4", "Weekly release pull request");
    templ("docs-update", "1", "Documentation update");
    templ("unit-tests", "2", "Add missing unit tests");
    if (!missing.isEmpty())
        *error = missing;
    return missing.isEmpty();
}

QByteArray Random::hex(int length)
{
    static constexpr char digits[] = "0123456789abcdef";
    QByteArray out(length, Qt::Uninitialized);
    for (int i = 0; i < length; ++i)
        out[i] = digits[next() & 0xf];
    return out;
}

QByteArray Random::alnum(int length)
{
    static constexpr char chars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray out(length, Qt::Uninitialized);
    for (int i = 0; i < length; ++i)
        out[i] = chars[next() % 62];
    return out;
}

QByteArray Random::upperAlnum(int length)
{
    static constexpr char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    QByteArray out(length, Qt::Uninitialized);
    for (int i = 0; i < length; ++i)
        out[i] = chars[next() % 36];
    return out;
}

QByteArray Random::uuid()
{
    QByteArray h = hex(32);
    h[12] = '4';
    h[16] = "89ab"[next() & 3];
    return h.left(8) + '-' + h.mid(8, 4) + '-' + h.mid(12, 4) + '-' + h.mid(16, 4) + '-' +
           h.mid(20);
}

quint64 streamSeed(quint64 seed, quint64 stream)
{
    // splitmix64 of the pair: nearby seeds and streams give unrelated engines.
    quint64 z = seed + 0x9e3779b97f4a7c15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

bool Work::needsNpm() const
{
    return kind != WorkKind::AddFile && kind != WorkKind::DocsUpdate;
}

QByteArray World::teamHandle(int team) const
{
    return '@' + orgs[teams[team].org].login + '/' + teams[team].slug;
}

} // namespace Tasktrail::Demo
