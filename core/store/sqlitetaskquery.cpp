// The runs table: one page of tasks under a filter.
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QVariant>

#include <functional>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The WHERE clause is assembled only from the fixed fragments below; every value a person
// typed is bound, never spliced into the SQL.
struct FilterClause
{
    QByteArray sql;
    QList<std::function<void(SqliteStatement &, int)>> binders;

    void add(const char *fragment, const QString &value)
    {
        sql += sql.isEmpty() ? " WHERE " : " AND ";
        sql += fragment;
        binders << [value](SqliteStatement &s, int i) { s.bind(i, value); };
    }
    void add(const char *fragment, const QDateTime &value)
    {
        sql += sql.isEmpty() ? " WHERE " : " AND ";
        sql += fragment;
        binders << [value](SqliteStatement &s, int i) { s.bind(i, value); };
    }
    int bindAll(SqliteStatement &s) const
    {
        int index = 1;
        for (const auto &b : binders)
            b(s, index++);
        return index;
    }
};

FilterClause clauseFor(const TaskFilter &f)
{
    FilterClause c;
    if (!f.text.isEmpty()) {
        // What a person types is matched literally: % and _ are not wildcards here.
        QString escaped = f.text;
        escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
        const QString like = QLatin1Char('%') + escaped + QLatin1Char('%');
        c.sql += " WHERE (t.id LIKE ?1 ESCAPE '\\' OR t.repo LIKE ?1 ESCAPE '\\' "
                 "OR r.requester LIKE ?1 ESCAPE '\\' OR t.prompt LIKE ?1 ESCAPE '\\')";
        c.binders << [like](SqliteStatement &s, int i) { s.bind(i, like); };
    }
    if (!f.state.isEmpty())
        c.add("coalesce(t.state, 'unknown') = ?", f.state);
    if (!f.repo.isEmpty())
        c.add("t.repo = ?", f.repo);
    if (!f.campaignId.isEmpty())
        c.add("t.campaign_id = ?", f.campaignId);
    if (!f.identityKind.isEmpty())
        c.add("i.kind = ?", f.identityKind);
    if (!f.policyId.isEmpty())
        c.add("t.policy_id = ?", f.policyId);
    if (f.from.isValid())
        c.add("coalesce(t.started_at, t.created_at) >= ?", f.from);
    if (f.to.isValid())
        c.add("coalesce(t.started_at, t.created_at) < ?", f.to);
    return c;
}

constexpr const char *taskJoins = " FROM task t LEFT JOIN request r ON r.id = t.request_id "
                                  "LEFT JOIN identity i ON i.id = t.identity_id ";

} // namespace

QList<TaskRow> SqliteStore::tasks(const TaskFilter &filter, int offset, int limit)
{
    const FilterClause where = clauseFor(filter);
    // The text filter uses ?1 for all its columns, so later fragments count from there.
    const QByteArray sql =
        QByteArray("SELECT t.id, t.repo, t.campaign_id, t.state, r.requester, "
                   "i.principal, i.kind, t.policy_id, t.policy_version, t.pr_number, "
                   "(SELECT p.merged_at IS NOT NULL FROM pull_request p WHERE "
                   "p.repo = t.repo AND p.number = t.pr_number), "
                   "coalesce(t.started_at, t.created_at), t.completed_at") +
        taskJoins + where.sql +
        " ORDER BY coalesce(t.started_at, t.created_at) DESC, t.id LIMIT ? OFFSET ?";
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
    const FilterClause where = clauseFor(filter);
    const QByteArray sql = QByteArray("SELECT count(*)") + taskJoins + where.sql;
    SqliteStatement stmt(m_db, sql.constData());
    if (!stmt.isValid())
        return 0;
    where.bindAll(stmt);
    return stmt.next() ? stmt.int64(0) : 0;
}

} // namespace Tasktrail
