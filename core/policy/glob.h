#pragma once

#include <QStringList>
#include <QStringView>

namespace Tasktrail {

// Shell-style patterns for repository names, paths, commands and hosts: '*' matches any run
// of characters except '/', '**' any run including '/', '?' one character other than '/'.
// Everything else matches itself, case-sensitively. An empty pattern matches nothing.
bool globMatch(QStringView pattern, QStringView text);
bool matchesAny(const QStringList &patterns, QStringView text);

} // namespace Tasktrail
