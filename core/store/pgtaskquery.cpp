// The runs table on PostgreSQL: pages by OFFSET and by key, page anchors, the row of a task in
// any sortable order and the choices a filter offers; the same rows in the same order as
// sqlitetaskquery.cpp, sqlitetaskpage.cpp and sqlitefacetquery.cpp give on SQLite.
//
// A page by key is one statement: a row comparison (key, id) > ($k, $i) seeks the sort
// column's index (task_sort_*), which PostgreSQL can do where SQLite needs two statements.
// task.key (schema version 4) is the row id a view keeps.
#include "pgstore.h"
#include "pgtaskfilter.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The order of tasks(): newest first, a task without a time last (where SQLite puts NULL).
constexpr const char *newestFirst =
    " ORDER BY coalesce(t.started_at, t.created_at) DESC NULLS LAST, t.id";

struct KeyedRow
{
    qint64 rowid = 0;
    TaskKey key;
};

// SQLite's LIMIT -1 reads everything; PostgreSQL's LIMIT NULL does.
void addLimit(PgParams &params, qint64 limit)
{
    if (limit < 0)
        params.addNull();
    else
        params.add(limit);
}

// Reads the keys of the filter's tasks in scan order from a key (inclusive or not).
class KeysetScan
{
public:
    KeysetScan(PgConnection &db, const PgTaskFilter &where, const PgTaskSort &sort,
               bool scanDescending)
        : m_db(db)
        , m_where(where)
        , m_sort(sort)
        , m_descending(scanDescending)
    {}

    bool read(const std::optional<TaskKey> &from, bool inclusive, qint64 count,
              QList<KeyedRow> &out)
    {
        const QByteArray dir = m_descending ? " DESC" : " ASC";
        const QByteArray order = m_sort.keyIsId
                                     ? QByteArray(" ORDER BY t.id" + dir)
                                     : QByteArray(" ORDER BY " + m_sort.key + dir + ", t.id" + dir);
        QByteArray sql = "SELECT t.key, " + m_sort.key + ", t.id" + m_where.from() + m_where.sql;
        PgParams params = m_where.params;
        const int next = m_where.next();
        if (from) {
            const QByteArray op =
                m_descending ? (inclusive ? " <= " : " < ") : (inclusive ? " >= " : " > ");
            if (m_sort.keyIsId) {
                sql += m_where.joiner() + "t.id" + op + pgParam(next);
            } else {
                sql += m_where.joiner() + "(" + m_sort.key + ", t.id)" + op + "(" + pgParam(next) +
                       ", " + pgParam(next + 1) + ")";
                addKeyValue(params, from->value, m_sort.keyIsText);
            }
            params.add(from->id);
        }
        sql += order + " LIMIT " + pgParam(params.count() + 1);
        addLimit(params, count);
        const PgResult r = m_db.query(sql.constData(), params);
        for (int i = 0; r.ok() && i < r.rows(); ++i)
            out << KeyedRow{r.int64(i, 0), {pgKeyValue(r, i, 1, m_sort.keyIsText), r.text(i, 2)}};
        return r.ok();
    }

private:
    PgConnection &m_db;
    const PgTaskFilter &m_where;
    const PgTaskSort &m_sort;
    bool m_descending;
};

// The rows of these tasks, in the order given; a task deleted since is left out.
QList<TaskRow> rowsOf(PgConnection &db, const QList<KeyedRow> &keyed, bool *ok)
{
    QByteArray keys = "{";
    for (const KeyedRow &k : keyed)
        keys += QByteArray::number(k.rowid) + ',';
    keys.back() = '}';
    const PgResult r = db.query("SELECT " TASKTRAIL_PG_TASK_ROW_COLUMNS ", t.key FROM task t "
                                "LEFT JOIN request r ON r.id = t.request_id "
                                "LEFT JOIN identity i ON i.id = t.identity_id "
                                "WHERE t.key = ANY($1::bigint[])",
                                PgParams().addUtf8(keys));
    *ok = r.ok();
    QHash<qint64, TaskRow> byRowid;
    for (int i = 0; r.ok() && i < r.rows(); ++i)
        byRowid.insert(r.int64(i, 13), pgTaskRowAt(r, i));
    QList<TaskRow> rows;
    rows.reserve(keyed.size());
    for (const KeyedRow &k : keyed) {
        const auto it = byRowid.constFind(k.rowid);
        if (it == byRowid.cend())
            continue;
        rows << *it;
        rows.back().key = k.key;
    }
    return rows;
}

} // namespace

QList<TaskRow> PgStore::tasks(const TaskFilter &filter, int offset, int limit)
{
    // As on SQLite: the page is picked on task alone, the joins run for its rows only.
    const PgTaskFilter where = pgTaskFilter(filter);
    const int next = where.next();
    const QByteArray sql = "SELECT " TASKTRAIL_PG_TASK_ROW_COLUMNS " FROM (SELECT t.key AS rid" +
                           where.from() + where.sql + newestFirst + " LIMIT " + pgParam(next) +
                           " OFFSET " + pgParam(next + 1) +
                           ") AS page JOIN task t ON t.key = page.rid "
                           "LEFT JOIN request r ON r.id = t.request_id "
                           "LEFT JOIN identity i ON i.id = t.identity_id" +
                           newestFirst;
    PgParams params = where.params;
    addLimit(params, limit);
    params.add(qint64(std::max(offset, 0)));
    const PgResult r = m_db.query(sql.constData(), params);
    QList<TaskRow> rows;
    if (!r.ok()) {
        fail(u"task query failed"_s);
        return rows;
    }
    for (int i = 0; i < r.rows(); ++i)
        rows << pgTaskRowAt(r, i);
    return rows;
}

qint64 PgStore::taskCount(const TaskFilter &filter)
{
    const PgTaskFilter where = pgTaskFilter(filter);
    const PgResult r = m_db.query(
        QByteArray("SELECT count(*)" + where.from() + where.sql).constData(), where.params);
    if (!r.ok() || r.rows() != 1) {
        fail(u"task count failed"_s);
        return 0;
    }
    return r.int64(0, 0);
}

QList<TaskRow> PgStore::taskPage(const TaskFilter &filter, const TaskPageRequest &request)
{
    const PgTaskFilter where = pgTaskFilter(filter);
    const PgTaskSort sort = pgTaskSort(request.sort);
    const int skip = std::max(request.skip, 0);
    if (request.limit <= 0)
        return {};
    QList<KeyedRow> keyed;
    KeysetScan scan(m_db, where, sort, sort.descending != request.backwards);
    if (!scan.read(request.from, !request.backwards, qint64(skip) + request.limit, keyed)) {
        fail(u"task page could not be read"_s);
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
        fail(u"task rows could not be read"_s);
    return rows;
}

QList<TaskKey> PgStore::taskAnchors(const TaskFilter &filter, const TaskPageRequest &walk, int step,
                                    QList<qint64> *rowids)
{
    const PgTaskFilter where = pgTaskFilter(filter);
    const PgTaskSort sort = pgTaskSort(walk.sort);
    QList<KeyedRow> keyed;
    KeysetScan scan(m_db, where, sort, sort.descending);
    QList<TaskKey> anchors;
    if (step <= 0 || !scan.read(walk.from, true, qint64(walk.limit) + 1, keyed)) {
        fail(u"page anchors could not be read"_s);
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

QList<TaskRow> PgStore::taskRowsOf(const QList<qint64> &rowids)
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
        fail(u"task rows could not be read"_s);
    return rows;
}

qint64 PgStore::taskRow(const TaskFilter &filter, const TaskSort &sort, const QString &taskId,
                        TaskKey *taskKey)
{
    // The tasks before this one in the order: one range count on the sort index.
    const PgTaskFilter where = pgTaskFilter(filter);
    const PgTaskSort sortSql = pgTaskSort(sort);
    const QByteArray from = where.from() + where.sql + where.joiner();
    const int next = where.next();
    const PgResult keyOf = m_db.query(
        QByteArray("SELECT " + sortSql.key + from + "t.id = " + pgParam(next)).constData(),
        PgParams(where.params).add(taskId));
    if (!keyOf.ok() || keyOf.rows() != 1) {
        if (!keyOf.ok())
            fail(u"task row could not be read"_s);
        return -1; // unknown, or not under this filter
    }
    const QVariant key = pgKeyValue(keyOf, 0, 0, sortSql.keyIsText);
    if (taskKey)
        *taskKey = {key, taskId};
    const QByteArray before = sortSql.descending ? " > " : " < ";
    PgParams params = where.params;
    QByteArray sql;
    if (sortSql.keyIsId) {
        sql = "SELECT count(*)" + from + "t.id" + before + pgParam(next);
    } else {
        sql = "SELECT count(*)" + from + "(" + sortSql.key + ", t.id)" + before + "(" +
              pgParam(next) + ", " + pgParam(next + 1) + ")";
        addKeyValue(params, key, sortSql.keyIsText);
    }
    params.add(taskId);
    const PgResult count = m_db.query(sql.constData(), params);
    if (!count.ok() || count.rows() != 1) {
        fail(u"task row could not be read"_s);
        return -1;
    }
    return count.int64(0, 0);
}

// Distinct values of an indexed column by hopping from one value to the next (a loose index
// scan, as on SQLite): one index seek per value instead of a walk over every task.
#define TASKTRAIL_DISTINCT_BY_INDEX(column)                                                        \
    "WITH RECURSIVE v(value) AS (SELECT min(" column ") FROM task WHERE " column " <> '' "         \
    "UNION ALL SELECT (SELECT min(" column ") FROM task WHERE " column " > v.value) FROM v "       \
    "WHERE v.value IS NOT NULL) SELECT value FROM v WHERE value IS NOT NULL"

QStringList PgStore::facetValues(TaskFacet facet)
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
    const PgResult r = m_db.query(sql);
    QStringList values;
    if (!r.ok()) {
        fail(u"facet query failed"_s);
        return values;
    }
    for (int i = 0; i < r.rows(); ++i)
        values << r.text(i, 0);
    if (facet == TaskFacet::State) {
        // The state filter matches a task without a state as "unknown"; offer it when one exists.
        const PgResult unknown =
            m_db.query("SELECT 1 FROM task WHERE state IS NULL OR state = '' LIMIT 1");
        if (unknown.ok() && unknown.rows() > 0 && !values.contains(u"unknown"_s)) {
            values << u"unknown"_s;
            values.sort();
        }
    }
    return values;
}

#undef TASKTRAIL_DISTINCT_BY_INDEX

} // namespace Tasktrail
