#pragma once

#include <QString>
#include <QStringList>

namespace Tasktrail {

// Command lines as a POSIX shell reads them back: every place that shows a recorded command
// (tables, chain pages, `show`, reports) writes it through these, so a reader sees
// git commit -m "Bump lodash 4.17.20 -> 4.17.21", not seven words, and can paste it.

// One argument, quoted only when a shell would otherwise split, expand or drop it: as it is
// when it is plain, in double quotes when nothing inside them would expand, else in single
// quotes (a single quote inside written as '\''). An empty argument is ''.
QString shellQuoted(const QString &word);

// The argv words quoted and joined by spaces. An argv of one word is a command line an agent
// gave to a shell (transcripts record it that way): it is shown as it was typed, since
// quoting it would turn "npm test" into one word.
QString shellCommandLine(const QStringList &argv);

} // namespace Tasktrail
