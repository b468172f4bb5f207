// Reports: the selected tasks a page at a time, and their findings.
#include "findingtriagesql.h"
#include "sqlitefindingrow.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"
#include "sqlitetaskfilter.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tasktrail {

QList<ReportTaskRow> SqliteStore::reportTasks(const TaskFilter &filter, int offset, int limit)
{
    // As tasks(): the page is picked on task alone, the joins run for its rows only.
    const TaskFilterClause where = taskFilterClause(filter);
    const QByteArray page = "SELECT t.rowid AS rid" + where.from() + where.sql +
                            " ORDER BY coalesce(t.started_at, t.created_at) DESC, t.id "
                            "LIMIT ? OFFSET ?";
    const QByteArray sql =
        "SELECT t.id, t.repo, t.campaign_id, t.state, r.requester, i.principal, i.kind, "
        "t.policy_id, t.policy_version, coalesce(t.template_id, c.template_id), "
        "coalesce(t.template_version, c.template_version), coalesce(t.started_at, "
        "t.created_at), t.completed_at, coalesce(t.retries, 0), t.pr_number, p.state, "
        "p.created_at, p.merged_at, t.usage, (SELECT count(*) FROM finding f WHERE f.task_id "
        "= t.id), (SELECT max(f.severity) FROM finding f WHERE f.task_id = t.id) FROM (" +
        page +
        ") AS page JOIN task t ON t.rowid = page.rid LEFT JOIN request r ON r.id = "
        "t.request_id LEFT JOIN identity i ON i.id = t.identity_id LEFT JOIN campaign c ON "
        "c.id = t.campaign_id LEFT JOIN pull_request p ON p.repo = t.repo AND p.number = "
        "t.pr_number ORDER BY coalesce(t.started_at, t.created_at) DESC, t.id";
    QList<ReportTaskRow> rows;
    SqliteStatement stmt(m_db, sql.constData());
    if (!stmt.isValid()) {
        fail(u"report task query could not be prepared"_s);
        return rows;
    }
    const int next = where.bindAll(stmt);
    stmt.bind(next, limit);
    stmt.bind(next + 1, offset);
    while (stmt.next()) {
        ReportTaskRow r;
        r.id = stmt.text(0);
        r.repo = stmt.text(1);
        r.campaignId = stmt.text(2);
        r.state = taskStateFromString(stmt.text(3));
        r.requester = stmt.text(4);
        r.principal = stmt.text(5);
        r.identityKind = identityKindFromString(stmt.text(6));
        r.policyId = stmt.text(7);
        r.policyVersion = stmt.text(8);
        r.templateId = stmt.text(9);
        r.templateVersion = stmt.text(10);
        r.startedAt = stmt.dateTime(11);
        r.completedAt = stmt.dateTime(12);
        r.retries = int(stmt.int64(13));
        r.prNumber = stmt.optionalInt(14);
        if (r.prNumber) {
            r.prOpenedAt = stmt.dateTime(16);
            r.prMergedAt = stmt.dateTime(17);
            r.prOutcome = r.prMergedAt.isValid()       ? u"merged"_s
                          : stmt.text(15) == u"closed" ? u"closed"_s
                                                       : u"open"_s;
        }
        if (!stmt.isNull(18))
            r.usage = QJsonDocument::fromJson(stmt.bytes(18)).object();
        r.findings = int(stmt.int64(19));
        if (!stmt.isNull(20))
            r.worstFinding = Severity(qBound(0, int(stmt.int64(20)), 4));
        rows << r;
    }
    return rows;
}

QList<Finding> SqliteStore::findingsOfTasks(const QStringList &taskIds)
{
    QList<Finding> out;
    if (taskIds.isEmpty())
        return out;
    // The ids are bound as one JSON array, so a page of tasks is one statement.
    auto &stmt = statement("SELECT " TASKTRAIL_FINDING_COLUMNS ", f.id, " TASKTRAIL_TRIAGE_COLUMNS
                           " FROM finding f" TASKTRAIL_TRIAGE_JOIN " WHERE f.task_id "
                           "IN (SELECT value FROM json_each(?)) "
                           "ORDER BY f.task_id, f.severity DESC, f.rule, f.id");
    stmt.bindList(1, taskIds);
    while (stmt.next()) {
        out << findingAt(stmt);
        out.last().id = stmt.int64(13);
        out.last().triage = triageAt(stmt, 14);
    }
    stmt.reset();
    return out;
}

} // namespace Tasktrail
