// Findings triage on SQLite: each change a row of the append-only history with an evidence
// entry of its own, keyed by the finding's identity so that a check keeps it.
#include "findingtriagesql.h"
#include "recordredaction.h"
#include "sqliteevidence.h"
#include "sqlitefindingrow.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

bool SqliteStore::triageFindings(const QList<qint64> &findingIds, const FindingTriage &given)
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
    auto &ins = statement(
        "INSERT INTO finding_triage (task_id, rule, evidence_kind, evidence_ref, command_seq, "
        "line_no, state, triaged_by, triaged_at, note) SELECT task_id, rule, "
        "coalesce(evidence_kind, ''), coalesce(evidence_ref, ''), coalesce(command_seq, 0), "
        "coalesce(line_no, 0), ?2, ?3, ?4, ?5 FROM finding WHERE id = ?1");
    for (const qint64 id : findingIds) {
        ins.bind(1, id);
        ins.bind(2, toString(triage.state));
        ins.bind(3, triage.by);
        ins.bind(4, triage.at);
        ins.bind(5, triage.note.isEmpty() ? QString() : triage.note);
        if (!run(ins)) {
            rollbackBatch();
            return false;
        }
        if (sqlite3_changes(m_db) != 1) {
            rollbackBatch();
            return fail(u"no finding %1"_s.arg(id));
        }
        m_evidence->touch("triage", QString::number(sqlite3_last_insert_rowid(m_db)), ins);
    }
    if (!commitBatch()) {
        rollbackBatch();
        return false;
    }
    return true;
}

QList<FindingTriage> SqliteStore::triageHistory(qint64 findingId)
{
    auto &stmt = statement(
        "SELECT h.state, h.triaged_by, h.triaged_at, h.note FROM finding f JOIN finding_triage h "
        "ON h.task_id = f.task_id AND h.rule = f.rule AND h.evidence_kind = "
        "coalesce(f.evidence_kind, '') AND h.evidence_ref = coalesce(f.evidence_ref, '') AND "
        "h.command_seq = coalesce(f.command_seq, 0) AND h.line_no = coalesce(f.line_no, 0) "
        "WHERE f.id = ? ORDER BY h.id");
    stmt.bind(1, findingId);
    QList<FindingTriage> history;
    while (stmt.next())
        history << triageAt(stmt, 0);
    stmt.reset();
    return history;
}

} // namespace Tasktrail
