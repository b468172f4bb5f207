#pragma once

#include <QString>
#include <QtGlobal>

#include <limits>
#include <optional>

// What the documented formats allow in a record's values (docs/record-format.md), shared by
// every reader so that each rejects the same values with the same words.
namespace Tasktrail::RecordValues {

// Command numbers, PR numbers and other counts are stored as int.
constexpr qint64 maxInt = std::numeric_limits<int>::max();
// GitHub's ids and other big integers: what a JSON number holds exactly (JsonFields reads
// nothing larger).
constexpr qint64 maxId = 9'000'000'000'000'000;

// `owner/name`: two non-empty parts, one slash, no white space or control characters.
bool isRepositoryName(QStringView name);
// The index of the first NUL character, or -1.
qsizetype nulAt(QStringView text);

// Why `value` is outside [min, max], in the words every reader uses ("4294967297: must be at
// most 2147483647"); empty when it is inside.
QString outOfRange(qint64 value, qint64 min, qint64 max);
// Why `text` is not a value the formats allow: a NUL character ("contains a NUL character at
// 3"); for a repository also anything but owner/name. Empty when it is allowed.
QString badText(QStringView text);
QString badRepository(QStringView name);
// At most `limit` characters of `text` for a message, control characters written as \xNN so
// that a value cannot move a terminal's cursor or colour what follows.
QString printable(QStringView text, qsizetype limit = 80);

} // namespace Tasktrail::RecordValues
