#pragma once

#include "store/recordstore.h"

#include <QTimeZone>

#include <array>

// A database of many runs with known content, written through the store's own write path.
// Task i is "task-%04d"; the runs table lists them newest first, so task i is row count-1-i.
namespace Tasktrail::RunsFixture {

constexpr int taskCount = 1000;
constexpr int repoCount = 20;
constexpr int hostileTask = 500;
constexpr int hostileTitleTask = 999;

inline QString hostilePrompt()
{
    return QStringLiteral("<script>alert(1)</script>");
}
inline QString hostileTitle()
{
    return QStringLiteral("<b>bold</b> & \"quotes\"");
}

inline QString taskId(int i)
{
    return QStringLiteral("task-%1").arg(i, 4, 10, QLatin1Char('0'));
}
inline QString repo(int i)
{
    return QStringLiteral("acme/repo-%1").arg(i % repoCount);
}
inline QString requestId(int i)
{
    return QStringLiteral("req-%1").arg(i / 10);
}
inline QString requestText(int i)
{
    return QStringLiteral("Upgrade the logging library, batch %1").arg(i / 10);
}
inline QString requester(int i)
{
    return (i / 10) % 2 == 0 ? QStringLiteral("alice") : QStringLiteral("bob");
}
inline QString identityId(int i)
{
    return QStringLiteral("identity-%1").arg(i % 5);
}
inline QString principal(int i)
{
    return QStringLiteral("agent-bot-%1").arg(i % 5);
}
inline IdentityKind identityKind(int i)
{
    return i % 5 % 2 == 0 ? IdentityKind::GitHubAppInstallationToken : IdentityKind::FineGrainedPat;
}

inline TaskState state(int i)
{
    constexpr std::array states{TaskState::Completed, TaskState::Failed, TaskState::InProgress,
                                TaskState::Queued};
    return states[std::size_t(i) % states.size()];
}
inline bool finished(int i)
{
    return state(i) == TaskState::Completed || state(i) == TaskState::Failed;
}
inline bool started(int i)
{
    return state(i) != TaskState::Queued;
}

inline bool hasPullRequest(int i)
{
    return i % 3 == 0;
}
inline int prNumber(int i)
{
    return i + 1;
}
inline bool prMerged(int i)
{
    return i % 6 == 0;
}

inline QDateTime createdAt(int i)
{
    return QDateTime(QDate(2026, 3, 1), QTime(8, 0), QTimeZone::utc()).addSecs(60 * i);
}
inline QDateTime startedAt(int i)
{
    return createdAt(i).addSecs(20);
}
inline qint64 durationMs(int i)
{
    return (90 + i) * 1000;
}

inline int rowOf(int i)
{
    return taskCount - 1 - i;
}

inline TaskRecord task(int i)
{
    TaskRecord t;
    t.id = taskId(i);
    t.repo = repo(i);
    t.requestId = requestId(i);
    t.identityId = identityId(i);
    t.policyId = QStringLiteral("default-policy");
    t.policyVersion = QStringLiteral("3");
    t.state = state(i);
    t.prompt = i == hostileTask ? hostilePrompt()
                                : QStringLiteral("Bump the logging library in %1").arg(repo(i));
    t.headRef = QStringLiteral("agent/logging-%1").arg(i);
    t.source = QStringLiteral("tasktrail");
    t.createdAt = createdAt(i);
    if (started(i))
        t.startedAt = startedAt(i);
    if (finished(i))
        t.completedAt = startedAt(i).addMSecs(durationMs(i));
    if (hasPullRequest(i))
        t.prNumber = prNumber(i);
    CommandRecord command;
    command.taskId = t.id;
    command.seq = 1;
    command.argv = {QStringLiteral("npm"), QStringLiteral("test")};
    command.exitCode = state(i) == TaskState::Failed ? 1 : 0;
    t.commands << command;
    return t;
}

inline PullRequestRecord pullRequest(int i)
{
    PullRequestRecord pr;
    pr.repo = repo(i);
    pr.number = prNumber(i);
    pr.title = i == hostileTitleTask ? hostileTitle() : QStringLiteral("Bump the logging library");
    pr.state = prMerged(i) ? QStringLiteral("closed") : QStringLiteral("open");
    pr.author = QStringLiteral("agent-bot");
    pr.headRef = QStringLiteral("agent/logging-%1").arg(i);
    pr.baseRef = QStringLiteral("main");
    pr.createdAt = startedAt(i).addSecs(30);
    if (prMerged(i)) {
        pr.mergedAt = pr.createdAt.addSecs(3600);
        pr.mergedBy = QStringLiteral("carol");
    }
    return pr;
}

inline bool write(RecordStore &store)
{
    if (!store.beginBatch())
        return false;
    bool ok = store.writePolicy({QStringLiteral("default-policy"),
                                 QStringLiteral("3"),
                                 QStringLiteral("Default"),
                                 QStringLiteral("allowed"),
                                 {}});
    for (int i = 0; ok && i < 5; ++i)
        ok = store.writeIdentity({identityId(i),
                                  identityKind(i),
                                  principal(i),
                                  QStringLiteral("alice"),
                                  {QStringLiteral("repo")},
                                  {},
                                  {}});
    for (int i = 0; ok && i < taskCount; i += 10)
        ok = store.writeRequest({requestId(i),
                                 requestText(i),
                                 requester(i),
                                 QStringLiteral("portal"),
                                 {},
                                 createdAt(i)});
    for (int i = 0; ok && i < taskCount; ++i) {
        ok = store.writeTask(task(i));
        if (ok && hasPullRequest(i))
            ok = store.writePullRequest(pullRequest(i));
    }
    if (!ok) {
        store.rollbackBatch();
        return false;
    }
    return store.commitBatch();
}

} // namespace Tasktrail::RunsFixture
