// The evidence chain's read side: recompute the chain, then check every record against its
// latest entry, then look for rows no entry names.
#include "evidencechainwalk.h"
#include "evidencehash.h"
#include "sqliteevidence.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QSet>

#include <algorithm>
#include <limits>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

const char *const walkSql = "SELECT seq, kind, ref, content_hash, state_hash, chain_hash "
                            "FROM evidence ORDER BY seq";
const char *const searchSql = "SELECT seq, kind, ref, content_hash, state_hash, chain_hash "
                              "FROM evidence WHERE seq <> ?1";

EvidenceChainRow readChainRow(const SqliteStatement &q)
{
    return {q.int64(0), q.bytes(1), q.bytes(2), q.bytes(3), q.bytes(4), q.bytes(5)};
}

} // namespace

QStringList EvidenceLedger::notCovered()
{
    return {u"ingested_file, record_seen: what ingest has read, so that the same input is not "
            "read twice; without them the next ingest reads it again, which changes nothing"_s,
            u"audit_task_window, audit_link_state: where audit linking left off (the links "
            "themselves are recomputed)"_s,
            u"repository, launch_submission, launch_queue, launch_event: the launch queue's "
            "operational state (launched runs are records)"_s,
            u"sync_cursor: where `sync github` left off in each source; without it the next "
            "sync reads everything again, which changes nothing"_s,
            u"the search index's ranking statistics (row sizes, averages): search does not "
            "rank by them"_s,
            u"when things happened on this machine: evidence.at, finding.checked_at, "
            "task_check.checked_at, and the row ids of findings"_s};
}

EvidenceReport EvidenceLedger::verify(const QByteArray &knownHeadHex)
{
    EvidenceReport report;
    const QByteArray knownHead = QByteArray::fromHex(knownHeadHex);
    if (!knownHeadHex.isEmpty() && knownHead.size() != Evidence::hashSize) {
        report.error =
            u"'%1' is not a chain head (64 hex digits)"_s.arg(QString::fromLatin1(knownHeadHex));
        return report;
    }
    if (!m_store.statement(walkSql).isValid()) {
        report.error =
            u"%1 has no evidence chain (created before it existed?)"_s.arg(m_store.location());
        return report;
    }
    // One read transaction: an ingest committing meanwhile is not seen half-way.
    const bool ownTransaction = sqlite3_get_autocommit(m_store.m_db) && m_store.execScript("BEGIN");
    report.head = head();
    verifyChain(report, knownHead);
    verifyStates(report);
    findUnlisted(report);
    findUncoveredLines(report);
    report.covered << EvidenceCoverage{
        u"records and log lines"_s, report.entries,
        u"chain entries recomputed; every record and log line compared with its latest entry"_s};
    // Derived data: recomputed from the records the chain covers, so an edit shows even
    // when the chain was extended to hide it.
    m_store.verifyAuditLinks(report);
    m_store.verifySearchIndex(report);
    m_store.verifyStoredChecks(report);
    report.notCovered = notCovered();
    if (ownTransaction)
        m_store.execScript("ROLLBACK");
    return report;
}

void EvidenceLedger::verifyChain(EvidenceReport &report, const QByteArray &knownHead)
{
    EvidenceChainWalk walk(report, knownHead, [this](qint64 seq, const auto &visit) {
        auto &all = m_store.statement(searchSql);
        all.bind(1, seq);
        while (all.next() && !visit(readChainRow(all))) {
        }
        all.reset();
    });
    auto &rows = m_store.statement(walkSql);
    while (rows.next())
        walk.next(readChainRow(rows));
    if (rows.lastResult() != SQLITE_DONE)
        report.error = u"cannot read the evidence table"_s;
    rows.reset();
    walk.finish();
}

// Every record's rows must still digest to the state its latest entry recorded.
void EvidenceLedger::verifyStates(EvidenceReport &report)
{
    // With max(), SQLite takes the bare columns from the row holding the maximum.
    auto &latest = m_store.statement("SELECT kind, ref, max(seq), state_hash FROM evidence "
                                     "GROUP BY kind, ref");
    QList<EvidenceProblem> found;
    while (latest.next()) {
        const QString kind = latest.text(0);
        const QString ref = latest.text(1);
        const qint64 seq = latest.int64(2);
        const QByteArray recorded = latest.bytes(3);
        QString error;
        const auto state = currentState(kind, ref, &error);
        QString problem;
        if (!state)
            problem = u"cannot be checked: "_s % error;
        else if (state->hash != recorded)
            problem = state->rows == 0 ? u"deleted after ingest"_s : u"edited after ingest"_s;
        if (!problem.isEmpty())
            found << EvidenceProblem{seq, kind, ref,
                                     kind == u"log" ? problem % describeLog(ref) : problem};
    }
    latest.reset();
    // Records whose latest entry is gone altogether are found by findUnlisted().
    std::sort(found.begin(), found.end(),
              [](const EvidenceProblem &a, const EvidenceProblem &b) { return a.seq < b.seq; });
    report.problems += found;
}

void EvidenceLedger::findUnlisted(EvidenceReport &report)
{
    QSet<QString> reported;
    for (const EvidencePart &part : evidenceParts) {
        if (!part.unlistedSql)
            continue;
        const QString kind = QString::fromLatin1(part.kind);
        auto &rows = m_store.statement(part.unlistedSql);
        while (rows.next()) {
            const QString ref = rows.text(0);
            if (!reported.contains(kind % u' ' % ref)) {
                reported.insert(kind % u' ' % ref);
                report.problems << EvidenceProblem{0, kind, ref, u"not in the evidence chain"_s};
            }
        }
        const bool done = rows.lastResult() == SQLITE_DONE;
        rows.reset();
        if (!done) {
            report.error = u"cannot read table %1"_s.arg(QLatin1StringView(part.table));
            return;
        }
    }
}

// Log lines outside every logged range: the gaps between the ranges are read, which touches
// only lines no entry covers.
void EvidenceLedger::findUncoveredLines(EvidenceReport &report)
{
    QList<std::pair<qint64, qint64>> ranges; // log_line ids, inclusive
    auto &refs = m_store.statement("SELECT ref FROM evidence WHERE kind = 'log'");
    while (refs.next()) {
        const auto parsed = Evidence::parseLogRefs(refs.text(0));
        for (const Evidence::LogRange &r : parsed ? *parsed : QList<Evidence::LogRange>())
            ranges.append({(r.commandKey << SqliteStore::lineBits) | r.firstLine,
                           (r.commandKey << SqliteStore::lineBits) | r.lastLine});
    }
    refs.reset();
    std::sort(ranges.begin(), ranges.end());
    auto &gap = m_store.statement("SELECT id FROM log_line WHERE id > ?1 AND id < ?2 ORDER BY id");
    const qint64 lineMask = (qint64(1) << SqliteStore::lineBits) - 1;
    qint64 runStart = -1, runEnd = -1;
    const auto flush = [&] {
        if (runStart < 0)
            return;
        const QString ref = QString::fromLatin1(Evidence::logRef(
            runStart >> SqliteStore::lineBits, runStart & lineMask, runEnd & lineMask));
        report.problems << EvidenceProblem{0, u"log"_s, ref,
                                           u"not in the evidence chain"_s % describeLog(ref)};
        runStart = -1;
    };
    qint64 coveredTo = std::numeric_limits<qint64>::min();
    for (qsizetype i = 0; i <= ranges.size(); ++i) {
        const qint64 next =
            i < ranges.size() ? ranges.at(i).first : std::numeric_limits<qint64>::max();
        if (next > coveredTo + 1 || i == ranges.size()) {
            gap.bind(1, coveredTo);
            gap.bind(2, next);
            while (gap.next()) {
                const qint64 id = gap.int64(0);
                if (runStart >= 0 && id != runEnd + 1)
                    flush();
                if (runStart < 0)
                    runStart = id;
                runEnd = id;
            }
            gap.reset();
            flush();
        }
        if (i < ranges.size())
            coveredTo = std::max(coveredTo, ranges.at(i).second);
    }
}

// " (task T-1 command 2)" for a log ref whose command still exists, " (64 runs of lines, the
// first task T-1 command 2)" for an entry of several runs; empty otherwise.
QString EvidenceLedger::describeLog(const QString &ref)
{
    const auto ranges = Evidence::parseLogRefs(ref);
    if (!ranges)
        return {};
    auto &q = m_store.statement("SELECT task_id, seq FROM command WHERE key = ?");
    q.bind(1, ranges->constFirst().commandKey);
    QString out;
    if (q.next())
        out = Evidence::describeLogRuns(ranges->size(), q.text(0), q.int64(1));
    q.reset();
    return out;
}

} // namespace Tasktrail
