#pragma once

#include <QScopeGuard>
#include <QtGlobal>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace Tasktrail {

// Hands work prepared on one thread (reading, parsing, redacting, hashing records) to the
// thread that writes it to the store, so the two run at once on two cores. The queue holds at
// most `maxItems` items and `maxBytes` of their input: a fast reader waits for the writer, so
// memory stays flat whatever the file's size.
//
// The consumer takes items with take(): once it is done with one, the item goes back to the
// producer's thread, which frees it at its next push. The writer is the slower side of every
// pipeline and spends no time freeing what the producer made; the two threads' allocators do
// not contend either. The spent items wait at most until that push, so about half the bound
// more is alive at once.
//
// The producer runs on its own std::thread, started by start() and always joined by stop() or
// the destructor; it gets a `push` that returns false once the consumer has stopped, which
// ends its loop. The consumer calls take() (or pop(), which frees nothing for it) until it
// returns nothing (the producer finished and everything it pushed was taken) or stops early with
// stop() (a store error, a cancel).
template<typename T> class PreparedQueue final
{
public:
    using Push = std::function<bool(T item, qint64 bytes)>;

    static_assert(std::is_nothrow_move_constructible_v<T>);

    PreparedQueue(qsizetype maxItems, qint64 maxBytes)
        : m_maxItems(qMax<qsizetype>(maxItems, 1))
        , m_maxBytes(qMax<qint64>(maxBytes, 1))
    {
        // The three lists of spent items trade places and keep their capacity.
        for (std::vector<T> *list : {&m_returned, &m_spent, &m_freeing})
            list->reserve(spentReserve);
    }
    ~PreparedQueue() { stop(); }
    PreparedQueue(const PreparedQueue &) = delete;
    PreparedQueue &operator=(const PreparedQueue &) = delete;

    void start(std::function<void(const Push &push)> producer)
    {
        m_thread = std::thread([this, producer = std::move(producer)] {
            producer([this](T item, qint64 bytes) { return push(std::move(item), bytes); });
            {
                std::lock_guard lock(m_mutex);
                m_freeing.swap(m_spent);
                m_finished = true;
                m_changed.notify_all();
            }
            m_freeing.clear();
        });
    }

    // The next item in the producer's order; nothing when the producer is done and the queue
    // is empty, or after stop().
    std::optional<T> pop()
    {
        std::unique_lock lock(m_mutex);
        handBack();
        if (m_items.empty() && !m_finished && !m_stopped) {
            m_consumerWaits = true;
            m_changed.wait(lock, [this] { return !m_items.empty() || m_finished || m_stopped; });
            m_consumerWaits = false;
        }
        if (m_items.empty() || m_stopped)
            return std::nullopt;
        auto [item, bytes] = std::move(m_items.front());
        m_items.pop_front();
        m_bytes -= bytes;
        // A producer that found the queue full sleeps until half of it is taken: one wake-up
        // per half queue rather than a switch between the threads for every item.
        if (m_producerNeeds >= 0 && hasRoom(m_producerNeeds, 2))
            m_changed.notify_all();
        return std::move(item);
    }

    // An item the consumer took; when it goes out of scope, on the consumer's thread before
    // its next take(), the item goes back to the producer's thread to be freed.
    class Taken final
    {
    public:
        Taken(PreparedQueue &queue, std::optional<T> item)
            : m_queue(queue)
            , m_item(std::move(item))
        {}
        ~Taken()
        {
            if (m_item)
                m_queue.giveBack(*m_item);
        }
        Taken(const Taken &) = delete;
        Taken &operator=(const Taken &) = delete;

        explicit operator bool() const { return m_item.has_value(); }
        T &operator*() { return *m_item; }
        T *operator->() { return &*m_item; }

    private:
        PreparedQueue &m_queue;
        std::optional<T> m_item;
    };

    // pop(), the item freed on the producer's thread once the consumer is done with it.
    Taken take() { return Taken(*this, pop()); }

    // Ends the producer at its next push, drops what it had prepared, and joins its thread.
    void stop()
    {
        std::deque<std::pair<T, qint64>> dropped; // freed after the lock, as are the spent
        std::vector<T> spent;
        {
            std::lock_guard lock(m_mutex);
            m_stopped = true;
            dropped.swap(m_items);
            spent.swap(m_spent);
            m_bytes = 0;
            m_changed.notify_all();
        }
        m_returned.clear();
        if (m_thread.joinable())
            m_thread.join();
    }

    // The most items and bytes the queue has held at once (for tests of the bound).
    qsizetype peakItems() const
    {
        std::lock_guard lock(m_mutex);
        return m_peakItems;
    }
    qint64 peakBytes() const
    {
        std::lock_guard lock(m_mutex);
        return m_peakBytes;
    }
    // How often the producer found the queue full and slept, and whether it sleeps now.
    qsizetype producerWaits() const
    {
        std::lock_guard lock(m_mutex);
        return m_producerWaits;
    }
    bool producerWaiting() const
    {
        std::lock_guard lock(m_mutex);
        return m_producerNeeds >= 0;
    }

private:
    static constexpr std::size_t spentReserve = 64;

    // The consumer's side of a Taken: no lock, the next pop() hands the items on.
    void giveBack(T &item) noexcept
    {
        try {
            m_returned.push_back(std::move(item));
        } catch (...) {
            // No room to keep it: the item is freed here, with its Taken.
        }
    }

    // Under the lock, in pop(): what the consumer gave back goes to the producer, unless the
    // producer is gone (then it stays until the consumer's stop() or destructor frees it).
    void handBack()
    {
        if (m_returned.empty() || m_finished || m_stopped)
            return;
        if (m_spent.empty()) {
            m_spent.swap(m_returned);
            return;
        }
        for (T &item : m_returned)
            m_spent.push_back(std::move(item));
        m_returned.clear();
    }

    bool push(T item, qint64 bytes)
    {
        std::unique_lock lock(m_mutex);
        if (!m_stopped && !hasRoom(bytes, 1)) {
            m_producerNeeds = bytes;
            ++m_producerWaits;
            m_changed.wait(lock, [this, bytes] { return m_stopped || hasRoom(bytes, 2); });
            m_producerNeeds = -1;
        }
        m_freeing.swap(m_spent);
        // Freed on this thread once the lock is released, however push() returns.
        const auto freeSpent = qScopeGuard([this, &lock] {
            lock.unlock();
            m_freeing.clear();
        });
        if (m_stopped)
            return false;
        m_items.emplace_back(std::move(item), bytes);
        m_bytes += bytes;
        m_peakItems = qMax(m_peakItems, qsizetype(m_items.size()));
        m_peakBytes = qMax(m_peakBytes, m_bytes);
        if (m_consumerWaits)
            m_changed.notify_all();
        return true;
    }

    // Whether an item of `bytes` fits while the queue is at most 1/`part` full (part 1: the
    // bound itself). One item larger than the byte bound still goes through, alone.
    bool hasRoom(qint64 bytes, int part) const
    {
        if (m_items.empty())
            return true;
        return qsizetype(m_items.size()) < qMax<qsizetype>(m_maxItems / part, 1) &&
               m_bytes + bytes <= m_maxBytes && m_bytes <= m_maxBytes / part;
    }

    const qsizetype m_maxItems;
    const qint64 m_maxBytes;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::pair<T, qint64>> m_items;
    std::vector<T> m_returned; // taken items the consumer is done with: its thread only
    std::vector<T> m_spent;    // handed on to the producer
    std::vector<T> m_freeing;  // being freed: the producer's thread only
    qint64 m_bytes = 0;
    qsizetype m_peakItems = 0;
    qint64 m_peakBytes = 0;
    bool m_finished = false;
    bool m_stopped = false;
    bool m_consumerWaits = false;
    qint64 m_producerNeeds = -1; // the size of the item a waiting producer holds
    qsizetype m_producerWaits = 0;
    std::thread m_thread;
};

} // namespace Tasktrail
