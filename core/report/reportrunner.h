#pragma once

#include "reportdata.h"
#include "reportquery.h"

#include <functional>

namespace Tasktrail {

class RecordStore;

// Per team and day, the pull requests of `entries` against the strictest reviews_per_day
// budget of the stored template versions they came from (the Overview's reviewer load too).
QList<ReviewLoadDay> reviewLoadDays(RecordStore &store, const QList<ReviewLoadEntry> &entries);

// Reads a report from the store and streams it to a writer: the aggregates in SQL, then the
// task table a page at a time, then each task's chain. Memory stays bounded by a page, not by
// the number of tasks. Runs on whatever thread owns the store, so a worker thread opens its own
// (openStore(path)) and runs it there; the callbacks are called on that thread.
class ReportRunner final
{
public:
    // done and total count task rows and then chains, so total is tasks (x2 with an appendix).
    using Progress = std::function<void(qint64 done, qint64 total)>;
    using Cancelled = std::function<bool()>;

    explicit ReportRunner(RecordStore &store);

    void setProgressCallback(Progress progress) { m_progress = std::move(progress); }
    // Asked between pages; when it says yes the writer is cancelled and run() returns false.
    void setCancelCheck(Cancelled cancelled) { m_cancelled = std::move(cancelled); }
    void setPageSize(int tasks) { m_pageSize = qMax(1, tasks); }

    // The part of a report that comes before the task table.
    std::optional<ReportData> readData(const ReportQuery &query);
    bool run(const ReportQuery &query, ReportWriter &writer);

    bool wasCancelled() const { return m_wasCancelled; }
    QString errorString() const { return m_error; }

private:
    bool streamTasks(const ReportQuery &query, ReportWriter &writer, qint64 total);
    bool streamChains(const ReportQuery &query, ReportWriter &writer, qint64 total);
    bool stop(ReportWriter &writer, const QString &error);
    bool cancelled();

    RecordStore &m_store;
    Progress m_progress;
    Cancelled m_cancelled;
    int m_pageSize = 500;
    bool m_wasCancelled = false;
    QString m_error;
};

} // namespace Tasktrail
