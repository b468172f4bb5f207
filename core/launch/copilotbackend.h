#pragma once

#include "agentbackend.h"
#include "github/githubclient.h"
#include "records/states.h"

#include <QHash>
#include <QJsonObject>

namespace Tasktrail {

class TokenSource;

// Runs tasks with GitHub's Copilot agent-tasks REST API (public preview): POST
// /agents/repos/{owner}/{repo}/tasks, then GET .../tasks/{id} every pollIntervalMs until the
// task reaches a final state (completed, failed, timed_out, cancelled) or the spec's time
// budget runs out. idle and waiting_for_user are not final: the agent may go on once someone
// answers, so they are polled like in_progress and only the budget ends them. When the task
// names a pull request, the pull request, its reviews and the check runs of its head commit
// are read into the RunResult.
//
// The API has no cancel endpoint: cancel() and an exhausted budget stop the polling and
// record the run as cancelled or timed out, but the task may go on at GitHub.
//
// A POST is never repeated blindly (docs/launching.md, "Launching once"): each start reports
// what its POST came to (createReported()); a 5xx, no answer in time or a redirect is
// Uncertain and fails the run as retryable, and the queue's next start brings lookSince, so
// the backend first looks for the task (CreatedTaskLookup) and follows it when it finds
// exactly one, posts again only when it finds none, and otherwise ends the run with failure
// kind "needs_confirmation". A 201 without a readable id is looked for at once.
class CopilotBackend final : public AgentBackend
{
    Q_OBJECT

public:
    struct Options
    {
        GitHubClient::Options http; // base URL, API version, timeouts, rate-limit retries
        int pollIntervalMs = 10'000;
        // Polls that fail in a row (each after the client's own retries) before the run is
        // given up; a 4xx gives up at once.
        int maxPollFailures = 5;
        qint64 defaultTimeBudgetMs = 4 * 3'600'000; // when the spec sets none
        // Looking for a task an earlier POST may have created starts this long before that
        // POST: the two clocks may differ.
        qint64 lookupSlackMs = 120'000;
        // How long GitHub may take to list a task it created, after the create's answer could
        // come at the latest (http.timeoutMs): createSettleMs() is the sum.
        qint64 listingDelayMs = 5'000;
    };

    // tokens is not owned and must outlive the backend.
    explicit CopilotBackend(TokenSource *tokens, QObject *parent = nullptr);
    ~CopilotBackend() override;

    void setOptions(const Options &options);
    const Options &options() const { return m_options; }

    QString name() const override;
    // A second start() for a taskId that is still running is ignored.
    void start(const LaunchSpec &spec) override;
    void cancel(const QString &taskId) override;
    qint64 createSettleMs() const override;
    // The POST body (taskRequestBody()): a second POST would start a second task.
    std::optional<QJsonObject> createRequest(const LaunchSpec &spec) const override;
    bool isRunning(const QString &taskId) const { return m_runs.contains(taskId); }

    // The agent-tasks API takes user-to-server tokens only (personal access tokens, OAuth app
    // tokens, GitHub App user access tokens), not GitHub App installation tokens, so the queue
    // can refuse a launch before it starts. identityRefusal() says why, or is empty.
    static bool acceptsIdentityKind(IdentityKind kind);
    static QString identityRefusal(IdentityKind kind);
    // The states where polling stops.
    static bool isFinalState(TaskState state);
    // The POST body for a spec, with the field names of GitHub's published schema.
    static QJsonObject taskRequestBody(const LaunchSpec &spec);

private:
    class Run;
    void post(Run *run);
    void lookFirst(Run *run);
    void created(Run *run, const GitHubResponse &response);
    void recoverId(Run *run, const GitHubResponse &response);
    void follow(Run *run, const QJsonObject &task, CreateReport report);
    void adopt(Run *run, const QString &remoteId);
    void report(Run *run, CreateReport report);
    void schedulePoll(Run *run);
    void poll(Run *run);
    void polled(Run *run, const GitHubResponse &response);
    bool update(Run *run, const QJsonObject &task);
    void conclude(Run *run, RunResult result);
    void fetchPullRequest(Run *run, RunResult result);
    void fetchPullRequestByHead(Run *run, RunResult result, const QString &why);
    void fetchReviews(Run *run, RunResult result);
    void fetchCheckRuns(Run *run, RunResult result);
    RunResult resultOf(const Run *run) const;
    void finish(Run *run, RunResult result);
    void stop(Run *run, TaskState state, const QString &failure, const QString &kind);

    TokenSource *m_tokens;
    Options m_options;
    GitHubClient *m_client;
    QHash<QString, Run *> m_runs;
};

} // namespace Tasktrail
