// Command logs: plain text of any size, streamed line by line.
#include "fileingest.h"
#include "preparedqueue.h"
#include "records/recordvalues.h"
#include "store/recordredaction.h"
#include "store/recordstore.h"
#include "text/linereader.h"
#include "text/logtext.h"

#include <vector>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Longer lines are kept cut to this size, with a warning: a log line is evidence, and a
// 50 MB minified bundle printed by a build tool must not stall search.
constexpr qsizetype maxLogLine = 1024 * 1024;
const QByteArray headerPrefix = QByteArrayLiteral("##[tasktrail]");

// "##[tasktrail] task=T-1 command=2 first_line=1". The numbers are bounded as they are
// stored: a command number is an int, a line number part of a log line id.
bool parseHeader(const QByteArray &line, QString *taskId, int *command, qint64 *firstLine,
                 QString *error)
{
    *firstLine = 1;
    *command = 0;
    qint64 commandNumber = 0;
    const QList<QByteArray> parts = line.mid(headerPrefix.size()).simplified().split(' ');
    for (const QByteArray &part : parts) {
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0)
            continue;
        const QByteArray name = part.left(eq);
        const QByteArray value = part.mid(eq + 1);
        bool ok = true;
        QString bad;
        if (name == "task") {
            *taskId = QString::fromUtf8(value);
            bad = RecordValues::badText(*taskId);
        } else if (name == "command") {
            commandNumber = value.toLongLong(&ok);
            bad = RecordValues::outOfRange(commandNumber, 1, RecordValues::maxInt);
        } else if (name == "first_line") {
            *firstLine = value.toLongLong(&ok);
            bad = RecordValues::outOfRange(*firstLine, 1, maxLogLineNo);
        }
        if (!ok) {
            *error = u"header field '%1': '%2' is not a whole number"_s.arg(
                QString::fromUtf8(name), RecordValues::printable(QString::fromUtf8(value)));
            return false;
        }
        if (!bad.isEmpty()) {
            *error = u"header field '%1': %2"_s.arg(QString::fromUtf8(name), bad);
            return false;
        }
    }
    if (taskId->isEmpty() || commandNumber == 0) {
        *error = u"header needs task=<id> and command=<n> (n >= 1)"_s;
        return false;
    }
    *command = static_cast<int>(commandNumber);
    return true;
}

// What the reading thread hands the writing one: a line ready to be written, or what the
// writes must do in its place, in the order of the file.
struct LogItem
{
    enum class Kind : quint8
    {
        Line,     // `line`, redacted but for its command's key block state
        Command,  // a good header: task `text`, command number `command`
        Reject,   // a rejected line, reason `text`
        Rejected, // a rejected line counted without a message (one reported for its run)
        Warn,     // a warning about the next line, reason `text`
    };
    Kind kind = Kind::Line;
    int command = 0;
    qint64 fileLine = 0;
    qint64 position = 0; // Line: the progress position after it
    QString text;
    RedactedLogLine line;
};

// Items travel in chunks: one lock per chunk, not per line. A chunk closes at chunkItems
// items or chunkBytes bytes of text, and the queue holds queueChunks of them or queueBytes, so
// the lines in flight take a few megabytes whatever the file's size (a line is at most
// maxLogLine bytes, held as read and as redacted).
using LogChunk = std::vector<LogItem>;
constexpr std::size_t chunkItems = 512;
constexpr qsizetype chunkBytes = 1024 * 1024;
constexpr qsizetype queueChunks = 8;
constexpr qint64 queueBytes = 8 * 1024 * 1024;

// The reading half of ingestCommandLog(), on its own thread: reads, checks the headers,
// sanitizes, parses the timestamp prefix and redacts (LogRedaction::prepare, the regular
// expressions), everything that needs neither the store nor the FileIngest. It follows the
// sections as the writes do (whether a section is open and its line number); the command
// keys are the writer's, which the store gives.
class LogLineProducer
{
public:
    using Push = PreparedQueue<LogChunk>::Push;

    LogLineProducer(const FileIngest &ingest, LineReader &reader, bool sectionGiven)
        : m_ingest(ingest)
        , m_reader(reader)
        , m_sectionOpen(sectionGiven)
    {}

    void run(const Push &push)
    {
        m_push = &push;
        QByteArray line;
        qsizetype fullLength = 0;
        while (m_reader.next(line, &fullLength)) {
            if (!readLine(line, fullLength))
                return;
        }
        if (!m_chunk.empty())
            push(std::move(m_chunk), m_chunkBytes);
    }

private:
    // False when the writer has stopped.
    bool readLine(QByteArray &line, qsizetype fullLength)
    {
        const qint64 fileLine = m_reader.lineNumber();
        if (line.startsWith(headerPrefix)) {
            QString taskId, error;
            int command = 0;
            qint64 firstLine = 1;
            if (!parseHeader(line, &taskId, &command, &firstLine, &error)) {
                add(LogItem::Kind::Reject, fileLine, error);
                m_sectionOpen = false; // lines up to the next good header have no home
                m_lineNo = 0;
                return flushIfFull();
            }
            add(LogItem::Kind::Command, fileLine, taskId).command = command;
            m_sectionOpen = true;
            m_lineNo = firstLine - 1;
            return flushIfFull();
        }
        if (!m_sectionOpen) {
            // One issue for the whole run of homeless lines, but every line is counted.
            if (!m_reportedNoHeader)
                add(LogItem::Kind::Reject, fileLine,
                    u"log line before any ##[tasktrail] header; add a header or pass --task and "
                    "--command"_s);
            else
                add(LogItem::Kind::Rejected, fileLine);
            m_reportedNoHeader = true;
            return flushIfFull();
        }
        if (m_lineNo >= maxLogLineNo) {
            // Past the last number a log line id holds; a new header starts a new count.
            if (m_lineNo++ == maxLogLineNo)
                add(LogItem::Kind::Reject, fileLine,
                    u"line %1 of the section: line numbers must be at most %2; the rest of the "
                    "section is rejected"_s.arg(m_lineNo)
                        .arg(maxLogLineNo));
            else
                add(LogItem::Kind::Rejected, fileLine);
            return flushIfFull();
        }
        LogLine out;
        out.lineNo = ++m_lineNo;
        sanitizeLogLine(line, fullLength, [this, fileLine](const QString &reason) {
            add(LogItem::Kind::Warn, fileLine, reason);
        });
        qsizetype prefix = 0;
        out.timestampMs = LogText::parseTimestampPrefix(line.constData(), line.size(), &prefix);
        if (prefix)
            line.remove(0, prefix);
        out.text = std::move(line);
        line = QByteArray();
        LogItem &item = add(LogItem::Kind::Line, fileLine);
        item.position = m_ingest.progressPosition(m_reader.bytesConsumed());
        item.line = LogRedaction::prepare(std::move(out));
        m_chunkBytes += item.line.raw.size() + item.line.line.text.size();
        return flushIfFull();
    }

    LogItem &add(LogItem::Kind kind, qint64 fileLine, const QString &text = {})
    {
        LogItem &item = m_chunk.emplace_back();
        item.kind = kind;
        item.fileLine = fileLine;
        item.text = text;
        return item;
    }

    bool flushIfFull()
    {
        if (m_chunk.size() < chunkItems && m_chunkBytes < chunkBytes)
            return true;
        const bool open = (*m_push)(std::move(m_chunk), m_chunkBytes);
        m_chunkBytes = 0;
        m_chunk = LogChunk();
        m_chunk.reserve(chunkItems);
        return open;
    }

    const FileIngest &m_ingest;
    LineReader &m_reader;
    const Push *m_push = nullptr;
    LogChunk m_chunk;
    qsizetype m_chunkBytes = 0;
    bool m_sectionOpen = false;
    bool m_reportedNoHeader = false;
    qint64 m_lineNo = 0;
};

} // namespace

void sanitizeLogLine(QByteArray &line, qsizetype fullLength,
                     const std::function<void(const QString &)> &warn)
{
    if (fullLength > line.size())
        warn(u"line of %1 bytes cut to %2 bytes"_s.arg(fullLength).arg(maxLogLine));
    if (line.size() > maxLogLine)
        line.truncate(maxLogLine);
    if (!LogText::isValidUtf8(line.constData(), line.size())) {
        warn(u"invalid UTF-8 replaced with U+FFFD"_s);
        line = LogText::sanitizeUtf8(line);
    }
    if (line.contains('\0')) {
        // A NUL ends the text for search and display: what follows it would be hidden.
        warn(u"NUL bytes replaced with U+FFFD"_s);
        line.replace('\0', QByteArrayView("\xEF\xBF\xBD"));
    }
}

void sanitizeLogLine(FileIngest &ingest, QByteArray &line, qsizetype fullLength, qint64 fileLine)
{
    sanitizeLogLine(line, fullLength,
                    [&ingest, fileLine](const QString &reason) { ingest.warn(fileLine, reason); });
}

// Two threads: the reader (LogLineProducer) does everything up to the redaction's regular
// expressions, the caller's thread only resolves command keys, finishes the redaction (the key
// block state, LogRedaction::finish) and writes. Between them a bounded queue keeps the memory
// flat. Issues are reported, and batches committed, by the writes, in the order of the file:
// a kill mid-ingest leaves exactly the committed batches, as with one thread.
bool ingestCommandLog(FileIngest &ingest, LineReader &reader)
{
    if (!ingest.ensureBatch())
        return false;
    RecordStore &store = ingest.store();
    std::optional<qint64> commandKey;
    if (!ingest.options().taskId.isEmpty()) {
        commandKey =
            store.commandKey(ingest.options().taskId, qMax(1, ingest.options().commandSeq));
        if (!commandKey)
            return ingest.fatal(u"cannot create the command"_s);
    }
    const int batch = ingest.options().logBatchLines;
    LogLineProducer producer(ingest, reader, commandKey.has_value());
    // Declared after the producer: however the writes end (done, cancelled, a store error),
    // the queue stops and joins the reading thread before the producer and the reader go.
    PreparedQueue<LogChunk> queue(queueChunks, queueBytes);
    queue.start([&producer](const PreparedQueue<LogChunk>::Push &push) { producer.run(push); });
    while (PreparedQueue<LogChunk>::Taken chunk = queue.take()) {
        for (LogItem &item : *chunk) {
            switch (item.kind) {
            case LogItem::Kind::Command:
                commandKey = store.commandKey(item.text, item.command);
                if (!commandKey)
                    return ingest.fatal(u"cannot create the command"_s);
                break;
            case LogItem::Kind::Reject:
                ingest.reject(item.fileLine, item.text);
                break;
            case LogItem::Kind::Rejected:
                ++ingest.counts().rejected;
                break;
            case LogItem::Kind::Warn:
                ingest.warn(item.fileLine, item.text);
                break;
            case LogItem::Kind::Line:
                if (!ingest.appendRedactedLogLine(*commandKey, item.line, item.fileLine))
                    return ingest.fatal(u"line %1: cannot store the log line"_s.arg(item.fileLine));
                if (!ingest.stepAt(batch, item.position))
                    return false;
                break;
            }
        }
    }
    return true;
}

} // namespace Tasktrail
