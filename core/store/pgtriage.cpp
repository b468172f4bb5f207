// Findings triage on PostgreSQL: the same history rows, evidence entries and answers as
// sqlitetriage.cpp; the table takes inserts only (schema version 7).
#include "findingtriagesql.h"
#include "pgevidence.h"
#include "pgstore.h"
#include "recordredaction.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

bool PgStore::triageFindings(const QList<qint64> &findingIds, const FindingTriage &given)
{
    FindingTriage triage = given;
    m_redactions += RecordRedaction::redact(triage.by);
    m_redactions += RecordRedaction::redact(triage.note);
    if (triage.by.trimmed().isEmpty())
        return fail(u"a triage needs who made it"_s);
    if (!triage.at.isValid())
        triage.at = QDateTime::currentDateTimeUtc();
    if (!beginBatch())
        return false;
    // The finding's identity is copied from its row: the row id itself is not kept.
    static const char *const sql =
        "INSERT INTO finding_triage (task_id, rule, evidence_kind, evidence_ref, command_seq, "
        "line_no, state, triaged_by, triaged_at, note) SELECT task_id, rule, "
        "coalesce(evidence_kind, ''), coalesce(evidence_ref, ''), coalesce(command_seq, 0), "
        "coalesce(line_no, 0), $2::text, $3::text, $4::bigint, $5::text FROM finding WHERE id = "
        "$1::bigint RETURNING id";
    for (const qint64 id : findingIds) {
        PgParams p;
        p.add(id).add(toString(triage.state)).add(triage.by).add(triage.at);
        p.add(triage.note.isEmpty() ? QString() : triage.note);
        const PgResult r = run(sql, p);
        if (!r.ok()) {
            rollbackBatch();
            return false;
        }
        if (r.rows() != 1) {
            rollbackBatch();
            return fail(u"no finding %1"_s.arg(id));
        }
        m_evidence->touch("triage", QString::number(r.int64(0, 0)), sql, p);
    }
    if (!commitBatch()) {
        rollbackBatch();
        return false;
    }
    return true;
}

QList<FindingTriage> PgStore::triageHistory(qint64 findingId)
{
    const PgResult r = run(
        "SELECT h.state, h.triaged_by, h.triaged_at, h.note FROM finding f JOIN finding_triage h "
        "ON h.task_id = f.task_id AND h.rule = f.rule AND h.evidence_kind = "
        "coalesce(f.evidence_kind, '') AND h.evidence_ref = coalesce(f.evidence_ref, '') AND "
        "h.command_seq = coalesce(f.command_seq, 0) AND h.line_no = coalesce(f.line_no, 0) "
        "WHERE f.id = $1 ORDER BY h.id",
        PgParams().add(findingId));
    QList<FindingTriage> history;
    for (int i = 0; i < r.rows(); ++i)
        history << pgTriageAt(r, i, 0);
    return history;
}

} // namespace Tasktrail
