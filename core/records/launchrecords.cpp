#include "records/launchrecords.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr std::array<std::pair<QueueState, QStringView>, 8> queueStates{{
    {QueueState::Queued, u"queued"},
    {QueueState::Waiting, u"waiting"},
    {QueueState::Running, u"running"},
    {QueueState::Paused, u"paused"},
    {QueueState::RetryWait, u"retry_wait"},
    {QueueState::Completed, u"completed"},
    {QueueState::Failed, u"failed"},
    {QueueState::Cancelled, u"cancelled"},
}};

} // namespace

QString toString(QueueState state)
{
    for (const auto &[value, name] : queueStates) {
        if (value == state)
            return name.toString();
    }
    return {};
}

std::optional<QueueState> queueStateFromString(QStringView text)
{
    for (const auto &[value, name] : queueStates) {
        if (name == text)
            return value;
    }
    return std::nullopt;
}

bool isFinal(QueueState state)
{
    return state == QueueState::Completed || state == QueueState::Failed ||
           state == QueueState::Cancelled;
}

} // namespace Tasktrail
