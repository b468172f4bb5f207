#include "sqlitestore.h"
#include "sqliterecordfields.h"

#include "evidencehash.h"
#include "recordredaction.h"
#include "searchtokens.h"
#include "sqliteevidence.h"
#include "sqliteschema.h"
#include "sqlitestatement.h"
#include "walcheckpointer.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUrl>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcStore, "tasktrail.store")

namespace Tasktrail {

namespace {
// SQLite's own automatic checkpoint starts at 1,000 pages of log. The checkpointer's thread
// starts at 64 MiB of log and the writer steps in at 256 MiB, in pages of the file's size
// (16,384 and 65,536 pages of 4 KiB, 4,096 and 16,384 of 16 KiB): a batch of tasks
// rewrites most pages of their indexes, and a page that several commits wrote is copied into
// the file once per checkpoint, not once per commit. With 1,000 and 4,096 pages the scale-100
// demo set wrote 35 GB to disk for a 2.4 GB file; with these, 25 GB, while the thread's copies
// did nothing and the writer copied every 256 MiB; with the thread copying after each commit
// of 64 MiB or more, 34 GB for a 2.0 GB file (README.md, "Benchmark").
// When the log starts again from its beginning, a file past 320 MiB (the writer's bound and
// a large commit) is cut back to that (journal_size_limit), so an unusually large commit
// does not leave it large; cut back further, it would grow again after every restart.
constexpr qint64 checkpointLogBytes = qint64(64) << 20;
constexpr qint64 writerCheckpointLogBytes = qint64(256) << 20;
constexpr int sqliteAutoCheckpointFrames = 1000; // SQLite's default, for files without a name

} // namespace

StoreConnection::~StoreConnection() = default;
RecordStore::~RecordStore() = default;

SqliteStore::SqliteStore()
    : m_evidence(std::make_unique<EvidenceLedger>(*this))
    , m_logRedaction(std::make_unique<LogRedaction>())
{}

SqliteStore::~SqliteStore()
{
    // Its connection closes first: the writer's close then copies the rest of the log and
    // removes it.
    m_checkpointer.reset();
    m_statements.clear(); // statements must be finalized before the connection closes
    m_builtStatements.clear();
    if (m_db)
        sqlite3_close(m_db);
}

bool SqliteStore::open(const QString &path, StoreAccess access)
{
    m_path = path;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const bool readOnly = access != StoreAccess::ReadWrite;
    if (readOnly) {
        if (!openReadOnly(absolute, access == StoreAccess::ReadFollowing))
            return false;
    } else {
        const int rc = sqlite3_open_v2(
            absolute.toUtf8().constData(), &m_db,
            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK)
            return fail(u"cannot open database %1"_s.arg(path));
    }
    sqlite3_busy_timeout(m_db, 10000);
    // WAL with synchronous=NORMAL: a committed batch survives a killed process; only an OS
    // crash can lose the last commits, never corrupt the file. A read-only connection keeps
    // the journal mode the file has. A writer keeps its temporary tables (the audit linking's
    // work lists, as large as the events) in a file with a bounded cache, so that its memory
    // does not grow with the database. Its page cache is half a reader's: with 64 MiB the
    // whole scale-100 demo set peaked at 234 MB (328 s), with 32 MiB at 194 MB (356 s), and
    // its audit log alone at 162 MB (140 s) against 134 MB (114 s) (README.md, "Benchmark").
    // The page size takes effect in a new, empty file only, before it is in WAL mode.
    static const QByteArray writerSettings =
        "PRAGMA page_size=" + QByteArray::number(sqlitePageSize) +
        "; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "PRAGMA journal_size_limit=335544320;"
        "PRAGMA temp_store=FILE; PRAGMA cache_size=-32768;"
        "PRAGMA temp.cache_size=-16384;";
    if (!execScript(readOnly ? "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"
                             : writerSettings.constData()))
        return fail(u"cannot read database %1"_s.arg(path));
    int version = 0;
    {
        SqliteStatement stmt(m_db, "PRAGMA user_version");
        if (stmt.next())
            version = int(stmt.int64(0));
        else if (readOnly)
            return fail(u"cannot read database %1"_s.arg(path));
    }
    if (version > sqliteSchemaVersion)
        return refuseNewer(version);
    if (version < sqliteSchemaVersion && readOnly) {
        m_error = version == 0
                      ? u"%1 is not a Tasktrail database"_s.arg(path)
                      : u"%1 was written by an older Tasktrail (schema %2, this build reads %3): "
                        "ingest into it once to bring it up to date"_s.arg(path)
                            .arg(version)
                            .arg(sqliteSchemaVersion);
        return false;
    }
    if (version < sqliteSchemaVersion && !upgrade(version))
        return false;
    if (!readOnly) {
        // One deferred transaction: a file that has the lookup indexes takes no write lock for
        // them; one that lacks them gets all or none. Reads are only slower without them, so a
        // failure (another writer holding the file past the busy timeout) is a warning, and the
        // next writer tries again. Not the runs table's indexes: a first load in another process
        // may be without them on purpose (beginBulkLoad), and building them takes seconds.
        const QByteArray addIndexes = QByteArray("BEGIN; ") + sqliteLookupIndexes + " COMMIT;";
        if (!execScript(addIndexes.constData())) {
            qCWarning(lcStore, "cannot add the lookup indexes to %s: %s", qUtf8Printable(m_path),
                      qUtf8Printable(m_error));
            if (!sqlite3_get_autocommit(m_db))
                execScript("ROLLBACK");
            m_error.clear();
        }
        const qint64 pageBytes = count("PRAGMA page_size");
        if (pageBytes < 512 || pageBytes > 65536) // SQLite's bounds
            return fail(u"cannot read the page size of %1"_s.arg(path));
        setWalCheckpointFrames(int(checkpointLogBytes / pageBytes),
                               int(writerCheckpointLogBytes / pageBytes));
    }
    return true;
}

void SqliteStore::setWalCheckpointFrames(int backgroundFrames, int writerFrames)
{
    m_checkpointer.reset();
    const char *file = sqlite3_db_filename(m_db, "main");
    if (backgroundFrames > 0 && file && *file) {
        m_checkpointer = std::make_unique<WalCheckpointer>(m_db, backgroundFrames, writerFrames);
    } else {
        sqlite3_wal_autocheckpoint(m_db, sqliteAutoCheckpointFrames);
    }
}

bool SqliteStore::truncateLog()
{
    // TRUNCATE reports a log it could not wholly copy in its result's first column (busy), not
    // as an error.
    const auto truncate = [this] {
        SqliteStatement stmt(m_db, "PRAGMA wal_checkpoint(TRUNCATE)");
        return stmt.next() && stmt.int64(0) == 0;
    };
    return m_checkpointer ? m_checkpointer->whileNotCopying(truncate) : truncate();
}

std::pair<qint64, qint64> SqliteStore::walCheckpoints() const
{
    if (!m_checkpointer)
        return {0, 0};
    const WalCheckpointer::Counts counts = m_checkpointer->counts();
    return {counts.background, counts.writer};
}

// Sets logIndexSettings where the file holds other values: on new files and on those made
// before, in the first batch a connection writes (which holds the write lock already: opening
// a file never waits for another writer for this).
void SqliteStore::tuneLogIndex()
{
    for (const Fts5Setting &setting : logIndexSettings) {
        SqliteStatement current(m_db, "SELECT v FROM log_fts_config WHERE k = ?");
        current.bind(1, QString::fromLatin1(setting.name));
        if (current.isValid() && current.next() && current.int64(0) == setting.value)
            continue;
        SqliteStatement set(m_db, "INSERT INTO log_fts (log_fts, rank) VALUES (?, ?)");
        set.bind(1, QString::fromLatin1(setting.name));
        set.bind(2, qint64(setting.value));
        // The settings make writing faster, nothing more: without them the batch goes on.
        if (!set.isValid() || !set.exec()) {
            qCWarning(lcStore, "cannot set %s of the log index of %s: %s", setting.name,
                      qUtf8Printable(m_path), sqlite3_errmsg(m_db));
            return;
        }
    }
}

// The message for a file of a newer schema: which Tasktrail wrote it, when the file says so
// (table schema_version, since version 8).
bool SqliteStore::refuseNewer(int version)
{
    QString writer;
    {
        SqliteStatement stmt(m_db, "SELECT tasktrail FROM schema_version WHERE version = ?");
        stmt.bind(1, qint64(version));
        if (stmt.isValid() && stmt.next())
            writer = stmt.text(0);
    }
    m_error = writer.isEmpty()
                  ? u"%1 was written by a newer Tasktrail (schema %2, this build reads up to %3): "
                    "open it with a newer Tasktrail"_s.arg(m_path)
                        .arg(version)
                        .arg(sqliteSchemaVersion)
                  : u"%1 was written by Tasktrail %2 (schema %3, this build reads up to %4): open "
                    "it with Tasktrail %2 or newer"_s.arg(m_path, writer)
                        .arg(version)
                        .arg(sqliteSchemaVersion);
    return false;
}

// Brings an older file up to sqliteSchemaVersion in one transaction, after a copy of it as it
// was is kept beside it (<file>.v<version>-backup): an upgrade that goes wrong, or a newer
// Tasktrail given back for an older one, loses nothing. A new, empty file needs no copy.
bool SqliteStore::upgrade(int version)
{
    if (count("SELECT count(*) FROM sqlite_schema") > 0) {
        QString backup = m_path + u".v%1-backup"_s.arg(version);
        for (int n = 2; QFileInfo::exists(backup); ++n)
            backup = m_path + u".v%1-backup-%2"_s.arg(version).arg(n);
        // VACUUM INTO writes a consistent copy, commits still in the write-ahead log included.
        SqliteStatement copy(m_db, "VACUUM INTO ?");
        copy.bind(1, QFileInfo(backup).absoluteFilePath());
        if (!copy.isValid() || !copy.exec())
            return fail(
                u"cannot keep a copy of %1 as %2 before upgrading it"_s.arg(m_path, backup));
        qCInfo(lcStore, "kept %s (schema %d) as %s before upgrading it", qUtf8Printable(m_path),
               version, qUtf8Printable(backup));
    }
    if (!execScript("BEGIN IMMEDIATE"))
        return fail(u"cannot upgrade %1"_s.arg(m_path));
    const QString self = QCoreApplication::applicationVersion();
    bool ok = execScript(sqliteSchema) && execScript(deferredIndexScript().constData());
    if (ok) {
        SqliteStatement mark(m_db, "INSERT OR REPLACE INTO schema_version (version, tasktrail, "
                                   "applied_at) VALUES (?, ?, ?)");
        mark.bind(1, qint64(sqliteSchemaVersion));
        mark.bind(2, self.isEmpty() ? u"(unknown)"_s : self);
        mark.bind(3, QDateTime::currentMSecsSinceEpoch());
        ok = mark.isValid() && mark.exec();
    }
    const QByteArray setVersion =
        "PRAGMA user_version=" + QByteArray::number(sqliteSchemaVersion) + "; COMMIT;";
    if (ok && execScript(setVersion.constData()))
        return true;
    const QString error = m_error;
    execScript("ROLLBACK");
    m_error =
        u"cannot upgrade %1 to schema %2: %3"_s.arg(m_path).arg(sqliteSchemaVersion).arg(error);
    return false;
}

// The file's owner may do everything; a connection that cannot write, nothing.
StoreCapabilities SqliteStore::capabilities()
{
    StoreCapabilities c;
    c.backend = u"SQLite"_s;
    c.where = QFileInfo(m_path).absoluteFilePath();
    c.readOnly = !m_db || sqlite3_db_readonly(m_db, "main") != 0;
    c.ingest = c.launch = c.editPolicies = !c.readOnly;
    return c;
}

// A WAL database is read through its -wal and -shm files, which SQLite creates when they are
// missing. Without a -wal file no connection has the database open and every commit is in the
// main file: it is opened immutable, which reads that file alone and creates, locks and
// writes nothing, and never sees a later commit. So a connection that follows writers
// (StoreAccess::ReadFollowing) is opened immutable only in a directory it cannot write, where
// it could not create the -wal and -shm files: there it reads the file as it was when opened
// (read-only media; or a directory its owner writes and the viewer may not, whose later
// commits it does not see). With a -wal file, a writer may be at work: it is read with
// locking, which needs the -shm file; on read-only media without it the commits in the -wal
// cannot be read.
bool SqliteStore::openReadOnly(const QString &absolutePath, bool following)
{
    const QFileInfo file(absolutePath);
    if (!file.exists()) {
        m_error = u"cannot open database %1: no such file"_s.arg(m_path);
        return false;
    }
    if (!file.isFile() || !file.isReadable()) {
        m_error = u"cannot open database %1: not a readable file"_s.arg(m_path);
        return false;
    }
    const QString wal = absolutePath + u"-wal"_s;
    const bool withLog = QFileInfo::exists(wal);
    const bool locking = withLog || (following && QFileInfo(file.absolutePath()).isWritable());
    QUrl uri = QUrl::fromLocalFile(absolutePath);
    uri.setQuery(locking ? u"mode=ro"_s : u"immutable=1"_s);
    const int rc =
        sqlite3_open_v2(uri.toEncoded().constData(), &m_db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK)
        return fail(u"cannot open database %1"_s.arg(m_path));
    // The first read opens the write-ahead log: a failure there is the read-only media case.
    if (withLog && !execScript("SELECT count(*) FROM sqlite_schema")) {
        m_error = u"cannot read database %1: its write-ahead log %2 holds commits that cannot be "
                  "read without creating %3 (read-only media?); copy the database with its "
                  "-wal file to a directory you can write (%4)"_s.arg(
                      m_path, wal, absolutePath + u"-shm"_s, m_error);
        return false;
    }
    return true;
}

bool SqliteStore::fail(const QString &what)
{
    m_error = m_db ? what % u": "_s % QString::fromUtf8(sqlite3_errmsg(m_db)) : what;
    qCWarning(lcStore, "%s", qUtf8Printable(m_error));
    return false;
}

bool SqliteStore::execScript(const char *sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        m_error = QString::fromUtf8(message ? message : "unknown error");
        sqlite3_free(message);
        return false;
    }
    return true;
}

// A statement that failed to prepare is prepared again the next time it is asked for: an
// interrupt that came while it was prepared (a stale query of a view) must not leave the
// connection without it. A valid statement stays as it is.
SqliteStatement &SqliteStore::statement(const char *sql)
{
    auto &slot = m_statements[sql];
    if (!slot)
        slot = std::make_unique<SqliteStatement>(m_db, sql);
    else
        slot->prepare(m_db, sql);
    return *slot;
}

SqliteStatement &SqliteStore::statement(const QByteArray &sql)
{
    auto &slot = m_builtStatements[sql];
    if (!slot)
        slot = std::make_unique<SqliteStatement>(m_db, sql.constData());
    else
        slot->prepare(m_db, sql.constData());
    return *slot;
}

bool SqliteStore::run(SqliteStatement &stmt)
{
    if (!stmt.isValid())
        return fail(u"statement could not be prepared"_s);
    if (!stmt.exec())
        return fail(u"statement failed"_s);
    return true;
}

qint64 SqliteStore::count(const char *sql)
{
    auto &stmt = statement(sql);
    const qint64 n = stmt.next() ? stmt.int64(0) : 0;
    stmt.reset();
    return n;
}

bool SqliteStore::beginBatch()
{
    m_evidence->clear();
    if (!execScript("BEGIN IMMEDIATE"))
        return fail(u"cannot begin a batch"_s);
    if (!m_logIndexTuned) {
        tuneLogIndex();
        m_logIndexTuned = true;
    }
    return true;
}

bool SqliteStore::commitBatch()
{
    // The batch's evidence is part of the batch: it commits with it or not at all.
    if (!m_evidence->append())
        return false;
    m_evidence->clear();
    m_plannedCommandKeys.clear();
    m_nextCommandKey = 0;
    return execScript("COMMIT") || fail(u"cannot commit"_s);
}

// In one transaction, so that the check and the drop see the same file: a task written by
// another writer in between keeps the indexes. A file with tasks that lacks some of them (a
// first load was stopped before its end) gets them at the end of this run.
void SqliteStore::beginBulkLoad()
{
    if (m_bulkLoad || !sqlite3_get_autocommit(m_db) || !execScript("BEGIN IMMEDIATE")) {
        m_error.clear();
        return;
    }
    bool empty = false;
    {
        // Finished before the DROP, which a statement still reading would hold off.
        const QByteArray sql =
            QByteArray("SELECT EXISTS (SELECT 1 FROM ") + deferredIndexTable + ')';
        SqliteStatement rows(m_db, sql.constData());
        empty = rows.next() && rows.int64(0) == 0;
    }
    bool ok = true;
    for (const DeferredIndex &index : sqliteDeferredIndexes) {
        if (empty) {
            const QByteArray drop = QByteArray("DROP INDEX IF EXISTS ") + index.name;
            ok = ok && execScript(drop.constData());
        }
        m_bulkLoad = m_bulkLoad || empty || !hasIndex(m_db, index.name);
    }
    if (!ok || !execScript("COMMIT")) {
        qCWarning(lcStore, "cannot defer the runs table's indexes of %s: %s",
                  qUtf8Printable(m_path), qUtf8Printable(m_error));
        execScript("ROLLBACK");
        // What a failed drop left is built at the end all the same.
        m_error.clear();
    }
}

void SqliteStore::endBulkLoad()
{
    // Never inside a batch, whose work a failed build would roll back with it.
    if (!m_bulkLoad || !sqlite3_get_autocommit(m_db))
        return;
    m_bulkLoad = false;
    const QByteArray build = "BEGIN IMMEDIATE; " + deferredIndexScript() + " COMMIT;";
    if (!execScript(build.constData())) {
        // Reads work without them, slower; the next ingest builds them.
        qCWarning(lcStore, "cannot build the runs table's indexes of %s: %s",
                  qUtf8Printable(m_path), qUtf8Printable(m_error));
        if (!sqlite3_get_autocommit(m_db))
            execScript("ROLLBACK");
        m_error.clear();
    }
}

void SqliteStore::rollbackBatch()
{
    m_evidence->clear();
    m_plannedCommandKeys.clear();
    m_nextCommandKey = 0;
    if (!sqlite3_get_autocommit(m_db))
        execScript("ROLLBACK");
}

// Deferred: the snapshot is taken by the first read and held until the COMMIT.
bool SqliteStore::beginSnapshot()
{
    return execScript("BEGIN") || fail(u"cannot begin a read"_s);
}

void SqliteStore::endSnapshot()
{
    if (!sqlite3_get_autocommit(m_db))
        execScript("COMMIT");
}

bool SqliteStore::setPageCacheKiB(int kib)
{
    const QByteArray pragma = "PRAGMA cache_size=-" + QByteArray::number(qMax(1, kib));
    return execScript(pragma.constData()) || fail(u"cannot size the page cache"_s);
}

void SqliteStore::interrupt()
{
    // sqlite3_interrupt() is the one call SQLite allows from another thread while the
    // connection is open.
    if (m_db)
        sqlite3_interrupt(m_db);
}

bool SqliteStore::markRecordSeen(const QByteArray &contentHash, bool *isNew)
{
    m_evidence->recordSeen(contentHash);
    auto &stmt = statement("INSERT OR IGNORE INTO record_seen (hash) VALUES (?)");
    stmt.bindBlob(1, contentHash);
    if (!run(stmt))
        return false;
    *isNew = sqlite3_changes(m_db) > 0;
    return true;
}

namespace {

// Equal, with a null string (SQL NULL) unequal to an empty one.
bool sameValue(const QString &a, const QString &b)
{
    return a.isNull() == b.isNull() && a == b;
}

} // namespace

// Keeps record_text equal to the row just written, whose upsert keeps a column a record leaves
// out (null) and overwrites it otherwise: a null text or task id keeps what is indexed, an
// empty text removes the row from the index.
bool SqliteStore::indexRecordText(const QString &kind, const QString &ref, const QString &taskId,
                                  const QString &text)
{
    auto &find = statement("SELECT id, text, task_id FROM record_text WHERE kind = ? AND ref = ?");
    find.bind(1, kind);
    find.bind(2, ref);
    std::optional<qint64> id;
    QString old;
    QString oldTask;
    if (find.next()) {
        id = find.int64(0);
        old = find.text(1);
        oldTask = find.text(2);
    }
    find.reset();
    if (!id) {
        if (text.isEmpty())
            return true;
        auto &ins =
            statement("INSERT INTO record_text (kind, ref, task_id, text) VALUES (?, ?, ?, ?)");
        ins.bind(1, kind);
        ins.bind(2, ref);
        ins.bind(3, taskId);
        ins.bind(4, text);
        if (!run(ins))
            return false;
        id = sqlite3_last_insert_rowid(m_db);
    } else {
        const QString newText = text.isNull() ? old : text;
        const QString newTask = taskId.isNull() ? oldTask : taskId;
        const bool textChanged = newText != old;
        if (!textChanged && sameValue(newTask, oldTask))
            return true;
        if (textChanged) {
            // External-content FTS5: remove the old terms with the old text.
            auto &del = statement(
                "INSERT INTO record_fts (record_fts, rowid, text) VALUES ('delete', ?, ?)");
            del.bind(1, *id);
            del.bind(2, old);
            if (!run(del))
                return false;
        }
        if (newText.isEmpty()) {
            auto &drop = statement("DELETE FROM record_text WHERE id = ?");
            drop.bind(1, *id);
            return run(drop);
        }
        auto &upd = statement("UPDATE record_text SET text = ?, task_id = ? WHERE id = ?");
        upd.bind(1, newText);
        upd.bind(2, newTask);
        upd.bind(3, *id);
        if (!run(upd))
            return false;
        if (!textChanged)
            return true;
    }
    auto &fts = statement("INSERT INTO record_fts (rowid, text) VALUES (?, ?)");
    fts.bind(1, *id);
    fts.bind(2, text);
    return run(fts);
}

bool SqliteStore::writeRequest(const RequestRecord &given)
{
    RequestRecord r = given;
    m_redactions += RecordRedaction::redact(r);
    static const QByteArray sql = SqliteFields::upsert("request", requestFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, r, requestFields());
    m_evidence->touch("request", r.id, stmt);
    return run(stmt) && indexRecordText(u"request"_s, r.id, {}, r.text);
}

bool SqliteStore::writeCampaign(const CampaignRecord &given)
{
    CampaignRecord c = given;
    m_redactions += RecordRedaction::redact(c);
    static const QByteArray sql = SqliteFields::upsert("campaign", campaignFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, c, campaignFields());
    m_evidence->touch("campaign", c.id, stmt);
    if (!run(stmt) || !indexRecordText(u"campaign"_s, c.id, {}, c.title))
        return false;
    for (RepoDecision d : c.decisions) {
        if (d.campaignId.isEmpty())
            d.campaignId = c.id;
        if (!writeDecision(d))
            return false;
    }
    return true;
}

bool SqliteStore::writeDecision(const RepoDecision &given)
{
    RepoDecision d = given;
    m_redactions += RecordRedaction::redact(d);
    static const QByteArray sql = SqliteFields::upsert("repo_decision", decisionFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, d, decisionFields());
    m_evidence->touch("decision", Evidence::joinRef(d.campaignId, u'/', d.repo), stmt);
    return run(stmt) &&
           indexRecordText(u"decision"_s, d.campaignId % u' ' % d.repo, d.taskId, d.reason);
}

bool SqliteStore::writeIdentity(const IdentityRecord &given)
{
    IdentityRecord i = given;
    m_redactions += RecordRedaction::redact(i);
    static const QByteArray sql = SqliteFields::upsert("identity", identityFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, i, identityFields());
    m_evidence->touch("identity", i.id, stmt);
    return run(stmt);
}

bool SqliteStore::writePolicy(const PolicyRecord &given)
{
    PolicyRecord p = given;
    m_redactions += RecordRedaction::redact(p);
    const QString ref = Evidence::joinRef(p.id, u'@', p.version);
    if (p.version.isNull())
        p.version = u""_s; // a key column: no version is the empty one
    static const QByteArray sql = SqliteFields::upsert("policy", policyFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, p, policyFields());
    m_evidence->touch("policy", ref, stmt);
    return run(stmt);
}

bool SqliteStore::writeTemplate(const TemplateRecord &given)
{
    TemplateRecord t = given;
    m_redactions += RecordRedaction::redact(t);
    const QString ref = Evidence::joinRef(t.id, u'@', t.version);
    if (t.version.isNull())
        t.version = u""_s; // a key column: no version is the empty one
    static const QByteArray sql = SqliteFields::upsert("task_template", templateFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, t, templateFields());
    m_evidence->touch("template", ref, stmt);
    return run(stmt);
}

bool SqliteStore::writeTask(const TaskRecord &given)
{
    TaskRecord t = given;
    m_redactions += RecordRedaction::redact(t);
    static const QByteArray sql = SqliteFields::upsert("task", taskFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, t, taskFields());
    m_evidence->touch("task", t.id, stmt);
    if (!run(stmt) || !indexRecordText(u"task"_s, t.id, t.id, t.prompt))
        return false;

    const auto withTask = [&t](auto item) {
        if (item.taskId.isEmpty())
            item.taskId = t.id;
        return item;
    };
    for (const auto &s : t.sessions) {
        if (!writeSession(withTask(s)))
            return false;
    }
    for (const auto &c : t.commands) {
        if (!writeCommand(withTask(c)))
            return false;
    }
    for (const auto &r : t.tests) {
        if (!writeTest(withTask(r)))
            return false;
    }
    for (const auto &f : t.filesChanged) {
        if (!writeFileChange(withTask(f)))
            return false;
    }
    for (const auto &c : t.contacts) {
        if (!writeContact(withTask(c)))
            return false;
    }
    for (const auto &f : t.failures) {
        if (!writeFailure(withTask(f)))
            return false;
    }
    return true;
}

bool SqliteStore::writeSession(const SessionRecord &given)
{
    SessionRecord s = given;
    m_redactions += RecordRedaction::redact(s);
    static const QByteArray sql = SqliteFields::upsert("task_session", sessionFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, s, sessionFields());
    m_evidence->touch("task", s.taskId, stmt);
    return run(stmt);
}

bool SqliteStore::writeCommand(const CommandRecord &given)
{
    CommandRecord c = given;
    m_redactions += RecordRedaction::redact(c);
    static const QByteArray sql = SqliteFields::upsert("command", commandFields());
    // With a plan, a new command's key is given (planCommandKeys()); a command stored before
    // keeps its own, the conflict's update leaves the key alone.
    static const QByteArray keyed = [] {
        QByteArray text = SqliteFields::upsert("command", commandFields());
        text.replace("INSERT INTO command (", "INSERT INTO command (key, ");
        text.replace(") VALUES (",
                     QByteArray(") VALUES (?" +
                                QByteArray::number(qsizetype(commandFields().size()) + 1) + ", "));
        return text;
    }();
    auto &stmt = statement(m_nextCommandKey ? keyed.constData() : sql.constData());
    SqliteFields::bind(stmt, c, commandFields());
    if (m_nextCommandKey)
        stmt.bind(int(commandFields().size()) + 1, newCommandKey(c.taskId, c.seq));
    m_evidence->touch("task", c.taskId, stmt);
    return run(stmt);
}

// The key a new command gets under the open batch's plan: its planned one, or the next past
// the plan's.
qint64 SqliteStore::newCommandKey(const QString &taskId, int seq)
{
    const auto planned = m_plannedCommandKeys.constFind({taskId, seq});
    return planned != m_plannedCommandKeys.cend() ? *planned : m_nextCommandKey++;
}

bool SqliteStore::planCommandKeys(const QList<std::pair<QString, int>> &commands)
{
    m_plannedCommandKeys.clear();
    m_nextCommandKey = 0;
    if (commands.isEmpty())
        return true;
    auto &last = statement("SELECT coalesce(max(key), 0) FROM command");
    const bool read = last.next();
    const qint64 first = read ? last.int64(0) + 1 : 0;
    last.reset();
    if (!read)
        return fail(u"cannot read the last command key"_s);
    qint64 next = first;
    for (const auto &command : commands) {
        if (!m_plannedCommandKeys.contains(command))
            m_plannedCommandKeys.insert(command, next++);
    }
    // Past the keys a log line id can hold: no plan, and a write that needs a key past them
    // fails as it does without one.
    if (next - 1 > maxCommandKey) {
        m_plannedCommandKeys.clear();
        return true;
    }
    m_nextCommandKey = next;
    return true;
}

bool SqliteStore::writeTest(const TestResult &given)
{
    TestResult r = given;
    m_redactions += RecordRedaction::redact(r);
    static const QByteArray sql = SqliteFields::upsert("test_result", testFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, r, testFields());
    m_evidence->touch("task", r.taskId, stmt);
    return run(stmt);
}

bool SqliteStore::writeFileChange(const FileChange &given)
{
    FileChange f = given;
    m_redactions += RecordRedaction::redact(f);
    static const QByteArray sql = SqliteFields::upsert("file_change", fileChangeFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, f, fileChangeFields());
    m_evidence->touch("task", f.taskId, stmt);
    return run(stmt);
}

bool SqliteStore::writeContact(const ExternalContact &given)
{
    ExternalContact c = given;
    m_redactions += RecordRedaction::redact(c);
    if (c.tool.isNull())
        c.tool = u""_s; // part of the key: NULL would never conflict with the stored row
    static const QByteArray sql = SqliteFields::upsert("contact", contactFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, c, contactFields());
    m_evidence->touch("task", c.taskId, stmt);
    return run(stmt);
}

bool SqliteStore::writeFailure(const FailureRecord &given)
{
    FailureRecord f = given;
    m_redactions += RecordRedaction::redact(f);
    static const QByteArray sql = SqliteFields::upsert("failure", failureFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, f, failureFields());
    m_evidence->touch("task", f.taskId, stmt);
    return run(stmt);
}

bool SqliteStore::writePullRequest(const PullRequestRecord &given)
{
    PullRequestRecord p = given;
    m_redactions += RecordRedaction::redact(p);
    static const QByteArray sql = SqliteFields::upsert("pull_request", pullRequestFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, p, pullRequestFields());
    m_evidence->touch("pull_request", Evidence::joinRef(p.repo, u'#', QString::number(p.number)),
                      stmt);
    return run(stmt) && indexRecordText(u"pull_request"_s,
                                        p.repo % u'#' % QString::number(p.number), {}, p.title);
}

bool SqliteStore::writeReview(const ReviewRecord &given)
{
    ReviewRecord r = given;
    m_redactions += RecordRedaction::redact(r);
    static const QByteArray sql = SqliteFields::upsert("review", reviewFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, r, reviewFields());
    m_evidence->touch("review", QString::number(r.id), stmt);
    return run(stmt);
}

bool SqliteStore::writeCheckRun(const CheckRunRecord &given)
{
    CheckRunRecord c = given;
    m_redactions += RecordRedaction::redact(c);
    static const QByteArray sql = SqliteFields::upsert("check_run", checkRunFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, c, checkRunFields());
    m_evidence->touch("check_run", QString::number(c.id), stmt);
    return run(stmt);
}

bool SqliteStore::writeCheckSuite(const CheckSuiteRecord &given)
{
    CheckSuiteRecord c = given;
    m_redactions += RecordRedaction::redact(c);
    static const QByteArray sql = SqliteFields::upsert("check_suite", checkSuiteFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, c, checkSuiteFields());
    m_evidence->touch("check_suite", QString::number(c.id), stmt);
    return run(stmt);
}

bool SqliteStore::writeTranscript(const TranscriptRecord &given)
{
    TranscriptRecord t = given;
    m_redactions += RecordRedaction::redact(t);
    if (t.sessionId.isEmpty() || t.taskId.isEmpty()) {
        m_error = u"a transcript needs a session and a task"_s;
        return false;
    }
    auto &stmt = statement("INSERT INTO session_transcript (session_id, task_id, text) "
                           "VALUES (?1, ?2, ?3) ON CONFLICT (session_id) DO UPDATE SET "
                           "task_id = ?2, text = ?3");
    stmt.bind(1, t.sessionId);
    stmt.bind(2, t.taskId);
    stmt.bind(3, t.text);
    m_evidence->touch("transcript", t.sessionId, stmt);
    return run(stmt) && indexRecordText(u"transcript"_s, t.sessionId, t.taskId, t.text);
}

std::optional<qint64> SqliteStore::commandKey(const QString &task, int seq)
{
    QString taskId = task;
    m_redactions += RecordRedaction::redactKey(taskId);
    if (seq < 1 || taskId.isEmpty()) {
        m_error =
            u"a command needs a task id and a number of 1 or more, not '%1' %2"_s.arg(taskId).arg(
                seq);
        return std::nullopt;
    }
    auto &find = statement("SELECT key FROM command WHERE task_id = ? AND seq = ?");
    find.bind(1, taskId);
    find.bind(2, seq);
    std::optional<qint64> key;
    if (find.next())
        key = find.int64(0);
    find.reset();
    if (key)
        return key;
    auto &ins =
        statement(m_nextCommandKey ? "INSERT INTO command (task_id, seq, key) VALUES (?, ?, ?)"
                                   : "INSERT INTO command (task_id, seq) VALUES (?, ?)");
    ins.bind(1, taskId);
    ins.bind(2, seq);
    if (m_nextCommandKey)
        ins.bind(3, newCommandKey(taskId, seq));
    // Hot for logs that arrive before their task: the written values, not the expanded SQL.
    m_evidence->touch("task", taskId, "command " + taskId.toUtf8() + ' ' + QByteArray::number(seq));
    if (!run(ins))
        return std::nullopt;
    return sqlite3_last_insert_rowid(m_db);
}

bool SqliteStore::appendLogLine(qint64 commandKey, const LogLine &given, bool *inserted)
{
    RedactedLogLine line = LogRedaction::prepare(given);
    return appendRedactedLogLine(commandKey, line, inserted);
}

bool SqliteStore::appendRedactedLogLine(qint64 commandKey, RedactedLogLine &prepared,
                                        bool *inserted)
{
    const LogLine &line = prepared.line;
    // The readers bound line numbers; this keeps any other caller from packing an id that
    // belongs to another command.
    const std::optional<qint64> packed = logLineId(commandKey, line.lineNo);
    if (!packed) {
        m_error = u"log line %1 of command key %2 is out of range (lines 1 to %3, keys 1 to %4)"_s
                      .arg(line.lineNo)
                      .arg(commandKey)
                      .arg(maxLogLineNo)
                      .arg(maxCommandKey);
        return false;
    }
    m_redactions += m_logRedaction->finish(commandKey, prepared);
    const qint64 id = *packed;
    auto &ins = statement("INSERT OR IGNORE INTO log_line (id, ts, text, ansi) VALUES (?,?,?,?)");
    ins.bind(1, id);
    ins.bind(2, line.timestampMs ? std::optional<qint64>(line.timestampMs) : std::nullopt);
    ins.bindText(3, line.text);
    ins.bindText(4, line.ansi);
    if (!run(ins))
        return false;
    *inserted = sqlite3_changes(m_db) > 0;
    if (!*inserted)
        return true;
    m_evidence->lineAppended(commandKey, line);
    auto &fts = statement("INSERT INTO log_fts (rowid, text) VALUES (?, ?)");
    fts.bind(1, id);
    fts.bindText(2, line.text);
    return run(fts);
}

// Every row a link changed is a touched record of the evidence chain. What the entry says is
// the rule that linked the row, the same whether every task or only a run's were looked at.
bool SqliteStore::runLinking(SqliteStatement &stmt, const char *kind, const char *rule)
{
    if (!stmt.isValid())
        return fail(u"statement could not be prepared"_s);
    while (stmt.next())
        m_evidence->touch(
            kind, stmt.text(0),
            Evidence::linkContent(rule, stmt.text(0).toUtf8(), QByteArray::number(stmt.int64(1))));
    const bool done = stmt.lastResult() == SQLITE_DONE;
    stmt.reset();
    return done || fail(u"statement failed"_s);
}

bool SqliteStore::linkPullRequests()
{
    // A match on the PR's database id wins over a match on its number. Two subqueries, not
    // one ordered by the match: SQLite 3.40 cannot see the outer row in a subquery's ORDER BY.
    // Two EXISTS, not one with an OR: each is a seek of one index (pull_request_github_id,
    // the primary key), where the OR read every pull request of the task's repository.
    auto &byArtifact = statement(
        "UPDATE task SET pr_number = coalesce((SELECT p.number FROM pull_request p WHERE "
        "p.repo = task.repo AND p.github_id = task.pr_artifact_id LIMIT 1), (SELECT p.number "
        "FROM pull_request p WHERE p.repo = task.repo AND p.number = task.pr_artifact_id)) "
        "WHERE pr_number IS NULL AND pr_artifact_id IS NOT NULL AND (EXISTS (SELECT 1 FROM "
        "pull_request p WHERE p.repo = task.repo AND p.github_id = task.pr_artifact_id) OR "
        "EXISTS (SELECT 1 FROM pull_request p WHERE p.repo = task.repo AND "
        "p.number = task.pr_artifact_id)) RETURNING id, pr_number");
    auto &byRef =
        statement("UPDATE task SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
                  "task.repo AND p.head_ref = task.head_ref ORDER BY p.number DESC LIMIT 1) "
                  "WHERE pr_number IS NULL AND head_ref IS NOT NULL AND EXISTS (SELECT 1 FROM "
                  "pull_request p WHERE p.repo = task.repo AND p.head_ref = task.head_ref) "
                  "RETURNING id, pr_number");
    auto &bySha =
        statement("UPDATE task SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
                  "task.repo AND p.head_sha = task.head_sha ORDER BY p.number DESC LIMIT 1) "
                  "WHERE pr_number IS NULL AND head_sha IS NOT NULL AND EXISTS (SELECT 1 FROM "
                  "pull_request p WHERE p.repo = task.repo AND p.head_sha = task.head_sha) "
                  "RETURNING id, pr_number");
    auto &checks = statement(
        "UPDATE check_run SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
        "check_run.repo AND p.head_sha = check_run.head_sha ORDER BY p.number DESC LIMIT 1) "
        "WHERE pr_number IS NULL AND EXISTS (SELECT 1 FROM pull_request p WHERE "
        "p.repo = check_run.repo AND p.head_sha = check_run.head_sha) "
        "RETURNING CAST(id AS TEXT), pr_number");
    return runLinking(byArtifact, "task", "pr_artifact_id") &&
           runLinking(byRef, "task", "head_ref") && runLinking(bySha, "task", "head_sha") &&
           runLinking(checks, "check_run", "head_sha");
}

std::optional<IngestedFile> SqliteStore::findIngestedFile(qint64 size, const QByteArray &headHash,
                                                          const QByteArray &sha256)
{
    auto &stmt = statement(
        "SELECT sha256, path, format, records, rejected, redactions, ingested_at "
        "FROM ingested_file WHERE size = ? AND head_hash = ? AND (?3 IS NULL OR sha256 = ?3)");
    stmt.bind(1, size);
    stmt.bindText(2, headHash);
    stmt.bindText(3, sha256);
    std::optional<IngestedFile> found;
    if (stmt.next()) {
        IngestedFile f;
        f.sha256 = stmt.bytes(0);
        f.headHash = headHash;
        f.size = size;
        f.path = stmt.text(1);
        f.format = stmt.text(2);
        f.records = stmt.int64(3);
        f.rejected = stmt.int64(4);
        f.redactions = stmt.int64(5);
        f.ingestedAt = stmt.dateTime(6);
        found = f;
    }
    stmt.reset();
    return found;
}

bool SqliteStore::recordIngestedFile(const IngestedFile &given)
{
    IngestedFile f = given;
    m_redactions += RecordRedaction::redact(f);
    auto &stmt = statement(
        "INSERT INTO ingested_file (sha256, head_hash, size, path, format, records, rejected, "
        "redactions, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
        "ON CONFLICT (sha256) DO NOTHING");
    stmt.bindText(1, f.sha256);
    stmt.bindText(2, f.headHash);
    stmt.bind(3, f.size);
    stmt.bind(4, f.path);
    stmt.bind(5, f.format);
    stmt.bind(6, f.records);
    stmt.bind(7, f.rejected);
    stmt.bind(8, f.redactions);
    stmt.bind(9, f.ingestedAt);
    return run(stmt);
}

} // namespace Tasktrail
