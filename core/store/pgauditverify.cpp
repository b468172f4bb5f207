// verify's check of the audit links on PostgreSQL, as SqliteStore::verifyAuditLinks checks
// SQLite's: every link the correlation rules give (pgaudit.cpp) recomputed from the audit
// events, tasks and identities, and compared with the stored ones. One statement, since verify
// runs in a READ ONLY snapshot where the linker's scratch tables cannot be created.
#include "evidencehash.h"
#include "pgstore.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// pgaudit.cpp's window figures: [start - 2 min, end (else start + 6 h) + 10 min].
constexpr qint64 beforeStartMs = 2 * 60 * 1000;
constexpr qint64 openRunMs = 6 * 60 * 60 * 1000;
constexpr qint64 afterEndMs = 10 * 60 * 1000;

// Every task's window now; each event's candidates scored as the linker scores them
// (hashed_token 6, token_id 4, actor_repo 3, plus 1 for the task's repository on a token
// match), a task keeping its best score; an event links to the tasks with its best score.
// Then the links that differ: (event, task, recomputed match, stored match), bytewise ordered
// like SQLite's.
constexpr const char *linkMismatchSql =
    "WITH w AS (SELECT t.id AS task_id, coalesce(t.started_at, t.created_at) - $1 AS lo, "
    "coalesce(t.completed_at, coalesce(t.started_at, t.created_at) + $2) + $3 AS hi, t.repo, "
    "nullif(i.hashed_token, '') AS hashed_token, nullif(i.token_id, '') AS token_id, "
    "nullif(i.principal, '') AS principal FROM task t JOIN identity i ON i.id = t.identity_id "
    "WHERE coalesce(t.started_at, t.created_at) IS NOT NULL), "
    "c AS (SELECT e.id AS event_id, w.task_id, 6 + CASE WHEN e.repo = w.repo THEN 1 ELSE 0 END "
    "AS score FROM audit_event e JOIN w ON w.hashed_token = e.hashed_token "
    "AND e.at BETWEEN w.lo AND w.hi "
    "UNION ALL SELECT e.id, w.task_id, 4 + CASE WHEN e.repo = w.repo THEN 1 ELSE 0 END "
    "FROM audit_event e JOIN w ON w.token_id = e.token_id AND e.at BETWEEN w.lo AND w.hi "
    "UNION ALL SELECT e.id, w.task_id, 3 FROM audit_event e JOIN w ON w.principal = e.actor "
    "AND w.repo = e.repo AND e.at BETWEEN w.lo AND w.hi), "
    "s AS (SELECT event_id, task_id, max(score) AS score FROM c GROUP BY event_id, task_id), "
    "v AS (SELECT s.event_id, s.task_id, CASE s.score / 2 WHEN 3 THEN 'hashed_token' "
    "WHEN 2 THEN 'token_id' ELSE 'actor_repo' END AS match FROM s JOIN (SELECT event_id, "
    "max(score) AS best FROM s GROUP BY event_id) m ON m.event_id = s.event_id "
    "AND s.score = m.best) "
    "SELECT * FROM (SELECT v.event_id, v.task_id, v.match AS given, l.match AS stored FROM v "
    "LEFT JOIN audit_link l ON l.event_id = v.event_id AND l.task_id = v.task_id "
    "WHERE l.match IS DISTINCT FROM v.match "
    "UNION ALL SELECT l.event_id, l.task_id, NULL, l.match FROM audit_link l WHERE NOT EXISTS "
    "(SELECT 1 FROM v WHERE v.event_id = l.event_id AND v.task_id = l.task_id)) d "
    "ORDER BY d.event_id COLLATE \"C\", d.task_id COLLATE \"C\"";

// Links named per check; the rest are counted in one more problem (SQLite's figure).
constexpr int maxNamedLinks = 100;

} // namespace

void PgStore::verifyAuditLinks(EvidenceReport &report)
{
    const PgResult rows =
        m_db.query(linkMismatchSql, PgParams().add(beforeStartMs).add(openRunMs).add(afterEndMs));
    if (!rows.ok()) {
        report.problems << EvidenceProblem{
            0, u"audit_link"_s, {}, u"cannot check: "_s % m_db.errorString()};
        return;
    }
    for (int i = 0; i < rows.rows() && i < maxNamedLinks; ++i) {
        const QString ref = Evidence::joinRef(rows.text(i, 0), u'/', rows.text(i, 1));
        const QString given = rows.text(i, 2);
        const QString stored = rows.text(i, 3);
        QString problem;
        if (stored.isEmpty())
            problem = u"missing: the audit log links the event to the task (%1), the stored "
                      "links do not"_s.arg(given);
        else if (given.isEmpty())
            problem = u"stored, but no correlation of the audit log gives it"_s;
        else
            problem = u"stored as a %1 match, correlation gives %2"_s.arg(stored, given);
        report.problems << EvidenceProblem{0, u"audit_link"_s, ref, problem};
    }
    if (rows.rows() > maxNamedLinks)
        report.problems << EvidenceProblem{
            0,
            u"audit_link"_s,
            {},
            u"%1 more links differ from what correlation gives"_s.arg(rows.rows() - maxNamedLinks)};
    const PgResult count = m_db.query("SELECT count(*) FROM audit_link");
    report.covered << EvidenceCoverage{
        u"audit links"_s, count.ok() ? count.int64(0, 0) : 0,
        u"recomputed from the audit events, tasks and identities, and compared"_s};
}

} // namespace Tasktrail
