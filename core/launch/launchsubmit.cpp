// Submitting a planned launch: one batch with the request, campaign, decisions, identity,
// queued tasks and queue entries.
#include "launchplanner.h"

#include "github/tokensource.h"
#include "launchspec.h"
#include "store/recordstore.h"

#include <QCryptographicHash>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QueuedLaunch queuedLaunch(const LaunchPlan &plan, const RepoPlan &rp, const KnownRepository &repo,
                          const QString &requestId)
{
    QueuedLaunch l;
    LaunchSpec &s = l.spec;
    s.taskId = rp.decision.taskId;
    s.repo = rp.decision.repo;
    s.prompt = plan.prompt;
    s.prompt.replace(u"{repo}"_s, s.repo);
    s.baseRef = repo.defaultBranch;
    s.headRef = u"tasktrail/%1-%2"_s.arg(plan.templ.id, s.taskId.left(8));
    s.timeBudgetMs = plan.templ.maxRuntimeMs;
    s.identityId = plan.identity.id;
    s.localRepositoryPath = repo.localPath;
    l.requestId = requestId;
    l.policyId = plan.policy.id;
    l.policyVersion = plan.policy.version;
    l.maxRetries = plan.templ.maxRetries;
    return l;
}

} // namespace

QString LaunchPlanner::tokenHash(const QString &identityId)
{
    if (!m_tokens)
        return {};
    QString error;
    const std::optional<QByteArray> token = m_tokens->token(identityId, &error);
    if (!token || token->isEmpty())
        return {};
    return QString::fromLatin1(
        QCryptographicHash::hash(*token, QCryptographicHash::Sha256).toBase64());
}

LaunchSubmission LaunchPlanner::submit(const LaunchRequest &request)
{
    LaunchSubmission out;
    LaunchRequest keyed = request;
    if (keyed.idempotencyKey.isEmpty())
        keyed.idempotencyKey = newId();
    out.plan = plan(keyed);
    LaunchPlan &plan = out.plan;
    if (!plan.ok()) {
        out.error = plan.errors.join(u"; "_s);
        return out;
    }
    if (plan.existingCampaign) {
        out.existing = true;
        out.campaignId = *plan.existingCampaign;
        return out;
    }
    IdentityRecord identity = plan.identity;
    identity.hashedToken = tokenHash(identity.id);

    out.requestId = newId();
    out.campaignId = newId();
    const QDateTime now = plan.plannedAt;
    QHash<QString, KnownRepository> known;
    for (const KnownRepository &r : m_store.repositories())
        known.insert(r.name, r);

    CampaignRecord campaign{
        out.campaignId,      out.requestId, {}, plan.templ.id, plan.templ.version, plan.policy.id,
        plan.policy.version, now,           {}};
    campaign.title = request.title.isEmpty()
                         ? (plan.templ.name.isEmpty() ? plan.templ.id : plan.templ.name)
                         : request.title;
    QList<QueueEntry> entries;
    for (RepoPlan &rp : plan.repos) {
        rp.decision.campaignId = out.campaignId;
        if (rp.decision.verdict == RepoVerdict::Eligible) {
            rp.decision.taskId = newId();
            out.taskIds << rp.decision.taskId;
            const QueuedLaunch launch =
                queuedLaunch(plan, rp, known.value(rp.decision.repo), out.requestId);
            QueueEntry e;
            e.taskId = rp.decision.taskId;
            e.campaignId = out.campaignId;
            e.repo = rp.decision.repo;
            e.templateId = plan.templ.id;
            e.templateVersion = plan.templ.version;
            e.backend = request.backend;
            e.state = rp.waiting ? QueueState::Waiting : QueueState::Queued;
            e.nextAttemptAt = rp.waiting ? rp.startAt : QDateTime();
            e.createdAt = now;
            e.updatedAt = now;
            e.spec = toJson(launch);
            e.reviewerTeam = reviewerTeamFor(plan.templ, e.repo);
            e.requestKey = plan.requestKey;
            entries << e;
        }
        campaign.decisions << rp.decision;
    }

    const RequestRecord requestRecord{out.requestId,        plan.prompt,
                                      request.requester,    request.triggerSystem,
                                      keyed.idempotencyKey, now};
    const auto failed = [&out, this] {
        out.error = m_store.errorString();
        m_store.rollbackBatch();
        return out;
    };
    if (!m_store.beginBatch())
        return failed();
    bool claimed = false;
    QString holder = out.campaignId;
    if (!m_store.claimIdempotencyKey(keyed.idempotencyKey, &holder, &claimed))
        return failed();
    if (!claimed) { // another connection submitted the same key since the plan
        m_store.rollbackBatch();
        out.existing = true;
        out.campaignId = holder;
        out.requestId.clear();
        out.taskIds.clear();
        return out;
    }
    if (!m_store.writeRequest(requestRecord) || !m_store.writeIdentity(identity) ||
        !m_store.writeCampaign(campaign))
        return failed();
    for (const QueueEntry &e : std::as_const(entries)) {
        const QueuedLaunch launch = queuedLaunchFromJson(e.spec);
        TaskRecord task;
        task.id = e.taskId;
        task.repo = e.repo;
        task.campaignId = e.campaignId;
        task.requestId = out.requestId;
        task.identityId = identity.id;
        task.policyId = plan.policy.id;
        task.policyVersion = plan.policy.version;
        task.templateId = e.templateId;
        task.templateVersion = e.templateVersion;
        task.state = TaskState::Queued;
        task.prompt = launch.spec.prompt;
        task.baseRef = launch.spec.baseRef;
        task.headRef = launch.spec.headRef;
        task.source = e.backend;
        task.createdAt = now;
        const QString reason = e.state == QueueState::Waiting
                                   ? QString(u"submitted; waits for reviewer capacity until "_s %
                                             e.nextAttemptAt.toString(Qt::ISODate))
                                   : QString(u"submitted in campaign "_s % e.campaignId);
        const LaunchEvent event{0, e.taskId, now, {}, toString(e.state), reason};
        if (!m_store.writeTask(task) || !m_store.writeQueueEntry(e) ||
            !m_store.appendLaunchEvent(event))
            return failed();
    }
    if (!m_store.commitBatch())
        return failed();
    return out;
}

} // namespace Tasktrail
