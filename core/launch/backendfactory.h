#pragma once

#include "agentbackend.h"

#include <QVariantMap>

#include <memory>

namespace Tasktrail {

class TokenSource;

// What a backend is built from: its settings (API base URL, agent command, ...) and where it
// reads tokens. The backends define the keys they read.
struct BackendSettings
{
    QVariantMap values;
    TokenSource *tokens = nullptr;
};

// The backend of a name ("copilot-api", "local"); nullptr and *error for a name no backend has.
std::unique_ptr<AgentBackend> makeBackend(const QString &name, const BackendSettings &settings,
                                          QString *error);

// The names makeBackend() knows.
QStringList backendNames();

} // namespace Tasktrail
