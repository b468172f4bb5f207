#pragma once

#include "records/launchrecords.h"

#include <QDateTime>
#include <QList>
#include <QString>

// The budgets the planner and the queue share. Reviewer capacity is counted per UTC day: a
// run holds a review slot of the day it started on (its pull request lands that day); a run
// that ends without a pull request gives the slot back.
namespace Tasktrail::LaunchBudget {

QString utcDay(const QDateTime &at); // "yyyy-MM-dd"
QDateTime nextUtcDay(const QDateTime &at);

// Slots the team holds on `day`.
int reviewSlotsHeld(const QList<QueueEntry> &entries, const QString &team, const QString &day);
// Entries of the team that will take a slot as soon as they start (queued, retrying, paused).
int reviewSlotsPending(const QList<QueueEntry> &entries, const QString &team);

} // namespace Tasktrail::LaunchBudget
