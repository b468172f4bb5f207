#pragma once

#include "records/launchrecords.h"
#include "records/states.h"

#include <QDateTime>
#include <QStringList>

namespace Tasktrail {

class RecordStore;

// Changes of queue entries that a person asks for, and the one way every state change is
// written: the entry and an event with the reason, in the caller's batch. Works on the store
// alone, so the CLI can pause or cancel entries a worker in another process runs: a running
// entry is not stopped here but marked (cancel requested, or paused so a failure is not
// retried), and the queue that runs it acts on the mark.
namespace QueueControl {

enum class Action
{
    Pause,
    Resume,
    Cancel,
};

struct Outcome
{
    QStringList changed; // entries whose state or mark changed
    QString error;       // a store error, or nothing matched
};

// The entries of one task (taskId) or of a campaign (campaignId), in one batch.
Outcome apply(RecordStore &store, Action action, const QString &taskId, const QString &campaignId,
              const QDateTime &now);

// A person's answer for an entry in needs_confirmation (docs/launching.md, "Launching once"):
// the task exists as remoteId, and the queue follows it and creates nothing; or (remoteId
// empty) it does not exist, and the queue may create it once more. `who` and the time are
// recorded with the answer. The entry goes back to queued (paused when it is held).
Outcome confirm(RecordStore &store, const QString &taskId, const QString &remoteId,
                const QString &who, const QDateTime &now);

// Sets the entry's state (when it differs) and updatedAt, writes it and records the event.
bool transition(RecordStore &store, QueueEntry &entry, QueueState to, const QString &reason,
                const QDateTime &now);
// Records the task's state in its task record (the explorer's view of the run).
bool writeTaskState(RecordStore &store, const QString &taskId, TaskState state,
                    const QString &reason);

} // namespace QueueControl
} // namespace Tasktrail
