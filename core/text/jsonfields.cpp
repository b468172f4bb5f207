#include "text/jsonfields.h"

#include "records/recordvalues.h"

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

enum class Whole
{
    Fits,     // *n holds it
    NotWhole, // not a number, or one with a fraction
    Below,    // a whole number below what 64 bits hold; *written is it
    Above,    // ...above
};

// A JSON number as a whole number. The reader keeps a whole number that fits 64 bits as that
// integer, so 2^53 + 1 or INT64_MAX is itself here, not the double nearest to it, and a bound
// can name it; toInteger() answers its default only for a value it cannot hold, so two
// defaults tell.
Whole wholeNumber(const QJsonValue &v, qint64 *n, QString *written)
{
    if (!v.isDouble())
        return Whole::NotWhole;
    const double d = v.toDouble();
    if (std::trunc(d) != d)
        return Whole::NotWhole;
    const qint64 a = v.toInteger(1);
    if (a == v.toInteger(2)) {
        *n = a;
        return Whole::Fits;
    }
    *written = QString::number(d, 'f', 0);
    return d < 0 ? Whole::Below : Whole::Above;
}

} // namespace

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    default:
        return u"nothing"_s;
    }
}

QDateTime parseRfc3339(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t;
}

JsonFields::JsonFields(const QJsonObject &object, const QString &context)
    : m_object(object)
    , m_context(context)
{}

void JsonFields::setError(const QString &error)
{
    if (m_error.isEmpty())
        m_error = m_context.isEmpty() ? error : m_context % u": "_s % error;
}

QJsonValue JsonFields::take(QLatin1String key, Need need, bool *present)
{
    *present = false;
    if (!ok())
        return {};
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull()) {
        if (need == Required)
            setError(u"missing required field '%1'"_s.arg(key));
        return {};
    }
    *present = true;
    return value;
}

void JsonFields::typeError(QLatin1String key, const char *expected, const QJsonValue &got)
{
    setError(
        u"field '%1': expected %2, got %3"_s.arg(key, QLatin1String(expected), jsonTypeName(got)));
}

QString JsonFields::string(QLatin1String key, Need need)
{
    bool present = false;
    const QJsonValue v = take(key, need, &present);
    if (!present)
        return {};
    if (!v.isString()) {
        typeError(key, "a string", v);
        return {};
    }
    const QString text = v.toString();
    if (const QString bad = RecordValues::badText(text); !bad.isEmpty())
        setError(u"field '%1': %2"_s.arg(key, bad));
    else if (need == Required && text.isEmpty())
        setError(u"field '%1': must not be empty"_s.arg(key));
    return ok() ? text : QString();
}

QString JsonFields::repository(QLatin1String key)
{
    const QString name = string(key, Required);
    if (!ok())
        return {};
    if (const QString bad = RecordValues::badRepository(name); !bad.isEmpty())
        setError(u"field '%1': %2"_s.arg(key, bad));
    return ok() ? name : QString();
}

std::optional<qint64> JsonFields::integer(QLatin1String key, Need need)
{
    return integer(key, need, std::numeric_limits<qint64>::min(),
                   std::numeric_limits<qint64>::max());
}

std::optional<qint64> JsonFields::integer(QLatin1String key, Need need, qint64 min, qint64 max)
{
    bool present = false;
    const QJsonValue v = take(key, need, &present);
    if (!present)
        return std::nullopt;
    qint64 n = 0;
    QString written;
    switch (wholeNumber(v, &n, &written)) {
    case Whole::NotWhole:
        typeError(key, "an integer", v);
        return std::nullopt;
    case Whole::Below:
        setError(u"field '%1': %2: must be at least %3"_s.arg(key, written).arg(min));
        return std::nullopt;
    case Whole::Above:
        setError(u"field '%1': %2: must be at most %3"_s.arg(key, written).arg(max));
        return std::nullopt;
    case Whole::Fits:
        break;
    }
    if (const QString bad = RecordValues::outOfRange(n, min, max); !bad.isEmpty()) {
        setError(u"field '%1': %2"_s.arg(key, bad));
        return std::nullopt;
    }
    return n;
}

std::optional<int> JsonFields::int32(QLatin1String key, Need need, int min)
{
    const std::optional<qint64> n = integer(key, need, min, RecordValues::maxInt);
    return n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
}

std::optional<double> JsonFields::number(QLatin1String key, Need need)
{
    bool present = false;
    const QJsonValue v = take(key, need, &present);
    if (!present)
        return std::nullopt;
    if (!v.isDouble()) {
        typeError(key, "a number", v);
        return std::nullopt;
    }
    return v.toDouble();
}

std::optional<bool> JsonFields::boolean(QLatin1String key, Need need)
{
    bool present = false;
    const QJsonValue v = take(key, need, &present);
    if (!present)
        return std::nullopt;
    if (!v.isBool()) {
        typeError(key, "a boolean", v);
        return std::nullopt;
    }
    return v.toBool();
}

QDateTime JsonFields::time(QLatin1String key, Need need)
{
    const QString text = string(key, need);
    if (text.isEmpty())
        return {};
    const QDateTime t = parseRfc3339(text);
    if (!t.isValid())
        setError(u"field '%1': '%2' is not an RFC 3339 time"_s.arg(key, text.left(40)));
    return t;
}

QStringList JsonFields::strings(QLatin1String key, Need need)
{
    QStringList out;
    const QJsonArray values = array(key, need);
    for (const QJsonValue &v : values) {
        if (!v.isString()) {
            setError(
                u"field '%1': expected an array of strings, found %2"_s.arg(key, jsonTypeName(v)));
            return {};
        }
        if (const QString bad = RecordValues::badText(v.toString()); !bad.isEmpty()) {
            setError(u"field '%1'[%2]: %3"_s.arg(key).arg(out.size()).arg(bad));
            return {};
        }
        out << v.toString();
    }
    if (need == Required && ok() && out.isEmpty())
        setError(u"field '%1': must not be empty"_s.arg(key));
    return out;
}

QJsonArray JsonFields::array(QLatin1String key, Need need)
{
    bool present = false;
    const QJsonValue v = take(key, need, &present);
    if (!present)
        return {};
    if (!v.isArray()) {
        typeError(key, "an array", v);
        return {};
    }
    return v.toArray();
}

QJsonObject JsonFields::object(QLatin1String key, Need need)
{
    bool present = false;
    const QJsonValue v = take(key, need, &present);
    if (!present)
        return {};
    if (!v.isObject()) {
        typeError(key, "an object", v);
        return {};
    }
    return v.toObject();
}

} // namespace Tasktrail
