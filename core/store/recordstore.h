#pragma once

#include "launch/launchrecords.h"
#include "policy/finding.h"
#include "policy/templatespec.h"
#include "records/auditevent.h"
#include "records/evidence.h"
#include "records/identity.h"
#include "records/logline.h"
#include "records/pullrequest.h"
#include "records/reportrows.h"
#include "records/request.h"
#include "records/secretscan.h"
#include "records/summaries.h"
#include "records/task.h"
#include "records/taskchain.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Tasktrail {

// The one interface the rest of Tasktrail uses to reach the database. SQL and its dialect
// (full-text search, upserts, JSON) stay inside the implementations; an importer, the CLI and
// the views only see records.
//
// A store object is one connection and belongs to the thread that opened it; a worker thread
// opens its own store on the same location.
//
// Writes are merged, not replaced: a field a record leaves empty keeps what an earlier record
// said, so a task described by Tasktrail's own records and by GitHub's API ends up as one row.
class RecordStore
{
public:
    virtual ~RecordStore();

    virtual QString location() const = 0;
    virtual QString errorString() const = 0;
    // Every text a write is given passes the one redaction step (ingest/redactor.h) before
    // it is stored, ids and log lines included: how many secrets that replaced since the
    // store was opened.
    virtual qint64 redactions() const = 0;

    // A batch is one transaction: after a crash the database holds exactly the batches
    // that committed.
    virtual bool beginBatch() = 0;
    virtual bool commitBatch() = 0;
    virtual void rollbackBatch() = 0;

    // Remembers a record's content hash; *isNew is false when it was stored before (a
    // duplicate). Returns false on a database error.
    virtual bool markRecordSeen(const QByteArray &contentHash, bool *isNew) = 0;

    virtual bool writeRequest(const RequestRecord &request) = 0;
    virtual bool writeCampaign(const CampaignRecord &campaign) = 0; // with its decisions
    virtual bool writeDecision(const RepoDecision &decision) = 0;
    virtual bool writeIdentity(const IdentityRecord &identity) = 0;
    virtual bool writePolicy(const PolicyRecord &policy) = 0;
    virtual bool writeTemplate(const TemplateRecord &taskTemplate) = 0;
    virtual bool writeTask(const TaskRecord &task) = 0; // with its nested lists
    virtual bool writeSession(const SessionRecord &session) = 0;
    virtual bool writeCommand(const CommandRecord &command) = 0;
    virtual bool writeTest(const TestResult &test) = 0;
    virtual bool writeFileChange(const FileChange &change) = 0;
    virtual bool writeContact(const ExternalContact &contact) = 0;
    virtual bool writeFailure(const FailureRecord &failure) = 0;
    virtual bool writePullRequest(const PullRequestRecord &pr) = 0;
    virtual bool writeReview(const ReviewRecord &review) = 0;
    virtual bool writeCheckRun(const CheckRunRecord &checkRun) = 0;

    // The key of a task's command, creating a placeholder command when logs arrive first.
    virtual std::optional<qint64> commandKey(const QString &taskId, int seq) = 0;
    // Appends one line; *inserted is false when that line number was stored before. The line
    // is taken as read (`ansi`, when set, else `text`, may hold ANSI escapes): the store
    // redacts the text without its escapes and derives the stored colours from the redacted
    // text, following a private key block across a command's consecutive lines.
    virtual bool appendLogLine(qint64 commandKey, const LogLine &line, bool *inserted) = 0;

    // Joins pull requests to tasks by repository + head ref or head sha where the task did
    // not name its PR number. Called once at the end of an ingest run.
    virtual bool linkPullRequests() = 0;

    // Stores a GitHub audit-log event keyed by its id; *inserted is false when that id was
    // stored before (the event is left as it was).
    virtual bool writeAuditEvent(const AuditEvent &event, bool *inserted) = 0;
    // Correlates audit events with task windows (docs/data-model.md, "Audit events"), for
    // events new since the last call and for tasks whose window or identity changed. Called
    // once at the end of an ingest run.
    virtual bool linkAuditEvents() = 0;

    virtual std::optional<IngestedFile> findIngestedFile(qint64 size, const QByteArray &headHash,
                                                         const QByteArray &sha256) = 0;
    virtual bool recordIngestedFile(const IngestedFile &file) = 0;

    // Queries.
    virtual std::optional<TaskChain> taskChain(const QString &taskId) = 0;
    virtual QList<LogLine> logLines(qint64 commandKey, qint64 fromLine, int count) = 0;
    // The audit events linked to a task, in time order.
    virtual QList<AuditLink> auditEvents(const QString &taskId) = 0;
    // Audit events linked to no task, oldest first.
    virtual QList<AuditEvent> unlinkedAuditEvents(int limit) = 0;
    // The number of the first line of a command, from `fromLine` on (or, backwards, from
    // `fromLine` down) whose text contains `text`, ignoring ASCII case; nullopt when none does.
    virtual std::optional<qint64> findLogLine(qint64 commandKey, qint64 fromLine,
                                              const QString &text, bool backwards) = 0;
    // The same for a line containing any of `fragments`.
    virtual std::optional<qint64> findLogLineAny(qint64 commandKey, qint64 fromLine,
                                                 const QStringList &fragments, bool backwards) = 0;
    virtual QList<SearchHit> search(const QString &query, int limit) = 0;
    virtual std::optional<CampaignSummary> campaign(const QString &campaignId) = 0;
    virtual QStringList campaignIds() = 0;
    // Every campaign without its decisions (id, request, title, versions, created_at), in
    // campaignIds() order: what a campaign list shows.
    virtual QList<CampaignRecord> campaigns() = 0;
    virtual StoreStats stats() = 0;
    virtual QList<TaskRow> tasks(const TaskFilter &filter, int offset, int limit) = 0;
    virtual qint64 taskCount(const TaskFilter &filter) = 0;
    // The row of a task in tasks(filter, ...) order, or -1 when the filter excludes it.
    virtual qint64 taskRow(const TaskFilter &filter, const QString &taskId) = 0;
    // The distinct values of a facet, sorted, without empty ones: what a filter can offer.
    virtual QStringList facetValues(TaskFacet facet) = 0;

    // Conformance findings (core/policy/conformance.h). replaceFindings() writes in the
    // caller's batch and drops what the task had before.
    virtual bool replaceFindings(const QString &taskId, const QList<Finding> &findings) = 0;
    // Newest tasks first, then most severe; at most filter.limit.
    virtual QList<Finding> findings(const FindingFilter &filter) = 0;
    virtual std::optional<Severity> worstFinding(const QString &taskId) = 0;
    // When the task was last checked; nullopt when it never was.
    virtual std::optional<QDateTime> checkedAt(const QString &taskId) = 0;
    virtual int findingCount(const QString &taskId) = 0;
    // The distinct values findings can be filtered by, sorted.
    virtual QStringList findingFacetValues(FindingFacet facet) = 0;
    // Tasks launched under a template (or policy) id, at `version` or, when it is empty, at
    // any version; a task that names none inherits its campaign's.
    virtual QStringList taskIdsUsing(const QString &templateOrPolicyId, const QString &version,
                                     bool isTemplate) = 0;
    // Every task id, in id order, a page at a time.
    virtual QStringList taskIds(int offset, int limit) = 0;
    // The tasks a pull request belongs to (after linkPullRequests()).
    virtual QStringList taskIdsForPullRequest(const QString &repo, int number) = 0;
    // Template and policy files as loaded (docs/policy-files.md). A released version never
    // changes: writing a kind + id + version again with another digest fails, with the same
    // digest it is a no-op (*changed false). A new document also names its version in the
    // policy or task_template table, so runs that point at it show its name and digest.
    virtual bool writePolicyDocument(const PolicyDocument &doc, bool *changed) = 0;
    virtual std::optional<PolicyDocument>
    policyDocument(PolicyDocument::Kind kind, const QString &id, const QString &version) = 0;
    // Every stored version of a kind, the newest loaded first.
    virtual QList<PolicyDocument> policyDocuments(PolicyDocument::Kind kind) = 0;
    // The evidence chain (docs/data-model.md): each committed batch appends one entry per
    // record it touched. verifyEvidence() recomputes the chain and checks every record
    // against its latest entry; a non-empty knownHeadHex (a head exported earlier) must still
    // be in the chain.
    virtual EvidenceReport verifyEvidence(const QByteArray &knownHeadHex) = 0;
    // The hex chain hash of the last entry; empty before anything was ingested.
    virtual QByteArray evidenceHead() = 0;
    // The latest entry of a record (kind as in EvidenceEntry), if it has one.
    virtual std::optional<EvidenceEntry> latestEvidence(const QString &kind,
                                                        const QString &ref) = 0;
    // The digest of the record's rows as they are now, to compare with an entry's
    // stateHash; empty for an unknown kind.
    virtual QByteArray currentEvidenceState(const QString &kind, const QString &ref) = 0;
    // Reads every stored text through the redaction step again, for what older versions
    // stored before it knew a kind of secret (docs/data-model.md, "Redaction"). With `apply`
    // the changed rows are rewritten in one batch, the search indexes with them, each
    // redaction is recorded, and the evidence chain gets entries that explain the changed
    // records; the file is then compacted so that the old text is gone from it. nullopt on a
    // database error.
    virtual std::optional<SecretScanReport> scanSecrets(bool apply) = 0;

    // Launching (core/launch, store/sqlitelaunch.cpp). The known repositories and the queue are
    // operational state, not records: they are not part of the evidence chain.
    virtual bool writeRepository(const KnownRepository &repository) = 0;
    virtual QList<KnownRepository> repositories() = 0; // in name order
    virtual std::optional<IdentityRecord> identity(const QString &id) = 0;
    // Claims an idempotency key for a campaign inside the open batch. *claimed is false when
    // the key was claimed before (a UNIQUE key, so two connections cannot both claim it);
    // *campaignId is then the campaign that holds it.
    virtual bool claimIdempotencyKey(const QString &key, QString *campaignId, bool *claimed) = 0;
    virtual std::optional<QString> campaignForIdempotencyKey(const QString &key) = 0;
    virtual bool writeQueueEntry(const QueueEntry &entry) = 0; // inserts or replaces
    virtual std::optional<QueueEntry> queueEntry(const QString &taskId) = 0;
    // A campaign's entries (every campaign's when empty) in queue order: oldest first, then by
    // repository; final ones too when withFinal.
    virtual QList<QueueEntry> queueEntries(const QString &campaignId, bool withFinal) = 0;
    virtual bool appendLaunchEvent(const LaunchEvent &event) = 0;
    virtual QList<LaunchEvent> launchEvents(const QString &taskId) = 0; // oldest first
    // Reports (core/report/): aggregates over the tasks a filter selects, computed in SQL;
    // nullopt on a database error. Skips are the decisions of the filter's campaign, repository,
    // policy and time range (a filter on identity kind, or on a state other than skipped,
    // selects none).
    virtual std::optional<ReportAggregates> reportAggregates(const TaskFilter &filter) = 0;
    // A page of the selected tasks, in tasks(filter, ...) order, with what a report shows.
    virtual QList<ReportTaskRow> reportTasks(const TaskFilter &filter, int offset, int limit) = 0;
    // The findings of these tasks, by task id, most severe first.
    virtual QList<Finding> findingsOfTasks(const QStringList &taskIds) = 0;
};

// Opens the store at `location`: a file path (SQLite, created when missing).
// Returns nullptr and sets *error when it cannot.
std::unique_ptr<RecordStore> openStore(const QString &location, QString *error);

} // namespace Tasktrail
