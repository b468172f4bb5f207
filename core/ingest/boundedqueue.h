#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace Tasktrail {

// A queue between one producer thread and one consumer thread that holds at most `capacity`
// values: push() waits while it is full, so a producer faster than its consumer holds no more
// than that in memory whatever the size of its input. close() ends it from either side: a
// producer's push() then returns false, and a consumer's pop() returns what is left, then
// nullopt.
template<typename T> class BoundedQueue final
{
public:
    explicit BoundedQueue(std::size_t capacity)
        : m_capacity(capacity < 1 ? 1 : capacity)
    {}

    // Waits for room; false (and `value` dropped) once the queue is closed.
    bool push(T value)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [this] { return m_closed || m_values.size() < m_capacity; });
        if (m_closed)
            return false;
        m_values.push_back(std::move(value));
        if (m_values.size() > m_peak)
            m_peak = m_values.size();
        lock.unlock();
        m_notEmpty.notify_one();
        return true;
    }

    // Waits for a value; nullopt once the queue is closed and empty.
    std::optional<T> pop()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [this] { return m_closed || !m_values.empty(); });
        if (m_values.empty())
            return std::nullopt;
        std::optional<T> value(std::move(m_values.front()));
        m_values.pop_front();
        lock.unlock();
        m_notFull.notify_one();
        return value;
    }

    void close()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_notFull.notify_all();
        m_notEmpty.notify_all();
    }

    std::size_t capacity() const { return m_capacity; }
    // The most values it ever held at once.
    std::size_t peak() const
    {
        const std::lock_guard lock(m_mutex);
        return m_peak;
    }

private:
    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::condition_variable m_notFull;
    std::condition_variable m_notEmpty;
    std::deque<T> m_values;
    std::size_t m_peak = 0;
    bool m_closed = false;
};

} // namespace Tasktrail
