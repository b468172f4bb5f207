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
// Batches are handed out in their order, each read in one snapshot (beginSnapshot), at most
// `window` batches ahead of the one taken last, so memory stays bounded. A batch no reader took
// yet, or one whose reader could not read it, take() reads on the checking thread's own store:
// without readers (no second connection to open) the check is what it was, one batch at a time.
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

    // How many batches the readers read (for tests: that the readers ran at all).
    qsizetype readByReaders() const;

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
    qsizetype m_taken = -1;    // the last batch take() returned
    qsizetype m_byReaders = 0;
    bool m_stop = false;
    std::map<qsizetype, Read> m_ready;
    std::vector<std::unique_ptr<RecordStore>> m_readers;
    std::vector<std::thread> m_threads;
};

} // namespace Tasktrail
