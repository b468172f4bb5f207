#include "chainreadahead.h"

#include "store/recordstore.h"

#include <system_error>

namespace Tasktrail {

ChainReadAhead::ChainReadAhead(RecordStore &own, const QStringList &ids, int batchSize,
                               const OpenReader &openReader, int readers)
    : m_own(own)
    , m_ids(ids)
    , m_batchSize(qMax(1, batchSize))
    , m_batches((ids.size() + m_batchSize - 1) / m_batchSize)
    , m_window(qMax(1, readers) + 1)
{
    // A single batch gains nothing from a reader: the checking thread would only wait for it.
    if (!openReader || m_batches < 2)
        return;
    for (int i = 0; i < readers; ++i) {
        // Opened here, on the checking thread, then handed whole to its reading thread.
        std::unique_ptr<RecordStore> reader = openReader();
        if (!reader)
            break;
        m_readers.push_back(std::move(reader));
    }
    // Only one of two or more asked for: a reader alone only makes the checking thread wait
    // for what it would have read itself (storedspecs.cpp).
    if (m_readers.size() < std::min<size_t>(2, size_t(qMax(0, readers))))
        m_readers.clear();
    for (const std::unique_ptr<RecordStore> &reader : m_readers) {
        {
            const std::lock_guard lock(m_mutex);
            ++m_live; // before it runs: take() must not see it gone before it came
        }
        try {
            m_threads.emplace_back([this, store = reader.get()] { readLoop(store); });
        } catch (const std::system_error &) {
            // No thread to be had: those started read, the checking thread reads the rest.
            const std::lock_guard lock(m_mutex);
            --m_live;
            break;
        }
    }
}

ChainReadAhead::~ChainReadAhead()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    // A read under way ends soon (its batch is then not used).
    for (const std::unique_ptr<RecordStore> &reader : m_readers)
        reader->interrupt();
    for (std::thread &thread : m_threads)
        thread.join();
}

QStringList ChainReadAhead::batchIds(qsizetype batch) const
{
    return m_ids.mid(batch * m_batchSize, m_batchSize);
}

qsizetype ChainReadAhead::readByReaders() const
{
    const std::lock_guard lock(m_mutex);
    return m_byReaders;
}

qsizetype ChainReadAhead::freedByReaders() const
{
    const std::lock_guard lock(m_mutex);
    return m_freedByReaders;
}

ChainReadAhead::Read ChainReadAhead::read(RecordStore &store, const QStringList &ids)
{
    Read read;
    if (!store.beginSnapshot())
        return read;
    bool complete = false;
    read.chains = store.taskChainOutlines(ids, TaskQueries::OutlineScope::Check, &complete);
    store.endSnapshot();
    read.ok = complete;
    return read;
}

void ChainReadAhead::readLoop(RecordStore *reader)
{
    for (;;) {
        qsizetype batch = 0;
        std::vector<Chains> spent;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] {
                return m_stop || m_nextClaim >= m_batches || m_nextClaim <= m_taken + m_window;
            });
            spent.swap(m_spent);
            m_freedByReaders += qsizetype(spent.size());
            if (m_stop || m_nextClaim >= m_batches)
                break;
            batch = m_nextClaim++;
        }
        spent.clear(); // freed here, outside the lock
        Read chains;
        try {
            chains = read(*reader, batchIds(batch));
        } catch (...) {
            // Out of memory on this thread: the checking thread reads the batch again, and has
            // the error to report if it fails there too.
        }
        const bool ok = chains.ok;
        {
            const std::lock_guard lock(m_mutex);
            if (ok)
                ++m_byReaders;
            m_ready.emplace(batch, std::move(chains));
        }
        m_changed.notify_all();
        // A reader that failed once (a connection gone) leaves the rest to the others and to
        // the checking thread.
        if (!ok)
            break;
    }
    {
        const std::lock_guard lock(m_mutex);
        --m_live;
    }
    m_changed.notify_all();
}

ChainReadAhead::Chains ChainReadAhead::take(qsizetype batch)
{
    std::optional<Read> found;
    {
        std::unique_lock lock(m_mutex);
        m_taken = batch;
        m_changed.notify_all(); // the readers may take the batches up to it + window now
        // The readers take the batches in order: this one is theirs until none is left.
        m_changed.wait(lock, [this, batch] {
            return m_ready.count(batch) > 0 || (m_live == 0 && m_nextClaim <= batch);
        });
        const auto it = m_ready.find(batch);
        if (it != m_ready.end()) {
            found = std::move(it->second);
            m_ready.erase(it);
        } else {
            m_nextClaim = batch + 1; // read here; no reader is left to take it
        }
    }
    m_changed.notify_all();
    if (found && found->ok)
        return std::move(found->chains);
    // Read on the checking thread, inside its batch's transaction as before.
    return m_own.taskChainOutlines(batchIds(batch), TaskQueries::OutlineScope::Check);
}

void ChainReadAhead::release(Chains &&chains)
{
    {
        // Only while a batch is left to claim: each reader takes what was released when it
        // claims its next batch, and once more before it stops.
        const std::lock_guard lock(m_mutex);
        if (m_live > 0 && !m_stop && m_nextClaim < m_batches) {
            m_spent.push_back(std::move(chains));
            return;
        }
    }
    Chains freed = std::move(chains);
}

} // namespace Tasktrail
