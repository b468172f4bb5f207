// PgStore's LaunchStore and SyncCursors: the known repositories, idempotency keys, the queue,
// its events and launch attempts, and where each sync source stopped. The same rows and
// orders as sqlitelaunch.cpp and sqlitesynccursors.cpp; "INSERT OR REPLACE" is an upsert that
// sets every column, which needs no DELETE grant.
#include "pgrecordfields.h"
#include "pgstore.h"
#include "recordredaction.h"
#include "text/redactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// A list column as SQLite stores it: compact JSON, NULL for an empty list.
QByteArray listJson(const QStringList &values)
{
    if (values.isEmpty())
        return {};
    return QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact);
}

QStringList listAt(const PgResult &r, int row, int column)
{
    QStringList out;
    const QJsonArray array = QJsonDocument::fromJson(r.utf8(row, column)).array();
    for (const auto &value : array)
        out << value.toString();
    return out;
}

QString compactJson(const QJsonDocument &doc)
{
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

QList<QueueEntry> entriesOf(const PgResult &r)
{
    QList<QueueEntry> out;
    for (int i = 0; i < r.rows(); ++i) {
        QueueEntry e;
        PgFields::read(r, i, e, queueEntryFields());
        out << e;
    }
    return out;
}

// The states an entry can still leave, as stored: the enum's own names, quoted for SQL.
QByteArray openStates()
{
    QByteArray out;
    for (int i = int(QueueState::Queued); i <= int(QueueState::Cancelled); ++i) {
        const auto state = QueueState(i);
        if (!isFinal(state))
            out += (out.isEmpty() ? "'" : ", '") + toString(state).toLatin1() + '\'';
    }
    return out;
}

} // namespace

bool PgStore::writeRepository(const KnownRepository &given)
{
    KnownRepository r = given;
    m_redactions += RecordRedaction::redact(r);
    PgParams p;
    p.add(r.name).add(qint64(r.archived ? 1 : 0)).add(qint64(r.fork ? 1 : 0));
    p.addUtf8(listJson(r.topics)).add(r.language).add(r.defaultBranch);
    p.addUtf8(listJson(r.files)).add(r.localPath);
    p.add(r.updatedAt.isValid() ? r.updatedAt : QDateTime::currentDateTimeUtc());
    return exec("INSERT INTO repository (name, archived, fork, topics, language, default_branch, "
                "files, local_path, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                "ON CONFLICT (name) DO UPDATE SET archived = $2, fork = $3, topics = $4, "
                "language = $5, default_branch = $6, files = $7, local_path = $8, "
                "updated_at = $9",
                p);
}

QList<KnownRepository> PgStore::repositories()
{
    const PgResult r = run("SELECT name, archived, fork, topics, language, default_branch, files, "
                           "local_path, updated_at FROM repository ORDER BY name",
                           {});
    QList<KnownRepository> out;
    for (int i = 0; i < r.rows(); ++i) {
        out << KnownRepository{r.text(i, 0),    r.int64(i, 1) != 0, r.int64(i, 2) != 0,
                               listAt(r, i, 3), r.text(i, 4),       r.text(i, 5),
                               listAt(r, i, 6), r.text(i, 7),       pgDateTime(r, i, 8)};
    }
    return out;
}

// Atomic across connections: a second connection's insert of the same key waits for the
// first's batch, then does nothing (or inserts, when that batch rolled back).
bool PgStore::claimIdempotencyKey(const QString &given, QString *campaignId, bool *claimed)
{
    QString key = given;
    m_redactions += RecordRedaction::redactKey(key);
    const PgResult r =
        run("INSERT INTO launch_submission (idempotency_key, campaign_id, "
            "submitted_at) VALUES ($1, $2, $3) ON CONFLICT (idempotency_key) "
            "DO NOTHING",
            PgParams().add(key).add(*campaignId).add(QDateTime::currentDateTimeUtc()));
    if (!r.ok())
        return false;
    *claimed = r.affected() > 0;
    if (!*claimed)
        *campaignId = campaignForIdempotencyKey(key).value_or(QString());
    return true;
}

std::optional<QString> PgStore::campaignForIdempotencyKey(const QString &given)
{
    QString key = given; // stored redacted: looked up the same way
    RecordRedaction::redactKey(key);
    const PgResult r = run("SELECT campaign_id FROM launch_submission WHERE idempotency_key = $1",
                           PgParams().add(key));
    if (r.rows() == 0)
        return std::nullopt;
    return r.text(0, 0);
}

bool PgStore::writeQueueEntry(const QueueEntry &given)
{
    QueueEntry e = given;
    m_redactions += RecordRedaction::redact(e);
    // Every field merges as Always: the upsert sets the whole row, as SQLite's replace does.
    static const QByteArray sql = PgFields::upsert("launch_queue", queueEntryFields());
    return exec(sql.constData(), PgFields::params(e, queueEntryFields()));
}

std::optional<QueueEntry> PgStore::queueEntry(const QString &taskId)
{
    static const QByteArray sql =
        PgFields::select(queueEntryFields(), "FROM launch_queue WHERE task_id = $1");
    const QList<QueueEntry> found = entriesOf(run(sql.constData(), PgParams().add(taskId)));
    if (found.isEmpty())
        return std::nullopt;
    return found.constFirst();
}

QList<QueueEntry> PgStore::queueEntries(const QString &campaignId, bool withFinal)
{
    static const QByteArray select = PgFields::select(
        queueEntryFields(), "FROM launch_queue WHERE ($1::text IS NULL OR campaign_id = $1)");
    // NULL first, as SQLite sorts it (PostgreSQL puts it last in an ascending order).
    static const QByteArray order = " ORDER BY created_at NULLS FIRST, repo NULLS FIRST, task_id";
    static const QByteArray allSql = select + order;
    // The entries that can still change, through the state index: a view polls these every
    // second however many finished entries the queue holds.
    static const QByteArray openSql = select + " AND state IN (" + openStates() + ")" + order;
    return entriesOf(run(withFinal ? allSql.constData() : openSql.constData(),
                         PgParams().add(campaignId.isEmpty() ? QString() : campaignId)));
}

bool PgStore::appendLaunchEvent(const LaunchEvent &given)
{
    LaunchEvent e = given;
    m_redactions += RecordRedaction::redact(e);
    PgParams p;
    p.add(e.taskId).add(e.at.isValid() ? e.at : QDateTime::currentDateTimeUtc());
    p.add(e.fromState).add(e.toState).add(e.reason);
    return exec("INSERT INTO launch_event (task_id, at, from_state, to_state, reason) "
                "VALUES ($1, $2, $3, $4, $5)",
                p);
}

QList<LaunchEvent> PgStore::launchEvents(const QString &taskId)
{
    const PgResult r = run("SELECT id, task_id, at, from_state, to_state, reason FROM "
                           "launch_event WHERE task_id = $1 ORDER BY id",
                           PgParams().add(taskId));
    QList<LaunchEvent> out;
    for (int i = 0; i < r.rows(); ++i) {
        out << LaunchEvent{r.int64(i, 0), r.text(i, 1), pgDateTime(r, i, 2),
                           r.text(i, 3),  r.text(i, 4), r.text(i, 5)};
    }
    return out;
}

bool PgStore::writeLaunchAttempt(const LaunchAttempt &a)
{
    PgParams p;
    p.add(a.taskId).add(qint64(a.attempt)).add(a.startedAt).add(a.fingerprint);
    p.add(compactJson(QJsonDocument(a.request))).add(toString(a.outcome)).add(qint64(a.status));
    p.add(a.answer).add(a.remoteId).add(a.lookup).add(compactJson(QJsonDocument(a.candidates)));
    p.add(a.resolution).add(a.resolvedBy).add(a.endedAt);
    return exec("INSERT INTO launch_attempt (task_id, attempt, started_at, fingerprint, request, "
                "outcome, status, answer, remote_id, lookup, candidates, resolution, resolved_by, "
                "ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                "ON CONFLICT (task_id, attempt) DO UPDATE SET started_at = $3, fingerprint = $4, "
                "request = $5, outcome = $6, status = $7, answer = $8, remote_id = $9, "
                "lookup = $10, candidates = $11, resolution = $12, resolved_by = $13, "
                "ended_at = $14",
                p);
}

QList<LaunchAttempt> PgStore::launchAttempts(const QString &taskId)
{
    const PgResult r = run("SELECT task_id, attempt, started_at, fingerprint, request, outcome, "
                           "status, answer, remote_id, lookup, candidates, resolution, "
                           "resolved_by, ended_at FROM launch_attempt WHERE task_id = $1 "
                           "ORDER BY attempt",
                           PgParams().add(taskId));
    QList<LaunchAttempt> out;
    for (int i = 0; i < r.rows(); ++i) {
        LaunchAttempt a;
        a.taskId = r.text(i, 0);
        a.attempt = int(r.int64(i, 1));
        a.startedAt = pgDateTime(r, i, 2);
        a.fingerprint = r.text(i, 3);
        a.request = QJsonDocument::fromJson(r.utf8(i, 4)).object();
        // An outcome this build does not know is treated as the least certain one.
        a.outcome = createOutcomeFromString(r.text(i, 5)).value_or(CreateOutcome::Undecided);
        a.status = int(r.int64(i, 6));
        a.answer = r.text(i, 7);
        a.remoteId = r.text(i, 8);
        a.lookup = r.text(i, 9);
        a.candidates = QJsonDocument::fromJson(r.utf8(i, 10)).array();
        a.resolution = r.text(i, 11);
        a.resolvedBy = r.text(i, 12);
        a.endedAt = pgDateTime(r, i, 13);
        out << a;
    }
    return out;
}

std::optional<SyncCursor> PgStore::syncCursor(const QString &source)
{
    const PgResult r = run("SELECT since, seen_until, etag, position, updated_at FROM "
                           "sync_cursor WHERE source = $1",
                           PgParams().add(source));
    if (r.rows() == 0)
        return std::nullopt;
    return SyncCursor{source,       r.text(0, 0),       r.text(0, 1), r.text(0, 2).toLatin1(),
                      r.text(0, 3), pgDateTime(r, 0, 4)};
}

bool PgStore::writeSyncCursor(const SyncCursor &given)
{
    // Text like any other: through the redaction step (an ETag or a cursor is not a secret,
    // but nothing is stored unredacted).
    SyncCursor cursor = given;
    for (QString *text : {&cursor.source, &cursor.since, &cursor.seenUntil, &cursor.position})
        m_redactions += Redactor::redactText(*text);
    PgParams p;
    p.add(cursor.source).add(cursor.since).add(cursor.seenUntil);
    p.add(QString::fromLatin1(cursor.etag)).add(cursor.position);
    p.add(cursor.updatedAt.isValid() ? cursor.updatedAt : QDateTime::currentDateTimeUtc());
    return exec("INSERT INTO sync_cursor (source, since, seen_until, etag, position, updated_at) "
                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source) DO UPDATE SET "
                "since = $2, seen_until = $3, etag = $4, position = $5, updated_at = $6",
                p);
}

} // namespace Tasktrail
