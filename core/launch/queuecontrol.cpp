#include "queuecontrol.h"

#include "createguard.h"
#include "store/recordstore.h"

using namespace Qt::StringLiterals;

namespace Tasktrail::QueueControl {
namespace {

// What one action does to one entry: false when it leaves the entry as it is.
bool act(RecordStore &store, Action action, QueueEntry &e, const QDateTime &now, bool *ok)
{
    *ok = true;
    if (isFinal(e.state))
        return false;
    const bool running = e.state == QueueState::Running;
    if (e.state == QueueState::NeedsConfirmation && action != Action::Cancel)
        return false; // held for a confirmation already; resuming must not skip it
    switch (action) {
    case Action::Pause:
        if (e.paused)
            return false;
        e.paused = true;
        *ok = transition(
            store, e, running ? QueueState::Running : QueueState::Paused,
            running ? u"paused while running: a failure will not be retried"_s : u"paused"_s, now);
        return true;
    case Action::Resume:
        if (!e.paused && e.state != QueueState::Paused)
            return false;
        e.paused = false;
        *ok = transition(store, e, running ? QueueState::Running : QueueState::Queued, u"resumed"_s,
                         now);
        return true;
    case Action::Cancel:
        if (running) {
            if (e.requested == u"cancel")
                return false;
            e.requested = u"cancel"_s;
            *ok = transition(store, e, QueueState::Running,
                             u"cancel requested: the run is being stopped"_s, now);
            return true;
        }
        e.reviewDay.clear();
        *ok = transition(store, e, QueueState::Cancelled,
                         e.state == QueueState::NeedsConfirmation
                             ? u"cancelled while it needed a confirmation: a task an earlier "
                               "attempt may have created at GitHub is not followed"_s
                             : u"cancelled before it ran"_s,
                         now) &&
              writeTaskState(store, e.taskId, TaskState::Cancelled,
                             u"cancelled in the launch queue"_s);
        return true;
    }
    return false;
}

} // namespace

bool transition(RecordStore &store, QueueEntry &e, QueueState to, const QString &reason,
                const QDateTime &now)
{
    const QString from = toString(e.state);
    e.state = to;
    e.updatedAt = now;
    return store.writeQueueEntry(e) &&
           store.appendLaunchEvent(LaunchEvent{0, e.taskId, now, from, toString(to), reason});
}

bool writeTaskState(RecordStore &store, const QString &taskId, TaskState state,
                    const QString &reason)
{
    TaskRecord task;
    task.id = taskId;
    task.state = state;
    task.stateReason = reason;
    return store.writeTask(task);
}

Outcome apply(RecordStore &store, Action action, const QString &taskId, const QString &campaignId,
              const QDateTime &now)
{
    Outcome out;
    // Read inside the batch: a worker cannot change the entries between the read and the write.
    if (!store.beginBatch()) {
        out.error = store.errorString();
        return out;
    }
    QList<QueueEntry> entries;
    if (!taskId.isEmpty()) {
        if (const auto e = store.queueEntry(taskId))
            entries << *e;
    } else {
        entries = store.queueEntries(campaignId, false);
    }
    if (entries.isEmpty()) {
        store.rollbackBatch();
        out.error = taskId.isEmpty() ? u"campaign %1 has no open queue entries"_s.arg(campaignId)
                                     : u"no queue entry for task %1"_s.arg(taskId);
        return out;
    }
    for (QueueEntry &e : entries) {
        bool ok = true;
        if (act(store, action, e, now, &ok))
            out.changed << e.taskId;
        if (!ok) {
            out.error = store.errorString();
            store.rollbackBatch();
            out.changed.clear();
            return out;
        }
    }
    if (out.changed.isEmpty()) {
        store.rollbackBatch();
        out.error = u"nothing to change: the entries are already %1"_s.arg(
            entries.size() == 1 ? toString(entries.first().state) : u"in that state"_s);
        return out;
    }
    if (!store.commitBatch()) {
        out.error = store.errorString();
        store.rollbackBatch();
        out.changed.clear();
    }
    return out;
}

namespace {

// A remote id a person typed: what GitHub's task ids look like, no spaces or control
// characters, and short enough for a path segment.
QString remoteIdProblem(const QString &remoteId)
{
    if (remoteId.size() > 200)
        return u"the remote id is longer than 200 characters"_s;
    for (const QChar c : remoteId) {
        if (c.isSpace() || c.category() == QChar::Other_Control || c == u'/')
            return u"the remote id '%1' has a space, a slash or a control character"_s.arg(
                remoteId.simplified());
    }
    return {};
}

bool settle(RecordStore &store, QueueEntry &e, const QString &remoteId, const QString &who,
            const QDateTime &now)
{
    QList<LaunchAttempt> attempts = store.launchAttempts(e.taskId);
    const QString by =
        u"confirmed by %1 at %2"_s.arg(who.isEmpty() ? u"an unnamed person"_s : who,
                                       now.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s));
    // The answer is the last attempt's, and covers every attempt whose outcome is open.
    for (qsizetype i = 0; i < attempts.size(); ++i) {
        LaunchAttempt &a = attempts[i];
        if (i + 1 < attempts.size() && !CreateGuard::isOpen(a))
            continue;
        a.resolution = remoteId.isEmpty() ? u"not_created"_s : u"created"_s;
        a.remoteId = remoteId;
        a.resolvedBy = by;
        if (!store.writeLaunchAttempt(a))
            return false;
    }
    if (!remoteId.isEmpty())
        e.remoteId = remoteId;
    e.nextAttemptAt = QDateTime();
    const QString reason =
        remoteId.isEmpty()
            ? u"%1: GitHub did not create the task; the next attempt creates it once more"_s.arg(by)
            : u"%1: GitHub created the task as %2; the next attempt follows it and creates "
              "nothing"_s.arg(by, remoteId);
    return transition(store, e, e.paused ? QueueState::Paused : QueueState::Queued, reason, now);
}

} // namespace

Outcome confirm(RecordStore &store, const QString &taskId, const QString &remoteId,
                const QString &who, const QDateTime &now)
{
    Outcome out;
    out.error = remoteIdProblem(remoteId);
    if (!out.error.isEmpty())
        return out;
    if (!store.beginBatch()) {
        out.error = store.errorString();
        return out;
    }
    std::optional<QueueEntry> e = store.queueEntry(taskId);
    if (!e || e->state != QueueState::NeedsConfirmation) {
        store.rollbackBatch();
        out.error = !e ? u"no queue entry for task %1"_s.arg(taskId)
                       : u"task %1 does not need a confirmation: it is %2"_s.arg(
                             taskId, toString(e->state));
        return out;
    }
    if (!settle(store, *e, remoteId, who, now) || !store.commitBatch()) {
        out.error = store.errorString();
        store.rollbackBatch();
        return out;
    }
    out.changed << taskId;
    return out;
}

} // namespace Tasktrail::QueueControl
