// The runs table: one page of tasks under a filter.
#include "sqlitestatement.h"
#include "sqlitestore.h"
#include "sqlitetaskfilter.h"
#include "sqlitetasksort.h"

#include <QVariant>

namespace Tasktrail {
namespace {

constexpr const char *rowJoins = " LEFT JOIN request r ON r.id = t.request_id "
                                 "LEFT JOIN identity i ON i.id = t.identity_id ";

} // namespace

QList<TaskRow> SqliteStore::tasks(const TaskFilter &filter, int offset, int limit)
{
    const TaskFilterClause where = taskFilterClause(filter);
    // The text filter uses ?1 for all its columns, so later fragments count from there.
    // The page's rows are picked first on task (and only the tables the filter needs), so the
    // OFFSET skips index entries; the joins and the PR lookup then run for this page only.
    const QByteArray page = QByteArray("SELECT t.rowid AS rid") + where.from() + where.sql +
                            " ORDER BY coalesce(t.started_at, t.created_at) DESC, t.id "
                            "LIMIT ? OFFSET ?";
    const QByteArray sql = QByteArray("SELECT " TASKTRAIL_TASK_ROW_COLUMNS " FROM (") + page +
                           ") AS page JOIN task t ON t.rowid = page.rid" + rowJoins +
                           " ORDER BY coalesce(t.started_at, t.created_at) DESC, t.id";
    SqliteStatement stmt(m_db, sql.constData());
    QList<TaskRow> rows;
    if (!stmt.isValid()) {
        fail(QStringLiteral("task query could not be prepared"));
        return rows;
    }
    const int next = where.bindAll(stmt);
    stmt.bind(next, limit);
    stmt.bind(next + 1, offset);
    while (stmt.next())
        rows << taskRowAt(stmt);
    return rows;
}

qint64 SqliteStore::taskCount(const TaskFilter &filter)
{
    const TaskFilterClause where = taskFilterClause(filter);
    const QByteArray sql = QByteArray("SELECT count(*)") + where.from() + where.sql;
    SqliteStatement stmt(m_db, sql.constData());
    if (!stmt.isValid())
        return 0;
    where.bindAll(stmt);
    return stmt.next() ? stmt.int64(0) : 0;
}

} // namespace Tasktrail
