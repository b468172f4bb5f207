#pragma once

#include <QByteArrayView>
#include <QColor>
#include <QList>
#include <QString>

namespace Tasktrail {

// A run of log text with one set of SGR attributes. Colours are indexes into the 16-colour
// ANSI palette (0-7 normal, 8-15 bright), -1 for the view's default.
struct AnsiSegment
{
    QString text;
    int foreground = -1;
    int background = -1;
    bool bold = false;

    friend bool operator==(const AnsiSegment &, const AnsiSegment &) = default;
};

// Splits a line with ANSI escapes into coloured segments. Understands SGR (ESC [ ... m):
// reset, bold, normal intensity, 30-37/90-97 and 40-47/100-107, defaults 39/49, and the
// 38;5;n / 48;5;n forms for n < 16. Other escape sequences and unknown SGR codes are dropped.
QList<AnsiSegment> parseAnsi(QByteArrayView utf8);

// The colour of an ANSI palette index (0-15), the common xterm values.
QColor ansiColor(int index);

} // namespace Tasktrail
