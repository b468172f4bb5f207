#pragma once

#include "store/storeconnection.h"

#include "records/launchrecords.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// Launching (core/launch, store/sqlitelaunch.cpp). The known repositories and the queue are
// operational state, not records: they are not part of the evidence chain.
class LaunchStore : public virtual StoreConnection
{
public:
    virtual bool writeRepository(const KnownRepository &repository) = 0;
    virtual QList<KnownRepository> repositories() = 0; // in name order
    // Claims an idempotency key for a campaign inside the open batch. *claimed is false when
    // the key was claimed before (a UNIQUE key, so two connections cannot both claim it);
    // *campaignId is then the campaign that holds it.
    virtual bool claimIdempotencyKey(const QString &key, QString *campaignId, bool *claimed) = 0;
    virtual std::optional<QString> campaignForIdempotencyKey(const QString &key) = 0;
    virtual bool writeQueueEntry(const QueueEntry &entry) = 0; // inserts or replaces
    virtual std::optional<QueueEntry> queueEntry(const QString &taskId) = 0;
    // A campaign's entries (every campaign's when empty) in queue order: oldest first, then by
    // repository; final ones too when withFinal.
    virtual QList<QueueEntry> queueEntries(const QString &campaignId, bool withFinal) = 0;
    virtual bool appendLaunchEvent(const LaunchEvent &event) = 0;
    virtual QList<LaunchEvent> launchEvents(const QString &taskId) = 0;     // oldest first
    virtual bool writeLaunchAttempt(const LaunchAttempt &attempt) = 0;      // inserts or replaces
    virtual QList<LaunchAttempt> launchAttempts(const QString &taskId) = 0; // by attempt
};

} // namespace Tasktrail
