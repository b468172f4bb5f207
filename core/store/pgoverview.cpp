// The Overview tab's counts on PostgreSQL: the statements of sqliteoverview.cpp, with the same
// days, keys and order. A day is to_char() of the UTC time (SQLite's date(ms / 1000,
// 'unixepoch')); text keys are ordered in the "C" collation, as SQLite orders them.
#include "pgstore.h"

#include <QTimeZone>

#include <functional>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

using RowFn = std::function<void(const PgResult &, int)>;

#define TASKTRAIL_DAY(ms) "to_char(to_timestamp((" ms ") / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
#define TASKTRAIL_TASK_DAY TASKTRAIL_DAY("coalesce(t.started_at, t.created_at)")
#define TASKTRAIL_IN_RANGE                                                                         \
    " coalesce(t.started_at, t.created_at) >= $1 AND coalesce(t.started_at, t.created_at) < $2 "
#define TASKTRAIL_TASK_PR " JOIN pull_request p ON p.repo = t.repo AND p.number = t.pr_number "

bool runRange(PgConnection &db, const char *sql, const QDateTime &from, const QDateTime &to,
              const RowFn &row)
{
    PgParams params;
    params.add(from).add(to);
    const PgResult r = db.query(sql, params);
    for (int i = 0; r.ok() && i < r.rows(); ++i)
        row(r, i);
    return r.ok();
}

QDate dayOf(const PgResult &r, int row, int column)
{
    return QDate::fromString(r.text(row, column), Qt::ISODate);
}

QDate utcDay(const PgResult &r, int column)
{
    return QDateTime::fromMSecsSinceEpoch(r.int64(0, column), QTimeZone::utc()).date();
}

bool span(PgConnection &db, OverviewRange &range)
{
    const PgResult r =
        db.query("SELECT min(v), max(v) FROM (SELECT coalesce(started_at, created_at) AS v FROM "
                 "task UNION ALL SELECT created_at FROM pull_request UNION ALL SELECT merged_at "
                 "FROM pull_request) u",
                 PgParams());
    if (!r.ok() || r.rows() != 1)
        return false;
    if (!r.isNull(0, 0)) {
        range.first = utcDay(r, 0);
        range.last = utcDay(r, 1);
    }
    return true;
}

bool countRuns(PgConnection &db, const QDateTime &from, const QDateTime &to, OverviewData &o)
{
    return runRange(db,
                    "SELECT " TASKTRAIL_TASK_DAY ", coalesce(t.state, 'unknown') COLLATE \"C\", "
                    "count(*) FROM task t WHERE" TASKTRAIL_IN_RANGE "GROUP BY 1, 2 ORDER BY 1, 2",
                    from, to,
                    [&o](const PgResult &r, int i) {
                        o.runs << OverviewCount{dayOf(r, i, 0), r.text(i, 1), r.int64(i, 2)};
                    }) &&
           runRange(db,
                    "SELECT t.campaign_id COLLATE \"C\", c.title, coalesce(t.state, 'unknown') "
                    "COLLATE \"C\", count(*) FROM task t LEFT JOIN campaign c ON c.id = "
                    "t.campaign_id WHERE t.campaign_id IS NOT NULL AND" TASKTRAIL_IN_RANGE
                    "GROUP BY 1, 2, 3 ORDER BY 1, 3",
                    from, to, [&o](const PgResult &r, int i) {
                        o.campaigns << CampaignStateCount{r.text(i, 0), r.text(i, 1), r.text(i, 2),
                                                          r.int64(i, 3)};
                    });
}

bool countPullRequests(PgConnection &db, const QDateTime &from, const QDateTime &to,
                       OverviewData &o)
{
    return runRange(
        db,
        "SELECT d, k COLLATE \"C\", count(*) FROM (SELECT " TASKTRAIL_DAY(
            "p.created_at") " AS d, 'opened' AS k FROM task t" TASKTRAIL_TASK_PR
                            "WHERE p.created_at >= $1 AND p.created_at < $2 UNION ALL "
                            "SELECT " TASKTRAIL_DAY(
                                "p.merged_at") ", 'merged' FROM task t" TASKTRAIL_TASK_PR
                                               "WHERE p.merged_at IS NOT NULL AND p.merged_at >= "
                                               "$1 AND p.merged_at < $2 UNION ALL "
                                               "SELECT " TASKTRAIL_DAY(
                                                   "p.created_at") ", 'awaiting_review' FROM task "
                                                                   "t" TASKTRAIL_TASK_PR
                                                                   "WHERE p.merged_at IS NULL AND "
                                                                   "p.closed_at IS NULL AND "
                                                                   "coalesce(p.state, 'open') = "
                                                                   "'open' AND NOT EXISTS (SELECT "
                                                                   "1 FROM review r WHERE r.repo = "
                                                                   "p.repo AND r.pr_number = "
                                                                   "p.number) AND p.created_at >= "
                                                                   "$1 AND p.created_at < $2) u "
                                                                   "GROUP BY 1, 2 ORDER BY 1, 2",
        from, to, [&o](const PgResult &r, int i) {
            o.pullRequests << OverviewCount{dayOf(r, i, 0), r.text(i, 1), r.int64(i, 2)};
        });
}

bool countReviewLoad(PgConnection &db, const QDateTime &from, const QDateTime &to, OverviewData &o)
{
    return runRange(
        db,
        "SELECT j.value COLLATE \"C\", " TASKTRAIL_DAY(
            "p.created_at") ", coalesce(t.template_id, c.template_id) COLLATE \"C\", "
                            "coalesce(t.template_version, c.template_version) COLLATE \"C\", "
                            "count(*) FROM task t" TASKTRAIL_TASK_PR
                            "LEFT JOIN campaign c ON c.id = t.campaign_id CROSS JOIN LATERAL "
                            "(SELECT tasktrail_json(p.requested_teams) AS doc) u CROSS JOIN "
                            "LATERAL json_array_elements_text(CASE WHEN json_typeof(u.doc) = "
                            "'array' THEN u.doc END) j(value) WHERE p.created_at >= $1 AND "
                            "p.created_at < $2 GROUP BY 1, 2, 3, 4 ORDER BY 1 NULLS FIRST, 2 "
                            "NULLS FIRST, 3 NULLS FIRST, 4 NULLS FIRST",
        from, to, [&o](const PgResult &r, int i) {
            o.reviewLoad << ReviewLoadEntry{r.text(i, 0), dayOf(r, i, 1), r.text(i, 2),
                                            r.text(i, 3), r.int64(i, 4)};
        });
}

bool countFindings(PgConnection &db, const QDateTime &from, const QDateTime &to, OverviewData &o)
{
    return runRange(db,
                    "SELECT " TASKTRAIL_TASK_DAY ", f.severity, count(*) FROM finding f JOIN task "
                    "t ON t.id = f.task_id WHERE" TASKTRAIL_IN_RANGE "GROUP BY 1, 2 ORDER BY 1, 2",
                    from, to,
                    [&o](const PgResult &r, int i) {
                        const auto severity = Severity(qBound(0, int(r.int64(i, 1)), 4));
                        o.findingsBySeverity
                            << OverviewCount{dayOf(r, i, 0), toString(severity), r.int64(i, 2)};
                    }) &&
           runRange(
               db,
               "SELECT " TASKTRAIL_TASK_DAY ", f.rule COLLATE \"C\", count(*) FROM finding f "
               "JOIN task t ON t.id = f.task_id WHERE" TASKTRAIL_IN_RANGE
               "GROUP BY 1, 2 ORDER BY 1, 2",
               from, to, [&o](const PgResult &r, int i) {
                   o.findingsByRule << OverviewCount{dayOf(r, i, 0), r.text(i, 1), r.int64(i, 2)};
               });
}

} // namespace

std::optional<OverviewData> PgStore::overview(const OverviewRange &asked)
{
    OverviewRange range = asked;
    if ((!range.first.isValid() || !range.last.isValid()) && !span(m_db, range)) {
        fail(u"overview query failed"_s);
        return std::nullopt;
    }
    OverviewData o;
    o.first = range.first;
    o.last = range.last;
    if (!range.first.isValid() || !range.last.isValid() || range.last < range.first)
        return o;
    const QDateTime from(range.first, QTime(0, 0), QTimeZone::utc());
    const QDateTime to(range.last.addDays(1), QTime(0, 0), QTimeZone::utc());
    if (!countRuns(m_db, from, to, o) || !countPullRequests(m_db, from, to, o) ||
        !countReviewLoad(m_db, from, to, o) || !countFindings(m_db, from, to, o)) {
        fail(u"overview query failed"_s);
        return std::nullopt;
    }
    return o;
}

} // namespace Tasktrail
