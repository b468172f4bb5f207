#include "jsonreportwriter.h"

#include "query/findingjson.h"
#include "query/recordjson.h"
#include "reporttext.h"
#include "text/tasktraillink.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

using ReportText::isoTime;

QJsonValue timeOrNull(const QDateTime &at)
{
    return at.isValid() ? QJsonValue(isoTime(at)) : QJsonValue();
}

template<typename T> QJsonValue optionalNumber(const std::optional<T> &v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue();
}

QJsonObject counts(const QMap<QString, qint64> &map)
{
    QJsonObject o;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        o.insert(it.key(), double(it.value()));
    return o;
}

QJsonObject summary(const ReportAggregates &a)
{
    QJsonObject severities;
    for (int s = int(Severity::Info); s <= int(Severity::Critical); ++s)
        severities.insert(toString(Severity(s)), double(a.findingsBySeverity.value(Severity(s))));
    QJsonObject usage;
    for (auto it = a.usage.cbegin(); it != a.usage.cend(); ++it)
        usage.insert(it.key(), it.value());
    return {{u"tasks"_s, double(a.tasks)},
            {u"started"_s, double(a.started)},
            {u"by_state"_s, counts(a.tasksByState)},
            {u"retries"_s, double(a.retries)},
            {u"tasks_retried"_s, double(a.tasksRetried)},
            {u"prs_opened"_s, double(a.prsOpened)},
            {u"prs_merged"_s, double(a.prsMerged)},
            {u"prs_closed_unmerged"_s, double(a.prsClosedUnmerged)},
            {u"prs_open"_s, double(a.prsOpen)},
            {u"median_to_pr_ms"_s, optionalNumber(a.medianToPrMs)},
            {u"median_to_merge_ms"_s, optionalNumber(a.medianToMergeMs)},
            {u"skipped_repos"_s, double(a.skippedRepos)},
            {u"findings_by_severity"_s, severities},
            {u"findings_by_rule"_s, counts(a.findingsByRule)},
            {u"tasks_with_findings"_s, double(a.tasksWithFindings)},
            {u"tasks_with_usage"_s, double(a.tasksWithUsage)},
            {u"usage"_s, usage}};
}

template<typename T, typename F> QJsonArray array(const QList<T> &list, F toObject)
{
    QJsonArray out;
    for (const T &item : list)
        out.append(toObject(item));
    return out;
}

QJsonObject series(const ReportAggregates &a)
{
    return {
        {u"outcomes_by_day"_s, array(a.outcomesByDay,
                                     [](const DayStateCount &d) {
                                         return QJsonObject{{u"day"_s, d.day.toString(Qt::ISODate)},
                                                            {u"state"_s, d.state},
                                                            {u"tasks"_s, double(d.count)}};
                                     })},
        {u"pull_requests_by_day"_s, array(a.pullRequestsByDay,
                                          [](const PullRequestDay &d) {
                                              return QJsonObject{
                                                  {u"day"_s, d.day.toString(Qt::ISODate)},
                                                  {u"opened"_s, double(d.opened)},
                                                  {u"merged"_s, double(d.merged)},
                                                  {u"closed_unmerged"_s, double(d.closedUnmerged)}};
                                          })},
        {u"durations"_s, array(a.durations,
                               [](const DurationBucket &b) {
                                   return QJsonObject{
                                       {u"label"_s, b.label},
                                       {u"from_ms"_s, double(b.fromMs)},
                                       {u"to_ms"_s,
                                        b.toMs < 0 ? QJsonValue() : QJsonValue(double(b.toMs))},
                                       {u"tasks"_s, double(b.count)}};
                               })},
    };
}

} // namespace

JsonReportWriter::JsonReportWriter(const QString &path)
    : m_file(path)
{}

QJsonObject JsonReportWriter::head(const ReportData &data)
{
    const ReportAggregates &a = data.aggregates;
    QJsonObject report{{u"title"_s, data.title},
                       {u"filter"_s, data.filter},
                       {u"evidence_head"_s, QString::fromLatin1(data.evidenceHead)},
                       {u"generated_at"_s, timeOrNull(data.generatedAt)}};
    if (data.campaign)
        report.insert(u"campaign"_s,
                      QJsonObject{{u"id"_s, data.campaign->id},
                                  {u"title"_s, data.campaign->title},
                                  {u"template_id"_s, data.campaign->templateId},
                                  {u"template_version"_s, data.campaign->templateVersion},
                                  {u"policy_id"_s, data.campaign->policyId},
                                  {u"policy_version"_s, data.campaign->policyVersion},
                                  {u"link"_s, campaignLinkUrl(data.campaign->id)}});
    if (data.request)
        report.insert(u"request"_s, QJsonObject{{u"id"_s, data.request->id},
                                                {u"text"_s, data.request->text},
                                                {u"requester"_s, data.request->requester}});
    return {
        {u"report"_s, report},
        {u"summary"_s, summary(a)},
        {u"skip_reasons"_s, array(a.skipReasons,
                                  [](const SkipReasonCount &s) {
                                      return QJsonObject{{u"rule"_s, s.rule},
                                                         {u"repos"_s, double(s.count)},
                                                         {u"example_reason"_s, s.reason}};
                                  })},
        {u"skipped"_s, array(a.skipped,
                             [](const SkippedRepo &s) {
                                 return QJsonObject{{u"campaign"_s, s.campaignId},
                                                    {u"repo"_s, s.repo},
                                                    {u"rule"_s, s.rule},
                                                    {u"reason"_s, s.reason},
                                                    {u"decided_at"_s, timeOrNull(s.decidedAt)}};
                             })},
        {u"review_load"_s, array(data.reviewLoad,
                                 [](const ReviewLoadDay &d) {
                                     return QJsonObject{
                                         {u"team"_s, d.team},
                                         {u"day"_s, d.day.toString(Qt::ISODate)},
                                         {u"pull_requests"_s, double(d.pullRequests)},
                                         {u"capacity"_s, optionalNumber(d.capacity)},
                                         {u"over_capacity"_s, d.overCapacity()},
                                         {u"templates"_s, QJsonArray::fromStringList(d.templates)}};
                                 })},
        {u"series"_s, series(a)},
        {u"repos"_s, array(a.repos,
                           [](const RepoReportRow &r) {
                               return QJsonObject{{u"repo"_s, r.repo},
                                                  {u"tasks"_s, double(r.tasks)},
                                                  {u"completed"_s, double(r.completed)},
                                                  {u"failed"_s, double(r.failed)},
                                                  {u"prs_opened"_s, double(r.prsOpened)},
                                                  {u"prs_merged"_s, double(r.prsMerged)},
                                                  {u"retries"_s, double(r.retries)},
                                                  {u"findings"_s, double(r.findings)},
                                                  {u"skipped"_s, double(r.skipped)},
                                                  {u"skip_rule"_s, r.skipRule},
                                                  {u"skip_reason"_s, r.skipReason}};
                           })},
    };
}

QJsonObject JsonReportWriter::task(const ReportTask &t)
{
    const ReportTaskRow &r = t.row;
    return {{u"id"_s, r.id},
            {u"link"_s, taskLinkUrl(r.id)},
            {u"repo"_s, r.repo},
            {u"campaign"_s, r.campaignId},
            {u"state"_s, toString(r.state)},
            {u"requester"_s, r.requester},
            {u"identity"_s, r.principal},
            {u"identity_kind"_s, toString(r.identityKind)},
            {u"policy_id"_s, r.policyId},
            {u"policy_version"_s, r.policyVersion},
            {u"template_id"_s, r.templateId},
            {u"template_version"_s, r.templateVersion},
            {u"started_at"_s, timeOrNull(r.startedAt)},
            {u"completed_at"_s, timeOrNull(r.completedAt)},
            {u"retries"_s, r.retries},
            {u"pr_number"_s, optionalNumber(r.prNumber)},
            {u"pr_outcome"_s, r.prOutcome.isEmpty() ? QJsonValue() : QJsonValue(r.prOutcome)},
            {u"pr_opened_at"_s, timeOrNull(r.prOpenedAt)},
            {u"pr_merged_at"_s, timeOrNull(r.prMergedAt)},
            {u"usage"_s, r.usage},
            {u"findings"_s, RecordJson::findings(t.findings)}};
}

void JsonReportWriter::element(const QJsonObject &object)
{
    m_file.writeUtf8((m_first ? QByteArray() : QByteArrayLiteral(",\n")) +
                     QJsonDocument(object).toJson(QJsonDocument::Compact));
    m_first = false;
}

bool JsonReportWriter::begin(const ReportData &data)
{
    QString error;
    if (!m_file.open(&error))
        return setError(error);
    const QJsonObject h = head(data);
    m_file.writeUtf8(QByteArrayLiteral("{\n"));
    // QJsonObject keeps its keys sorted; the order is fixed, so the output is too.
    for (auto it = h.constBegin(); it != h.constEnd(); ++it) {
        const QJsonValue v = it.value();
        const QByteArray value = v.isArray()
                                     ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                     : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
        m_file.writeUtf8(
            QJsonDocument(QJsonArray{it.key()}).toJson(QJsonDocument::Compact).mid(1).chopped(1) +
            ": " + value + ",\n");
    }
    m_file.writeUtf8(QByteArrayLiteral("\"tasks\": [\n"));
    m_first = true;
    return true;
}

bool JsonReportWriter::writeTask(const ReportTask &task)
{
    element(JsonReportWriter::task(task));
    return true;
}

bool JsonReportWriter::beginAppendix()
{
    m_file.writeUtf8(QByteArrayLiteral("\n],\n\"chains\": [\n"));
    m_first = true;
    m_inChains = true;
    return true;
}

bool JsonReportWriter::writeChain(const TaskChain &chain)
{
    element(RecordJson::chain(chain));
    return true;
}

bool JsonReportWriter::finish()
{
    m_file.writeUtf8(m_inChains ? QByteArrayLiteral("\n]\n}\n")
                                : QByteArrayLiteral("\n],\n\"chains\": []\n}\n"));
    QString error;
    return m_file.commit(&error) || setError(error);
}

} // namespace Tasktrail
