// PgStore's methods whose SQL is not yet written for PostgreSQL: each fails with "not yet
// supported on PostgreSQL: <what>" in errorString() and returns no data (docs/team-database.md
// lists them); a method that answers a list or a count answers none (-1 for a count).
#include "pgstore.h"

namespace Tasktrail {

QList<SearchHit> PgStore::search(const QString & /*query*/, int /*limit*/)
{
    unsupported("task queries (search)");
    return {};
}

std::optional<CampaignSummary> PgStore::campaign(const QString & /*campaignId*/)
{
    unsupported("task queries (campaign)");
    return std::nullopt;
}

QStringList PgStore::campaignIds()
{
    unsupported("task queries (campaignIds)");
    return {};
}

QList<CampaignRecord> PgStore::campaigns()
{
    unsupported("task queries (campaigns)");
    return {};
}

StoreStats PgStore::stats()
{
    unsupported("task queries (stats)");
    return {}; // no counts: errorString() says why
}

QList<TaskRow> PgStore::tasks(const TaskFilter & /*filter*/, int /*offset*/, int /*limit*/)
{
    unsupported("task queries (tasks)");
    return {};
}

qint64 PgStore::taskCount(const TaskFilter & /*filter*/)
{
    unsupported("task queries (taskCount)");
    return -1;
}

QList<TaskRow> PgStore::taskPage(const TaskFilter & /*filter*/, const TaskPageRequest & /*request*/)
{
    unsupported("task queries (taskPage)");
    return {};
}

QList<TaskKey> PgStore::taskAnchors(const TaskFilter & /*filter*/, const TaskPageRequest & /*walk*/,
                                    int /*step*/, QList<qint64> * /*rowids*/)
{
    unsupported("task queries (taskAnchors)");
    return {};
}

QList<TaskRow> PgStore::taskRowsOf(const QList<qint64> & /*rowids*/)
{
    unsupported("task queries (taskRowsOf)");
    return {};
}

qint64 PgStore::taskRow(const TaskFilter & /*filter*/, const TaskSort & /*sort*/,
                        const QString & /*taskId*/, TaskKey * /*key*/)
{
    unsupported("task queries (taskRow)");
    return -1;
}

QStringList PgStore::facetValues(TaskFacet /*facet*/)
{
    unsupported("task queries (facetValues)");
    return {};
}

std::optional<SecretScanReport> PgStore::scanSecrets(bool /*apply*/)
{
    unsupported("the secret scan (scanSecrets)");
    return std::nullopt;
}

std::optional<ReportAggregates> PgStore::reportAggregates(const TaskFilter & /*filter*/)
{
    unsupported("reports (reportAggregates)");
    return std::nullopt;
}

QList<ReportTaskRow> PgStore::reportTasks(const TaskFilter & /*filter*/, int /*offset*/,
                                          int /*limit*/)
{
    unsupported("reports (reportTasks)");
    return {};
}

QList<Finding> PgStore::findingsOfTasks(const QStringList & /*taskIds*/)
{
    unsupported("findings (findingsOfTasks)");
    return {};
}

} // namespace Tasktrail
