#include "pgstore.h"

#include "evidencehash.h"
#include "pgevidence.h"
#include "pgrecordfields.h"
#include "pgschema.h"
#include "recordredaction.h"
#include "searchtokens.h"

#include <QCoreApplication>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcPgStore, "tasktrail.store.postgresql")

namespace Tasktrail {

namespace {

// Advisory lock keys (one bigint namespace per database): schema upgrades; the chain's
// appends (pgevidence.cpp, 2) and audit linking (pgaudit.cpp, 3); checks (4, held across
// batches, so a session lock: a connection that goes away releases it).
constexpr qint64 migrationLock = 0x7461736b74726c01; // "tasktrl" 1
constexpr qint64 checkLock = 0x7461736b74726c04;     // "tasktrl" 4

} // namespace

PgStore::PgStore()
    : m_evidence(std::make_unique<PgEvidenceLedger>(*this))
    , m_logRedaction(std::make_unique<LogRedaction>())
{}

PgStore::~PgStore() = default;

bool PgStore::open(const QString &location, StoreAccess access)
{
    m_location = location;
    if (!m_db.open(location, &m_error))
        return false;
    if (access != StoreAccess::ReadWrite &&
        !m_db.exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"))
        return fail(u"cannot open %1 read-only"_s.arg(location));
    return migrate(access);
}

// Brings the schema to pgSchemaVersion: every migration above the database's version, in
// order, in one transaction that also records them. Concurrent openers wait for each other
// on an advisory lock, and the second finds the work done.
bool PgStore::migrate(StoreAccess access)
{
    const auto version = [this]() -> std::optional<int> {
        // Two statements: a query naming a table that does not exist fails when planned.
        const PgResult exists = m_db.query("SELECT to_regclass('schema_version') IS NOT NULL");
        if (!exists.ok() || exists.rows() != 1)
            return std::nullopt;
        if (exists.text(0, 0) != u"t")
            return 0;
        const PgResult r = m_db.query("SELECT coalesce(max(version), 0) FROM schema_version");
        if (!r.ok() || r.rows() != 1)
            return std::nullopt;
        return int(r.int64(0, 0));
    };
    const auto newer = [this](int found) {
        const PgResult r = m_db.query("SELECT tasktrail FROM schema_version WHERE version = $1",
                                      PgParams().add(qint64(found)));
        const QString by = r.ok() && r.rows() ? r.text(0, 0) : QString();
        m_error = u"%1 has schema version %2, written by Tasktrail %3; this Tasktrail reads "
                  "versions up to %4: use Tasktrail %3 or newer"_s.arg(m_location)
                      .arg(found)
                      .arg(by.isEmpty() ? u"(unknown)"_s : by)
                      .arg(pgSchemaVersion);
        return false;
    };
    std::optional<int> found = version();
    if (!found)
        return fail(u"cannot read the schema version of %1"_s.arg(m_location));
    m_openedAt = *found;
    if (*found > pgSchemaVersion)
        return newer(*found);
    if (*found == pgSchemaVersion)
        return true;
    if (access != StoreAccess::ReadWrite) {
        m_error = u"%1 has schema version %2, this Tasktrail writes %3: open it once for writing "
                  "(as its owner) to upgrade it"_s.arg(m_location)
                      .arg(*found)
                      .arg(pgSchemaVersion);
        return false;
    }
    if (!m_db.exec("BEGIN") ||
        !m_db.query("SELECT pg_advisory_xact_lock($1)", PgParams().add(migrationLock)).ok() ||
        !m_db.exec("SET LOCAL client_min_messages = warning; CREATE TABLE IF NOT EXISTS "
                   "schema_version (version INTEGER PRIMARY KEY, tasktrail TEXT NOT NULL, "
                   "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")) {
        const QString error = m_db.errorString();
        m_db.exec("ROLLBACK");
        return fail(u"cannot upgrade the schema of %1: %2"_s.arg(m_location, error));
    }
    found = version(); // another opener may have upgraded it while we waited
    if (!found || *found > pgSchemaVersion) {
        m_db.exec("ROLLBACK");
        return found ? newer(*found) : fail(u"cannot read the schema version"_s);
    }
    const QString self = QCoreApplication::applicationVersion();
    for (const PgMigration &m : pgMigrations()) {
        if (m.version <= *found)
            continue;
        if (!m_db.exec(m.sql) ||
            !m_db.query(
                     "INSERT INTO schema_version (version, tasktrail) VALUES ($1, $2)",
                     PgParams().add(qint64(m.version)).add(self.isEmpty() ? u"(unknown)"_s : self))
                 .ok()) {
            const QString error = m_db.errorString();
            m_db.exec("ROLLBACK");
            return fail(u"cannot upgrade %1 to schema version %2: %3"_s.arg(m_location)
                            .arg(m.version)
                            .arg(error));
        }
    }
    return m_db.exec("COMMIT") || fail(u"cannot commit the schema upgrade"_s);
}

bool PgStore::fail(const QString &what)
{
    m_error = m_db.errorString().isEmpty() || what.contains(m_db.errorString())
                  ? what
                  : what + u": "_s + m_db.errorString();
    qCWarning(lcPgStore, "%s", qUtf8Printable(m_error));
    return false;
}

PgResult PgStore::run(const char *sql, const PgParams &params)
{
    PgResult r = m_db.query(sql, params);
    if (!r.ok())
        fail(u"statement failed"_s);
    return r;
}

PgResult PgStore::runPrepared(const char *sql, const PgParams &params)
{
    PgResult r = m_db.queryPrepared(sql, params);
    if (!r.ok())
        fail(u"statement failed"_s);
    return r;
}

bool PgStore::exec(const char *sql, const PgParams &params)
{
    return statement(sql, params, PgConnection::Plan::EachTime);
}

bool PgStore::write(const char *sql, const PgParams &params)
{
    return statement(sql, params, PgConnection::Plan::Prepared);
}

bool PgStore::statement(const char *sql, const PgParams &params, PgConnection::Plan plan)
{
    if (m_inBatch)
        return m_db.send(sql, params, plan) || fail(u"statement failed"_s);
    return run(sql, params).ok();
}

bool PgStore::beginBatch()
{
    m_evidence->clear();
    m_pendingLines.clear();
    m_pendingCount = 0;
    m_storedMaxLine.clear();
    if (!m_db.exec("BEGIN"))
        return fail(u"cannot begin a batch"_s);
    m_inBatch = true;
    return true;
}

bool PgStore::commitBatch()
{
    // The batch's lines and evidence are part of it: they commit with it or not at all.
    if (!flushLogLines() || !m_evidence->append())
        return false;
    // A write sent without its answer that failed leaves the batch open, to be rolled back.
    if (!m_db.sync())
        return fail(u"cannot commit"_s);
    m_evidence->clear();
    m_storedMaxLine.clear();
    m_inBatch = false;
    return m_db.exec("COMMIT") || fail(u"cannot commit"_s);
}

bool PgStore::beginSnapshot()
{
    return m_db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ") || fail(u"cannot begin a read"_s);
}

void PgStore::endSnapshot()
{
    m_db.exec("COMMIT");
}

void PgStore::rollbackBatch()
{
    m_evidence->clear();
    m_pendingLines.clear();
    m_pendingCount = 0;
    m_storedMaxLine.clear();
    m_db.discardSent();
    if (m_inBatch)
        m_db.exec("ROLLBACK");
    m_inBatch = false;
}

void PgStore::interrupt()
{
    m_db.cancel();
}

bool PgStore::markRecordSeen(const QByteArray &contentHash, bool *isNew)
{
    m_evidence->recordSeen(contentHash);
    const PgResult r =
        runPrepared("INSERT INTO record_seen (hash) VALUES ($1) ON CONFLICT DO NOTHING",
                    PgParams().addBytes(contentHash));
    if (!r.ok())
        return false;
    *isNew = r.affected() > 0;
    return true;
}

// Keeps record_text equal to the row just written, as SqliteStore::indexRecordText does: a
// null text or task id keeps what is indexed, an empty text removes the row. The search
// column holds the text's words as SQLite's index splits them (searchtokens.h).
bool PgStore::indexRecordText(const QString &kind, const QString &ref, const QString &taskId,
                              const QString &text)
{
    if (text.isNull())
        return taskId.isNull() ||
               write("UPDATE record_text SET task_id = $3 WHERE kind = $1 AND ref = $2",
                     PgParams().add(kind).add(ref).add(taskId));
    if (text.isEmpty())
        return write("DELETE FROM record_text WHERE kind = $1 AND ref = $2",
                     PgParams().add(kind).add(ref));
    return write("INSERT INTO record_text (kind, ref, task_id, text, search) "
                 "VALUES ($1, $2, $3, $4, $5::tsvector) ON CONFLICT (kind, ref) DO UPDATE SET "
                 "text = $4, task_id = coalesce($3, record_text.task_id), search = $5::tsvector",
                 PgParams().add(kind).add(ref).add(taskId).add(text).addUtf8(
                     searchTokens().tsvector(text.toUtf8())));
}

bool PgStore::lockChecks()
{
    return m_db.query("SELECT pg_advisory_lock($1)", PgParams().add(checkLock)).ok() ||
           fail(m_db.errorString());
}

void PgStore::unlockChecks()
{
    m_db.query("SELECT pg_advisory_unlock($1)", PgParams().add(checkLock));
}

} // namespace Tasktrail
