#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <optional>

namespace Tasktrail {

// One line of a command's output. As stored it is redacted: `text` is plain UTF-8 without
// ANSI escapes (what the full-text index sees); `ansi` is the same redacted line with its
// colour sequences when it had any, so a view can render colours. On its way to the store a
// line may still hold its escapes in `text` (RecordStore::appendLogLine).
struct LogLine
{
    qint64 lineNo = 0;      // from 1 within its command
    qint64 timestampMs = 0; // 0 when the line carried no timestamp
    QByteArray text;
    QByteArray ansi;
};

// A log line's id packs its command's key and its line number: (command key << 32) | line.
// Both must fit, or one command's lines would land among another's.
constexpr int logLineBits = 32;
constexpr qint64 maxLogLineNo = (qint64(1) << logLineBits) - 1;
constexpr qint64 maxCommandKey = (qint64(1) << (63 - logLineBits)) - 1;

// The id of line `lineNo` of a command; nullopt when either part is out of range.
constexpr std::optional<qint64> logLineId(qint64 commandKey, qint64 lineNo)
{
    if (commandKey < 1 || commandKey > maxCommandKey || lineNo < 1 || lineNo > maxLogLineNo)
        return std::nullopt;
    return (commandKey << logLineBits) | lineNo;
}

} // namespace Tasktrail
