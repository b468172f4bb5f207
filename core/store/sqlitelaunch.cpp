// Launching: the known repositories, idempotency keys, the queue and its events.
#include "recordredaction.h"
#include "sqliterecordfields.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QueueEntry readEntry(const SqliteStatement &s)
{
    QueueEntry e;
    SqliteFields::read(s, e, queueEntryFields());
    return e;
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

QString compactJson(const QJsonDocument &doc)
{
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

} // namespace

bool SqliteStore::writeRepository(const KnownRepository &given)
{
    KnownRepository r = given;
    m_redactions += RecordRedaction::redact(r);
    auto &stmt = statement("INSERT OR REPLACE INTO repository (name, archived, fork, topics, "
                           "language, default_branch, files, local_path, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    stmt.bind(1, r.name);
    stmt.bind(2, r.archived ? 1 : 0);
    stmt.bind(3, r.fork ? 1 : 0);
    stmt.bindList(4, r.topics);
    stmt.bind(5, r.language);
    stmt.bind(6, r.defaultBranch);
    stmt.bindList(7, r.files);
    stmt.bind(8, r.localPath);
    stmt.bind(9, r.updatedAt.isValid() ? r.updatedAt : QDateTime::currentDateTimeUtc());
    return run(stmt);
}

QList<KnownRepository> SqliteStore::repositories()
{
    auto &stmt = statement("SELECT name, archived, fork, topics, language, default_branch, "
                           "files, local_path, updated_at FROM repository ORDER BY name");
    QList<KnownRepository> out;
    while (stmt.next()) {
        out << KnownRepository{stmt.text(0), stmt.int64(1) != 0, stmt.int64(2) != 0,
                               stmt.list(3), stmt.text(4),       stmt.text(5),
                               stmt.list(6), stmt.text(7),       stmt.dateTime(8)};
    }
    stmt.reset();
    return out;
}

std::optional<IdentityRecord> SqliteStore::identity(const QString &id)
{
    auto &stmt = statement("SELECT kind, principal, on_behalf_of, scopes, hashed_token, token_id "
                           "FROM identity WHERE id = ?");
    stmt.bind(1, id);
    std::optional<IdentityRecord> found;
    if (stmt.next()) {
        found = IdentityRecord{id,           identityKindFromString(stmt.text(0)),
                               stmt.text(1), stmt.text(2),
                               stmt.list(3), stmt.text(4),
                               stmt.text(5)};
    }
    stmt.reset();
    return found;
}

bool SqliteStore::claimIdempotencyKey(const QString &given, QString *campaignId, bool *claimed)
{
    QString key = given;
    m_redactions += RecordRedaction::redactKey(key);
    auto &ins = statement("INSERT INTO launch_submission (idempotency_key, campaign_id, "
                          "submitted_at) VALUES (?, ?, ?) ON CONFLICT (idempotency_key) "
                          "DO NOTHING");
    ins.bind(1, key);
    ins.bind(2, *campaignId);
    ins.bind(3, QDateTime::currentDateTimeUtc());
    if (!run(ins))
        return false;
    *claimed = sqlite3_changes(m_db) > 0;
    if (!*claimed)
        *campaignId = campaignForIdempotencyKey(key).value_or(QString());
    return true;
}

std::optional<QString> SqliteStore::campaignForIdempotencyKey(const QString &given)
{
    QString key = given; // stored redacted: looked up the same way
    RecordRedaction::redactKey(key);
    auto &stmt = statement("SELECT campaign_id FROM launch_submission WHERE idempotency_key = ?");
    stmt.bind(1, key);
    std::optional<QString> found;
    if (stmt.next())
        found = stmt.text(0);
    stmt.reset();
    return found;
}

bool SqliteStore::writeQueueEntry(const QueueEntry &given)
{
    QueueEntry e = given;
    m_redactions += RecordRedaction::redact(e);
    static const QByteArray sql = SqliteFields::replace("launch_queue", queueEntryFields());
    auto &stmt = statement(sql.constData());
    SqliteFields::bind(stmt, e, queueEntryFields());
    return run(stmt);
}

std::optional<QueueEntry> SqliteStore::queueEntry(const QString &taskId)
{
    static const QByteArray sql =
        SqliteFields::select(queueEntryFields(), "FROM launch_queue WHERE task_id = ?");
    auto &stmt = statement(sql.constData());
    stmt.bind(1, taskId);
    std::optional<QueueEntry> found;
    if (stmt.next())
        found = readEntry(stmt);
    stmt.reset();
    return found;
}

QList<QueueEntry> SqliteStore::queueEntries(const QString &campaignId, bool withFinal)
{
    static const QByteArray allSql =
        SqliteFields::select(queueEntryFields(), "FROM launch_queue WHERE (?1 IS NULL OR "
                                                 "campaign_id = ?1) ORDER BY created_at, repo, "
                                                 "task_id");
    // The entries that can still change, through the state index: a view polls these every
    // second however many finished entries the queue holds.
    static const QByteArray openWhere =
        "FROM launch_queue WHERE (?1 IS NULL OR campaign_id = ?1) AND state IN (" + openStates() +
        ") ORDER BY created_at, repo, task_id";
    static const QByteArray openSql =
        SqliteFields::select(queueEntryFields(), openWhere.constData());
    auto &stmt = statement(withFinal ? allSql.constData() : openSql.constData());
    stmt.bind(1, campaignId.isEmpty() ? QString() : campaignId);
    QList<QueueEntry> out;
    while (stmt.next())
        out << readEntry(stmt);
    stmt.reset();
    return out;
}

bool SqliteStore::appendLaunchEvent(const LaunchEvent &given)
{
    LaunchEvent e = given;
    m_redactions += RecordRedaction::redact(e);
    auto &stmt = statement("INSERT INTO launch_event (task_id, at, from_state, to_state, reason) "
                           "VALUES (?, ?, ?, ?, ?)");
    stmt.bind(1, e.taskId);
    stmt.bind(2, e.at.isValid() ? e.at : QDateTime::currentDateTimeUtc());
    stmt.bind(3, e.fromState);
    stmt.bind(4, e.toState);
    stmt.bind(5, e.reason);
    return run(stmt);
}

QList<LaunchEvent> SqliteStore::launchEvents(const QString &taskId)
{
    auto &stmt = statement("SELECT id, task_id, at, from_state, to_state, reason FROM "
                           "launch_event WHERE task_id = ? ORDER BY id");
    stmt.bind(1, taskId);
    QList<LaunchEvent> out;
    while (stmt.next()) {
        out << LaunchEvent{stmt.int64(0), stmt.text(1), stmt.dateTime(2),
                           stmt.text(3),  stmt.text(4), stmt.text(5)};
    }
    stmt.reset();
    return out;
}

bool SqliteStore::writeLaunchAttempt(const LaunchAttempt &a)
{
    auto &stmt = statement(
        "INSERT OR REPLACE INTO launch_attempt (task_id, attempt, started_at, fingerprint, "
        "request, outcome, status, answer, remote_id, lookup, candidates, resolution, "
        "resolved_by, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    stmt.bind(1, a.taskId);
    stmt.bind(2, a.attempt);
    stmt.bind(3, a.startedAt);
    stmt.bind(4, a.fingerprint);
    stmt.bind(5, compactJson(QJsonDocument(a.request)));
    stmt.bind(6, toString(a.outcome));
    stmt.bind(7, a.status);
    stmt.bind(8, a.answer);
    stmt.bind(9, a.remoteId);
    stmt.bind(10, a.lookup);
    stmt.bind(11, compactJson(QJsonDocument(a.candidates)));
    stmt.bind(12, a.resolution);
    stmt.bind(13, a.resolvedBy);
    stmt.bind(14, a.endedAt);
    return run(stmt);
}

QList<LaunchAttempt> SqliteStore::launchAttempts(const QString &taskId)
{
    auto &stmt = statement("SELECT task_id, attempt, started_at, fingerprint, request, outcome, "
                           "status, answer, remote_id, lookup, candidates, resolution, "
                           "resolved_by, ended_at FROM launch_attempt WHERE task_id = ? "
                           "ORDER BY attempt");
    stmt.bind(1, taskId);
    QList<LaunchAttempt> out;
    while (stmt.next()) {
        LaunchAttempt a;
        a.taskId = stmt.text(0);
        a.attempt = int(stmt.int64(1));
        a.startedAt = stmt.dateTime(2);
        a.fingerprint = stmt.text(3);
        a.request = QJsonDocument::fromJson(stmt.text(4).toUtf8()).object();
        // An outcome this build does not know is treated as the least certain one.
        a.outcome = createOutcomeFromString(stmt.text(5)).value_or(CreateOutcome::Undecided);
        a.status = int(stmt.int64(6));
        a.answer = stmt.text(7);
        a.remoteId = stmt.text(8);
        a.lookup = stmt.text(9);
        a.candidates = QJsonDocument::fromJson(stmt.text(10).toUtf8()).array();
        a.resolution = stmt.text(11);
        a.resolvedBy = stmt.text(12);
        a.endedAt = stmt.dateTime(13);
        out << a;
    }
    stmt.reset();
    return out;
}

} // namespace Tasktrail
