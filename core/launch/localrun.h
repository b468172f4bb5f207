#pragma once

#include "agentbackend.h"
#include "commandshim.h"
#include "localbackend.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QProcess>
#include <QTimer>

#include <functional>
#include <optional>

namespace Tasktrail {

// Lets one run at a time change a repository's list of worktrees: git itself fails now and then
// when two `git worktree add` run in one repository at once ("failed to read
// .git/worktrees/<name>/commondir").
class WorktreeGate final
{
public:
    // Calls go() now when the repository is free, or after the runs before it left.
    void enter(const QString &repository, std::function<void()> go);
    void leave(const QString &repository);
    void clear() { m_waiting.clear(); } // the backend is going away: nobody goes next

private:
    QHash<QString, QList<std::function<void()>>> m_waiting; // a key is present while busy
};

// One task of the local runner, from the worktree to the finished signal. A chain of QProcess
// steps, each started from the previous one's finished signal:
//   rev-parse base -> worktree add -> agent -> add -A -> diff --cached -> [commit] ->
//   rev-parse HEAD -> diff --numstat -> diff --name-status -> [push] -> worktree remove.
// A git failure skips to the worktree removal; the first failure is the one reported.
class LocalRun final : public QObject
{
    Q_OBJECT

public:
    LocalRun(const LocalBackendConfig &config, const LaunchSpec &spec, WorktreeGate *gate,
             QObject *parent = nullptr);
    ~LocalRun() override;

    void begin();
    void cancel();

Q_SIGNALS:
    void started(const QString &remoteId);
    void progressed(Tasktrail::TaskState state, const QString &note);
    void finished(const Tasktrail::RunResult &result);

private:
    struct GitOutput
    {
        QStringList args;
        int exitCode = -1; // -1: did not start or crashed
        QByteArray out;
        QByteArray err;
        QDateTime startedAt;
        QDateTime endedAt;
        bool ok() const { return exitCode == 0; }
    };
    using Step = void (LocalRun::*)(const GitOutput &);

    void git(const QString &cwd, const QStringList &args, Step next);
    void gitInRepository(const QStringList &args, Step next); // through the gate
    void leaveGate();
    void onBaseResolved(const GitOutput &output);
    void onWorktreeAdded(const GitOutput &output);
    void startAgent();
    void onAgentFinished(int exitCode, QProcess::ExitStatus status);
    void onAgentStopped();
    void onBudgetExceeded();
    void killAgentGroup();
    void onStaged(const GitOutput &output);
    void onStagedDiff(const GitOutput &output);
    void onCommitted(const GitOutput &output);
    void onHead(const GitOutput &output);
    void onNumstat(const GitOutput &output);
    void onNameStatus(const GitOutput &output);
    void onPushed(const GitOutput &output);
    void removeWorktree();
    void onWorktreeRemoved(const GitOutput &output);
    void finish();

    void fail(const QString &kind, const QString &message, bool retryable = false);
    void failGit(const GitOutput &output, bool retryable = false);
    bool prepareFiles(QString *error);
    QProcessEnvironment agentEnvironment() const;
    QProcessEnvironment gitEnvironment() const;
    QStringList agentArguments() const;
    QString commitMessage() const;
    RunResult buildResult() const;

    LocalBackendConfig m_config;
    LaunchSpec m_spec;
    WorktreeGate *m_gate;
    QString m_gateKey;
    bool m_inGate = false;
    QString m_worktree;
    QString m_privateDir;
    QDateTime m_startedAt;

    QString m_baseSha;
    QString m_baseRef;
    bool m_worktreeAdded = false;
    bool m_cancelRequested = false;
    bool m_timedOut = false;

    QProcess *m_agent = nullptr;
    qint64 m_agentPid = 0;
    QTimer m_budget;
    QStringList m_agentArgv;
    QDateTime m_agentStartedAt;
    QDateTime m_agentEndedAt;
    std::optional<int> m_agentExit;
    QByteArray m_agentOutput;
    bool m_agentOutputTruncated = false;
    QList<CommandShim::RecordedCall> m_calls;

    QString m_headSha;
    QByteArray m_numstat;
    QList<FileChange> m_files;
    std::optional<GitOutput> m_push;

    TaskState m_state = TaskState::InProgress;
    QString m_failure;
    QString m_failureKind;
    bool m_retryable = false;
};

} // namespace Tasktrail
