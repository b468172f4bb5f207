#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Tasktrail {

// Where a backend gets the token of an identity. Tokens never reach the database, logs or
// reports: only their SHA-256 (base64, as GitHub's audit log writes hashed_token) is recorded.
// Implementations: the OS keychain (QtKeychain) in the app, an environment variable or a 0600
// file for headless and test runs.
class TokenSource
{
public:
    virtual ~TokenSource() = default;
    // nullopt (and *error) when there is no token for the identity.
    virtual std::optional<QByteArray> token(const QString &identityId, QString *error) = 0;
};

} // namespace Tasktrail
