// Command logs: plain text of any size, streamed line by line.
#include "fileingest.h"
#include "records/recordvalues.h"
#include "store/recordstore.h"
#include "text/linereader.h"
#include "text/logtext.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Longer lines are kept cut to this size, with a warning: a log line is evidence, and a
// 50 MB minified bundle printed by a build tool must not stall search.
constexpr qsizetype maxLogLine = 1024 * 1024;
const QByteArray headerPrefix = QByteArrayLiteral("##[tasktrail]");

struct Section
{
    std::optional<qint64> commandKey;
    qint64 lineNo = 0;
};

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

} // namespace

void sanitizeLogLine(FileIngest &ingest, QByteArray &line, qsizetype fullLength, qint64 fileLine)
{
    if (fullLength > line.size())
        ingest.warn(fileLine,
                    u"line of %1 bytes cut to %2 bytes"_s.arg(fullLength).arg(maxLogLine));
    if (line.size() > maxLogLine)
        line.truncate(maxLogLine);
    if (!LogText::isValidUtf8(line.constData(), line.size())) {
        ingest.warn(fileLine, u"invalid UTF-8 replaced with U+FFFD"_s);
        line = LogText::sanitizeUtf8(line);
    }
    if (line.contains('\0')) {
        // A NUL ends the text for search and display: what follows it would be hidden.
        ingest.warn(fileLine, u"NUL bytes replaced with U+FFFD"_s);
        line.replace('\0', QByteArrayView("\xEF\xBF\xBD"));
    }
}

bool ingestCommandLog(FileIngest &ingest, LineReader &reader)
{
    if (!ingest.ensureBatch())
        return false;
    RecordStore &store = ingest.store();
    Section section;
    bool reportedNoHeader = false;
    if (!ingest.options().taskId.isEmpty()) {
        section.commandKey =
            store.commandKey(ingest.options().taskId, qMax(1, ingest.options().commandSeq));
        if (!section.commandKey)
            return ingest.fatal(u"cannot create the command"_s);
    }
    QByteArray line;
    qsizetype fullLength = 0;
    const int batch = ingest.options().logBatchLines;
    while (reader.next(line, &fullLength)) {
        const qint64 fileLine = reader.lineNumber();
        if (line.startsWith(headerPrefix)) {
            QString taskId, error;
            int command = 0;
            qint64 firstLine = 1;
            if (!parseHeader(line, &taskId, &command, &firstLine, &error)) {
                ingest.reject(fileLine, error);
                section = {}; // lines up to the next good header have no home
                continue;
            }
            section.commandKey = store.commandKey(taskId, command);
            if (!section.commandKey)
                return ingest.fatal(u"cannot create the command"_s);
            section.lineNo = firstLine - 1;
            continue;
        }
        if (!section.commandKey) {
            // One issue for the whole run of homeless lines, but every line is counted.
            if (!reportedNoHeader)
                ingest.reject(fileLine, u"log line before any ##[tasktrail] header; add a "
                                        "header or pass --task and --command"_s);
            else
                ++ingest.counts().rejected;
            reportedNoHeader = true;
            continue;
        }
        if (section.lineNo >= maxLogLineNo) {
            // Past the last number a log line id holds; a new header starts a new count.
            if (section.lineNo++ == maxLogLineNo)
                ingest.reject(fileLine,
                              u"line %1 of the section: line numbers must be at most "
                              "%2; the rest of the section is rejected"_s.arg(section.lineNo)
                                  .arg(maxLogLineNo));
            else
                ++ingest.counts().rejected;
            continue;
        }
        LogLine out;
        out.lineNo = ++section.lineNo;
        sanitizeLogLine(ingest, line, fullLength, fileLine);
        qsizetype prefix = 0;
        out.timestampMs = LogText::parseTimestampPrefix(line.constData(), line.size(), &prefix);
        if (prefix)
            line.remove(0, prefix);
        // As read: the store redacts it and splits off its colours (IngestWriter::appendLogLine).
        out.text = line;
        if (!ingest.appendLogLine(*section.commandKey, out, fileLine))
            return ingest.fatal(u"line %1: cannot store the log line"_s.arg(fileLine));
        if (!ingest.step(batch, reader.bytesConsumed()))
            return false;
    }
    return true;
}

} // namespace Tasktrail
