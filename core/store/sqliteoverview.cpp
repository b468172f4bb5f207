// The Overview tab's counts on SQLite: each chart one statement over the range [?1, ?2) in
// milliseconds, grouped by the UTC day and the chart's key. The WHERE clauses are those of the
// TaskFilter and FindingFilter the chart opens (sqlitetaskfilter.cpp, sqlitefindingquery.cpp),
// so a count and its filter select the same rows.
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QTimeZone>

#include <functional>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

using RowFn = std::function<void(SqliteStatement &)>;

#define TASKTRAIL_TASK_DAY "date(coalesce(t.started_at, t.created_at) / 1000, 'unixepoch')"
#define TASKTRAIL_IN_RANGE                                                                         \
    " coalesce(t.started_at, t.created_at) >= ?1 AND coalesce(t.started_at, t.created_at) < ?2 "
#define TASKTRAIL_TASK_PR " JOIN pull_request p ON p.repo = t.repo AND p.number = t.pr_number "

bool runRange(sqlite3 *db, const char *sql, const QDateTime &from, const QDateTime &to,
              const RowFn &row)
{
    SqliteStatement stmt(db, sql);
    if (!stmt.isValid())
        return false;
    stmt.bind(1, from);
    stmt.bind(2, to);
    while (stmt.next())
        row(stmt);
    return stmt.lastResult() == 101; // SQLITE_DONE
}

QDate dayOf(const SqliteStatement &s, int column)
{
    return QDate::fromString(s.text(column), Qt::ISODate);
}

// The first and last day anything happened: a run started, a pull request opened or merged.
bool span(sqlite3 *db, OverviewRange &range)
{
    SqliteStatement stmt(db, "SELECT min(v), max(v) FROM (SELECT coalesce(started_at, "
                             "created_at) AS v FROM task UNION ALL SELECT created_at FROM "
                             "pull_request UNION ALL SELECT merged_at FROM pull_request)");
    if (!stmt.isValid() || !stmt.next())
        return false;
    if (!stmt.isNull(0)) {
        range.first = stmt.dateTime(0).toUTC().date();
        range.last = stmt.dateTime(1).toUTC().date();
    }
    return true;
}

bool countRuns(sqlite3 *db, const QDateTime &from, const QDateTime &to, OverviewData &o)
{
    return runRange(db,
                    "SELECT " TASKTRAIL_TASK_DAY ", coalesce(t.state, 'unknown'), count(*) FROM "
                    "task t WHERE" TASKTRAIL_IN_RANGE "GROUP BY 1, 2 ORDER BY 1, 2",
                    from, to,
                    [&o](SqliteStatement &s) {
                        o.runs << OverviewCount{dayOf(s, 0), s.text(1), s.int64(2)};
                    }) &&
           runRange(
               db,
               "SELECT t.campaign_id, c.title, coalesce(t.state, 'unknown'), count(*) FROM "
               "task t LEFT JOIN campaign c ON c.id = t.campaign_id WHERE t.campaign_id IS "
               "NOT NULL AND" TASKTRAIL_IN_RANGE "GROUP BY 1, 2, 3 ORDER BY 1, 3",
               from, to, [&o](SqliteStatement &s) {
                   o.campaigns << CampaignStateCount{s.text(0), s.text(1), s.text(2), s.int64(3)};
               });
}

// As the "opened", "merged" and "awaiting_review" pull-request terms of the task filter.
bool countPullRequests(sqlite3 *db, const QDateTime &from, const QDateTime &to, OverviewData &o)
{
    return runRange(
        db,
        "SELECT d, k, count(*) FROM ("
        "SELECT date(p.created_at / 1000, 'unixepoch') AS d, 'opened' AS k FROM task "
        "t" TASKTRAIL_TASK_PR "WHERE p.created_at >= ?1 AND p.created_at < ?2 "
        "UNION ALL SELECT date(p.merged_at / 1000, 'unixepoch'), 'merged' FROM task "
        "t" TASKTRAIL_TASK_PR
        "WHERE p.merged_at IS NOT NULL AND p.merged_at >= ?1 AND p.merged_at < ?2 "
        "UNION ALL SELECT date(p.created_at / 1000, 'unixepoch'), 'awaiting_review' FROM task "
        "t" TASKTRAIL_TASK_PR "WHERE p.merged_at IS NULL AND p.closed_at IS NULL AND "
        "coalesce(p.state, 'open') = 'open' AND NOT EXISTS (SELECT 1 FROM review r WHERE "
        "r.repo = p.repo AND r.pr_number = p.number) AND p.created_at >= ?1 AND p.created_at < "
        "?2) GROUP BY 1, 2 ORDER BY 1, 2",
        from, to, [&o](SqliteStatement &s) {
            o.pullRequests << OverviewCount{dayOf(s, 0), s.text(1), s.int64(2)};
        });
}

bool countReviewLoad(sqlite3 *db, const QDateTime &from, const QDateTime &to, OverviewData &o)
{
    return runRange(
        db,
        "SELECT j.value, date(p.created_at / 1000, 'unixepoch'), coalesce(t.template_id, "
        "c.template_id), coalesce(t.template_version, c.template_version), count(*) FROM task "
        "t" TASKTRAIL_TASK_PR "LEFT JOIN campaign c ON c.id = t.campaign_id, json_each(CASE WHEN "
        "json_valid(p.requested_teams) THEN p.requested_teams END) j WHERE p.created_at >= ?1 "
        "AND p.created_at < ?2 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        from, to, [&o](SqliteStatement &s) {
            o.reviewLoad << ReviewLoadEntry{s.text(0), dayOf(s, 1), s.text(2), s.text(3),
                                            s.int64(4)};
        });
}

bool countFindings(sqlite3 *db, const QDateTime &from, const QDateTime &to, OverviewData &o)
{
    return runRange(db,
                    "SELECT " TASKTRAIL_TASK_DAY ", f.severity, count(*) FROM finding f JOIN task "
                    "t ON t.id = f.task_id WHERE" TASKTRAIL_IN_RANGE "GROUP BY 1, 2 ORDER BY 1, 2",
                    from, to,
                    [&o](SqliteStatement &s) {
                        const auto severity = Severity(qBound(0, int(s.int64(1)), 4));
                        o.findingsBySeverity
                            << OverviewCount{dayOf(s, 0), toString(severity), s.int64(2)};
                    }) &&
           runRange(db,
                    "SELECT " TASKTRAIL_TASK_DAY ", f.rule, count(*) FROM finding f JOIN task t "
                    "ON t.id = f.task_id WHERE" TASKTRAIL_IN_RANGE "GROUP BY 1, 2 ORDER BY 1, 2",
                    from, to, [&o](SqliteStatement &s) {
                        o.findingsByRule << OverviewCount{dayOf(s, 0), s.text(1), s.int64(2)};
                    });
}

} // namespace

std::optional<OverviewData> SqliteStore::overview(const OverviewRange &asked)
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
