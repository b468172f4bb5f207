#pragma once

// Shared by the audit-event tests: stores built through the RecordStore calls an ingest makes,
// and an ingest run that collects its issues and formats.
#include "ingest/ingestor.h"
#include "store/recordstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <memory>

namespace AuditTest {

using namespace Qt::StringLiterals;
using namespace Tasktrail;

inline constexpr qint64 minute = 60 * 1000;
inline const QString fixtureToken = u"g5g7tITZyudvM0a10iwURsjpTIikj6tf8I4dnMJtnR0="_s;

inline QString fixture(const QString &name)
{
    return QString::fromUtf8(TASKTRAIL_TEST_DATA) % u"/audit/" % name;
}

inline QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

struct IngestRun
{
    bool ok = false;
    IngestCounts counts;
    QList<IngestIssue> issues;
    QStringList formats;
};

inline IngestRun ingest(RecordStore &store, const QStringList &paths)
{
    IngestRun run;
    Ingestor ingestor(store);
    QObject::connect(&ingestor, &Ingestor::issueFound,
                     [&run](const IngestIssue &issue) { run.issues << issue; });
    QObject::connect(&ingestor, &Ingestor::fileStarted,
                     [&run](const QString &, const QString &format) { run.formats << format; });
    run.ok = ingestor.ingest(paths);
    run.counts = ingestor.counts();
    return run;
}

inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(name));
    return file.fileName();
}

// Builds stores for the correlation tests through the same RecordStore calls an ingest makes.
class Scene
{
public:
    explicit Scene(const QTemporaryDir &dir)
        : Scene(dir.filePath(u"audit.db"_s))
    {}
    // A store at any location: an SQLite file or a PostgreSQL database.
    explicit Scene(const QString &location)
    {
        QString error;
        store = openStore(location, &error);
        if (!store)
            qFatal("cannot open the store: %s", qPrintable(error));
    }

    void identity(const QString &id, const QString &principal, const QString &hash,
                  const QString &tokenId)
    {
        IdentityRecord i;
        i.id = id;
        i.kind = IdentityKind::GitHubAppInstallationToken;
        i.principal = principal;
        i.hashedToken = hash;
        i.tokenId = tokenId;
        QVERIFY(store->writeIdentity(i));
    }
    void task(const QString &id, const QString &repo, const QString &identityId, qint64 created,
              std::optional<qint64> started, std::optional<qint64> completed)
    {
        TaskRecord t;
        t.id = id;
        t.repo = repo;
        t.identityId = identityId;
        t.createdAt = at(created);
        if (started)
            t.startedAt = at(*started);
        if (completed)
            t.completedAt = at(*completed);
        QVERIFY(store->writeTask(t));
    }
    void event(const QString &id, qint64 ms, const QString &hash, const QString &tokenId,
               const QString &actor, const QString &repo)
    {
        AuditEvent e;
        e.id = id;
        e.action = u"api.request"_s;
        e.at = at(ms);
        e.hashedToken = hash;
        e.tokenId = tokenId;
        e.actor = actor;
        e.repo = repo;
        bool inserted = false;
        QVERIFY(store->writeAuditEvent(e, &inserted));
        QVERIFY(inserted);
    }
    bool link(QStringList *relinked = nullptr)
    {
        return store->beginBatch() && store->linkAuditEvents(relinked) && store->commitBatch();
    }
    // The match of an event's link to a task, or "" when they are not linked.
    QString match(const QString &taskId, const QString &eventId)
    {
        for (const AuditLink &l : store->auditEvents(taskId)) {
            if (l.event.id == eventId)
                return l.match;
        }
        return {};
    }

    std::unique_ptr<RecordStore> store;
};

} // namespace AuditTest
