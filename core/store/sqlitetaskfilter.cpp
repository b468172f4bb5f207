#include "sqlitetaskfilter.h"

#include "sqlitestatement.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

QByteArray TaskFilterClause::from(const QByteArray &taskIndex) const
{
    QByteArray tables = " FROM task t ";
    if (!taskIndex.isEmpty())
        tables += "INDEXED BY " + taskIndex + ' ';
    if (joinsIdentity)
        tables += "LEFT JOIN identity i ON i.id = t.identity_id ";
    return tables;
}

void TaskFilterClause::add(const char *fragment, const QString &value)
{
    sql += sql.isEmpty() ? " WHERE " : " AND ";
    sql += fragment;
    binders << [value](SqliteStatement &s, int i) { s.bind(i, value); };
}

void TaskFilterClause::add(const char *fragment, const QDateTime &value)
{
    sql += sql.isEmpty() ? " WHERE " : " AND ";
    sql += fragment;
    binders << [value](SqliteStatement &s, int i) { s.bind(i, value); };
}

QByteArray TaskFilterClause::numberedSql() const
{
    QByteArray out;
    int highest = 0;
    for (qsizetype i = 0; i < sql.size(); ++i) {
        out += sql.at(i);
        if (sql.at(i) != '?')
            continue;
        qsizetype end = i + 1;
        while (end < sql.size() && sql.at(end) >= '0' && sql.at(end) <= '9')
            ++end;
        if (end > i + 1) {
            highest = std::max(highest, sql.mid(i + 1, end - i - 1).toInt());
            continue; // the digits follow as they are
        }
        out += QByteArray::number(++highest);
    }
    return out;
}

int TaskFilterClause::bindAll(SqliteStatement &s) const
{
    int index = 1;
    for (const auto &b : binders)
        b(s, index++);
    return index;
}

namespace {

// The overview's pull-request terms: one EXISTS over the task's pull request, its fragments
// fixed, its values bound in the order their "?" appear.
void addPullRequestTerms(TaskFilterClause &c, const TaskFilter &f)
{
    if (f.pullRequest.isEmpty() && !f.pullRequestFrom.isValid() && !f.pullRequestTo.isValid() &&
        f.reviewTeam.isEmpty())
        return;
    const bool merged = f.pullRequest == u"merged";
    QByteArray terms;
    if (merged)
        terms += " AND p.merged_at IS NOT NULL";
    else if (f.pullRequest == u"awaiting_review")
        terms += " AND p.merged_at IS NULL AND p.closed_at IS NULL AND coalesce(p.state, "
                 "'open') = 'open' AND NOT EXISTS (SELECT 1 FROM review r WHERE r.repo = p.repo "
                 "AND r.pr_number = p.number)";
    else if (!f.pullRequest.isEmpty() && f.pullRequest != u"opened")
        terms += " AND 0"; // no such kind: no run
    const QByteArray at = merged ? "p.merged_at" : "p.created_at";
    if (f.pullRequestFrom.isValid()) {
        terms += " AND " + at + " >= ?";
        c.binders << [v = f.pullRequestFrom](SqliteStatement &s, int i) { s.bind(i, v); };
    }
    if (f.pullRequestTo.isValid()) {
        terms += " AND " + at + " < ?";
        c.binders << [v = f.pullRequestTo](SqliteStatement &s, int i) { s.bind(i, v); };
    }
    if (!f.reviewTeam.isEmpty()) {
        terms += " AND EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(p.requested_teams) "
                 "THEN p.requested_teams END) j WHERE j.value = ?)";
        c.binders << [v = f.reviewTeam](SqliteStatement &s, int i) { s.bind(i, v); };
    }
    c.sql += c.sql.isEmpty() ? " WHERE " : " AND ";
    c.sql += "EXISTS (SELECT 1 FROM pull_request p WHERE p.repo = t.repo AND p.number = "
             "t.pr_number" +
             terms + ')';
}

} // namespace

TaskFilterClause taskFilterClause(const TaskFilter &f)
{
    TaskFilterClause c;
    if (!f.text.isEmpty()) {
        // What a person types is matched literally: % and _ are not wildcards here.
        QString escaped = f.text;
        escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
        const QString like = QLatin1Char('%') + escaped + QLatin1Char('%');
        // The requesters are matched once per statement (a list SQLite builds before the
        // scan), not by joining request to every task the scan reads: a text filter keeps
        // few tasks, so a page scans many.
        c.sql += " WHERE (t.id LIKE ?1 ESCAPE '\\' OR t.repo LIKE ?1 ESCAPE '\\' "
                 "OR t.request_id IN (SELECT r.id FROM request r WHERE r.requester LIKE ?1 "
                 "ESCAPE '\\') OR t.prompt LIKE ?1 ESCAPE '\\')";
        c.binders << [like](SqliteStatement &s, int i) { s.bind(i, like); };
    }
    if (!f.state.isEmpty())
        c.add("coalesce(t.state, 'unknown') = ?", f.state);
    if (!f.repo.isEmpty())
        c.add("t.repo = ?", f.repo);
    if (!f.campaignId.isEmpty())
        c.add("t.campaign_id = ?", f.campaignId);
    if (!f.identityKind.isEmpty()) {
        c.add("i.kind = ?", f.identityKind);
        c.joinsIdentity = true;
    }
    if (!f.policyId.isEmpty())
        c.add("t.policy_id = ?", f.policyId);
    if (f.from.isValid())
        c.add("coalesce(t.started_at, t.created_at) >= ?", f.from);
    if (f.to.isValid())
        c.add("coalesce(t.started_at, t.created_at) < ?", f.to);
    addPullRequestTerms(c, f);
    return c;
}

} // namespace Tasktrail
