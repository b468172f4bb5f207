#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

struct PullRequestRecord
{
    QString repo; // owner/name of the base repository
    int number = 0;
    qint64 githubId = 0;
    QString title;
    QString state; // open, closed (merged is mergedAt.isValid(), not state)
    bool draft = false;
    QString author;
    QString headRef;
    QString headSha;
    QString baseRef;
    QString url;
    QString mergeCommitSha;
    QString mergedBy;
    QString mergeableState;
    QStringList labels;
    QStringList requestedReviewers;
    QStringList requestedTeams;
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime closedAt;
    QDateTime mergedAt;

    bool merged() const { return mergedAt.isValid(); }
};

struct ReviewRecord
{
    qint64 id = 0;
    QString repo;
    int prNumber = 0;
    QString reviewer;
    QString state; // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    QString commitId;
    QDateTime submittedAt;
};

struct CheckRunRecord
{
    qint64 id = 0;
    QString repo;
    QString headSha;
    QString name;
    QString status;     // queued, in_progress, completed
    QString conclusion; // success, failure, neutral, cancelled, skipped, timed_out, ...
    QString app;
    std::optional<int> prNumber;
    QDateTime startedAt;
    QDateTime completedAt;
};

// The set of check runs one GitHub App made for one commit: its overall status and conclusion.
struct CheckSuiteRecord
{
    qint64 id = 0;
    QString repo;
    QString headSha;
    QString headBranch;
    QString status;     // requested, queued, in_progress, completed
    QString conclusion; // success, failure, neutral, cancelled, timed_out, action_required, ...
    QString app;
    std::optional<int> prNumber;
    QDateTime createdAt;
    QDateTime updatedAt;
};

} // namespace Tasktrail
