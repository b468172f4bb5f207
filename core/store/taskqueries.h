#pragma once

#include "store/storeconnection.h"

#include "records/auditevent.h"
#include "records/identity.h"
#include "records/logline.h"
#include "records/summaries.h"
#include "records/taskchain.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// Reads tasks, their chains and logs, campaigns and search: what the views and the CLI show.
class TaskQueries : public virtual StoreConnection
{
public:
    virtual std::optional<TaskChain> taskChain(const QString &taskId) = 0;
    // The chain without its conversation: chain.transcript (the entries) and chain.transcripts
    // (each session's whole text) stay empty, chain.transcriptEntries counts the entries. A
    // conversation can be hundreds of thousands of entries, which a view reads a page at a time
    // below; no conformance rule reads it, so a check loads this too and holds none of it.
    virtual std::optional<TaskChain> taskChainOutline(const QString &taskId) = 0;
    // How much of each chain taskChainOutlines() reads.
    enum class OutlineScope
    {
        // What taskChainOutline() gives.
        Whole,
        // What the conformance rules read (core/policy), for a check of many runs: every
        // command without its log line count (Command::logLines stays 0), and of the audit
        // events linked to the task only those in a repository other than its own, ignoring
        // ASCII case (none for a task without one: the only ones a rule reads).
        Check,
    };
    // The outlines of many tasks, in the order of `taskIds` (nullopt where no such task), each
    // what taskChainOutline gives, or less for a check (`scope`); read with a fixed number of
    // statements whatever the count, for the conformance check of a batch of runs.
    // *complete (when given) tells whether every statement ran to its end: false when one
    // failed (a lock or a connection lost), and the chains may then lack rows.
    virtual QList<std::optional<TaskChain>>
    taskChainOutlines(const QStringList &taskIds, OutlineScope scope, bool *complete = nullptr) = 0;
    QList<std::optional<TaskChain>> taskChainOutlines(const QStringList &taskIds)
    {
        return taskChainOutlines(taskIds, OutlineScope::Whole);
    }

    // A task's conversation as rows (TranscriptRow): its entries in session and entry order,
    // except each tool call that a tool result of its session answers, which is folded under
    // that result. Counts the rows and gives the position of every `step`th (step >= 1).
    virtual TranscriptOutline transcriptOutline(const QString &taskId, int step) = 0;
    // Up to `count` rows from the one at `from` on (a seek on the task's entries).
    virtual QList<TranscriptRow> transcriptRows(const QString &taskId,
                                                const TranscriptPosition &from, int count) = 0;
    // The row number of the row that shows the entry at `position` (a folded call's result's
    // row); -1 when the task has no such entry.
    virtual qint64 transcriptRowOf(const QString &taskId, const TranscriptPosition &position) = 0;
    // The position of the first row after `from` (or, backwards, before it; a null `from`
    // starts at the end the search walks from) whose entry or folded call contains `text`,
    // ignoring ASCII case; nullopt when none does.
    virtual std::optional<TranscriptPosition> findTranscriptRow(const QString &taskId,
                                                                const TranscriptPosition &from,
                                                                const QString &text,
                                                                bool backwards) = 0;
    // The tool call that became command `commandSeq` of the task; nullopt when none did.
    virtual std::optional<TranscriptPosition> transcriptCallOfCommand(const QString &taskId,
                                                                      int commandSeq) = 0;
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
    // Newest first by OFFSET: for a walk over every task from the start.
    virtual QList<TaskRow> tasks(const TaskFilter &filter, int offset, int limit) = 0;
    virtual qint64 taskCount(const TaskFilter &filter) = 0;
    // A page in any TaskSort order by key (keyset paging): it seeks the sorted column's index
    // to request.from, so a page deep in a million tasks costs what the first page costs.
    // Each row carries its key in that order.
    virtual QList<TaskRow> taskPage(const TaskFilter &filter, const TaskPageRequest &request) = 0;
    // Page anchors: the keys of the rows at 0, step, 2*step, ... counted from walk.from
    // (inclusive; the first task without it) in walk.sort order, reading at most walk.limit
    // rows and also the key of row walk.limit when there is one, where the next call goes on.
    // walk.limit is a multiple of step. `rowids` (unless null) receives the row id of each task
    // the walk passed before row walk.limit, in order: a view that keeps them reads any page by
    // taskRowsOf() without testing the filter on each task again.
    virtual QList<TaskKey> taskAnchors(const TaskFilter &filter, const TaskPageRequest &walk,
                                       int step, QList<qint64> *rowids = nullptr) = 0;
    // The rows of these tasks (row ids from taskAnchors()), in the order given and without
    // their keys; a task deleted since is left out.
    virtual QList<TaskRow> taskRowsOf(const QList<qint64> &rowids) = 0;
    // The row of a task in `sort` order under the filter, or -1 when the filter excludes it;
    // `key` (unless null) receives the task's key in that order.
    virtual qint64 taskRow(const TaskFilter &filter, const TaskSort &sort, const QString &taskId,
                           TaskKey *key) = 0;
    // The distinct values of a facet, sorted, without empty ones: what a filter can offer.
    virtual QStringList facetValues(TaskFacet facet) = 0;
    // Tasks started under a template (isTemplate) or rule-set document id, at `version` or,
    // when it is empty, at any version; a task that names none inherits its campaign's. In id
    // order, up to `limit` of those with an id after `after` (empty: from the first).
    virtual QStringList taskIdsUsing(const QString &documentId, const QString &version,
                                     bool isTemplate, const QString &after, int limit) = 0;
    // Every task id, in id order, a page at a time.
    virtual QStringList taskIds(int offset, int limit) = 0;
    // The tasks a pull request belongs to (after linkPullRequests()).
    virtual QStringList taskIdsForPullRequest(const QString &repo, int number) = 0;
    // The task a stored session (an agent task's, or one a session log named) belongs to:
    // at most one id.
    virtual QStringList taskIdsForSession(const QString &sessionId) = 0;
    virtual std::optional<IdentityRecord> identity(const QString &id) = 0;
};

} // namespace Tasktrail
