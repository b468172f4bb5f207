#pragma once

#include "demoworld.h"

#include <QByteArray>
#include <QList>

// The planner that builds the demo world; demoworld.cpp builds the organisation (people,
// repositories, identities, policies, templates), democampaigns.cpp plans campaigns and tasks.
namespace Tasktrail::Demo {

constexpr int platformTeam = 4; // teams whose members run campaigns
constexpr int sreTeam = 5;

inline QByteArray decimal(qint64 n)
{
    return QByteArray::number(n);
}

class Planner final
{
public:
    Planner(const DemoOptions &options, World &world);

    bool run(QString *error);

private:
    void buildPeople();
    void buildRepos(int count);
    void buildIdentities();
    bool buildCatalogues(QString *error);
    int addIdentity(QByteArray id, QByteArray kind, QByteArray principal, int human,
                    QList<QByteArray> scopes, QByteArray token);
    bool frozenAt(const Repo &repo, qint64 ms) const;
    QList<int> showcaseTargets(qint64 at);
    QList<int> sampleTargets(int count);
    Campaign newCampaign(int index, const Work &work, qint64 createdMs);
    void decide(Campaign &campaign, QList<int> targets);
    void addAdHocTask();
    void plantAnomalies();
    void separateBranches();
    int pickRepo(bool needsNpm);
    QByteArray nextRequestId();

    World &m_world;
    Random m_rng;
    Random m_ids;
    quint64 m_seed;
    double m_scale;
    int m_requests = 0;
    QList<int> m_repoOrder;
    QList<int> m_patOf, m_portalOf, m_localOf, m_appUserOf;
    int m_installation = -1;
    int m_releaseBot = -1;
    int m_hygieneBot = -1;
};

} // namespace Tasktrail::Demo
