#pragma once

#include "agentbackend.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

namespace Tasktrail {

class LocalRun;
class WorktreeGate;

// How the local runner runs an agent. See docs/local-runner.md.
struct LocalBackendConfig
{
    // The agent command. "{prompt}" and "{prompt_file}" are replaced in every argument; the
    // prompt is also in the file named by TASKTRAIL_PROMPT_FILE. A program without a slash is
    // looked up in searchPath.
    QString program;
    QStringList arguments;
    // Worktrees go to <workDirectory>/<taskId>; the runner's own files (prompt, shims, call
    // records) to <workDirectory>/.tasktrail/<taskId>, outside the worktree.
    QString workDirectory;
    // The git remote the branch is pushed to after a successful run; empty: no push.
    QString remote = QStringLiteral("origin");
    // Author and committer of the commit the runner makes of the agent's changes, also given
    // to the agent as GIT_AUTHOR_* and GIT_COMMITTER_*.
    QString authorName = QStringLiteral("Tasktrail");
    QString authorEmail = QStringLiteral("tasktrail@localhost");
    // The agent's PATH after the shim directory.
    QStringList searchPath{QStringLiteral("/usr/local/bin"), QStringLiteral("/usr/bin"),
                           QStringLiteral("/bin")};
    QString home;                            // the agent's HOME; empty: the user's home
    QStringList shimTools;                   // empty: CommandShim::defaultTools()
    QStringList passEnvironment;             // variables copied from Tasktrail's own environment
    QHash<QString, QString> environment;     // set for the agent, last
    qint64 maxOutputBytes = 8 * 1024 * 1024; // kept per command; the rest is cut off
    QString gitProgram = QStringLiteral("git");
};

// Runs an agent command on the local machine, in a git worktree of spec.localRepositoryPath
// on a new branch spec.headRef, records every command it runs through the shims on its PATH,
// commits what it changed, pushes the branch and removes the worktree. Everything runs through
// QProcess signals on the thread the backend lives in. See docs/local-runner.md.
class LocalBackend final : public AgentBackend
{
    Q_OBJECT

public:
    explicit LocalBackend(LocalBackendConfig config, QObject *parent = nullptr);
    // Kills the agents still running; their worktrees stay behind.
    ~LocalBackend() override;

    QString name() const override;
    void start(const LaunchSpec &spec) override;
    void cancel(const QString &taskId) override;

    const LocalBackendConfig &config() const { return m_config; }
    bool isRunning(const QString &taskId) const { return m_runs.contains(taskId); }

private:
    void finishRejected(const LaunchSpec &spec, const QString &why);

    LocalBackendConfig m_config;
    QHash<QString, LocalRun *> m_runs;
    std::unique_ptr<WorktreeGate> m_gate;
};

} // namespace Tasktrail
