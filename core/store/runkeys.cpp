#include "runkeys.h"

#include "sqlitestatement.h"

#include <sqlite3.h>

#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// WITHOUT ROWID: the key is the table, with no second copy of it in an index.
constexpr const char *schema = "CREATE TABLE task (id TEXT PRIMARY KEY) WITHOUT ROWID;"
                               "CREATE TABLE pull_request (repo TEXT, number INTEGER, "
                               "PRIMARY KEY (repo, number)) WITHOUT ROWID;"
                               "CREATE TABLE check_head (repo TEXT, sha TEXT, "
                               "PRIMARY KEY (repo, sha)) WITHOUT ROWID;";

} // namespace

// The database is opened by the first use, so that a run's clear() at its start does not
// replace one opened by the constructor.
RunKeys::RunKeys(int cacheKiB)
    : m_cacheKiB(qMax(64, cacheKiB))
{}

RunKeys::~RunKeys()
{
    close();
}

// Opens the database unless it is open or an error stopped the keys.
void RunKeys::open()
{
    if (m_db || !m_error.isEmpty())
        return;
    // An empty name: a private database in a temporary file, deleted when it is closed.
    if (sqlite3_open_v2("", &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        fail("cannot open a temporary database for the run's keys");
        close(); // a failed open still made a handle
        return;
    }
    // Nothing here outlives the run, so nothing is journalled or synced. One transaction
    // stays open for the run: pages reach the file only when the cache is full, not per key.
    const QByteArray setup = "PRAGMA cache_size=-" + QByteArray::number(m_cacheKiB) +
                             "; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                             "PRAGMA temp_store=FILE;";
    if (exec(setup.constData()) && exec(schema))
        exec("BEGIN");
}

void RunKeys::close()
{
    // The statements go before the connection they were prepared on.
    m_addTask.reset();
    m_addPullRequest.reset();
    m_addCheckHead.reset();
    m_tasksFirst.reset();
    m_tasksAfter.reset();
    m_pullRequestsFirst.reset();
    m_pullRequestsAfter.reset();
    m_checkHeadsFirst.reset();
    m_checkHeadsAfter.reset();
    sqlite3_close(m_db);
    m_db = nullptr;
}

bool RunKeys::fail(const char *what)
{
    if (m_error.isEmpty()) {
        m_error = QString::fromUtf8(what);
        if (m_db)
            m_error += u": "_s + QString::fromUtf8(sqlite3_errmsg(m_db));
    }
    return false;
}

bool RunKeys::exec(const char *sql)
{
    if (!m_db)
        return false;
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) == SQLITE_OK)
        return true;
    sqlite3_free(message);
    return fail("the run's keys");
}

SqliteStatement &RunKeys::statement(std::unique_ptr<SqliteStatement> &slot, const char *sql)
{
    if (!slot)
        slot = std::make_unique<SqliteStatement>(m_db, sql);
    return *slot;
}

void RunKeys::clear()
{
    // A new file rather than deletes: whatever state an error left (SQLite may have rolled the
    // open transaction back), the next run starts as the first did.
    close();
    m_error.clear();
}

void RunKeys::addTask(const QString &id)
{
    if (id.isEmpty())
        return;
    open();
    if (!m_db)
        return;
    SqliteStatement &add = statement(m_addTask, "INSERT OR IGNORE INTO task (id) VALUES (?)");
    add.bind(1, id);
    if (!add.isValid() || !add.exec())
        fail("cannot keep a task id of the run");
}

void RunKeys::addTasks(const QStringList &ids)
{
    for (const QString &id : ids)
        addTask(id);
}

void RunKeys::addPullRequest(const QString &repo, int number)
{
    open();
    if (!m_db)
        return;
    SqliteStatement &add = statement(
        m_addPullRequest, "INSERT OR IGNORE INTO pull_request (repo, number) VALUES (?, ?)");
    // A null repo would be NULL, which no key equals: the empty text instead.
    add.bind(1, repo.isNull() ? u""_s : repo);
    add.bind(2, number);
    if (!add.isValid() || !add.exec())
        fail("cannot keep a pull request of the run");
}

void RunKeys::addCheckHead(const QString &repo, const QString &headSha)
{
    if (repo.isEmpty() || headSha.isEmpty())
        return;
    open();
    if (!m_db)
        return;
    SqliteStatement &add =
        statement(m_addCheckHead, "INSERT OR IGNORE INTO check_head (repo, sha) VALUES (?, ?)");
    add.bind(1, repo);
    add.bind(2, headSha);
    if (!add.isValid() || !add.exec())
        fail("cannot keep a check-run head of the run");
}

qint64 RunKeys::count(const char *sql)
{
    open();
    if (!m_db)
        return 0;
    SqliteStatement stmt(m_db, sql);
    if (!stmt.isValid() || !stmt.next()) {
        fail("cannot count the run's keys");
        return 0;
    }
    return stmt.int64(0);
}

qint64 RunKeys::taskCount()
{
    return count("SELECT count(*) FROM task");
}

qint64 RunKeys::pullRequestCount()
{
    return count("SELECT count(*) FROM pull_request");
}

qint64 RunKeys::checkHeadCount()
{
    return count("SELECT count(*) FROM check_head");
}

QStringList RunKeys::tasks(const QString *after, int limit)
{
    QStringList page;
    open();
    if (!m_db)
        return page;
    SqliteStatement &stmt =
        after ? statement(m_tasksAfter, "SELECT id FROM task WHERE id > ? ORDER BY id LIMIT ?")
              : statement(m_tasksFirst, "SELECT id FROM task ORDER BY id LIMIT ?");
    int index = 1;
    if (after)
        stmt.bind(index++, *after);
    stmt.bind(index, limit);
    while (stmt.next())
        page << stmt.text(0);
    if (!stmt.done())
        fail("cannot read the run's task ids");
    stmt.reset();
    return page;
}

QList<std::pair<QString, int>> RunKeys::pullRequests(const std::pair<QString, int> *after,
                                                     int limit)
{
    QList<std::pair<QString, int>> page;
    open();
    if (!m_db)
        return page;
    SqliteStatement &stmt =
        after ? statement(m_pullRequestsAfter,
                          "SELECT repo, number FROM pull_request WHERE (repo, number) > (?, ?) "
                          "ORDER BY repo, number LIMIT ?")
              : statement(m_pullRequestsFirst,
                          "SELECT repo, number FROM pull_request ORDER BY repo, number LIMIT ?");
    int index = 1;
    if (after) {
        stmt.bind(index++, after->first.isNull() ? u""_s : after->first);
        stmt.bind(index++, after->second);
    }
    stmt.bind(index, limit);
    while (stmt.next()) {
        // Numbers went in as ints and come back as they went in.
        page.append({stmt.text(0), int(stmt.int64(1))});
    }
    if (!stmt.done())
        fail("cannot read the run's pull requests");
    stmt.reset();
    return page;
}

QList<std::pair<QString, QString>> RunKeys::checkHeads(const std::pair<QString, QString> *after,
                                                       int limit)
{
    QList<std::pair<QString, QString>> page;
    open();
    if (!m_db)
        return page;
    SqliteStatement &stmt =
        after ? statement(m_checkHeadsAfter,
                          "SELECT repo, sha FROM check_head WHERE (repo, sha) > (?, ?) "
                          "ORDER BY repo, sha LIMIT ?")
              : statement(m_checkHeadsFirst,
                          "SELECT repo, sha FROM check_head ORDER BY repo, sha LIMIT ?");
    int index = 1;
    if (after) {
        stmt.bind(index++, after->first);
        stmt.bind(index++, after->second);
    }
    stmt.bind(index, limit);
    while (stmt.next())
        page.append({stmt.text(0), stmt.text(1)});
    if (!stmt.done())
        fail("cannot read the run's check-run heads");
    stmt.reset();
    return page;
}

template<typename Key, typename Read>
QList<Key> RunKeys::next(Walk<Key> &walk, int limit, Read read)
{
    if (walk.done || limit < 1)
        return {};
    QList<Key> page = read(walk.after ? &*walk.after : nullptr, limit);
    // A short page is the last; so is any page after an error.
    walk.done = page.size() < limit || !ok();
    if (!page.isEmpty())
        walk.after = page.last();
    return page;
}

QStringList RunKeys::nextTasks(TaskWalk &walk, int limit)
{
    return next(walk, limit, [this](const QString *after, int n) { return tasks(after, n); });
}

QList<std::pair<QString, int>> RunKeys::nextPullRequests(PullRequestWalk &walk, int limit)
{
    return next(walk, limit, [this](const std::pair<QString, int> *after, int n) {
        return pullRequests(after, n);
    });
}

QList<std::pair<QString, QString>> RunKeys::nextCheckHeads(CheckHeadWalk &walk, int limit)
{
    return next(walk, limit, [this](const std::pair<QString, QString> *after, int n) {
        return checkHeads(after, n);
    });
}

QStringList RunKeys::allTasks()
{
    return tasks(nullptr, std::numeric_limits<int>::max());
}

} // namespace Tasktrail
