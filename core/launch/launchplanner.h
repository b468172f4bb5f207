#pragma once

#include "records/identity.h"
#include "records/launchrecords.h"
#include "records/request.h"
#include "records/templatespec.h"

#include <QDateTime>
#include <QStringList>
#include <QVariantMap>

#include <functional>
#include <optional>

namespace Tasktrail {

class RecordStore;
class TokenSource;

// What a person (or a system) asks to launch: one approved template over repositories.
struct LaunchRequest
{
    QString templateRef; // "id@version", or "id": the newest version loaded
    QString policyRef;   // the same for the policy
    QStringList repositories;
    QString repositoryQuery; // a glob over the known repositories, e.g. "acme-*/*"
    // Fill the template prompt's {placeholders}; {repo} is filled per repository. A
    // placeholder without a value, or a value without a placeholder, is an error.
    QVariantMap parameters;
    QString requester;
    QString triggerSystem;
    // The identity the runs use: the id at least. Fields left empty are taken from the
    // identity stored under that id; onBehalfOf defaults to the requester.
    IdentityRecord identity;
    QString idempotencyKey; // empty: a new one, so the request is launched once more
    QString backend;        // "copilot-api" or "local"
    QString title;          // the campaign's; empty: the template's name
};

// One repository's outcome of the dry run.
struct RepoPlan
{
    RepoDecision decision;
    // Eligible, but the reviewer team has no capacity left today: the entry is queued as
    // waiting until startAt (rule "budget_exhausted").
    bool waiting = false;
    QDateTime startAt;
};

// The dry run: what a submit of the request would record and start.
struct LaunchPlan
{
    QStringList errors; // the request cannot be launched at all (unknown template, parameters)
    TemplateSpec templ;
    PolicySpec policy;
    QString prompt;     // with the parameters filled in; {repo} still open
    QString requestKey; // identifies "the same request" (template, policy, prompt, identity)
    QString idempotencyKey;
    QString reviewerTeam; // the template's; empty: each repository's owner
    IdentityRecord identity;
    QString policyDenial;                    // non-empty: every repository is policy_denied
    std::optional<QString> existingCampaign; // the idempotency key was submitted before
    QList<RepoPlan> repos;                   // in name order
    QDateTime plannedAt;

    bool ok() const { return errors.isEmpty(); }
    int eligibleCount() const;
};

// What a submit did.
struct LaunchSubmission
{
    QString error; // empty on success
    QString campaignId;
    QString requestId;
    bool existing = false; // the idempotency key was submitted before; nothing was started
    QStringList taskIds;   // the queue entries created
    LaunchPlan plan;
};

// Plans and submits launches against one store. The dry run reads only; submit writes the
// request, campaign, decisions, identity, queued tasks and queue entries in one batch through
// the RecordStore, so a launched campaign has the same records as an ingested one.
class LaunchPlanner final
{
public:
    using Clock = std::function<QDateTime()>;

    explicit LaunchPlanner(RecordStore &store);

    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Where the identity's token is read from to record its hash; none: no hash.
    void setTokenSource(TokenSource *tokens) { m_tokens = tokens; }

    LaunchPlan plan(const LaunchRequest &request);
    LaunchSubmission submit(const LaunchRequest &request);

    // The team whose review capacity a run in `repo` uses.
    static QString reviewerTeamFor(const TemplateSpec &templ, const QString &repo);

private:
    bool resolveSpecs(const LaunchRequest &request, LaunchPlan &plan);
    void resolveIdentity(const LaunchRequest &request, LaunchPlan &plan);
    void checkGrant(const LaunchRequest &request, LaunchPlan &plan);
    QStringList targetRepositories(const LaunchRequest &request, LaunchPlan &plan);
    void decide(const QStringList &targets, LaunchPlan &plan);
    QString tokenHash(const QString &identityId);

    RecordStore &m_store;
    Clock m_clock;
    TokenSource *m_tokens = nullptr;
};

// Fills a prompt's {name} placeholders from `parameters` ({repo} from `repo` when given, else
// left open). Unknown and missing parameters are appended to *errors.
QString fillPrompt(const QString &prompt, const QVariantMap &parameters, const QString &repo,
                   QStringList *errors);

} // namespace Tasktrail
