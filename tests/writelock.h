#pragma once

#include "store/recordstore.h"

#include <QSemaphore>
#include <QString>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

namespace TestSupport {

// Another process's write transaction, as a queue worker committing a batch holds it: a
// connection of its own, on a thread of its own, holds the database's write lock from
// waitLocked() until release(). A write the GUI thread made meanwhile would wait for it (and
// a GuiWatchdog would see the stall); a write on a view's worker waits there instead.
class WriteLock final
{
public:
    explicit WriteLock(const QString &path)
        : m_thread(QThread::create([this, path] { hold(path); }))
    {
        m_thread->start();
    }
    ~WriteLock()
    {
        release();
        m_thread->wait();
    }
    WriteLock(const WriteLock &) = delete;
    WriteLock &operator=(const WriteLock &) = delete;

    // Waits (turning the event loop) until the lock is held; false, with error(), when it
    // could not be taken.
    bool waitLocked()
    {
        return QTest::qWaitFor([this] { return m_state.load() != Opening; }, 10000) &&
               m_state.load() == Locked;
    }
    QString error() const { return m_state.load() == Failed ? m_error : QString(); }

    // Commits the transaction; waitReleased() waits (turning the event loop) for its end.
    void release()
    {
        if (!m_released.exchange(true))
            m_release.release();
    }
    bool waitReleased()
    {
        return QTest::qWaitFor([this] { return m_thread->isFinished(); }, 10000);
    }

private:
    enum State
    {
        Opening,
        Locked,
        Failed,
    };

    void hold(const QString &path)
    {
        QString error;
        std::unique_ptr<Tasktrail::RecordStore> store = Tasktrail::openStore(path, &error);
        if (!store || !store->beginBatch()) { // BEGIN IMMEDIATE: the write lock
            m_error = store ? store->errorString() : error;
            m_state = Failed;
            return;
        }
        m_state = Locked;
        m_release.acquire();
        store->commitBatch();
    }

    std::unique_ptr<QThread> m_thread;
    std::atomic<int> m_state{Opening};
    std::atomic<bool> m_released{false};
    QSemaphore m_release;
    QString m_error; // written before m_state turns Failed
};

} // namespace TestSupport
