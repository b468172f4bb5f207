#include "tokensources.h"

#include <QFile>
#include <QFileInfo>

#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

std::optional<QByteArray> missing(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

bool isAsciiAlnum(QChar c)
{
    return (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

// The permission bits as chmod writes them, e.g. "0644".
QString octalMode(QFileDevice::Permissions p)
{
    const int owner = (p & QFileDevice::ReadOwner ? 4 : 0) | (p & QFileDevice::WriteOwner ? 2 : 0) |
                      (p & QFileDevice::ExeOwner ? 1 : 0);
    const int group = (p & QFileDevice::ReadGroup ? 4 : 0) | (p & QFileDevice::WriteGroup ? 2 : 0) |
                      (p & QFileDevice::ExeGroup ? 1 : 0);
    const int other = (p & QFileDevice::ReadOther ? 4 : 0) | (p & QFileDevice::WriteOther ? 2 : 0) |
                      (p & QFileDevice::ExeOther ? 1 : 0);
    return u"0%1%2%3"_s.arg(owner).arg(group).arg(other);
}

} // namespace

EnvTokenSource::EnvTokenSource(QProcessEnvironment environment)
    : m_environment(std::move(environment))
{}

QString EnvTokenSource::variableName(const QString &identityId)
{
    QString name = identityId.toUpper();
    for (QChar &c : name) {
        if (!isAsciiAlnum(c))
            c = u'_';
    }
    return u"TASKTRAIL_TOKEN_"_s % name;
}

std::optional<QByteArray> EnvTokenSource::token(const QString &identityId, QString *error)
{
    const QString specific = variableName(identityId);
    for (const QString &name : {specific, u"TASKTRAIL_TOKEN"_s}) {
        const QByteArray value = m_environment.value(name).trimmed().toUtf8();
        if (!value.isEmpty())
            return value;
    }
    return missing(error, u"no token for identity '%1': set %2 or TASKTRAIL_TOKEN"_s.arg(identityId,
                                                                                         specific));
}

GitHubCliEnvTokenSource::GitHubCliEnvTokenSource(QProcessEnvironment environment)
    : m_environment(std::move(environment))
{}

std::optional<QByteArray> GitHubCliEnvTokenSource::token(const QString &identityId, QString *error)
{
    Q_UNUSED(identityId)
    for (const QString &name : {u"GH_TOKEN"_s, u"GITHUB_TOKEN"_s}) {
        const QByteArray value = m_environment.value(name).trimmed().toUtf8();
        if (!value.isEmpty())
            return value;
    }
    return missing(error, u"no token: set GH_TOKEN or GITHUB_TOKEN"_s);
}

FileTokenSource::FileTokenSource(QString path)
    : m_path(std::move(path))
{}

std::optional<QByteArray> FileTokenSource::token(const QString &identityId, QString *error)
{
    const QFileInfo info(m_path);
    if (!info.exists())
        return missing(error, u"token file %1 does not exist"_s.arg(m_path));
    constexpr auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                            QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (info.permissions() & others) {
        return missing(error, u"token file %1 is open to other users (mode %2); "
                              u"make it private with: chmod 600 %1"_s.arg(
                                  m_path, octalMode(info.permissions())));
    }
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return missing(error, u"cannot read token file %1: %2"_s.arg(m_path, file.errorString()));

    const QList<QByteArray> lines = file.readAll().split('\n');
    QByteArray single;
    int contentLines = 0;
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        ++contentLines;
        const qsizetype eq = line.indexOf('=');
        if (eq < 0) {
            single = line;
            continue;
        }
        if (QString::fromUtf8(line.left(eq).trimmed()) == identityId) {
            const QByteArray value = line.mid(eq + 1).trimmed();
            if (!value.isEmpty())
                return value;
        }
    }
    if (contentLines == 1 && !single.isEmpty())
        return single;
    return missing(error,
                   u"token file %1 has no token for identity '%2'"_s.arg(m_path, identityId));
}

void MemoryTokenSource::setToken(const QString &identityId, const QByteArray &token)
{
    m_tokens.insert(identityId, token);
}

void MemoryTokenSource::removeToken(const QString &identityId)
{
    m_tokens.remove(identityId);
}

std::optional<QByteArray> MemoryTokenSource::token(const QString &identityId, QString *error)
{
    const auto it = m_tokens.constFind(identityId);
    if (it == m_tokens.cend() || it->isEmpty())
        return missing(error, u"no token for identity '%1'"_s.arg(identityId));
    return *it;
}

} // namespace Tasktrail
