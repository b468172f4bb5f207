#include "reportrunner.h"

#include "policy/storedspecs.h"
#include "store/recordstore.h"
#include "text/redactor.h"

#include <QHash>
#include <QMap>

using namespace Qt::StringLiterals;

namespace Tasktrail {

// Per team and day, the pull requests against the strictest budget of the templates they
// came from. Budgets come from the stored template versions (policy_document).
QList<ReviewLoadDay> reviewLoadDays(RecordStore &store, const QList<ReviewLoadEntry> &entries)
{
    const SpecSources specs = storedSpecSources(store);
    QHash<QString, std::optional<int>> budgets; // id@version -> reviewsPerDay
    QMap<std::pair<QString, QDate>, ReviewLoadDay> days;
    for (const ReviewLoadEntry &e : entries) {
        const QString templ =
            e.templateId.isEmpty() ? QString() : e.templateId % u'@' % e.templateVersion;
        if (!templ.isEmpty() && !budgets.contains(templ)) {
            const auto spec = specs.templates(e.templateId, e.templateVersion);
            budgets.insert(templ, spec && spec->reviewsPerDay > 0
                                      ? std::optional<int>(spec->reviewsPerDay)
                                      : std::nullopt);
        }
        ReviewLoadDay &day = days[{e.team, e.day}];
        day.team = e.team;
        day.day = e.day;
        day.pullRequests += e.pullRequests;
        if (!templ.isEmpty() && !day.templates.contains(templ))
            day.templates << templ;
        if (const auto budget = budgets.value(templ))
            day.capacity = day.capacity ? qMin(*day.capacity, *budget) : *budget;
    }
    return days.values();
}

ReportWriter::~ReportWriter() = default;

ReportRunner::ReportRunner(RecordStore &store)
    : m_store(store)
{}

std::optional<ReportData> ReportRunner::readData(const ReportQuery &query)
{
    auto aggregates = m_store.reportAggregates(query.filter);
    if (!aggregates) {
        m_error = m_store.errorString();
        return std::nullopt;
    }
    ReportData data;
    data.title = query.effectiveTitle();
    data.filter = filterExpression(query.filter);
    // Typed by a person, never stored: the rest of a report comes from the store, where every
    // text was redacted on its way in.
    Redactor::redactText(data.title);
    Redactor::redactText(data.filter);
    data.evidenceHead = m_store.evidenceHead();
    data.generatedAt = query.generatedAt;
    data.appendix = query.appendix;
    data.taskCount = aggregates->tasks;
    data.reviewLoad = reviewLoadDays(m_store, aggregates->reviewLoad);
    data.aggregates = std::move(*aggregates);
    if (!query.filter.campaignId.isEmpty()) {
        if (auto summary = m_store.campaign(query.filter.campaignId)) {
            summary->campaign.decisions.clear();
            data.campaign = summary->campaign;
            data.request = summary->request;
        }
    }
    return data;
}

bool ReportRunner::run(const ReportQuery &query, ReportWriter &writer)
{
    m_wasCancelled = false;
    m_error.clear();
    const auto data = readData(query);
    if (!data)
        return stop(writer, m_error);
    if (!writer.begin(*data))
        return stop(writer, writer.errorString());
    const bool appendix = query.appendix && writer.wantsAppendix();
    const qint64 total = data->taskCount * (appendix ? 2 : 1);
    if (!streamTasks(query, writer, total))
        return false;
    if (appendix && !streamChains(query, writer, total))
        return false;
    if (cancelled())
        return stop(writer, u"cancelled"_s);
    if (!writer.finish()) {
        m_error = writer.errorString();
        return false;
    }
    return true;
}

bool ReportRunner::streamTasks(const ReportQuery &query, ReportWriter &writer, qint64 total)
{
    for (int offset = 0;; offset += m_pageSize) {
        if (cancelled())
            return stop(writer, u"cancelled"_s);
        const QList<ReportTaskRow> rows = m_store.reportTasks(query.filter, offset, m_pageSize);
        QStringList ids;
        for (const ReportTaskRow &row : rows) {
            if (row.findings > 0)
                ids << row.id;
        }
        const QList<Finding> findings = m_store.findingsOfTasks(ids);
        QHash<QString, QList<Finding>> byTask;
        for (const Finding &f : findings)
            byTask[f.taskId] << f;
        for (const ReportTaskRow &row : rows) {
            if (!writer.writeTask(ReportTask{row, byTask.value(row.id)}))
                return stop(writer, writer.errorString());
        }
        if (m_progress)
            m_progress(qMin<qint64>(offset + rows.size(), total), total);
        if (rows.size() < m_pageSize)
            return true;
    }
}

bool ReportRunner::streamChains(const ReportQuery &query, ReportWriter &writer, qint64 total)
{
    if (!writer.beginAppendix())
        return stop(writer, writer.errorString());
    const qint64 first = total / 2;
    for (int offset = 0;; offset += m_pageSize) {
        if (cancelled())
            return stop(writer, u"cancelled"_s);
        const QList<TaskRow> rows = m_store.tasks(query.filter, offset, m_pageSize);
        for (const TaskRow &row : rows) {
            const auto chain = m_store.taskChain(row.id);
            if (!chain)
                return stop(writer,
                            u"task %1 could not be read: %2"_s.arg(row.id, m_store.errorString()));
            if (!writer.writeChain(*chain))
                return stop(writer, writer.errorString());
        }
        if (m_progress)
            m_progress(qMin<qint64>(first + offset + rows.size(), total), total);
        if (rows.size() < m_pageSize)
            return true;
    }
}

bool ReportRunner::stop(ReportWriter &writer, const QString &error)
{
    writer.cancel();
    m_error = error;
    return false;
}

bool ReportRunner::cancelled()
{
    if (!m_wasCancelled && m_cancelled && m_cancelled())
        m_wasCancelled = true;
    return m_wasCancelled;
}

} // namespace Tasktrail
