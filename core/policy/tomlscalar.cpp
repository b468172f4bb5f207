#include "tomlscalar.h"

#include <QRegularExpression>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QString readDateTime(const QString &token, TomlValue *out)
{
    static const QRegularExpression full(
        u"^(\\d{4})-(\\d{2})-(\\d{2})(?:[Tt ](\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?"
        "(Z|z|[+-]\\d{2}:\\d{2})?)?$"_s);
    const QRegularExpressionMatch m = full.match(token);
    if (!m.hasMatch())
        return u"invalid date-time %1"_s.arg(token);
    if (m.captured(4).isEmpty())
        return u"a date needs a time and an offset: write %1T00:00:00Z"_s.arg(token);
    if (m.captured(8).isEmpty())
        return u"date-time %1 needs an offset: add Z for UTC, or +hh:mm"_s.arg(token);
    const QDate day(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const QString fraction = m.captured(7).mid(1).left(3).leftJustified(3, u'0');
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(),
                     m.captured(7).isEmpty() ? 0 : fraction.toInt());
    int offset = 0;
    const QString zone = m.captured(8);
    if (zone.size() == 6) {
        const int minutes = zone.mid(1, 2).toInt() * 60 + zone.mid(4, 2).toInt();
        offset = (zone[0] == u'-' ? -60 : 60) * minutes;
    }
    if (!day.isValid() || !time.isValid() || qAbs(offset) >= 24 * 3600)
        return u"invalid date-time %1"_s.arg(token);
    out->type = TomlValue::Type::DateTime;
    out->dateTime = QDateTime(day, time, QTimeZone(offset)).toUTC();
    return QString();
}

} // namespace

QString readTomlScalar(const QString &token, TomlValue *out)
{
    if (token == u"true" || token == u"false") {
        out->type = TomlValue::Type::Boolean;
        out->boolean = token == u"true";
        return QString();
    }
    static const QRegularExpression integer(u"^[+-]?(0|[1-9](_?\\d)*)$"_s);
    if (integer.match(token).hasMatch()) {
        bool ok = false;
        out->type = TomlValue::Type::Integer;
        out->integer = QString(token).remove(u'_').toLongLong(&ok);
        return ok ? QString() : u"integer %1 is out of range"_s.arg(token);
    }
    static const QRegularExpression date(u"^\\d{4}-\\d{2}-\\d{2}"_s);
    if (date.match(token).hasMatch())
        return readDateTime(token, out);
    static const QRegularExpression radix(u"^[+-]?0[xob]"_s);
    if (radix.match(token).hasMatch())
        return u"hexadecimal, octal and binary integers are not supported: write %1 in "
               "decimal"_s.arg(token);
    static const QRegularExpression time(u"^\\d{2}:\\d{2}"_s);
    if (time.match(token).hasMatch())
        return u"a time needs a date and an offset, e.g. 2026-11-10T00:00:00Z"_s;
    static const QRegularExpression leadingZero(u"^[+-]?0[\\d_]+$"_s);
    if (leadingZero.match(token).hasMatch())
        return u"leading zeros are not allowed in integers (%1)"_s.arg(token);
    static const QRegularExpression number(
        u"^[+-]?(\\d[\\d_]*(\\.\\d[\\d_]*)?([eE][+-]?\\d+)?|inf|nan)$"_s);
    if (number.match(token).hasMatch())
        return u"floating-point numbers are not supported (%1)"_s.arg(token);
    return u"invalid value %1 (a string needs quotes: \"%1\")"_s.arg(token);
}

} // namespace Tasktrail
