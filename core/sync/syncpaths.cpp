#include "syncpaths.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Tasktrail::Sync {

QString segment(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QString repoPath(const QString &repo)
{
    const qsizetype slash = repo.indexOf(u'/');
    return segment(repo.left(slash)) % u'/' % segment(repo.mid(slash + 1));
}

QString safeName(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        const bool plain = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                           (c >= u'0' && c <= u'9') || c == u'.' || c == u'_' || c == u'-';
        if (!plain)
            c = u'_';
    }
    if (out.isEmpty() || out.startsWith(u'.'))
        out.prepend(u'_');
    return out;
}

QString rfc3339(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

QDateTime parseTime(const QString &text)
{
    if (text.isEmpty())
        return {};
    return QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
}

QString laterTime(const QString &a, const QString &b)
{
    const QDateTime ta = parseTime(a);
    const QDateTime tb = parseTime(b);
    if (!ta.isValid())
        return tb.isValid() ? b : QString();
    if (!tb.isValid())
        return a;
    return tb > ta ? b : a;
}

QString humanBytes(qint64 bytes)
{
    const char *units[] = {"B", "KB", "MB", "GB", "TB"};
    double value = double(bytes);
    int u = 0;
    while (value >= 1000 && u < 4) {
        value /= 1000;
        ++u;
    }
    return QString::number(value, 'f', u ? 1 : 0) % u' ' % QLatin1String(units[u]);
}

QString durationText(qint64 seconds)
{
    if (seconds < 60)
        return u"%1 s"_s.arg(seconds);
    if (seconds < 3600)
        return u"%1 min"_s.arg((seconds + 30) / 60);
    return u"%1 h %2 min"_s.arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString taskHeadRef(const QJsonObject &task)
{
    const QJsonArray artifacts = task.value("artifacts"_L1).toArray();
    for (const QJsonValue &v : artifacts) {
        const QJsonObject a = v.toObject();
        if (a.value("type"_L1).toString() == "branch"_L1) {
            const QString ref = a.value("data"_L1).toObject().value("head_ref"_L1).toString();
            if (!ref.isEmpty())
                return ref;
        }
    }
    const QJsonArray sessions = task.value("sessions"_L1).toArray();
    for (const QJsonValue &v : sessions) {
        const QString ref = v.toObject().value("head_ref"_L1).toString();
        if (!ref.isEmpty())
            return ref;
    }
    return {};
}

qint64 pullArtifactId(const QJsonObject &task)
{
    const QJsonArray artifacts = task.value("artifacts"_L1).toArray();
    for (const QJsonValue &v : artifacts) {
        const QJsonObject a = v.toObject();
        if (a.value("type"_L1).toString() == "pull"_L1)
            return std::max<qint64>(0, a.value("data"_L1).toObject().value("id"_L1).toInteger(0));
    }
    return 0;
}

bool writeDocument(const QString &path, const QByteArray &bytes, QString *error)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = u"cannot make the directory of %1"_s.arg(path);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

bool writeRecords(const QString &path, const QList<QJsonObject> &records, QString *error)
{
    QByteArray bytes;
    for (const QJsonObject &r : records)
        bytes += QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
    return writeDocument(path, bytes, error);
}

} // namespace Tasktrail::Sync
