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

// Removes ANSI escape sequences (CSI like colours, OSC like hyperlinks).
QByteArray stripAnsi(const QByteArray &line);

} // namespace Tasktrail::LogText
