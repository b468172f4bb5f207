#pragma once

#include <QString>
#include <QStringList>

#include <algorithm>

namespace Tasktrail::Cli {

// The width of a text column: at least `minWidth`, and wide enough that its longest value is
// followed by two spaces, so a long value never runs into the next column.
inline qsizetype columnWidth(const QStringList &values, qsizetype minWidth)
{
    qsizetype longest = 0;
    for (const QString &value : values)
        longest = std::max(longest, value.size());
    return std::max(minWidth, longest + 2);
}

} // namespace Tasktrail::Cli
