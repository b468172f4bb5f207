// verifyEvidence() on PostgreSQL: the chain recomputed entry by entry, every record's rows
// compared with its latest entry, and rows that have no entry at all.
#include "pgevidence.h"

#include "evidencechainwalk.h"

#include "pgstore.h"
#include "sqliteevidence.h"

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

constexpr int pageSize = 10000;

// What verify does not check on PostgreSQL: SQLite's list (EvidenceLedger::notCovered), with
// the tables only this store has and without the FTS5 ranking statistics it does not keep.
QStringList notCovered()
{
    return {u"ingested_file, record_seen: what ingest has read, so that the same input is not "
            "read twice; without them the next ingest reads it again, which changes nothing"_s,
            u"audit_task_window, audit_link_state, audit_event_new: where audit linking left "
            "off (the links themselves are recomputed)"_s,
            u"repository, launch_submission, launch_queue, launch_event: the launch queue's "
            "operational state (launched runs are records)"_s,
            u"sync_cursor: where `sync github` left off in each source; without it the next "
            "sync reads everything again, which changes nothing"_s,
            u"copy_source, copy_progress: where `copy` from a SQLite file left off"_s,
            u"when things happened on this machine: evidence.at, finding.checked_at, "
            "task_check.checked_at, and the row ids of findings"_s};
}

} // namespace

EvidenceReport PgEvidenceLedger::verify(const QByteArray &knownHeadHex)
{
    EvidenceReport report;
    const QByteArray knownHead = QByteArray::fromHex(knownHeadHex);
    if (!knownHeadHex.isEmpty() && knownHead.size() != Evidence::hashSize) {
        report.error =
            u"'%1' is not a chain head (64 hex digits)"_s.arg(QString::fromLatin1(knownHeadHex));
        return report;
    }
    // One snapshot: an ingest committing meanwhile is not seen half-way.
    PgConnection &db = m_store.m_db;
    const bool ownTransaction =
        !m_store.inBatch() && db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    report.head = head();
    verifyChain(report, knownHead);
    verifyStates(report);
    findUnlisted(report);
    report.covered << EvidenceCoverage{
        u"records and log lines"_s, report.entries,
        u"chain entries recomputed; every record and log line compared with its latest entry"_s};
    // Derived data: recomputed from the records, as on SQLite.
    m_store.verifyAuditLinks(report);
    m_store.verifySearchText(report);
    report.notCovered = notCovered();
    if (ownTransaction)
        db.exec("ROLLBACK");
    return report;
}

void PgEvidenceLedger::verifyChain(EvidenceReport &report, const QByteArray &knownHead)
{
    PgConnection &db = m_store.m_db;
    const auto row = [](const PgResult &r, int i) {
        return EvidenceChainRow{r.int64(i, 0), r.utf8(i, 1),  r.utf8(i, 2),
                                r.bytes(i, 3), r.bytes(i, 4), r.bytes(i, 5)};
    };
    // Pages of entries in seq order after `after`; false (and report.error) on a database error.
    const auto page = [&](qint64 after, PgResult *r) {
        *r = db.query("SELECT seq, kind, ref, content_hash, state_hash, chain_hash FROM evidence "
                      "WHERE seq > $1 ORDER BY seq LIMIT $2",
                      PgParams().add(after).add(qint64(pageSize)));
        if (!r->ok())
            report.error = u"cannot read the evidence table: "_s + db.errorString();
        return r->ok();
    };
    EvidenceChainWalk walk(report, knownHead, [&](qint64 seq, const auto &visit) {
        PgResult r;
        for (qint64 after = std::numeric_limits<qint64>::min(); page(after, &r);) {
            for (int i = 0; i < r.rows(); ++i) {
                after = r.int64(i, 0);
                if (after != seq && visit(row(r, i)))
                    return;
            }
            if (r.rows() < pageSize)
                return;
        }
    });
    PgResult r;
    for (qint64 after = std::numeric_limits<qint64>::min(); page(after, &r);) {
        for (int i = 0; i < r.rows(); ++i) {
            walk.next(row(r, i));
            after = r.int64(i, 0);
        }
        if (r.rows() < pageSize)
            break;
    }
    walk.finish();
}

void PgEvidenceLedger::verifyStates(EvidenceReport &report)
{
    // The latest entry of every record; events and runs of log lines share theirs.
    const PgResult r = m_store.m_db.query(
        "SELECT DISTINCT ON (kind, ref) seq, kind, ref, state_hash FROM evidence "
        "ORDER BY kind, ref, seq DESC");
    if (!r.ok()) {
        report.error = u"cannot read the evidence table: "_s + m_store.m_db.errorString();
        return;
    }
    QList<EvidenceProblem> found;
    // The records' rows are read a chunk at a time, their answers in one round trip. A chunk
    // that cannot be read so (an unknown kind, a failed read) is read again record by
    // record, so that each record that cannot be checked is named alone with its reason.
    constexpr int chunkSize = 1024;
    std::vector<std::pair<QString, QString>> records;
    for (int first = 0; first < r.rows(); first += chunkSize) {
        const int end = std::min(r.rows(), first + chunkSize);
        records.clear();
        for (int i = first; i < end; ++i)
            records.emplace_back(r.text(i, 1), r.text(i, 2));
        QString chunkError;
        const auto states = currentStates(records, &chunkError);
        for (int i = first; i < end; ++i) {
            const auto &[kind, ref] = records[i - first];
            QString error;
            const auto state = states ? std::optional<State>((*states)[i - first])
                                      : currentState(kind, ref, &error);
            if (state && state->hash == r.bytes(i, 3))
                continue;
            const QString problem = !state             ? u"cannot be checked: "_s + error
                                    : state->rows == 0 ? u"deleted after ingest"_s
                                                       : u"edited after ingest"_s;
            found << EvidenceProblem{r.int64(i, 0), kind, ref,
                                     kind == u"log" ? problem + describeLog(ref) : problem};
        }
    }
    // In chain order, as on SQLite.
    std::sort(found.begin(), found.end(),
              [](const EvidenceProblem &a, const EvidenceProblem &b) { return a.seq < b.seq; });
    report.problems += found;
}

// As EvidenceLedger::describeLog().
QString PgEvidenceLedger::describeLog(const QString &ref)
{
    const auto ranges = Evidence::parseLogRefs(ref);
    if (!ranges)
        return {};
    const PgResult r = m_store.m_db.query("SELECT task_id, seq FROM command WHERE key = $1",
                                          PgParams().add(ranges->constFirst().commandKey));
    return r.ok() && r.rows() == 1
               ? Evidence::describeLogRuns(ranges->size(), r.text(0, 0), r.int64(0, 1))
               : QString();
}

void PgEvidenceLedger::findUnlisted(EvidenceReport &report)
{
    for (const EvidencePart &part : evidenceParts) {
        if (!part.unlistedSql)
            continue;
        const PgResult r =
            m_store.m_db.query(part.pgUnlistedSql ? part.pgUnlistedSql : part.unlistedSql);
        if (!r.ok()) {
            report.error = u"cannot read table %1: %2"_s.arg(QLatin1StringView(part.table),
                                                             m_store.m_db.errorString());
            return;
        }
        for (int i = 0; i < r.rows(); ++i)
            report.problems << EvidenceProblem{0, QString::fromLatin1(part.kind), r.text(i, 0),
                                               u"not in the evidence chain"_s};
    }
    // Log lines outside every range of their command.
    // An entry's ref is one range or several joined by ',' (Evidence::parseLogRefs).
    const PgResult lines = m_store.m_db.query(
        "SELECT l.id FROM log_line l WHERE NOT EXISTS (SELECT 1 FROM evidence e, "
        "unnest(string_to_array(e.ref, ',')) r WHERE e.kind = 'log' AND "
        "split_part(r, ':', 1)::bigint = l.id >> 32 AND "
        "l.id & 4294967295 BETWEEN split_part(split_part(r, ':', 2), '-', 1)::bigint AND "
        "split_part(split_part(r, ':', 2), '-', 2)::bigint) ORDER BY l.id LIMIT 100");
    if (!lines.ok()) {
        report.error = u"cannot read the log lines: "_s + m_store.m_db.errorString();
        return;
    }
    for (int i = 0; i < lines.rows(); ++i) {
        const qint64 id = lines.int64(i, 0);
        const QString ref = QString::fromLatin1(
            Evidence::logRef(id >> logLineBits, id & maxLogLineNo, id & maxLogLineNo));
        report.problems << EvidenceProblem{0, u"log"_s, ref,
                                           u"not in the evidence chain"_s + describeLog(ref)};
    }
}

EvidenceReport PgStore::verifyEvidence(const QByteArray &knownHeadHex)
{
    return m_evidence->verify(knownHeadHex);
}

QByteArray PgStore::evidenceHead()
{
    return m_evidence->head();
}

std::optional<EvidenceEntry> PgStore::latestEvidence(const QString &kind, const QString &ref)
{
    return m_evidence->latest(kind, ref);
}

QByteArray PgStore::currentEvidenceState(const QString &kind, const QString &ref)
{
    QString error;
    const auto state = m_evidence->currentState(kind, ref, &error);
    return state ? state->hash : QByteArray();
}

} // namespace Tasktrail
