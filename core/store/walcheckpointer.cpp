#include "walcheckpointer.h"

#include <QLoggingCategory>

#include <sqlite3.h>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace Tasktrail {

WalCheckpointer::WalCheckpointer(sqlite3 *writer, int backgroundFrames, int writerFrames)
    : m_writer(writer)
    , m_path(sqlite3_db_filename(writer, "main"))
    , m_backgroundFrames(qMax(backgroundFrames, 1))
    , m_writerFrames(qMax(writerFrames, m_backgroundFrames))
{
    sqlite3_wal_hook(m_writer, &WalCheckpointer::walHook, this);
}

WalCheckpointer::~WalCheckpointer()
{
    sqlite3_wal_hook(m_writer, nullptr, nullptr);
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

WalCheckpointer::Counts WalCheckpointer::counts() const
{
    std::lock_guard lock(m_mutex);
    return m_counts;
}

int WalCheckpointer::walHook(void *self, sqlite3 *db, const char *schema, int frames)
{
    static_cast<WalCheckpointer *>(self)->committed(db, schema, frames);
    return SQLITE_OK;
}

// On the writer's thread, after each commit; `frames` is the length of the log.
void WalCheckpointer::committed(sqlite3 *db, const char *schema, int frames)
{
    {
        // A shorter log than at the last commit has started again from its beginning.
        std::lock_guard lock(m_mutex);
        if (frames < m_logFrames) {
            m_copiedFrames = 0;
            ++m_generation;
        }
        m_logFrames = frames;
    }
    if (frames < m_backgroundFrames)
        return;
    if (frames >= m_writerFrames) {
        // After the thread's copy, if one is under way: what is left is then small, and this
        // copy is not refused for the thread's.
        std::lock_guard copying(m_copying);
        int logFrames = -1;
        int copied = -1;
        if (sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied) ==
            SQLITE_OK) {
            // Nothing is left for the thread: a copy of its own now could hold the locks the
            // writer's next write needs to restart the log.
            std::lock_guard lock(m_mutex);
            m_pending = false;
            m_copiedFrames = qMax(copied, 0);
            ++m_counts.writer;
            return;
        }
    }
    {
        std::lock_guard lock(m_mutex);
        // Only once backgroundFrames pages are left to copy: while the thread copies, the log
        // cannot start again, and a copy after every commit would copy a page that each batch
        // rewrites once per batch.
        if (frames - m_copiedFrames < m_backgroundFrames)
            return;
        m_pending = true;
        if (!m_thread.joinable())
            m_thread = std::thread([this] { run(); });
    }
    m_wake.notify_all();
}

bool WalCheckpointer::whileNotCopying(const std::function<bool()> &work)
{
    std::lock_guard copying(m_copying);
    return work();
}

void WalCheckpointer::run()
{
    sqlite3 *db = nullptr;
    if (m_path.isEmpty() ||
        sqlite3_open_v2(m_path.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        qCWarning(lcStore, "cannot open a second connection to checkpoint %s: %s",
                  m_path.constData(), db ? sqlite3_errmsg(db) : "no file");
        sqlite3_close(db);
        // The writer checkpoints past writerFrames as before; nothing is lost but time.
        return;
    }
    bool warned = false;
    quint64 generation = 0;
    int copiedBefore = 0;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_pending || m_stop; });
            if (m_stop)
                break;
        }
        std::lock_guard copying(m_copying);
        {
            // The request is taken only with the copying lock held: a writer that copied
            // everything in between has withdrawn it.
            std::lock_guard lock(m_mutex);
            if (!m_pending)
                continue;
            m_pending = false;
            generation = m_generation;
            copiedBefore = m_copiedFrames;
        }
        // "main" by name: with a null name, SQLite leaves the counts it returns undefined.
        int logFrames = -1;
        int copied = -1;
        int rc =
            sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied);
        if (rc == SQLITE_OK && logFrames < 0) {
            // A connection learns that the file is in WAL mode from its first read: until
            // then a checkpoint finds no log, copies nothing and still returns SQLITE_OK.
            if (sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", nullptr, nullptr,
                             nullptr) != SQLITE_OK &&
                !warned) {
                warned = true;
                qCWarning(lcStore, "cannot read %s to copy its log: %s; the writer copies it",
                          m_path.constData(), sqlite3_errmsg(db));
            }
            rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, &logFrames,
                                           &copied);
        }
        std::lock_guard lock(m_mutex);
        if (rc == SQLITE_OK && logFrames >= 0) {
            // `copied` counts every page of the log copied so far, by anyone.
            if (copied > copiedBefore)
                ++m_counts.background;
            // Unless the log started again since: then it says nothing of the new one.
            if (generation == m_generation)
                m_copiedFrames = copied;
        }
    }
    sqlite3_close(db);
}

} // namespace Tasktrail
