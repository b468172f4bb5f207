#pragma once

#include "githubsync.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace Tasktrail {

class SyncWorker;

// A sync on a member thread, for the app: the worker opens its own store on the database path
// (a store belongs to the thread that opened it) and runs GitHubSync there, so the GUI thread
// never waits on GitHub or the database. Its signals arrive on the job's thread.
class GitHubSyncJob final : public QObject
{
    Q_OBJECT
public:
    explicit GitHubSyncJob(QObject *parent = nullptr);
    // Cancels a running sync and waits for the worker to stop.
    ~GitHubSyncJob() override;

    // False, and nothing started, while a sync runs. The token stays in memory only.
    bool start(const QString &dbPath, const QByteArray &token, const GitHubSyncOptions &options);
    void cancel(); // thread-safe
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(const Tasktrail::GitHubSyncProgress &progress);
    void problem(const QString &message);
    // error is empty on success; "cancelled" after a cancel.
    void finished(const Tasktrail::GitHubSyncSummary &summary, const QString &error);

private:
    QThread m_thread;
    std::unique_ptr<SyncWorker> m_worker;
    bool m_running = false;
};

} // namespace Tasktrail

Q_DECLARE_METATYPE(Tasktrail::GitHubSyncSummary)
