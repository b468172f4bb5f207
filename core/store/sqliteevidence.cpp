// The evidence chain's write side: one entry per record a batch touched, its audit events and
// runs of log lines sharing entries, appended inside the batch's transaction; and the digests
// of records' rows.
#include "sqliteevidence.h"

#include "evidencehash.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

// `SELECT *`: every column counts, including ones added to a table later. Rows in key order.
const std::vector<EvidencePart> evidenceParts{
    {"request", "request", EvidenceKey::Text, 0, "SELECT * FROM request WHERE id = ?1",
     "SELECT r.id FROM request r WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE "
     "e.kind = 'request' AND e.ref = r.id)"},
    {"campaign", "campaign", EvidenceKey::Text, 0, "SELECT * FROM campaign WHERE id = ?1",
     "SELECT c.id FROM campaign c WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE "
     "e.kind = 'campaign' AND e.ref = c.id)"},
    {"decision", "repo_decision", EvidenceKey::Pair, u'/',
     "SELECT * FROM repo_decision WHERE campaign_id = ?1 AND repo = ?2",
     "SELECT replace(replace(d.campaign_id, '%', '%25'), '/', '%2F') || '/' || d.repo "
     "FROM repo_decision d WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE "
     "e.kind = 'decision' AND e.ref = "
     "replace(replace(d.campaign_id, '%', '%25'), '/', '%2F') || '/' || d.repo)"},
    {"identity", "identity", EvidenceKey::Text, 0, "SELECT * FROM identity WHERE id = ?1",
     "SELECT i.id FROM identity i WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE "
     "e.kind = 'identity' AND e.ref = i.id)"},
    {"policy", "policy", EvidenceKey::Pair, u'@',
     "SELECT * FROM policy WHERE id = ?1 AND version = ?2",
     "SELECT replace(replace(p.id, '%', '%25'), '@', '%40') || '@' || p.version FROM policy p "
     "WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.kind = 'policy' AND e.ref = "
     "replace(replace(p.id, '%', '%25'), '@', '%40') || '@' || p.version)"},
    {"template", "task_template", EvidenceKey::Pair, u'@',
     "SELECT * FROM task_template WHERE id = ?1 AND version = ?2",
     "SELECT replace(replace(t.id, '%', '%25'), '@', '%40') || '@' || t.version "
     "FROM task_template t WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE "
     "e.kind = 'template' AND e.ref = "
     "replace(replace(t.id, '%', '%25'), '@', '%40') || '@' || t.version)"},
    // A task's state covers everything the task record nests.
    {"task", "task", EvidenceKey::Text, 0, "SELECT * FROM task WHERE id = ?1",
     "SELECT t.id FROM task t WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE "
     "e.kind = 'task' AND e.ref = t.id)"},
    {"task", "task_session", EvidenceKey::Text, 0,
     "SELECT * FROM task_session WHERE task_id = ?1 ORDER BY id",
     "SELECT DISTINCT s.task_id FROM task_session s WHERE NOT EXISTS (SELECT 1 FROM evidence "
     "e WHERE e.kind = 'task' AND e.ref = s.task_id)"},
    {"task", "command", EvidenceKey::Text, 0,
     "SELECT * FROM command WHERE task_id = ?1 ORDER BY seq",
     "SELECT DISTINCT c.task_id FROM command c WHERE NOT EXISTS (SELECT 1 FROM evidence e "
     "WHERE e.kind = 'task' AND e.ref = c.task_id)"},
    {"task", "test_result", EvidenceKey::Text, 0,
     "SELECT * FROM test_result WHERE task_id = ?1 ORDER BY name",
     "SELECT DISTINCT r.task_id FROM test_result r WHERE NOT EXISTS (SELECT 1 FROM evidence "
     "e WHERE e.kind = 'task' AND e.ref = r.task_id)"},
    {"task", "file_change", EvidenceKey::Text, 0,
     "SELECT * FROM file_change WHERE task_id = ?1 ORDER BY path",
     "SELECT DISTINCT f.task_id FROM file_change f WHERE NOT EXISTS (SELECT 1 FROM evidence "
     "e WHERE e.kind = 'task' AND e.ref = f.task_id)"},
    {"task", "contact", EvidenceKey::Text, 0,
     "SELECT * FROM contact WHERE task_id = ?1 ORDER BY host, tool",
     "SELECT DISTINCT c.task_id FROM contact c WHERE NOT EXISTS (SELECT 1 FROM evidence e "
     "WHERE e.kind = 'task' AND e.ref = c.task_id)"},
    {"task", "failure", EvidenceKey::Text, 0,
     "SELECT * FROM failure WHERE task_id = ?1 ORDER BY seq",
     "SELECT DISTINCT f.task_id FROM failure f WHERE NOT EXISTS (SELECT 1 FROM evidence e "
     "WHERE e.kind = 'task' AND e.ref = f.task_id)"},
    {"pull_request", "pull_request", EvidenceKey::Pair, u'#',
     "SELECT * FROM pull_request WHERE repo = ?1 AND number = ?2",
     "SELECT replace(replace(p.repo, '%', '%25'), '#', '%23') || '#' || p.number "
     "FROM pull_request p WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE "
     "e.kind = 'pull_request' AND e.ref = "
     "replace(replace(p.repo, '%', '%25'), '#', '%23') || '#' || p.number)"},
    {"review", "review", EvidenceKey::Integer, 0, "SELECT * FROM review WHERE id = ?1",
     "SELECT CAST(r.id AS TEXT) FROM review r WHERE NOT EXISTS (SELECT 1 FROM evidence e "
     "WHERE e.kind = 'review' AND e.ref = CAST(r.id AS TEXT))"},
    {"check_run", "check_run", EvidenceKey::Integer, 0, "SELECT * FROM check_run WHERE id = ?1",
     "SELECT CAST(c.id AS TEXT) FROM check_run c WHERE NOT EXISTS (SELECT 1 FROM evidence e "
     "WHERE e.kind = 'check_run' AND e.ref = CAST(c.id AS TEXT))"},
    {"check_suite", "check_suite", EvidenceKey::Integer, 0,
     "SELECT * FROM check_suite WHERE id = ?1",
     "SELECT CAST(c.id AS TEXT) FROM check_suite c WHERE NOT EXISTS (SELECT 1 FROM evidence e "
     "WHERE e.kind = 'check_suite' AND e.ref = CAST(c.id AS TEXT))"},
    {"transcript", "session_transcript", EvidenceKey::Text, 0,
     "SELECT * FROM session_transcript WHERE session_id = ?1",
     "SELECT t.session_id FROM session_transcript t WHERE NOT EXISTS (SELECT 1 FROM evidence e "
     "WHERE e.kind = 'transcript' AND e.ref = t.session_id)"},
    {"transcript", "transcript_entry", EvidenceKey::Text, 0,
     "SELECT * FROM transcript_entry WHERE session_id = ?1 ORDER BY seq",
     "SELECT DISTINCT t.session_id FROM transcript_entry t WHERE NOT EXISTS (SELECT 1 FROM "
     "evidence e WHERE e.kind = 'transcript' AND e.ref = t.session_id)"},
    // An event's own entry (before events shared them), or its batch's `audit_events` entry.
    {"audit_event", "audit_event", EvidenceKey::Text, 0, "SELECT * FROM audit_event WHERE id = ?1",
     "SELECT a.id FROM audit_event a WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE "
     // Only the strings of a ref that is a JSON array list events (no NULL in the NOT IN
     // list; a malformed ref lists nothing): what verify reads back lists them too.
     "e.kind = 'audit_event' AND e.ref = a.id) AND a.id NOT IN (SELECT j.value FROM evidence e, "
     "json_each(CASE WHEN json_valid(e.ref) AND json_type(e.ref) = 'array' THEN e.ref ELSE "
     "'[]' END) j WHERE e.kind = 'audit_events' AND j.type = 'text')",
     // NOT EXISTS, which PostgreSQL runs as a hash anti-join whatever its work_mem: NOT IN
     // would compare each event with the whole list once the list outgrew work_mem.
     "SELECT a.id FROM audit_event a WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE "
     "e.kind = 'audit_event' AND e.ref = a.id) AND NOT EXISTS (SELECT 1 FROM (SELECT "
     "jsonb_array_elements_text(e.ref::jsonb) AS id FROM evidence e WHERE e.kind = "
     "'audit_events') g WHERE g.id = a.id)"},
    {"audit_events", "audit_event", EvidenceKey::TextList, 0,
     "SELECT * FROM audit_event WHERE id = ?1", nullptr},
    // The exact text of a template or policy version, as loaded.
    {"template_document", "policy_document", EvidenceKey::Pair, u'@',
     "SELECT * FROM policy_document WHERE kind = 'template' AND id = ?1 AND version = ?2",
     "SELECT replace(replace(d.id, '%', '%25'), '@', '%40') || '@' || d.version "
     "FROM policy_document d WHERE d.kind = 'template' AND NOT EXISTS (SELECT 1 FROM evidence "
     "e WHERE e.kind = 'template_document' AND e.ref = "
     "replace(replace(d.id, '%', '%25'), '@', '%40') || '@' || d.version)"},
    {"policy_document", "policy_document", EvidenceKey::Pair, u'@',
     "SELECT * FROM policy_document WHERE kind = 'policy' AND id = ?1 AND version = ?2",
     "SELECT replace(replace(d.id, '%', '%25'), '@', '%40') || '@' || d.version "
     "FROM policy_document d WHERE d.kind = 'policy' AND NOT EXISTS (SELECT 1 FROM evidence "
     "e WHERE e.kind = 'policy_document' AND e.ref = "
     "replace(replace(d.id, '%', '%25'), '@', '%40') || '@' || d.version)"},
    // What `scan` redacted from rows stored earlier (sqlitesecretscan.cpp).
    {"redaction", "redaction", EvidenceKey::Integer, 0, "SELECT * FROM redaction WHERE id = ?1",
     "SELECT CAST(r.id AS TEXT) FROM redaction r WHERE NOT EXISTS (SELECT 1 FROM evidence e "
     "WHERE e.kind = 'redaction' AND e.ref = CAST(r.id AS TEXT))"},
    // A finding's triage, one entry per change (sqlitetriage.cpp): history is appended only.
    {"triage", "finding_triage", EvidenceKey::Integer, 0,
     "SELECT * FROM finding_triage WHERE id = ?1",
     "SELECT CAST(g.id AS TEXT) FROM finding_triage g WHERE NOT EXISTS (SELECT 1 FROM evidence e "
     "WHERE e.kind = 'triage' AND e.ref = CAST(g.id AS TEXT))"},
    // Lines outside every range are found by walking the gaps between ranges (verify).
    {"log", "log_line", EvidenceKey::LogRange, 0,
     "SELECT id, ts, text, ansi FROM log_line WHERE id BETWEEN ?1 AND ?2 ORDER BY id", nullptr},
};

namespace {

constexpr const char *logKind = "log";

// Binds a ref to a part's rows query; false when the ref cannot name a row of it.
bool bindKey(SqliteStatement &stmt, const EvidencePart &part, const QString &ref)
{
    switch (part.key) {
    case EvidenceKey::Text:
        stmt.bind(1, ref);
        return true;
    case EvidenceKey::Integer: {
        bool ok = false;
        const qint64 id = ref.toLongLong(&ok);
        stmt.bind(1, id);
        return ok;
    }
    case EvidenceKey::Pair: {
        const auto parts = Evidence::splitRef(ref, part.sep);
        if (!parts)
            return false;
        stmt.bind(1, parts->first);
        stmt.bind(2, parts->second);
        return true;
    }
    case EvidenceKey::LogRange: // read a range or an id at a time (leavesState)
    case EvidenceKey::TextList:
        return false;
    }
    return false;
}

} // namespace

EvidenceLedger::EvidenceLedger(SqliteStore &store)
    : m_store(store)
{}

EvidenceLedger::~EvidenceLedger() = default;

void EvidenceLedger::clear()
{
    m_recordHash.clear();
    m_touched.clear();
    m_auditEvents.clear();
    m_logRuns.clear();
}

EvidenceLedger::Touched *EvidenceLedger::touched(const char *kind, const QString &ref,
                                                 const QByteArray &written)
{
    // Outside a batch a write commits on its own and stays out of the chain (verify lists it).
    if (sqlite3_get_autocommit(m_store.m_db))
        return nullptr;
    Touched &record = m_touched[{QLatin1StringView(kind), ref}];
    Evidence::addContentHash(record.contentHashes, m_recordHash, written);
    record.state.clear();
    return &record;
}

void EvidenceLedger::touch(const char *kind, const QString &ref, const QByteArray &written)
{
    touched(kind, ref, written);
}

void EvidenceLedger::touchStored(const char *kind, const QString &ref, const QByteArray &written,
                                 const SqliteStatement &stored)
{
    Touched *record = touched(kind, ref, written);
    if (!record)
        return;
    // The kinds whose state is one row of one table: their part, by kind.
    static const std::map<std::string, const EvidencePart *, std::less<>> oneRowKinds = [] {
        std::map<std::string, int> parts;
        for (const EvidencePart &part : evidenceParts)
            ++parts[part.kind];
        std::map<std::string, const EvidencePart *, std::less<>> out;
        for (const EvidencePart &part : evidenceParts) {
            if (parts[part.kind] == 1 && !hasLeaves(part.key))
                out.emplace(part.kind, &part);
        }
        return out;
    }();
    const auto it = oneRowKinds.find(std::string_view(kind));
    if (it == oneRowKinds.end())
        return;
    RowHasher row;
    row.addRow(it->second->table, stored);
    record->state = row.finish(m_sha256);
}

void EvidenceLedger::touchAuditEvent(const QString &id, const QByteArray &written,
                                     const SqliteStatement &stored)
{
    if (sqlite3_get_autocommit(m_store.m_db))
        return;
    Touched &event = m_auditEvents[id];
    Evidence::addContentHash(event.contentHashes, m_recordHash, written);
    RowHasher row;
    row.addRow("audit_event", stored);
    event.state = row.finish(m_sha256);
}

void EvidenceLedger::touch(const char *kind, const QString &ref, const SqliteStatement &write)
{
    touch(kind, ref, m_recordHash.isEmpty() ? write.expandedSql() : QByteArray());
}

void EvidenceLedger::lineAppended(qint64 commandKey, const LogLine &line)
{
    if (sqlite3_get_autocommit(m_store.m_db))
        return;
    m_logRuns.add(commandKey, line, m_recordHash);
}

std::optional<EvidenceLedger::State> EvidenceLedger::leavesState(const EvidencePart &part,
                                                                 const QString &ref, QString *error)
{
    // A ref that does not parse names no rows: the entry cannot be checked.
    std::optional<QList<Evidence::LogRange>> ranges;
    std::optional<QStringList> ids;
    if (part.key == EvidenceKey::LogRange)
        ranges = Evidence::parseLogRefs(ref);
    else
        ids = Evidence::parseGroupRef(ref);
    if (!ranges && !ids) {
        *error = u"its ref does not list what it covers"_s;
        return std::nullopt;
    }
    SqliteStatement &stmt = m_store.statement(part.rowsSql);
    QList<QByteArray> leaves;
    qint64 rows = 0;
    // One digest of the rows the statement reads once `bind` bound it.
    const auto leaf = [&](const auto &bind) {
        if (!stmt.isValid())
            return false;
        bind();
        RowHasher hasher;
        while (stmt.next())
            hasher.addRow(part.table, stmt);
        const bool done = stmt.lastResult() == SQLITE_DONE;
        stmt.reset();
        rows += hasher.rows();
        leaves << hasher.finish(m_sha256);
        return done;
    };
    bool ok = true;
    for (const Evidence::LogRange &range : ranges.value_or(QList<Evidence::LogRange>())) {
        ok = ok && leaf([&] {
                 stmt.bind(1, *logLineId(range.commandKey, range.firstLine));
                 stmt.bind(2, *logLineId(range.commandKey, range.lastLine));
             });
    }
    for (const QString &id : ids.value_or(QStringList()))
        ok = ok && leaf([&] { stmt.bind(1, id); });
    if (!ok) {
        *error = u"cannot read table %1"_s.arg(QLatin1StringView(part.table));
        return std::nullopt;
    }
    return State{Evidence::combined(leaves), rows};
}

std::optional<EvidenceLedger::State>
EvidenceLedger::currentState(const QString &kind, const QString &ref, QString *error)
{
    RowHasher hasher;
    bool known = false;
    for (const EvidencePart &part : evidenceParts) {
        if (kind != QLatin1StringView(part.kind))
            continue;
        // A log entry's state is each of its ranges' digests, combined; an `audit_events`
        // entry's each of its events'.
        if (hasLeaves(part.key))
            return leavesState(part, ref, error);
        known = true;
        SqliteStatement &stmt = m_store.statement(part.rowsSql);
        if (!stmt.isValid()) {
            *error = u"cannot read table %1"_s.arg(QLatin1StringView(part.table));
            return std::nullopt;
        }
        if (!bindKey(stmt, part, ref)) {
            stmt.reset();
            continue;
        }
        while (stmt.next())
            hasher.addRow(part.table, stmt);
        const bool done = stmt.lastResult() == SQLITE_DONE;
        stmt.reset();
        if (!done) {
            *error = u"cannot read table %1"_s.arg(QLatin1StringView(part.table));
            return std::nullopt;
        }
    }
    if (!known) {
        *error = u"unknown kind"_s;
        return std::nullopt;
    }
    const qint64 rows = hasher.rows();
    return State{hasher.finish(m_sha256), rows};
}

bool EvidenceLedger::append()
{
    if (m_touched.empty() && m_auditEvents.empty() && m_logRuns.isEmpty())
        return true;
    // Inside the batch's write transaction: nobody else can append in between.
    auto &last = m_store.statement("SELECT seq, chain_hash FROM evidence ORDER BY seq DESC "
                                   "LIMIT 1");
    qint64 seq = 0;
    QByteArray previous = Evidence::genesis();
    if (last.next()) {
        seq = last.int64(0);
        previous = last.bytes(1);
    }
    last.reset();
    auto &ins = m_store.statement("INSERT INTO evidence (seq, kind, ref, content_hash, "
                                  "state_hash, chain_hash, at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    const qint64 at = QDateTime::currentMSecsSinceEpoch();
    // kind and ref in UTF-8; the statement binds them without a copy.
    const auto add = [&](const QByteArray &kind, const QByteArray &ref, const QByteArray &content,
                         const QByteArray &state) {
        const QByteArray chain = Evidence::chainHash(previous, ++seq, kind, ref, content, state);
        ins.bind(1, seq);
        ins.bindText(2, kind);
        ins.bindText(3, ref);
        ins.bindBlob(4, content);
        ins.bindBlob(5, state);
        ins.bindBlob(6, chain);
        ins.bind(7, at);
        previous = chain;
        return m_store.run(ins);
    };
    for (const auto &[key, touched] : m_touched) {
        const QString kind = key.first;
        QByteArray state = touched.state;
        if (state.isEmpty()) {
            QString error;
            const auto current = currentState(kind, key.second, &error);
            if (!current)
                return m_store.fail(u"evidence of %1 %2: %3"_s.arg(kind, key.second, error));
            state = current->hash;
        }
        if (!add(kind.toUtf8(), key.second.toUtf8(), Evidence::combined(touched.contentHashes),
                 state))
            return false;
    }
    // The audit events in id order, a few to an entry; each event's state is its row as its
    // insert returned it (an event is written once, and never changed by a later write).
    SharedEntries events("[", "]");
    const auto addEvents = [&](const SharedEntries::Entry &entry) {
        return add(QByteArrayLiteral("audit_events"), entry.ref, entry.content, entry.state);
    };
    for (const auto &[id, event] : m_auditEvents) {
        if (!events.add(Evidence::jsonString(id), Evidence::combined(event.contentHashes),
                        event.state, addEvents))
            return false;
    }
    if (!events.finish(addEvents))
        return false;
    const QByteArray log(logKind);
    // Each run holds exactly the lines it appended, so their digest is the range's state; the
    // rows are not read back.
    if (!m_logRuns.finishEntries(m_sha256, [&](const SharedEntries::Entry &entry) {
            return add(log, entry.ref, entry.content, entry.state);
        }))
        return false;
    clear();
    return true;
}

QByteArray EvidenceLedger::head(qint64 *entries)
{
    auto &last = m_store.statement("SELECT seq, chain_hash FROM evidence ORDER BY seq DESC "
                                   "LIMIT 1");
    QByteArray head;
    qint64 seq = 0;
    if (last.next()) {
        seq = last.int64(0);
        head = last.bytes(1).toHex();
    }
    last.reset();
    if (entries)
        *entries = seq; // seq has no gaps in a chain that verifies; no count(*) over it
    return head;
}

std::optional<EvidenceEntry> EvidenceLedger::latest(const QString &kind, const QString &ref)
{
    auto &q = m_store.statement("SELECT seq, content_hash, state_hash, chain_hash, at "
                                "FROM evidence WHERE kind = ? AND ref = ? "
                                "ORDER BY seq DESC LIMIT 1");
    q.bind(1, kind);
    q.bind(2, ref);
    std::optional<EvidenceEntry> found;
    if (q.next())
        found =
            EvidenceEntry{q.int64(0), kind, ref, q.bytes(1), q.bytes(2), q.bytes(3), q.dateTime(4)};
    q.reset();
    return found;
}

QByteArray SqliteStore::evidenceHead()
{
    return m_evidence->head();
}

std::optional<EvidenceEntry> SqliteStore::latestEvidence(const QString &kind, const QString &ref)
{
    return m_evidence->latest(kind, ref);
}

QByteArray SqliteStore::currentEvidenceState(const QString &kind, const QString &ref)
{
    QString error;
    const auto state = m_evidence->currentState(kind, ref, &error);
    return state ? state->hash : QByteArray();
}

EvidenceReport SqliteStore::verifyEvidence(const QByteArray &knownHeadHex)
{
    return m_evidence->verify(knownHeadHex);
}

} // namespace Tasktrail
