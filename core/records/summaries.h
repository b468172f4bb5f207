#pragma once

#include "request.h"
#include "states.h"
#include "task.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QVariant>

#include <optional>

namespace Tasktrail {

// A row's place in a TaskSort order: the value of the sorted column (text or integer, never
// null) and the task id that breaks ties.
struct TaskKey
{
    QVariant value;
    QString id;

    friend bool operator==(const TaskKey &, const TaskKey &) = default;
};

// One row of the runs table.
struct TaskRow
{
    TaskKey key; // its place in the order it was read in
    QString id;
    QString repo;
    QString campaignId;
    TaskState state = TaskState::Unknown;
    QString requester;
    QString identity; // principal (kind)
    IdentityKind identityKind = IdentityKind::Unknown;
    QString policy; // id@version
    std::optional<int> prNumber;
    bool prMerged = false;
    QDateTime startedAt;
    std::optional<qint64> durationMs;
};

struct TaskFilter
{
    QString text;  // substring of id, repo, requester or prompt
    QString state; // exact state name
    QString repo;
    QString campaignId;
    QString identityKind;
    QString policyId;
    QDateTime from; // inclusive, on coalesce(started, created)
    QDateTime to;   // exclusive
    // The run's pull request, as the overview counts it: "opened" (on file), "merged", or
    // "awaiting_review" (open, unmerged, no review submitted). The time range is on when it
    // merged ("merged") or was opened; a range or a team alone means "opened".
    QString pullRequest;
    QDateTime pullRequestFrom; // inclusive
    QDateTime pullRequestTo;   // exclusive
    QString reviewTeam;        // the pull request requested this team's review

    friend bool operator==(const TaskFilter &, const TaskFilter &) = default;
};

// A column the runs table can be sorted by. Requester and identity are not among them: they
// live in the request and identity tables, and no index on task can order tasks by them.
enum class TaskSortColumn
{
    Task,
    Repository,
    Campaign,
    State,
    Policy,
    PullRequest,
    Started, // coalesce(started, created); the default, newest first
    Duration,
};

// The runs table's order: one column either way, ties broken by the task id in the same
// direction, so every task has exactly one place and a page can start at a key.
struct TaskSort
{
    TaskSortColumn column = TaskSortColumn::Started;
    bool descending = true;

    friend bool operator==(const TaskSort &, const TaskSort &) = default;
};

// Where a page of tasks starts: at `from` (inclusive) reading on, or, backwards, the rows just
// before `from` (exclusive); without `from`, at the first (backwards: the last) task. `skip`
// rows are passed over first (an OFFSET, for the few pages next to the end). Rows come back
// in `sort` order either way.
struct TaskPageRequest
{
    TaskSort sort;
    std::optional<TaskKey> from;
    bool backwards = false;
    int skip = 0;
    int limit = 256;
    // Walk the sorted column's index and test the filter on each task, rather than let SQLite
    // pick an index of the filter and sort everything it matches: right when the filter keeps
    // a good share of the tasks, wrong when it keeps a few.
    bool followSortIndex = false;
};

// A column of the runs table whose distinct values a filter offers as choices.
enum class TaskFacet
{
    State,
    Repository,
    IdentityKind,
    Policy,
    Campaign
};

// A campaign seen from above: the per-repository outcome and every skip reason.
struct CampaignSummary
{
    CampaignRecord campaign; // with decisions
    std::optional<RequestRecord> request;
    struct RepoOutcome
    {
        RepoDecision decision;
        QString taskId;
        TaskState state = TaskState::Unknown;
        std::optional<int> prNumber;
        bool prMerged = false;
        int retries = 0;
    };
    QList<RepoOutcome> repos;
    int targeted = 0;
    int skipped = 0;
    int prsOpened = 0;
    int prsMerged = 0;
    int failed = 0;
    int retried = 0;
};

struct SearchHit
{
    enum class Kind
    {
        LogLine,
        Record
    };
    Kind kind = Kind::LogLine;
    QString taskId;
    int commandSeq = 0;
    qint64 lineNo = 0;
    QString recordKind; // request, task, pull_request, decision, transcript_entry
    QString recordRef;  // the record's key in its kind, e.g. "<session id>#<seq>" of an entry
    QString text;       // the matching line or field, plain
};

// An entry's place in a task's conversation: its session and its number there.
struct TranscriptPosition
{
    QString sessionId;
    int seq = 0;
    bool isNull() const { return seq < 1; }
    friend bool operator==(const TranscriptPosition &, const TranscriptPosition &) = default;
};

// A row of a task's conversation as a view lists it: an entry, and under a tool result the
// call it answers (folded there, so a call and what came of it read as one row).
struct TranscriptRow
{
    TranscriptEntry entry;
    std::optional<TranscriptEntry> call;
    TranscriptPosition position() const { return {entry.sessionId, entry.seq}; }
};

// A task's conversation counted in rows (TranscriptRow), with the position of every `step`th
// row (anchors[i] is row i * step): where each page of `step` rows starts.
struct TranscriptOutline
{
    qint64 rows = 0;
    int step = 0;
    QList<TranscriptPosition> anchors;
    QStringList sessions; // in row order
};

struct StoreStats
{
    qint64 requests = 0;
    qint64 campaigns = 0;
    qint64 tasks = 0;
    qint64 identities = 0;
    qint64 commands = 0;
    qint64 logLines = 0;
    qint64 pullRequests = 0;
    qint64 mergedPullRequests = 0;
    qint64 reviews = 0;
    qint64 checkRuns = 0;
    qint64 skippedRepos = 0;
    qint64 ingestedFiles = 0;
    qint64 redactions = 0;
    QMap<QString, qint64> tasksByState;
    QMap<QString, qint64> skipsByRule;
    qint64 evidenceEntries = 0;
    QByteArray evidenceHead; // hex; what an export carries to be checked against later
};

// Bookkeeping for one ingested file, so that the same file ingested again is recognised.
struct IngestedFile
{
    QByteArray sha256;   // hex, of the whole content
    QByteArray headHash; // hex SHA-256 of the first MiB, a cheap first match
    qint64 size = 0;
    QString path;
    QString format;
    qint64 records = 0;
    qint64 rejected = 0;
    qint64 redactions = 0;
    QDateTime ingestedAt;
};

} // namespace Tasktrail
