#pragma once

#include <QDateTime>
#include <QJsonArray>
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
    // Held until a person says whether an earlier attempt created the run (its create had no
    // certain answer, and looking for the run could not tell): QueueControl::confirm().
    NeedsConfirmation,
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

// What one attempt's create call (the Copilot backend's POST) came to.
enum class CreateOutcome
{
    Pending,    // recorded before the backend was asked; no answer recorded (yet)
    Created,    // the answer named the run's remote id
    Adopted,    // nothing sent: the run an earlier attempt created was found, or given
    NotCreated, // refused (a 4xx answer), or never sent
    Uncertain,  // no answer that says: a 5xx, no answer in time, a redirect, a 201 without id
    Undecided,  // looking for the earlier attempt's run could not tell: a person decides
};

QString toString(CreateOutcome outcome);
std::optional<CreateOutcome> createOutcomeFromString(QStringView text);

// One start of a queue entry on a backend that creates its runs elsewhere, recorded before the
// backend is asked, so that neither an uncertain answer nor a worker restart leads to a second
// create without looking first (docs/launching.md, "Launching once").
struct LaunchAttempt
{
    QString taskId;
    int attempt = 0;     // the entry's attempt number, from 1
    QDateTime startedAt; // before anything was sent
    QString fingerprint; // hex SHA-256 of the create request as sent
    QJsonObject request; // the create request (string values redacted)
    CreateOutcome outcome = CreateOutcome::Pending;
    int status = 0;        // the create call's HTTP status; 0: none came
    QString answer;        // what answered, in one sentence
    QString remoteId;      // the run's id where it runs
    QString lookup;        // what looking for an earlier attempt's run found
    QJsonArray candidates; // the runs found that could be that run (id, created_at, ...)
    QString resolution;    // what was learned later: "created" or "not_created"; empty: nothing
    QString resolvedBy;    // who or what settled it, and when
    QDateTime endedAt;     // the backend finished the attempt
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
