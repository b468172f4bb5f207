#pragma once

#include "agentbackend.h"
#include "queuecontrol.h"
#include "records/launchrecords.h"
#include "records/templatespec.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <optional>

namespace Tasktrail {

class RecordStore;

struct QueueSettings
{
    int maxConcurrent = 4;       // runs at once over every template
    qint64 retryBaseMs = 60000;  // the first retry waits this long; each next one twice as long
    qint64 retryMaxMs = 3600000; // ...but never longer than this
    int defaultMaxRetries = 2;   // when the template sets no stop.max_retries
    int pollMs = 2000;           // how often to look for entries other processes changed
};

// Drives the persisted launch queue (docs/launching.md) on one AgentBackend: starts entries
// as the budgets allow (global and template concurrency, per repository, reviewer capacity per
// team per UTC day), retries failures with exponential backoff until a failure repeats or is
// not retryable, and writes every finished run through the store as one batch, exactly like
// ingested records, then checks it against its template and policy.
//
// Event-driven on the thread that owns the store; never blocks. State lives in the database:
// a queue object can be destroyed at any time, and the next one started on the same database
// re-queues the runs it finds "running". On a backend that creates its runs elsewhere (the
// Copilot API) every start is recorded before the backend is asked (CreateGuard), so such a
// run is re-attached, or looked for, and never created a second time without looking; a look
// that cannot decide holds the entry in needs_confirmation for a person.
// One worker per database: a second would re-queue the first one's runs when it starts.
class LaunchQueue final : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<QDateTime()>;

    LaunchQueue(RecordStore &store, AgentBackend &backend, QObject *parent = nullptr);
    ~LaunchQueue() override;

    void setSettings(const QueueSettings &settings);
    QueueSettings settings() const { return m_settings; }
    void setClock(Clock clock) { m_clock = std::move(clock); }

    // Re-queues runs a stopped worker left "running", then schedules. False on a store error.
    bool start();
    // Stops starting runs; runs in progress still report, and are written, when they finish.
    void stop();
    bool isStarted() const { return m_started; }

    // Per task and per campaign; a running task is cancelled on the backend. False with
    // errorString() when nothing matched or the store failed.
    bool pause(const QString &taskId) { return control(QueueControl::Action::Pause, taskId, {}); }
    bool resume(const QString &taskId) { return control(QueueControl::Action::Resume, taskId, {}); }
    bool cancel(const QString &taskId) { return control(QueueControl::Action::Cancel, taskId, {}); }
    bool pauseCampaign(const QString &campaignId)
    {
        return control(QueueControl::Action::Pause, {}, campaignId);
    }
    bool resumeCampaign(const QString &campaignId)
    {
        return control(QueueControl::Action::Resume, {}, campaignId);
    }
    bool cancelCampaign(const QString &campaignId)
    {
        return control(QueueControl::Action::Cancel, {}, campaignId);
    }

    QString errorString() const { return m_error; }
    // Runs this queue started that have not finished.
    QStringList activeTaskIds() const { return QStringList(m_active.cbegin(), m_active.cend()); }

public Q_SLOTS:
    // Starts what the budgets allow now. Called on every change and on a timer.
    void schedule();

Q_SIGNALS:
    void entryChanged(const QString &taskId, Tasktrail::QueueState state, const QString &reason);
    // Nothing is queued, running or waiting to be retried (paused entries and entries waiting
    // for another day's reviewer capacity do not count).
    void drained();
    void storeFailed(const QString &error);

private:
    bool control(QueueControl::Action action, const QString &taskId, const QString &campaignId);
    void onStarted(const QString &taskId, const QString &remoteId);
    void onProgressed(const QString &taskId, Tasktrail::TaskState state, const QString &note);
    void onFinished(const QString &taskId, const Tasktrail::RunResult &result);
    void onCreateReported(const QString &taskId, const Tasktrail::CreateReport &report);
    bool createStillOpen(const QString &taskId, int attempt);
    bool recover();
    void dispatchCancels(const QList<QueueEntry> &entries);
    bool launch(QueueEntry &entry, const QDateTime &now, const QString &today, bool holdsSlot);
    bool deferForCapacity(QueueEntry &entry, const QString &team, int cap, int held,
                          const QDateTime &now);
    const TemplateSpec *templateSpec(const QueueEntry &entry);
    int maxRetries(const QueueEntry &entry);
    bool commit(const std::function<bool()> &writes);
    void armWakeTimer(const QList<QueueEntry> &entries, const QDateTime &now);

    RecordStore &m_store;
    AgentBackend &m_backend;
    QueueSettings m_settings;
    Clock m_clock;
    QString m_error;
    bool m_started = false;
    bool m_scheduling = false;
    QTimer m_poll;
    QTimer m_wake;
    QSet<QString> m_active;
    QSet<QString> m_cancelSent;
    QHash<QString, std::optional<TemplateSpec>> m_templates;
};

} // namespace Tasktrail
