#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace Tasktrail {

// One link of the evidence chain: what one committed batch did to one record, or to up to 64
// audit events or runs of log lines that share the entry.
//
// kind + ref name the record (task id, "owner/repo#42", a review id, "campaign/repo"), the
// events (`audit_events`: their ids as a JSON array) or the runs (`log`:
// "<command key>:<first>-<last>" ranges joined by ','). contentHash covers the records the
// ingest wrote for it in that batch, stateHash its rows as stored when the batch committed
// (of shared entries: SHA-256 over each event's or range's digest),
// chainHash = SHA-256(previous chainHash || seq || kind || ref || contentHash || stateHash).
// Hashes are the raw 32 bytes.
struct EvidenceEntry
{
    qint64 seq = 0;
    QString kind;
    QString ref;
    QByteArray contentHash;
    QByteArray stateHash;
    QByteArray chainHash;
    QDateTime at;
};

// A finding of verifyEvidence(): seq is 0 for records that have no entry at all; kind and
// ref are empty for an entry that is gone (the record itself shows up on its own line).
struct EvidenceProblem
{
    qint64 seq = 0;
    QString kind;
    QString ref;
    QString problem;

    friend bool operator==(const EvidenceProblem &, const EvidenceProblem &) = default;
};

// One part of what a verification checked, for its output: what, how many, and how
// ("audit links", 5965, "recomputed from the audit events, tasks and identities").
struct EvidenceCoverage
{
    QString what;
    qint64 count = 0;
    QString how;
};

struct EvidenceReport
{
    QByteArray head; // hex chain hash of the last entry; empty for an empty chain
    qint64 entries = 0;
    QList<EvidenceProblem> problems;
    QString error; // set when the check could not run (the problems are then incomplete)
    QList<EvidenceCoverage> covered;
    QStringList notCovered; // what is stored but not checked, and why

    bool intact() const { return problems.isEmpty() && error.isEmpty(); }
};

} // namespace Tasktrail
