// The conformance check of one run: which rule groups apply, and the policy's grants.
#include "rules.h"

#include "records/templatespec.h"
#include "rulecontext.h"
#include "text/glob.h"

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace Tasktrail {

const QList<RuleInfo> &conformanceRules()
{
    static const QList<RuleInfo> rules{
        {u"task_without_template"_s, Severity::Low, u"The task names no template."_s},
        {u"template_unknown"_s, Severity::Medium, u"The template version is not on file."_s},
        {u"task_without_policy"_s, Severity::Low, u"The task names no policy."_s},
        {u"policy_unknown"_s, Severity::Medium, u"The policy version is not on file."_s},
        {u"template_not_granted"_s, Severity::High,
         u"No grant of the policy covers the template."_s},
        {u"identity_kind_not_allowed"_s, Severity::High,
         u"The token kind is not one the template's grants allow."_s},
        {u"scope_not_allowed"_s, Severity::High,
         u"The token holds a scope the template's grants do not allow."_s},
        {u"principal_not_allowed"_s, Severity::High,
         u"The identity's principal is not one the template's grants allow."_s},
        {u"requester_not_allowed"_s, Severity::High,
         u"The requester is not one the template's grants allow."_s},
        {u"command_not_allowed"_s, Severity::High,
         u"A command matches none of the template's allowed commands."_s},
        {u"command_needs_approval"_s, Severity::Medium,
         u"A command is one the template runs only with a human's approval."_s},
        {u"file_out_of_scope"_s, Severity::High,
         u"A changed file is denied, or outside the allowed files."_s},
        {u"file_needs_approval"_s, Severity::Medium,
         u"A changed file is one the template changes only with a human's approval."_s},
        {u"required_test_missing"_s, Severity::High, u"A required test never ran."_s},
        {u"required_test_failing"_s, Severity::High,
         u"A required test was failing when the pull request was opened."_s},
        {u"pushed_after_failing_test"_s, Severity::High,
         u"The task pushed while a required test was failing."_s},
        {u"host_not_allowed"_s, Severity::High,
         u"The task contacted a host the template does not allow."_s},
        {u"retries_over_budget"_s, Severity::Medium, u"More retries than the template allows."_s},
        {u"runtime_over_budget"_s, Severity::Medium, u"Ran longer than the template allows."_s},
        {u"files_over_budget"_s, Severity::Medium,
         u"Changed more files than the template allows."_s},
        {u"lines_over_budget"_s, Severity::Medium,
         u"Changed more lines than the template allows."_s},
        {u"pr_missing_label"_s, Severity::Low,
         u"The pull request lacks a label the template requires."_s},
        {u"pr_missing_reviewer"_s, Severity::Low,
         u"The pull request lacks a reviewer the template requires."_s},
        {u"launched_in_freeze"_s, Severity::High, u"The task was launched during a freeze."_s},
        {u"self_approved"_s, Severity::High,
         u"The pull request was approved by the person the task worked for."_s},
        {u"self_merged"_s, Severity::High,
         u"The pull request was merged by the person the task worked for."_s},
        {u"api_call_outside_repository"_s, Severity::High,
         u"The audit log shows the run's identity acting in another repository."_s},
    };
    return rules;
}

Severity defaultSeverity(QStringView rule)
{
    for (const RuleInfo &info : conformanceRules()) {
        if (info.id == rule)
            return info.severity;
    }
    return Severity::Medium;
}

QString SpecRef::toString() const
{
    return version.isEmpty() ? id : id % u'@' % version;
}

SpecRef templateRef(const TaskChain &chain)
{
    if (!chain.task.templateId.isEmpty() || !chain.campaign)
        return {chain.task.templateId, chain.task.templateVersion};
    return {chain.campaign->templateId, chain.campaign->templateVersion};
}

SpecRef policyRef(const TaskChain &chain)
{
    if (!chain.task.policyId.isEmpty() || !chain.campaign)
        return {chain.task.policyId, chain.task.policyVersion};
    return {chain.campaign->policyId, chain.campaign->policyVersion};
}

QList<Finding> checkTask(const TaskChain &chain, const TemplateSpec *tmpl, const PolicySpec *policy)
{
    const SpecRef templateAt = templateRef(chain);
    const SpecRef policyAt = policyRef(chain);
    Rules::FindingSink sink(chain, templateAt, policyAt);
    if (templateAt.isEmpty())
        sink.add(u"task_without_template", u"The task names no template."_s, EvidenceKind::Task);
    else if (!tmpl)
        sink.add(u"template_unknown", u"Template %1 is not on file."_s.arg(templateAt.toString()),
                 EvidenceKind::Task, templateAt.toString());
    if (policyAt.isEmpty())
        sink.add(u"task_without_policy", u"The task names no policy."_s, EvidenceKind::Task);
    else if (!policy)
        sink.add(u"policy_unknown", u"Policy %1 is not on file."_s.arg(policyAt.toString()),
                 EvidenceKind::Task, policyAt.toString());

    if (policy && !templateAt.isEmpty())
        Rules::checkGrants(chain, *policy, sink);
    if (tmpl) {
        Rules::checkCommands(chain, *tmpl, sink);
        Rules::checkFiles(chain, *tmpl, sink);
        Rules::checkTests(chain, *tmpl, sink);
        Rules::checkHosts(chain, *tmpl, sink);
        Rules::checkBudgets(chain, *tmpl, sink);
        Rules::checkPullRequest(chain, *tmpl, sink);
        Rules::checkFreezes(chain, *tmpl, sink);
    }
    // Four eyes hold whatever the template and policy say.
    Rules::checkSelfReview(chain, sink);
    // So does the scope of a run's token: it should not reach past the task's repository.
    Rules::checkAuditTrail(chain, sink);
    return sink.take();
}

namespace Rules {

FindingSink::FindingSink(const TaskChain &chain, const SpecRef &tmpl, const SpecRef &policy)
    : m_template(tmpl)
    , m_policy(policy)
{
    m_base.taskId = chain.task.id;
    m_base.templateId = tmpl.id;
    m_base.templateVersion = tmpl.version;
    m_base.policyId = policy.id;
    m_base.policyVersion = policy.version;
}

void FindingSink::add(QStringView rule, const QString &message, EvidenceKind kind,
                      const QString &ref, int commandSeq, const QDateTime &at)
{
    Finding f = m_base;
    f.rule = rule.toString();
    f.severity = defaultSeverity(rule);
    f.message = message;
    f.evidenceKind = kind;
    f.evidenceRef = ref;
    f.commandSeq = commandSeq;
    f.at = at;
    m_findings << f;
}

QList<CommandRecord> commandsOf(const TaskChain &chain)
{
    if (chain.commands.isEmpty())
        return chain.task.commands;
    QList<CommandRecord> out;
    out.reserve(chain.commands.size());
    for (const TaskChain::Command &c : chain.commands)
        out << c.record;
    return out;
}

QString commandLine(const CommandRecord &command)
{
    return command.argv.join(u' ');
}

QString shortCommandLine(const CommandRecord &command)
{
    constexpr qsizetype maxLength = 200;
    const QString line = commandLine(command);
    return line.size() <= maxLength ? line : line.left(maxLength - 1) % u'…';
}

namespace {

using Grants = QList<const PolicyGrant *>;

// A field left empty in a grant does not restrict, so a value passes when any covering grant
// leaves the field empty or lists it.
bool anyGrantAllows(const Grants &grants, const std::function<bool(const PolicyGrant &)> &allows)
{
    return std::any_of(grants.cbegin(), grants.cend(),
                       [&allows](const PolicyGrant *g) { return allows(*g); });
}

bool allowsPattern(const QStringList &patterns, const QString &value)
{
    return patterns.isEmpty() || matchesAny(patterns, value);
}

} // namespace

void checkGrants(const TaskChain &chain, const PolicySpec &policy, FindingSink &sink)
{
    const SpecRef &tmpl = sink.templateRef();
    const QString withVersion = tmpl.id % u'@' % tmpl.version;
    Grants covering;
    for (const PolicyGrant &grant : policy.grants) {
        if (grant.templates.isEmpty() || matchesAny(grant.templates, tmpl.id) ||
            matchesAny(grant.templates, withVersion))
            covering << &grant;
    }
    const QString policyName = sink.policyRef().toString();
    const QString templateName = tmpl.toString();
    if (covering.isEmpty()) {
        sink.add(u"template_not_granted",
                 u"No grant of policy %1 covers template %2."_s.arg(policyName, templateName),
                 EvidenceKind::Task, templateName);
        return;
    }
    const QString under = u"by policy %1 for template %2."_s.arg(policyName, templateName);
    if (chain.identity) {
        const IdentityRecord &identity = *chain.identity;
        const IdentityKind kind = identity.kind;
        if (!anyGrantAllows(covering, [kind](const PolicyGrant &g) {
                return g.tokenKinds.isEmpty() || g.tokenKinds.contains(kind);
            }))
            sink.add(
                u"identity_kind_not_allowed",
                u"Token kind %1 of identity %2 is not allowed "_s.arg(toString(kind), identity.id) %
                    under,
                EvidenceKind::Identity, toString(kind));
        for (const QString &scope : identity.scopes) {
            if (!anyGrantAllows(covering, [&scope](const PolicyGrant &g) {
                    return allowsPattern(g.scopes, scope);
                }))
                sink.add(u"scope_not_allowed",
                         u"Scope %1 of identity %2 is not allowed "_s.arg(scope, identity.id) %
                             under,
                         EvidenceKind::Identity, scope);
        }
        const QString &principal = identity.principal;
        if (!principal.isEmpty() && !anyGrantAllows(covering, [&principal](const PolicyGrant &g) {
                return allowsPattern(g.principals, principal);
            }))
            sink.add(u"principal_not_allowed",
                     u"Principal %1 is not allowed "_s.arg(principal) % under,
                     EvidenceKind::Identity, principal);
    }
    const QString requester = chain.request ? chain.request->requester : QString();
    if (!requester.isEmpty() && !anyGrantAllows(covering, [&requester](const PolicyGrant &g) {
            return allowsPattern(g.requesters, requester);
        }))
        sink.add(u"requester_not_allowed", u"Requester %1 is not allowed "_s.arg(requester) % under,
                 EvidenceKind::Request, requester);
}

} // namespace Rules
} // namespace Tasktrail
