// The choices a runs filter offers: the distinct values of one task column.
#include "sqlitestatement.h"
#include "sqlitestore.h"

namespace Tasktrail {
namespace {

// Distinct values of an indexed column by hopping from one value to the next (a skip scan):
// one index seek per value instead of a walk over every task. For a column that leads an
// index: state (task_state), repo (task_repo_head), campaign_id (task_campaign).
#define TASKTRAIL_DISTINCT_BY_INDEX(column)                                                        \
    "WITH RECURSIVE v(value) AS (SELECT min(" column ") FROM task WHERE " column " <> '' "         \
    "UNION ALL SELECT (SELECT min(" column ") FROM task WHERE " column " > value) FROM v "         \
    "WHERE value IS NOT NULL) SELECT value FROM v WHERE value IS NOT NULL"

QStringList readColumn(sqlite3 *db, const char *sql, bool *ok)
{
    QStringList values;
    SqliteStatement stmt(db, sql);
    *ok = stmt.isValid();
    while (*ok && stmt.next())
        values << stmt.text(0);
    return values;
}

} // namespace

QStringList SqliteStore::facetValues(TaskFacet facet)
{
    const char *sql = nullptr;
    switch (facet) {
    case TaskFacet::State:
        sql = TASKTRAIL_DISTINCT_BY_INDEX("state");
        break;
    case TaskFacet::Repository:
        sql = TASKTRAIL_DISTINCT_BY_INDEX("repo");
        break;
    case TaskFacet::IdentityKind:
        sql = "SELECT DISTINCT kind FROM identity WHERE kind <> '' ORDER BY 1";
        break;
    case TaskFacet::Policy:
        sql = "SELECT DISTINCT id FROM policy WHERE id <> '' ORDER BY 1";
        break;
    case TaskFacet::Campaign:
        sql = TASKTRAIL_DISTINCT_BY_INDEX("campaign_id");
        break;
    }
    bool ok = false;
    QStringList values = readColumn(m_db, sql, &ok);
    if (ok && facet == TaskFacet::State) {
        // The state filter matches a task without a state as "unknown"; offer it when one exists.
        SqliteStatement unknown(m_db,
                                "SELECT 1 FROM task WHERE state IS NULL OR state = '' LIMIT 1");
        if (unknown.next() && !values.contains(QStringLiteral("unknown"))) {
            values << QStringLiteral("unknown");
            values.sort();
        }
    }
    if (!ok)
        fail(QStringLiteral("facet query could not be prepared"));
    return values;
}

#undef TASKTRAIL_DISTINCT_BY_INDEX

} // namespace Tasktrail
