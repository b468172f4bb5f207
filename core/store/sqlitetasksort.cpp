#include "sqlitetasksort.h"

#include "sqlitestatement.h"

namespace Tasktrail {

// The expressions are those of the task_sort_* indexes in sqliteschema.cpp, character for
// character. NULL becomes the smallest value a column can hold, so a task without a value sorts
// where SQLite puts NULL (first ascending, last descending); task's primary key index is the
// one SQLite names sqlite_autoindex_task_1; -9223372036854775807 rather than
// the smallest 64-bit integer because SQLite reads that literal as a real.
TaskSortSql taskSortSql(const TaskSort &sort)
{
    TaskSortSql sql;
    sql.descending = sort.descending;
    switch (sort.column) {
    case TaskSortColumn::Task:
        sql.index = "sqlite_autoindex_task_1";
        sql.key = "t.id";
        sql.keyIsId = true;
        break;
    case TaskSortColumn::Repository:
        sql.index = "task_sort_repo";
        sql.key = "coalesce(t.repo, '')";
        break;
    case TaskSortColumn::Campaign:
        sql.index = "task_sort_campaign";
        sql.key = "coalesce(t.campaign_id, '')";
        break;
    case TaskSortColumn::State:
        sql.index = "task_sort_state";
        sql.key = "coalesce(t.state, 'unknown')";
        break;
    case TaskSortColumn::Policy:
        sql.index = "task_sort_policy";
        sql.key = "coalesce(t.policy_id, '') || '@' || coalesce(t.policy_version, '')";
        break;
    case TaskSortColumn::PullRequest:
        sql.index = "task_sort_pr";
        sql.key = "coalesce(t.pr_number, -1)";
        sql.keyIsText = false;
        break;
    case TaskSortColumn::Started:
        sql.index = "task_sort_started";
        sql.key = "coalesce(t.started_at, t.created_at, -9223372036854775807)";
        sql.keyIsText = false;
        break;
    case TaskSortColumn::Duration:
        sql.index = "task_sort_duration";
        sql.key = "coalesce(t.completed_at - coalesce(t.started_at, t.created_at), "
                  "-9223372036854775807)";
        sql.keyIsText = false;
        break;
    }
    return sql;
}

void bindKeyValue(SqliteStatement &stmt, int index, const QVariant &value, bool isText)
{
    if (isText)
        stmt.bind(index, value.toString());
    else
        stmt.bind(index, value.toLongLong());
}

QVariant keyValueAt(const SqliteStatement &stmt, int column, bool isText)
{
    return isText ? QVariant(stmt.text(column)) : QVariant(stmt.int64(column));
}

TaskRow taskRowAt(const SqliteStatement &stmt)
{
    TaskRow row;
    row.id = stmt.text(0);
    row.repo = stmt.text(1);
    row.campaignId = stmt.text(2);
    row.state = taskStateFromString(stmt.text(3));
    row.requester = stmt.text(4);
    row.identity = stmt.text(5);
    row.identityKind = identityKindFromString(stmt.text(6));
    row.policy = stmt.text(7);
    if (!stmt.isNull(8))
        row.policy += QLatin1Char('@') + stmt.text(8);
    row.prNumber = stmt.optionalInt(9);
    row.prMerged = stmt.int64(10) != 0;
    row.startedAt = stmt.dateTime(11);
    if (!stmt.isNull(11) && !stmt.isNull(12))
        row.durationMs = stmt.int64(12) - stmt.int64(11);
    return row;
}

} // namespace Tasktrail
