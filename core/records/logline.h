#pragma once

#include <QByteArray>
#include <QtGlobal>

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

} // namespace Tasktrail
