// The runs table: one page of tasks under a filter.
#include "sqlitestatement.h"
#include "sqlitestore.h"
#include "sqlitetaskfilter.h"

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
    const QByteArray sql =
        QByteArray("SELECT t.id, t.repo, t.campaign_id, t.state, r.requester, "
                   "i.principal, i.kind, t.policy_id, t.policy_version, t.pr_number, "
                   "(SELECT p.merged_at IS NOT NULL FROM pull_request p WHERE "
                   "p.repo = t.repo AND p.number = t.pr_number), "
                   "coalesce(t.started_at, t.created_at), t.completed_at FROM (") +
        page + ") AS page JOIN task t ON t.rowid = page.rid" + rowJoins +
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
    while (stmt.next()) {
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
        rows << row;
    }
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

qint64 SqliteStore::taskRow(const TaskFilter &filter, const QString &taskId)
{
    // Tasks before this one in the table's order: a newer key, or the same key and a smaller
    // id; NULL keys sort last. Each part is a range count on task_order, so finding a task
    // deep in the table reads index entries, not rows.
    const TaskFilterClause where = taskFilterClause(filter);
    const QByteArray joiner = where.sql.isEmpty() ? " WHERE " : " AND ";
    const QByteArray own = "coalesce(t.started_at, t.created_at)";
    const auto countWhere = [&](const QByteArray &condition, const auto &bindRest) -> qint64 {
        const QByteArray sql =
            QByteArray("SELECT count(*)") + where.from() + where.sql + joiner + condition;
        SqliteStatement stmt(m_db, sql.constData());
        if (!stmt.isValid())
            return -1;
        bindRest(stmt, where.bindAll(stmt));
        return stmt.next() ? stmt.int64(0) : -1;
    };
    const auto bindId = [&taskId](SqliteStatement &stmt, int next) { stmt.bind(next, taskId); };

    if (countWhere("t.id = ?", bindId) <= 0)
        return -1; // unknown, or not under this filter
    SqliteStatement keyOf(m_db, "SELECT coalesce(started_at, created_at) FROM task WHERE id = ?");
    keyOf.bind(1, taskId);
    if (!keyOf.next())
        return -1;
    if (keyOf.isNull(0)) {
        const qint64 keyed = countWhere(own + " IS NOT NULL", [](SqliteStatement &, int) {});
        const qint64 before = countWhere(own + " IS NULL AND t.id < ?", bindId);
        return keyed < 0 || before < 0 ? -1 : keyed + before;
    }
    const qint64 key = keyOf.int64(0);
    const qint64 newer =
        countWhere(own + " > ?", [key](SqliteStatement &stmt, int next) { stmt.bind(next, key); });
    const qint64 sameKey =
        countWhere(own + " = ? AND t.id < ?", [key, &taskId](SqliteStatement &stmt, int next) {
            stmt.bind(next, key);
            stmt.bind(next + 1, taskId);
        });
    return newer < 0 || sameKey < 0 ? -1 : newer + sameKey;
}

} // namespace Tasktrail
