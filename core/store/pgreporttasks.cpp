// Reports on PostgreSQL: the selected tasks a page at a time, and their findings, as
// sqlitereporttasks.cpp gives them on SQLite.
#include "findingtriagesql.h"
#include "pgstore.h"
#include "pgtaskfilter.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

ReportTaskRow reportTaskAt(const PgResult &r, int i)
{
    ReportTaskRow row;
    row.id = r.text(i, 0);
    row.repo = r.text(i, 1);
    row.campaignId = r.text(i, 2);
    row.state = taskStateFromString(r.text(i, 3));
    row.requester = r.text(i, 4);
    row.principal = r.text(i, 5);
    row.identityKind = identityKindFromString(r.text(i, 6));
    row.policyId = r.text(i, 7);
    row.policyVersion = r.text(i, 8);
    row.templateId = r.text(i, 9);
    row.templateVersion = r.text(i, 10);
    row.startedAt = pgDateTime(r, i, 11);
    row.completedAt = pgDateTime(r, i, 12);
    row.retries = int(r.int64(i, 13));
    row.prNumber = pgOptionalInt(r, i, 14);
    if (row.prNumber) {
        row.prOpenedAt = pgDateTime(r, i, 16);
        row.prMergedAt = pgDateTime(r, i, 17);
        row.prOutcome = row.prMergedAt.isValid()     ? u"merged"_s
                        : r.text(i, 15) == u"closed" ? u"closed"_s
                                                     : u"open"_s;
    }
    if (!r.isNull(i, 18))
        row.usage = QJsonDocument::fromJson(r.utf8(i, 18)).object();
    row.findings = int(r.int64(i, 19));
    if (!r.isNull(i, 20))
        row.worstFinding = Severity(qBound(0, int(r.int64(i, 20)), 4));
    return row;
}

} // namespace

QList<ReportTaskRow> PgStore::reportTasks(const TaskFilter &filter, int offset, int limit)
{
    // As tasks(): the page is picked on task alone, the joins run for its rows only; newest
    // first, a task without a time last (where SQLite puts NULL).
    const PgTaskFilter where = pgTaskFilter(filter);
    const QByteArray order = " ORDER BY coalesce(t.started_at, t.created_at) DESC NULLS LAST, t.id";
    const QByteArray page = "SELECT t.key AS rid" + where.from() + where.sql + order + " LIMIT " +
                            pgParam(where.next()) + " OFFSET " + pgParam(where.next() + 1);
    const QByteArray sql =
        "SELECT t.id, t.repo, t.campaign_id, t.state, r.requester, i.principal, i.kind, "
        "t.policy_id, t.policy_version, coalesce(t.template_id, c.template_id), "
        "coalesce(t.template_version, c.template_version), coalesce(t.started_at, "
        "t.created_at), t.completed_at, coalesce(t.retries, 0), t.pr_number, p.state, "
        "p.created_at, p.merged_at, t.usage, (SELECT count(*) FROM finding f WHERE f.task_id "
        "= t.id), (SELECT max(f.severity) FROM finding f WHERE f.task_id = t.id) FROM (" +
        page +
        ") AS page JOIN task t ON t.key = page.rid LEFT JOIN request r ON r.id = "
        "t.request_id LEFT JOIN identity i ON i.id = t.identity_id LEFT JOIN campaign c ON "
        "c.id = t.campaign_id LEFT JOIN pull_request p ON p.repo = t.repo AND p.number = "
        "t.pr_number" +
        order;
    PgParams params = where.params;
    if (limit < 0)
        params.addNull(); // SQLite's LIMIT -1: every row
    else
        params.add(qint64(limit));
    params.add(qint64(std::max(offset, 0)));
    const PgResult r = m_db.query(sql.constData(), params);
    QList<ReportTaskRow> rows;
    if (!r.ok()) {
        fail(u"report task query failed"_s);
        return rows;
    }
    for (int i = 0; i < r.rows(); ++i)
        rows << reportTaskAt(r, i);
    return rows;
}

QList<Finding> PgStore::findingsOfTasks(const QStringList &taskIds)
{
    QList<Finding> out;
    if (taskIds.isEmpty())
        return out;
    // The ids are bound as one JSON array, so a page of tasks is one statement.
    const PgResult r = m_db.query(
        "SELECT f.task_id, f.rule, f.severity, f.message, f.evidence_kind, f.evidence_ref, "
        "f.command_seq, f.line_no, f.at, f.template_id, f.template_version, f.policy_id, "
        "f.policy_version, f.id, " TASKTRAIL_TRIAGE_COLUMNS " FROM finding f" TASKTRAIL_TRIAGE_JOIN
        " WHERE f.task_id IN "
        "(SELECT json_array_elements_text($1::json)) "
        "ORDER BY f.task_id, f.severity DESC, f.rule, f.id",
        PgParams().addUtf8(
            QJsonDocument(QJsonArray::fromStringList(taskIds)).toJson(QJsonDocument::Compact)));
    if (!r.ok()) {
        fail(u"findings could not be read"_s);
        return out;
    }
    for (int i = 0; i < r.rows(); ++i) {
        Finding f;
        f.taskId = r.text(i, 0);
        f.rule = r.text(i, 1);
        f.severity =
            Severity(qBound(int(Severity::Info), int(r.int64(i, 2)), int(Severity::Critical)));
        f.message = r.text(i, 3);
        f.evidenceKind = evidenceKindFromString(r.text(i, 4));
        f.evidenceRef = r.text(i, 5);
        f.commandSeq = int(r.int64(i, 6));
        f.lineNo = r.int64(i, 7);
        f.at = pgDateTime(r, i, 8);
        f.templateId = r.text(i, 9);
        f.templateVersion = r.text(i, 10);
        f.policyId = r.text(i, 11);
        f.policyVersion = r.text(i, 12);
        f.id = r.int64(i, 13);
        f.triage = pgTriageAt(r, i, 14);
        out << f;
    }
    return out;
}

} // namespace Tasktrail
