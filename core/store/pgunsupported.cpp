// PgStore's methods whose SQL is not yet written for PostgreSQL: each fails with "not yet
// supported on PostgreSQL: <what>" in errorString() and returns no data (docs/team-database.md
// lists them); a method that answers a list or a count answers none (-1 for a count).
#include "pgstore.h"

namespace Tasktrail {

bool PgStore::writeTranscriptEntry(const TranscriptEntry & /*entry*/)
{
    return unsupported("transcript entries");
}

std::optional<int> PgStore::commandSeqForCall(const QString & /*taskId*/,
                                              const QString & /*callId*/)
{
    unsupported("transcript entries");
    return std::nullopt;
}

bool PgStore::writeAuditEvent(const AuditEvent & /*event*/, bool * /*inserted*/)
{
    return unsupported("audit events");
}

bool PgStore::linkAuditEvents()
{
    return unsupported("audit events");
}

std::optional<TaskChain> PgStore::taskChain(const QString & /*taskId*/)
{
    unsupported("task queries (taskChain)");
    return std::nullopt;
}

std::optional<TaskChain> PgStore::taskChainOutline(const QString & /*taskId*/)
{
    unsupported("task queries (taskChainOutline)");
    return std::nullopt;
}

TranscriptOutline PgStore::transcriptOutline(const QString & /*taskId*/, int /*step*/)
{
    unsupported("transcript entries");
    return {};
}

QList<TranscriptRow> PgStore::transcriptRows(const QString & /*taskId*/,
                                             const TranscriptPosition & /*from*/, int /*count*/)
{
    unsupported("transcript entries");
    return {};
}

qint64 PgStore::transcriptRowOf(const QString & /*taskId*/, const TranscriptPosition & /*position*/)
{
    unsupported("transcript entries");
    return -1;
}

std::optional<TranscriptPosition> PgStore::findTranscriptRow(const QString & /*taskId*/,
                                                             const TranscriptPosition & /*from*/,
                                                             const QString & /*text*/,
                                                             bool /*backwards*/)
{
    unsupported("transcript entries");
    return std::nullopt;
}

std::optional<TranscriptPosition> PgStore::transcriptCallOfCommand(const QString & /*taskId*/,
                                                                   int /*commandSeq*/)
{
    unsupported("transcript entries");
    return std::nullopt;
}

QList<LogLine> PgStore::logLines(qint64 /*commandKey*/, qint64 /*fromLine*/, int /*count*/)
{
    unsupported("task queries (logLines)");
    return {};
}

QList<AuditLink> PgStore::auditEvents(const QString & /*taskId*/)
{
    unsupported("task queries (auditEvents)");
    return {};
}

QList<AuditEvent> PgStore::unlinkedAuditEvents(int /*limit*/)
{
    unsupported("task queries (unlinkedAuditEvents)");
    return {};
}

std::optional<qint64> PgStore::findLogLine(qint64 /*commandKey*/, qint64 /*fromLine*/,
                                           const QString & /*text*/, bool /*backwards*/)
{
    unsupported("task queries (findLogLine)");
    return std::nullopt;
}

std::optional<qint64> PgStore::findLogLineAny(qint64 /*commandKey*/, qint64 /*fromLine*/,
                                              const QStringList & /*fragments*/, bool /*backwards*/)
{
    unsupported("task queries (findLogLineAny)");
    return std::nullopt;
}

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

QStringList PgStore::taskIds(int /*offset*/, int /*limit*/)
{
    unsupported("task queries (taskIds)");
    return {};
}

QStringList PgStore::taskIdsForPullRequest(const QString & /*repo*/, int /*number*/)
{
    unsupported("task queries (taskIdsForPullRequest)");
    return {};
}

QStringList PgStore::taskIdsForSession(const QString & /*sessionId*/)
{
    unsupported("task queries (taskIdsForSession)");
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
