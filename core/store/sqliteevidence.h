#pragma once

#include "evidencehash.h"
#include "records/evidence.h"
#include "records/logline.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace Tasktrail {

class SqliteStatement;
class SqliteStore;

// How a record's ref binds to the `?1`, `?2` of its rows query.
enum class EvidenceKey
{
    Text,     // ?1 = ref
    Integer,  // ?1 = ref as a number (GitHub ids)
    Pair,     // ?1, ?2 = the two parts of Evidence::splitRef(ref, sep)
    LogRange, // ?1, ?2 = the first and last log_line id of each of Evidence::parseLogRefs(ref)
    TextList  // ?1 = each id of Evidence::parseGroupRef(ref)
};
// The kinds whose state is one digest per range or id, combined (Evidence::combined()).
constexpr bool hasLeaves(EvidenceKey key)
{
    return key == EvidenceKey::LogRange || key == EvidenceKey::TextList;
}

// One table's share of a record's canonical state. A kind's state is the rows of all its
// parts, in this order; `unlistedSql` finds refs of that table's rows without any evidence
// entry (rows put in behind the ingest's back), `pgUnlistedSql` the same on PostgreSQL where
// it has to differ.
struct EvidencePart
{
    const char *kind;
    const char *table;
    EvidenceKey key;
    char16_t sep;
    const char *rowsSql;
    const char *unlistedSql;
    const char *pgUnlistedSql = nullptr;
};
// Every part of every kind, the one place that says what a record's state is.
extern const std::vector<EvidencePart> evidenceParts;

// The evidence chain of one SqliteStore (table `evidence`, see docs/data-model.md).
//
// While a batch is open the write methods tell the ledger which record they touched and the
// log lines they appended; append() turns that into one chain entry per record, audit events
// and runs of log lines sharing theirs (SharedEntries), inside the batch's transaction, just
// before it commits. A rolled-back batch leaves nothing behind.
class EvidenceLedger final
{
public:
    explicit EvidenceLedger(SqliteStore &store);
    ~EvidenceLedger();
    EvidenceLedger(const EvidenceLedger &) = delete;
    EvidenceLedger &operator=(const EvidenceLedger &) = delete;

    // Forgets what the open batch touched: at begin, commit and rollback.
    void clear();
    // The content hash of the record the next writes come from.
    void recordSeen(const QByteArray &contentHash) { m_recordHash = contentHash; }
    // `kind` is one of the kinds of evidenceParts (a literal). Without a record hash, the
    // content hash is that of `written` (what the write stored).
    void touch(const char *kind, const QString &ref, const QByteArray &written);
    void touch(const char *kind, const QString &ref, const SqliteStatement &write);
    // As touch(written), for a write that returned its row as stored (`RETURNING *`, the
    // statement on that row): when that row is the record's whole state (its kind has one
    // part, a row of one table), the row's digest is the state, and it is not read back at
    // commit. A later touch of the record without a row reads it back again. Not for a table
    // with a REAL column: RETURNING gives a whole number stored there as INTEGER, SELECT as REAL.
    void touchStored(const char *kind, const QString &ref, const QByteArray &written,
                     const SqliteStatement &stored);
    // As touchStored(), for an audit event stored by `stored` (its row): the batch's events
    // share `audit_events` entries (SharedEntries).
    void touchAuditEvent(const QString &id, const QByteArray &written,
                         const SqliteStatement &stored);
    void lineAppended(qint64 commandKey, const LogLine &line);
    // Appends the entries of the open batch; false on a database error (see the store).
    bool append();

    struct State
    {
        QByteArray hash;
        qint64 rows = 0;
    };
    // The digest of a record's rows as they are now; nullopt for an unknown kind or on a
    // database error (*error says which).
    std::optional<State> currentState(const QString &kind, const QString &ref, QString *error);
    // The hex chain hash of the last entry, and its seq (the number of entries).
    QByteArray head(qint64 *entries = nullptr);
    std::optional<EvidenceEntry> latest(const QString &kind, const QString &ref);
    EvidenceReport verify(const QByteArray &knownHeadHex);
    // What verify does not check, in words for its output (docs/data-model.md).
    static QStringList notCovered();

private:
    struct Touched
    {
        QList<QByteArray> contentHashes;
        QByteArray state; // the digest of the row the last write stored; empty: read back
    };
    Touched *touched(const char *kind, const QString &ref, const QByteArray &written);
    std::optional<State> leavesState(const EvidencePart &part, const QString &ref, QString *error);
    // The checks of verify() (sqliteevidenceverify.cpp).
    void verifyChain(EvidenceReport &report, const QByteArray &knownHead);
    void verifyStates(EvidenceReport &report);
    void findUnlisted(EvidenceReport &report);
    void findUncoveredLines(EvidenceReport &report);
    QString describeLog(const QString &ref);

    SqliteStore &m_store;
    Sha256 m_sha256;
    QByteArray m_recordHash;
    std::map<std::pair<QLatin1StringView, QString>, Touched> m_touched; // kind: a literal
    std::map<QString, Touched> m_auditEvents;                           // by id
    LogRunHasher m_logRuns;
};

} // namespace Tasktrail
