// The evidence chain's walk along seq = 1, 2, ..., shared by both backends' verify.
#include "evidencechainwalk.h"

#include "evidencehash.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Searching the whole chain for a moved entry costs one pass per entry out of place; past
// this many the remaining ones are reported as not matching, without the search.
constexpr int maxSearches = 32;

} // namespace

EvidenceProblem EvidenceChainRow::problem(const QString &text) const
{
    return {seq, QString::fromUtf8(kind), QString::fromUtf8(ref), text};
}

QByteArray EvidenceChainRow::chainAt(const QByteArray &previous, qint64 at) const
{
    return Evidence::chainHash(previous, at, kind, ref, content, state);
}

EvidenceChainWalk::EvidenceChainWalk(EvidenceReport &report, const QByteArray &knownHead,
                                     Search search)
    : m_report(report)
    , m_knownHead(knownHead)
    , m_knownHeadSeen(knownHead.isEmpty())
    , m_search(std::move(search))
    , m_previous{Evidence::genesis()}
{}

// The index in m_previous of the hash `row` links to at m_seq, or -1.
qsizetype EvidenceChainWalk::linkOf(const EvidenceChainRow &row) const
{
    for (qsizetype i = 0; i < m_previous.size(); ++i) {
        if (row.chainAt(m_previous.at(i), m_seq) == row.chain)
            return i;
    }
    return -1;
}

// An entry that did not link, judged by whether the next one links to its stored (0) or its
// recomputed (1) chain hash.
void EvidenceChainWalk::settleSuspect(qsizetype nextLink)
{
    if (!m_suspect)
        return;
    const QString problem =
        nextLink == 0   ? u"entry altered: its content hash, state hash, kind or ref changed"_s
        : nextLink == 1 ? u"entry altered: its chain hash changed"_s
                        : u"entry does not match the chain"_s;
    m_report.problems << m_suspect->problem(problem);
    m_suspect.reset();
}

// Looks for the entry that belongs at m_seq somewhere else in the chain (two entries swapped,
// or one moved); reports it as out of order and links the walk to it.
bool EvidenceChainWalk::placeElsewhere()
{
    if (m_previous.isEmpty() || ++m_searches > maxSearches)
        return false;
    std::optional<EvidenceChainRow> found;
    m_search(m_seq, [&](const EvidenceChainRow &row) {
        if (!m_moved.contains(row.seq) && linkOf(row) >= 0)
            found = row;
        return found.has_value();
    });
    if (!found)
        return false;
    m_report.problems << found->problem(
        u"entry out of order: it was appended as seq %1"_s.arg(m_seq));
    m_moved.insert(found->seq);
    m_previous = {found->chain};
    return true;
}

// No entry links in at m_seq where it stands: found elsewhere, or gone.
void EvidenceChainWalk::placeOrMiss()
{
    settleSuspect(-1);
    if (!placeElsewhere()) {
        m_report.problems << EvidenceProblem{
            m_seq, {}, {}, u"entry missing: deleted from the chain"_s};
        m_previous.clear(); // the next entry links to a hash we no longer have
    }
}

void EvidenceChainWalk::next(const EvidenceChainRow &row)
{
    ++m_report.entries;
    if (row.seq < m_seq) { // only a seq below 1 can be behind the walk
        m_report.problems << row.problem(u"entry has an impossible seq"_s);
        return;
    }
    for (; m_seq < row.seq; ++m_seq)
        placeOrMiss();
    if (m_moved.contains(row.seq)) { // reported already; what belongs here?
        placeOrMiss();
        ++m_seq;
        return;
    }
    const qsizetype link = linkOf(row);
    settleSuspect(link);
    if (m_previous.isEmpty() || link >= 0) {
        m_previous = {row.chain};
        m_knownHeadSeen = m_knownHeadSeen || row.chain == m_knownHead;
    } else if (!placeElsewhere()) {
        m_suspect = row;
        m_previous = {row.chain, row.chainAt(m_previous.constFirst(), m_seq)};
    }
    ++m_seq;
}

void EvidenceChainWalk::finish()
{
    settleSuspect(-1);
    if (!m_knownHeadSeen)
        m_report.problems << EvidenceProblem{
            0,
            {},
            {},
            u"the chain does not contain the head %1: it was rewritten or cut short"_s.arg(
                QString::fromLatin1(m_knownHead.toHex()))};
}

} // namespace Tasktrail
