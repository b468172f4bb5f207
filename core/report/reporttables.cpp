#include "reporttables.h"

#include "reporttext.h"
#include "text/shellquote.h"
#include "text/tasktraillink.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tasktrail::ReportTables {
namespace {

using ReportText::duration;
using ReportText::isoTime;
using ReportText::number;

QString count(qint64 n)
{
    return QString::number(n);
}

QString versioned(const QString &id, const QString &version)
{
    if (id.isEmpty())
        return {};
    return version.isEmpty() ? id : id % u'@' % version;
}

QString usageText(const QJsonObject &usage)
{
    QStringList parts;
    for (auto it = usage.constBegin(); it != usage.constEnd(); ++it) {
        const QJsonValue v = it.value();
        parts << it.key() % u'=' %
                     (v.isDouble()   ? number(v.toDouble())
                      : v.isString() ? v.toString()
                                     : QString::fromUtf8(QJsonDocument(QJsonObject{{u"v"_s, v}})
                                                             .toJson(QJsonDocument::Compact)));
    }
    return parts.join(u' ');
}

ReportTable summary(const ReportData &data)
{
    const ReportAggregates &a = data.aggregates;
    const auto state = [&a](const char *name) {
        return a.tasksByState.value(QLatin1StringView(name));
    };
    const qint64 finished =
        state("completed") + state("failed") + state("cancelled") + state("timed_out");
    ReportTable t{u"summary"_s, u"Summary"_s, {u"Metric"_s, u"Value"_s}, {}, {}};
    const auto row = [&t](const QString &metric, const QString &value) {
        t.rows << QStringList{metric, value};
    };
    row(u"Tasks"_s, count(a.tasks));
    row(u"Tasks started"_s, count(a.started));
    row(u"Completed"_s, count(state("completed")));
    row(u"Failed"_s, count(state("failed")));
    row(u"Cancelled"_s, count(state("cancelled")));
    row(u"Timed out"_s, count(state("timed_out")));
    row(u"Not finished or other"_s, count(a.tasks - finished));
    row(u"Pull requests opened"_s, count(a.prsOpened));
    row(u"Pull requests merged"_s, count(a.prsMerged));
    row(u"Pull requests closed unmerged"_s, count(a.prsClosedUnmerged));
    row(u"Pull requests still open"_s, count(a.prsOpen));
    row(u"Median time to pull request"_s, duration(a.medianToPrMs));
    row(u"Median time to merge"_s, duration(a.medianToMergeMs));
    row(u"Repositories skipped"_s, count(a.skippedRepos));
    row(u"Retries"_s, count(a.retries));
    row(u"Tasks retried"_s, count(a.tasksRetried));
    qint64 findings = 0;
    for (const qint64 n : a.findingsBySeverity)
        findings += n;
    row(u"Findings"_s, count(findings));
    row(u"Tasks with findings"_s, count(a.tasksWithFindings));
    for (int s = int(Severity::Critical); s >= int(Severity::Info); --s)
        row(u"Findings: "_s % toString(Severity(s)),
            count(a.findingsBySeverity.value(Severity(s))));
    row(u"Tasks with usage recorded"_s, count(a.tasksWithUsage));
    for (auto it = a.usage.cbegin(); it != a.usage.cend(); ++it)
        row(u"Usage: "_s % it.key(), number(it.value()));
    return t;
}

ReportTable skipReasons(const ReportAggregates &a)
{
    ReportTable t{u"skip-reasons"_s,
                  u"Skip reasons"_s,
                  {u"Rule"_s, u"Repositories"_s, u"Example reason"_s},
                  {},
                  {}};
    for (const SkipReasonCount &s : a.skipReasons)
        t.rows << QStringList{s.rule, count(s.count), s.reason};
    return t;
}

ReportTable findingsByRule(const ReportAggregates &a)
{
    ReportTable t{u"findings-by-rule"_s, u"Findings by rule"_s, {u"Rule"_s, u"Findings"_s}, {}, {}};
    for (auto it = a.findingsByRule.cbegin(); it != a.findingsByRule.cend(); ++it)
        t.rows << QStringList{it.key(), count(it.value())};
    return t;
}

ReportTable reviewLoad(const ReportData &data)
{
    ReportTable t{u"review-load"_s,
                  u"Review load"_s,
                  {u"Team"_s, u"Day"_s, u"Pull requests"_s, u"Capacity"_s, u"Over capacity"_s,
                   u"Templates"_s},
                  {},
                  u"Pull requests opened per reviewer team (requested_teams) and day, against the "
                  "reviews_per_day budget of the stored template versions they came from."_s};
    for (const ReviewLoadDay &d : data.reviewLoad)
        t.rows << QStringList{d.team,
                              d.day.toString(Qt::ISODate),
                              count(d.pullRequests),
                              d.capacity ? count(*d.capacity) : QString(),
                              d.capacity ? (d.overCapacity() ? u"yes"_s : u"no"_s) : QString(),
                              d.templates.join(u' ')};
    return t;
}

ReportTable repositories(const ReportAggregates &a)
{
    ReportTable t{u"repos"_s,
                  u"Repositories"_s,
                  {u"Repository"_s, u"Tasks"_s, u"Completed"_s, u"Failed"_s, u"PRs opened"_s,
                   u"PRs merged"_s, u"Retries"_s, u"Findings"_s, u"Skipped"_s, u"Skip rule"_s,
                   u"Skip reason"_s},
                  {},
                  {}};
    for (const RepoReportRow &r : a.repos)
        t.rows << QStringList{r.repo,           count(r.tasks),     count(r.completed),
                              count(r.failed),  count(r.prsOpened), count(r.prsMerged),
                              count(r.retries), count(r.findings),  count(r.skipped),
                              r.skipRule,       r.skipReason};
    return t;
}

ReportTable skipped(const ReportAggregates &a)
{
    ReportTable t{u"skips"_s,
                  u"Skipped repositories"_s,
                  {u"Campaign"_s, u"Repository"_s, u"Rule"_s, u"Reason"_s, u"Decided at"_s},
                  {},
                  {}};
    for (const SkippedRepo &s : a.skipped)
        t.rows << QStringList{s.campaignId, s.repo, s.rule, s.reason, isoTime(s.decidedAt)};
    return t;
}

} // namespace

ReportFields provenance(const ReportData &data)
{
    ReportFields f;
    f << std::pair{u"Report"_s, data.title};
    f << std::pair{u"Filter"_s, data.filter.isEmpty() ? u"(all tasks)"_s : data.filter};
    if (data.campaign) {
        f << std::pair{u"Campaign"_s, data.campaign->id % u" — "_s % data.campaign->title};
        f << std::pair{u"Campaign template"_s,
                       versioned(data.campaign->templateId, data.campaign->templateVersion)};
        f << std::pair{u"Campaign policy"_s,
                       versioned(data.campaign->policyId, data.campaign->policyVersion)};
        f << std::pair{u"Campaign link"_s, campaignLinkUrl(data.campaign->id)};
    }
    if (data.request)
        f << std::pair{u"Request"_s, data.request->text % u" ("_s % data.request->requester % u')'};
    f << std::pair{u"Evidence chain head"_s, data.evidenceHead.isEmpty()
                                                 ? u"(empty)"_s
                                                 : QString::fromLatin1(data.evidenceHead)};
    if (data.generatedAt.isValid())
        f << std::pair{u"Generated at"_s, isoTime(data.generatedAt)};
    return f;
}

QList<ReportTable> tables(const ReportData &data)
{
    return {summary(data),    skipReasons(data.aggregates),  findingsByRule(data.aggregates),
            reviewLoad(data), repositories(data.aggregates), skipped(data.aggregates)};
}

QStringList taskColumns()
{
    return {u"Task"_s,      u"Repository"_s, u"Campaign"_s,      u"State"_s,
            u"Requester"_s, u"Identity"_s,   u"Identity kind"_s, u"Policy"_s,
            u"Template"_s,  u"Started"_s,    u"Completed"_s,     u"Duration"_s,
            u"Retries"_s,   u"PR"_s,         u"PR outcome"_s,    u"PR opened"_s,
            u"PR merged"_s, u"Findings"_s,   u"Worst finding"_s, u"Usage"_s,
            u"Link"_s};
}

QStringList taskCells(const ReportTaskRow &r)
{
    std::optional<qint64> ms;
    if (r.startedAt.isValid() && r.completedAt.isValid())
        ms = r.startedAt.msecsTo(r.completedAt);
    return {r.id,
            r.repo,
            r.campaignId,
            toString(r.state),
            r.requester,
            r.principal,
            r.identityKind == IdentityKind::Unknown ? QString() : toString(r.identityKind),
            versioned(r.policyId, r.policyVersion),
            versioned(r.templateId, r.templateVersion),
            isoTime(r.startedAt),
            isoTime(r.completedAt),
            duration(ms),
            count(r.retries),
            r.prNumber ? count(*r.prNumber) : QString(),
            r.prOutcome,
            isoTime(r.prOpenedAt),
            isoTime(r.prMergedAt),
            count(r.findings),
            r.worstFinding ? toString(*r.worstFinding) : QString(),
            usageText(r.usage),
            taskLinkUrl(r.id)};
}

QStringList findingColumns()
{
    return {u"Task"_s,     u"Severity"_s, u"Rule"_s,     u"State"_s, u"Message"_s,
            u"Evidence"_s, u"At"_s,       u"Template"_s, u"Policy"_s};
}

// "false positive (alice, 2026-12-04: a test fixture)": the state, and who set it when, why.
QString triageText(const FindingTriage &t)
{
    if (!t.at.isValid())
        return displayName(t.state);
    QString by = t.by % u", "_s % t.at.toUTC().toString(u"yyyy-MM-dd"_s);
    if (!t.note.isEmpty())
        by += u": "_s % t.note;
    return displayName(t.state) % u" ("_s % by % u')';
}

QStringList findingCells(const Finding &f)
{
    QString evidence = toString(f.evidenceKind);
    if (!f.evidenceRef.isEmpty())
        evidence += u' ' % f.evidenceRef;
    if (f.commandSeq > 0)
        evidence += u" #"_s % count(f.commandSeq);
    if (f.lineNo > 0)
        evidence += u':' % count(f.lineNo);
    return {f.taskId,
            toString(f.severity),
            f.rule,
            triageText(f.triage),
            f.message,
            evidence,
            isoTime(f.at),
            versioned(f.templateId, f.templateVersion),
            versioned(f.policyId, f.policyVersion)};
}

QString chainHeading(const TaskChain &chain)
{
    return chain.task.id % u" — "_s % chain.task.repo % u" ("_s % toString(chain.task.state) % u')';
}

ReportFields chainFields(const TaskChain &c)
{
    ReportFields f;
    const auto add = [&f](const QString &label, const QString &value) {
        if (!value.isEmpty())
            f << std::pair{label, value};
    };
    add(u"Link"_s, taskLinkUrl(c.task.id));
    if (c.request) {
        add(u"Request"_s, c.request->id % u": "_s % c.request->text);
        add(u"Requester"_s, c.request->requester);
        add(u"Trigger"_s, c.request->triggerSystem);
    }
    if (c.identity) {
        add(u"Identity"_s, c.identity->principal % u" ("_s % toString(c.identity->kind) % u')');
        add(u"On behalf of"_s, c.identity->onBehalfOf);
        add(u"Scopes"_s, c.identity->scopes.join(u", "_s));
    }
    if (c.policy)
        add(u"Policy"_s, versioned(c.policy->id, c.policy->version) % u' ' % c.policy->verdict);
    if (c.taskTemplate)
        add(u"Template"_s, versioned(c.taskTemplate->id, c.taskTemplate->version));
    if (c.campaign)
        add(u"Campaign"_s, c.campaign->id % u": "_s % c.campaign->title);
    if (c.decision)
        add(u"Decision"_s,
            toString(c.decision->verdict) % u' ' % c.decision->rule % u' ' % c.decision->reason);
    add(u"Started"_s, isoTime(c.task.startedAt));
    add(u"Completed"_s, isoTime(c.task.completedAt));
    add(u"State reason"_s, c.task.stateReason);
    if (c.pullRequest) {
        const PullRequestRecord &p = *c.pullRequest;
        const QString outcome = p.merged() ? u"merged"_s : p.state;
        add(u"Pull request"_s,
            p.repo % u'#' % count(p.number) % u' ' % p.title % u" ("_s % outcome % u')');
        add(u"Review teams"_s, p.requestedTeams.join(u", "_s));
    } else if (c.task.prNumber) {
        add(u"Pull request"_s, c.task.repo % u'#' % count(*c.task.prNumber));
    }
    QStringList reviews;
    for (const ReviewRecord &r : c.reviews)
        reviews << r.reviewer % u' ' % r.state;
    add(u"Reviews"_s, reviews.join(u", "_s));
    add(u"Conformance"_s,
        c.checkedAt ? u"checked, %1 findings"_s.arg(c.findings.size()) : u"not checked"_s);
    return f;
}

QStringList chainCommands(const TaskChain &c)
{
    QStringList lines;
    for (const TaskChain::Command &cmd : c.commands) {
        QString line = u'#' % count(cmd.record.seq) % u' ' % shellCommandLine(cmd.record.argv);
        if (cmd.record.exitCode)
            line += u" → exit "_s % count(*cmd.record.exitCode);
        lines << line;
    }
    return lines;
}

} // namespace Tasktrail::ReportTables
