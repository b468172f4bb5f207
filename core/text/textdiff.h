#pragma once

#include <QString>

namespace Tasktrail {

// A unified diff (3 lines of context) of two texts, line by line, as `diff -u` prints it
// without the file headers: what changed between two versions of a template or policy.
// Empty when the texts are equal. Meant for files of hundreds of lines: O(n x m) memory.
QString unifiedDiff(const QString &before, const QString &after, int context = 3);

} // namespace Tasktrail
