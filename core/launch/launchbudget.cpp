#include "launchbudget.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::LaunchBudget {

QString utcDay(const QDateTime &at)
{
    return at.toUTC().date().toString(Qt::ISODate);
}

QDateTime nextUtcDay(const QDateTime &at)
{
    return QDateTime(at.toUTC().date().addDays(1), QTime(0, 0), Qt::UTC);
}

int reviewSlotsHeld(const QList<QueueEntry> &entries, const QString &team, const QString &day)
{
    return int(std::count_if(entries.cbegin(), entries.cend(), [&](const QueueEntry &e) {
        return e.reviewerTeam == team && e.reviewDay == day;
    }));
}

int reviewSlotsPending(const QList<QueueEntry> &entries, const QString &team)
{
    return int(std::count_if(entries.cbegin(), entries.cend(), [&](const QueueEntry &e) {
        return e.reviewerTeam == team && e.reviewDay.isEmpty() &&
               (e.state == QueueState::Queued || e.state == QueueState::RetryWait ||
                e.state == QueueState::Paused);
    }));
}

} // namespace Tasktrail::LaunchBudget
