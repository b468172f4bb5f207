#pragma once

#include "evidencehash.h"
#include "pgconnection.h"
#include "records/evidence.h"
#include "records/logline.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace Tasktrail {

class PgStore;

// The evidence chain of one PgStore: the same entries, hashes and record states as
// EvidenceLedger's on SQLite (sqliteevidence.h, whose evidenceParts say what each kind's state
// is), so a record written to either database gets the same state hash.
//
// Appends from several connections (two ingests on two machines) are serialised by an
// advisory lock taken at the append, just before the batch commits, and released by the
// commit: the chain stays one chain, and the lock is held only for the append.
class PgEvidenceLedger final
{
public:
    explicit PgEvidenceLedger(PgStore &store);
    ~PgEvidenceLedger();
    PgEvidenceLedger(const PgEvidenceLedger &) = delete;
    PgEvidenceLedger &operator=(const PgEvidenceLedger &) = delete;

    void clear();
    void recordSeen(const QByteArray &contentHash) { m_recordHash = contentHash; }
    // `kind` is one of the kinds of evidenceParts (a literal); `written` what the write stored,
    // hashed when no record hash was given.
    void touch(const char *kind, const QString &ref, const QByteArray &written);
    void touch(const char *kind, const QString &ref, const QByteArray &sql, const PgParams &params);
    // An audit event the batch stored: the batch's events share `audit_events` entries
    // (SharedEntries), as on SQLite.
    void touchAuditEvent(const QString &id, const QByteArray &written);
    void lineAppended(qint64 commandKey, const LogLine &line);
    bool append();

    struct State
    {
        QByteArray hash;
        qint64 rows = 0;
    };
    std::optional<State> currentState(const QString &kind, const QString &ref, QString *error);
    // The states of several records (kind, ref), in order, hashed as currentState() hashes
    // one; their tables are read a chunk of records at a time in one round trip
    // (PgConnection::queryPreparedAll()). nullopt with *error naming the record that failed.
    std::optional<std::vector<State>>
    currentStates(const std::vector<std::pair<QString, QString>> &records, QString *error);
    QByteArray head(qint64 *entries = nullptr);
    std::optional<EvidenceEntry> latest(const QString &kind, const QString &ref);
    EvidenceReport verify(const QByteArray &knownHeadHex);

private:
    void verifyChain(EvidenceReport &report, const QByteArray &knownHead);
    void verifyStates(EvidenceReport &report);
    void findUnlisted(EvidenceReport &report);
    QString describeLog(const QString &ref);

    PgStore &m_store;
    Sha256 m_sha256;
    QByteArray m_recordHash;
    std::map<std::pair<QLatin1StringView, QString>, QList<QByteArray>> m_touched;
    std::map<QString, QList<QByteArray>> m_auditEvents; // by id: their content hashes
    LogRunHasher m_logRuns;
};

} // namespace Tasktrail
