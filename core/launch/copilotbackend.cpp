#include "copilotbackend.h"

#include "copilotrun.h"
#include "createdtasklookup.h"
#include "github/githubshapes.h"
#include "github/tokensource.h"
#include "text/redactor.h"

#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

Q_LOGGING_CATEGORY(lcCopilot, "tasktrail.launch.copilot")

RunResult failed(const QString &failure, const QString &kind, bool retryable)
{
    RunResult r;
    r.failure = failure;
    r.failureKind = kind;
    r.retryable = retryable;
    return r;
}

// A POST answer that does not say whether the task was created: nothing came, a server or
// proxy error, or a redirect (GitHub may answer 303 after carrying a POST out).
bool uncertain(const GitHubResponse &r)
{
    return r.status == 0 || r.status >= 500 || r.errorKind == u"redirect";
}

QString seconds(qint64 ms)
{
    return QString::number(ms / 1000.0, 'f', ms % 1000 == 0 ? 0 : 1) % u" s"_s;
}

} // namespace

CopilotBackend::CopilotBackend(TokenSource *tokens, QObject *parent)
    : AgentBackend(parent)
    , m_tokens(tokens)
    , m_client(new GitHubClient(this))
{
    m_client->setOptions(m_options.http);
}

CopilotBackend::~CopilotBackend() = default;

void CopilotBackend::setOptions(const Options &options)
{
    m_options = options;
    m_client->setOptions(options.http);
}

QString CopilotBackend::name() const
{
    return u"copilot-api"_s;
}

bool CopilotBackend::acceptsIdentityKind(IdentityKind kind)
{
    return identityRefusal(kind).isEmpty();
}

QString CopilotBackend::identityRefusal(IdentityKind kind)
{
    switch (kind) {
    case IdentityKind::ClassicPat:
    case IdentityKind::FineGrainedPat:
    case IdentityKind::OAuthAppToken:
    case IdentityKind::GitHubAppUserToken:
        return {};
    case IdentityKind::GitHubAppInstallationToken:
        return u"GitHub's agent-tasks API does not accept GitHub App installation tokens; use a "
               u"personal access token, an OAuth app token or a GitHub App user access token"_s;
    case IdentityKind::LocalUser:
        return u"a local user has no GitHub token for the agent-tasks API"_s;
    case IdentityKind::Unknown:
        break;
    }
    return u"the identity's token kind is unknown; the agent-tasks API needs a user token"_s;
}

bool CopilotBackend::isFinalState(TaskState state)
{
    return state == TaskState::Completed || state == TaskState::Failed ||
           state == TaskState::TimedOut || state == TaskState::Cancelled;
}

QJsonObject CopilotBackend::taskRequestBody(const LaunchSpec &spec)
{
    QJsonObject body{{u"prompt"_s, spec.prompt},
                     {u"create_pull_request"_s, spec.createPullRequest}};
    if (!spec.baseRef.isEmpty())
        body.insert(u"base_ref"_s, spec.baseRef);
    if (!spec.headRef.isEmpty())
        body.insert(u"head_ref"_s, spec.headRef);
    if (!spec.model.isEmpty())
        body.insert(u"model"_s, spec.model);
    if (!spec.customAgent.isEmpty())
        body.insert(u"custom_agent"_s, spec.customAgent);
    return body;
}

void CopilotBackend::start(const LaunchSpec &spec)
{
    if (m_runs.contains(spec.taskId)) {
        qCWarning(lcCopilot) << "task" << spec.taskId << "is already running";
        return;
    }
    auto *run = new Run(this);
    run->spec = spec;
    run->startedAt = QDateTime::currentDateTimeUtc();
    m_runs.insert(spec.taskId, run);

    QString error;
    const std::optional<CopilotPaths> paths = CopilotPaths::forRepo(spec.repo, &error);
    if (!paths)
        return finish(run, failed(error, u"invalid_spec"_s, false));
    if (spec.prompt.trimmed().isEmpty())
        return finish(run, failed(u"the prompt is empty"_s, u"invalid_spec"_s, false));
    run->paths = *paths;
    const std::optional<QByteArray> token =
        m_tokens ? m_tokens->token(spec.identityId, &error) : std::nullopt;
    if (!token) {
        if (!m_tokens)
            error = u"no token source is configured"_s;
        return finish(run, failed(error, u"auth"_s, false));
    }
    run->token = *token;
    run->budgetMs = spec.timeBudgetMs >= 0 ? spec.timeBudgetMs : m_options.defaultTimeBudgetMs;
    run->deadline = QDeadlineTimer(run->budgetMs);
    if (!spec.adoptRemoteId.isEmpty())
        return adopt(run, spec.adoptRemoteId);
    if (spec.lookSince.isValid())
        return lookFirst(run);
    post(run);
}

qint64 CopilotBackend::createSettleMs() const
{
    return m_options.http.timeoutMs + m_options.listingDelayMs;
}

std::optional<QJsonObject> CopilotBackend::createRequest(const LaunchSpec &spec) const
{
    return taskRequestBody(spec);
}

void CopilotBackend::post(Run *run)
{
    run->posting = true;
    m_client->send(QByteArrayLiteral("POST"), run->paths.tasks(), run->token,
                   taskRequestBody(run->spec), run,
                   [this, run](const GitHubResponse &r) { created(run, r); });
}

// An earlier attempt's POST may have created the task: look for it before posting again.
void CopilotBackend::lookFirst(Run *run)
{
    const QDateTime since = run->spec.lookSince.addMSecs(-m_options.lookupSlackMs);
    auto *lookup = new CreatedTaskLookup(*m_client, run->paths, run->token, run->spec, since, run);
    lookup->start([this, run, lookup](const CreatedTaskLookup::Result &r) {
        lookup->deleteLater();
        if (run->done)
            return;
        CreateReport found{CreateOutcome::Adopted, 0, {}, r.remoteId, r.summary, r.candidates};
        switch (r.verdict) {
        case CreatedTaskLookup::Verdict::Found:
            found.answer = u"nothing sent: follows task %1, which an earlier attempt created"_s.arg(
                r.remoteId);
            return follow(run, r.task, found);
        case CreatedTaskLookup::Verdict::NotFound: {
            run->lookup = r.summary;
            // Too early to tell: the earlier create may still be answered or listed. Look
            // again when it cannot be any more; nothing is posted before.
            const qint64 wait = QDateTime::currentDateTimeUtc().msecsTo(run->spec.lookConclusiveAt);
            if (run->spec.lookConclusiveAt.isValid() && wait > 0) {
                QTimer::singleShot(wait, run, [this, run] {
                    if (!run->done)
                        lookFirst(run);
                });
                return;
            }
            return post(run);
        }
        case CreatedTaskLookup::Verdict::Undecided:
            found.outcome = CreateOutcome::Undecided;
            found.answer = u"nothing sent: an earlier attempt may have created the task"_s;
            report(run, found);
            return finish(run, failed(u"could not tell whether an earlier attempt created the "
                                      "task: "_s %
                                          r.summary % u"; a person must confirm"_s,
                                      u"needs_confirmation"_s, false));
        }
    });
}

// The task an earlier attempt created, named by the queue (a restart, a person's
// confirmation): read it and poll on; nothing is posted.
void CopilotBackend::adopt(Run *run, const QString &remoteId)
{
    run->remoteId = remoteId;
    m_client->get(run->paths.task(remoteId), run->token, run,
                  [this, run, remoteId](const GitHubResponse &r) {
                      if (run->done)
                          return;
                      const CreateReport adopted{
                          CreateOutcome::Adopted,
                          0,
                          u"nothing sent: follows task %1 as the queue named it"_s.arg(remoteId),
                          remoteId,
                          {},
                          {}};
                      if (r.ok())
                          return follow(run, r.json.object(), adopted);
                      report(run, adopted);
                      Q_EMIT started(run->spec.taskId, remoteId);
                      // Polled like any task: the poll's own tolerance decides when to give up.
                      polled(run, r);
                  });
}

void CopilotBackend::report(Run *run, CreateReport report)
{
    if (run->reported)
        return;
    run->reported = true;
    run->posting = false;
    if (report.lookup.isEmpty())
        report.lookup = run->lookup;
    Redactor::redactText(report.answer);
    Q_EMIT createReported(run->spec.taskId, report);
}

// Follows a task this or an earlier attempt created, from its description.
void CopilotBackend::follow(Run *run, const QJsonObject &task, CreateReport settled)
{
    const QString id = task.value("id"_L1).toString();
    run->remoteId = id.isEmpty() ? settled.remoteId : id;
    settled.remoteId = run->remoteId;
    report(run, settled);
    Q_EMIT started(run->spec.taskId, run->remoteId);
    if (run->done || !update(run, task))
        return;
    if (isFinalState(run->state))
        return conclude(run, resultOf(run));
    schedulePoll(run);
}

void CopilotBackend::cancel(const QString &taskId)
{
    if (Run *run = m_runs.value(taskId)) {
        stop(run, TaskState::Cancelled,
             u"cancelled in Tasktrail; GitHub's agent-tasks API has no cancel endpoint, so "
             u"the task may still be running there"_s,
             u"cancelled"_s);
    }
}

void CopilotBackend::created(Run *run, const GitHubResponse &response)
{
    if (run->done)
        return;
    const bool success = response.status >= 200 && response.status < 300;
    const QString remoteId = response.json.object().value("id"_L1).toString();
    if (success && (!response.ok() || remoteId.isEmpty()))
        return recoverId(run, response);
    if (!response.ok()) {
        // A 5xx, a redirect or no answer may still have created the task: the next attempt
        // looks for it before it posts.
        const bool unsure = uncertain(response);
        report(run, CreateReport{unsure ? CreateOutcome::Uncertain : CreateOutcome::NotCreated,
                                 response.status,
                                 response.error,
                                 {},
                                 {},
                                 {}});
        return finish(run, failed(u"could not start the task: "_s % response.error,
                                  response.errorKind, unsure || response.retryable));
    }
    follow(run, response.json.object(),
           CreateReport{CreateOutcome::Created,
                        response.status,
                        u"HTTP %1: task %2"_s.arg(response.status).arg(remoteId),
                        remoteId,
                        {},
                        {}});
}

// GitHub said 201 but its answer names no task: the task exists, and the same look that an
// uncertain POST gets finds it. Not finding it is never a reason to post again.
void CopilotBackend::recoverId(Run *run, const GitHubResponse &response)
{
    const QString answer = u"HTTP %1, but the answer names no task%2"_s.arg(response.status)
                               .arg(response.ok() ? QString() : u" ("_s % response.error % u')');
    auto *lookup = new CreatedTaskLookup(*m_client, run->paths, run->token, run->spec,
                                         run->startedAt.addMSecs(-m_options.lookupSlackMs), run);
    lookup->start([this, run, lookup, answer,
                   status = response.status](const CreatedTaskLookup::Result &r) {
        lookup->deleteLater();
        if (run->done)
            return;
        CreateReport settled{
            CreateOutcome::Created, status, answer, r.remoteId, r.summary, r.candidates};
        if (r.verdict == CreatedTaskLookup::Verdict::Found)
            return follow(run, r.task, settled);
        settled.outcome = CreateOutcome::Undecided;
        report(run, settled);
        finish(run, failed(u"GitHub created the task but its answer names none, and looking for "
                           "it could not tell which it is: "_s %
                               r.summary % u"; a person must confirm"_s,
                           u"needs_confirmation"_s, false));
    });
}

void CopilotBackend::schedulePoll(Run *run)
{
    const qint64 wait = std::min<qint64>(m_options.pollIntervalMs, run->deadline.remainingTime());
    QTimer::singleShot(std::chrono::milliseconds(std::max<qint64>(wait, 0)), run,
                       [this, run] { poll(run); });
}

void CopilotBackend::poll(Run *run)
{
    if (run->done)
        return;
    if (run->deadline.hasExpired()) {
        return stop(run, TaskState::TimedOut,
                    u"the time budget of %1 ran out while the task was %2; GitHub's agent-tasks "
                    u"API has no cancel endpoint, so the task may still be running there"_s.arg(
                        seconds(run->budgetMs), toString(run->state)),
                    u"timeout"_s);
    }
    m_client->get(run->paths.task(run->remoteId), run->token, run,
                  [this, run](const GitHubResponse &r) { polled(run, r); });
}

void CopilotBackend::polled(Run *run, const GitHubResponse &response)
{
    if (run->done)
        return;
    if (!response.ok()) {
        ++run->pollFailures;
        qCInfo(lcCopilot) << "poll failed:" << response.error;
        if (!response.retryable || run->pollFailures >= m_options.maxPollFailures) {
            RunResult result = resultOf(run);
            result.failure = u"lost track of the task: "_s % response.error;
            result.failureKind = response.errorKind;
            result.retryable = false; // the task may still be running at GitHub
            return finish(run, result);
        }
        return schedulePoll(run);
    }
    run->pollFailures = 0;
    if (!update(run, response.json.object()))
        return;
    if (isFinalState(run->state))
        return conclude(run, resultOf(run));
    schedulePoll(run);
}

// Keeps GitHub's latest word on the task and reports a change of state. False when the run
// ended meanwhile (a slot connected to progressed() may cancel it).
bool CopilotBackend::update(Run *run, const QJsonObject &task)
{
    run->task = task;
    const TaskState state = taskStateFromString(task.value("state"_L1).toString());
    if (state != run->state) {
        run->state = state;
        Q_EMIT progressed(run->spec.taskId, state,
                          u"GitHub task %1 is %2"_s.arg(run->remoteId, toString(state)));
    }
    return !run->done;
}

// The task as GitHub last described it, under Tasktrail's id and the spec's details.
RunResult CopilotBackend::resultOf(const Run *run) const
{
    RunResult result;
    result.remoteId = run->remoteId;
    TaskRecord &t = result.task;
    if (!run->task.isEmpty()) {
        const GitHub::Item item{GitHub::ItemKind::AgentTask, run->task, 1, run->spec.repo, 0};
        QString error;
        if (!GitHub::toTask(item, &t, &error))
            result.warnings.append(u"GitHub's description of the task is unreadable: "_s % error);
    }
    t.id = run->spec.taskId.isEmpty() ? run->remoteId : run->spec.taskId;
    for (SessionRecord &s : t.sessions)
        s.taskId = t.id;
    t.repo = run->spec.repo;
    t.source = name();
    t.identityId = run->spec.identityId;
    t.state = run->state;
    if (!run->spec.prompt.isEmpty())
        t.prompt = run->spec.prompt;
    if (t.baseRef.isEmpty())
        t.baseRef = run->spec.baseRef;
    if (t.headRef.isEmpty())
        t.headRef = run->spec.headRef;
    if (!t.createdAt.isValid())
        t.createdAt = run->startedAt;
    if (!t.startedAt.isValid())
        t.startedAt = run->startedAt;

    switch (t.state) {
    case TaskState::Failed:
        result.failure = u"the agent task failed: "_s %
                         (t.stateReason.isEmpty() ? u"GitHub gave no reason"_s : t.stateReason);
        result.failureKind = u"agent_error"_s;
        break;
    case TaskState::TimedOut:
        result.failure = u"GitHub stopped the agent task: it timed out"_s;
        result.failureKind = u"timeout"_s;
        break;
    case TaskState::Cancelled:
        result.failure = u"the agent task was cancelled at GitHub"_s;
        result.failureKind = u"cancelled"_s;
        break;
    default:
        break;
    }
    return result;
}

// Ends polling with a state GitHub did not report (Tasktrail's cancel, the time budget).
void CopilotBackend::stop(Run *run, TaskState state, const QString &failure, const QString &kind)
{
    RunResult result = resultOf(run);
    result.task.state = state;
    result.task.stateReason = failure;
    result.task.completedAt = QDateTime::currentDateTimeUtc();
    result.failure = failure;
    result.failureKind = kind;
    result.retryable = false;
    if (run->remoteId.isEmpty() || state == TaskState::Cancelled)
        return finish(run, result);
    conclude(run, result);
}

// The pull request the task names, if any, then its reviews and check runs.
void CopilotBackend::conclude(Run *run, RunResult result)
{
    if (result.task.prArtifactId)
        fetchPullRequest(run, std::move(result));
    else
        finish(run, std::move(result));
}

void CopilotBackend::finish(Run *run, RunResult result)
{
    if (run->done)
        return;
    run->done = true;
    if (result.task.id.isEmpty()) {
        result.task.id = run->spec.taskId;
        result.task.repo = run->spec.repo;
        result.task.source = name();
        result.task.identityId = run->spec.identityId;
        result.task.prompt = run->spec.prompt;
        result.task.state = run->remoteId.isEmpty() ? TaskState::Failed : run->state;
        result.task.createdAt = run->startedAt;
        result.remoteId = run->remoteId;
    }
    if (!result.failure.isEmpty() && result.task.stateReason.isEmpty())
        result.task.stateReason = result.failure;
    if (!run->reported) {
        // Ended before its create was settled: never sent, or sent and not answered.
        report(run, run->posting ? CreateReport{CreateOutcome::Uncertain,
                                                0,
                                                u"the run ended before what the POST did "
                                                "was known: "_s %
                                                    result.failure,
                                                {},
                                                {},
                                                {}}
                                 : CreateReport{CreateOutcome::NotCreated,
                                                0,
                                                u"nothing sent: "_s % result.failure,
                                                {},
                                                {},
                                                {}});
    }
    m_runs.remove(run->spec.taskId);
    run->deleteLater();
    qCInfo(lcCopilot) << "task" << run->spec.taskId << "ended:" << toString(result.task.state)
                      << result.failure;
    // Always queued: start() and cancel() return before finished() arrives.
    QMetaObject::invokeMethod(
        this, [this, id = run->spec.taskId, result] { Q_EMIT finished(id, result); },
        Qt::QueuedConnection);
}

} // namespace Tasktrail
