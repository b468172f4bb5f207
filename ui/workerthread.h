#pragma once

#include <QString>
#include <QThread>

#include <memory>
#include <utility>

namespace Tasktrail {

// The member thread a long-lived worker object lives on (tiled's ProjectModel does the
// same): jobs are posted to it and run one after another on that thread; stop() asks the
// job running to end (QThread::isInterruptionRequested), drops what is queued and waits, and
// the worker is deleted only after its thread stopped, so no job runs on a dying object. The
// import, the report export and every view's query helper (AsyncQuery) run on one.
template<typename Worker> class WorkerThread final
{
public:
    WorkerThread(std::unique_ptr<Worker> worker, const QString &name)
        : m_worker(std::move(worker))
    {
        m_thread.setObjectName(name);
        m_worker->moveToThread(&m_thread);
    }
    ~WorkerThread() { stop(); }

    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    Worker *worker() const { return m_worker.get(); }

    // Runs `job(worker)` on the thread, starting it on first use.
    template<typename Job> void post(Job job)
    {
        if (!m_thread.isRunning())
            m_thread.start();
        Worker *worker = m_worker.get();
        QMetaObject::invokeMethod(
            worker, [worker, job = std::move(job)]() mutable { job(*worker); },
            Qt::QueuedConnection);
    }

    void stop()
    {
        m_thread.requestInterruption();
        m_thread.quit();
        m_thread.wait();
    }

private:
    QThread m_thread;
    std::unique_ptr<Worker> m_worker; // destroyed first, after stop()
};

} // namespace Tasktrail
