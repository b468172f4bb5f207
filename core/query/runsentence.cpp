#include "runsentence.h"

#include "text/redactor.h"

#include <QCoreApplication>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Tasktrail::RunSentence {
namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("RunSentence", text, nullptr, n);
}

// "1 command" / "9 commands": the singular is a string of its own so that English reads right
// without a translation loaded; the %n form lets a translation pluralise by its own rules.
QString counted(int n, const char *one, const char *many)
{
    return n == 1 ? tr(one) : tr(many, n);
}

QString withVersion(const QString &id, const QString &version)
{
    return version.isEmpty() ? id : id % u'@' % version;
}

QString identityKind(IdentityKind kind)
{
    switch (kind) {
    case IdentityKind::ClassicPat:
        return tr("classic PAT");
    case IdentityKind::FineGrainedPat:
        return tr("fine-grained PAT");
    case IdentityKind::OAuthAppToken:
        return tr("OAuth app token");
    case IdentityKind::GitHubAppUserToken:
        return tr("GitHub App user token");
    case IdentityKind::GitHubAppInstallationToken:
        return tr("GitHub App installation token");
    case IdentityKind::LocalUser:
        return tr("local user");
    case IdentityKind::Unknown:
        break;
    }
    return {};
}

// "The migration-script workflow started task T for R from request Q (MIG-1, by m)".
QString opening(const TaskChain &c, QStringList &missing)
{
    const TaskRecord &t = c.task;
    const QString repo = t.repo.isEmpty() ? tr("an unrecorded repository") : t.repo;
    const QString trigger = c.request ? c.request->triggerSystem : QString();
    QString out;
    if (trigger.isEmpty())
        out = tr("Task %1 for %2 was started").arg(t.id, repo);
    else if (trigger.endsWith(u"workflow"_s, Qt::CaseInsensitive)) // not "workflow workflow"
        out = tr("The %1 started task %2 for %3").arg(trigger, t.id, repo);
    else
        out = tr("The %1 workflow started task %2 for %3").arg(trigger, t.id, repo);
    if (c.request) {
        const RequestRecord &r = *c.request;
        QString about;
        if (!r.correlationId.isEmpty() && !r.requester.isEmpty())
            about = tr("%1, by %2").arg(r.correlationId, r.requester);
        else if (!r.correlationId.isEmpty())
            about = tr("%1; no requester was recorded").arg(r.correlationId);
        else if (!r.requester.isEmpty())
            about = tr("by %1; no ticket was recorded").arg(r.requester);
        else
            about = tr("no ticket or requester was recorded");
        out += tr(" from request %1 (%2)").arg(r.id, about);
    } else if (!t.requestId.isEmpty()) {
        out += tr(" from request %1 (nothing else about it was recorded)").arg(t.requestId);
    } else {
        missing << tr("no request was recorded");
    }
    return out;
}

// ", using svc[bot] (GitHub App user token on behalf of m)".
QString identity(const TaskChain &c, QStringList &missing)
{
    if (!c.identity) {
        if (!c.task.identityId.isEmpty())
            return tr(", using identity %1 (nothing else about it was recorded)")
                .arg(c.task.identityId);
        missing << tr("no identity was recorded");
        return {};
    }
    const IdentityRecord &i = *c.identity;
    const QString who = i.principal.isEmpty() ? i.id : i.principal;
    const QString kind = identityKind(i.kind);
    QString how;
    if (!kind.isEmpty() && !i.onBehalfOf.isEmpty())
        how = tr("%1 on behalf of %2").arg(kind, i.onBehalfOf);
    else if (!i.onBehalfOf.isEmpty())
        how = tr("on behalf of %1").arg(i.onBehalfOf);
    else
        how = kind;
    return how.isEmpty() ? tr(", using %1").arg(who) : tr(", using %1 (%2)").arg(who, how);
}

// ", under policy P@5 and template T@3": the stored records, else the ids the task names.
QString authority(const TaskChain &c, QStringList &missing)
{
    const TaskRecord &t = c.task;
    const QString policy = c.policy ? withVersion(c.policy->id, c.policy->version)
                                    : withVersion(t.policyId, t.policyVersion);
    const QString templ = c.taskTemplate ? withVersion(c.taskTemplate->id, c.taskTemplate->version)
                                         : withVersion(t.templateId, t.templateVersion);
    if (policy.isEmpty())
        missing << tr("no policy was recorded");
    if (templ.isEmpty())
        missing << tr("no template was recorded");
    if (!policy.isEmpty() && !templ.isEmpty())
        return tr(", under policy %1 and template %2").arg(policy, templ);
    if (!policy.isEmpty())
        return tr(", under policy %1").arg(policy);
    if (!templ.isEmpty())
        return tr(", under template %1").arg(templ);
    return {};
}

// "it ran 9 commands (0 failed)".
QString commands(const TaskChain &c)
{
    if (c.commands.isEmpty())
        return tr("it ran no recorded commands");
    int failed = 0;
    int unknown = 0;
    for (const TaskChain::Command &command : c.commands) {
        if (!command.record.exitCode)
            ++unknown;
        else if (*command.record.exitCode != 0)
            ++failed;
    }
    const int n = int(c.commands.size());
    QString outcome = tr("%1 failed").arg(failed);
    if (unknown > 0)
        outcome = tr("%1, %2").arg(
            outcome, counted(unknown, "1 without an exit code", "%n without an exit code"));
    return tr("it ran %1 (%2)").arg(counted(n, "1 command", "%n commands"), outcome);
}

// "contacted 3 hosts": distinct hosts, however often each was contacted.
QString hosts(const TaskChain &c)
{
    QSet<QString> seen;
    for (const ExternalContact &contact : c.task.contacts) {
        if (!contact.host.isEmpty())
            seen.insert(contact.host);
    }
    if (seen.isEmpty())
        return tr("contacted no recorded hosts");
    return tr("contacted %1").arg(counted(int(seen.size()), "1 host", "%n hosts"));
}

// "opened PR #257, merged after 2 reviews". A pending review is a draft nobody has seen.
QString pullRequest(const TaskChain &c)
{
    if (!c.pullRequest) {
        if (c.task.prNumber)
            return tr("opened PR #%1 (its state was not recorded)").arg(*c.task.prNumber);
        return tr("no pull request was opened");
    }
    const PullRequestRecord &p = *c.pullRequest;
    int reviews = 0;
    for (const ReviewRecord &r : c.reviews) {
        if (r.state.compare(u"PENDING"_s, Qt::CaseInsensitive) != 0)
            ++reviews;
    }
    const QString pr = p.draft ? tr("draft PR #%1").arg(p.number) : tr("PR #%1").arg(p.number);
    const QString count = counted(reviews, "1 review", "%n reviews");
    if (p.merged())
        return tr("opened %1, merged after %2").arg(pr, count);
    if (p.state.compare(u"closed"_s, Qt::CaseInsensitive) == 0)
        return tr("opened %1, closed unmerged after %2").arg(pr, count);
    return tr("opened %1, still open with %2").arg(pr, count);
}

} // namespace

QString of(const TaskChain &chain)
{
    QStringList missing;
    QString out = opening(chain, missing);
    out += identity(chain, missing);
    out += authority(chain, missing);
    out += tr("; %1, %2, and %3").arg(commands(chain), hosts(chain), pullRequest(chain));
    for (const QString &m : std::as_const(missing))
        out += tr("; %1").arg(m);
    out += tr(".");
    // The chain's texts were redacted when stored; this keeps a sentence built from a chain
    // read any other way from printing a secret.
    Redactor::redactText(out);
    return out;
}

} // namespace Tasktrail::RunSentence
