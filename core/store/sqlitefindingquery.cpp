// Conformance findings: storing a task's findings, reading them under a filter, and the task
// lists the checker walks.
#include "findingtriagesql.h"
#include "recordredaction.h"
#include "sqlitefindingrow.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <functional>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

Severity severityAt(const SqliteStatement &stmt, int column)
{
    return Severity(qBound(int(Severity::Info), int(stmt.int64(column)), int(Severity::Critical)));
}

QStringList readIds(SqliteStatement &stmt)
{
    QStringList ids;
    while (stmt.next())
        ids << stmt.text(0);
    stmt.reset();
    return ids;
}

} // namespace

bool SqliteStore::replaceFindings(const QString &task, const QList<Finding> &given)
{
    QString taskId = task;
    QList<Finding> findings = given;
    m_redactions += RecordRedaction::redactKey(taskId);
    for (Finding &f : findings)
        m_redactions += RecordRedaction::redact(f);
    auto &del = statement("DELETE FROM finding WHERE task_id = ?");
    del.bind(1, taskId);
    if (!run(del))
        return false;
    auto &ins = statement(
        "INSERT INTO finding (task_id, rule, severity, message, evidence_kind, evidence_ref, "
        "command_seq, line_no, at, template_id, template_version, policy_id, policy_version, "
        "checked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    const QDateTime checkedAt = QDateTime::currentDateTimeUtc();
    auto &checked =
        statement("INSERT OR REPLACE INTO task_check (task_id, checked_at) VALUES (?, ?)");
    checked.bind(1, taskId);
    checked.bind(2, checkedAt);
    if (!run(checked))
        return false;
    for (const Finding &f : findings) {
        ins.bind(1, taskId);
        ins.bind(2, f.rule);
        ins.bind(3, int(f.severity));
        ins.bind(4, f.message);
        ins.bind(5, toString(f.evidenceKind));
        ins.bind(6, f.evidenceRef);
        ins.bind(7, f.commandSeq > 0 ? std::optional<int>(f.commandSeq) : std::nullopt);
        ins.bind(8, f.lineNo > 0 ? std::optional<qint64>(f.lineNo) : std::nullopt);
        ins.bind(9, f.at);
        ins.bind(10, f.templateId);
        ins.bind(11, f.templateVersion);
        ins.bind(12, f.policyId);
        ins.bind(13, f.policyVersion);
        ins.bind(14, checkedAt);
        if (!run(ins))
            return false;
    }
    return true;
}

namespace {

// The WHERE clause of a FindingFilter, built from the fixed fragments below only; every value
// is bound.
struct FindingWhere
{
    QByteArray sql;
    QList<std::function<void(SqliteStatement &, int)>> binders;

    template<typename T> void add(const char *fragment, T value)
    {
        sql += sql.isEmpty() ? " WHERE " : " AND ";
        sql += fragment;
        binders << [value](SqliteStatement &s, int i) { s.bind(i, value); };
    }
    int bindAll(SqliteStatement &stmt) const
    {
        int index = 1;
        for (const auto &bind : binders)
            bind(stmt, index++);
        return index;
    }
};

FindingWhere findingWhere(const FindingFilter &filter)
{
    FindingWhere where;
    if (!filter.taskId.isEmpty())
        where.add("f.task_id = ?", filter.taskId);
    if (filter.minSeverity)
        where.add("f.severity >= ?", int(*filter.minSeverity));
    if (filter.severity)
        where.add("f.severity = ?", int(*filter.severity));
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

// A sorted column as SQL: the column of its finding_sort_* index, NOT NULL, so a row value
// (column, id) seeks that index.
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

} // namespace

QList<Finding> SqliteStore::findings(const FindingFilter &filter)
{
    const FindingWhere where = findingWhere(filter);
    const QByteArray sql =
        "SELECT " TASKTRAIL_FINDING_COLUMNS ", f.id, " TASKTRAIL_TRIAGE_COLUMNS
        " FROM finding f LEFT JOIN task t ON t.id = f.task_id" TASKTRAIL_TRIAGE_JOIN +
        where.sql +
        " ORDER BY coalesce(t.started_at, t.created_at) DESC, f.task_id, f.severity DESC, f.id "
        "LIMIT ?";
    QList<Finding> out;
    // The checks ask for each task's findings in turn: one statement per shape of filter.
    SqliteStatement &stmt = statement(sql);
    if (!stmt.isValid()) {
        fail(u"finding query could not be prepared"_s);
        return out;
    }
    const int index = where.bindAll(stmt);
    stmt.bind(index, filter.limit > 0 ? filter.limit : -1); // SQLite: a negative limit is none
    while (stmt.next()) {
        out << findingAt(stmt);
        out.last().id = stmt.int64(13);
        out.last().triage = triageAt(stmt, 14);
    }
    stmt.reset();
    return out;
}

namespace {

// What a key holds as the time of a task without one: the smallest, so such tasks come last
// in the default (newest first) order, as SQL puts NULL last in a descending one.
constexpr qint64 noTaskTime = -9223372036854775807LL;

// Reads one page of findings, range after range, each range one statement that seeks an
// index: the filter's terms follow the range's own parameters (?1..?n), so plain ones count
// on from there.
class FindingPageReader
{
public:
    FindingPageReader(sqlite3 *db, const FindingFilter &filter)
        : m_db(db)
        , m_where(findingWhere(filter))
        , m_limit(filter.limit > 0 ? filter.limit : -1)
    {
        if (!m_where.sql.isEmpty())
            m_filterTerms = " AND " + m_where.sql.mid(int(qstrlen(" WHERE ")));
    }

    // Appends the findings of `tables` under `range` in `order` until the page is full;
    // false when the statement failed.
    bool read(const QByteArray &tables, const QByteArray &range, const QByteArray &order,
              const std::function<int(SqliteStatement &)> &bindRange)
    {
        if (full())
            return true;
        const QByteArray sql =
            "SELECT " TASKTRAIL_FINDING_COLUMNS ", f.id, coalesce(t.started_at, t.created_at, "
            "-9223372036854775807), " TASKTRAIL_TRIAGE_COLUMNS +
            tables + TASKTRAIL_TRIAGE_JOIN " WHERE " + range + m_filterTerms + order + " LIMIT ?";
        SqliteStatement stmt(m_db, sql.constData());
        if (!stmt.isValid())
            return false;
        int index = bindRange(stmt);
        for (const auto &bind : m_where.binders)
            bind(stmt, index++);
        stmt.bind(index, m_limit < 0 ? qint64(-1) : qint64(m_limit - m_out.size()));
        while (stmt.next()) {
            KeyedFinding keyed{findingAt(stmt), {}};
            keyed.finding.id = stmt.int64(13);
            keyed.finding.triage = triageAt(stmt, 15);
            keyed.key = {stmt.int64(13), stmt.int64(14), keyed.finding.taskId,
                         int(keyed.finding.severity), keyed.finding.rule};
            m_out << keyed;
        }
        return stmt.lastResult() == SQLITE_DONE;
    }

    bool full() const { return m_limit >= 0 && m_out.size() >= m_limit; }
    QList<KeyedFinding> take() { return std::move(m_out); }
    sqlite3 *db() const { return m_db; }

private:
    sqlite3 *m_db;
    FindingWhere m_where;
    QByteArray m_filterTerms;
    qsizetype m_limit;
    QList<KeyedFinding> m_out;
};

// A sorted column: a seek to the key on that column's finding_sort_* index.
bool readSortedFindingPage(FindingPageReader &reader, const FindingSort &sort,
                           const std::optional<FindingKey> &after)
{
    const char *column = findingSortColumnSql(sort.column);
    const QByteArray dir = sort.descending ? " DESC" : " ASC";
    const QByteArray order = QByteArray(" ORDER BY ") + column + dir + ", f.id" + dir;
    const QByteArray tables = " FROM finding f JOIN task t ON t.id = f.task_id";
    if (!after)
        return reader.read(tables, "1", order, [](SqliteStatement &) { return 1; });
    const QByteArray seek =
        QByteArray("(") + column + ", f.id)" + (sort.descending ? " < " : " > ") + "(?1, ?2)";
    return reader.read(tables, seek, order, [&sort, &after](SqliteStatement &stmt) {
        if (sort.column == FindingSortColumn::Severity)
            stmt.bind(1, after->severity);
        else
            stmt.bind(1, sort.column == FindingSortColumn::Rule ? after->rule : after->taskId);
        stmt.bind(2, after->id);
        return 3;
    });
}

// The default order: newest task first (task_order), then the task's findings most severe
// first. A page walks the tasks from the key's one on and reads each task's findings by
// finding_sort_task, so a page deep in the table costs what the first one does. It reads
// the rest of the key's task, then the tasks with the key's time and a later id, then the
// older ones, then those without a time: each range is one seek.
bool readDefaultFindingPage(FindingPageReader &reader, const FindingFilter &filter,
                            const std::optional<FindingKey> &after)
{
    // Walking the tasks in order suits every filter but a repository's: its own index finds
    // its few tasks, whose findings are then sorted.
    const QByteArray tasks = filter.repo.isEmpty() && hasIndex(reader.db(), "task_order")
                                 ? " FROM task t INDEXED BY task_order JOIN finding f ON "
                                   "f.task_id = t.id"
                                 : " FROM task t JOIN finding f ON f.task_id = t.id";
    const QByteArray taskTime = "coalesce(t.started_at, t.created_at)";
    const QByteArray byTask = " ORDER BY t.id, f.severity DESC, f.id";
    const QByteArray newestFirst = " ORDER BY " + taskTime + " DESC, t.id, f.severity DESC, f.id";
    const auto none = [](SqliteStatement &) { return 1; };
    if (!after)
        return reader.read(tasks, "1", newestFirst, none);
    const bool timeless = after->taskTime == noTaskTime;
    const auto bindTime = [&after](SqliteStatement &stmt) {
        stmt.bind(1, after->taskTime);
        return 2;
    };
    return reader.read(" FROM task t JOIN finding f ON f.task_id = t.id",
                       "t.id = ?1 AND (f.severity < ?2 OR (f.severity = ?2 AND f.id > ?3))",
                       " ORDER BY f.severity DESC, f.id",
                       [&after](SqliteStatement &stmt) {
                           stmt.bind(1, after->taskId);
                           stmt.bind(2, after->severity);
                           stmt.bind(3, after->id);
                           return 4;
                       }) &&
           reader.read(
               tasks,
               QByteArray(taskTime + (timeless ? " IS NULL AND t.id > ?1" : " = ?2 AND t.id > ?1")),
               byTask,
               [&after, timeless](SqliteStatement &stmt) {
                   stmt.bind(1, after->taskId);
                   if (timeless)
                       return 2;
                   stmt.bind(2, after->taskTime);
                   return 3;
               }) &&
           (timeless ||
            (reader.read(tasks, QByteArray(taskTime + " < ?1"), newestFirst, bindTime) &&
             reader.read(tasks, QByteArray(taskTime + " IS NULL"), byTask, none)));
}

} // namespace

QList<KeyedFinding> SqliteStore::findingPage(const FindingFilter &filter, const FindingSort &sort,
                                             const std::optional<FindingKey> &after)
{
    FindingPageReader reader(m_db, filter);
    const bool ok = sort.column == FindingSortColumn::Default
                        ? readDefaultFindingPage(reader, filter, after)
                        : readSortedFindingPage(reader, sort, after);
    if (!ok)
        fail(u"finding page could not be read"_s);
    return reader.take();
}

Finding findingAt(const SqliteStatement &stmt)
{
    Finding f;
    f.taskId = stmt.text(0);
    f.rule = stmt.text(1);
    f.severity = severityAt(stmt, 2);
    f.message = stmt.text(3);
    f.evidenceKind = evidenceKindFromString(stmt.text(4));
    f.evidenceRef = stmt.text(5);
    f.commandSeq = int(stmt.int64(6));
    f.lineNo = stmt.int64(7);
    f.at = stmt.dateTime(8);
    f.templateId = stmt.text(9);
    f.templateVersion = stmt.text(10);
    f.policyId = stmt.text(11);
    f.policyVersion = stmt.text(12);
    return f;
}

FindingTriage triageAt(const SqliteStatement &stmt, int column)
{
    FindingTriage t;
    if (stmt.isNull(column))
        return t;
    t.state = triageStateFromString(stmt.text(column)).value_or(TriageState::New);
    t.by = stmt.text(column + 1);
    t.at = stmt.dateTime(column + 2);
    t.note = stmt.text(column + 3);
    return t;
}

// Findings no check can have given: of a task that is not stored, or never checked. The
// findings of checked tasks are recomputed above the store (policy/findingsverify.cpp).
void SqliteStore::verifyStoredChecks(EvidenceReport &report)
{
    auto &rows = statement(
        "SELECT 'finding', f.task_id, f.id, t.id IS NULL FROM finding f LEFT JOIN task t ON "
        "t.id = f.task_id WHERE t.id IS NULL OR NOT EXISTS (SELECT 1 FROM task_check c WHERE "
        "c.task_id = f.task_id) UNION ALL SELECT 'task_check', c.task_id, NULL, 1 FROM "
        "task_check c WHERE NOT EXISTS (SELECT 1 FROM task t WHERE t.id = c.task_id) "
        "ORDER BY 1, 2, 3");
    while (rows.next()) {
        const bool finding = rows.text(0) == u"finding";
        const QString problem =
            !finding ? u"a check of a task that is not stored"_s
            : rows.int64(3) != 0
                ? u"row %1: a finding of a task that is not stored"_s.arg(rows.int64(2))
                : u"row %1: a finding of a task that was never checked"_s.arg(rows.int64(2));
        report.problems << EvidenceProblem{0, rows.text(0), rows.text(1), problem};
    }
    if (rows.lastResult() != SQLITE_DONE)
        report.problems << EvidenceProblem{0, u"finding"_s, {}, u"cannot check: "_s % m_error};
    rows.reset();
}

QList<StoredFinding> SqliteStore::storedFindings(const QString &taskId)
{
    auto &stmt = statement("SELECT " TASKTRAIL_FINDING_COLUMNS ", f.id FROM finding f "
                           "WHERE f.task_id = ? ORDER BY f.id");
    stmt.bind(1, taskId);
    QList<StoredFinding> out;
    while (stmt.next())
        out << StoredFinding{stmt.int64(13), findingAt(stmt)};
    stmt.reset();
    return out;
}

std::optional<StoredFinding> SqliteStore::storedFinding(qint64 id)
{
    auto &stmt = statement("SELECT " TASKTRAIL_FINDING_COLUMNS ", f.id FROM finding f "
                           "WHERE f.id = ?");
    stmt.bind(1, id);
    std::optional<StoredFinding> out;
    if (stmt.next())
        out = StoredFinding{stmt.int64(13), findingAt(stmt)};
    stmt.reset();
    return out;
}

QStringList SqliteStore::uncheckedTaskIds(const QString &after, int limit)
{
    auto &stmt = statement("SELECT id FROM task t WHERE id > ? AND NOT EXISTS (SELECT 1 FROM "
                           "task_check c WHERE c.task_id = t.id) ORDER BY id LIMIT ?");
    stmt.bind(1, after.isNull() ? u""_s : after);
    stmt.bind(2, limit);
    return readIds(stmt);
}

std::optional<QDateTime> SqliteStore::checkedAt(const QString &taskId)
{
    auto &stmt = statement("SELECT checked_at FROM task_check WHERE task_id = ?");
    stmt.bind(1, taskId);
    std::optional<QDateTime> at;
    if (stmt.next())
        at = stmt.dateTime(0);
    stmt.reset();
    return at;
}

std::optional<Severity> SqliteStore::worstFinding(const QString &taskId)
{
    auto &stmt = statement("SELECT max(severity) FROM finding WHERE task_id = ?");
    stmt.bind(1, taskId);
    std::optional<Severity> worst;
    if (stmt.next() && !stmt.isNull(0))
        worst = severityAt(stmt, 0);
    stmt.reset();
    return worst;
}

int SqliteStore::findingCount(const QString &taskId)
{
    auto &stmt = statement("SELECT count(*) FROM finding WHERE task_id = ?");
    stmt.bind(1, taskId);
    const int n = stmt.next() ? int(stmt.int64(0)) : 0;
    stmt.reset();
    return n;
}

QStringList SqliteStore::findingFacetValues(FindingFacet facet)
{
    auto &stmt = facet == FindingFacet::Rule
                     ? statement("SELECT DISTINCT rule FROM finding ORDER BY rule")
                     : statement("SELECT DISTINCT t.identity_id FROM finding f JOIN task t ON "
                                 "t.id = f.task_id WHERE t.identity_id <> '' ORDER BY 1");
    return readIds(stmt);
}

QStringList SqliteStore::taskIdsUsing(const QString &templateOrPolicyId, const QString &version,
                                      bool isTemplate, const QString &after, int limit)
{
    // A task that names no template (policy) inherits its campaign's, as templateRef() and
    // policyRef() do. Both halves seek: the tasks that name it in id order (task_template_use,
    // task_policy_use), and those of the campaigns that name it (task_campaign), which are
    // few; a page never reads the whole task table.
    auto &stmt =
        isTemplate
            ? statement("SELECT id FROM task WHERE template_id = ?1 AND (?2 IS NULL OR "
                        "coalesce(template_version, '') = ?2) AND id > ?3 UNION SELECT t.id FROM "
                        "campaign c CROSS JOIN task t ON t.campaign_id = c.id WHERE "
                        "c.template_id = ?1 AND (?2 IS NULL OR coalesce(c.template_version, '') "
                        "= ?2) AND coalesce(t.template_id, '') = '' AND t.id > ?3 ORDER BY 1 "
                        "LIMIT ?4")
            : statement("SELECT id FROM task WHERE policy_id = ?1 AND (?2 IS NULL OR "
                        "coalesce(policy_version, '') = ?2) AND id > ?3 UNION SELECT t.id FROM "
                        "campaign c CROSS JOIN task t ON t.campaign_id = c.id WHERE "
                        "c.policy_id = ?1 AND (?2 IS NULL OR coalesce(c.policy_version, '') = ?2) "
                        "AND coalesce(t.policy_id, '') = '' AND t.id > ?3 ORDER BY 1 LIMIT ?4");
    stmt.bind(1, templateOrPolicyId);
    stmt.bind(2, version.isEmpty() ? QString() : version);
    stmt.bind(3, after.isNull() ? u""_s : after);
    stmt.bind(4, limit);
    return readIds(stmt);
}

QStringList SqliteStore::taskIds(int offset, int limit)
{
    auto &stmt = statement("SELECT id FROM task ORDER BY id LIMIT ? OFFSET ?");
    stmt.bind(1, limit);
    stmt.bind(2, offset);
    return readIds(stmt);
}

QStringList SqliteStore::taskIdsForPullRequest(const QString &repo, int number)
{
    auto &stmt = statement("SELECT id FROM task WHERE repo = ? AND pr_number = ? ORDER BY id");
    stmt.bind(1, repo);
    stmt.bind(2, number);
    return readIds(stmt);
}

QStringList SqliteStore::taskIdsForSession(const QString &sessionId)
{
    auto &stmt = statement("SELECT task_id FROM task_session WHERE id = ? ORDER BY task_id");
    stmt.bind(1, sessionId);
    return readIds(stmt);
}

} // namespace Tasktrail
