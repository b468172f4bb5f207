#pragma once

#include "records/launchrecords.h"
#include "records/logline.h"
#include "records/pullrequest.h"
#include "records/task.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// What a backend is asked to run: one task in one repository, from an approved template.
struct LaunchSpec
{
    QString taskId;  // Tasktrail's id for the run; the queue's idempotency anchor
    QString repo;    // owner/name
    QString prompt;  // the template's prompt with its parameters filled in
    QString baseRef; // empty: the repository's default branch
    QString headRef; // the branch the agent pushes to
    QString model;
    QString customAgent;
    bool createPullRequest = true;
    qint64 timeBudgetMs = -1;    // the template's max runtime; -1: none
    QString identityId;          // whose token the backend uses (see TokenSource)
    QString localRepositoryPath; // the local runner: the repository to make a worktree of

    // Set by the queue for one start, never stored with the entry (docs/launching.md,
    // "Launching once"). Only for backends with a createRequest().
    // An earlier attempt may have created the run (its create had no certain answer, or the
    // worker stopped before one came): look for a run created since then before creating one.
    QDateTime lookSince;
    // Valid with lookSince: a look before then that finds nothing is no answer yet (the earlier
    // create may still be answered, or listed late); the backend looks again then, and creates
    // nothing before.
    QDateTime lookConclusiveAt;
    // The run an earlier attempt created (a restart, or a person's confirmation): follow it and
    // create nothing.
    QString adoptRemoteId;
};

// What a backend with a createRequest() learned about one start's create, reported once per
// start() by createReported() before started() or finished().
struct CreateReport
{
    CreateOutcome outcome = CreateOutcome::Pending;
    int status = 0;        // the create call's HTTP status; 0: none
    QString answer;        // what answered, in one sentence (never a token)
    QString remoteId;      // Created, Adopted
    QString lookup;        // what looking for an earlier run found; empty: nobody looked
    QJsonArray candidates; // the runs that could be it, one object each
};

// The output of one command a backend ran, in order.
struct CommandLog
{
    int seq = 0;
    QList<LogLine> lines;
};

// What came of a run: the task as it ended (state, times, sessions, commands, tests, files
// changed, contacts, head ref and sha, PR number), its command logs, and the pull request with
// its reviews and check runs when one was opened. Written to the store like ingested records,
// so a launched run has the same chain as an ingested one.
struct RunResult
{
    TaskRecord task;
    QList<CommandLog> logs;
    std::optional<PullRequestRecord> pullRequest;
    QList<ReviewRecord> reviews;
    QList<CheckRunRecord> checkRuns;
    // Empty when the run succeeded; otherwise what went wrong, in one sentence, and a stable
    // kind ("timeout", "agent_error", "http_error", "rate_limited", "auth", "git", and
    // "cancelled", "invalid_spec") so the queue can tell a failure that happened twice.
    QString failure;
    QString failureKind;
    bool retryable = false; // worth another attempt (network, 5xx, rate limit)
    // The backend's own id for the run, as started() gave it; empty when it never started.
    // A retry of a run that has a remoteId may duplicate work still going on there.
    QString remoteId;
    // Problems that did not fail the run, e.g. a pull request whose reviews could not be read.
    QStringList warnings;
};

// Runs agent tasks somewhere: GitHub's Copilot agent-tasks API, or a local agent command.
// Asynchronous and event-driven (no blocking calls on the caller's thread): start() returns
// at once, and the signals report the run. One backend object may run several tasks at once.
class AgentBackend : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~AgentBackend() override = default;

    // "copilot-api" or "local": recorded as the task's source.
    virtual QString name() const = 0;
    virtual void start(const LaunchSpec &spec) = 0;
    // Stops a run; finished() follows with the task cancelled.
    virtual void cancel(const QString &taskId) = 0;
    // The request start() sends to create the run, for a backend whose second create would
    // start a second run elsewhere (a task at GitHub); nullopt for the others. The queue
    // records it with the time before every start(), and its next start() looks for that run
    // (LaunchSpec::lookSince) when the answer was uncertain or never recorded.
    virtual std::optional<QJsonObject> createRequest(const LaunchSpec &spec) const
    {
        Q_UNUSED(spec);
        return std::nullopt;
    }
    // How long after a create was sent a look that does not find its run is still no answer:
    // the create may be answered until the client gives up on it, and the run listed a little
    // later (CreateGuard::plan).
    virtual qint64 createSettleMs() const { return 0; }

Q_SIGNALS:
    // The run exists where it runs; remoteId is the backend's own id (GitHub's task id, the
    // worktree path).
    void started(const QString &taskId, const QString &remoteId);
    // A state change worth recording while the run goes on (queued -> in_progress, ...).
    void progressed(const QString &taskId, Tasktrail::TaskState state, const QString &note);
    void finished(const QString &taskId, const Tasktrail::RunResult &result);
    // Only from backends with a createRequest(): what this start's create came to.
    void createReported(const QString &taskId, const Tasktrail::CreateReport &report);
};

} // namespace Tasktrail
