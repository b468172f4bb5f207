// PgStore's GitHub audit-log events: storing them, correlating them with task windows, reading
// them back. The rules are SqliteStore's (sqliteauditquery.cpp, docs/data-model.md "Audit
// events"), one set statement per step.
//
// What is new since the last linking run differs: SQLite compares rowids with the last one it
// linked, which a second writer cannot disturb. Here two ingests may run at once, and an event
// numbered before the last one linked may commit after it. So each stored event is listed in
// audit_event_new until a linking run takes it out, which a commit makes visible with the
// event; linking runs wait for each other on an advisory lock held until their batch commits.
#include "auditcandidatepasses.h"
#include "pgevidence.h"
#include "pgrows.h"
#include "pgstore.h"
#include "recordredaction.h"
#include "text/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// A task's correlation window: [started_at (else created_at) - 2 min,
// completed_at (else start + 6 h) + 10 min]. docs/data-model.md explains the figures.
constexpr qint64 beforeStartMs = 2 * 60 * 1000;
constexpr qint64 openRunMs = 6 * 60 * 60 * 1000;
constexpr qint64 afterEndMs = 10 * 60 * 1000;

// pg_advisory_xact_lock key (pgstore.cpp lists the others): one audit linking run at a time.
constexpr qint64 auditLinkLock = 0x7461736b74726c03; // "tasktrl" 3

#define PG_EVENT_COLUMNS TASKTRAIL_PG_EVENT_COLUMNS

AuditEvent readEvent(const PgResult &r, int row)
{
    return pgAuditEventAt(r, row);
}

} // namespace

AuditEvent pgAuditEventAt(const PgResult &r, int row)
{
    AuditEvent e;
    e.id = r.text(row, 0);
    e.action = r.text(row, 1);
    e.actor = r.text(row, 2);
    e.actorIsBot = r.int64(row, 3) != 0;
    e.repo = r.text(row, 4);
    if (!r.isNull(row, 5))
        e.at = QDateTime::fromMSecsSinceEpoch(r.int64(row, 5), QTimeZone::utc());
    e.hashedToken = r.text(row, 6);
    e.tokenId = r.text(row, 7);
    e.programmaticAccessType = r.text(row, 8);
    const QJsonArray scopes = QJsonDocument::fromJson(r.utf8(row, 9)).array();
    for (const auto &scope : scopes)
        e.tokenScopes << scope.toString();
    e.requestMethod = r.text(row, 10);
    e.requestRoute = r.text(row, 11);
    e.userAgent = r.text(row, 12);
    return e;
}

namespace {

// Absent fields are NULL, never '': an empty hashed_token must not match an empty one.
QString optional(const QString &value)
{
    return value.isEmpty() ? QString() : value;
}

// The scratch tables of one linking run, emptied when its transaction ends.
constexpr const char *scratchTables =
    "SET LOCAL client_min_messages = warning;"
    "CREATE TEMP TABLE IF NOT EXISTS audit_window_now (task_id TEXT PRIMARY KEY, lo BIGINT, "
    "hi BIGINT, repo TEXT, hashed_token TEXT, token_id TEXT, principal TEXT) "
    "ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE IF NOT EXISTS audit_touched (task_id TEXT PRIMARY KEY) "
    "ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE IF NOT EXISTS audit_affected (event_id TEXT PRIMARY KEY) "
    "ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE IF NOT EXISTS audit_candidate (event_id TEXT NOT NULL, "
    "task_id TEXT NOT NULL, score INTEGER NOT NULL, PRIMARY KEY (event_id, task_id)) "
    "ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE IF NOT EXISTS audit_relinked (task_id TEXT PRIMARY KEY) "
    "ON COMMIT DELETE ROWS;"
    "DELETE FROM audit_window_now; DELETE FROM audit_touched; DELETE FROM audit_affected; "
    "DELETE FROM audit_candidate; DELETE FROM audit_relinked";

// Every task's window and identity now.
constexpr const char *currentWindowsSql =
    "INSERT INTO audit_window_now (task_id, lo, hi, repo, hashed_token, token_id, principal) "
    "SELECT t.id, coalesce(t.started_at, t.created_at) - $1, "
    "coalesce(t.completed_at, coalesce(t.started_at, t.created_at) + $2) + $3, t.repo, "
    "nullif(i.hashed_token, ''), nullif(i.token_id, ''), nullif(i.principal, '') "
    "FROM task t JOIN identity i ON i.id = t.identity_id "
    "WHERE coalesce(t.started_at, t.created_at) IS NOT NULL";

// Tasks that are new, changed or gone since the last run.
constexpr const char *touchedSql =
    "INSERT INTO audit_touched (task_id) "
    "SELECT n.task_id FROM audit_window_now n "
    "LEFT JOIN audit_task_window w ON w.task_id = n.task_id WHERE w.task_id IS NULL "
    "OR w.lo IS DISTINCT FROM n.lo OR w.hi IS DISTINCT FROM n.hi "
    "OR w.repo IS DISTINCT FROM n.repo OR w.hashed_token IS DISTINCT FROM n.hashed_token "
    "OR w.token_id IS DISTINCT FROM n.token_id OR w.principal IS DISTINCT FROM n.principal "
    "UNION SELECT w.task_id FROM audit_task_window w WHERE NOT EXISTS "
    "(SELECT 1 FROM audit_window_now n WHERE n.task_id = w.task_id)";

// Events to correlate again: those linked to a touched task before...
constexpr const char *affectedByOldLinksSql =
    "INSERT INTO audit_affected (event_id) SELECT l.event_id FROM audit_touched t "
    "JOIN audit_link l ON l.task_id = t.task_id ON CONFLICT DO NOTHING";

// ...those a touched task's new window matches...
constexpr const char *affectedByNewWindowsSql =
    "INSERT INTO audit_affected (event_id) "
    "SELECT e.id FROM audit_touched t JOIN audit_task_window w ON w.task_id = t.task_id "
    "JOIN audit_event e ON e.hashed_token = w.hashed_token AND e.at BETWEEN w.lo AND w.hi "
    "UNION SELECT e.id FROM audit_touched t JOIN audit_task_window w ON w.task_id = t.task_id "
    "JOIN audit_event e ON e.token_id = w.token_id AND e.at BETWEEN w.lo AND w.hi "
    "UNION SELECT e.id FROM audit_touched t JOIN audit_task_window w ON w.task_id = t.task_id "
    "JOIN audit_event e ON e.actor = w.principal AND e.repo = w.repo "
    "AND e.at BETWEEN w.lo AND w.hi ON CONFLICT DO NOTHING";

// ...and every event stored since, taken off the list of new ones.
constexpr const char *affectedNewEventsSql =
    "WITH taken AS (DELETE FROM audit_event_new RETURNING event_id) "
    "INSERT INTO audit_affected (event_id) SELECT event_id FROM taken ON CONFLICT DO NOTHING";

// The candidate passes (auditcandidatepasses.h). The window search is a range on `lo` bounded
// by the longest window ($1), so it reads only windows that can contain the event.
QByteArray candidateSql(const AuditCandidatePass &pass)
{
    return QByteArray("INSERT INTO audit_candidate (event_id, task_id, score) "
                      "SELECT e.id, w.task_id, ") +
           QByteArray::number(pass.score) +
           " FROM audit_affected a JOIN audit_event e ON e.id = a.event_id "
           "JOIN audit_task_window w ON " +
           pass.match +
           " AND w.lo BETWEEN e.at - $1 AND e.at AND w.hi >= e.at WHERE NOT EXISTS "
           "(SELECT 1 FROM audit_candidate m WHERE m.event_id = a.event_id) "
           "ON CONFLICT (event_id, task_id) DO NOTHING";
}

// The tasks linked to an affected event that a check reads: taken before its links go and
// after the new ones are made, they are the tasks whose checked audit trail may have changed.
// A link to an event in the task's own repository changes no finding, so it is not counted.
constexpr const char *relinkedSql =
    "INSERT INTO audit_relinked (task_id) SELECT l.task_id FROM audit_affected a "
    "JOIN audit_link l ON l.event_id = a.event_id JOIN audit_event e ON e.id = a.event_id "
    "JOIN task t ON t.id = l.task_id WHERE " TASKTRAIL_PG_EVENT_CHECKED " ON CONFLICT DO NOTHING";

// Every candidate is a link: the passes left each event only the tasks with its best score.
constexpr const char *linkSql =
    "INSERT INTO audit_link (event_id, task_id, match) "
    "SELECT c.event_id, c.task_id, CASE c.score / 2 WHEN 3 THEN 'hashed_token' "
    "WHEN 2 THEN 'token_id' ELSE 'actor_repo' END FROM audit_candidate c ON CONFLICT DO NOTHING";

} // namespace

bool PgStore::writeAuditEvent(const AuditEvent &given, bool *inserted)
{
    AuditEvent e = given;
    m_redactions += RecordRedaction::redact(e);
    PgParams params;
    params.add(e.id).add(optional(e.action)).add(optional(e.actor));
    params.add(qint64(e.actorIsBot ? 1 : 0)).add(optional(e.repo)).add(e.at);
    params.add(optional(e.hashedToken)).add(optional(e.tokenId));
    params.add(optional(e.programmaticAccessType));
    if (e.tokenScopes.isEmpty())
        params.addNull();
    else
        params.addUtf8(JsonWriter::stringArray(e.tokenScopes));
    params.add(optional(e.requestMethod)).add(optional(e.requestRoute)).add(optional(e.userAgent));
    const PgResult r = runPrepared(
        "INSERT INTO audit_event (id, action, actor, actor_is_bot, repo, at, hashed_token, "
        "token_id, programmatic_access_type, token_scopes, request_method, request_route, "
        "user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT (id) DO NOTHING",
        params);
    if (!r.ok())
        return false;
    *inserted = r.affected() > 0;
    if (!*inserted)
        return true;
    // Only a new event enters the evidence chain: the same event again changes nothing.
    m_evidence->touchAuditEvent(e.id, e.id.toUtf8());
    return exec("INSERT INTO audit_event_new (event_id) VALUES ($1) ON CONFLICT DO NOTHING",
                PgParams().add(e.id));
}

bool PgStore::linkAuditEvents(QStringList *relinkedTasks)
{
    if (relinkedTasks)
        relinkedTasks->clear();
    const PgResult any = run("SELECT EXISTS (SELECT 1 FROM audit_event)", {});
    if (!any.ok())
        return false;
    if (any.text(0, 0) != u"t")
        return true; // nothing to correlate; windows are taken when the first events arrive
    // Outside a batch the run is a transaction of its own: all of it or nothing.
    const bool own = !inBatch();
    if (own && !m_db.exec("BEGIN"))
        return fail(u"cannot link audit events"_s);
    const bool ok = linkAuditEventsInTransaction(relinkedTasks);
    if (own && !(ok ? m_db.exec("COMMIT") : m_db.exec("ROLLBACK")))
        return fail(u"cannot link audit events"_s);
    return ok;
}

bool PgStore::linkAuditEventsInTransaction(QStringList *relinkedTasks)
{
    if (!m_db.query("SELECT pg_advisory_xact_lock($1)", PgParams().add(auditLinkLock)).ok() ||
        !m_db.exec(scratchTables))
        return fail(u"cannot prepare audit linking"_s);
    if (!exec(currentWindowsSql, PgParams().add(beforeStartMs).add(openRunMs).add(afterEndMs)) ||
        !exec(touchedSql, {}) || !exec(affectedByOldLinksSql, {}) ||
        !exec("DELETE FROM audit_task_window WHERE task_id IN "
              "(SELECT task_id FROM audit_touched)",
              {}) ||
        !exec("INSERT INTO audit_task_window (task_id, lo, hi, repo, hashed_token, token_id, "
              "principal) SELECT n.task_id, n.lo, n.hi, n.repo, n.hashed_token, n.token_id, "
              "n.principal FROM audit_window_now n JOIN audit_touched t ON t.task_id = n.task_id",
              {}) ||
        !exec(affectedByNewWindowsSql, {}) || !exec(affectedNewEventsSql, {}) ||
        !exec(relinkedSql, {}) ||
        !exec("DELETE FROM audit_link WHERE event_id IN (SELECT event_id FROM audit_affected)", {}))
        return false;
    const PgResult span = run("SELECT coalesce(max(hi - lo), 0) FROM audit_task_window", {});
    if (!span.ok() || span.rows() != 1)
        return false;
    for (const AuditCandidatePass &pass : auditCandidatePasses) {
        if (!exec(candidateSql(pass).constData(), PgParams().add(span.int64(0, 0))))
            return false;
    }
    if (!exec(linkSql, {}) || !exec(relinkedSql, {}))
        return false;
    if (relinkedTasks) { // read before the commit empties the table
        const PgResult relinked = run("SELECT task_id FROM audit_relinked", {});
        if (!relinked.ok())
            return false;
        for (int row = 0; row < relinked.rows(); ++row)
            relinkedTasks->append(relinked.text(row, 0));
    }
    return true;
}

QList<AuditLink> PgStore::auditEvents(const QString &taskId)
{
    const PgResult r = run("SELECT " PG_EVENT_COLUMNS ", l.match FROM audit_link l JOIN "
                           "audit_event e ON e.id = l.event_id WHERE l.task_id = $1 "
                           "ORDER BY e.at NULLS FIRST, e.id",
                           PgParams().add(taskId));
    QList<AuditLink> links;
    for (int row = 0; r.ok() && row < r.rows(); ++row)
        links.append(AuditLink{readEvent(r, row), r.text(row, 13)});
    return links;
}

QList<AuditEvent> PgStore::unlinkedAuditEvents(int limit)
{
    const PgResult r = run("SELECT " PG_EVENT_COLUMNS " FROM audit_event e WHERE NOT EXISTS "
                           "(SELECT 1 FROM audit_link l WHERE l.event_id = e.id) "
                           "ORDER BY e.at NULLS FIRST, e.id LIMIT $1",
                           PgParams().add(limit < 0 ? std::nullopt : std::optional<qint64>(limit)));
    QList<AuditEvent> events;
    for (int row = 0; r.ok() && row < r.rows(); ++row)
        events.append(readEvent(r, row));
    return events;
}

} // namespace Tasktrail
