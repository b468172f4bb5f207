// The runs table by key: pages, page anchors and the row of a task in any sortable order. A
// page starts at a key and reads on through the sorted column's index, so its cost does not
// grow with its depth as an OFFSET's does (docs/data-model.md, "Paging").
#include "sqlitestatement.h"
#include "sqlitestore.h"
#include "sqlitetaskfilter.h"
#include "sqlitetasksort.h"

#include <QHash>

#include <sqlite3.h>

namespace Tasktrail {
namespace {

struct KeyedRow
{
    qint64 rowid = 0;
    TaskKey key;
};

QByteArray param(int index)
{
    return "?" + QByteArray::number(index);
}

// Reads the keys of the filter's tasks in scan order from a key: first its ties (the same
// value, ids beyond the key's), then the values beyond it. Two statements, each one range of
// the sort index; SQLite cannot seek an index on an expression with a row value or an OR.
class KeysetScan
{
public:
    KeysetScan(sqlite3 *db, const TaskFilterClause &where, const TaskSortSql &sort,
               bool scanDescending, bool followSortIndex)
        : m_db(db)
        , m_where(where)
        , m_sort(sort)
        , m_dir(scanDescending ? " DESC" : " ASC")
        , m_descending(scanDescending)
        , m_next(int(where.binders.size()) + 1)
    {
        const bool useIndex = followSortIndex && hasIndex(db, sort.index.constData());
        m_base = "SELECT t.rowid, " + sort.key + ", t.id" +
                 where.from(useIndex ? sort.index : QByteArray()) + where.numberedSql();
        m_joiner = where.sql.isEmpty() ? " WHERE " : " AND ";
    }

    // At most `count` rows from `from` (inclusive or not); false when a statement failed or
    // was interrupted.
    bool read(const std::optional<TaskKey> &from, bool inclusive, qint64 count,
              QList<KeyedRow> &out)
    {
        const QByteArray order =
            m_sort.keyIsId ? QByteArray(" ORDER BY t.id" + m_dir)
                           : QByteArray(" ORDER BY " + m_sort.key + m_dir + ", t.id" + m_dir);
        if (!from) {
            SqliteStatement all(m_db,
                                QByteArray(m_base + order + " LIMIT " + param(m_next)).constData());
            return run(all, m_next, count, out);
        }
        const QByteArray idOp =
            m_descending ? (inclusive ? " <= " : " < ") : (inclusive ? " >= " : " > ");
        if (m_sort.keyIsId) {
            SqliteStatement ids(m_db, QByteArray(m_base + m_joiner + "t.id" + idOp + param(m_next) +
                                                 order + " LIMIT " + param(m_next + 1))
                                          .constData());
            ids.bind(m_next, from->id);
            return run(ids, m_next + 1, count, out);
        }
        SqliteStatement ties(m_db,
                             QByteArray(m_base + m_joiner + m_sort.key + " = " + param(m_next) +
                                        " AND t.id" + idOp + param(m_next + 1) + " ORDER BY t.id" +
                                        m_dir + " LIMIT " + param(m_next + 2))
                                 .constData());
        bindKeyValue(ties, m_next, from->value, m_sort.keyIsText);
        ties.bind(m_next + 1, from->id);
        if (!run(ties, m_next + 2, count, out))
            return false;
        if (out.size() >= count)
            return true;
        SqliteStatement beyond(m_db, QByteArray(m_base + m_joiner + m_sort.key +
                                                (m_descending ? " < " : " > ") + param(m_next) +
                                                order + " LIMIT " + param(m_next + 1))
                                         .constData());
        bindKeyValue(beyond, m_next, from->value, m_sort.keyIsText);
        return run(beyond, m_next + 1, count - out.size(), out);
    }

private:
    bool run(SqliteStatement &stmt, int limitIndex, qint64 count, QList<KeyedRow> &out)
    {
        if (!stmt.isValid())
            return false;
        m_where.bindAll(stmt);
        stmt.bind(limitIndex, count);
        while (stmt.next())
            out << KeyedRow{stmt.int64(0), {keyValueAt(stmt, 1, m_sort.keyIsText), stmt.text(2)}};
        m_interrupted = stmt.lastResult() == SQLITE_INTERRUPT;
        return stmt.lastResult() == SQLITE_DONE;
    }

public:
    // The last read stopped because the connection was interrupted: a view that moved on,
    // not a failure.
    bool interrupted() const { return m_interrupted; }

private:
    bool m_interrupted = false;

    sqlite3 *m_db;
    const TaskFilterClause &m_where;
    const TaskSortSql &m_sort;
    QByteArray m_dir;
    bool m_descending;
    int m_next;
    QByteArray m_base;
    QByteArray m_joiner;
};

// The rows of these tasks, in the order given.
QList<TaskRow> rowsOf(sqlite3 *db, const QList<KeyedRow> &keyed, bool *ok)
{
    QByteArray ids = "[";
    for (const KeyedRow &k : keyed)
        ids += QByteArray::number(k.rowid) + ',';
    ids.back() = ']';
    SqliteStatement stmt(db, "SELECT " TASKTRAIL_TASK_ROW_COLUMNS ", t.rowid FROM task t "
                             "LEFT JOIN request r ON r.id = t.request_id "
                             "LEFT JOIN identity i ON i.id = t.identity_id "
                             "WHERE t.rowid IN (SELECT value FROM json_each(?))");
    stmt.bindText(1, ids);
    QHash<qint64, TaskRow> byRowid;
    while (stmt.next())
        byRowid.insert(stmt.int64(13), taskRowAt(stmt));
    *ok = stmt.isValid() && stmt.lastResult() == SQLITE_DONE;
    QList<TaskRow> rows;
    rows.reserve(keyed.size());
    for (const KeyedRow &k : keyed) {
        const auto it = byRowid.constFind(k.rowid);
        if (it == byRowid.cend())
            continue; // deleted between the two reads
        rows << *it;
        rows.back().key = k.key;
    }
    return rows;
}

} // namespace

QList<TaskRow> SqliteStore::taskPage(const TaskFilter &filter, const TaskPageRequest &request)
{
    const TaskFilterClause where = taskFilterClause(filter);
    const TaskSortSql sort = taskSortSql(request.sort);
    const int skip = std::max(request.skip, 0);
    QList<KeyedRow> keyed;
    KeysetScan scan(m_db, where, sort, sort.descending != request.backwards,
                    request.followSortIndex);
    if (request.limit <= 0 ||
        !scan.read(request.from, !request.backwards, qint64(skip) + request.limit, keyed)) {
        if (request.limit > 0 && !scan.interrupted())
            fail(QStringLiteral("task page could not be read"));
        return {};
    }
    keyed.remove(0, std::min<qsizetype>(skip, keyed.size()));
    if (request.backwards)
        std::reverse(keyed.begin(), keyed.end());
    if (keyed.isEmpty())
        return {};
    bool ok = false;
    QList<TaskRow> rows = rowsOf(m_db, keyed, &ok);
    if (!ok)
        fail(QStringLiteral("task rows could not be read"));
    return rows;
}

QList<TaskKey> SqliteStore::taskAnchors(const TaskFilter &filter, const TaskPageRequest &walk,
                                        int step, QList<qint64> *rowids)
{
    const TaskFilterClause where = taskFilterClause(filter);
    const TaskSortSql sortSql = taskSortSql(walk.sort);
    QList<KeyedRow> keyed;
    KeysetScan scan(m_db, where, sortSql, sortSql.descending, walk.followSortIndex);
    QList<TaskKey> anchors;
    if (step <= 0 || !scan.read(walk.from, true, qint64(walk.limit) + 1, keyed)) {
        if (!scan.interrupted())
            fail(QStringLiteral("page anchors could not be read"));
        return anchors;
    }
    for (qsizetype i = 0; i < keyed.size(); i += step)
        anchors << keyed.at(i).key;
    if (rowids) {
        // Row walk.limit starts the next walk: it is that walk's first.
        const qsizetype passed = std::min<qsizetype>(keyed.size(), std::max(walk.limit, 0));
        for (qsizetype i = 0; i < passed; ++i)
            *rowids << keyed.at(i).rowid;
    }
    return anchors;
}

QList<TaskRow> SqliteStore::taskRowsOf(const QList<qint64> &rowids)
{
    if (rowids.isEmpty())
        return {};
    QList<KeyedRow> keyed;
    keyed.reserve(rowids.size());
    for (const qint64 rowid : rowids)
        keyed << KeyedRow{rowid, {}};
    bool ok = false;
    QList<TaskRow> rows = rowsOf(m_db, keyed, &ok);
    if (!ok)
        fail(QStringLiteral("task rows could not be read"));
    return rows;
}

qint64 SqliteStore::taskRow(const TaskFilter &filter, const TaskSort &sort, const QString &taskId,
                            TaskKey *taskKey)
{
    // The tasks before this one: its ties with an id before its own, and the values before
    // its own. Each is a range count on the sort index, so a task deep in the table costs
    // index entries, not rows.
    const TaskFilterClause where = taskFilterClause(filter);
    const TaskSortSql sortSql = taskSortSql(sort);
    const QByteArray from =
        where.from() + where.numberedSql() + (where.sql.isEmpty() ? " WHERE " : " AND ");
    const int next = int(where.binders.size()) + 1;
    SqliteStatement keyOf(
        m_db, QByteArray("SELECT " + sortSql.key + from + "t.id = " + param(next)).constData());
    if (!keyOf.isValid())
        return -1;
    where.bindAll(keyOf);
    keyOf.bind(next, taskId);
    if (!keyOf.next())
        return -1; // unknown, or not under this filter
    const QVariant key = keyValueAt(keyOf, 0, sortSql.keyIsText);
    if (taskKey)
        *taskKey = {key, taskId};
    const QByteArray before = sortSql.descending ? " > " : " < ";
    SqliteStatement ties(
        m_db, sortSql.keyIsId
                  ? QByteArray("SELECT count(*)" + from + "t.id" + before + param(next)).constData()
                  : QByteArray("SELECT count(*)" + from + sortSql.key + " = " + param(next) +
                               " AND t.id" + before + param(next + 1))
                        .constData());
    where.bindAll(ties);
    if (sortSql.keyIsId) {
        ties.bind(next, taskId);
    } else {
        bindKeyValue(ties, next, key, sortSql.keyIsText);
        ties.bind(next + 1, taskId);
    }
    if (!ties.next())
        return -1;
    qint64 row = ties.int64(0);
    if (!sortSql.keyIsId) {
        SqliteStatement values(
            m_db,
            QByteArray("SELECT count(*)" + from + sortSql.key + before + param(next)).constData());
        where.bindAll(values);
        bindKeyValue(values, next, key, sortSql.keyIsText);
        if (!values.next())
            return -1;
        row += values.int64(0);
    }
    return row;
}

} // namespace Tasktrail
