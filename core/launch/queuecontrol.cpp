#include "queuecontrol.h"

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
        *ok = transition(store, e, QueueState::Cancelled, u"cancelled before it ran"_s, now) &&
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

} // namespace Tasktrail::QueueControl
