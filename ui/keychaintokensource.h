#pragma once

#include "github/tokensource.h"

namespace Tasktrail {

// Tokens of launch identities kept in the desktop's keychain (Secret Service, KWallet, macOS
// Keychain, Windows Credential Store) through QtKeychain, under the service "Tasktrail" and
// the identity id as key. Reading waits for the keychain in a local event loop: the keychain
// may ask the user to unlock it.
class KeychainTokenSource final : public TokenSource
{
public:
    std::optional<QByteArray> token(const QString &identityId, QString *error) override;
    // Stores or replaces an identity's token.
    static bool storeToken(const QString &identityId, const QByteArray &token, QString *error);
    // Whether this build has keychain support at all.
    static bool isAvailable();
};

} // namespace Tasktrail
