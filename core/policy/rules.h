#pragma once

#include "records/finding.h"
#include "records/taskchain.h"

#include <QList>
#include <QString>

namespace Tasktrail {

struct TemplateSpec;
struct PolicySpec;

// A rule of the conformance check: its stable id (what findings and filters name), the
// severity its findings carry and what it checks, in a sentence.
struct RuleInfo
{
    QString id;
    Severity severity = Severity::Medium;
    QString summary;
};

// Every rule checkTask() applies, in the order it applies them.
const QList<RuleInfo> &conformanceRules();
// The severity of a rule's findings; Medium for an id that is not a rule.
Severity defaultSeverity(QStringView rule);

// The template or policy version a run was launched under: the task's own, else its
// campaign's (a campaign's tasks often leave it to the campaign).
struct SpecRef
{
    QString id;
    QString version;

    bool isEmpty() const { return id.isEmpty(); }
    QString toString() const; // "id@version", or "id" without a version
};

SpecRef templateRef(const TaskChain &chain);
SpecRef policyRef(const TaskChain &chain);

// Checks one run against the template and policy versions it names. `tmpl` or `policy` is
// null when the run names none or the named version is not on file; the rules of that
// document are then skipped and one finding says why. Pure: reads nothing but its arguments.
QList<Finding> checkTask(const TaskChain &chain, const TemplateSpec *tmpl,
                         const PolicySpec *policy);

} // namespace Tasktrail
