#pragma once

#include "tokensource.h"

#include <QHash>
#include <QProcessEnvironment>

namespace Tasktrail {

// Tokens from the environment: TASKTRAIL_TOKEN_<IDENTITY> (the identity id upper-cased, every
// character other than A-Z and 0-9 replaced by '_'), then TASKTRAIL_TOKEN for any identity.
class EnvTokenSource final : public TokenSource
{
public:
    explicit EnvTokenSource(
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment());
    std::optional<QByteArray> token(const QString &identityId, QString *error) override;

    // "TASKTRAIL_TOKEN_OCTO_BOT" for "octo-bot".
    static QString variableName(const QString &identityId);

private:
    QProcessEnvironment m_environment;
};

// The token GitHub's own tools read: GH_TOKEN, then GITHUB_TOKEN, for any identity. What the
// sync uses headless (docs/github-sync.md).
class GitHubCliEnvTokenSource final : public TokenSource
{
public:
    explicit GitHubCliEnvTokenSource(
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment());
    std::optional<QByteArray> token(const QString &identityId, QString *error) override;

private:
    QProcessEnvironment m_environment;
};

// Tokens from a file that only its owner may read (mode 0600 or stricter; anything readable,
// writable or executable by group or others is refused). The file holds either one token, used
// for every identity, or lines "identity-id = token"; blank lines and lines starting with '#'
// are skipped. The file is read on every call, so a rotated token is picked up.
class FileTokenSource final : public TokenSource
{
public:
    explicit FileTokenSource(QString path);
    std::optional<QByteArray> token(const QString &identityId, QString *error) override;

private:
    QString m_path;
};

// Tokens held in memory: for tests, and for a caller that already has them.
class MemoryTokenSource final : public TokenSource
{
public:
    void setToken(const QString &identityId, const QByteArray &token);
    void removeToken(const QString &identityId);
    std::optional<QByteArray> token(const QString &identityId, QString *error) override;

private:
    QHash<QString, QByteArray> m_tokens;
};

} // namespace Tasktrail
