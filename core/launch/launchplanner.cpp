#include "launchplanner.h"

#include "launchbudget.h"
#include "policy/policyfile.h"
#include "policy/rulecontext.h"
#include "records/taskchain.h"
#include "store/recordstore.h"
#include "text/glob.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// {name} placeholders; "{{" and "}}" are not placeholders.
const QRegularExpression placeholder(u"\\{([A-Za-z_][A-Za-z0-9_.-]*)\\}"_s);

struct Ref
{
    QString id;
    QString version;
};

Ref splitRef(const QString &ref)
{
    const qsizetype at = ref.indexOf(u'@');
    return at < 0 ? Ref{ref, {}} : Ref{ref.left(at), ref.mid(at + 1)};
}

std::optional<PolicyDocument> findDocument(RecordStore &store, PolicyDocument::Kind kind,
                                           const Ref &ref)
{
    if (!ref.version.isEmpty())
        return store.policyDocument(kind, ref.id, ref.version);
    std::optional<PolicyDocument> newest;
    for (const PolicyDocument &doc : store.policyDocuments(kind)) {
        if (doc.id == ref.id && (!newest || compareVersions(newest->version, doc.version) < 0))
            newest = doc;
    }
    return newest;
}

QString formatDate(const QDateTime &at)
{
    return at.toUTC().date().toString(Qt::ISODate);
}

QString describe(const KnownRepository &r)
{
    return u"%1: archived %2, fork %3, language %4, topics [%5]"_s.arg(
        r.name, r.archived ? u"true"_s : u"false"_s, r.fork ? u"true"_s : u"false"_s,
        r.language.isEmpty() ? u"none"_s : r.language, r.topics.join(u", "_s));
}

// Why the template's repository scope rules the repository out, as rule + reason; empty
// when it does not.
std::pair<QString, QString> scopeVerdict(const RepositoryScope &scope, const KnownRepository &r)
{
    if (r.archived && !scope.allowArchived)
        return {u"archived"_s, u"repository is archived"_s};
    if (r.fork && !scope.allowForks)
        return {u"not_eligible"_s, u"repository is a fork; the template excludes forks"_s};
    if (!scope.include.isEmpty() && !matchesAny(scope.include, r.name))
        return {u"not_eligible"_s,
                u"not in the template's repositories (%1)"_s.arg(scope.include.join(u", "_s))};
    if (matchesAny(scope.exclude, r.name))
        return {u"not_eligible"_s,
                u"excluded by the template (%1)"_s.arg(scope.exclude.join(u", "_s))};
    if (!scope.topics.isEmpty() &&
        std::none_of(r.topics.cbegin(), r.topics.cend(),
                     [&](const QString &t) { return scope.topics.contains(t); }))
        return {u"not_eligible"_s,
                u"no topic of %1: template requires one"_s.arg(scope.topics.join(u", "_s))};
    if (!scope.languages.isEmpty() && !scope.languages.contains(r.language))
        return {u"not_eligible"_s,
                u"language %1 is not %2"_s.arg(r.language.isEmpty() ? u"unknown"_s : r.language,
                                               scope.languages.join(u" or "_s))};
    for (const QString &required : scope.requiredFiles) {
        if (std::none_of(r.files.cbegin(), r.files.cend(),
                         [&](const QString &f) { return globMatch(required, f); }))
            return {u"not_eligible"_s, u"no %1: template requires it"_s.arg(required)};
    }
    return {};
}

std::optional<FreezeWindow> activeFreeze(const TemplateSpec &templ, const QString &repo,
                                         const QDateTime &now)
{
    for (const FreezeWindow &f : templ.freezes) {
        if (f.from <= now && now < f.until &&
            (f.repositories.isEmpty() || matchesAny(f.repositories, repo)))
            return f;
    }
    return std::nullopt;
}

} // namespace

int LaunchPlan::eligibleCount() const
{
    return int(std::count_if(repos.cbegin(), repos.cend(), [](const RepoPlan &r) {
        return r.decision.verdict == RepoVerdict::Eligible;
    }));
}

QString fillPrompt(const QString &prompt, const QVariantMap &parameters, const QString &repo,
                   QStringList *errors)
{
    QString out;
    QSet<QString> used;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(prompt);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString name = m.captured(1);
        out += QStringView(prompt).sliced(last, m.capturedStart() - last);
        last = m.capturedEnd();
        if (name == u"repo") {
            out += repo.isEmpty() ? m.captured(0) : repo;
        } else if (parameters.contains(name)) {
            used.insert(name);
            out += parameters.value(name).toString();
        } else {
            errors->append(u"parameter '%1' is missing: the template prompt uses {%1}"_s.arg(name));
            out += m.captured(0);
        }
    }
    out += QStringView(prompt).sliced(last);
    for (auto p = parameters.cbegin(); p != parameters.cend(); ++p) {
        if (!used.contains(p.key()))
            errors->append(
                u"unknown parameter '%1': the template prompt has no {%1}"_s.arg(p.key()));
    }
    return out;
}

LaunchPlanner::LaunchPlanner(RecordStore &store)
    : m_store(store)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{}

QString LaunchPlanner::reviewerTeamFor(const TemplateSpec &templ, const QString &repo)
{
    return templ.reviewerTeam.isEmpty() ? repo.section(u'/', 0, 0) : templ.reviewerTeam;
}

LaunchPlan LaunchPlanner::plan(const LaunchRequest &request)
{
    LaunchPlan plan;
    plan.plannedAt = m_clock().toUTC();
    if (!resolveSpecs(request, plan))
        return plan;
    plan.prompt = fillPrompt(plan.templ.prompt, request.parameters, {}, &plan.errors);
    if (request.identity.id.isEmpty())
        plan.errors << u"no identity: name the identity the runs use"_s;
    if (request.backend.isEmpty())
        plan.errors << u"no backend: name the backend that runs the tasks"_s;
    const QStringList targets = targetRepositories(request, plan);
    if (!plan.ok())
        return plan;
    resolveIdentity(request, plan);
    checkGrant(request, plan);
    plan.idempotencyKey = request.idempotencyKey;
    if (!plan.idempotencyKey.isEmpty())
        plan.existingCampaign = m_store.campaignForIdempotencyKey(plan.idempotencyKey);
    plan.reviewerTeam = plan.templ.reviewerTeam;
    const QByteArray key = plan.templ.id.toUtf8() + '@' + plan.templ.version.toUtf8() + '\n' +
                           plan.policy.id.toUtf8() + '@' + plan.policy.version.toUtf8() + '\n' +
                           plan.identity.id.toUtf8() + '\n' + plan.prompt.toUtf8();
    plan.requestKey =
        QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex());
    decide(targets, plan);
    return plan;
}

bool LaunchPlanner::resolveSpecs(const LaunchRequest &request, LaunchPlan &plan)
{
    const Ref t = splitRef(request.templateRef);
    const Ref p = splitRef(request.policyRef);
    const auto templDoc = findDocument(m_store, PolicyDocument::Kind::Template, t);
    const auto policyDoc = findDocument(m_store, PolicyDocument::Kind::Policy, p);
    if (!templDoc)
        plan.errors << u"template %1 is not loaded (tasktrail-cli policy load)"_s.arg(
            request.templateRef);
    if (!policyDoc)
        plan.errors << u"policy %1 is not loaded (tasktrail-cli policy load)"_s.arg(
            request.policyRef);
    if (!templDoc || !policyDoc)
        return false;
    QList<PolicyFileError> problems;
    const auto templ = parseTemplate(templDoc->sourcePath, templDoc->text.toUtf8(), &problems);
    const auto policy = parsePolicy(policyDoc->sourcePath, policyDoc->text.toUtf8(), &problems);
    for (const PolicyFileError &e : std::as_const(problems))
        plan.errors << e.toString();
    if (!templ || !policy)
        return false;
    plan.templ = *templ;
    plan.policy = *policy;
    return true;
}

void LaunchPlanner::resolveIdentity(const LaunchRequest &request, LaunchPlan &plan)
{
    IdentityRecord id = request.identity;
    if (const auto stored = m_store.identity(id.id)) {
        if (id.kind == IdentityKind::Unknown)
            id.kind = stored->kind;
        if (id.principal.isEmpty())
            id.principal = stored->principal;
        if (id.onBehalfOf.isEmpty())
            id.onBehalfOf = stored->onBehalfOf;
        if (id.scopes.isEmpty())
            id.scopes = stored->scopes;
        if (id.tokenId.isEmpty())
            id.tokenId = stored->tokenId;
    }
    if (id.onBehalfOf.isEmpty())
        id.onBehalfOf = request.requester;
    id.hashedToken.clear(); // read at submit, never planned with
    plan.identity = id;
}

// The same grant rules the conformance check applies to a finished run, applied before it
// starts: a launch the policy would flag afterwards is refused beforehand.
void LaunchPlanner::checkGrant(const LaunchRequest &request, LaunchPlan &plan)
{
    TaskChain chain;
    chain.task.templateId = plan.templ.id;
    chain.task.templateVersion = plan.templ.version;
    chain.task.policyId = plan.policy.id;
    chain.task.policyVersion = plan.policy.version;
    chain.identity = plan.identity;
    chain.request = RequestRecord{{}, {}, request.requester, request.triggerSystem, {}, {}};
    Rules::FindingSink sink(chain, SpecRef{plan.templ.id, plan.templ.version},
                            SpecRef{plan.policy.id, plan.policy.version});
    Rules::checkGrants(chain, plan.policy, sink);
    QStringList reasons;
    for (const Finding &f : sink.take())
        reasons << f.message;
    plan.policyDenial = reasons.join(u' ');
}

QStringList LaunchPlanner::targetRepositories(const LaunchRequest &request, LaunchPlan &plan)
{
    QStringList targets;
    for (const QString &r : request.repositories) {
        const QString name = r.trimmed();
        if (!name.isEmpty() && !targets.contains(name))
            targets << name;
    }
    if (!request.repositoryQuery.isEmpty()) {
        const QString error = globError(request.repositoryQuery);
        if (!error.isEmpty())
            plan.errors << u"repository query: "_s % error;
        for (const KnownRepository &r : m_store.repositories()) {
            if (globMatch(request.repositoryQuery, r.name) && !targets.contains(r.name))
                targets << r.name;
        }
    }
    if (targets.isEmpty() && plan.ok())
        plan.errors << (request.repositoryQuery.isEmpty()
                            ? u"no repositories: give a list or a query"_s
                            : u"no known repository matches %1"_s.arg(request.repositoryQuery));
    targets.sort();
    return targets;
}

void LaunchPlanner::decide(const QStringList &targets, LaunchPlan &plan)
{
    QHash<QString, KnownRepository> known;
    for (const KnownRepository &r : m_store.repositories())
        known.insert(r.name, r);
    const QList<QueueEntry> entries = m_store.queueEntries({}, true);
    const QString today = LaunchBudget::utcDay(plan.plannedAt);
    const QString templRef = plan.templ.id % u'@' % plan.templ.version;
    QHash<QString, int> reviewsUsed; // per team, including this plan's own
    int started = 0;
    for (const QString &name : targets) {
        RepoPlan rp;
        RepoDecision &d = rp.decision;
        d.repo = name;
        d.decidedAt = plan.plannedAt;
        d.verdict = RepoVerdict::Skipped;
        const auto repo = known.constFind(name);
        const bool duplicate =
            std::any_of(entries.cbegin(), entries.cend(), [&](const QueueEntry &e) {
                return e.repo == name && e.requestKey == plan.requestKey && !isFinal(e.state);
            });
        if (!plan.policyDenial.isEmpty()) {
            d.rule = u"policy_denied"_s;
            d.reason = plan.policyDenial;
            d.evidence = u"policy %1@%2; identity %3 (%4, principal %5); requester %6"_s.arg(
                plan.policy.id, plan.policy.version, plan.identity.id, toString(plan.identity.kind),
                plan.identity.principal, plan.identity.onBehalfOf);
        } else if (plan.existingCampaign || duplicate) {
            d.rule = u"duplicate"_s;
            d.reason = plan.existingCampaign
                           ? u"already submitted as campaign %1"_s.arg(*plan.existingCampaign)
                           : u"the same request is already queued or running here"_s;
            d.evidence = plan.existingCampaign
                             ? QString(u"idempotency key "_s % plan.idempotencyKey)
                             : QString(u"request key "_s % plan.requestKey.left(16));
        } else if (repo == known.cend()) {
            d.rule = u"not_eligible"_s;
            d.reason = u"not a known repository (ingest its GitHub JSON or repos add-local)"_s;
            d.evidence = u"no row for %1 in the repository catalogue"_s.arg(name);
        } else if (const auto [rule, reason] = scopeVerdict(plan.templ.repositories, *repo);
                   !rule.isEmpty()) {
            d.rule = rule;
            d.reason = reason;
            d.evidence = describe(*repo) % u"; template "_s % templRef;
        } else if (const auto freeze = activeFreeze(plan.templ, name, plan.plannedAt)) {
            d.rule = u"release_freeze"_s;
            d.reason =
                u"release freeze until %1 (%2)"_s.arg(formatDate(freeze->until), freeze->name);
            d.evidence = u"freeze %1 (%2 .. %3) of template %4 covers %5"_s.arg(
                freeze->name, formatDate(freeze->from), formatDate(freeze->until), templRef, name);
        } else if (plan.templ.maxRepositories >= 0 && started >= plan.templ.maxRepositories) {
            d.rule = u"blast_radius"_s;
            d.reason = u"campaign cap of %1 repositories reached"_s.arg(plan.templ.maxRepositories);
            d.evidence = u"template %1 allows %2 repositories per campaign; %3 already planned"_s
                             .arg(templRef)
                             .arg(plan.templ.maxRepositories)
                             .arg(started);
        } else {
            ++started;
            d.verdict = RepoVerdict::Eligible;
            d.evidence = u"matches template %1: "_s.arg(templRef) % describe(*repo);
            const QString team = reviewerTeamFor(plan.templ, name);
            const int cap = plan.templ.reviewsPerDay;
            auto used = reviewsUsed.find(team);
            if (used == reviewsUsed.end())
                used =
                    reviewsUsed.insert(team, LaunchBudget::reviewSlotsHeld(entries, team, today) +
                                                 LaunchBudget::reviewSlotsPending(entries, team));
            if (cap >= 0 && *used >= cap) {
                rp.waiting = true;
                rp.startAt = LaunchBudget::nextUtcDay(plan.plannedAt);
                d.rule = u"budget_exhausted"_s;
                d.reason =
                    u"waits: reviewer capacity for team %1 reached (%2/%2 today)"_s.arg(team).arg(
                        cap);
                d.evidence = u"template %1 allows %2 reviews per day for %3; %4 pull requests "
                             "opened or queued today; starts %5 at the earliest"_s.arg(templRef)
                                 .arg(cap)
                                 .arg(team)
                                 .arg(*used)
                                 .arg(rp.startAt.toString(Qt::ISODate));
            } else {
                ++*used;
            }
        }
        plan.repos << rp;
    }
}

} // namespace Tasktrail
