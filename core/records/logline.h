#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace Tasktrail {

// One line of a command's output, already redacted. `text` is plain UTF-8 without ANSI
// escapes (what the full-text index sees); `ansi` keeps the original escapes when there were
// any, so a view can render colours.
struct LogLine
{
    qint64 lineNo = 0;      // from 1 within its command
    qint64 timestampMs = 0; // 0 when the line carried no timestamp
    QByteArray text;
    QByteArray ansi;
};

} // namespace Tasktrail
