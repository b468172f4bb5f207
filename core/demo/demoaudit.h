#pragma once

#include "demotask.h"
#include "demoworld.h"

#include <QByteArray>
#include <QList>

namespace Tasktrail::Demo {

class ChunkedFiles;

// The organisation's GitHub audit log as the audit log stream writes it, one event per line:
// what each run's identity did through git and the REST API, what people did around the pull
// requests, calls the automation identities made before Tasktrail recorded any task, and calls
// to repositories outside the task's own, which a reviewer should question. Events carry the
// hashed_token of the identity records (base64 of SHA-256 of the token), never a token.
class AuditTrail final
{
public:
    AuditTrail(const World &world, quint64 seed, ChunkedFiles &out);

    // Calls made before the first task: outside every task's window.
    void addBackground();
    // The events of one run; called in task order after simulateTask().
    void addTask(const TaskPlan &plan, const TaskRun &run);

    qint64 events() const { return m_events; }
    // The first run whose identity reached into another repository, and that repository.
    const QByteArray &strayTaskId() const { return m_strayTask; }
    const QByteArray &strayRepo() const { return m_strayRepo; }

private:
    struct Caller;
    struct Event;
    Caller callerOf(const Identity &identity) const;
    void write(const Event &event);
    void request(const Caller &caller, qint64 atMs, const Repo &repo, QByteArrayView method,
                 QByteArrayView route, QByteArrayView pathTail, int status,
                 QByteArrayView userAgent);
    void git(const Caller &caller, qint64 atMs, const Repo &repo, QByteArrayView action);
    void openPullRequest(const Caller &caller, qint64 atMs, const Repo &repo,
                         QByteArrayView userAgent);
    void byPerson(QByteArrayView login, qint64 atMs, const Repo &repo, QByteArrayView action);
    int strayTarget(const TaskPlan &plan);
    void addStray(const Caller &caller, const TaskPlan &plan, const TaskRun &run, int target);
    void addPullRequestEvents(const Repo &repo, const PullRequestPlan &pull);

    const World &m_world;
    Random m_rng;
    ChunkedFiles &m_out;
    qint64 m_events = 0;
    QList<QByteArray> m_ownTokenHash; // per person: the credential of their own git client
    QByteArray m_strayTask;
    QByteArray m_strayRepo;
};

} // namespace Tasktrail::Demo
