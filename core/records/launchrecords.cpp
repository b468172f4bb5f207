#include "records/launchrecords.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr std::array<std::pair<QueueState, QStringView>, 9> queueStates{{
    {QueueState::Queued, u"queued"},
    {QueueState::Waiting, u"waiting"},
    {QueueState::Running, u"running"},
    {QueueState::Paused, u"paused"},
    {QueueState::RetryWait, u"retry_wait"},
    {QueueState::NeedsConfirmation, u"needs_confirmation"},
    {QueueState::Completed, u"completed"},
    {QueueState::Failed, u"failed"},
    {QueueState::Cancelled, u"cancelled"},
}};

constexpr std::array<std::pair<CreateOutcome, QStringView>, 6> createOutcomes{{
    {CreateOutcome::Pending, u"pending"},
    {CreateOutcome::Created, u"created"},
    {CreateOutcome::Adopted, u"adopted"},
    {CreateOutcome::NotCreated, u"not_created"},
    {CreateOutcome::Uncertain, u"uncertain"},
    {CreateOutcome::Undecided, u"undecided"},
}};

} // namespace

QString toString(CreateOutcome outcome)
{
    for (const auto &[value, name] : createOutcomes) {
        if (value == outcome)
            return name.toString();
    }
    return {};
}

std::optional<CreateOutcome> createOutcomeFromString(QStringView text)
{
    for (const auto &[value, name] : createOutcomes) {
        if (name == text)
            return value;
    }
    return std::nullopt;
}

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
