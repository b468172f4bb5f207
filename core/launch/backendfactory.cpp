#include "backendfactory.h"

#include "copilotbackend.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

// The backends plug in here: one branch per name.
// Keys: "api_url" (GitHub or GitHub Enterprise, e.g. https://ghe.example.com/api/v3),
// "poll_interval_ms".
std::unique_ptr<AgentBackend> makeBackend(const QString &name, const BackendSettings &settings,
                                          QString *error)
{
    if (name == u"copilot-api") {
        auto backend = std::make_unique<CopilotBackend>(settings.tokens);
        CopilotBackend::Options options;
        if (const QString url = settings.values.value(u"api_url"_s).toString(); !url.isEmpty())
            options.http.baseUrl = QUrl(url);
        if (const int poll = settings.values.value(u"poll_interval_ms"_s).toInt(); poll > 0)
            options.pollIntervalMs = poll;
        backend->setOptions(options);
        return backend;
    }
    if (error) {
        *error =
            backendNames().contains(name)
                ? u"backend '%1' is not built into this Tasktrail yet"_s.arg(name)
                : u"unknown backend '%1' (known: %2)"_s.arg(name, backendNames().join(u", "_s));
    }
    return nullptr;
}

QStringList backendNames()
{
    return {u"copilot-api"_s, u"local"_s};
}

} // namespace Tasktrail
