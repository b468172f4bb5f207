#pragma once

#include "records/summaries.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace Tasktrail {

class SqliteStatement;

// A TaskFilter as SQL over `task t`. The WHERE clause is assembled only from fixed fragments;
// every value a person typed is bound, never spliced into the SQL. Shared by the runs table
// (sqlitetaskquery.cpp) and reports (sqlitereportquery.cpp), so both select the same tasks.
struct TaskFilterClause
{
    QByteArray sql; // " WHERE ..." or empty
    QList<std::function<void(SqliteStatement &, int)>> binders;
    bool joinsIdentity = false;

    // The tables the filter needs besides task. Joining only those lets a count or a deep
    // OFFSET walk the task_order index alone instead of joining every skipped row.
    // With `taskIndex`, SQLite reads task through that index (INDEXED BY).
    QByteArray from(const QByteArray &taskIndex = {}) const;
    void add(const char *fragment, const QString &value);
    void add(const char *fragment, const QDateTime &value);
    // The WHERE clause with every parameter numbered (?1, ?2, ...) in binding order, so a
    // statement can repeat it and bindAll() still binds each value once.
    QByteArray numberedSql() const;
    // Binds the values from index 1 on; returns the next free index.
    int bindAll(SqliteStatement &s) const;
};

TaskFilterClause taskFilterClause(const TaskFilter &filter);

} // namespace Tasktrail
