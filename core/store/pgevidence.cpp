// The evidence chain on PostgreSQL: appends under an advisory lock, record states hashed like
// SQLite's, and a verification of the chain, the records' states and rows without entries.
#include "pgevidence.h"

#include "pgstore.h"
#include "sqliteevidence.h"

#include <QHash>
#include <QTimeZone>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// pg_advisory_xact_lock key of the chain's appends ("tasktrl" 2).
constexpr qint64 chainLock = 0x7461736b74726c02;

// Type oids of pg_type (src/include/catalog/pg_type.dat).
constexpr unsigned int8Oid = 20, int2Oid = 21, int4Oid = 23, float4Oid = 700, float8Oid = 701,
                   byteaOid = 17;

// An evidence part's SQL with PostgreSQL's placeholders ($1 for ?1).
QByteArray pgSql(const char *sqliteSql)
{
    return QByteArray(sqliteSql).replace("?1", "$1").replace("?2", "$2");
}

// The values a part's rows query is bound to; nullopt when the ref names no row of it.
std::optional<PgParams> keyParams(const EvidencePart &part, const QString &ref)
{
    PgParams p;
    switch (part.key) {
    case EvidenceKey::Text:
        return p.add(ref);
    case EvidenceKey::Integer: {
        bool ok = false;
        const qint64 id = ref.toLongLong(&ok);
        return ok ? std::optional<PgParams>(p.add(id)) : std::nullopt;
    }
    case EvidenceKey::Pair: {
        const auto parts = Evidence::splitRef(ref, part.sep);
        return parts ? std::optional<PgParams>(p.add(parts->first).add(parts->second))
                     : std::nullopt;
    }
    case EvidenceKey::LogRange: // a statement per range or id (statePartsOf)
    case EvidenceKey::TextList:
        return std::nullopt;
    }
    return std::nullopt;
}

// The parts of a record's state, each with the values its rows query is bound to (a log or
// audit_events entry: one per range or event); `*why` says why there are none to read for a
// kind no part has, or a ref that does not list what it covers.
std::vector<std::pair<const EvidencePart *, PgParams>>
statePartsOf(const QString &kind, const QString &ref, QString *why)
{
    std::vector<std::pair<const EvidencePart *, PgParams>> parts;
    *why = u"unknown kind"_s;
    for (const EvidencePart &part : evidenceParts) {
        if (kind != QLatin1StringView(part.kind))
            continue;
        why->clear();
        if (part.key == EvidenceKey::LogRange) {
            const auto ranges = Evidence::parseLogRefs(ref);
            for (const Evidence::LogRange &range : ranges.value_or(QList<Evidence::LogRange>()))
                parts.emplace_back(&part, PgParams()
                                              .add(*logLineId(range.commandKey, range.firstLine))
                                              .add(*logLineId(range.commandKey, range.lastLine)));
            if (!ranges)
                *why = u"its ref does not list what it covers"_s;
        } else if (part.key == EvidenceKey::TextList) {
            const auto ids = Evidence::parseGroupRef(ref);
            for (const QString &id : ids.value_or(QStringList()))
                parts.emplace_back(&part, PgParams().add(id));
            if (!ids)
                *why = u"its ref does not list what it covers"_s;
        } else if (std::optional<PgParams> params = keyParams(part, ref)) {
            parts.emplace_back(&part, std::move(*params));
        }
    }
    return parts;
}

int columnNamed(const PgResult &r, const char *name)
{
    for (int c = 0; c < r.columns(); ++c)
        if (r.columnName(c) == name)
            return c;
    return -1;
}

// A row as RowHasher::addRow hashes an SQLite row: each value tagged by its type.
void addRow(RowHasher &hasher, const char *label, const PgResult &r, int row)
{
    // task.key (schema version 4) stands in for SQLite's rowid, which SELECT * leaves out
    // there: it is not part of the task's state.
    const int keyColumn = qstrcmp(label, "task") == 0 ? columnNamed(r, "key") : -1;
    hasher.beginRow(label, r.columns() - (keyColumn >= 0 ? 1 : 0));
    for (int c = 0; c < r.columns(); ++c) {
        if (c == keyColumn)
            continue;
        if (r.isNull(row, c)) {
            hasher.addNull();
            continue;
        }
        switch (r.type(c)) {
        case int8Oid:
        case int4Oid:
        case int2Oid:
            hasher.addInteger(r.int64(row, c));
            break;
        case float4Oid:
        case float8Oid:
            hasher.addReal(r.utf8(row, c).toDouble());
            break;
        case byteaOid: {
            const QByteArray blob = r.bytes(row, c);
            hasher.addBlob(blob.constData(), blob.size());
            break;
        }
        default: {
            const QByteArray text = r.utf8(row, c);
            hasher.addText(text.constData(), text.size());
        }
        }
    }
}

// A log or audit_events entry's ranges or events are read back in one round of statements.
static_assert(SharedEntries::maxRecords <= PgConnection::maxAtOnce);

// A record's state from the results of its parts' statements, in order: the rows of all of
// them in one digest; for a `log` or `audit_events` entry, whose statements are each a range
// or an event, Evidence::combined() of each one's digest.
PgEvidenceLedger::State stateOf(Sha256 &scratch, const EvidencePart *const *parts,
                                const PgResult *results, std::size_t count)
{
    RowHasher hasher;
    QList<QByteArray> leaves;
    qint64 rows = 0;
    for (std::size_t s = 0; s < count; ++s) {
        RowHasher leaf;
        RowHasher &into = hasLeaves(parts[s]->key) ? leaf : hasher;
        for (int i = 0; i < results[s].rows(); ++i)
            addRow(into, parts[s]->table, results[s], i);
        if (&into == &leaf) {
            rows += leaf.rows();
            leaves << leaf.finish(scratch);
        }
    }
    if (leaves.isEmpty()) {
        rows = hasher.rows();
        return {hasher.finish(scratch), rows};
    }
    return {Evidence::combined(leaves), rows};
}

} // namespace

PgEvidenceLedger::PgEvidenceLedger(PgStore &store)
    : m_store(store)
{}

PgEvidenceLedger::~PgEvidenceLedger() = default;

void PgEvidenceLedger::clear()
{
    m_recordHash.clear();
    m_touched.clear();
    m_auditEvents.clear();
    m_logRuns.clear();
}

void PgEvidenceLedger::touch(const char *kind, const QString &ref, const QByteArray &written)
{
    // Outside a batch a write commits on its own and stays out of the chain (verify lists it).
    if (!m_store.inBatch())
        return;
    Evidence::addContentHash(m_touched[{QLatin1StringView(kind), ref}], m_recordHash, written);
}

void PgEvidenceLedger::touchAuditEvent(const QString &id, const QByteArray &written)
{
    if (!m_store.inBatch())
        return;
    Evidence::addContentHash(m_auditEvents[id], m_recordHash, written);
}

void PgEvidenceLedger::touch(const char *kind, const QString &ref, const QByteArray &sql,
                             const PgParams &params)
{
    touch(kind, ref, m_recordHash.isEmpty() ? sql + '\n' + params.serialized() : QByteArray());
}

void PgEvidenceLedger::lineAppended(qint64 commandKey, const LogLine &line)
{
    if (!m_store.inBatch())
        return;
    // The values as stored (a NUL in the text is stored as U+FFFD, see pgingest.cpp); a line
    // without one is hashed as it is, without a copy.
    if (!line.text.contains('\0') && !line.ansi.contains('\0')) {
        m_logRuns.add(commandKey, line, m_recordHash);
        return;
    }
    LogLine stored = line;
    stored.text.replace('\0', "\xEF\xBF\xBD");
    if (!stored.ansi.isNull())
        stored.ansi.replace('\0', "\xEF\xBF\xBD");
    m_logRuns.add(commandKey, stored, m_recordHash);
}

std::optional<PgEvidenceLedger::State>
PgEvidenceLedger::currentState(const QString &kind, const QString &ref, QString *error)
{
    QString why;
    std::vector<const EvidencePart *> parts;
    std::vector<PgResult> results;
    for (const auto &[part, params] : statePartsOf(kind, ref, &why)) {
        PgResult r = m_store.m_db.queryPrepared(pgSql(part->rowsSql).constData(), params);
        if (!r.ok()) {
            *error = u"cannot read table %1: %2"_s.arg(QLatin1StringView(part->table),
                                                       m_store.m_db.errorString());
            return std::nullopt;
        }
        parts.push_back(part);
        results.push_back(std::move(r));
    }
    if (!why.isEmpty()) {
        *error = why;
        return std::nullopt;
    }
    return stateOf(m_sha256, parts.data(), results.data(), parts.size());
}

std::optional<std::vector<PgEvidenceLedger::State>>
PgEvidenceLedger::currentStates(const std::vector<std::pair<QString, QString>> &records,
                                QString *error)
{
    std::vector<State> states;
    states.reserve(records.size());
    for (std::size_t next = 0; next < records.size();) {
        // Whole records, at most PgConnection::maxAtOnce statements (a record has at most
        // eight parts, a log or audit_events entry SharedEntries::maxRecords ranges or
        // events).
        PgConnection::Statements statements;
        std::vector<const EvidencePart *> parts; // each statement's part
        std::vector<std::size_t> owners;         // each statement's record
        std::vector<std::size_t> ends;           // where each record's statements end
        while (next < records.size()) {
            const auto &[kind, ref] = records[next];
            QString why;
            auto recordParts = statePartsOf(kind, ref, &why);
            if (!why.isEmpty()) {
                *error = u"evidence of %1 %2: %3"_s.arg(kind, ref, why);
                return std::nullopt;
            }
            if (!statements.empty() &&
                statements.size() + recordParts.size() > std::size_t(PgConnection::maxAtOnce))
                break;
            for (auto &[part, params] : recordParts) {
                statements.emplace_back(pgSql(part->rowsSql), std::move(params));
                parts.push_back(part);
                owners.push_back(next);
            }
            ends.push_back(statements.size());
            ++next;
        }
        int failed = -1;
        const auto results = m_store.m_db.queryPreparedAll(statements, &failed);
        if (!results) {
            *error = failed < 0
                         ? u"evidence: %1"_s.arg(m_store.m_db.errorString())
                         : u"evidence of %1 %2: cannot read table %3: %4"_s.arg(
                               records[owners[failed]].first, records[owners[failed]].second,
                               QLatin1StringView(parts[failed]->table), m_store.m_db.errorString());
            return std::nullopt;
        }
        std::size_t s = 0;
        for (const std::size_t end : ends) {
            states.push_back(stateOf(m_sha256, parts.data() + s, results->data() + s, end - s));
            s = end;
        }
    }
    return states;
}

bool PgEvidenceLedger::append()
{
    if (m_touched.empty() && m_auditEvents.empty() && m_logRuns.isEmpty())
        return true;
    // Held until the batch commits or rolls back: one appender at a time, and only from here
    // to the commit.
    if (!m_store.m_db.query("SELECT pg_advisory_xact_lock($1)", PgParams().add(chainLock)).ok())
        return m_store.fail(u"cannot lock the evidence chain"_s);
    const PgResult last =
        m_store.run("SELECT seq, chain_hash FROM evidence ORDER BY seq DESC LIMIT 1", {});
    if (!last.ok())
        return false;
    qint64 seq = last.rows() ? last.int64(0, 0) : 0;
    QByteArray previous = last.rows() ? last.bytes(0, 1) : Evidence::genesis();
    const qint64 at = QDateTime::currentMSecsSinceEpoch();
    QByteArray copy; // COPY text format; hashes as bytea hex
    const auto add = [&](const QByteArray &kind, const QByteArray &ref, const QByteArray &content,
                         const QByteArray &state) {
        const QByteArray chain = Evidence::chainHash(previous, ++seq, kind, ref, content, state);
        copy += QByteArray::number(seq) + '\t' + kind + '\t';
        for (const char c : ref)
            copy += c == '\\'   ? QByteArray("\\\\")
                    : c == '\t' ? QByteArray("\\t")
                    : c == '\n' ? QByteArray("\\n")
                    : c == '\r' ? QByteArray("\\r")
                                : QByteArray(1, c);
        copy += "\t\\\\x" + content.toHex() + "\t\\\\x" + state.toHex() + "\t\\\\x" +
                chain.toHex() + '\t' + QByteArray::number(at) + '\n';
        previous = chain;
    };
    // The records' states, then each audit event's, read back together.
    std::vector<std::pair<QString, QString>> records;
    records.reserve(m_touched.size() + m_auditEvents.size());
    for (const auto &[key, hashes] : m_touched)
        records.emplace_back(key.first, key.second);
    for (const auto &[id, hashes] : m_auditEvents)
        records.emplace_back(u"audit_event"_s, id);
    QString error;
    const auto states = currentStates(records, &error);
    if (!states)
        return m_store.fail(error);
    std::size_t next = 0;
    for (const auto &[key, hashes] : m_touched) {
        const QString kind = key.first;
        add(kind.toUtf8(), key.second.toUtf8(), Evidence::combined(hashes), (*states)[next++].hash);
    }
    SharedEntries events("[", "]");
    const auto addEvents = [&](const SharedEntries::Entry &entry) {
        add("audit_events", entry.ref, entry.content, entry.state);
        return true;
    };
    for (const auto &[id, hashes] : m_auditEvents)
        events.add(Evidence::jsonString(id), Evidence::combined(hashes), (*states)[next++].hash,
                   addEvents);
    events.finish(addEvents);
    m_logRuns.finishEntries(m_sha256, [&](const SharedEntries::Entry &entry) {
        add("log", entry.ref, entry.content, entry.state);
        return true;
    });
    clear();
    return m_store.m_db.copyIn("COPY evidence (seq, kind, ref, content_hash, state_hash, "
                               "chain_hash, at) FROM STDIN",
                               copy) ||
           m_store.fail(u"cannot append to the evidence chain"_s);
}

QByteArray PgEvidenceLedger::head(qint64 *entries)
{
    const PgResult r =
        m_store.m_db.query("SELECT seq, chain_hash FROM evidence ORDER BY seq DESC LIMIT 1");
    const bool any = r.ok() && r.rows() > 0;
    if (entries)
        *entries = any ? r.int64(0, 0) : 0;
    return any ? r.bytes(0, 1).toHex() : QByteArray();
}

std::optional<EvidenceEntry> PgEvidenceLedger::latest(const QString &kind, const QString &ref)
{
    const PgResult r = m_store.m_db.query(
        "SELECT seq, content_hash, state_hash, chain_hash, at FROM evidence WHERE kind = $1 AND "
        "ref = $2 ORDER BY seq DESC LIMIT 1",
        PgParams().add(kind).add(ref));
    if (!r.ok() || r.rows() == 0)
        return std::nullopt;
    const QDateTime at = r.isNull(0, 4)
                             ? QDateTime()
                             : QDateTime::fromMSecsSinceEpoch(r.int64(0, 4), QTimeZone::utc());
    return EvidenceEntry{r.int64(0, 0), kind, ref, r.bytes(0, 1), r.bytes(0, 2), r.bytes(0, 3), at};
}

} // namespace Tasktrail
