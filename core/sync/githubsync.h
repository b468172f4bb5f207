#pragma once

#include "github/githubclient.h"
#include "store/synccursors.h"
#include "syncrecords.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>

namespace Tasktrail {

class RecordStore;
class RunLogSink;
class SyncFetcher;
class SyncSpool;

struct GitHubSyncOptions
{
    QStringList repos; // owner/name; with neither repos nor org, the token's own tasks
    QString org;       // every repository of the organisation, and its audit log
    QDateTime since;   // only tasks updated at or after this (UTC)
    GitHubClient::Options client;
    // The Copilot API, which serves the session logs (`gh agent-task view --log`). Empty:
    // https://api.githubcopilot.com with github.com's API, else the API URL itself.
    QUrl copilotApiUrl;
    // Where each run keeps what it downloads (SyncSpool); empty: SyncSpool::defaultParent().
    QString spoolParent;
    // How far a workflow run's start may lie from its session's to be the session's run.
    qint64 sessionRunSlackMs = 10 * 60'000;
    // Audit events this long before a task was created or after it was last updated count as
    // its window.
    qint64 auditWindowSlackMs = 15 * 60'000;
};

// What a sync read, for the closing line.
struct GitHubSyncSummary
{
    int tasks = 0;
    int pullRequests = 0;
    int reviews = 0;
    int checkRuns = 0;
    int filesChanged = 0;
    int jobLogs = 0;
    qint64 jobLogBytes = 0;
    int sessionLogs = 0;
    qint64 sessionLogBytes = 0;
    int auditEvents = 0;
    int requests = 0;
    int notModified = 0;
    int problems = 0;
    bool cancelled = false;

    // "12 tasks, 9 pull requests, 31 check runs, 4 job logs (2.1 MB), 3 session logs
    // (96 KB), 212 audit events; 3 requests answered 304"
    QString toString() const;
};

struct GitHubSyncProgress
{
    int done = 0;  // tasks read so far
    int total = 0; // tasks known so far (grows as lists are read)
    QString doing; // "acme/web: task 3f2a…", "audit log of acme"
    qint64 etaSeconds = -1;
    QDateTime waitingUntil; // set while a rate limit (or back-off) holds the sync (UTC)
    QString waitReason;

    // "3/12 tasks, about 40 s left: acme/web: task 3f2a" or "rate limited, resuming at 14:05"
    QString toString() const;
};

// Reads what Copilot's cloud agent did from GitHub (docs/github-sync.md) and ingests it: agent
// tasks and their sessions, each task's pull request with reviews, changed files, check runs
// and the timeline event that says who asked, the Actions run of each session and its job
// logs (handed to a RunLogSink), and with an organisation its audit log. Every source keeps a
// cursor in the store, so the next sync reads only what changed; GitHub's documents are
// ingested through the Ingestor, one task at a time, so a kill keeps exactly the tasks
// committed and a sync of the same data changes nothing.
//
// Synchronous and blocking: run it on a worker thread (GitHubSyncJob) or in the CLI. The token
// is used for GitHub's API only (GitHubClient decides where it goes) and never stored.
class GitHubSync final : public QObject
{
    Q_OBJECT
public:
    GitHubSync(RecordStore &store, QByteArray token, RunLogSink &runLogs,
               QObject *parent = nullptr);
    ~GitHubSync() override;

    // False on a fatal error (the store, the token refused, cancelled): errorString().
    // Problems with single items are reported through problem() and counted.
    bool run(const GitHubSyncOptions &options);
    void cancel() { m_cancelled.store(true); } // thread-safe
    const GitHubSyncSummary &summary() const { return m_summary; }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void progress(const Tasktrail::GitHubSyncProgress &progress);
    void problem(const QString &message);

private:
    bool listOrganisationRepositories(QStringList *repos);
    bool syncRepositories(const QStringList &repos);
    bool syncUserTasks();
    bool syncTaskList(const QString &source, const QString &path, bool archived,
                      const QString &repo);
    bool syncTask(const QString &repo, const QJsonObject &listed);
    bool syncPullRequest(const QString &repo, const QJsonObject &task, const QString &headRef,
                         const QString &dir, Sync::TaskLinks *links);
    std::optional<int> findPullRequest(const QString &repo, const QJsonObject &task,
                                       const QString &headRef, bool *fatal);
    bool syncSessionRuns(const QString &repo, const QString &taskId, const QJsonObject &task,
                         const QString &headRef);
    bool syncRunLogs(const QString &repo, const QString &taskId, const QJsonObject &run);
    bool syncSessionLogs(const QString &repo, const QString &taskId, const QJsonObject &task);
    bool syncSessionLog(const QString &repo, const QString &taskId, const QJsonObject &session,
                        int firstCommand);
    bool ingestSessionLog(const QString &taskId, const QString &sessionId, int firstCommand,
                          const QByteArray &log);
    bool syncAuditLog();
    bool syncAuditPages(const QString &phrase, SyncCursor cursor);
    bool saveAuditCursor(const SyncCursor &cursor);
    bool keepAuditEvents(const QJsonArray &events, QString *newest);
    QString resolveRepository(qint64 id);
    bool ingestDirectory(const QString &dir);
    bool saveCursor(const SyncCursor &cursor);
    // Whether a failed answer ends the sync (a refused token, a rate limit past waiting, a
    // cancel: m_error says it); otherwise it is reported as a problem.
    bool fatalResponse(const GitHubResponse &r);
    void report(const QString &message);
    void emitProgress(const QString &doing);

    RecordStore &m_store;
    QByteArray m_token;
    RunLogSink &m_runLogs;
    GitHubSyncOptions m_options;
    GitHubSyncSummary m_summary;
    QString m_error;
    std::atomic_bool m_cancelled{false};
    std::unique_ptr<SyncFetcher> m_fetch;
    std::unique_ptr<SyncFetcher> m_copilot; // the Copilot API: session logs
    std::unique_ptr<SyncSpool> m_spool;
    QHash<qint64, QString> m_repoNames;
    Sync::TimeWindows m_taskWindows;  // of the tasks this sync read
    Sync::TimeWindows m_auditWindows; // and of those read before: what the audit log keeps
    int m_done = 0;
    int m_auditPages = 0; // folders of audit pages in the spool
    int m_total = 0;
    qint64 m_startedMs = 0;
    QDateTime m_waitingUntil;
    QString m_waitReason;
};

} // namespace Tasktrail

Q_DECLARE_METATYPE(Tasktrail::GitHubSyncProgress)
