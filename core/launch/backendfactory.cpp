#include "backendfactory.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

// The backends plug in here: one branch per name.
std::unique_ptr<AgentBackend> makeBackend(const QString &name, const BackendSettings &settings,
                                          QString *error)
{
    Q_UNUSED(settings);
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
