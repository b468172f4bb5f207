#pragma once

#include "identity.h"
#include "records/finding.h"
#include "states.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace Tasktrail {

// What a report (core/report/) asks the store for: aggregates computed in SQL over the tasks
// a TaskFilter selects, so a report over a million tasks never loads them all. Times are UTC;
// a day is a UTC calendar day.

struct SkipReasonCount
{
    QString rule;   // machine name, empty when the decision named none
    QString reason; // one of the reasons given under that rule, for a person to read
    qint64 count = 0;
};

struct SkippedRepo
{
    QString campaignId;
    QString repo;
    QString rule;
    QString reason;
    QDateTime decidedAt;
};

// Pull requests of the selected tasks that requested a team's review, by the day they were
// opened and the template whose budget they count against.
struct ReviewLoadEntry
{
    QString team;
    QDate day;
    QString templateId;
    QString templateVersion;
    qint64 pullRequests = 0;
};

struct DayStateCount
{
    QDate day;     // of coalesce(started, created)
    QString state; // TaskState name
    qint64 count = 0;
};

// Pull requests of the selected tasks opened, merged and closed unmerged on a day.
struct PullRequestDay
{
    QDate day;
    qint64 opened = 0;
    qint64 merged = 0;
    qint64 closedUnmerged = 0;
};

struct DurationBucket
{
    QString label;
    qint64 fromMs = 0; // inclusive
    qint64 toMs = -1;  // exclusive; -1: no upper end
    qint64 count = 0;
};

// Per repository: the selected tasks in it and the skips the filter's decisions made of it.
struct RepoReportRow
{
    QString repo;
    qint64 tasks = 0;
    qint64 completed = 0;
    qint64 failed = 0; // failed or timed out
    qint64 prsOpened = 0;
    qint64 prsMerged = 0;
    qint64 retries = 0;
    qint64 findings = 0;
    qint64 skipped = 0;
    QString skipRule; // the last skip's, by campaign id
    QString skipReason;
};

struct ReportAggregates
{
    qint64 tasks = 0;
    qint64 started = 0; // tasks with a start time
    QMap<QString, qint64> tasksByState;
    qint64 retries = 0;      // summed
    qint64 tasksRetried = 0; // tasks retried at least once
    qint64 prsOpened = 0;    // distinct pull requests the tasks name
    qint64 prsMerged = 0;
    qint64 prsClosedUnmerged = 0;
    qint64 prsOpen = 0;                    // neither merged nor closed (or not ingested yet)
    std::optional<qint64> medianToPrMs;    // task start -> pull request opened
    std::optional<qint64> medianToMergeMs; // pull request opened -> merged
    QMap<Severity, qint64> findingsBySeverity;
    QMap<QString, qint64> findingsByRule;
    qint64 tasksWithFindings = 0;
    qint64 tasksWithUsage = 0;
    QMap<QString, double> usage; // every numeric field of task.usage, summed
    qint64 skippedRepos = 0;
    QList<SkipReasonCount> skipReasons; // most frequent first
    QList<SkippedRepo> skipped;         // by campaign, then repository
    QList<ReviewLoadEntry> reviewLoad;  // by team, day, template
    QList<DayStateCount> outcomesByDay; // by day, state
    QList<PullRequestDay> pullRequestsByDay;
    QList<DurationBucket> durations; // completed - started, of tasks with both
    QList<RepoReportRow> repos;      // by repository name
};

// One task as a report's task table shows it.
struct ReportTaskRow
{
    QString id;
    QString repo;
    QString campaignId;
    TaskState state = TaskState::Unknown;
    QString requester;
    QString principal;
    IdentityKind identityKind = IdentityKind::Unknown;
    QString policyId;
    QString policyVersion;
    QString templateId; // the task's, or its campaign's
    QString templateVersion;
    QDateTime startedAt; // started, or created when it never started
    QDateTime completedAt;
    int retries = 0;
    std::optional<int> prNumber;
    QString prOutcome; // merged, closed, open; empty without a pull request
    QDateTime prOpenedAt;
    QDateTime prMergedAt;
    QJsonObject usage;
    int findings = 0;
    std::optional<Severity> worstFinding;
};

} // namespace Tasktrail
