#pragma once

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

class QObject;

namespace Tasktrail {

// Tokens of launch identities kept in the desktop's keychain (Secret Service, KWallet, macOS
// Keychain, Windows Credential Store) through QtKeychain, under the service "Tasktrail" and
// the identity id as key. The keychain may ask the user to unlock it, so nothing here waits
// for it: a request returns at once and its answer arrives later, on the event loop of the
// context object's thread (never after the context is destroyed).
class KeychainTokens final
{
public:
    using TokenRead =
        std::function<void(const std::optional<QByteArray> &token, const QString &error)>;
    using TokenStored = std::function<void(bool ok, const QString &error)>;

    // Reads an identity's token; `done` gets nullopt and the reason when there is none.
    static void readToken(const QString &identityId, QObject *context, TokenRead done);
    // Stores or replaces an identity's token.
    static void storeToken(const QString &identityId, const QByteArray &token, QObject *context,
                           TokenStored done);
    // Whether this build has keychain support at all.
    static bool isAvailable();
};

} // namespace Tasktrail
