#pragma once

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QWaitCondition>

#include "workerthread.h"

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace Tasktrail {

class AsyncQueryWorker;
class RecordStore;

// Reads the database for a view on a worker thread, so the GUI thread never waits on it. The
// worker owns a read-only store connection of its own on the view's database (opened on first
// use, reopened when the database changes). Each request goes to a slot the view names (say,
// "lines" and "find" in the log view): a newer request to a slot supersedes the older one,
// which is skipped when its turn comes, interrupted when it is already running, and whose
// result is dropped when it arrives anyway. Results are handed to the callback on the thread
// of a context object (a widget: the GUI thread), and never after that object is gone.
//
//     m_queries->run(LinesSlot, this,
//                    [key, first](RecordStore &store) { return store.logLines(key, first, n); },
//                    [this](const QList<LogLine> &lines) { showLines(lines); });
//
// Writes a person asks for (pause a queue entry, submit a launch) go through write() instead:
// they run on a read-write connection of the worker's own, in order with the reads, and are
// never superseded, skipped, interrupted or dropped.
//
// Requests run one after another, in the order they were made. Slots are numbers from 0.
class AsyncQuery final : public QObject
{
    Q_OBJECT

public:
    explicit AsyncQuery(QObject *parent = nullptr);
    // Drops every read, interrupts the running one, lets the writes asked for finish (their
    // results are not delivered) and waits for the worker to stop.
    ~AsyncQuery() override;

    // The database requests read from (a SQLite file path); empty for none, which drops
    // every request. Requests made before a change are dropped.
    void setDatabase(const QString &location);
    QString database() const { return m_location; }

    // Queues `work(store)` in `slot`; `done(result)` is called on `context`'s thread unless a
    // newer request was made to the slot meanwhile, the database changed, or `context` was
    // destroyed. Returns the request's job id. Without a database nothing is queued and 0 is
    // returned.
    template<typename Work, typename Done>
    quint64 run(int slot, QObject *context, Work work, Done done)
    {
        using Result = std::decay_t<std::invoke_result_t<Work &, RecordStore &>>;
        auto result = std::make_shared<std::optional<Result>>();
        return post(
            slot, context,
            [work = std::move(work), result](RecordStore &store) mutable {
                result->emplace(work(store));
            },
            [done = std::move(done), result]() mutable {
                if (result->has_value())
                    done(std::move(**result));
            });
    }

    // Queues `work(store)` on a read-write connection to the database as it is now. A write
    // is not a slot's request: newer requests, a new database and the helper's destruction
    // leave it alone, and it runs to its end. `done(result, error)` is called on `context`'s
    // thread unless `context` was destroyed; `result` (std::optional) is empty, and `error`
    // says why, when the database could not be opened for writing. Later requests see what it
    // wrote. Returns false, queueing nothing, without a database.
    template<typename Work, typename Done> bool write(QObject *context, Work work, Done done)
    {
        using Result = std::decay_t<std::invoke_result_t<Work &, RecordStore &>>;
        auto outcome = std::make_shared<std::pair<std::optional<Result>, QString>>();
        return postWrite(
            context,
            [work = std::move(work), outcome](RecordStore *store, const QString &error) mutable {
                if (store)
                    outcome->first.emplace(work(*store));
                else
                    outcome->second = error;
            },
            [done = std::move(done), outcome]() mutable {
                done(std::move(outcome->first), outcome->second);
            });
    }
    // True from a write until its result was delivered (or its context was gone).
    bool isWriting() const { return m_writing > 0; }

    // Frees `value` on the query thread: a view replacing tens of thousands of rows hands the
    // old ones here rather than spending the GUI thread on freeing them. Results delivered by
    // run() are freed there too.
    template<typename T> void dispose(T &&value)
    {
        QMetaObject::invokeMethod(
            workerObject(), [held = std::forward<T>(value)] { Q_UNUSED(held); },
            Qt::QueuedConnection);
    }

    // Supersedes whatever is queued or running in `slot` without asking for anything new.
    void cancel(int slot);
    // True from a request until its result was delivered or dropped.
    bool isPending(int slot) const;
    // Whether `job` is still the newest request of its slot (thread-safe).
    bool isCurrent(int slot, quint64 job) const;

Q_SIGNALS:
    // The database could not be opened for reading; requests are dropped meanwhile.
    void errorOccurred(const QString &message);

private:
    friend class AsyncQueryWorker;
    struct Job
    {
        int slot = 0;
        quint64 id = 0;
        quint64 databaseGeneration = 0;
        QString location;
        QPointer<QObject> context; // touched only on the GUI thread
        std::function<void(RecordStore &)> work;
        std::function<void()> deliver;
    };

    struct WriteJob
    {
        QString location;
        QPointer<QObject> context; // touched only on the GUI thread
        // Given the read-write store, or nullptr and why it could not be opened.
        std::function<void(RecordStore *, const QString &)> work;
        std::function<void()> deliver;
    };

    QObject *workerObject() const;
    bool postWrite(QObject *context, std::function<void(RecordStore *, const QString &)> work,
                   std::function<void()> deliver);
    void deliverWrite(std::shared_ptr<WriteJob> job);
    void endWrite(); // worker side
    quint64 post(int slot, QObject *context, std::function<void(RecordStore &)> work,
                 std::function<void()> deliver);
    void supersede(int slot);
    void deliver(std::shared_ptr<Job> job, bool ran);
    // Worker side: marks `job` as running on `store` (nullptr when finished); false when the
    // job is stale and must not start.
    bool beginJob(const Job &job, RecordStore *store);
    void endJob();

    QString m_location;
    int m_writing = 0; // writes not delivered yet; GUI thread only
    WorkerThread<AsyncQueryWorker> m_thread;

    // Shared with the worker, under m_mutex.
    mutable QMutex m_mutex;
    QHash<int, quint64> m_newest;
    QHash<int, quint64> m_delivered; // the newest job of a slot that came back
    quint64 m_databaseGeneration = 0;
    quint64 m_nextId = 0;
    int m_runningSlot = -1;
    RecordStore *m_runningStore = nullptr;
    int m_writesToRun = 0; // the destructor waits until none is left
    QWaitCondition m_writesRan;
};

} // namespace Tasktrail
