#include "fileingest.h"

#include "store/recordredaction.h"
#include "store/recordstore.h"
#include "text/linereader.h"
#include "text/logtext.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {
// Past this many warnings in one file, one summary line says how many more there were.
constexpr int maxWarningsShown = 20;
constexpr qsizetype maxRecordSize = 16 * 1024 * 1024;
} // namespace

FileIngest::FileIngest(Ingestor &owner, RecordStore &store, const QString &path, qint64 size)
    : m_owner(owner)
    , m_store(store)
    , m_path(path)
    , m_size(size)
    , m_storeRedactions(store.redactions())
{}

bool FileIngest::ensureBatch()
{
    if (m_inBatch)
        return true;
    if (!m_store.beginBatch())
        return fatal(u"cannot start a batch"_s);
    m_inBatch = true;
    m_pending = 0;
    return true;
}

bool FileIngest::step(int limit, qint64 bytePosition, int units)
{
    if (m_pending + std::max(units, 1) < limit) {
        m_pending += std::max(units, 1);
        return true;
    }
    return stepAt(limit, progressPosition(bytePosition), units);
}

bool FileIngest::stepAt(int limit, qint64 position, int units)
{
    m_pending += std::max(units, 1);
    if (m_pending < limit)
        return true;
    return commitAt(position);
}

bool FileIngest::planCommandKeys(const QList<std::pair<QString, int>> &commands)
{
    return m_store.planCommandKeys(commands) || fatal(u"cannot plan the command keys"_s);
}

bool FileIngest::commitAt(qint64 position)
{
    if (cancelled())
        return false;
    if (m_inBatch) {
        if (!m_store.commitBatch())
            return fatal(u"cannot commit a batch"_s);
        m_inBatch = false;
        m_committed = m_counts;
    }
    m_owner.advance(position - m_lastPosition);
    m_lastPosition = position;
    return ensureBatch();
}

bool FileIngest::finish(const QByteArray &sha256, const QByteArray &headHash, const QString &format)
{
    if (cancelled())
        return false;
    if (!ensureBatch())
        return false;
    if (m_counts.warnings > maxWarningsShown)
        m_owner.report({IngestIssue::Severity::Warning, m_path, 0,
                        u"%1 more warnings not shown"_s.arg(m_counts.warnings - maxWarningsShown)});
    // What the store's write boundary redacted (log lines, and whatever a reader left).
    m_counts.redactions += m_store.redactions() - m_storeRedactions;
    m_storeRedactions = m_store.redactions();
    IngestedFile file;
    file.sha256 = sha256;
    file.headHash = headHash;
    file.size = m_size;
    file.path = m_path;
    file.format = format;
    file.records = m_counts.ingested + m_counts.duplicates;
    file.rejected = m_counts.rejected;
    file.redactions = m_counts.redactions;
    file.ingestedAt = QDateTime::currentDateTimeUtc();
    // A file with rejected lines is not remembered as done: fixed and ingested again, it
    // must be read again.
    // Nor is one whose log lines differ from those stored: each ingest says so again.
    if (file.rejected == 0 && m_changedLines == 0 && !m_store.recordIngestedFile(file))
        return fatal(u"cannot record the file"_s);
    if (!m_store.commitBatch())
        return fatal(u"cannot commit a batch"_s);
    m_inBatch = false;
    m_committed = m_counts;
    m_owner.advance(m_size - m_lastPosition);
    m_lastPosition = m_size;
    return true;
}

void FileIngest::abort()
{
    if (m_inBatch)
        m_store.rollbackBatch();
    m_inBatch = false;
    // What the rolled-back batch wrote is not in the database: only committed batches count.
    // Rejections and warnings were reported and stay counted.
    m_counts.ingested = m_committed.ingested;
    m_counts.duplicates = m_committed.duplicates;
    m_counts.redactions = m_committed.redactions;
}

bool FileIngest::readObjectLines(LineReader &reader, const ObjectLineHandler &store)
{
    if (!ensureBatch())
        return false;
    QByteArray line;
    qsizetype fullLength = 0;
    while (reader.next(line, &fullLength)) {
        const qint64 lineNo = reader.lineNumber();
        const std::optional<QJsonObject> object = parseObjectLine(line, fullLength, lineNo);
        if (!object)
            continue;
        const LineResult result = store(*object, lineNo, line);
        if (result == LineResult::Failed)
            return false;
        if (result == LineResult::Stored && !step(options().recordBatch, reader.bytesConsumed()))
            return false;
    }
    return true;
}

std::optional<QJsonObject> FileIngest::parseObjectLine(const QByteArray &line, qsizetype fullLength,
                                                       qint64 lineNo)
{
    QString reason;
    std::optional<QJsonObject> object = checkObjectLine(line, fullLength, &reason);
    if (!object && !reason.isEmpty())
        reject(lineNo, reason);
    return object;
}

std::optional<QJsonObject> FileIngest::checkObjectLine(const QByteArray &line, qsizetype fullLength,
                                                       QString *reason)
{
    reason->clear();
    if (line.trimmed().isEmpty())
        return std::nullopt;
    if (fullLength > maxRecordSize) {
        *reason = u"record of %1 bytes is larger than the %2 byte limit"_s.arg(fullLength)
                      .arg(maxRecordSize);
        return std::nullopt;
    }
    if (!LogText::isValidUtf8(line.constData(), line.size())) {
        *reason = u"not valid UTF-8"_s;
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError) {
        *reason = u"invalid JSON at column %1: %2"_s.arg(error.offset + 1).arg(error.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *reason = u"expected a JSON object"_s;
        return std::nullopt;
    }
    return doc.object();
}

bool FileIngest::appendLogLine(qint64 commandKey, const LogLine &line, qint64 fileLine,
                               LineCount count)
{
    bool inserted = false;
    if (!m_store.appendLogLine(commandKey, line, &inserted))
        return false;
    if (count == LineCount::PerLine)
        ++(inserted ? m_counts.ingested : m_counts.duplicates);
    if (!inserted)
        compareStoredLine(commandKey, line, nullptr, fileLine);
    return true;
}

bool FileIngest::appendRedactedLogLine(qint64 commandKey, RedactedLogLine &line, qint64 fileLine)
{
    bool inserted = false;
    if (!m_store.appendRedactedLogLine(commandKey, line, &inserted))
        return false;
    ++(inserted ? m_counts.ingested : m_counts.duplicates);
    if (!inserted) {
        const LogLine asRead{line.line.lineNo, line.line.timestampMs, line.raw, {}};
        compareStoredLine(commandKey, asRead, &line.line, fileLine);
    }
    return true;
}

void FileIngest::compareStoredLine(qint64 commandKey, const LogLine &line, const LogLine *redacted,
                                   qint64 fileLine)
{
    const QList<LogLine> stored = m_store.logLines(commandKey, line.lineNo, 1);
    const bool found = !stored.isEmpty() && stored.constFirst().lineNo == line.lineNo &&
                       stored.constFirst().timestampMs == line.timestampMs;
    // The line as this write redacted it: equal to the stored one is the same line (it is
    // either the line redacted alone or the key block marker, both of which pass below).
    if (found && redacted && stored.constFirst().text == redacted->text &&
        stored.constFirst().ansi == redacted->ansi)
        return;
    // The store keeps the line redacted, with its colours split off: compare it with this line
    // in the same form. A line inside a private key block is stored as the marker alone.
    QByteArray text;
    QByteArray ansi;
    Redactor().redactLogLine(line.text, &text, &ansi);
    const bool same =
        found && ((stored.constFirst().text == text && stored.constFirst().ansi == ansi) ||
                  stored.constFirst().text == QByteArrayLiteral("[REDACTED:private-key]"));
    if (!same) {
        ++m_changedLines;
        warn(fileLine, u"log line %1 differs from the line %1 stored before for this command; "
                       "the stored line is kept"_s.arg(line.lineNo));
    }
}

void FileIngest::reject(qint64 line, const QString &reason)
{
    ++m_counts.rejected;
    emitIssue(IngestIssue::Severity::Error, line, reason);
}

void FileIngest::warn(qint64 line, const QString &reason)
{
    ++m_counts.warnings;
    emitIssue(IngestIssue::Severity::Warning, line, reason);
}

void FileIngest::emitIssue(IngestIssue::Severity severity, qint64 line, const QString &reason)
{
    if (m_holdIssues) {
        m_heldIssues.append({severity, m_path, line, reason});
        // Only the warnings that will be shown are kept: a batch of lines that each warn
        // holds at most twice that many.
        if (severity == IngestIssue::Severity::Warning &&
            ++m_heldWarnings > 2 * std::max(maxWarningsShown - m_warningsShown, 0) + 64)
            keepShownWarnings();
        return;
    }
    if (severity == IngestIssue::Severity::Warning && ++m_warningsShown > maxWarningsShown)
        return;
    m_owner.report({severity, m_path, line, reason});
}

// The held issues in line order, with the warnings past those still to be shown left out.
void FileIngest::keepShownWarnings()
{
    std::stable_sort(m_heldIssues.begin(), m_heldIssues.end(),
                     [](const IngestIssue &a, const IngestIssue &b) { return a.line < b.line; });
    int toShow = std::max(maxWarningsShown - m_warningsShown, 0);
    m_heldIssues.removeIf([&toShow](const IngestIssue &issue) {
        return issue.severity == IngestIssue::Severity::Warning && toShow-- <= 0;
    });
    m_heldWarnings =
        int(std::count_if(m_heldIssues.cbegin(), m_heldIssues.cend(), [](const IngestIssue &issue) {
            return issue.severity == IngestIssue::Severity::Warning;
        }));
}

void FileIngest::releaseIssues()
{
    m_holdIssues = false;
    keepShownWarnings();
    m_heldWarnings = 0;
    const QList<IngestIssue> held = std::exchange(m_heldIssues, {});
    for (const IngestIssue &issue : held)
        emitIssue(issue.severity, issue.line, issue.reason);
}

bool FileIngest::fatal(const QString &what)
{
    m_owner.m_error = m_path % u": "_s % what % u": "_s % m_store.errorString();
    abort();
    return false;
}

int FileIngest::redact(QJsonValue &value, bool topLevel)
{
    if (!topLevel || !value.isObject() || !value.toObject().contains(u"token"_s))
        return Redactor::redactJson(value);
    QJsonObject object = value.toObject();
    const QJsonValue token = object.take(u"token"_s);
    QJsonValue rest = object;
    const int count = Redactor::redactJson(rest);
    object = rest.toObject();
    object.insert(u"token"_s, token);
    value = object;
    return count;
}

} // namespace Tasktrail
