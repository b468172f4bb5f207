#pragma once

#include "store/recordstore.h"

#include <QTimeZone>

#include <algorithm>

// A large database for tests that show the GUI never waits on it: tasks in the shape of
// bench_runsmodel's (campaign-N holds every task i with i / tasksPerCampaign == N), each
// campaign with a decision per task, and a launch queue entry per task, nearly all finished.
// Written through the store's own write path in large batches.
namespace Tasktrail::LargeStore {

constexpr int tasksPerCampaign = 5000;
constexpr int openEntryEvery = 1000; // one queue entry in this many can still change

inline QString taskId(int i)
{
    return QStringLiteral("task-%1").arg(i, 7, 10, QLatin1Char('0'));
}
inline QString campaignId(int i)
{
    return QStringLiteral("campaign-%1").arg(i / tasksPerCampaign, 3, 10, QLatin1Char('0'));
}
inline QString repo(int i)
{
    return QStringLiteral("acme/repo-%1").arg(i % 500);
}
inline QDateTime createdAt(int i)
{
    static const QDateTime epoch(QDate(2025, 1, 1), QTime(0, 0), QTimeZone::utc());
    return epoch.addSecs(30LL * i);
}
inline bool openEntry(int i)
{
    return i % openEntryEvery == 0;
}

inline TaskRecord task(int i)
{
    TaskRecord t;
    t.id = taskId(i);
    t.repo = repo(i);
    t.campaignId = campaignId(i);
    t.identityId = QStringLiteral("identity-%1").arg(i % 7);
    t.policyId = QStringLiteral("default-policy");
    t.policyVersion = QStringLiteral("3");
    t.state = i % 4 == 0 ? TaskState::Failed : TaskState::Completed;
    t.prompt = QStringLiteral("Bump the logging library in %1").arg(t.repo);
    t.source = QStringLiteral("tasktrail");
    t.createdAt = createdAt(i);
    t.startedAt = t.createdAt.addSecs(5);
    t.completedAt = t.startedAt.addSecs(60 + i % 600);
    return t;
}

inline QueueEntry queueEntry(int i)
{
    QueueEntry e;
    e.taskId = taskId(i);
    e.campaignId = campaignId(i);
    e.repo = repo(i);
    e.templateId = QStringLiteral("deps-bump");
    e.templateVersion = QStringLiteral("3");
    e.backend = QStringLiteral("local");
    e.state = openEntry(i) ? QueueState::Queued : QueueState::Completed;
    e.attempts = 1;
    e.createdAt = createdAt(i);
    e.updatedAt = createdAt(i).addSecs(600);
    return e;
}

inline CampaignRecord campaign(int first, int count)
{
    CampaignRecord c;
    c.id = campaignId(first);
    c.title = QStringLiteral("Bump the logging library, wave %1").arg(first / tasksPerCampaign);
    c.templateId = QStringLiteral("deps-bump");
    c.templateVersion = QStringLiteral("3");
    c.policyId = QStringLiteral("default-policy");
    c.policyVersion = QStringLiteral("3");
    c.createdAt = createdAt(first);
    for (int i = first; i < first + count; ++i) {
        RepoDecision d;
        d.campaignId = c.id;
        d.repo = repo(i) + QStringLiteral("-%1").arg(i);
        d.verdict = RepoVerdict::Eligible;
        d.rule = QStringLiteral("eligible");
        d.reason = QStringLiteral("in scope");
        d.taskId = taskId(i);
        d.decidedAt = createdAt(i);
        c.decisions << d;
    }
    return c;
}

// Writes `tasks` tasks with their campaigns and queue entries; queueOnly writes the queue
// entries alone.
inline bool write(RecordStore &store, int tasks, bool queueOnly = false)
{
    constexpr int batch = 50'000;
    for (int first = 0; first < tasks; first += batch) {
        const int end = std::min(first + batch, tasks);
        if (!store.beginBatch())
            return false;
        bool ok = true;
        for (int i = first; ok && i < end; ++i) {
            if (!queueOnly && i % tasksPerCampaign == 0)
                ok = store.writeCampaign(campaign(i, std::min(tasksPerCampaign, tasks - i)));
            if (!queueOnly)
                ok = ok && store.writeTask(task(i));
            ok = ok && store.writeQueueEntry(queueEntry(i));
        }
        if (!ok) {
            store.rollbackBatch();
            return false;
        }
        if (!store.commitBatch())
            return false;
    }
    return true;
}

} // namespace Tasktrail::LargeStore
