// Reports on PostgreSQL: the aggregates of sqlitereportquery.cpp over the same tasks
// (pgTaskFilter selects what taskFilterClause does), each one statement, with the same
// numbers, days and order. Where SQLite's SQL has no PostgreSQL twin: a boolean is counted
// with FILTER, not summed; a day is to_char() of the UTC time; a median is percentile_cont
// (the middle value, or the mean of the two); JSON is read through tasktrail_json(), NULL for
// a text that is not JSON, as SQLite's json_valid() guards json_each(); a nullable column is
// ordered NULLS FIRST, where SQLite puts NULL.
#include "pgstore.h"
#include "pgtaskfilter.h"

#include <QMap>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

using RowFn = std::function<void(const PgResult &, int)>;

bool runClause(PgConnection &db, const QByteArray &sql, const PgParams &params, const RowFn &row)
{
    const PgResult r = db.query(sql.constData(), params);
    for (int i = 0; r.ok() && i < r.rows(); ++i)
        row(r, i);
    return r.ok();
}

// Statements over `sel`, the keys of the selected tasks: "WITH sel AS (...) " + the tail,
// which may add further CTEs (", v AS (...) SELECT ...").
class Selection final
{
public:
    Selection(PgConnection &db, const TaskFilter &filter)
        : m_db(db)
        , m_where(pgTaskFilter(filter))
    {}

    bool run(const char *tail, const RowFn &row) const
    {
        const QByteArray sql = "WITH sel AS (SELECT t.key AS rid" + m_where.from() + m_where.sql +
                               ") " + QByteArray(tail);
        return runClause(m_db, sql, m_where.params, row);
    }

private:
    PgConnection &m_db;
    PgTaskFilter m_where;
};

#define TASKTRAIL_SEL_TASKS " FROM sel JOIN task t ON t.key = sel.rid "

// The distinct pull requests the selected tasks name, as CTE `prs`.
#define TASKTRAIL_PRS                                                                              \
    ", prs AS (SELECT p.created_at, p.merged_at, p.closed_at, p.state FROM (SELECT DISTINCT "      \
    "t.repo, t.pr_number" TASKTRAIL_SEL_TASKS "WHERE t.pr_number IS NOT NULL) k "                  \
    "JOIN pull_request p ON p.repo = k.repo AND p.number = k.pr_number) "

// The UTC day of a time in milliseconds, as SQLite's date(ms / 1000, 'unixepoch').
#define TASKTRAIL_DAY(ms) "to_char(to_timestamp((" ms ") / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"

QDate dayOf(const PgResult &r, int row, int column)
{
    return QDate::fromString(r.text(row, column), Qt::ISODate);
}

double realAt(const PgResult &r, int row, int column)
{
    return r.utf8(row, column).toDouble();
}

// The repository decisions a filter selects, as decisionClause() on SQLite: skips only, in the
// filter's campaign, repository, policy and time range.
PgTaskFilter decisionClause(const TaskFilter &f)
{
    PgTaskFilter c;
    if (!f.text.isEmpty()) {
        QString escaped = f.text;
        escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
        c.params.add(QLatin1Char('%') + escaped + QLatin1Char('%'));
        c.sql += " WHERE (d.repo ILIKE $1 ESCAPE '\\' OR d.reason ILIKE $1 ESCAPE '\\' "
                 "OR d.campaign_id ILIKE $1 ESCAPE '\\')";
    }
    c.sql += c.joiner() + "d.verdict = 'skipped'";
    if ((!f.state.isEmpty() && f.state != u"skipped") || !f.identityKind.isEmpty())
        c.sql += " AND false";
    if (!f.campaignId.isEmpty())
        c.add("d.campaign_id = ", f.campaignId);
    if (!f.repo.isEmpty())
        c.add("d.repo = ", f.repo);
    if (!f.policyId.isEmpty())
        c.add("c.policy_id = ", f.policyId);
    if (f.from.isValid())
        c.add("coalesce(d.decided_at, c.created_at) >= ", f.from);
    if (f.to.isValid())
        c.add("coalesce(d.decided_at, c.created_at) < ", f.to);
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
                   "coalesce(sum(coalesce(t.retries, 0)), 0), "
                   "count(*) FILTER (WHERE coalesce(t.retries, 0) > 0)" TASKTRAIL_SEL_TASKS
                   "GROUP BY 1",
                   [&a](const PgResult &r, int i) {
                       a.tasksByState.insert(r.text(i, 0), r.int64(i, 1));
                       a.tasks += r.int64(i, 1);
                       a.started += r.int64(i, 2);
                       a.retries += r.int64(i, 3);
                       a.tasksRetried += r.int64(i, 4);
                   });
}

bool countPullRequests(const Selection &sel, ReportAggregates &a)
{
    const bool counted =
        sel.run(TASKTRAIL_PRS "SELECT count(*), count(*) FILTER (WHERE merged_at IS NOT NULL), "
                              "count(*) FILTER (WHERE merged_at IS NULL AND state = 'closed') "
                              "FROM prs",
                [&a](const PgResult &r, int i) {
                    a.prsMerged = r.int64(i, 1);
                    a.prsClosedUnmerged = r.int64(i, 2);
                });
    // A task may name a pull request not ingested (yet): it counts as opened and open.
    const bool named =
        sel.run("SELECT count(*) FROM (SELECT DISTINCT t.repo, t.pr_number" TASKTRAIL_SEL_TASKS
                "WHERE t.pr_number IS NOT NULL) k",
                [&a](const PgResult &r, int i) { a.prsOpened = r.int64(i, 0); });
    a.prsOpen = a.prsOpened - a.prsMerged - a.prsClosedUnmerged;
    return counted && named;
}

// The median of the `v` column of a CTE.
std::optional<qint64> median(const Selection &sel, const char *tail, bool *ok)
{
    std::optional<qint64> out;
    *ok = sel.run(tail, [&out](const PgResult &r, int i) {
        if (!r.isNull(i, 0))
            out = qint64(std::llround(realAt(r, i, 0)));
    }) && *ok;
    return out;
}

#define TASKTRAIL_MEDIAN "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v) FROM v"

bool medians(const Selection &sel, ReportAggregates &a)
{
    bool ok = true;
    a.medianToPrMs =
        median(sel,
               ", v AS (SELECT p.created_at - t.started_at AS v" TASKTRAIL_SEL_TASKS
               "JOIN pull_request p ON p.repo = t.repo AND p.number = t.pr_number "
               "WHERE t.started_at IS NOT NULL AND p.created_at >= t.started_at) " TASKTRAIL_MEDIAN,
               &ok);
    a.medianToMergeMs = median(sel,
                               TASKTRAIL_PRS ", v AS (SELECT merged_at - created_at AS v FROM "
                                             "prs WHERE merged_at >= created_at) " TASKTRAIL_MEDIAN,
                               &ok);
    return ok;
}

bool countFindings(const Selection &sel, ReportAggregates &a)
{
    const bool rules = sel.run("SELECT f.severity, f.rule, count(*)" TASKTRAIL_SEL_TASKS
                               "JOIN finding f ON f.task_id = t.id GROUP BY 1, 2",
                               [&a](const PgResult &r, int i) {
                                   const auto severity = Severity(qBound(0, int(r.int64(i, 0)), 4));
                                   a.findingsBySeverity[severity] += r.int64(i, 2);
                                   a.findingsByRule[r.text(i, 1)] += r.int64(i, 2);
                               });
    const bool tasks = sel.run(
        "SELECT count(DISTINCT f.task_id)" TASKTRAIL_SEL_TASKS "JOIN finding f ON f.task_id = t.id",
        [&a](const PgResult &r, int i) { a.tasksWithFindings = r.int64(i, 0); });
    return rules && tasks;
}

bool sumUsage(const Selection &sel, ReportAggregates &a)
{
    // The numbers of each key summed exactly (numeric), then rounded to a millionth as on
    // SQLite, whose sum a report must read the same as.
    const bool sums = sel.run(
        "SELECT j.key, sum((j.value #>> '{}')::numeric)" TASKTRAIL_SEL_TASKS
        "CROSS JOIN LATERAL (SELECT tasktrail_json(t.usage) AS doc) u "
        "CROSS JOIN LATERAL json_each(CASE WHEN json_typeof(u.doc) = 'object' THEN u.doc END) j "
        "WHERE json_typeof(j.value) = 'number' GROUP BY j.key",
        [&a](const PgResult &r, int i) {
            a.usage.insert(r.text(i, 0), std::round(realAt(r, i, 1) * 1e6) / 1e6);
        });
    const bool tasks = sel.run(
        "SELECT count(*)" TASKTRAIL_SEL_TASKS "WHERE t.usage IS NOT NULL AND t.usage <> '{}'",
        [&a](const PgResult &r, int i) { a.tasksWithUsage = r.int64(i, 0); });
    return sums && tasks;
}

bool reviewLoad(const Selection &sel, ReportAggregates &a)
{
    // A pull request counts once per team and day, against the template of its task (or the
    // task's campaign).
    return sel.run(
        "SELECT j.value COLLATE \"C\", " TASKTRAIL_DAY(
            "p.created_at") ", "
                            "coalesce(t.template_id, c.template_id), coalesce(t.template_version, "
                            "c.template_version), count(DISTINCT p.repo || '#' || "
                            "p.number)" TASKTRAIL_SEL_TASKS
                            "JOIN pull_request p ON p.repo = t.repo AND p.number = t.pr_number "
                            "LEFT JOIN campaign c ON c.id = t.campaign_id "
                            "CROSS JOIN LATERAL (SELECT tasktrail_json(p.requested_teams) AS doc) "
                            "u "
                            "CROSS JOIN LATERAL json_array_elements_text(CASE WHEN "
                            "json_typeof(u.doc) = 'array' "
                            "THEN u.doc END) j(value) WHERE p.created_at IS NOT NULL GROUP BY 1, "
                            "2, 3, 4 "
                            "ORDER BY 1 NULLS FIRST, 2 NULLS FIRST, 3 NULLS FIRST, 4 NULLS FIRST",
        [&a](const PgResult &r, int i) {
            a.reviewLoad << ReviewLoadEntry{r.text(i, 0), dayOf(r, i, 1), r.text(i, 2),
                                            r.text(i, 3), r.int64(i, 4)};
        });
}

// The day columns, named so the statements below read as their SQLite twins.
constexpr const char *taskDay = TASKTRAIL_DAY("coalesce(t.started_at, t.created_at)");
constexpr const char *createdDay = TASKTRAIL_DAY("created_at");
constexpr const char *mergedDay = TASKTRAIL_DAY("merged_at");
constexpr const char *closedDay = TASKTRAIL_DAY("closed_at");

bool byDay(const Selection &sel, ReportAggregates &a)
{
    const QByteArray outcomesSql = QByteArray("SELECT d, s, count(*) FROM (SELECT ") + taskDay +
                                   " AS d, coalesce(t.state, 'unknown') AS s" TASKTRAIL_SEL_TASKS
                                   ") x WHERE d IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2";
    const bool outcomes = sel.run(outcomesSql.constData(), [&a](const PgResult &r, int i) {
        a.outcomesByDay << DayStateCount{dayOf(r, i, 0), r.text(i, 1), r.int64(i, 2)};
    });
    const QByteArray prsSql =
        QByteArray(TASKTRAIL_PRS "SELECT d, sum(o), sum(m), sum(x) FROM (SELECT ") + createdDay +
        " AS d, 1 AS o, 0 AS m, 0 AS x FROM prs UNION ALL SELECT " + mergedDay +
        ", 0, 1, 0 FROM prs WHERE merged_at IS NOT NULL UNION ALL SELECT " + closedDay +
        ", 0, 0, 1 FROM prs WHERE merged_at IS NULL AND state = 'closed' AND closed_at IS NOT "
        "NULL) u WHERE d IS NOT NULL GROUP BY d ORDER BY d";
    const bool prs = sel.run(prsSql.constData(), [&a](const PgResult &r, int i) {
        a.pullRequestsByDay << PullRequestDay{dayOf(r, i, 0), r.int64(i, 1), r.int64(i, 2),
                                              r.int64(i, 3)};
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
    const QByteArray tail =
        "SELECT " + cases +
        ", count(*) FROM (SELECT t.completed_at - t.started_at AS d" TASKTRAIL_SEL_TASKS
        "WHERE t.started_at IS NOT NULL "
        "AND t.completed_at >= t.started_at) x GROUP BY 1";
    return sel.run(tail.constData(), [&a](const PgResult &r, int row) {
        const qsizetype i = qsizetype(r.int64(row, 0));
        if (i >= 0 && i < a.durations.size())
            a.durations[i].count = r.int64(row, 1);
    });
}

bool repositoryRows(const Selection &sel, ReportAggregates &a)
{
    return sel.run(
        "SELECT t.repo, count(*), count(*) FILTER (WHERE t.state = 'completed'), "
        "count(*) FILTER (WHERE t.state IN ('failed', 'timed_out')), count(t.pr_number), "
        "count(p.merged_at), coalesce(sum(coalesce(t.retries, 0)), 0), "
        "coalesce(sum((SELECT count(*) FROM finding f WHERE f.task_id = t.id)), "
        "0)" TASKTRAIL_SEL_TASKS "LEFT JOIN pull_request p ON p.repo = t.repo AND "
        "p.number = t.pr_number GROUP BY t.repo ORDER BY t.repo NULLS FIRST",
        [&a](const PgResult &r, int i) {
            RepoReportRow row;
            row.repo = r.text(i, 0);
            row.tasks = r.int64(i, 1);
            row.completed = r.int64(i, 2);
            row.failed = r.int64(i, 3);
            row.prsOpened = r.int64(i, 4);
            row.prsMerged = r.int64(i, 5);
            row.retries = r.int64(i, 6);
            row.findings = r.int64(i, 7);
            a.repos << row;
        });
}

bool skips(PgConnection &db, const TaskFilter &filter, ReportAggregates &a)
{
    const PgTaskFilter where = decisionClause(filter);
    const QByteArray from = " FROM repo_decision d LEFT JOIN campaign c ON c.id = d.campaign_id";
    const bool grouped =
        runClause(db,
                  "SELECT coalesce(d.rule, ''), count(*), min(d.reason)" + from + where.sql +
                      " GROUP BY 1 ORDER BY 2 DESC, 1",
                  where.params, [&a](const PgResult &r, int i) {
                      a.skipReasons << SkipReasonCount{r.text(i, 0), r.text(i, 2), r.int64(i, 1)};
                      a.skippedRepos += r.int64(i, 1);
                  });
    const bool listed = runClause(db,
                                  "SELECT d.campaign_id, d.repo, d.rule, d.reason, d.decided_at" +
                                      from + where.sql + " ORDER BY d.campaign_id, d.repo",
                                  where.params, [&a](const PgResult &r, int i) {
                                      a.skipped
                                          << SkippedRepo{r.text(i, 0), r.text(i, 1), r.text(i, 2),
                                                         r.text(i, 3), pgDateTime(r, i, 4)};
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

std::optional<ReportAggregates> PgStore::reportAggregates(const TaskFilter &filter)
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
