#include "asyncquery.h"

#include "store/pgconnection.h"
#include "store/recordstore.h"

#include <QFileInfo>
#include <QMutexLocker>

using namespace Qt::StringLiterals;

namespace Tasktrail {

// Lives on the query thread and owns the connection there: a connection belongs to the
// thread that opened it.
class AsyncQueryWorker final : public QObject
{
public:
    explicit AsyncQueryWorker(AsyncQuery *owner)
        : m_owner(owner)
    {}

    void runJob(const std::shared_ptr<AsyncQuery::Job> &job)
    {
        bool ran = false;
        if (m_owner->isCurrent(job->slot, job->id) && openStore(*job) &&
            m_owner->beginJob(*job, m_store.get())) {
            job->work(*m_store);
            m_owner->endJob();
            ran = true;
        }
        QMetaObject::invokeMethod(
            m_owner, [owner = m_owner, job, ran]() mutable { owner->deliver(std::move(job), ran); },
            Qt::QueuedConnection);
    }

    void runWrite(const std::shared_ptr<AsyncQuery::WriteJob> &job)
    {
        QString error;
        if (RecordStore *store = openWriteStore(job->location, &error))
            job->work(store, {});
        else
            job->work(nullptr, error);
        m_owner->endWrite();
        QMetaObject::invokeMethod(
            m_owner, [owner = m_owner, job]() mutable { owner->deliverWrite(std::move(job)); },
            Qt::QueuedConnection);
    }

private:
    // Opened on the first write and kept for the next ones on the same database; nobody
    // interrupts it.
    RecordStore *openWriteStore(const QString &location, QString *error)
    {
        if (m_writeStore && m_writeLocation == location)
            return m_writeStore.get();
        m_writeStore.reset();
        m_writeLocation = location;
        // A read-write open would create a database file that is gone: say so instead. (A team
        // database is not a file; a missing one fails to connect.)
        if (!isPostgresLocation(location) && !QFileInfo::exists(location)) {
            *error = AsyncQuery::tr("%1: the database does not exist any more.").arg(location);
            return nullptr;
        }
        m_writeStore = Tasktrail::openStore(location, error, StoreAccess::ReadWrite);
        return m_writeStore.get();
    }

    bool openStore(const AsyncQuery::Job &job)
    {
        const QString &location = job.location;
        if (m_store && m_store->location() == location)
            return true;
        if (job.databaseGeneration == m_failedGeneration)
            return false; // reported once; setting the database again tries again
        QString error;
        std::unique_ptr<RecordStore> store =
            Tasktrail::openStore(location, &error, StoreAccess::ReadFollowing);
        {
            // The owner may interrupt the running store from the GUI thread.
            QMutexLocker lock(&m_owner->m_mutex);
            m_store = std::move(store);
        }
        if (m_store)
            return true;
        m_failedGeneration = job.databaseGeneration;
        QMetaObject::invokeMethod(
            m_owner, [owner = m_owner, error] { Q_EMIT owner->errorOccurred(error); },
            Qt::QueuedConnection);
        return false;
    }

    AsyncQuery *m_owner;
    // Declared before the view's connection, so closed after it: the last connection to close
    // copies the write-ahead log into the file and removes it, which a read-only one cannot.
    std::unique_ptr<RecordStore> m_writeStore;
    QString m_writeLocation;
    std::unique_ptr<RecordStore> m_store;
    quint64 m_failedGeneration = 0;
};

AsyncQuery::AsyncQuery(QObject *parent)
    : QObject(parent)
    , m_thread(std::make_unique<AsyncQueryWorker>(this), u"AsyncQuery"_s)
{}

AsyncQuery::~AsyncQuery()
{
    {
        QMutexLocker lock(&m_mutex);
        ++m_databaseGeneration; // everything queued is stale now
        if (m_runningStore)
            m_runningStore->interrupt();
        // A write asked for is done, not lost: the reads queued before it are skipped, and
        // one write transaction is short.
        while (m_writesToRun > 0)
            m_writesRan.wait(&m_mutex);
    }
    // The worker, and its connections, are deleted after its thread stopped.
    m_thread.stop();
}

void AsyncQuery::setDatabase(const QString &location)
{
    QMutexLocker lock(&m_mutex);
    ++m_databaseGeneration;
    if (m_runningStore)
        m_runningStore->interrupt();
    m_location = location;
}

quint64 AsyncQuery::post(int slot, QObject *context, std::function<void(RecordStore &)> work,
                         std::function<void()> deliver)
{
    Q_ASSERT(slot >= 0);
    if (m_location.isEmpty()) {
        cancel(slot);
        return 0;
    }
    auto job = std::make_shared<Job>();
    job->slot = slot;
    job->location = m_location;
    job->context = context;
    job->work = std::move(work);
    job->deliver = std::move(deliver);
    {
        QMutexLocker lock(&m_mutex);
        job->id = ++m_nextId;
        job->databaseGeneration = m_databaseGeneration;
        m_newest.insert(slot, job->id);
        if (m_runningSlot == slot && m_runningStore)
            m_runningStore->interrupt();
    }
    m_thread.post([job](AsyncQueryWorker &worker) { worker.runJob(job); });
    return job->id;
}

bool AsyncQuery::postWrite(QObject *context,
                           std::function<void(RecordStore *, const QString &)> work,
                           std::function<void()> deliver)
{
    if (m_location.isEmpty())
        return false;
    auto job = std::make_shared<WriteJob>();
    job->location = m_location;
    job->context = context;
    job->work = std::move(work);
    job->deliver = std::move(deliver);
    ++m_writing;
    {
        QMutexLocker lock(&m_mutex);
        ++m_writesToRun;
    }
    m_thread.post([job](AsyncQueryWorker &worker) { worker.runWrite(job); });
    return true;
}

void AsyncQuery::endWrite()
{
    QMutexLocker lock(&m_mutex);
    --m_writesToRun;
    m_writesRan.wakeAll();
}

void AsyncQuery::deliverWrite(std::shared_ptr<WriteJob> job)
{
    --m_writing;
    if (job->context)
        job->deliver();
    dispose(std::move(job));
}

void AsyncQuery::cancel(int slot)
{
    QMutexLocker lock(&m_mutex);
    const quint64 id = ++m_nextId;
    m_newest.insert(slot, id);
    m_delivered.insert(slot, id);
    if (m_runningSlot == slot && m_runningStore)
        m_runningStore->interrupt();
}

bool AsyncQuery::isPending(int slot) const
{
    QMutexLocker lock(&m_mutex);
    return m_newest.value(slot) != m_delivered.value(slot);
}

bool AsyncQuery::isCurrent(int slot, quint64 job) const
{
    QMutexLocker lock(&m_mutex);
    return m_newest.value(slot) == job;
}

bool AsyncQuery::beginJob(const Job &job, RecordStore *store)
{
    QMutexLocker lock(&m_mutex);
    if (m_newest.value(job.slot) != job.id || job.databaseGeneration != m_databaseGeneration)
        return false;
    m_runningSlot = job.slot;
    m_runningStore = store;
    return true;
}

void AsyncQuery::endJob()
{
    QMutexLocker lock(&m_mutex);
    m_runningSlot = -1;
    m_runningStore = nullptr;
}

QObject *AsyncQuery::workerObject() const
{
    return m_thread.worker();
}

void AsyncQuery::deliver(std::shared_ptr<Job> job, bool ran)
{
    bool current = false;
    {
        QMutexLocker lock(&m_mutex);
        current =
            m_newest.value(job->slot) == job->id && job->databaseGeneration == m_databaseGeneration;
        if (m_newest.value(job->slot) == job->id)
            m_delivered.insert(job->slot, job->id);
    }
    if (current && ran && job->context)
        job->deliver();
    // The result (and what the callback left of it) is freed where it was made.
    dispose(std::move(job));
}

} // namespace Tasktrail
