#pragma once

#include <QString>
#include <QStringBuilder>
#include <QtGlobal>

#include <limits>
#include <optional>

// What the documented formats allow in a record's values (docs/record-format.md), shared by
// every reader so that each rejects the same values with the same words. Header-only: the
// layers that read values (text, github, ingest) need no library for it.
namespace Tasktrail::RecordValues {

using namespace Qt::StringLiterals;

// Command numbers, PR numbers and other counts are stored as int.
constexpr qint64 maxInt = std::numeric_limits<int>::max();
// GitHub's ids and other big integers: what a JSON number holds exactly (JsonFields reads
// nothing larger).
constexpr qint64 maxId = 9'000'000'000'000'000;

// `owner/name`: two non-empty parts, one slash, no white space or control characters.
inline bool isRepositoryName(QStringView name);
// The index of the first NUL character, or -1.
inline qsizetype nulAt(QStringView text);

// Why `value` is outside [min, max], in the words every reader uses ("4294967297: must be at
// most 2147483647"); empty when it is inside.
inline QString outOfRange(qint64 value, qint64 min, qint64 max);
// Why `text` is not a value the formats allow: a NUL character ("contains a NUL character at
// 3"); for a repository also anything but owner/name. Empty when it is allowed.
inline QString badText(QStringView text);
inline QString badRepository(QStringView name);
// At most `limit` characters of `text` for a message, control characters written as \xNN so
// that a value cannot move a terminal's cursor or colour what follows.
inline QString printable(QStringView text, qsizetype limit = 80);

inline bool isRepositoryName(QStringView name)
{
    const qsizetype slash = name.indexOf(u'/');
    if (slash <= 0 || slash == name.size() - 1 || name.indexOf(u'/', slash + 1) >= 0)
        return false;
    for (const QChar c : name) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return false;
    }
    return true;
}

inline qsizetype nulAt(QStringView text)
{
    return text.indexOf(QChar(0));
}

inline QString outOfRange(qint64 value, qint64 min, qint64 max)
{
    if (value < min)
        return u"%1: must be at least %2"_s.arg(value).arg(min);
    if (value > max)
        return u"%1: must be at most %2"_s.arg(value).arg(max);
    return {};
}

inline QString badText(QStringView text)
{
    const qsizetype nul = nulAt(text);
    if (nul >= 0)
        return u"contains a NUL character at position %1"_s.arg(nul + 1);
    return {};
}

inline QString badRepository(QStringView name)
{
    if (const QString bad = badText(name); !bad.isEmpty())
        return bad;
    if (!isRepositoryName(name))
        return u"'%1' is not a repository name of the form owner/name"_s.arg(printable(name));
    return {};
}

inline QString printable(QStringView text, qsizetype limit)
{
    QString out;
    for (const QChar c : text.left(limit)) {
        if (c.category() == QChar::Other_Control)
            out += u"\\x"_s % QString::number(c.unicode(), 16).rightJustified(2, u'0');
        else
            out += c;
    }
    return text.size() > limit ? out % u"..."_s : out;
}

} // namespace Tasktrail::RecordValues
