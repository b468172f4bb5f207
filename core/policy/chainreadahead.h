#pragma once

#include "records/taskchain.h"

#include <QList>
#include <QStringList>

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace Tasktrail {

class RecordStore;

// Reads the chains of a check's batches ahead, on threads with connections of their own, while
// the checking thread checks the batch before and stores its findings. A check reads far more
// than it writes (every run's commands, tests, pull request and audit events, a few findings),
// so on two cores the reads of two batches run beside the checking thread.
//
// The readers take the batches in their order, each read in one snapshot (beginSnapshot), at
// most one batch per reader and one more ahead of the one being checked, so memory stays
// bounded. A batch whose reader could not read all of it (taskChainOutlines' `complete`), or
// one no reader is left to take, take() reads on the checking thread's own store: without
// readers (fewer than two to open, or one batch) the check is what it was, a batch at a time.
class ChainReadAhead final
{
public:
    using Chains = QList<std::optional<TaskChain>>;
    using OpenReader = std::function<std::unique_ptr<RecordStore>()>;

    // The batches are ids.mid(i * batchSize, batchSize). `own` is the checking thread's store.
    ChainReadAhead(RecordStore &own, const QStringList &ids, int batchSize,
                   const OpenReader &openReader, int readers);
    ~ChainReadAhead(); // stops the readers and waits for them
    ChainReadAhead(const ChainReadAhead &) = delete;
    ChainReadAhead &operator=(const ChainReadAhead &) = delete;

    qsizetype batches() const { return m_batches; }
    QStringList batchIds(qsizetype batch) const;
    // The chains of `batch`, in batchIds' order; batches are taken in order, each once.
    Chains take(qsizetype batch);
    // Hands a batch's chains back when checked: a reader frees them before its next read, so
    // that the checking thread, which also writes, does not spend its time freeing what the
    // readers built. Once the readers have claimed the last batch they are freed here.
    void release(Chains &&chains);

    // How many batches the readers read (for tests: that the readers ran at all).
    qsizetype readByReaders() const;
    // How many released batches a reader freed (for tests).
    qsizetype freedByReaders() const;

private:
    struct Read
    {
        bool ok = false;
        Chains chains;
    };

    void readLoop(RecordStore *reader);
    static Read read(RecordStore &store, const QStringList &ids);

    RecordStore &m_own;
    const QStringList m_ids;
    const int m_batchSize;
    const qsizetype m_batches;
    const qsizetype m_window;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    qsizetype m_nextClaim = 0; // the next batch no one has taken to read
    qsizetype m_taken = -1;    // the batch take() was last asked for
    qsizetype m_byReaders = 0;
    qsizetype m_freedByReaders = 0;
    int m_live = 0; // reading threads still running
    bool m_stop = false;
    std::map<qsizetype, Read> m_ready;
    std::vector<Chains> m_spent; // released, for a reader to free
    std::vector<std::unique_ptr<RecordStore>> m_readers;
    std::vector<std::thread> m_threads;
};

} // namespace Tasktrail
