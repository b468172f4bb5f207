#pragma once

#include "records/summaries.h"

#include <QByteArray>

namespace Tasktrail {

class SqliteStatement;

// A TaskSort as SQL over `task t`: the sorted column as an expression that is never NULL (so a
// key compares like any value), matching one of the task_sort_* indexes exactly, since SQLite
// uses an index on an expression only for that same expression.
struct TaskSortSql
{
    QByteArray key;          // e.g. "coalesce(t.repo, '')"; "t.id" for the task column
    QByteArray index;        // the index in that order
    bool keyIsId = false;    // the id alone orders the rows: one seek, no ties
    bool keyIsText = true;   // how a key value is bound and read
    bool descending = false; // the direction rows are shown in
};

TaskSortSql taskSortSql(const TaskSort &sort);

// Binds a key's value as its column stores it.
void bindKeyValue(SqliteStatement &stmt, int index, const QVariant &value, bool isText);
QVariant keyValueAt(const SqliteStatement &stmt, int column, bool isText);

// The runs table's columns, in the order taskRowAt() reads them; `t` is the task, `r` its
// request and `i` its identity.
#define TASKTRAIL_TASK_ROW_COLUMNS                                                                 \
    "t.id, t.repo, t.campaign_id, t.state, r.requester, i.principal, i.kind, t.policy_id, "        \
    "t.policy_version, t.pr_number, (SELECT p.merged_at IS NOT NULL FROM pull_request p WHERE "    \
    "p.repo = t.repo AND p.number = t.pr_number), coalesce(t.started_at, t.created_at), "          \
    "t.completed_at"
TaskRow taskRowAt(const SqliteStatement &stmt);

} // namespace Tasktrail
