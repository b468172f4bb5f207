// GitHub audit-log events: storing them, correlating them with task windows, reading them back.
#include "auditcandidatepasses.h"
#include "evidencehash.h"
#include "recordredaction.h"
#include "sqliteauditrow.h"
#include "sqliteevidence.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QHash>

#include <limits>
#include <vector>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// A task's correlation window: [started_at (else created_at) - 2 min,
// completed_at (else start + 6 h) + 10 min]. docs/data-model.md explains the figures.
constexpr qint64 beforeStartMs = 2 * 60 * 1000;
constexpr qint64 openRunMs = 6 * 60 * 60 * 1000;
constexpr qint64 afterEndMs = 10 * 60 * 1000;

constexpr const char *eventColumns = TASKTRAIL_SQLITE_EVENT_COLUMNS;

AuditEvent readEvent(const SqliteStatement &s)
{
    return sqliteAuditEventAt(s);
}

} // namespace

AuditEvent sqliteAuditEventAt(const SqliteStatement &s)
{
    AuditEvent e;
    e.id = s.text(0);
    e.action = s.text(1);
    e.actor = s.text(2);
    e.actorIsBot = s.int64(3) != 0;
    e.repo = s.text(4);
    e.at = s.dateTime(5);
    e.hashedToken = s.text(6);
    e.tokenId = s.text(7);
    e.programmaticAccessType = s.text(8);
    e.tokenScopes = s.list(9);
    e.requestMethod = s.text(10);
    e.requestRoute = s.text(11);
    e.userAgent = s.text(12);
    return e;
}

namespace {

// Absent fields are NULL, never '': an empty hashed_token must not match an empty one.
void bindOptional(SqliteStatement &s, int index, const QString &value)
{
    if (value.isEmpty())
        s.bindNull(index);
    else
        s.bind(index, value);
}

// Per-connection scratch tables of one linking run; events are named by rowid. The statements
// below join them with CROSS JOIN, which fixes SQLite's join order: it has no statistics for
// them and would otherwise walk every event or link to meet a handful of touched tasks.
constexpr const char *scratchTables =
    "CREATE TEMP TABLE IF NOT EXISTS audit_window_now (task_id TEXT PRIMARY KEY, lo INTEGER, "
    "hi INTEGER, repo TEXT, hashed_token TEXT, token_id TEXT, principal TEXT) WITHOUT ROWID;"
    "CREATE TEMP TABLE IF NOT EXISTS audit_touched (task_id TEXT PRIMARY KEY) WITHOUT ROWID;"
    "CREATE TEMP TABLE IF NOT EXISTS audit_affected (event INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS audit_candidate (event INTEGER NOT NULL, "
    "task_id TEXT NOT NULL, score INTEGER NOT NULL, PRIMARY KEY (event, task_id)) WITHOUT ROWID;"
    "CREATE TEMP TABLE IF NOT EXISTS audit_relinked (task_id TEXT PRIMARY KEY) WITHOUT ROWID;"
    "DELETE FROM temp.audit_window_now; DELETE FROM temp.audit_touched;"
    "DELETE FROM temp.audit_affected; DELETE FROM temp.audit_candidate;"
    "DELETE FROM temp.audit_relinked;";

// Every task's window and identity now.
constexpr const char *currentWindowsSql =
    "INSERT INTO temp.audit_window_now (task_id, lo, hi, repo, hashed_token, token_id, "
    "principal) SELECT t.id, coalesce(t.started_at, t.created_at) - ?1, "
    "coalesce(t.completed_at, coalesce(t.started_at, t.created_at) + ?2) + ?3, t.repo, "
    "nullif(i.hashed_token, ''), nullif(i.token_id, ''), nullif(i.principal, '') "
    "FROM task t JOIN identity i ON i.id = t.identity_id "
    "WHERE coalesce(t.started_at, t.created_at) IS NOT NULL";

// Tasks that are new, changed or gone since the last run.
constexpr const char *touchedSql =
    "INSERT INTO temp.audit_touched (task_id) "
    "SELECT n.task_id FROM temp.audit_window_now n "
    "LEFT JOIN audit_task_window w ON w.task_id = n.task_id WHERE w.task_id IS NULL "
    "OR w.lo IS NOT n.lo OR w.hi IS NOT n.hi OR w.repo IS NOT n.repo "
    "OR w.hashed_token IS NOT n.hashed_token OR w.token_id IS NOT n.token_id "
    "OR w.principal IS NOT n.principal "
    "UNION SELECT w.task_id FROM audit_task_window w WHERE NOT EXISTS "
    "(SELECT 1 FROM temp.audit_window_now n WHERE n.task_id = w.task_id)";

// Events to correlate again: those linked to a touched task before...
constexpr const char *affectedByOldLinksSql =
    "INSERT OR IGNORE INTO temp.audit_affected (event) SELECT e.rowid "
    "FROM temp.audit_touched t CROSS JOIN audit_link l ON l.task_id = t.task_id "
    "CROSS JOIN audit_event e ON e.id = l.event_id";

// ...those seen before that a touched task's new window matches (new events come next)...
constexpr const char *affectedByNewWindowsSql =
    "INSERT OR IGNORE INTO temp.audit_affected (event) "
    "SELECT e.rowid FROM temp.audit_touched t "
    "CROSS JOIN audit_task_window w ON w.task_id = t.task_id "
    "CROSS JOIN audit_event e ON e.hashed_token = w.hashed_token AND e.at BETWEEN w.lo AND w.hi "
    "WHERE e.rowid <= ?1 "
    "UNION ALL SELECT e.rowid FROM temp.audit_touched t "
    "CROSS JOIN audit_task_window w ON w.task_id = t.task_id "
    "CROSS JOIN audit_event e ON e.token_id = w.token_id AND e.at BETWEEN w.lo AND w.hi "
    "WHERE e.rowid <= ?1 "
    "UNION ALL SELECT e.rowid FROM temp.audit_touched t "
    "CROSS JOIN audit_task_window w ON w.task_id = t.task_id "
    "CROSS JOIN audit_event e ON e.actor = w.principal AND e.repo = w.repo "
    "AND e.at BETWEEN w.lo AND w.hi WHERE e.rowid <= ?1";

// ...and every event stored since the last run.
constexpr const char *affectedNewEventsSql = "INSERT OR IGNORE INTO temp.audit_affected (event) "
                                             "SELECT rowid FROM audit_event WHERE rowid > ?1";

// The tasks linked to an affected event that a check reads: taken before its links go and
// after the new ones are made, they are the tasks whose checked audit trail may have changed.
// A link to an event in the task's own repository changes no finding, so it is not counted.
constexpr const char *relinkedSql =
    "INSERT OR IGNORE INTO temp.audit_relinked (task_id) SELECT l.task_id "
    "FROM temp.audit_affected a CROSS JOIN audit_event e ON e.rowid = a.event "
    "CROSS JOIN audit_link l ON l.event_id = e.id CROSS JOIN task t ON t.id = l.task_id "
    "WHERE " TASKTRAIL_SQLITE_EVENT_CHECKED;

// The statements of the candidate passes (auditcandidatepasses.h), in order; their texts live
// as long as the program, since the statement cache keys on them. The window search is a range
// on `lo` in a covering index that holds the repository too, bounded by the longest window
// (?1), so it reads only windows that can contain the event.
const std::vector<QByteArray> &candidateSqls()
{
    static const std::vector<QByteArray> sqls = [] {
        std::vector<QByteArray> out;
        for (const AuditCandidatePass &pass : auditCandidatePasses)
            out.push_back(QByteArray("INSERT INTO temp.audit_candidate (event, task_id, score) "
                                     "SELECT a.event, w.task_id, ") +
                          QByteArray::number(pass.score) +
                          " FROM temp.audit_affected a CROSS JOIN audit_event e "
                          "ON e.rowid = a.event CROSS JOIN audit_task_window w ON " +
                          pass.match +
                          " AND w.lo BETWEEN e.at - ?1 AND e.at AND w.hi >= e.at "
                          "WHERE NOT EXISTS (SELECT 1 FROM temp.audit_candidate m "
                          "WHERE m.event = a.event) ON CONFLICT DO NOTHING");
        return out;
    }();
    return sqls;
}

// Every candidate is a link: the passes left each event only the tasks with its best score.
// Sorted by the links' key first, the inserts fill audit_link's pages in order instead of one
// page per link at random. The sort holds its rows in memory up to the size of the page
// cache, so the links go in a range of candidates at a time (insertAuditLinks()). At scale 100,
// 451,138 links, runs alternating on a busy machine: 5.2 to 6.3 s unsorted, 3.3 to 3.8 s
// sorted all at once with 33 MB more at the peak, 3.5 to 3.8 s in ranges with 5 MB more.
#define TASKTRAIL_LINK_SELECT                                                                      \
    "INSERT OR IGNORE INTO audit_link (event_id, task_id, match) "                                 \
    "SELECT e.id, c.task_id, CASE c.score / 2 WHEN 3 THEN 'hashed_token' "                         \
    "WHEN 2 THEN 'token_id' ELSE 'actor_repo' END FROM temp.audit_candidate c "                    \
    "CROSS JOIN audit_event e ON e.rowid = c.event "
constexpr const char *linkRangeSql =
    TASKTRAIL_LINK_SELECT "WHERE c.event BETWEEN ?1 AND ?2 ORDER BY 1, 2";
constexpr const char *linkRestSql = TASKTRAIL_LINK_SELECT "WHERE c.event >= ?1 ORDER BY 1, 2";
#undef TASKTRAIL_LINK_SELECT
// Candidates per range (more when the last event of a range has several); where a range
// ends: the event of its last candidate.
constexpr qint64 linkRange = 65536;
constexpr const char *rangeEndSql = "SELECT event FROM temp.audit_candidate WHERE event >= ?1 "
                                    "ORDER BY event LIMIT 1 OFFSET ?2";

// verify recomputes every link from scratch: the windows of all tasks, every event a
// candidate, into scratch tables that mirror audit_task_window and audit_link.
constexpr const char *verifyTablesSql =
    "CREATE TEMP TABLE IF NOT EXISTS verify_window (task_id TEXT PRIMARY KEY, lo INTEGER NOT "
    "NULL, hi INTEGER NOT NULL, repo TEXT, hashed_token TEXT, token_id TEXT, principal TEXT) "
    "WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS temp.verify_window_token ON verify_window "
    "(hashed_token, lo, hi, repo);"
    "CREATE INDEX IF NOT EXISTS temp.verify_window_token_id ON verify_window "
    "(token_id, lo, hi, repo);"
    "CREATE INDEX IF NOT EXISTS temp.verify_window_actor ON verify_window "
    "(principal, repo, lo, hi);"
    "CREATE TEMP TABLE IF NOT EXISTS verify_link (event_id TEXT NOT NULL, task_id TEXT NOT "
    "NULL, match TEXT NOT NULL, PRIMARY KEY (event_id, task_id)) WITHOUT ROWID;"
    "DELETE FROM temp.verify_window; DELETE FROM temp.verify_link;";

// Links correlation gives that are not stored (or stored with another match), then stored
// links it does not give.
constexpr const char *linkMismatchSql =
    "SELECT v.event_id, v.task_id, v.match, l.match FROM temp.verify_link v "
    "LEFT JOIN audit_link l ON l.event_id = v.event_id AND l.task_id = v.task_id "
    "WHERE l.match IS NOT v.match "
    "UNION ALL SELECT l.event_id, l.task_id, NULL, l.match FROM audit_link l WHERE NOT EXISTS "
    "(SELECT 1 FROM temp.verify_link v WHERE v.event_id = l.event_id AND "
    "v.task_id = l.task_id) ORDER BY 1, 2";

// Links named per check; the rest are counted in one more problem.
constexpr int maxNamedLinks = 100;

// The candidate and link statements, aimed at the scratch windows and links.
const char *forVerify(const char *sql)
{
    static QHash<const char *, QByteArray> rewritten;
    auto it = rewritten.find(sql);
    if (it == rewritten.end())
        it = rewritten.insert(sql, QByteArray(sql)
                                       .replace("audit_task_window w", "temp.verify_window w")
                                       .replace("INTO audit_link ", "INTO temp.verify_link "));
    return it->constData();
}

} // namespace

bool SqliteStore::writeAuditEvent(const AuditEvent &given, bool *inserted)
{
    AuditEvent e = given;
    m_redactions += RecordRedaction::redact(e);
    auto &stmt = statement(
        "INSERT INTO audit_event (id, action, actor, actor_is_bot, repo, at, hashed_token, "
        "token_id, programmatic_access_type, token_scopes, request_method, request_route, "
        "user_agent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
        "ON CONFLICT (id) DO NOTHING RETURNING *");
    stmt.bind(1, e.id);
    bindOptional(stmt, 2, e.action);
    bindOptional(stmt, 3, e.actor);
    stmt.bind(4, e.actorIsBot ? 1 : 0);
    bindOptional(stmt, 5, e.repo);
    stmt.bind(6, e.at);
    bindOptional(stmt, 7, e.hashedToken);
    bindOptional(stmt, 8, e.tokenId);
    bindOptional(stmt, 9, e.programmaticAccessType);
    stmt.bindList(10, e.tokenScopes);
    bindOptional(stmt, 11, e.requestMethod);
    bindOptional(stmt, 12, e.requestRoute);
    bindOptional(stmt, 13, e.userAgent);
    if (!stmt.isValid())
        return fail(u"statement could not be prepared"_s);
    // The row comes back only when it was stored: the same event again changes nothing and
    // stays out of the evidence chain. Stored, it is the event's state as the chain records it.
    *inserted = stmt.next();
    if (*inserted) {
        m_evidence->touchAuditEvent(e.id, e.id.toUtf8(), stmt);
        stmt.next(); // past the one row
    }
    const bool done = stmt.done();
    stmt.reset();
    return done || fail(u"statement failed"_s);
}

bool SqliteStore::linkAuditEvents(QStringList *relinkedTasks)
{
    if (relinkedTasks)
        relinkedTasks->clear();
    if (count("SELECT EXISTS (SELECT 1 FROM audit_event)") == 0)
        return true; // nothing to correlate; windows are taken when the first events arrive
    if (!execScript(scratchTables))
        return fail(u"cannot prepare audit linking"_s);
    const qint64 lastEvent = count("SELECT coalesce((SELECT last_event FROM audit_link_state "
                                   "WHERE id = 1), 0)");

    auto &current = statement(currentWindowsSql);
    current.bind(1, beforeStartMs);
    current.bind(2, openRunMs);
    current.bind(3, afterEndMs);
    if (!run(current) || !run(statement(touchedSql)) || !run(statement(affectedByOldLinksSql)))
        return false;
    if (!run(statement("DELETE FROM audit_task_window WHERE task_id IN "
                       "(SELECT task_id FROM temp.audit_touched)")) ||
        !run(statement("INSERT INTO audit_task_window (task_id, lo, hi, repo, hashed_token, "
                       "token_id, principal) SELECT n.task_id, n.lo, n.hi, n.repo, "
                       "n.hashed_token, n.token_id, n.principal FROM temp.audit_window_now n "
                       "JOIN temp.audit_touched t ON t.task_id = n.task_id")))
        return false;
    if (lastEvent > 0) { // on the first run every event is new
        auto &byNewWindows = statement(affectedByNewWindowsSql);
        byNewWindows.bind(1, lastEvent);
        if (!run(byNewWindows))
            return false;
    }
    auto &newEvents = statement(affectedNewEventsSql);
    newEvents.bind(1, lastEvent);
    if (!run(newEvents))
        return false;
    // With no link stored yet (the first linking), there is none to take back: the delete would
    // still list every affected event's id first (2.8 s for 620,254 events). A failed look
    // counts 0, so that the delete runs.
    const bool anyLinks = count("SELECT NOT EXISTS (SELECT 1 FROM audit_link)") != 1;
    if (anyLinks &&
        (!run(statement(relinkedSql)) ||
         !run(statement("DELETE FROM audit_link WHERE event_id IN (SELECT e.id FROM "
                        "temp.audit_affected a CROSS JOIN audit_event e ON e.rowid = a.event)"))))
        return false;

    const qint64 span = count("SELECT coalesce(max(hi - lo), 0) FROM audit_task_window");
    for (const QByteArray &sql : candidateSqls()) {
        auto &candidates = statement(sql.constData());
        candidates.bind(1, span);
        if (!run(candidates))
            return false;
    }
    auto &state = statement("INSERT INTO audit_link_state (id, last_event) VALUES "
                            "(1, (SELECT coalesce(max(rowid), 0) FROM audit_event)) "
                            "ON CONFLICT (id) DO UPDATE SET last_event = excluded.last_event");
    if (!insertAuditLinks(linkRangeSql, linkRestSql) || !run(statement(relinkedSql)) || !run(state))
        return false;
    if (relinkedTasks) {
        auto &relinked = statement("SELECT task_id FROM temp.audit_relinked");
        while (relinked.next())
            relinkedTasks->append(relinked.text(0));
        const bool read = relinked.done();
        relinked.reset();
        if (!read)
            return fail(u"cannot read the relinked tasks"_s);
    }
    return true;
}

// The candidates' links, a range of candidates at a time in the links' key order.
bool SqliteStore::insertAuditLinks(const char *rangeSql, const char *restSql)
{
    auto &end = statement(rangeEndSql);
    qint64 from = std::numeric_limits<qint64>::min();
    while (true) {
        end.bind(1, from);
        end.bind(2, linkRange - 1);
        const bool more = end.next();
        const qint64 to = more ? end.int64(0) : 0;
        const bool read = more || end.done();
        end.reset();
        if (!read)
            return fail(u"cannot read the audit link candidates"_s);
        auto &links = statement(more ? rangeSql : restSql);
        links.bind(1, from);
        if (more)
            links.bind(2, to);
        if (!run(links))
            return false;
        if (!more || to == std::numeric_limits<qint64>::max())
            return true;
        from = to + 1; // every candidate of `to` is in this range
    }
}

QList<AuditLink> SqliteStore::auditEvents(const QString &taskId)
{
    static const QByteArray sql = QByteArray("SELECT ") + eventColumns +
                                  ", l.match FROM audit_link l JOIN audit_event e "
                                  "ON e.id = l.event_id WHERE l.task_id = ? ORDER BY e.at, e.id";
    auto &stmt = statement(sql.constData());
    stmt.bind(1, taskId);
    QList<AuditLink> links;
    while (stmt.next())
        links.append(AuditLink{readEvent(stmt), stmt.text(13)});
    stmt.reset();
    return links;
}

QList<AuditEvent> SqliteStore::unlinkedAuditEvents(int limit)
{
    static const QByteArray sql = QByteArray("SELECT ") + eventColumns +
                                  " FROM audit_event e WHERE NOT EXISTS (SELECT 1 FROM "
                                  "audit_link l WHERE l.event_id = e.id) ORDER BY e.at, e.id "
                                  "LIMIT ?";
    auto &stmt = statement(sql.constData());
    stmt.bind(1, limit);
    QList<AuditEvent> events;
    while (stmt.next())
        events.append(readEvent(stmt));
    stmt.reset();
    return events;
}

} // namespace Tasktrail

namespace Tasktrail {

bool SqliteStore::recomputeAuditLinks()
{
    if (!execScript(scratchTables) || !execScript(verifyTablesSql))
        return fail(u"cannot prepare the audit link check"_s);
    auto &current = statement(currentWindowsSql);
    current.bind(1, beforeStartMs);
    current.bind(2, openRunMs);
    current.bind(3, afterEndMs);
    if (!run(current) ||
        !run(statement("INSERT INTO temp.verify_window (task_id, lo, hi, repo, hashed_token, "
                       "token_id, principal) SELECT task_id, lo, hi, repo, hashed_token, "
                       "token_id, principal FROM temp.audit_window_now")) ||
        !run(statement("INSERT INTO temp.audit_affected (event) SELECT rowid FROM audit_event")))
        return false;
    const qint64 span = count("SELECT coalesce(max(hi - lo), 0) FROM temp.verify_window");
    for (const QByteArray &sql : candidateSqls()) {
        auto &candidates = statement(forVerify(sql.constData()));
        candidates.bind(1, span);
        if (!run(candidates))
            return false;
    }
    return insertAuditLinks(forVerify(linkRangeSql), forVerify(linkRestSql));
}

void SqliteStore::verifyAuditLinks(EvidenceReport &report)
{
    if (!recomputeAuditLinks()) {
        report.problems << EvidenceProblem{0, u"audit_link"_s, {}, u"cannot check: "_s % m_error};
        return;
    }
    auto &rows = statement(linkMismatchSql);
    int named = 0;
    while (rows.next()) {
        if (++named > maxNamedLinks)
            continue;
        const QString ref = Evidence::joinRef(rows.text(0), u'/', rows.text(1));
        const QString stored = rows.text(3);
        const QString given = rows.text(2);
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
    rows.reset();
    if (named > maxNamedLinks)
        report.problems << EvidenceProblem{
            0,
            u"audit_link"_s,
            {},
            u"%1 more links differ from what correlation gives"_s.arg(named - maxNamedLinks)};
    report.covered << EvidenceCoverage{
        u"audit links"_s, count("SELECT count(*) FROM audit_link"),
        u"recomputed from the audit events, tasks and identities, and compared"_s};
}

} // namespace Tasktrail
