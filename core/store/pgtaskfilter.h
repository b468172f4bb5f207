#pragma once

#include "pgconnection.h"
#include "pgrecordfields.h"
#include "records/recordfields.h"
#include "records/summaries.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

#include <type_traits>

namespace Tasktrail {

// A TaskFilter as PostgreSQL over `task t`: the twin of sqlitetaskfilter.h, selecting the same
// tasks. The WHERE clause is assembled only from fixed fragments; every value a person typed is
// bound ($1, $2, ... in `params`), never spliced into the SQL. A statement adds its own values
// after these, from $<next()> on.
//
// The text filter is ILIKE over columns whose collation is "C" (schema version 4): like
// SQLite's LIKE it ignores the case of ASCII letters only.
struct PgTaskFilter
{
    QByteArray sql; // " WHERE ..." or empty
    PgParams params;
    bool joinsIdentity = false;

    // The tables the filter needs besides task.
    QByteArray from() const;
    // " WHERE " when the filter has no terms, " AND " after them.
    QByteArray joiner() const { return sql.isEmpty() ? " WHERE " : " AND "; }
    int next() const { return params.count() + 1; }
    void add(const char *fragment, const QString &value);
    void add(const char *fragment, const QDateTime &value);
};

PgTaskFilter pgTaskFilter(const TaskFilter &filter);

// "$<index>"
QByteArray pgParam(int index);

// A TaskSort as PostgreSQL: the sorted column as the expression of its task_sort_* index
// (sqlitetasksort.h gives the same keys on SQLite).
struct PgTaskSort
{
    QByteArray key;
    bool keyIsId = false;
    bool keyIsText = true;
    bool descending = false;
};

PgTaskSort pgTaskSort(const TaskSort &sort);

// A key's value as bound and as read, in the representation its column has.
void addKeyValue(PgParams &params, const QVariant &value, bool isText);
QVariant pgKeyValue(const PgResult &r, int row, int column, bool isText);

// The runs table's columns, in the order pgTaskRowAt() reads them; `t` is the task, `r` its
// request and `i` its identity.
#define TASKTRAIL_PG_TASK_ROW_COLUMNS                                                              \
    "t.id, t.repo, t.campaign_id, t.state, r.requester, i.principal, i.kind, t.policy_id, "        \
    "t.policy_version, t.pr_number, (SELECT p.merged_at IS NOT NULL FROM pull_request p WHERE "    \
    "p.repo = t.repo AND p.number = t.pr_number), coalesce(t.started_at, t.created_at), "          \
    "t.completed_at"
TaskRow pgTaskRowAt(const PgResult &r, int row);

} // namespace Tasktrail
