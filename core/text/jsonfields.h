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

    QString string(QLatin1String key, Need need = Optional);
    std::optional<qint64> integer(QLatin1String key, Need need = Optional);
    std::optional<double> number(QLatin1String key, Need need = Optional);
    std::optional<bool> boolean(QLatin1String key, Need need = Optional);
    QDateTime time(QLatin1String key, Need need = Optional);
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
