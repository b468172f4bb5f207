#pragma once

#include "store/storeconnection.h"

#include "records/evidence.h"
#include "records/secretscan.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// The evidence chain (docs/data-model.md): each committed batch appends entries for the
// records it touched; this reads and verifies it.
class EvidenceChain : public virtual StoreConnection
{
public:
    // The evidence chain (docs/data-model.md): each committed batch appends one entry per
    // record it touched, and one per up to 64 audit events or runs of log lines (their
    // entries shared, SharedEntries). verifyEvidence() recomputes the chain and checks every record
    // against its latest entry; a non-empty knownHeadHex (a head exported earlier) must still
    // be in the chain.
    virtual EvidenceReport verifyEvidence(const QByteArray &knownHeadHex) = 0;
    // The hex chain hash of the last entry; empty before anything was ingested.
    virtual QByteArray evidenceHead() = 0;
    // The latest entry of a record (kind as in EvidenceEntry), if it has one.
    virtual std::optional<EvidenceEntry> latestEvidence(const QString &kind,
                                                        const QString &ref) = 0;
    // The digest of the record's rows as they are now, to compare with an entry's
    // stateHash; empty for an unknown kind.
    virtual QByteArray currentEvidenceState(const QString &kind, const QString &ref) = 0;
    // Reads every stored text through the redaction step again, for what older versions
    // stored before it knew a kind of secret (docs/data-model.md, "Redaction"). With `apply`
    // the changed rows are rewritten in one batch, the search indexes with them, each
    // redaction is recorded, and the evidence chain gets entries that explain the changed
    // records; the file is then compacted so that the old text is gone from it. nullopt on a
    // database error.
    virtual std::optional<SecretScanReport> scanSecrets(bool apply) = 0;
};

} // namespace Tasktrail
