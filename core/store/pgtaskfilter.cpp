#include "pgtaskfilter.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

QByteArray pgParam(int index)
{
    return '$' + QByteArray::number(index);
}

QByteArray PgTaskFilter::from() const
{
    QByteArray tables = " FROM task t ";
    if (joinsIdentity)
        tables += "LEFT JOIN identity i ON i.id = t.identity_id ";
    return tables;
}

void PgTaskFilter::add(const char *fragment, const QString &value)
{
    params.add(value);
    sql += joiner() + QByteArray(fragment) + pgParam(params.count());
}

void PgTaskFilter::add(const char *fragment, const QDateTime &value)
{
    params.add(value);
    sql += joiner() + QByteArray(fragment) + pgParam(params.count());
}

namespace {

// The overview's pull-request terms, as on SQLite: one EXISTS over the task's pull request.
void addPullRequestTerms(PgTaskFilter &c, const TaskFilter &f)
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
        terms += " AND false"; // no such kind: no run
    const QByteArray at = merged ? "p.merged_at" : "p.created_at";
    if (f.pullRequestFrom.isValid()) {
        c.params.add(f.pullRequestFrom);
        terms += " AND " + at + " >= " + pgParam(c.params.count());
    }
    if (f.pullRequestTo.isValid()) {
        c.params.add(f.pullRequestTo);
        terms += " AND " + at + " < " + pgParam(c.params.count());
    }
    if (!f.reviewTeam.isEmpty()) {
        c.params.add(f.reviewTeam);
        terms += " AND EXISTS (SELECT 1 FROM json_array_elements_text(CASE WHEN "
                 "json_typeof(tasktrail_json(p.requested_teams)) = 'array' THEN "
                 "tasktrail_json(p.requested_teams) END) j(value) WHERE j.value = " +
                 pgParam(c.params.count()) + ')';
    }
    c.sql += c.joiner() +
             "EXISTS (SELECT 1 FROM pull_request p WHERE p.repo = t.repo AND "
             "p.number = t.pr_number" +
             terms + ')';
}

} // namespace

PgTaskFilter pgTaskFilter(const TaskFilter &f)
{
    PgTaskFilter c;
    if (!f.text.isEmpty()) {
        // What a person types is matched literally: % and _ are not wildcards here.
        QString escaped = f.text;
        escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
        c.params.add(QLatin1Char('%') + escaped + QLatin1Char('%'));
        c.sql += " WHERE (t.id ILIKE $1 ESCAPE '\\' OR t.repo ILIKE $1 ESCAPE '\\' "
                 "OR t.request_id IN (SELECT r.id FROM request r WHERE r.requester ILIKE $1 "
                 "ESCAPE '\\') OR t.prompt ILIKE $1 ESCAPE '\\')";
    }
    if (!f.state.isEmpty())
        c.add("coalesce(t.state, 'unknown') = ", f.state);
    if (!f.repo.isEmpty())
        c.add("t.repo = ", f.repo);
    if (!f.campaignId.isEmpty())
        c.add("t.campaign_id = ", f.campaignId);
    if (!f.identityKind.isEmpty()) {
        c.add("i.kind = ", f.identityKind);
        c.joinsIdentity = true;
    }
    if (!f.policyId.isEmpty())
        c.add("t.policy_id = ", f.policyId);
    if (f.from.isValid())
        c.add("coalesce(t.started_at, t.created_at) >= ", f.from);
    if (f.to.isValid())
        c.add("coalesce(t.started_at, t.created_at) < ", f.to);
    addPullRequestTerms(c, f);
    return c;
}

// The expressions of the task_sort_* indexes (pgschema.cpp), as sqlitetasksort.cpp's: a
// missing value becomes the smallest a column can hold.
PgTaskSort pgTaskSort(const TaskSort &sort)
{
    PgTaskSort sql;
    sql.descending = sort.descending;
    switch (sort.column) {
    case TaskSortColumn::Task:
        sql.key = "t.id";
        sql.keyIsId = true;
        break;
    case TaskSortColumn::Repository:
        sql.key = "coalesce(t.repo, '')";
        break;
    case TaskSortColumn::Campaign:
        sql.key = "coalesce(t.campaign_id, '')";
        break;
    case TaskSortColumn::State:
        sql.key = "coalesce(t.state, 'unknown')";
        break;
    case TaskSortColumn::Policy:
        sql.key = "(coalesce(t.policy_id, '') || '@' || coalesce(t.policy_version, ''))";
        break;
    case TaskSortColumn::PullRequest:
        sql.key = "coalesce(t.pr_number, -1)";
        sql.keyIsText = false;
        break;
    case TaskSortColumn::Started:
        sql.key = "coalesce(t.started_at, t.created_at, -9223372036854775807)";
        sql.keyIsText = false;
        break;
    case TaskSortColumn::Duration:
        sql.key = "coalesce(t.completed_at - coalesce(t.started_at, t.created_at), "
                  "-9223372036854775807)";
        sql.keyIsText = false;
        break;
    }
    return sql;
}

void addKeyValue(PgParams &params, const QVariant &value, bool isText)
{
    if (isText)
        params.add(value.toString());
    else
        params.add(value.toLongLong());
}

QVariant pgKeyValue(const PgResult &r, int row, int column, bool isText)
{
    return isText ? QVariant(r.text(row, column)) : QVariant(r.int64(row, column));
}

TaskRow pgTaskRowAt(const PgResult &r, int row)
{
    TaskRow out;
    out.id = r.text(row, 0);
    out.repo = r.text(row, 1);
    out.campaignId = r.text(row, 2);
    out.state = taskStateFromString(r.text(row, 3));
    out.requester = r.text(row, 4);
    out.identity = r.text(row, 5);
    out.identityKind = identityKindFromString(r.text(row, 6));
    out.policy = r.text(row, 7);
    if (!r.isNull(row, 8))
        out.policy += QLatin1Char('@') + r.text(row, 8);
    out.prNumber = pgOptionalInt(r, row, 9);
    out.prMerged = pgBool(r, row, 10);
    out.startedAt = pgDateTime(r, row, 11);
    if (!r.isNull(row, 11) && !r.isNull(row, 12))
        out.durationMs = r.int64(row, 12) - r.int64(row, 11);
    return out;
}

} // namespace Tasktrail
