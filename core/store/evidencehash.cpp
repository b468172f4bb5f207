#include "evidencehash.h"

#include "records/logline.h"
#include "sqlitestatement.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QVarLengthArray>
#include <QtEndian>

#include <algorithm>
#include <cstring>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

constexpr size_t hashBlock = 64 * 1024;
constexpr size_t firstBlock = 1024;

void putBigEndian(char *out, quint64 value)
{
    qToBigEndian(value, out);
}

// RowHasher's serialization, appended to `out`.
void appendRowHead(std::string &out, const char *label, int columns)
{
    const size_t size = std::strlen(label);
    char head[26] = {'R'}; // tag, label length, label up to 8 bytes, column count
    putBigEndian(head + 1, quint64(size));
    if (size <= 8) {
        std::memcpy(head + 9, label, size);
        putBigEndian(head + 9 + size, quint64(columns));
        out.append(head, 17 + size);
        return;
    }
    out.append(head, 9);
    out.append(label, size);
    putBigEndian(head, quint64(columns));
    out.append(head, 8);
}

void appendTagged(std::string &out, char tag, const char *data, size_t size)
{
    char head[9] = {tag};
    putBigEndian(head + 1, quint64(size));
    out.append(head, 9);
    out.append(data, size);
}

void appendInteger(std::string &out, qint64 value)
{
    char bytes[9] = {'I'};
    putBigEndian(bytes + 1, quint64(value));
    out.append(bytes, 9);
}

} // namespace

std::string &RowHasher::pending()
{
    if (m_pending.capacity() < firstBlock)
        m_pending.reserve(firstBlock);
    return m_pending;
}

void RowHasher::spill()
{
    if (m_pending.size() < hashBlock)
        return;
    if (!m_large)
        m_large = std::make_unique<Sha256>();
    m_large->add(m_pending.data(), m_pending.size());
    m_pending.clear();
}

void RowHasher::add(const char *data, size_t size)
{
    pending().append(data, size);
    spill();
}

void RowHasher::addTagged(char tag, const char *data, size_t size)
{
    appendTagged(pending(), tag, data, size);
    spill();
}

QByteArray RowHasher::finish(Sha256 &scratch)
{
    Sha256 &hash = m_large ? *m_large : scratch;
    hash.add(m_pending.data(), m_pending.size());
    m_pending.clear();
    return hash.finish();
}

void RowHasher::beginRow(const char *label, int columns)
{
    ++m_rows;
    appendRowHead(pending(), label, columns);
    spill();
}

void RowHasher::addNull()
{
    add("N", 1);
}

void RowHasher::addInteger(qint64 value)
{
    appendInteger(pending(), value);
    spill();
}

void RowHasher::addReal(double value)
{
    quint64 bits = 0;
    static_assert(sizeof bits == sizeof value);
    std::memcpy(&bits, &value, sizeof bits);
    char bytes[9] = {'F'};
    putBigEndian(bytes + 1, bits);
    add(bytes, 9);
}

void RowHasher::addText(const char *data, qsizetype size)
{
    addTagged('T', data, size_t(size));
}

void RowHasher::addBlob(const char *data, qsizetype size)
{
    addTagged('B', data, size_t(size));
}

void RowHasher::addRow(const char *label, const SqliteStatement &row)
{
    const int columns = row.columnCount();
    beginRow(label, columns);
    for (int i = 0; i < columns; ++i) {
        switch (row.columnType(i)) {
        case SQLITE_INTEGER:
            addInteger(row.int64(i));
            break;
        case SQLITE_FLOAT:
            addReal(row.real(i));
            break;
        case SQLITE_TEXT: {
            const QByteArrayView text = row.view(i);
            addText(text.data(), text.size());
            break;
        }
        case SQLITE_BLOB: {
            const QByteArrayView blob = row.view(i);
            addBlob(blob.data(), blob.size());
            break;
        }
        default:
            addNull();
            break;
        }
    }
}

void LogRunHasher::add(qint64 commandKey, const LogLine &stored, const QByteArray &recordHash)
{
    if (m_bytes.size() >= flushBytes)
        flush();
    const qint64 lineNo = stored.lineNo;
    // Both stores refuse a line whose id does not fit before they store it, and call this only
    // for a stored line: out of range there is nothing to hash.
    const std::optional<qint64> id = logLineId(commandKey, lineNo);
    Q_ASSERT(id);
    if (!id)
        return;
    const qsizetype index = runFor(commandKey, lineNo);
    // The same values, in the same types, as the rows query of a "log" part reads back. A
    // line whose bytes could not all be appended leaves no trace.
    const std::size_t start = m_bytes.size();
    try {
        appendRowHead(m_bytes, "log_line", 4);
        appendInteger(m_bytes, *id);
        stored.timestampMs ? appendInteger(m_bytes, stored.timestampMs) : m_bytes.push_back('N');
        appendTagged(m_bytes, 'T', stored.text.constData(), size_t(stored.text.size()));
        stored.ansi.isNull()
            ? m_bytes.push_back('N')
            : appendTagged(m_bytes, 'T', stored.ansi.constData(), size_t(stored.ansi.size()));
        addSegment(m_runs[size_t(index)], start);
    } catch (...) {
        m_bytes.resize(start);
        throw;
    }
    Pending &run = m_runs[size_t(index)];
    run.lastLine = lineNo;
    if (!recordHash.isEmpty() &&
        (run.recordHashes.isEmpty() || run.recordHashes.constLast() != recordHash))
        run.recordHashes << recordHash;
}

// The bytes from `start` to the end of the buffer join the run: a line that follows the run's
// last one in the buffer extends that run's last segment.
void LogRunHasher::addSegment(Pending &run, std::size_t start)
{
    if (run.lastSegment >= 0) {
        Segment &last = m_segments[size_t(run.lastSegment)];
        if (last.offset + last.size == start) {
            last.size = m_bytes.size() - last.offset;
            return;
        }
    }
    m_segments.push_back(Segment{start, m_bytes.size() - start, -1});
    const qsizetype segment = qsizetype(m_segments.size()) - 1;
    if (run.lastSegment >= 0)
        m_segments[size_t(run.lastSegment)].next = segment;
    else
        run.firstSegment = segment;
    run.lastSegment = segment;
}

qsizetype LogRunHasher::runFor(qint64 commandKey, qint64 lineNo)
{
    if (m_current >= 0) {
        const Pending &current = m_runs[size_t(m_current)];
        if (current.commandKey == commandKey && current.lastLine + 1 == lineNo)
            return m_current;
    }
    // A run of this command that the line continues, latest first.
    const qsizetype latest = m_lastRunOf.value(commandKey, -1);
    for (qsizetype i = latest; i >= 0; i = m_runs[size_t(i)].previousOfCommand) {
        if (m_runs[size_t(i)].lastLine + 1 == lineNo)
            return m_current = i;
    }
    Pending run;
    run.commandKey = commandKey;
    run.firstLine = lineNo;
    run.lastLine = lineNo - 1;
    run.previousOfCommand = latest;
    m_runs.push_back(std::move(run));
    m_current = qsizetype(m_runs.size()) - 1;
    m_lastRunOf.insert(commandKey, m_current);
    return m_current;
}

void LogRunHasher::hashSegments(Pending &run, Sha256 &hash)
{
    for (qsizetype i = run.firstSegment; i >= 0; i = m_segments[size_t(i)].next) {
        const Segment &segment = m_segments[size_t(i)];
        hash.add(m_bytes.data() + segment.offset, segment.size);
    }
    run.firstSegment = run.lastSegment = -1;
}

void LogRunHasher::flush()
{
    for (Pending &run : m_runs) {
        if (run.firstSegment < 0)
            continue;
        if (!run.hash)
            run.hash = std::make_unique<Sha256>();
        hashSegments(run, *run.hash);
    }
    m_bytes.clear();
    m_segments.clear();
    ++m_flushes;
}

bool LogRunHasher::finish(Sha256 &scratch, const std::function<bool(const Run &run)> &visit)
{
    std::vector<qsizetype> order(m_runs.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = qsizetype(i);
    std::sort(order.begin(), order.end(), [this](qsizetype a, qsizetype b) {
        const Pending &x = m_runs[size_t(a)];
        const Pending &y = m_runs[size_t(b)];
        return std::pair(x.commandKey, x.firstLine) < std::pair(y.commandKey, y.firstLine);
    });
    bool ok = true;
    for (const qsizetype index : order) {
        Pending &pending = m_runs[size_t(index)];
        Sha256 &hash = pending.hash ? *pending.hash : scratch;
        hashSegments(pending, hash);
        Run run{pending.commandKey, pending.firstLine, pending.lastLine, {}, hash.finish()};
        run.content =
            pending.recordHashes.isEmpty() ? run.state : Evidence::combined(pending.recordHashes);
        if (!visit(run)) {
            ok = false;
            break;
        }
    }
    clear();
    return ok;
}

bool SharedEntries::add(const QByteArray &piece, const QByteArray &content, const QByteArray &state,
                        const Visit &visit)
{
    const qsizetype refBytes = m_open.size() + m_pieces.size() + 1 + piece.size() + m_close.size();
    if (!m_states.isEmpty() && (m_states.size() == maxRecords || refBytes > maxRefBytes) &&
        !finish(visit))
        return false;
    if (!m_states.isEmpty())
        m_pieces += ',';
    m_pieces += piece;
    m_contents << content;
    m_states << state;
    return true;
}

bool SharedEntries::finish(const Visit &visit)
{
    if (m_states.isEmpty())
        return true;
    const Entry entry{m_open + m_pieces + m_close, Evidence::combined(m_contents),
                      Evidence::combined(m_states)};
    m_pieces.clear();
    m_contents.clear();
    m_states.clear();
    return visit(entry);
}

bool LogRunHasher::finishEntries(Sha256 &scratch, const SharedEntries::Visit &visit)
{
    SharedEntries entries("", "");
    return finish(scratch,
                  [&](const Run &run) {
                      return entries.add(
                          Evidence::logRef(run.commandKey, run.firstLine, run.lastLine),
                          run.content, run.state, visit);
                  }) &&
           entries.finish(visit);
}

void LogRunHasher::clear()
{
    // The buffers keep their capacity for the next batch, up to what a batch under the flush
    // size needs: one that was flushed gives its memory back.
    m_bytes.clear();
    if (m_bytes.capacity() > flushBytes)
        std::string().swap(m_bytes);
    m_segments.clear();
    if (m_segments.capacity() > keptSegments)
        std::vector<Segment>().swap(m_segments);
    m_runs.clear();
    if (m_runs.capacity() > keptSegments)
        std::vector<Pending>().swap(m_runs);
    m_lastRunOf.clear();
    m_current = -1;
}

namespace Evidence {

QByteArray combined(const QList<QByteArray> &hashes)
{
    return hashes.size() == 1 ? hashes.constFirst() : Sha256::of(hashes.join());
}

void addContentHash(QList<QByteArray> &hashes, const QByteArray &recordHash,
                    const QByteArray &written)
{
    const QByteArray hash = recordHash.isEmpty() ? Sha256::of(written) : recordHash;
    if (hashes.isEmpty() || hashes.constLast() != hash)
        hashes << hash;
}

QByteArray genesis()
{
    return QByteArray(hashSize, '\0');
}

QByteArray chainHash(const QByteArray &previous, qint64 seq, QByteArrayView kind,
                     QByteArrayView ref, const QByteArray &contentHash, const QByteArray &stateHash)
{
    QVarLengthArray<char, 512> bytes;
    bytes.append(previous.constData(), previous.size());
    char number[8];
    putBigEndian(number, quint64(seq));
    bytes.append(number, 8);
    for (const QByteArrayView text : {kind, ref}) {
        char length[4];
        qToBigEndian(quint32(text.size()), length);
        bytes.append(length, 4);
        bytes.append(text.data(), text.size());
    }
    bytes.append(contentHash.constData(), contentHash.size());
    bytes.append(stateHash.constData(), stateHash.size());
    return Sha256::of(bytes.constData(), size_t(bytes.size()));
}

QByteArray linkContent(const char *rule, const QByteArray &row, const QByteArray &number)
{
    return QByteArrayLiteral("link by ") + rule + '\n' + row + " -> #" + number;
}

QString joinRef(const QString &first, char16_t sep, const QString &second)
{
    QString out;
    out.reserve(first.size() + second.size() + 1);
    for (const QChar c : first) {
        if (c == u'%' || c == QChar(sep))
            out += u'%' % QString::number(c.unicode(), 16).toUpper().rightJustified(2, u'0');
        else
            out += c;
    }
    return out % QChar(sep) % second;
}

std::optional<std::pair<QString, QString>> splitRef(const QString &ref, char16_t sep)
{
    const qsizetype at = ref.indexOf(QChar(sep));
    if (at < 0)
        return std::nullopt;
    QString first;
    first.reserve(at);
    for (qsizetype i = 0; i < at; ++i) {
        bool ok = false;
        const int code = ref.at(i) == u'%' && i + 2 < at ? ref.mid(i + 1, 2).toInt(&ok, 16) : 0;
        if (ok) {
            first += QChar(char16_t(code));
            i += 2;
        } else {
            first += ref.at(i);
        }
    }
    return std::pair{first, ref.mid(at + 1)};
}

QByteArray logRef(qint64 commandKey, qint64 firstLine, qint64 lastLine)
{
    return QByteArray::number(commandKey) + ':' + QByteArray::number(firstLine) + '-' +
           QByteArray::number(lastLine);
}

std::optional<LogRange> parseLogRef(const QString &ref)
{
    const qsizetype colon = ref.indexOf(u':');
    const qsizetype dash = ref.indexOf(u'-', colon + 1);
    if (colon <= 0 || dash <= colon + 1)
        return std::nullopt;
    bool okKey = false, okFirst = false, okLast = false;
    LogRange range{ref.left(colon).toLongLong(&okKey),
                   ref.mid(colon + 1, dash - colon - 1).toLongLong(&okFirst),
                   ref.mid(dash + 1).toLongLong(&okLast)};
    // Both ends must pack into ids of that command: a ref written with a line past 32 bits
    // would name another command's lines.
    if (!okKey || !okFirst || !okLast || range.firstLine > range.lastLine ||
        !logLineId(range.commandKey, range.firstLine) ||
        !logLineId(range.commandKey, range.lastLine))
        return std::nullopt;
    return range;
}

std::optional<QList<LogRange>> parseLogRefs(const QString &ref)
{
    QList<LogRange> ranges;
    for (const QStringView part : QStringView(ref).split(u',')) {
        const auto range =
            ranges.size() < SharedEntries::maxRecords ? parseLogRef(part.toString()) : std::nullopt;
        if (!range)
            return std::nullopt;
        ranges << *range;
    }
    return ranges;
}

// '"' and '\\' escaped, control characters as \u00XX, the rest as UTF-8.
QByteArray jsonString(const QString &text)
{
    QByteArray out("\"");
    for (const char c : text.toUtf8()) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += "0123456789abcdef"[byte >> 4];
            out += "0123456789abcdef"[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out + '"';
}

QByteArray groupRef(const QStringList &ids)
{
    QByteArrayList pieces;
    for (const QString &id : ids)
        pieces << jsonString(id);
    return '[' + pieces.join(',') + ']';
}

std::optional<QStringList> parseGroupRef(const QString &ref)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(ref.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().isEmpty() ||
        doc.array().size() > SharedEntries::maxRecords)
        return std::nullopt;
    QStringList ids;
    for (const QJsonValue &id : doc.array()) {
        if (!id.isString())
            return std::nullopt;
        ids << id.toString();
    }
    return ids;
}

QString describeLogRuns(qsizetype runs, const QString &taskId, qint64 commandSeq)
{
    const QString command = QStringLiteral("task %1 command %2").arg(taskId).arg(commandSeq);
    return runs == 1 ? QStringLiteral(" (%1)").arg(command)
                     : QStringLiteral(" (%1 runs of lines, the first %2)").arg(runs).arg(command);
}

} // namespace Evidence
} // namespace Tasktrail
