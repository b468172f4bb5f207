#include "storecopy.h"

#include "pgconnection.h"
#include "pgstore.h"
#include "searchtokens.h"
#include "sqliteschema.h"

#include <QFileInfo>

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Every table a copy fills, in the order it fills them: what others refer to first, and the
// evidence chain last, so that a reader of the target never sees entries before their records.
const char *const copiedTables[] = {"request",
                                    "campaign",
                                    "repo_decision",
                                    "identity",
                                    "policy",
                                    "task_template",
                                    "policy_document",
                                    "task",
                                    "task_session",
                                    "command",
                                    "log_line",
                                    "test_result",
                                    "file_change",
                                    "contact",
                                    "failure",
                                    "pull_request",
                                    "review",
                                    "check_run",
                                    "check_suite",
                                    "session_transcript",
                                    "transcript_entry",
                                    "record_text",
                                    "record_seen",
                                    "ingested_file",
                                    "finding",
                                    "task_check",
                                    "finding_triage",
                                    "audit_event",
                                    "audit_link",
                                    "audit_task_window",
                                    "redaction",
                                    "repository",
                                    "launch_submission",
                                    "launch_queue",
                                    "launch_event",
                                    "launch_attempt",
                                    "sync_cursor",
                                    "evidence"};

// Tables of the target that are not copied: each database's own schema history, the copy's
// own bookkeeping, and the audit linking's bookmark (an SQLite rowid, meaningless on
// PostgreSQL). finish() lists every copied audit event as not yet linked instead: the next
// linking run there looks at each once more, which links nothing twice and takes in an event
// the file stored after its last linking run.
const char *const uncopiedTables[] = {"schema_version", "copy_source", "copy_progress",
                                      "audit_link_state", "audit_event_new"};

// Only one copy writes into a database at a time (a session-level advisory lock).
constexpr qint64 copyLockKey = 0x7461736b636f7079; // "taskcopy"

// A batch is sent when it has this many bytes, whatever the row count.
constexpr qsizetype maxBatchBytes = 16 << 20;

QByteArray quoted(const QString &identifier)
{
    return '"' + identifier.toUtf8().replace('"', "\"\"") + '"';
}

} // namespace

QByteArrayList teamDatabaseTables()
{
    QByteArrayList tables;
    for (const char *table : copiedTables)
        tables << table;
    for (const char *table : uncopiedTables)
        tables << table;
    return tables;
}

// The SQLite file, read-only, in one read transaction.
struct StoreCopy::Source
{
    sqlite3 *db = nullptr;
    ~Source() { sqlite3_close(db); }
    QString error() const { return QString::fromUtf8(sqlite3_errmsg(db)); }
};

StoreCopy::StoreCopy() = default;
StoreCopy::~StoreCopy() = default;

namespace {
std::mutex cancelMutex; // guards the target connection against cancel() while it goes away
}

void StoreCopy::cancel()
{
    m_cancelled = true;
    const std::lock_guard lock(cancelMutex);
    if (PgConnection *target = m_cancelTarget.load())
        target->cancel();
}

bool StoreCopy::fail(const QString &error)
{
    m_error = m_cancelled.load() ? u"cancelled"_s : error;
    return false;
}

bool StoreCopy::run(const QString &sqliteFile, const QString &pgLocation)
{
    m_cancelled = false;
    m_error.clear();
    m_rowsCopied = 0;
    const bool ok = prepareTarget(sqliteFile, pgLocation) && claimTarget(sqliteFile) && [this] {
        StoreCopyProgress progress;
        for (const char *table : copiedTables) {
            const QString name = QString::fromLatin1(table);
            sqlite3_stmt *count = nullptr;
            sqlite3_prepare_v2(m_source->db,
                               QByteArray("SELECT count(*) FROM " + quoted(name)).constData(), -1,
                               &count, nullptr);
            progress.total +=
                sqlite3_step(count) == SQLITE_ROW ? sqlite3_column_int64(count, 0) : 0;
            sqlite3_finalize(count);
        }
        for (const char *table : copiedTables) {
            if (!copyTable(QString::fromLatin1(table), progress))
                return false;
        }
        return finish();
    }();
    {
        const std::lock_guard lock(cancelMutex);
        m_cancelTarget = nullptr;
        m_target.reset();
    }
    m_source.reset();
    return ok;
}

// Opens both ends: the file read-only at the schema version this Tasktrail writes, and the
// team database with its schema brought up to date (PgStore does that) and this copy's lock.
bool StoreCopy::prepareTarget(const QString &sqliteFile, const QString &pgLocation)
{
    if (isPostgresLocation(sqliteFile) || !QFileInfo(sqliteFile).isFile())
        return fail(u"%1: not an SQLite file"_s.arg(sqliteFile));
    if (!isPostgresLocation(pgLocation))
        return fail(u"%1: not a PostgreSQL database (postgresql://USER@HOST/DB or "
                    "host=... dbname=...)"_s.arg(pgLocation));
    m_source = std::make_unique<Source>();
    if (sqlite3_open_v2(QFile::encodeName(sqliteFile).constData(), &m_source->db,
                        SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        return fail(u"%1: %2"_s.arg(sqliteFile, m_source->error()));
    sqlite3_busy_timeout(m_source->db, 10000);
    sqlite3_stmt *version = nullptr;
    sqlite3_prepare_v2(m_source->db, "PRAGMA user_version", -1, &version, nullptr);
    const int found = sqlite3_step(version) == SQLITE_ROW ? sqlite3_column_int(version, 0) : -1;
    sqlite3_finalize(version);
    if (found != sqliteSchemaVersion)
        return fail(found < sqliteSchemaVersion
                        ? u"%1 has schema version %2: open it once with this Tasktrail, which "
                          "upgrades it to version %3, then copy it"_s.arg(sqliteFile)
                              .arg(found)
                              .arg(sqliteSchemaVersion)
                        : u"%1 has schema version %2, newer than this Tasktrail's %3: copy it "
                          "with the Tasktrail that wrote it"_s.arg(sqliteFile)
                              .arg(found)
                              .arg(sqliteSchemaVersion));
    // One read transaction from here on: every table is read as of the same moment.
    if (sqlite3_exec(m_source->db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(u"%1: %2"_s.arg(sqliteFile, m_source->error()));
    {
        PgStore schema;
        if (!schema.open(pgLocation))
            return fail(schema.errorString());
    }
    auto target = std::make_unique<PgConnection>();
    QString error;
    if (!target->open(pgLocation, &error))
        return fail(error);
    {
        const std::lock_guard lock(cancelMutex);
        m_target = std::move(target);
        m_cancelTarget = m_target.get();
    }
    const PgResult lock =
        m_target->query("SELECT pg_try_advisory_lock($1)", PgParams().add(copyLockKey));
    if (!lock.ok())
        return fail(m_target->errorString());
    if (lock.text(0, 0) != u"t")
        return fail(u"%1: another copy into this database is running"_s.arg(pgLocation));
    return true;
}

// Starts a copy into an empty database, or goes on with one from the same state of the file.
bool StoreCopy::claimTarget(const QString &sqliteFile)
{
    sqlite3_stmt *head = nullptr;
    sqlite3_prepare_v2(m_source->db, "SELECT chain_hash FROM evidence ORDER BY seq DESC LIMIT 1",
                       -1, &head, nullptr);
    if (sqlite3_step(head) == SQLITE_ROW)
        m_head = QByteArray(static_cast<const char *>(sqlite3_column_blob(head, 0)),
                            sqlite3_column_bytes(head, 0))
                     .toHex();
    sqlite3_finalize(head);

    // Every table of the target is one the copy knows: a table added later must be listed.
    const PgResult tables = m_target->query(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1");
    if (!tables.ok())
        return fail(m_target->errorString());
    for (int i = 0; i < tables.rows(); ++i) {
        const QByteArray name = tables.utf8(i, 0);
        const auto listed = [&name](const auto &list) {
            return std::find(std::begin(list), std::end(list), name) != std::end(list);
        };
        if (!listed(copiedTables) && !listed(uncopiedTables))
            return fail(u"table %1 of the team database is not known to copy"_s.arg(
                QString::fromUtf8(name)));
    }

    const PgResult claimed = m_target->query("SELECT head FROM copy_source WHERE id = 1");
    if (!claimed.ok())
        return fail(m_target->errorString());
    if (claimed.rows() == 1) {
        if (claimed.utf8(0, 0) != m_head)
            return fail(u"the team database holds a copy of another state of the file (chain "
                        "head %1; %2 has %3 now): copy into an empty database"_s.arg(
                            claimed.text(0, 0), sqliteFile, QString::fromLatin1(m_head)));
        m_resumed = true;
        return true;
    }
    for (const char *table : copiedTables) {
        const PgResult any = m_target->query(
            QByteArray("SELECT EXISTS (SELECT 1 FROM " + quoted(QString::fromLatin1(table)) + ")")
                .constData());
        if (!any.ok())
            return fail(m_target->errorString());
        if (any.text(0, 0) == u"t")
            return fail(
                u"the team database already holds data (table %1 has rows): copy "
                "moves a file into an empty team database"_s.arg(QString::fromLatin1(table)));
    }
    const bool ok = m_target
                        ->query("INSERT INTO copy_source (id, path, head, started_at) "
                                "VALUES (1, $1, $2, $3)",
                                PgParams()
                                    .add(QFileInfo(sqliteFile).absoluteFilePath())
                                    .addUtf8(m_head)
                                    .add(QDateTime::currentDateTimeUtc()))
                        .ok();
    return ok || fail(m_target->errorString());
}

// The columns both ends have (the target's generated search columns aside), which must be the
// same; the key that orders the source's rows, so that a resumed copy skips exactly the rows
// it committed before.
namespace {

struct CopyColumns
{
    QList<QString> names; // read from the file and written as they are
    QList<bool> bytea;
    QList<QString> key;
    // The column of `names` whose words fill the target's `search` column (log_line and
    // record_text: the words SQLite's index holds, store/searchtokens.h), or -1.
    int searchFrom = -1;
};

std::optional<CopyColumns> copyColumns(sqlite3 *db, PgConnection &target, const QString &table,
                                       QString *error)
{
    CopyColumns c;
    // The file's columns first: the target's own columns are those the file lacks, the search
    // words (which the copy computes) and the keys PostgreSQL generates where SQLite has its
    // rowid (task.key).
    sqlite3_stmt *info = nullptr;
    sqlite3_prepare_v2(db, QByteArray("PRAGMA table_info(" + quoted(table) + ")").constData(), -1,
                       &info, nullptr);
    QStringList sourceNames;
    std::map<int, QString> key;
    while (sqlite3_step(info) == SQLITE_ROW) {
        const QString name =
            QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(info, 1)));
        sourceNames << name;
        if (const int pk = sqlite3_column_int(info, 5); pk > 0)
            key[pk] = name;
    }
    sqlite3_finalize(info);
    const PgResult cols = target.query(
        "SELECT column_name, data_type = 'bytea', data_type = 'tsvector', is_identity = 'YES' "
        "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = "
        "$1 AND is_generated = 'NEVER' ORDER BY ordinal_position",
        PgParams().add(table));
    if (!cols.ok()) {
        *error = target.errorString();
        return std::nullopt;
    }
    bool search = false;
    for (int i = 0; i < cols.rows(); ++i) {
        const QString name = cols.text(i, 0);
        if (cols.text(i, 2) == u"t" && name == u"search") {
            search = true;
            continue;
        }
        if (cols.text(i, 3) == u"t" && !sourceNames.contains(name))
            continue;
        c.names << name;
        c.bytea << (cols.text(i, 1) == u"t");
    }
    if (search) {
        c.searchFrom = int(c.names.indexOf(u"text"_s));
        if (c.searchFrom < 0) {
            *error = u"table %1 has search words but no text in the team database"_s.arg(table);
            return std::nullopt;
        }
    }
    QStringList targetNames = c.names;
    targetNames.sort();
    sourceNames.sort();
    if (targetNames != sourceNames) {
        *error = u"table %1 has columns (%2) in the file and (%3) in the team database"_s.arg(
            table, sourceNames.join(u", "_s), targetNames.join(u", "_s));
        return std::nullopt;
    }
    for (const auto &[position, name] : key)
        c.key << name;
    return c;
}

} // namespace

bool StoreCopy::copyTable(const QString &table, StoreCopyProgress &progress)
{
    QString error;
    const std::optional<CopyColumns> cols = copyColumns(m_source->db, *m_target, table, &error);
    if (!cols)
        return fail(error);
    const PgResult committed = m_target->query(
        "SELECT rows FROM copy_progress WHERE table_name = $1", PgParams().add(table));
    if (!committed.ok())
        return fail(m_target->errorString());
    qint64 done = committed.rows() ? committed.int64(0, 0) : 0;

    QByteArray list;
    QByteArray order;
    for (const QString &name : cols->names)
        list += (list.isEmpty() ? "" : ", ") + quoted(name);
    QByteArray targetList = list;
    std::optional<SearchTokens> tokens;
    if (cols->searchFrom >= 0) {
        targetList += ", search";
        tokens.emplace();
        if (!tokens->isValid())
            return fail(tokens->errorString());
    }
    for (const QString &name : cols->key)
        order += (order.isEmpty() ? "" : ", ") + quoted(name);
    if (order.isEmpty())
        order = "rowid";
    sqlite3_stmt *count = nullptr;
    sqlite3_prepare_v2(m_source->db,
                       QByteArray("SELECT count(*) FROM " + quoted(table)).constData(), -1, &count,
                       nullptr);
    progress.table = table;
    progress.tableRows = sqlite3_step(count) == SQLITE_ROW ? sqlite3_column_int64(count, 0) : 0;
    sqlite3_finalize(count);
    progress.tableDone = done;
    progress.done += done;
    if (m_progress)
        m_progress(progress);
    if (done >= progress.tableRows)
        return true;

    sqlite3_stmt *rows = nullptr;
    const QByteArray select =
        "SELECT " + list + " FROM " + quoted(table) + " ORDER BY " + order + " LIMIT -1 OFFSET ?";
    if (sqlite3_prepare_v2(m_source->db, select.constData(), -1, &rows, nullptr) != SQLITE_OK)
        return fail(u"%1: %2"_s.arg(table, m_source->error()));
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> finalize(rows, sqlite3_finalize);
    sqlite3_bind_int64(rows, 1, done);
    QByteArray batch;
    qint64 inBatch = 0;
    const auto send = [&] {
        if (m_cancelled.load())
            return fail({});
        if (!sendBatch(table, targetList, batch, done + inBatch))
            return false;
        done += inBatch;
        m_rowsCopied += inBatch;
        progress.tableDone = done;
        progress.done += inBatch;
        batch.clear();
        inBatch = 0;
        if (m_progress)
            m_progress(progress);
        return true;
    };
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
        for (int c = 0; c < cols->names.size(); ++c) {
            if (c)
                batch += '\t';
            switch (sqlite3_column_type(rows, c)) {
            case SQLITE_NULL:
                batch += "\\N";
                break;
            case SQLITE_INTEGER:
                batch += QByteArray::number(sqlite3_column_int64(rows, c));
                break;
            case SQLITE_FLOAT: // 17 significant digits read back as the same double
                batch += QByteArray::number(sqlite3_column_double(rows, c), 'g', 17);
                break;
            default: {
                const auto *data = static_cast<const char *>(sqlite3_column_blob(rows, c));
                const QByteArrayView bytes(data, sqlite3_column_bytes(rows, c));
                if (cols->bytea[c])
                    batch += "\\\\x" + bytes.toByteArray().toHex();
                else
                    appendCopyText(batch, bytes);
            }
            }
        }
        if (tokens) {
            batch += '\t';
            const auto *text =
                static_cast<const char *>(sqlite3_column_blob(rows, cols->searchFrom));
            appendCopyText(batch, tokens->tsvector(QByteArrayView(
                                      text, sqlite3_column_bytes(rows, cols->searchFrom))));
        }
        batch += '\n';
        if (++inBatch >= m_batchRows || batch.size() >= maxBatchBytes) {
            if (!send())
                return false;
        }
    }
    if (rc != SQLITE_DONE)
        return fail(u"%1: %2"_s.arg(table, m_source->error()));
    return inBatch == 0 || send();
}

// One batch in one transaction: its rows and the count of the table's rows copied with it.
bool StoreCopy::sendBatch(const QString &table, const QByteArray &columns, const QByteArray &rows,
                          qint64 done)
{
    const QByteArray copy =
        "COPY " + quoted(table) + " (" + columns + ") FROM STDIN WITH (FORMAT text)";
    const bool ok =
        m_target->exec("BEGIN") && m_target->copyIn(copy.constData(), rows) &&
        m_target
            ->query("INSERT INTO copy_progress (table_name, rows) VALUES ($1, $2) ON CONFLICT "
                    "(table_name) DO UPDATE SET rows = excluded.rows",
                    PgParams().add(table).add(done))
            .ok() &&
        m_target->exec("COMMIT");
    if (ok)
        return true;
    const QString error = m_target->errorString();
    m_target->exec("ROLLBACK");
    return fail(u"table %1: %2"_s.arg(table, error));
}

// Keys generated later on the target continue after the copied ones; the chain ends where the
// file's does.
bool StoreCopy::finish()
{
    const PgResult identities = m_target->query(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
        "current_schema() AND is_identity = 'YES'");
    if (!identities.ok())
        return fail(m_target->errorString());
    for (int i = 0; i < identities.rows(); ++i) {
        const QByteArray table = quoted(identities.text(i, 0));
        const QByteArray column = quoted(identities.text(i, 1));
        const QByteArray sql = "SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT "
                               "max(" +
                               column + ") FROM " + table + "), 0) + 1, false)";
        if (!m_target
                 ->query(sql.constData(),
                         PgParams().add(identities.text(i, 0)).add(identities.text(i, 1)))
                 .ok())
            return fail(m_target->errorString());
    }
    if (!m_target->exec("INSERT INTO audit_event_new (event_id) SELECT id FROM audit_event ON "
                        "CONFLICT DO NOTHING"))
        return fail(m_target->errorString());
    const PgResult head =
        m_target->query("SELECT encode(chain_hash, 'hex') FROM evidence ORDER BY seq DESC LIMIT 1");
    if (!head.ok())
        return fail(m_target->errorString());
    const QByteArray targetHead = head.rows() ? head.utf8(0, 0) : QByteArray();
    if (targetHead != m_head)
        return fail(u"the team database's chain head is %1 after the copy, the file's %2"_s.arg(
            QString::fromLatin1(targetHead), QString::fromLatin1(m_head)));
    const bool ok = m_target
                        ->query("UPDATE copy_source SET finished_at = $1 WHERE id = 1",
                                PgParams().add(QDateTime::currentDateTimeUtc()))
                        .ok();
    return ok || fail(m_target->errorString());
}

StoreCopyJob::StoreCopyJob(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<StoreCopyProgress>();
    m_copy.setProgressCallback([this](const StoreCopyProgress &p) { Q_EMIT progress(p); });
}

StoreCopyJob::~StoreCopyJob()
{
    if (m_thread) {
        m_copy.cancel();
        m_thread->wait();
    }
}

bool StoreCopyJob::start(const QString &sqliteFile, const QString &pgLocation)
{
    if (m_thread)
        return false;
    m_thread.reset(QThread::create([this, sqliteFile, pgLocation] {
        const bool ok = m_copy.run(sqliteFile, pgLocation);
        const QString error = ok ? QString() : m_copy.errorString();
        // Back on the job's thread: the thread is done when finished() arrives.
        QMetaObject::invokeMethod(
            this,
            [this, error] {
                m_thread->wait();
                m_thread.reset();
                Q_EMIT finished(error);
            },
            Qt::QueuedConnection);
    }));
    m_thread->start();
    return true;
}

} // namespace Tasktrail
