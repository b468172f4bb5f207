#include "recordvalues.h"

using namespace Qt::StringLiterals;

namespace Tasktrail::RecordValues {

bool isRepositoryName(QStringView name)
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

qsizetype nulAt(QStringView text)
{
    return text.indexOf(QChar(0));
}

QString outOfRange(qint64 value, qint64 min, qint64 max)
{
    if (value < min)
        return u"%1: must be at least %2"_s.arg(value).arg(min);
    if (value > max)
        return u"%1: must be at most %2"_s.arg(value).arg(max);
    return {};
}

QString badText(QStringView text)
{
    const qsizetype nul = nulAt(text);
    if (nul >= 0)
        return u"contains a NUL character at position %1"_s.arg(nul + 1);
    return {};
}

QString badRepository(QStringView name)
{
    if (const QString bad = badText(name); !bad.isEmpty())
        return bad;
    if (!isRepositoryName(name))
        return u"'%1' is not a repository name of the form owner/name"_s.arg(printable(name));
    return {};
}

QString printable(QStringView text, qsizetype limit)
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
