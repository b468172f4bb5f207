#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace Tasktrail::LogText {

// True when `data` is well-formed UTF-8 (no overlongs, no surrogates).
bool isValidUtf8(const char *data, qsizetype size);
// Replaces every ill-formed sequence with U+FFFD.
QByteArray sanitizeUtf8(const QByteArray &data);

// Parses a leading RFC 3339 timestamp followed by one space ("2026-03-01T12:00:00.1234567Z ")
// as GitHub Actions and most CI runners write it. Returns milliseconds since the epoch and the
// length of the prefix, or 0 when the line does not start with one.
qint64 parseTimestampPrefix(const char *data, qsizetype size, qsizetype *prefixLength);

// Removes ANSI escape sequences (CSI like colours, OSC like hyperlinks); *otherEscapes tells
// whether there were any besides CSI.
QByteArray stripAnsi(const QByteArray &line, bool *otherEscapes = nullptr);
// Removes every escape sequence but CSI (colours, cursor movement): a hyperlink's target or a
// window title is text nobody sees on the line.
QByteArray keepColours(const QByteArray &line);

} // namespace Tasktrail::LogText
