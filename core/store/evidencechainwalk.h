#pragma once

#include "records/evidence.h"

#include <QByteArray>
#include <QList>
#include <QSet>

#include <functional>
#include <optional>

namespace Tasktrail {

// One entry of the evidence table, as verify reads it.
struct EvidenceChainRow
{
    qint64 seq = 0;
    QByteArray kind; // UTF-8, as hashed
    QByteArray ref;
    QByteArray content;
    QByteArray state;
    QByteArray chain;

    EvidenceProblem problem(const QString &text) const;
    // The chain hash this entry has when it follows `previous` at `at`.
    QByteArray chainAt(const QByteArray &previous, qint64 at) const;
};

// The chain check of verifyEvidence(), the same on both backends: the entries are given in seq
// order (next()), and each must link to the one before. An entry that does not is looked for
// elsewhere (two entries swapped, or one moved: "out of order"), or judged by whether the next
// entry links to its stored or its recomputed chain hash (its content, state, kind or ref
// changed, or its chain hash); a gap in seq is a missing entry, after which the next entry
// starts the walk again. A known head must be among the chain hashes.
class EvidenceChainWalk
{
public:
    // Gives `visit` every entry whose seq is not `seq`, until `visit` returns true.
    using Search =
        std::function<void(qint64 seq, const std::function<bool(const EvidenceChainRow &)> &visit)>;

    EvidenceChainWalk(EvidenceReport &report, const QByteArray &knownHead, Search search);
    void next(const EvidenceChainRow &row);
    // After the last entry: the problems that only the end of the chain settles.
    void finish();

private:
    qsizetype linkOf(const EvidenceChainRow &row) const;
    void settleSuspect(qsizetype nextLink);
    bool placeElsewhere();
    void placeOrMiss();

    EvidenceReport &m_report;
    QByteArray m_knownHead;
    bool m_knownHeadSeen = false;
    Search m_search;
    qint64 m_seq = 1;
    // The chain hashes the entry at m_seq may link to (none known after a missing entry).
    QList<QByteArray> m_previous;
    QSet<qint64> m_moved;
    std::optional<EvidenceChainRow> m_suspect;
    int m_searches = 0;
};

} // namespace Tasktrail
