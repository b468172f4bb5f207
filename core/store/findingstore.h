#pragma once

#include "store/storeconnection.h"

#include "records/finding.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// Conformance findings (core/policy/conformance.h): written by the checker, read by the
// Findings view, `findings` and reports.
class FindingStore : public virtual StoreConnection
{
public:
    // Conformance findings (core/policy/conformance.h). replaceFindings() writes in the
    // caller's batch and drops what the task had before.
    virtual bool replaceFindings(const QString &taskId, const QList<Finding> &findings) = 0;
    // Newest tasks first, then most severe; at most filter.limit.
    virtual QList<Finding> findings(const FindingFilter &filter) = 0;
    // Keyset paging: the filter's first filter.limit findings of stored tasks in `sort` order
    // after `after` (from the first without it), each with its key. A sorted column's page is
    // a seek to the key on that column's index (finding_sort_*); the default order's walks the
    // tasks from the key's on (task_order) and reads their findings (finding_sort_task): either
    // costs the same at any depth.
    virtual QList<KeyedFinding> findingPage(const FindingFilter &filter, const FindingSort &sort,
                                            const std::optional<FindingKey> &after) = 0;
    virtual std::optional<Severity> worstFinding(const QString &taskId) = 0;
    // When the task was last checked; nullopt when it never was.
    virtual std::optional<QDateTime> checkedAt(const QString &taskId) = 0;
    virtual int findingCount(const QString &taskId) = 0;
    // The distinct values findings can be filtered by, sorted.
    virtual QStringList findingFacetValues(FindingFacet facet) = 0;
    // A task's stored findings with their row ids, in id order (verify names rows by them).
    virtual QList<StoredFinding> storedFindings(const QString &taskId) = 0;
    // The stored finding with row id `id` (a tasktrail://finding/ID link names it); nullopt
    // when there is none.
    virtual std::optional<StoredFinding> storedFinding(qint64 id) = 0;
    // Tasks never checked, in id order, up to `limit` of those with an id after `after` (empty:
    // from the first): a check after an ingest takes them too, a page at a time, so runs a
    // killed ingest committed before its check are checked by the next one.
    virtual QStringList uncheckedTaskIds(const QString &after, int limit) = 0;
    // The findings of these tasks, by task id, most severe first.
    virtual QList<Finding> findingsOfTasks(const QStringList &taskIds) = 0;

    // Triage (docs/conformance.md, "Triage"): sets the state of the findings with these row
    // ids, in one batch of its own: every one or none (an unknown id fails it, named in
    // errorString()). Each change is a row of the append-only triage history, keyed by the
    // finding's identity (task, rule, evidence) so that it outlives a check that renumbers the
    // rows, and an evidence entry of kind "triage". by and note pass the redaction step.
    virtual bool triageFindings(const QList<qint64> &findingIds, const FindingTriage &triage) = 0;
    // Every triage of the finding with this row id, oldest first; the last is its state.
    virtual QList<FindingTriage> triageHistory(qint64 findingId) = 0;

    // Checks by two writers at once take turns. A check reads the stored templates and
    // policies, then replaces a task's findings; when another writer stores a newer document
    // and checks the task again meanwhile, the older check must not store its findings last.
    // Held from before a check reads what to check until its last findings are committed;
    // false with errorString() when it cannot be taken. A single-writer store needs nothing.
    virtual bool lockChecks() { return true; }
    virtual void unlockChecks() {}
};

} // namespace Tasktrail
