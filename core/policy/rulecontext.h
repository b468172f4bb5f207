#pragma once

// The parts of the conformance rules that their source files share; not part of the API.

#include "records/finding.h"
#include "rules.h"

#include <QDateTime>

namespace Tasktrail {

struct TemplateSpec;
struct PolicySpec;

namespace Rules {

// Collects one task's findings and fills in what they all share: the task, the rule's
// severity and the versions the run was checked against.
class FindingSink final
{
public:
    FindingSink(const TaskChain &chain, const SpecRef &tmpl, const SpecRef &policy);

    void add(QStringView rule, const QString &message, EvidenceKind kind, const QString &ref = {},
             int commandSeq = 0, const QDateTime &at = {});
    QList<Finding> take() { return std::move(m_findings); }

    const SpecRef &templateRef() const { return m_template; }
    const SpecRef &policyRef() const { return m_policy; }

private:
    Finding m_base;
    SpecRef m_template;
    SpecRef m_policy;
    QList<Finding> m_findings;
};

// The rule groups, one source file each.
void checkGrants(const TaskChain &chain, const PolicySpec &policy, FindingSink &sink);
void checkCommands(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink);
void checkFiles(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink);
void checkHosts(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink);
void checkBudgets(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink);
void checkTests(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink);
void checkPullRequest(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink);
void checkFreezes(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink);
void checkSelfReview(const TaskChain &chain, FindingSink &sink);
void checkAuditTrail(const TaskChain &chain, FindingSink &sink);

// The task's commands in seq order: the chain's, else the task record's.
QList<CommandRecord> commandsOf(const TaskChain &chain);
// argv joined by spaces: what command patterns match.
QString commandLine(const CommandRecord &command);
// A command line for a message or an evidence ref: shortened past 200 characters.
QString shortCommandLine(const CommandRecord &command);

} // namespace Rules
} // namespace Tasktrail
