#pragma once

#include "records/reportrows.h"
#include "records/request.h"
#include "records/taskchain.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace Tasktrail {

// One reviewer team's pull requests on one day against its capacity: the reviewsPerDay budget
// of the template versions they came from (the strictest, when several), when on file.
struct ReviewLoadDay
{
    QString team;
    QDate day;
    qint64 pullRequests = 0;
    std::optional<int> capacity;
    QStringList templates; // id@version

    bool overCapacity() const { return capacity && pullRequests > *capacity; }
};

// Everything a report shows before its task table; small whatever the number of tasks.
struct ReportData
{
    QString title;
    QString filter; // filterExpression() of the query: what produced the report
    QByteArray evidenceHead;
    QDateTime generatedAt;                  // invalid unless the query set one
    std::optional<CampaignRecord> campaign; // when the filter names one (without decisions)
    std::optional<RequestRecord> request;   // the campaign's
    ReportAggregates aggregates;
    QList<ReviewLoadDay> reviewLoad; // by team, then day
    qint64 taskCount = 0;
    bool appendix = true;
};

// One task of the table, with its findings.
struct ReportTask
{
    ReportTaskRow row;
    QList<Finding> findings;
};

// Receives a report as it is read from the store: the data, the task table a row at a time,
// then (when the query asks and the writer has room) each task's chain. Writes through
// QSaveFile: nothing is left at the path unless finish() succeeds.
class ReportWriter
{
public:
    virtual ~ReportWriter();

    virtual bool wantsAppendix() const { return true; }
    virtual bool begin(const ReportData &data) = 0;
    virtual bool writeTask(const ReportTask &task) = 0;
    virtual bool beginAppendix() { return true; }
    virtual bool writeChain(const TaskChain &chain) = 0;
    virtual bool finish() = 0;
    // Drops what was written; the file at the path stays as it was.
    virtual void cancel() = 0;

    QString errorString() const { return m_error; }

protected:
    bool setError(const QString &error)
    {
        m_error = error;
        return false;
    }

private:
    QString m_error;
};

} // namespace Tasktrail
