#include "launchqueue.h"

#include "createguard.h"
#include "launchbudget.h"
#include "launchplanner.h"
#include "launchspec.h"
#include "policy/storedspecs.h"
#include "runresultwriter.h"
#include "store/recordstore.h"

#include <QLoggingCategory>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcQueue, "tasktrail.launch")

namespace Tasktrail {
namespace {

bool isFailedState(TaskState s)
{
    return s == TaskState::Failed || s == TaskState::TimedOut || s == TaskState::Cancelled;
}

QString failureText(const RunResult &r)
{
    return u"(%1) %2"_s.arg(r.failureKind.isEmpty() ? u"unknown"_s : r.failureKind, r.failure);
}

} // namespace

LaunchQueue::LaunchQueue(RecordStore &store, AgentBackend &backend, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_backend(backend)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
    qRegisterMetaType<Tasktrail::RunResult>();
    qRegisterMetaType<Tasktrail::TaskState>();
    qRegisterMetaType<Tasktrail::QueueState>();
    qRegisterMetaType<Tasktrail::CreateReport>();
    // Queued: a backend that reports from inside start() must not re-enter schedule().
    connect(&backend, &AgentBackend::started, this, &LaunchQueue::onStarted, Qt::QueuedConnection);
    connect(&backend, &AgentBackend::progressed, this, &LaunchQueue::onProgressed,
            Qt::QueuedConnection);
    connect(&backend, &AgentBackend::finished, this, &LaunchQueue::onFinished,
            Qt::QueuedConnection);
    connect(&backend, &AgentBackend::createReported, this, &LaunchQueue::onCreateReported,
            Qt::QueuedConnection);
    m_wake.setSingleShot(true);
    connect(&m_wake, &QTimer::timeout, this, &LaunchQueue::schedule);
    connect(&m_poll, &QTimer::timeout, this, &LaunchQueue::schedule);
    setSettings(m_settings);
}

LaunchQueue::~LaunchQueue() = default;

void LaunchQueue::setSettings(const QueueSettings &settings)
{
    m_settings = settings;
    m_poll.setInterval(qMax(1, settings.pollMs));
}

bool LaunchQueue::commit(const std::function<bool()> &writes)
{
    if (m_store.beginBatch() && writes() && m_store.commitBatch())
        return true;
    m_error = m_store.errorString();
    m_store.rollbackBatch();
    qCWarning(lcQueue, "%s", qUtf8Printable(m_error));
    Q_EMIT storeFailed(m_error);
    return false;
}

bool LaunchQueue::start()
{
    if (!recover())
        return false;
    m_started = true;
    m_poll.start();
    QMetaObject::invokeMethod(this, &LaunchQueue::schedule, Qt::QueuedConnection);
    return true;
}

void LaunchQueue::stop()
{
    m_started = false;
    m_poll.stop();
    m_wake.stop();
}

// Runs a stopped worker left "running" cannot be re-attached (the backends do not offer it):
// they are queued again, and the event says so.
bool LaunchQueue::recover()
{
    const QDateTime now = m_clock();
    QList<std::pair<QString, QueueState>> changed;
    const bool ok = commit([&] {
        for (QueueEntry e : m_store.queueEntries({}, false)) {
            if (e.state != QueueState::Running || m_active.contains(e.taskId))
                continue;
            const bool cancel = e.requested == u"cancel";
            e.requested.clear();
            const QString next = CreateGuard::plan(m_store.launchAttempts(e.taskId)).note;
            const QString reason =
                cancel ? u"cancelled: the worker stopped while the cancel was pending"_s
                       : u"re-queued after a restart: attempt %1 was running%2 when the worker "
                         "stopped; %3"_s.arg(e.attempts)
                             .arg(e.remoteId.isEmpty() ? QString()
                                                       : u" (remote id %1)"_s.arg(e.remoteId))
                             .arg(next.isEmpty() ? u"the backend cannot re-attach"_s
                                                 : u"its next start "_s % next);
            const QueueState to = cancel     ? QueueState::Cancelled
                                  : e.paused ? QueueState::Paused
                                             : QueueState::Queued;
            if (!QueueControl::transition(m_store, e, to, reason, now) ||
                (cancel &&
                 !QueueControl::writeTaskState(m_store, e.taskId, TaskState::Cancelled, reason)))
                return false;
            changed.append({e.taskId, to});
        }
        return true;
    });
    for (const auto &[id, to] : std::as_const(changed))
        Q_EMIT entryChanged(id, to, u"recovered after a restart"_s);
    return ok;
}

bool LaunchQueue::control(QueueControl::Action action, const QString &taskId,
                          const QString &campaignId)
{
    const auto outcome = QueueControl::apply(m_store, action, taskId, campaignId, m_clock());
    if (!outcome.error.isEmpty()) {
        m_error = outcome.error;
        return false;
    }
    for (const QString &id : outcome.changed) {
        if (const auto e = m_store.queueEntry(id))
            Q_EMIT entryChanged(id, e->state, {});
    }
    dispatchCancels(m_store.queueEntries(campaignId, false));
    if (m_started)
        QMetaObject::invokeMethod(this, &LaunchQueue::schedule, Qt::QueuedConnection);
    return true;
}

void LaunchQueue::dispatchCancels(const QList<QueueEntry> &entries)
{
    for (const QueueEntry &e : entries) {
        if (e.state == QueueState::Running && e.requested == u"cancel" &&
            m_active.contains(e.taskId) && !m_cancelSent.contains(e.taskId)) {
            m_cancelSent.insert(e.taskId);
            m_backend.cancel(e.taskId);
        }
    }
}

const TemplateSpec *LaunchQueue::templateSpec(const QueueEntry &e)
{
    const QString key = e.templateId % u'@' % e.templateVersion;
    auto it = m_templates.find(key);
    if (it == m_templates.end())
        it = m_templates.insert(
            key, storedSpecSources(m_store).templates(e.templateId, e.templateVersion));
    return it->has_value() ? &**it : nullptr;
}

int LaunchQueue::maxRetries(const QueueEntry &e)
{
    const int fromSpec = queuedLaunchFromJson(e.spec).maxRetries;
    return fromSpec >= 0 ? fromSpec : m_settings.defaultMaxRetries;
}

void LaunchQueue::schedule()
{
    if (m_scheduling)
        return;
    m_scheduling = true;
    const auto done = qScopeGuard([this] { m_scheduling = false; });
    const QList<QueueEntry> all = m_store.queueEntries({}, true);
    QList<QueueEntry> open;
    std::copy_if(all.cbegin(), all.cend(), std::back_inserter(open),
                 [](const QueueEntry &e) { return !isFinal(e.state); });
    dispatchCancels(open);
    if (!m_started)
        return;
    const QDateTime now = m_clock();
    const QString today = LaunchBudget::utcDay(now);
    int running = 0;
    QHash<QString, int> perTemplate, perRepo, reviewsHeld;
    for (const QueueEntry &e : std::as_const(open)) {
        if (e.state == QueueState::Running) {
            ++running;
            ++perTemplate[e.templateId];
            ++perRepo[e.repo];
        }
    }
    for (QueueEntry e : std::as_const(open)) {
        const bool ready = (e.state == QueueState::Queued || e.state == QueueState::Waiting ||
                            e.state == QueueState::RetryWait) &&
                           !e.paused && (!e.nextAttemptAt.isValid() || e.nextAttemptAt <= now);
        // Each entry names the backend it was launched for; other workers run the rest.
        if (!ready || (!e.backend.isEmpty() && e.backend != m_backend.name()))
            continue;
        if (running >= m_settings.maxConcurrent)
            break;
        const TemplateSpec *templ = templateSpec(e);
        if (templ && templ->concurrency >= 0 &&
            perTemplate.value(e.templateId) >= templ->concurrency)
            continue;
        if (templ && templ->perRepository >= 0 && perRepo.value(e.repo) >= templ->perRepository)
            continue;
        const int cap = templ ? templ->reviewsPerDay : -1;
        const bool holdsSlot = e.reviewDay == today;
        if (cap >= 0 && !holdsSlot) {
            auto held = reviewsHeld.find(e.reviewerTeam);
            if (held == reviewsHeld.end())
                held = reviewsHeld.insert(
                    e.reviewerTeam, LaunchBudget::reviewSlotsHeld(all, e.reviewerTeam, today));
            if (*held >= cap) {
                if (!deferForCapacity(e, e.reviewerTeam, cap, *held, now))
                    return;
                continue;
            }
            ++*held;
        }
        if (!launch(e, now, cap >= 0 ? today : QString(), holdsSlot))
            return;
        ++running;
        ++perTemplate[e.templateId];
        ++perRepo[e.repo];
    }
    const QList<QueueEntry> after = m_store.queueEntries({}, false);
    armWakeTimer(after, now);
    const QString backend = m_backend.name();
    const bool busy = !m_active.isEmpty() ||
                      std::any_of(after.cbegin(), after.cend(), [&backend](const QueueEntry &e) {
                          return !e.paused && (e.backend.isEmpty() || e.backend == backend) &&
                                 (e.state == QueueState::Queued || e.state == QueueState::Running ||
                                  e.state == QueueState::RetryWait);
                      });
    if (!busy)
        Q_EMIT drained();
}

bool LaunchQueue::deferForCapacity(QueueEntry &e, const QString &team, int cap, int held,
                                   const QDateTime &now)
{
    const QDateTime until = LaunchBudget::nextUtcDay(now);
    const QString reason =
        u"reviewer capacity of team %1 reached (%2 of %3 today): waits until %4"_s.arg(team)
            .arg(held)
            .arg(cap)
            .arg(until.toString(Qt::ISODate));
    e.nextAttemptAt = until;
    const bool ok = commit(
        [&] { return QueueControl::transition(m_store, e, QueueState::Waiting, reason, now); });
    if (ok)
        Q_EMIT entryChanged(e.taskId, QueueState::Waiting, reason);
    return ok;
}

bool LaunchQueue::launch(QueueEntry &e, const QDateTime &now, const QString &reviewDay,
                         bool holdsSlot)
{
    ++e.attempts;
    e.requested.clear();
    e.nextAttemptAt = QDateTime();
    if (!holdsSlot)
        e.reviewDay = reviewDay;
    LaunchSpec spec = queuedLaunchFromJson(e.spec).spec;
    QString reason = u"attempt %1 started on backend %2"_s.arg(e.attempts).arg(m_backend.name());
    // A backend that creates its runs elsewhere: the attempt is on record before anything is
    // sent, and the plan keeps an earlier attempt's run from being created twice.
    const std::optional<QJsonObject> request = m_backend.createRequest(spec);
    if (request) {
        const CreateGuard::Plan plan =
            CreateGuard::plan(m_store.launchAttempts(e.taskId), now, m_backend.createSettleMs());
        spec.lookSince = plan.lookSince;
        spec.lookConclusiveAt = plan.conclusiveAt;
        spec.adoptRemoteId = plan.adoptRemoteId;
        if (!plan.note.isEmpty())
            reason += u"; "_s % plan.note;
    }
    const bool ok = commit([&] {
        return QueueControl::transition(m_store, e, QueueState::Running, reason, now) &&
               QueueControl::writeTaskState(m_store, e.taskId, TaskState::Queued,
                                            u"handed to backend "_s % m_backend.name()) &&
               (!request || m_store.writeLaunchAttempt(
                                CreateGuard::pending(e.taskId, e.attempts, now, *request)));
    });
    if (!ok)
        return false;
    m_active.insert(e.taskId);
    Q_EMIT entryChanged(e.taskId, QueueState::Running, reason);
    m_backend.start(spec);
    return true;
}

void LaunchQueue::armWakeTimer(const QList<QueueEntry> &entries, const QDateTime &now)
{
    qint64 delay = m_settings.pollMs;
    for (const QueueEntry &e : entries) {
        if (!e.paused && e.nextAttemptAt.isValid() && e.nextAttemptAt > now)
            delay = std::min(delay, now.msecsTo(e.nextAttemptAt));
    }
    m_wake.start(int(std::max<qint64>(delay, 1)));
}

void LaunchQueue::onStarted(const QString &taskId, const QString &remoteId)
{
    auto e = m_store.queueEntry(taskId);
    if (!e)
        return;
    e->remoteId = remoteId;
    commit([&] {
        TaskRecord task;
        task.id = taskId;
        task.state = TaskState::InProgress;
        task.startedAt = m_clock();
        return m_store.writeQueueEntry(*e) && m_store.writeTask(task);
    });
}

bool LaunchQueue::createStillOpen(const QString &taskId, int attempt)
{
    const QList<LaunchAttempt> attempts = m_store.launchAttempts(taskId);
    return !attempts.isEmpty() && attempts.last().attempt == attempt &&
           CreateGuard::isOpen(attempts.last());
}

void LaunchQueue::onCreateReported(const QString &taskId, const CreateReport &report)
{
    auto e = m_store.queueEntry(taskId);
    if (!e)
        return;
    QString reason;
    const bool ok = commit([&] {
        return CreateGuard::record(m_store, taskId, e->attempts, report, m_clock(), &reason) &&
               QueueControl::transition(m_store, *e, e->state, reason, m_clock());
    });
    if (ok)
        Q_EMIT entryChanged(taskId, e->state, reason);
}

void LaunchQueue::onProgressed(const QString &taskId, TaskState state, const QString &note)
{
    commit([&] { return QueueControl::writeTaskState(m_store, taskId, state, note); });
}

void LaunchQueue::onFinished(const QString &taskId, const RunResult &result)
{
    m_active.remove(taskId);
    m_cancelSent.remove(taskId);
    auto found = m_store.queueEntry(taskId);
    if (!found) {
        qCWarning(lcQueue, "backend finished unknown task %s", qUtf8Printable(taskId));
        return;
    }
    QueueEntry e = *found;
    const QDateTime now = m_clock();
    const QueuedLaunch launch = queuedLaunchFromJson(e.spec);

    TaskRecord task = result.task;
    task.id = taskId;
    task.repo = e.repo;
    task.campaignId = e.campaignId;
    task.requestId = launch.requestId;
    task.identityId = launch.spec.identityId;
    task.policyId = launch.policyId;
    task.policyVersion = launch.policyVersion;
    task.templateId = e.templateId;
    task.templateVersion = e.templateVersion;
    if (task.prompt.isEmpty())
        task.prompt = launch.spec.prompt;
    if (task.source.isEmpty())
        task.source = m_backend.name();
    task.retries = e.attempts - 1;

    const bool cancelled = task.state == TaskState::Cancelled || e.requested == u"cancel";
    const bool succeeded = result.failure.isEmpty() && !cancelled && !isFailedState(task.state);
    const bool sameTwice = !result.failure.isEmpty() && result.failureKind == e.lastFailureKind &&
                           result.failure == e.lastFailure;
    QueueState next = QueueState::Completed;
    QString reason;
    if (result.failureKind == u"needs_confirmation" && !cancelled) {
        next = QueueState::NeedsConfirmation;
        reason = u"needs confirmation: "_s % result.failure;
    } else if (succeeded) {
        reason = result.pullRequest
                     ? u"completed: pull request #%1 opened"_s.arg(result.pullRequest->number)
                     : u"completed"_s;
    } else if (cancelled) {
        next = QueueState::Cancelled;
        reason = u"cancelled while running"_s;
    } else if (!result.retryable) {
        next = QueueState::Failed;
        reason = u"stopped: failure is not retryable "_s % failureText(result);
    } else if (sameTwice) {
        next = QueueState::Failed;
        reason = u"stopped: the same failure twice in a row "_s % failureText(result);
    } else if (e.attempts > maxRetries(e)) {
        next = QueueState::Failed;
        reason = u"stopped after %1 attempts: the template allows %2 retries; last failure "_s
                     .arg(e.attempts)
                     .arg(maxRetries(e)) %
                 failureText(result);
    } else if (e.paused) {
        next = QueueState::Paused;
        reason = u"attempt %1 failed %2; paused, resume to retry"_s.arg(e.attempts)
                     .arg(failureText(result));
    } else {
        next = QueueState::RetryWait;
        const qint64 backoff =
            std::min(m_settings.retryMaxMs,
                     m_settings.retryBaseMs * (qint64(1) << std::min(e.attempts - 1, 30)));
        e.nextAttemptAt = now.addMSecs(backoff);
        reason = u"attempt %1 failed %2; retry in %3 s"_s.arg(e.attempts)
                     .arg(failureText(result))
                     .arg(double(backoff) / 1000.0, 0, 'f', 1);
    }
    if (next == QueueState::Failed && createStillOpen(taskId, e.attempts)) {
        // Ending here would leave a task that may exist at GitHub with nobody following it.
        next = QueueState::NeedsConfirmation;
        reason += u"; the last create has no certain answer: confirm whether the task exists"_s;
    }
    if (!result.failure.isEmpty()) {
        e.lastFailureKind = result.failureKind;
        e.lastFailure = result.failure;
        if (task.failures.isEmpty())
            task.failures << FailureRecord{taskId,
                                           e.attempts,
                                           result.failureKind,
                                           result.failure,
                                           next == QueueState::RetryWait,
                                           now};
    }
    if (next == QueueState::RetryWait || next == QueueState::Paused ||
        next == QueueState::NeedsConfirmation) {
        task.state = TaskState::Queued;
        task.stateReason = reason;
    } else if (next == QueueState::Failed && !isFailedState(task.state)) {
        task.state = TaskState::Failed;
        task.stateReason = reason;
    } else if (next == QueueState::Cancelled) {
        task.state = TaskState::Cancelled;
    }
    if (!result.pullRequest)
        e.reviewDay.clear(); // no pull request to review: the slot goes back
    e.requested.clear();
    if (!commit([&] {
            return writeRunResult(m_store, task, result) &&
                   CreateGuard::end(m_store, taskId, e.attempts, now) &&
                   QueueControl::transition(m_store, e, next, reason, now);
        }))
        return;
    QString error;
    if (!checkAfterIngest(m_store, {taskId}, {}, nullptr, &error)) {
        m_error = error;
        Q_EMIT storeFailed(error);
    }
    Q_EMIT entryChanged(taskId, next, reason);
    QMetaObject::invokeMethod(this, &LaunchQueue::schedule, Qt::QueuedConnection);
}

} // namespace Tasktrail
