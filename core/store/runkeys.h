#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <utility>

struct sqlite3;

namespace Tasktrail {

class SqliteStatement;

// The keys of what one ingest run wrote (tasks, pull requests, the heads of check runs): what
// the linking after the run and the check of its tasks take up. They are kept in a private
// SQLite database in a temporary file with a small page cache, whatever the backend of the
// record store, so that a run of any size keeps them in bounded memory: sets of them in memory
// took about 35 MB at demo scale 100 and grew with every record.
//
// Each kind of key is a set, read back in key order a page at a time. A write that fails (the
// temporary directory is full) sets errorString(); the run must not go on without its keys,
// since what they name would be neither linked nor checked. One thread at a time.
class RunKeys final
{
public:
    // `cacheKiB`: the page cache of the key database.
    explicit RunKeys(int cacheKiB = 2048);
    ~RunKeys();
    RunKeys(const RunKeys &) = delete;
    RunKeys &operator=(const RunKeys &) = delete;

    // Empty while every open and write succeeded; the first failure otherwise.
    QString errorString() const { return m_error; }
    bool ok() const { return m_error.isEmpty(); }

    // Forgets every key and any error: a new temporary database.
    void clear();
    void addTask(const QString &id); // an empty id is not a key
    void addTasks(const QStringList &ids);
    void addPullRequest(const QString &repo, int number);
    void addCheckHead(const QString &repo, const QString &headSha); // empty parts: not a key

    qint64 taskCount();
    qint64 pullRequestCount();
    qint64 checkHeadCount();

    // Where a walk through one kind of key stands: the last key it gave, and whether it gave
    // the last page.
    template<typename Key> struct Walk
    {
        std::optional<Key> after;
        bool done = false;
    };
    using TaskWalk = Walk<QString>;
    using PullRequestWalk = Walk<std::pair<QString, int>>;
    using CheckHeadWalk = Walk<std::pair<QString, QString>>;
    // The next page of up to `limit` keys in key order (UTF-8 bytes, then number); empty once
    // the walk is done, and on an error.
    QStringList nextTasks(TaskWalk &walk, int limit);
    QList<std::pair<QString, int>> nextPullRequests(PullRequestWalk &walk, int limit);
    QList<std::pair<QString, QString>> nextCheckHeads(CheckHeadWalk &walk, int limit);
    // Every task id, sorted: for callers that know the run is small.
    QStringList allTasks();

private:
    void open();
    void close();
    bool fail(const char *what);
    bool exec(const char *sql);
    SqliteStatement &statement(std::unique_ptr<SqliteStatement> &slot, const char *sql);
    qint64 count(const char *sql);
    template<typename Key, typename Read> QList<Key> next(Walk<Key> &walk, int limit, Read read);
    QStringList tasks(const QString *after, int limit);
    QList<std::pair<QString, int>> pullRequests(const std::pair<QString, int> *after, int limit);
    QList<std::pair<QString, QString>> checkHeads(const std::pair<QString, QString> *after,
                                                  int limit);

    int m_cacheKiB;
    sqlite3 *m_db = nullptr;
    QString m_error;
    std::unique_ptr<SqliteStatement> m_addTask;
    std::unique_ptr<SqliteStatement> m_addPullRequest;
    std::unique_ptr<SqliteStatement> m_addCheckHead;
    std::unique_ptr<SqliteStatement> m_tasksFirst;
    std::unique_ptr<SqliteStatement> m_tasksAfter;
    std::unique_ptr<SqliteStatement> m_pullRequestsFirst;
    std::unique_ptr<SqliteStatement> m_pullRequestsAfter;
    std::unique_ptr<SqliteStatement> m_checkHeadsFirst;
    std::unique_ptr<SqliteStatement> m_checkHeadsAfter;
};

} // namespace Tasktrail
