#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <random>
#include <vector>

namespace Tasktrail {
struct DemoOptions;
}

// The demo organisation: orgs, teams, people, repositories, identities, policies and
// templates, and the plan of campaigns and tasks that the writers turn into files.
namespace Tasktrail::Demo {

// std::mt19937_64 is specified bit for bit by the standard, the std distributions are not;
// the ranges are derived here so the same seed gives the same bytes with any library.
class Random final
{
public:
    explicit Random(quint64 seed)
        : m_engine(seed)
    {}

    quint64 next() { return m_engine(); }
    // Inclusive on both ends.
    qint64 between(qint64 low, qint64 high)
    {
        return low + static_cast<qint64>(next() % static_cast<quint64>(high - low + 1));
    }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double probability) { return unit() < probability; }
    template<typename List> const auto &pick(const List &list)
    {
        return list[static_cast<std::size_t>(between(0, static_cast<qint64>(list.size()) - 1))];
    }

    QByteArray hex(int length);
    QByteArray alnum(int length);
    QByteArray upperAlnum(int length);
    QByteArray uuid();

private:
    std::mt19937_64 m_engine;
};

// Independent streams from one seed, so adding a task does not shift every later one.
quint64 streamSeed(quint64 seed, quint64 stream);

enum class WorkKind
{
    DependencyBump,
    CiMigration,
    AddFile,
    RuntimeUpgrade,
    FixFlakyTest,
    ReleasePrep,
    DocsUpdate,
    UnitTests,
};

// What a task changes: "bump lodash 4.17.20 -> 4.17.21", "add CODEOWNERS", ...
struct Work
{
    WorkKind kind = WorkKind::DependencyBump;
    QByteArray subject; // package, action or file
    QByteArray from;
    QByteArray to;
    QByteArray title;  // campaign and pull request title
    QByteArray branch; // head branch without the agent's prefix
    bool needsNpm() const;
};

struct Org
{
    QByteArray login;
    qint64 id = 0;
};

struct Team
{
    int org = 0;
    QByteArray slug;
    QList<int> members; // indexes into World::humans
};

struct Human
{
    QByteArray login;
    qint64 id = 0;
    int team = 0;
};

struct Freeze
{
    QByteArray name;
    qint64 fromMs = 0;
    qint64 untilMs = 0;
};

struct Repo
{
    int org = 0;
    int team = 0;
    QByteArray name;
    QByteArray fullName;
    qint64 id = 0;
    bool archived = false;
    bool npm = true;
    QByteArray manifest; // what the root holds instead of package.json
    int freeze = -1;
    QByteArray version; // package.json version
    int firstPr = 1;    // pull request numbers continue the repository's history
};

struct Identity
{
    QByteArray id;
    QByteArray kind;
    QByteArray principal;
    QByteArray onBehalfOf;
    QList<QByteArray> scopes;
    QByteArray hashedToken;
    QByteArray tokenId;
    int human = -1; // the person it acts for
};

struct Policy
{
    QByteArray id;
    QByteArray version;
    QByteArray name;
    QByteArray digest;
    int maxRepos = 0;         // blast radius per campaign
    int teamDailyReviews = 0; // agent PRs a team reviews per day
};

struct Template
{
    QByteArray id;
    QByteArray version;
    QByteArray name;
    QByteArray digest;
};

struct Decision
{
    int repo = 0;
    QByteArray rule; // empty: eligible
    QByteArray reason;
    QByteArray evidence;
    QByteArray taskId;
    qint64 decidedMs = 0;
};

struct Campaign
{
    QByteArray id;
    QByteArray requestId;
    QByteArray requestText;
    QByteArray triggerSystem;
    QByteArray correlationId;
    int requester = 0;
    int policy = 0;
    int templ = 0;
    int identity = 0;
    bool copilot = false; // launched through the Copilot agent-tasks API
    qint64 createdMs = 0;
    Work work;
    QList<Decision> decisions;
};

// A policy violation the demo plants in one ad-hoc run, for the conformance check to find.
enum class Anomaly
{
    None,
    PasteUpload,        // uploads its test output to paste.example.net
    LaunchedInFreeze,   // starts in a repository during that repository's release freeze
    PushedFailingTests, // pushes, and opens its pull request, while a test fails
    SelfApproval,       // its requester approves and merges the pull request
};

struct TaskPlan
{
    QByteArray id;
    int repo = 0;
    int campaign = -1;
    int requester = 0;
    int identity = 0;
    int policy = 0;
    int templ = 0;
    bool copilot = false;
    Work work;
    qint64 createdMs = 0;
    quint64 seed = 0;
    Anomaly anomaly = Anomaly::None;
    // A task outside a campaign has its own request.
    QByteArray requestId;
    QByteArray requestText;
    QByteArray triggerSystem;
    QByteArray correlationId;
};

struct World
{
    qint64 startMs = 0;
    qint64 nowMs = 0; // the fixed "present" of the demo; no wall clock
    QList<Org> orgs;
    QList<Team> teams;
    QList<Human> humans;
    QList<Freeze> freezes;
    QList<Repo> repos;
    QList<Identity> identities;
    QList<Policy> policies;
    QList<Template> templates;
    QList<Campaign> campaigns;   // the first is the showcase
    std::vector<TaskPlan> tasks; // in creation order

    QByteArray teamHandle(int team) const; // @acme-web/web
};

bool planWorld(const DemoOptions &options, World *world, QString *error);

} // namespace Tasktrail::Demo
