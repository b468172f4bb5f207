#pragma once

#include "store/storeconnection.h"

#include "records/reportrows.h"
#include "records/summaries.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// Reports (core/report/): aggregates over the tasks a filter selects, computed in SQL.
class ReportQueries : public virtual StoreConnection
{
public:
    // Reports (core/report/): aggregates over the tasks a filter selects, computed in SQL;
    // nullopt on a database error. Skips are the decisions of the filter's campaign, repository,
    // policy and time range (a filter on identity kind, or on a state other than skipped,
    // selects none).
    virtual std::optional<ReportAggregates> reportAggregates(const TaskFilter &filter) = 0;
    // A page of the selected tasks, in tasks(filter, ...) order, with what a report shows.
    virtual QList<ReportTaskRow> reportTasks(const TaskFilter &filter, int offset, int limit) = 0;
};

} // namespace Tasktrail
