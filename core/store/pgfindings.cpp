// PgStore's FindingStore: a task's findings written in the caller's batch, read under a filter
// and in keyset pages, and the task lists the checker walks. The same SQL, order and results
// as sqlitefindingquery.cpp; every value bound.
#include "findingtriagesql.h"
#include "pgrows.h"
#include "pgstore.h"
#include "recordredaction.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// What a key holds as the time of a task without one: the smallest, so such tasks come last
// in the default (newest first) order, as SQL puts NULL last in a descending one.
constexpr qint64 noTaskTime = -9223372036854775807LL;

Severity severityAt(const PgResult &r, int row, int column)
{
    return Severity(
        qBound(int(Severity::Info), int(r.int64(row, column)), int(Severity::Critical)));
}

QDateTime timeAt(const PgResult &r, int row, int column)
{
    return r.isNull(row, column)
               ? QDateTime()
               : QDateTime::fromMSecsSinceEpoch(r.int64(row, column), QTimeZone::utc());
}

Finding findingAt(const PgResult &r, int row)
{
    return pgFindingAt(r, row);
}

} // namespace

Finding pgFindingAt(const PgResult &r, int row)
{
    Finding f;
    f.taskId = r.text(row, 0);
    f.rule = r.text(row, 1);
    f.severity = severityAt(r, row, 2);
    f.message = r.text(row, 3);
    f.evidenceKind = evidenceKindFromString(r.text(row, 4));
    f.evidenceRef = r.text(row, 5);
    f.commandSeq = int(r.int64(row, 6));
    f.lineNo = r.int64(row, 7);
    f.at = timeAt(r, row, 8);
    f.templateId = r.text(row, 9);
    f.templateVersion = r.text(row, 10);
    f.policyId = r.text(row, 11);
    f.policyVersion = r.text(row, 12);
    return f;
}

namespace {} // namespace

FindingTriage pgTriageAt(const PgResult &r, int row, int column)
{
    FindingTriage t;
    if (r.isNull(row, column))
        return t;
    t.state = triageStateFromString(r.text(row, column)).value_or(TriageState::New);
    t.by = r.text(row, column + 1);
    t.at = timeAt(r, row, column + 2);
    t.note = r.text(row, column + 3);
    return t;
}

namespace {

QStringList idsOf(const PgResult &r)
{
    QStringList ids;
    for (int i = 0; i < r.rows(); ++i)
        ids << r.text(i, 0);
    return ids;
}

// The terms of a FindingFilter, built from the fixed fragments below only: each fragment's
// "?" becomes the next placeholder after the values `params` already holds, and its value is
// appended to them.
struct FindingWhere
{
    QByteArray terms; // "a AND b ...", empty for no filter
    PgParams &params;

    template<typename T> void add(const char *fragment, const T &value)
    {
        terms += terms.isEmpty() ? "" : " AND ";
        terms += QByteArray(fragment).replace("?", next());
        params.add(value);
    }
    // The placeholder of the next value.
    QByteArray next() const { return '$' + QByteArray::number(params.count() + 1); }
};

FindingWhere findingWhere(const FindingFilter &filter, PgParams &params)
{
    FindingWhere where{{}, params};
    if (!filter.taskId.isEmpty())
        where.add("f.task_id = ?", filter.taskId);
    if (filter.minSeverity)
        where.add("f.severity >= ?", qint64(*filter.minSeverity));
    if (filter.severity)
        where.add("f.severity = ?", qint64(*filter.severity));
    if (!filter.rule.isEmpty())
        where.add("f.rule = ?", filter.rule);
    if (!filter.repo.isEmpty())
        where.add("t.repo = ?", filter.repo);
    if (!filter.identityId.isEmpty())
        where.add("t.identity_id = ?", filter.identityId);
    // The policy the run was checked against: the task's own, or its campaign's.
    if (!filter.policyId.isEmpty())
        where.add("f.policy_id = ?", filter.policyId);
    if (filter.from.isValid())
        where.add("coalesce(t.started_at, t.created_at) >= ?", filter.from);
    if (filter.until.isValid())
        where.add("coalesce(t.started_at, t.created_at) < ?", filter.until);
    if (filter.triageState)
        where.add(TASKTRAIL_TRIAGE_STATE_TERM, toString(*filter.triageState));
    return where;
}

// A page's LIMIT: none (SQL NULL) when the filter sets no limit.
std::optional<qint64> limitOf(qsizetype limit)
{
    return limit < 0 ? std::nullopt : std::optional<qint64>(limit);
}

} // namespace

bool PgStore::replaceFindings(const QString &task, const QList<Finding> &given)
{
    QString taskId = task;
    QList<Finding> findings = given;
    m_redactions += RecordRedaction::redactKey(taskId);
    for (Finding &f : findings)
        m_redactions += RecordRedaction::redact(f);
    const QDateTime checkedAt = QDateTime::currentDateTimeUtc();
    if (!exec("DELETE FROM finding WHERE task_id = $1", PgParams().add(taskId)) ||
        !exec("INSERT INTO task_check (task_id, checked_at) VALUES ($1, $2) ON CONFLICT "
              "(task_id) DO UPDATE SET checked_at = excluded.checked_at",
              PgParams().add(taskId).add(checkedAt)))
        return false;
    for (const Finding &f : findings) {
        PgParams p;
        p.add(taskId).add(f.rule).add(qint64(f.severity)).add(f.message);
        p.add(toString(f.evidenceKind)).add(f.evidenceRef);
        p.add(f.commandSeq > 0 ? std::optional<qint64>(f.commandSeq) : std::nullopt);
        p.add(f.lineNo > 0 ? std::optional<qint64>(f.lineNo) : std::nullopt);
        p.add(f.at).add(f.templateId).add(f.templateVersion).add(f.policyId);
        p.add(f.policyVersion).add(checkedAt);
        if (!exec("INSERT INTO finding (task_id, rule, severity, message, evidence_kind, "
                  "evidence_ref, command_seq, line_no, at, template_id, template_version, "
                  "policy_id, policy_version, checked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                  "$8, $9, $10, $11, $12, $13, $14)",
                  p))
            return false;
    }
    return true;
}

QList<Finding> PgStore::findings(const FindingFilter &filter)
{
    PgParams params;
    const FindingWhere where = findingWhere(filter, params);
    const QByteArray sql =
        "SELECT " TASKTRAIL_PG_FINDING_COLUMNS ", f.id, " TASKTRAIL_TRIAGE_COLUMNS
        " FROM finding f LEFT JOIN task t ON t.id = f.task_id" TASKTRAIL_TRIAGE_JOIN +
        (where.terms.isEmpty() ? QByteArray() : " WHERE " + where.terms) +
        " ORDER BY coalesce(t.started_at, t.created_at) DESC NULLS LAST, f.task_id, f.severity "
        "DESC, f.id "
        "LIMIT " +
        where.next();
    params.add(limitOf(filter.limit > 0 ? filter.limit : -1));
    const PgResult r = run(sql.constData(), params);
    QList<Finding> out;
    for (int i = 0; i < r.rows(); ++i) {
        out << findingAt(r, i);
        out.last().id = r.int64(i, 13);
        out.last().triage = pgTriageAt(r, i, 14);
    }
    return out;
}

namespace {

// Reads one page of findings, range after range, each range one statement that seeks an
// index: the range's own parameters come first ($1..$n), the filter's terms after them.
class PgFindingPageReader
{
public:
    PgFindingPageReader(PgConnection &db, const FindingFilter &filter)
        : m_db(db)
        , m_filter(filter)
        , m_limit(filter.limit > 0 ? filter.limit : -1)
    {}

    // Appends the findings of `tables` under `range` (bound to `rangeParams`) in `order` until
    // the page is full; false when the statement failed.
    bool read(const QByteArray &tables, const QByteArray &range, const QByteArray &order,
              const PgParams &rangeParams)
    {
        if (full())
            return true;
        PgParams params = rangeParams;
        const FindingWhere where = findingWhere(m_filter, params);
        const QByteArray sql = "SELECT " TASKTRAIL_PG_FINDING_COLUMNS
                               ", f.id, coalesce(t.started_at, t.created_at, "
                               "-9223372036854775807), " TASKTRAIL_TRIAGE_COLUMNS +
                               tables + TASKTRAIL_TRIAGE_JOIN " WHERE " + range +
                               (where.terms.isEmpty() ? QByteArray() : " AND " + where.terms) +
                               order + " LIMIT " + where.next();
        params.add(limitOf(m_limit < 0 ? -1 : m_limit - m_out.size()));
        const PgResult r = m_db.query(sql.constData(), params);
        if (!r.ok())
            return false;
        for (int i = 0; i < r.rows(); ++i) {
            KeyedFinding keyed{findingAt(r, i), {}};
            keyed.finding.id = r.int64(i, 13);
            keyed.finding.triage = pgTriageAt(r, i, 15);
            keyed.key = {r.int64(i, 13), r.int64(i, 14), keyed.finding.taskId,
                         int(keyed.finding.severity), keyed.finding.rule};
            m_out << keyed;
        }
        return true;
    }

    bool full() const { return m_limit >= 0 && m_out.size() >= m_limit; }
    QList<KeyedFinding> take() { return std::move(m_out); }

private:
    PgConnection &m_db;
    FindingFilter m_filter;
    qsizetype m_limit;
    QList<KeyedFinding> m_out;
};

const char *findingSortColumnSql(FindingSortColumn column)
{
    switch (column) {
    case FindingSortColumn::Severity:
        return "f.severity";
    case FindingSortColumn::Rule:
        return "f.rule";
    case FindingSortColumn::Task:
        return "f.task_id";
    case FindingSortColumn::Default:
        break;
    }
    return nullptr;
}

// A sorted column: a seek to the key on that column's finding_sort_* index.
bool readSortedFindingPage(PgFindingPageReader &reader, const FindingSort &sort,
                           const std::optional<FindingKey> &after)
{
    const char *column = findingSortColumnSql(sort.column);
    const QByteArray dir = sort.descending ? " DESC" : " ASC";
    const QByteArray order = QByteArray(" ORDER BY ") + column + dir + ", f.id" + dir;
    const QByteArray tables = " FROM finding f JOIN task t ON t.id = f.task_id";
    if (!after)
        return reader.read(tables, "true", order, {});
    const QByteArray seek =
        QByteArray("(") + column + ", f.id)" + (sort.descending ? " < " : " > ") + "($1, $2)";
    PgParams p;
    if (sort.column == FindingSortColumn::Severity)
        p.add(qint64(after->severity));
    else
        p.add(sort.column == FindingSortColumn::Rule ? after->rule : after->taskId);
    return reader.read(tables, seek, order, p.add(after->id));
}

// The default order: newest task first (task_order), then the task's findings most severe
// first, read range by range as on SQLite: the rest of the key's task, the tasks with the
// key's time and a later id, the older ones, then those without a time.
bool readDefaultFindingPage(PgFindingPageReader &reader, const std::optional<FindingKey> &after)
{
    const QByteArray tasks = " FROM task t JOIN finding f ON f.task_id = t.id";
    const QByteArray taskTime = "coalesce(t.started_at, t.created_at)";
    const QByteArray byTask = " ORDER BY t.id, f.severity DESC, f.id";
    const QByteArray newestFirst = " ORDER BY " + taskTime + " DESC, t.id, f.severity DESC, f.id";
    // PostgreSQL sorts NULL first in a descending order, SQLite last: the tasks without a time
    // are read as a range of their own, after the others, on both.
    if (!after)
        return reader.read(tasks, QByteArray(taskTime + " IS NOT NULL"), newestFirst, {}) &&
               reader.read(tasks, QByteArray(taskTime + " IS NULL"), byTask, {});
    const bool timeless = after->taskTime == noTaskTime;
    PgParams sameTask;
    sameTask.add(after->taskId).add(qint64(after->severity)).add(after->id);
    PgParams sameTime;
    sameTime.add(after->taskId);
    if (!timeless)
        sameTime.add(after->taskTime);
    return reader.read(tasks, "t.id = $1 AND (f.severity < $2 OR (f.severity = $2 AND f.id > $3))",
                       " ORDER BY f.severity DESC, f.id", sameTask) &&
           reader.read(
               tasks,
               QByteArray(taskTime + (timeless ? " IS NULL AND t.id > $1" : " = $2 AND t.id > $1")),
               byTask, sameTime) &&
           (timeless || (reader.read(tasks, QByteArray(taskTime + " < $1"), newestFirst,
                                     PgParams().add(after->taskTime)) &&
                         reader.read(tasks, QByteArray(taskTime + " IS NULL"), byTask, {})));
}

} // namespace

QList<KeyedFinding> PgStore::findingPage(const FindingFilter &filter, const FindingSort &sort,
                                         const std::optional<FindingKey> &after)
{
    PgFindingPageReader reader(m_db, filter);
    const bool ok = sort.column == FindingSortColumn::Default
                        ? readDefaultFindingPage(reader, after)
                        : readSortedFindingPage(reader, sort, after);
    if (!ok)
        fail(u"finding page could not be read"_s);
    return reader.take();
}

QList<StoredFinding> PgStore::storedFindings(const QString &taskId)
{
    const PgResult r = run("SELECT " TASKTRAIL_PG_FINDING_COLUMNS ", f.id FROM finding f "
                           "WHERE f.task_id = $1 ORDER BY f.id",
                           PgParams().add(taskId));
    QList<StoredFinding> out;
    for (int i = 0; i < r.rows(); ++i)
        out << StoredFinding{r.int64(i, 13), findingAt(r, i)};
    return out;
}

std::optional<StoredFinding> PgStore::storedFinding(qint64 id)
{
    const PgResult r = run("SELECT " TASKTRAIL_PG_FINDING_COLUMNS ", f.id FROM finding f "
                           "WHERE f.id = $1",
                           PgParams().add(id));
    if (r.rows() == 0)
        return std::nullopt;
    return StoredFinding{r.int64(0, 13), findingAt(r, 0)};
}

QStringList PgStore::uncheckedTaskIds(const QString &after, int limit)
{
    return idsOf(run("SELECT id FROM task t WHERE id > $1 AND NOT EXISTS (SELECT 1 FROM "
                     "task_check c WHERE c.task_id = t.id) ORDER BY id LIMIT $2",
                     PgParams().add(after.isNull() ? u""_s : after).add(qint64(limit))));
}

std::optional<QDateTime> PgStore::checkedAt(const QString &taskId)
{
    const PgResult r =
        run("SELECT checked_at FROM task_check WHERE task_id = $1", PgParams().add(taskId));
    if (r.rows() == 0)
        return std::nullopt;
    return timeAt(r, 0, 0);
}

std::optional<Severity> PgStore::worstFinding(const QString &taskId)
{
    const PgResult r =
        run("SELECT max(severity) FROM finding WHERE task_id = $1", PgParams().add(taskId));
    if (r.rows() == 0 || r.isNull(0, 0))
        return std::nullopt;
    return severityAt(r, 0, 0);
}

int PgStore::findingCount(const QString &taskId)
{
    const PgResult r =
        run("SELECT count(*) FROM finding WHERE task_id = $1", PgParams().add(taskId));
    return r.rows() ? int(r.int64(0, 0)) : 0;
}

QStringList PgStore::findingFacetValues(FindingFacet facet)
{
    return idsOf(facet == FindingFacet::Rule
                     ? run("SELECT DISTINCT rule FROM finding ORDER BY rule", {})
                     : run("SELECT DISTINCT t.identity_id FROM finding f JOIN task t ON "
                           "t.id = f.task_id WHERE t.identity_id <> '' ORDER BY 1",
                           {}));
}

QStringList PgStore::taskIdsUsing(const QString &templateOrPolicyId, const QString &version,
                                  bool isTemplate, const QString &after, int limit)
{
    // A task that names no template (policy) inherits its campaign's, as templateRef() and
    // policyRef() do. $2 is NULL for any version.
    const PgParams p = PgParams()
                           .add(templateOrPolicyId)
                           .add(version.isEmpty() ? QString() : version)
                           .add(after.isNull() ? u""_s : after)
                           .add(qint64(limit));
    return idsOf(isTemplate
                     ? run("SELECT id FROM task WHERE template_id = $1 AND ($2::text IS NULL OR "
                           "coalesce(template_version, '') = $2) AND id > $3 UNION SELECT t.id "
                           "FROM task t JOIN campaign c ON c.id = t.campaign_id WHERE "
                           "coalesce(t.template_id, '') = '' AND c.template_id = $1 AND "
                           "($2::text IS NULL OR coalesce(c.template_version, '') = $2) AND "
                           "t.id > $3 ORDER BY 1 LIMIT $4",
                           p)
                     : run("SELECT id FROM task WHERE policy_id = $1 AND ($2::text IS NULL OR "
                           "coalesce(policy_version, '') = $2) AND id > $3 UNION SELECT t.id "
                           "FROM task t JOIN campaign c ON c.id = t.campaign_id WHERE "
                           "coalesce(t.policy_id, '') = '' AND c.policy_id = $1 AND ($2::text "
                           "IS NULL OR coalesce(c.policy_version, '') = $2) AND t.id > $3 "
                           "ORDER BY 1 LIMIT $4",
                           p));
}

} // namespace Tasktrail
