// Reports: aggregates over the tasks a filter selects, each one SQL statement, so a report
// over a million tasks holds counts, not rows.
#include "sqlitestatement.h"
#include "sqlitestore.h"
#include "sqlitetaskfilter.h"

#include <QMap>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

using RowFn = std::function<void(SqliteStatement &)>;

// Statements over `sel`, the rowids of the selected tasks: "WITH sel AS (...) " + the tail.
// The tail may add further CTEs (", v AS (...) SELECT ..."). The SQL is assembled from the
// fixed fragments here and in taskFilterClause(); every value is bound.
class Selection final
{
public:
    Selection(sqlite3 *db, const TaskFilter &filter)
        : m_db(db)
        , m_where(taskFilterClause(filter))
    {}

    bool run(const char *tail, const RowFn &row) const
    {
        const QByteArray sql =
            "WITH sel AS (SELECT t.rowid AS rid" + m_where.from() + m_where.sql + ") " + tail;
        return runClause(m_db, sql, m_where, row);
    }

    static bool runClause(sqlite3 *db, const QByteArray &sql, const TaskFilterClause &clause,
                          const RowFn &row)
    {
        SqliteStatement stmt(db, sql.constData());
        if (!stmt.isValid())
            return false;
        clause.bindAll(stmt);
        while (stmt.next())
            row(stmt);
        return stmt.lastResult() == 101; // SQLITE_DONE
    }

private:
    sqlite3 *m_db;
    TaskFilterClause m_where;
};

// The distinct pull requests the selected tasks name, as CTE `prs`: only the columns the
// aggregates read, since SQLite may hold the CTE in memory.
#define TASKTRAIL_PRS                                                                              \
    ", prs AS (SELECT p.created_at, p.merged_at, p.closed_at, p.state FROM (SELECT DISTINCT "      \
    "t.repo, t.pr_number FROM sel JOIN task t ON t.rowid = sel.rid WHERE t.pr_number IS NOT "      \
    "NULL) k JOIN pull_request p ON p.repo = k.repo AND p.number = k.pr_number) "

QDate dayOf(const SqliteStatement &s, int column)
{
    return QDate::fromString(s.text(column), Qt::ISODate);
}

// The repository decisions a filter selects: skips only, in the filter's campaign, repository,
// policy and time range. Runs and identities do not apply to a repository that never ran.
TaskFilterClause decisionClause(const TaskFilter &f)
{
    TaskFilterClause c;
    if (!f.text.isEmpty()) {
        QString escaped = f.text;
        escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
        const QString like = QLatin1Char('%') + escaped + QLatin1Char('%');
        c.sql += " WHERE (d.repo LIKE ?1 ESCAPE '\\' OR d.reason LIKE ?1 ESCAPE '\\' "
                 "OR d.campaign_id LIKE ?1 ESCAPE '\\')";
        c.binders << [like](SqliteStatement &s, int i) { s.bind(i, like); };
    }
    c.sql += c.sql.isEmpty() ? " WHERE " : " AND ";
    c.sql += "d.verdict = 'skipped'";
    if ((!f.state.isEmpty() && f.state != u"skipped") || !f.identityKind.isEmpty())
        c.sql += " AND 0";
    if (!f.campaignId.isEmpty())
        c.add("d.campaign_id = ?", f.campaignId);
    if (!f.repo.isEmpty())
        c.add("d.repo = ?", f.repo);
    if (!f.policyId.isEmpty())
        c.add("c.policy_id = ?", f.policyId);
    if (f.from.isValid())
        c.add("coalesce(d.decided_at, c.created_at) >= ?", f.from);
    if (f.to.isValid())
        c.add("coalesce(d.decided_at, c.created_at) < ?", f.to);
    return c;
}

struct BucketBound
{
    const char *label;
    qint64 toMs;
};
constexpr std::array durationBuckets{
    BucketBound{"< 5 min", 300000},    BucketBound{"5-15 min", 900000},
    BucketBound{"15-30 min", 1800000}, BucketBound{"30-60 min", 3600000},
    BucketBound{"1-2 h", 7200000},     BucketBound{"2-4 h", 14400000},
    BucketBound{"4 h or more", -1},
};

bool countStates(const Selection &sel, ReportAggregates &a)
{
    return sel.run("SELECT coalesce(t.state, 'unknown'), count(*), count(t.started_at), "
                   "sum(coalesce(t.retries, 0)), sum(coalesce(t.retries, 0) > 0)"
                   " FROM sel JOIN task t ON t.rowid = sel.rid GROUP BY 1",
                   [&a](SqliteStatement &s) {
                       a.tasksByState.insert(s.text(0), s.int64(1));
                       a.tasks += s.int64(1);
                       a.started += s.int64(2);
                       a.retries += s.int64(3);
                       a.tasksRetried += s.int64(4);
                   });
}

bool countPullRequests(const Selection &sel, ReportAggregates &a)
{
    const bool counted =
        sel.run(TASKTRAIL_PRS "SELECT count(*), coalesce(sum(merged_at IS NOT NULL), 0), "
                              "coalesce(sum(merged_at IS NULL AND state = 'closed'), 0) FROM prs",
                [&a](SqliteStatement &s) {
                    a.prsMerged = s.int64(1);
                    a.prsClosedUnmerged = s.int64(2);
                });
    // A task may name a pull request not ingested (yet): it counts as opened and open.
    const bool named = sel.run("SELECT count(*) FROM (SELECT DISTINCT t.repo, t.pr_number"
                               " FROM sel JOIN task t ON t.rowid = sel.rid "
                               "WHERE t.pr_number IS NOT NULL)",
                               [&a](SqliteStatement &s) { a.prsOpened = s.int64(0); });
    a.prsOpen = a.prsOpened - a.prsMerged - a.prsClosedUnmerged;
    return counted && named;
}

// The median of the `v` column of a CTE, in SQL: the middle row, or the mean of the two.
std::optional<qint64> median(const Selection &sel, const char *tail, bool *ok)
{
    std::optional<qint64> out;
    *ok = sel.run(tail, [&out](SqliteStatement &s) {
        if (const auto v = s.optionalReal(0))
            out = qint64(std::llround(*v));
    }) && *ok;
    return out;
}

#define TASKTRAIL_MEDIAN                                                                           \
    "SELECT avg(v) FROM (SELECT v FROM v ORDER BY v LIMIT 2 - (SELECT count(*) FROM v) % 2 "       \
    "OFFSET ((SELECT count(*) FROM v) - 1) / 2)"

bool medians(const Selection &sel, ReportAggregates &a)
{
    bool ok = true;
    a.medianToPrMs =
        median(sel,
               ", v AS (SELECT p.created_at - t.started_at AS v FROM sel JOIN task t ON t.rowid = "
               "sel.rid JOIN pull_request p ON p.repo = t.repo AND p.number = t.pr_number WHERE "
               "t.started_at IS NOT NULL AND p.created_at >= t.started_at) " TASKTRAIL_MEDIAN,
               &ok);
    a.medianToMergeMs = median(sel,
                               TASKTRAIL_PRS ", v AS (SELECT merged_at - created_at AS v FROM "
                                             "prs WHERE merged_at >= created_at) " TASKTRAIL_MEDIAN,
                               &ok);
    return ok;
}

bool countFindings(const Selection &sel, ReportAggregates &a)
{
    const bool rules = sel.run("SELECT f.severity, f.rule, count(*) FROM sel JOIN task t ON "
                               "t.rowid = sel.rid JOIN finding f ON f.task_id = t.id GROUP BY 1, 2",
                               [&a](SqliteStatement &s) {
                                   const auto severity = Severity(qBound(0, int(s.int64(0)), 4));
                                   a.findingsBySeverity[severity] += s.int64(2);
                                   a.findingsByRule[s.text(1)] += s.int64(2);
                               });
    const bool tasks = sel.run("SELECT count(DISTINCT f.task_id) FROM sel JOIN task t ON "
                               "t.rowid = sel.rid JOIN finding f ON f.task_id = t.id",
                               [&a](SqliteStatement &s) { a.tasksWithFindings = s.int64(0); });
    return rules && tasks;
}

bool sumUsage(const Selection &sel, ReportAggregates &a)
{
    const bool sums = sel.run(
        "SELECT j.key, sum(j.value) FROM sel JOIN task t ON t.rowid = sel.rid, "
        "json_each(CASE WHEN json_valid(t.usage) THEN t.usage END) j "
        "WHERE j.type IN ('integer', 'real') GROUP BY j.key ORDER BY j.key",
        // Rounded to a millionth: SQLite 3.43+ sums with error compensation, older
        // releases do not, and a report must read the same on both.
        [&a](SqliteStatement &s) { a.usage.insert(s.text(0), std::round(s.real(1) * 1e6) / 1e6); });
    const bool tasks = sel.run("SELECT count(*) FROM sel JOIN task t ON t.rowid = sel.rid "
                               "WHERE t.usage IS NOT NULL AND t.usage <> '{}'",
                               [&a](SqliteStatement &s) { a.tasksWithUsage = s.int64(0); });
    return sums && tasks;
}

bool reviewLoad(const Selection &sel, ReportAggregates &a)
{
    // A pull request counts once per team and day, against the template of its task (or the
    // task's campaign).
    return sel.run(
        "SELECT j.value, date(p.created_at / 1000, 'unixepoch'), "
        "coalesce(t.template_id, c.template_id), coalesce(t.template_version, "
        "c.template_version), count(DISTINCT p.repo || '#' || p.number) FROM sel JOIN task t ON "
        "t.rowid = sel.rid JOIN pull_request p ON p.repo = t.repo AND p.number = t.pr_number "
        "LEFT JOIN campaign c ON c.id = t.campaign_id, json_each(CASE WHEN "
        "json_valid(p.requested_teams) THEN p.requested_teams END) j "
        "WHERE p.created_at IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        [&a](SqliteStatement &s) {
            a.reviewLoad << ReviewLoadEntry{s.text(0), dayOf(s, 1), s.text(2), s.text(3),
                                            s.int64(4)};
        });
}

bool byDay(const Selection &sel, ReportAggregates &a)
{
    const bool outcomes =
        sel.run("SELECT date(coalesce(t.started_at, t.created_at) / 1000, 'unixepoch') AS d, "
                "coalesce(t.state, 'unknown'), count(*) FROM sel JOIN task t ON t.rowid = sel.rid "
                "WHERE d IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
                [&a](SqliteStatement &s) {
                    a.outcomesByDay << DayStateCount{dayOf(s, 0), s.text(1), s.int64(2)};
                });
    const bool prs = sel.run(
        TASKTRAIL_PRS "SELECT d, sum(o), sum(m), sum(x) FROM ("
                      "SELECT date(created_at / 1000, 'unixepoch') AS d, 1 AS o, 0 AS m, 0 AS x "
                      "FROM prs UNION ALL SELECT date(merged_at / 1000, 'unixepoch'), 0, 1, 0 "
                      "FROM prs WHERE merged_at IS NOT NULL UNION ALL SELECT date(closed_at / "
                      "1000, 'unixepoch'), 0, 0, 1 FROM prs WHERE merged_at IS NULL AND "
                      "state = 'closed' AND closed_at IS NOT NULL) WHERE d IS NOT NULL "
                      "GROUP BY d ORDER BY d",
        [&a](SqliteStatement &s) {
            a.pullRequestsByDay << PullRequestDay{dayOf(s, 0), s.int64(1), s.int64(2), s.int64(3)};
        });
    return outcomes && prs;
}

bool durations(const Selection &sel, ReportAggregates &a)
{
    // The bucket bounds are the constants above, not input.
    QByteArray cases = "CASE";
    for (qsizetype i = 0; i + 1 < qsizetype(durationBuckets.size()); ++i)
        cases += " WHEN d < " + QByteArray::number(durationBuckets[size_t(i)].toMs) + " THEN " +
                 QByteArray::number(i);
    cases += " ELSE " + QByteArray::number(qsizetype(durationBuckets.size()) - 1) + " END";
    qint64 from = 0;
    for (const BucketBound &b : durationBuckets) {
        a.durations << DurationBucket{QString::fromLatin1(b.label), from, b.toMs, 0};
        from = b.toMs;
    }
    const QByteArray tail = "SELECT " + cases +
                            ", count(*) FROM (SELECT t.completed_at - t.started_at AS d FROM "
                            "sel JOIN task t ON t.rowid = sel.rid WHERE t.started_at IS NOT NULL "
                            "AND t.completed_at >= t.started_at) GROUP BY 1";
    return sel.run(tail.constData(), [&a](SqliteStatement &s) {
        const qsizetype i = qsizetype(s.int64(0));
        if (i >= 0 && i < a.durations.size())
            a.durations[i].count = s.int64(1);
    });
}

bool repositoryRows(const Selection &sel, ReportAggregates &a)
{
    return sel.run(
        "SELECT t.repo, count(*), sum(t.state = 'completed'), sum(t.state IN ('failed', "
        "'timed_out')), sum(t.pr_number IS NOT NULL), sum(p.merged_at IS NOT NULL), "
        "sum(coalesce(t.retries, 0)), sum((SELECT count(*) FROM finding f WHERE f.task_id = "
        "t.id)) FROM sel JOIN task t ON t.rowid = sel.rid LEFT JOIN pull_request p ON "
        "p.repo = t.repo AND p.number = t.pr_number GROUP BY t.repo ORDER BY t.repo",
        [&a](SqliteStatement &s) {
            RepoReportRow r;
            r.repo = s.text(0);
            r.tasks = s.int64(1);
            r.completed = s.int64(2);
            r.failed = s.int64(3);
            r.prsOpened = s.int64(4);
            r.prsMerged = s.int64(5);
            r.retries = s.int64(6);
            r.findings = s.int64(7);
            a.repos << r;
        });
}

bool skips(sqlite3 *db, const TaskFilter &filter, ReportAggregates &a)
{
    const TaskFilterClause where = decisionClause(filter);
    const QByteArray from = " FROM repo_decision d LEFT JOIN campaign c ON c.id = d.campaign_id";
    const bool grouped =
        Selection::runClause(db,
                             "SELECT coalesce(d.rule, ''), count(*), min(d.reason)" + from +
                                 where.sql + " GROUP BY 1 ORDER BY 2 DESC, 1",
                             where, [&a](SqliteStatement &s) {
                                 a.skipReasons << SkipReasonCount{s.text(0), s.text(2), s.int64(1)};
                                 a.skippedRepos += s.int64(1);
                             });
    const bool listed = Selection::runClause(
        db,
        "SELECT d.campaign_id, d.repo, d.rule, d.reason, d.decided_at" + from + where.sql +
            " ORDER BY d.campaign_id, d.repo",
        where, [&a](SqliteStatement &s) {
            a.skipped << SkippedRepo{s.text(0), s.text(1), s.text(2), s.text(3), s.dateTime(4)};
        });
    // Skipped repositories join the per-repository table.
    QMap<QString, qsizetype> rowOf;
    for (qsizetype i = 0; i < a.repos.size(); ++i)
        rowOf.insert(a.repos[i].repo, i);
    for (const SkippedRepo &skip : std::as_const(a.skipped)) {
        auto it = rowOf.find(skip.repo);
        if (it == rowOf.end()) {
            it = rowOf.insert(skip.repo, a.repos.size());
            RepoReportRow row;
            row.repo = skip.repo;
            a.repos << row;
        }
        RepoReportRow &row = a.repos[*it];
        ++row.skipped;
        row.skipRule = skip.rule;
        row.skipReason = skip.reason;
    }
    std::sort(a.repos.begin(), a.repos.end(),
              [](const RepoReportRow &l, const RepoReportRow &r) { return l.repo < r.repo; });
    return grouped && listed;
}

} // namespace

std::optional<ReportAggregates> SqliteStore::reportAggregates(const TaskFilter &filter)
{
    const Selection sel(m_db, filter);
    ReportAggregates a;
    const bool ok = countStates(sel, a) && countPullRequests(sel, a) && medians(sel, a) &&
                    countFindings(sel, a) && sumUsage(sel, a) && reviewLoad(sel, a) &&
                    byDay(sel, a) && durations(sel, a) && repositoryRows(sel, a) &&
                    skips(m_db, filter, a);
    if (!ok) {
        fail(u"report query failed"_s);
        return std::nullopt;
    }
    return a;
}

} // namespace Tasktrail
