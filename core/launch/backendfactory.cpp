#include "backendfactory.h"

#include "copilotbackend.h"
#include "localbackend.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace Tasktrail {

// The backends plug in here: one branch per name.
// Keys of "copilot-api": "api_url" (GitHub or GitHub Enterprise, e.g.
// https://ghe.example.com/api/v3), "poll_interval_ms". Keys of "local": "agent_program",
// "agent_arguments" (a list; "{prompt}" and "{prompt_file}" are replaced), "work_directory",
// "remote" (empty: no push).
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
    if (name == u"local") {
        LocalBackendConfig config;
        config.program = settings.values.value(u"agent_program"_s).toString();
        config.arguments = settings.values.value(u"agent_arguments"_s).toStringList();
        config.workDirectory = settings.values.value(u"work_directory"_s).toString();
        if (settings.values.contains(u"remote"_s))
            config.remote = settings.values.value(u"remote"_s).toString();
        if (config.program.isEmpty()) {
            if (error)
                *error = u"the local backend needs an agent command (--agent)"_s;
            return nullptr;
        }
        if (config.workDirectory.isEmpty())
            config.workDirectory = QDir::tempPath() + u"/tasktrail-worktrees"_s;
        return std::make_unique<LocalBackend>(config);
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
