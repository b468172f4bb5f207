#include "chainreadahead.h"

#include "store/recordstore.h"

namespace Tasktrail {

ChainReadAhead::ChainReadAhead(RecordStore &own, const QStringList &ids, int batchSize,
                               const OpenReader &openReader, int readers)
    : m_own(own)
    , m_ids(ids)
    , m_batchSize(qMax(1, batchSize))
    , m_batches((ids.size() + m_batchSize - 1) / m_batchSize)
    , m_window(2 * qMax(1, readers))
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
    for (const std::unique_ptr<RecordStore> &reader : m_readers)
        m_threads.emplace_back([this, store = reader.get()] { readLoop(store); });
}

ChainReadAhead::~ChainReadAhead()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
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

ChainReadAhead::Read ChainReadAhead::read(RecordStore &store, const QStringList &ids)
{
    Read read;
    if (!store.beginSnapshot())
        return read;
    read.chains = store.taskChainOutlines(ids, TaskQueries::OutlineScope::Check);
    store.endSnapshot();
    read.ok = true;
    return read;
}

void ChainReadAhead::readLoop(RecordStore *reader)
{
    for (;;) {
        qsizetype batch = 0;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] {
                return m_stop || m_nextClaim >= m_batches || m_nextClaim <= m_taken + m_window;
            });
            if (m_stop || m_nextClaim >= m_batches)
                return;
            batch = m_nextClaim++;
        }
        Read chains = read(*reader, batchIds(batch));
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
            return;
    }
}

ChainReadAhead::Chains ChainReadAhead::take(qsizetype batch)
{
    std::optional<Read> found;
    {
        std::unique_lock lock(m_mutex);
        m_taken = batch;
        if (m_nextClaim <= batch) {
            // No reader took it: read it here, and let the readers go on after it.
            m_nextClaim = batch + 1;
        } else {
            m_changed.wait(lock, [this, batch] { return m_ready.count(batch) > 0; });
            const auto it = m_ready.find(batch);
            found = std::move(it->second);
            m_ready.erase(it);
        }
    }
    m_changed.notify_all();
    if (found && found->ok)
        return std::move(found->chains);
    // Read on the checking thread, inside its batch's transaction as before.
    return m_own.taskChainOutlines(batchIds(batch), TaskQueries::OutlineScope::Check);
}

} // namespace Tasktrail
