#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

namespace Tasktrail {

// The glob patterns of template and policy files (repositories, paths, commands, hosts,
// test names), matched case-sensitively against the whole text:
//   '*'   any run of characters without '/'
//   '**'  any run of characters, '/' included; "**/" also matches nothing, so "**/*.lock"
//         matches "yarn.lock" as well as "a/b/yarn.lock"
//   '?'   one character other than '/'
//   '\'   makes the next '*', '?' or '\' literal
// Because '*' stops at '/', a command pattern whose arguments may hold paths or URLs needs
// '**': "git **" matches "git clone https://github.com/acme-web/cart-api.git".
bool globMatch(QStringView pattern, QStringView text);

// True when any pattern matches; false for an empty list.
bool matchesAny(const QStringList &patterns, QStringView text);

// Why a pattern is not a valid glob (empty, "***", a trailing '\', a control character), or
// an empty string when it is one.
QString globError(QStringView pattern);

} // namespace Tasktrail
