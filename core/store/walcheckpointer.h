#pragma once

#include <QByteArray>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

struct sqlite3;

namespace Tasktrail {

// Copies committed pages from a writer's write-ahead log into the database file on a thread
// and connection of its own. SQLite's automatic checkpoint does it inside the COMMIT that
// takes the log past 1,000 pages, on the writing thread, which then waits while every page
// of the batch is written a second time; an ingest writes the whole database that way.
//
// Installed as the writer connection's WAL hook (which replaces the automatic checkpoint):
// after a commit that leaves at least `backgroundFrames` pages of the log not yet copied, the
// thread runs a PASSIVE checkpoint, which never blocks the writer or a reader. The log restarts
// from its beginning only when a write finds it wholly copied, which a thread copying beside a busy
// writer rarely manages; so past `writerFrames` pages the writer, after its commit, waits for
// the thread's copy under way and copies what is left itself: the log never holds more than
// `writerFrames` pages and one commit, unless another connection reads an older
// snapshot, which holds back any checkpoint, SQLite's own too. The thread and its connection start
// at the first commit that needs them and end with the checkpointer, before the writer closes
// (the last connection to close copies the rest and removes the log, as before).
class WalCheckpointer final
{
public:
    struct Counts
    {
        qint64 background = 0; // checkpoints the thread ran that copied pages
        qint64 writer = 0;     // checkpoints the writer ran after a commit, past writerFrames
    };

    WalCheckpointer(sqlite3 *writer, int backgroundFrames, int writerFrames);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    Counts counts() const;
    // Runs `work` on the writer's thread while the thread copies nothing (a copy under way
    // ends first): a TRUNCATE checkpoint is then not refused for it.
    bool whileNotCopying(const std::function<bool()> &work);

private:
    static int walHook(void *self, sqlite3 *db, const char *schema, int frames);
    void committed(sqlite3 *db, const char *schema, int frames);
    void run();

    sqlite3 *const m_writer;
    const QByteArray m_path; // the writer's file, read on the writer's thread
    const int m_backgroundFrames;
    const int m_writerFrames;
    std::mutex m_copying; // held by whichever connection copies
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending = false;
    int m_logFrames = 0;      // the log's length at the last commit
    int m_copiedFrames = 0;   // of it, the pages the last checkpoint found copied
    quint64 m_generation = 0; // how many times the log started again
    bool m_stop = false;
    Counts m_counts;
    std::thread m_thread;
};

} // namespace Tasktrail
