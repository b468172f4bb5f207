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

bool PgStore::replaceFindings(const QString & /*taskId*/, const QList<Finding> & /*findings*/)
{
    return unsupported("findings (replaceFindings)");
}

QList<Finding> PgStore::findings(const FindingFilter & /*filter*/)
{
    unsupported("findings (findings)");
    return {};
}

QList<KeyedFinding> PgStore::findingPage(const FindingFilter & /*filter*/,
                                         const FindingSort & /*sort*/,
                                         const std::optional<FindingKey> & /*after*/)
{
    unsupported("findings (findingPage)");
    return {};
}

std::optional<Severity> PgStore::worstFinding(const QString & /*taskId*/)
{
    unsupported("findings (worstFinding)");
    return std::nullopt;
}

int PgStore::findingCount(const QString & /*taskId*/)
{
    unsupported("findings (findingCount)");
    return -1;
}

QList<StoredFinding> PgStore::storedFindings(const QString & /*taskId*/)
{
    unsupported("findings (storedFindings)");
    return {};
}

QStringList PgStore::uncheckedTaskIds()
{
    unsupported("findings (uncheckedTaskIds)");
    return {};
}

std::optional<QDateTime> PgStore::checkedAt(const QString & /*taskId*/)
{
    unsupported("findings (checkedAt)");
    return std::nullopt;
}

QStringList PgStore::findingFacetValues(FindingFacet /*facet*/)
{
    unsupported("findings (findingFacetValues)");
    return {};
}

QStringList PgStore::taskIdsUsing(const QString & /*templateOrPolicyId*/,
                                  const QString & /*version*/, bool /*isTemplate*/)
{
    unsupported("task queries (taskIdsUsing)");
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

bool PgStore::writePolicyDocument(const PolicyDocument & /*doc*/, bool * /*changed*/)
{
    return unsupported("policy documents (writePolicyDocument)");
}

std::optional<PolicyDocument> PgStore::policyDocument(PolicyDocument::Kind /*kind*/,
                                                      const QString & /*id*/,
                                                      const QString & /*version*/)
{
    unsupported("policy documents (policyDocument)");
    return std::nullopt;
}

QList<PolicyDocument> PgStore::policyDocuments(PolicyDocument::Kind /*kind*/)
{
    unsupported("policy documents (policyDocuments)");
    return {};
}

std::optional<SecretScanReport> PgStore::scanSecrets(bool /*apply*/)
{
    unsupported("the secret scan (scanSecrets)");
    return std::nullopt;
}

bool PgStore::writeRepository(const KnownRepository & /*repository*/)
{
    return unsupported("launching (writeRepository)");
}

QList<KnownRepository> PgStore::repositories()
{
    unsupported("launching (repositories)");
    return {};
}

std::optional<SyncCursor> PgStore::syncCursor(const QString & /*source*/)
{
    unsupported("sync cursors (syncCursor)");
    return std::nullopt;
}

bool PgStore::writeSyncCursor(const SyncCursor & /*cursor*/)
{
    return unsupported("sync cursors (writeSyncCursor)");
}

std::optional<IdentityRecord> PgStore::identity(const QString & /*id*/)
{
    unsupported("launching (identity)");
    return std::nullopt;
}

bool PgStore::claimIdempotencyKey(const QString & /*key*/, QString * /*campaignId*/,
                                  bool * /*claimed*/)
{
    return unsupported("launching (claimIdempotencyKey)");
}

std::optional<QString> PgStore::campaignForIdempotencyKey(const QString & /*key*/)
{
    unsupported("launching (campaignForIdempotencyKey)");
    return std::nullopt;
}

bool PgStore::writeQueueEntry(const QueueEntry & /*entry*/)
{
    return unsupported("launching (writeQueueEntry)");
}

std::optional<QueueEntry> PgStore::queueEntry(const QString & /*taskId*/)
{
    unsupported("launching (queueEntry)");
    return std::nullopt;
}

QList<QueueEntry> PgStore::queueEntries(const QString & /*campaignId*/, bool /*withFinal*/)
{
    unsupported("launching (queueEntries)");
    return {};
}

bool PgStore::appendLaunchEvent(const LaunchEvent & /*event*/)
{
    return unsupported("launching (appendLaunchEvent)");
}

QList<LaunchEvent> PgStore::launchEvents(const QString & /*taskId*/)
{
    unsupported("launching (launchEvents)");
    return {};
}

bool PgStore::writeLaunchAttempt(const LaunchAttempt & /*attempt*/)
{
    return unsupported("launching (writeLaunchAttempt)");
}

QList<LaunchAttempt> PgStore::launchAttempts(const QString & /*taskId*/)
{
    unsupported("launching (launchAttempts)");
    return {};
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
