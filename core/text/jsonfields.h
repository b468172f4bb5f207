#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// Typed, checked reads from a JSON object. The first problem is kept as a readable error
// ("field 'exit_code': expected an integer, got a string") and later reads become no-ops,
// so a mapper reads every field and checks ok() once.
class JsonFields final
{
public:
    enum Need
    {
        Optional,
        Required
    };

    explicit JsonFields(const QJsonObject &object, const QString &context = {});

    // A string without NUL characters; a required one must not be empty either.
    QString string(QLatin1String key, Need need = Optional);
    // `owner/name`; required.
    QString repository(QLatin1String key);
    std::optional<qint64> integer(QLatin1String key, Need need = Optional);
    // A whole number in [min, max]: "field 'seq': 4294967297: must be at most 2147483647".
    std::optional<qint64> integer(QLatin1String key, Need need, qint64 min, qint64 max);
    // The same for the int fields of the records (numbers, counts): at most INT_MAX.
    std::optional<int> int32(QLatin1String key, Need need, int min);
    std::optional<double> number(QLatin1String key, Need need = Optional);
    std::optional<bool> boolean(QLatin1String key, Need need = Optional);
    QDateTime time(QLatin1String key, Need need = Optional);
    // An array of strings without NUL characters; a required one must not be empty.
    QStringList strings(QLatin1String key, Need need = Optional);
    QJsonArray array(QLatin1String key, Need need = Optional);
    QJsonObject object(QLatin1String key, Need need = Optional);

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    void setError(const QString &error);

private:
    QJsonValue take(QLatin1String key, Need need, bool *present);
    void typeError(QLatin1String key, const char *expected, const QJsonValue &got);

    QJsonObject m_object;
    QString m_context;
    QString m_error;
};

QDateTime parseRfc3339(const QString &text);   // invalid QDateTime when it is not one
QString jsonTypeName(const QJsonValue &value); // "a string", "an array", "null", ...

} // namespace Tasktrail
