#include "githubsyncjob.h"

#include "runlogsink.h"
#include "store/recordstore.h"

#include <QMutex>
#include <QMutexLocker>

using namespace Qt::StringLiterals;

namespace Tasktrail {

// Lives on the job's thread and runs one sync at a time there.
class SyncWorker final : public QObject
{
    Q_OBJECT
public:
    void cancel()
    {
        m_cancelRequested.store(true);
        const QMutexLocker lock(&m_mutex);
        if (m_sync)
            m_sync->cancel();
    }
    void resetCancel() { m_cancelRequested.store(false); }

    void run(const QString &dbPath, const QByteArray &token, const GitHubSyncOptions &options)
    {
        GitHubSyncSummary summary;
        QString error;
        sync(dbPath, token, options, &summary, &error);
        // After the store is closed: whoever reads the database next finds it at rest.
        Q_EMIT finished(summary, error);
    }

Q_SIGNALS:
    void progress(const Tasktrail::GitHubSyncProgress &progress);
    void problem(const QString &message);
    void finished(const Tasktrail::GitHubSyncSummary &summary, const QString &error);

private:
    void sync(const QString &dbPath, const QByteArray &token, const GitHubSyncOptions &options,
              GitHubSyncSummary *summary, QString *error)
    {
        const std::unique_ptr<RecordStore> store = openStore(dbPath, error);
        if (!store)
            return;
        const std::unique_ptr<RunLogSink> runLogs = makeRunLogSink(*store);
        GitHubSync sync(*store, token, *runLogs);
        connect(&sync, &GitHubSync::progress, this, &SyncWorker::progress);
        connect(&sync, &GitHubSync::problem, this, &SyncWorker::problem);
        {
            const QMutexLocker lock(&m_mutex);
            m_sync = &sync;
        }
        if (m_cancelRequested.load())
            sync.cancel();
        const bool ok = sync.run(options);
        {
            const QMutexLocker lock(&m_mutex);
            m_sync = nullptr;
        }
        *summary = sync.summary();
        if (!ok)
            *error = sync.errorString();
    }

    QMutex m_mutex; // guards m_sync
    GitHubSync *m_sync = nullptr;
    std::atomic_bool m_cancelRequested{false};
};

GitHubSyncJob::GitHubSyncJob(QObject *parent)
    : QObject(parent)
    , m_worker(std::make_unique<SyncWorker>())
{
    qRegisterMetaType<Tasktrail::GitHubSyncSummary>();
    qRegisterMetaType<Tasktrail::GitHubSyncProgress>();
    m_worker->moveToThread(&m_thread);
    connect(m_worker.get(), &SyncWorker::progress, this, &GitHubSyncJob::progress);
    connect(m_worker.get(), &SyncWorker::problem, this, &GitHubSyncJob::problem);
    connect(m_worker.get(), &SyncWorker::finished, this,
            [this](const GitHubSyncSummary &summary, const QString &error) {
                m_running = false;
                Q_EMIT finished(summary, error);
            });
    m_thread.setObjectName(u"github-sync"_s);
    m_thread.start();
}

GitHubSyncJob::~GitHubSyncJob()
{
    m_worker->cancel();
    m_thread.quit();
    m_thread.wait();
    // The worker was moved to the thread; it is destroyed here, after the thread ended.
}

bool GitHubSyncJob::start(const QString &dbPath, const QByteArray &token,
                          const GitHubSyncOptions &options)
{
    if (m_running)
        return false;
    m_running = true;
    m_worker->resetCancel();
    QMetaObject::invokeMethod(m_worker.get(), [worker = m_worker.get(), dbPath, token, options] {
        worker->run(dbPath, token, options);
    });
    return true;
}

void GitHubSyncJob::cancel()
{
    m_worker->cancel();
}

} // namespace Tasktrail

#include "githubsyncjob.moc"
