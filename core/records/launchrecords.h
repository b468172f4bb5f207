#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// The states of a launch-queue entry (docs/launching.md). Completed, failed and cancelled are
// final; the others may still start a run.
enum class QueueState
{
    Queued,    // ready to start when the budgets allow
    Waiting,   // held by a budget (reviewer capacity) until next_attempt_at
    Running,   // started on a backend
    Paused,    // held by a person until resumed
    RetryWait, // failed, retried at next_attempt_at
    Completed,
    Failed,
    Cancelled,
};

QString toString(QueueState state);
std::optional<QueueState> queueStateFromString(QStringView text);
bool isFinal(QueueState state);

// One task of a campaign waiting for, or given to, a backend.
struct QueueEntry
{
    QString taskId;
    QString campaignId;
    QString repo;
    QString templateId;
    QString templateVersion;
    QString backend;
    QueueState state = QueueState::Queued;
    int attempts = 0;
    QDateTime nextAttemptAt; // invalid: at once
    QString lastFailureKind;
    QString lastFailure;
    // Held by a person. A queued entry becomes Paused; a running one keeps running and goes to
    // Paused instead of RetryWait when it fails.
    bool paused = false;
    QDateTime createdAt;
    QDateTime updatedAt;
    QJsonObject spec;     // the LaunchSpec and the records the run belongs to (launchspec.h)
    QString reviewerTeam; // whose review capacity the run's pull request uses
    QString requestKey;   // the same request + repository is launched once at a time
    QString reviewDay;    // "yyyy-MM-dd" (UTC) whose review capacity the run holds
    QString remoteId;     // the backend's id of the run
    QString requested;    // "cancel" when another process asked for it while running
};

// A state change of an entry and why it happened.
struct LaunchEvent
{
    qint64 id = 0;
    QString taskId;
    QDateTime at;
    QString fromState; // empty for the entry's creation
    QString toState;
    QString reason;
};

// A repository Tasktrail may launch in, as GitHub (or a local checkout) describes it: what the
// template's eligibility rules look at.
struct KnownRepository
{
    QString name; // owner/name
    bool archived = false;
    bool fork = false;
    QStringList topics;
    QString language;
    QString defaultBranch;
    QStringList files; // top-level files when known (required_files); empty: unknown
    QString localPath; // a local checkout, for the local backend
    QDateTime updatedAt;
};

} // namespace Tasktrail
