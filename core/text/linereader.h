#pragma once

#include "sha256.h"

#include <QByteArray>

class QIODevice;

namespace Tasktrail {

// Reads a device line by line in large chunks, for files of any size. Lines come without
// their line break (LF or CRLF). A line longer than the limit is cut at the limit and the
// rest of it skipped, so one enormous line cannot exhaust memory. Every byte read also goes
// into a SHA-256, so a file is hashed in the same pass that ingests it.
class LineReader final
{
public:
    explicit LineReader(QIODevice &device, qsizetype maxLine = 16 * 1024 * 1024);

    // False at the end of the input. *fullLength is the line's length before any cut.
    bool next(QByteArray &line, qsizetype *fullLength = nullptr);

    qint64 lineNumber() const { return m_lineNumber; }
    qint64 bytesConsumed() const { return m_consumed; }
    bool atEnd() const;
    // The device failed to read (the input is damaged or cut off): next() stopped there and
    // dropped the unfinished line it was reading, which is not the file's.
    bool failed() const { return m_failed; }
    QByteArray sha256Hex(); // of everything read; call once, after the last line

private:
    bool fill();

    QIODevice &m_device;
    qsizetype m_maxLine;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_lineNumber = 0;
    qint64 m_consumed = 0;
    bool m_eof = false;
    bool m_failed = false;
    Sha256 m_hash;
};

} // namespace Tasktrail
