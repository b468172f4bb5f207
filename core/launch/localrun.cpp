#include "localrun.h"

#include "localresult.h"
#include "text/redactor.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QSaveFile>
#include <QStandardPaths>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcLocalRunner, "tasktrail.launch.local")

namespace Tasktrail {
namespace {

// The line of git's output that says what went wrong: the last "fatal:" or "error:" line, or
// the last line (progress such as "Preparing worktree" comes first).
QString gitError(const QByteArray &text)
{
    const QStringList lines = QString::fromUtf8(text).trimmed().split(u'\n', Qt::SkipEmptyParts);
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        if (it->startsWith(u"fatal:"_s) || it->startsWith(u"error:"_s))
            return it->trimmed();
    }
    return lines.isEmpty() ? QString() : lines.constLast().trimmed();
}

} // namespace

void WorktreeGate::enter(const QString &repository, std::function<void()> go)
{
    const auto busy = m_waiting.find(repository);
    if (busy != m_waiting.end()) {
        busy->append(std::move(go));
        return;
    }
    m_waiting.insert(repository, {});
    go();
}

void WorktreeGate::leave(const QString &repository)
{
    const auto busy = m_waiting.find(repository);
    if (busy == m_waiting.end())
        return;
    if (busy->isEmpty()) {
        m_waiting.erase(busy);
        return;
    }
    const std::function<void()> next = busy->takeFirst();
    next();
}

LocalRun::LocalRun(const LocalBackendConfig &config, const LaunchSpec &spec, WorktreeGate *gate,
                   QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_spec(spec)
    , m_gate(gate)
{
    const QString canonical = QFileInfo(spec.localRepositoryPath).canonicalFilePath();
    m_gateKey = canonical.isEmpty() ? spec.localRepositoryPath : canonical;
    const QDir work(QDir(config.workDirectory).absolutePath());
    m_worktree = work.filePath(spec.taskId);
    m_privateDir = work.filePath(u".tasktrail/"_s + spec.taskId);
    if (m_spec.headRef.isEmpty())
        m_spec.headRef = u"tasktrail/"_s + spec.taskId;
    m_budget.setSingleShot(true);
    connect(&m_budget, &QTimer::timeout, this, &LocalRun::onBudgetExceeded);
}

LocalRun::~LocalRun()
{
    killAgentGroup();
    if (m_inGate)
        m_gate->leave(m_gateKey);
}

void LocalRun::begin()
{
    m_startedAt = QDateTime::currentDateTimeUtc();
    QString error;
    if (!prepareFiles(&error)) {
        fail(u"agent_error"_s, error);
        finish();
        return;
    }
    const QString base = m_spec.baseRef.isEmpty() ? u"HEAD"_s : m_spec.baseRef;
    gitInRepository({u"rev-parse"_s, base + u"^{commit}"_s, u"--abbrev-ref"_s, base},
                    &LocalRun::onBaseResolved);
}

void LocalRun::cancel()
{
    if (m_agentEndedAt.isValid() || m_cancelRequested)
        return; // already past the agent: the run finishes as it is
    m_cancelRequested = true;
    killAgentGroup();
}

bool LocalRun::prepareFiles(QString *error)
{
    if (!QDir().mkpath(m_privateDir + u"/tmp"_s)) {
        *error = u"cannot create %1"_s.arg(m_privateDir);
        return false;
    }
    QSaveFile prompt(m_privateDir + u"/prompt.txt"_s);
    if (!prompt.open(QIODevice::WriteOnly) || prompt.write(m_spec.prompt.toUtf8()) < 0 ||
        !prompt.commit()) {
        *error = u"cannot write the prompt file: %1"_s.arg(prompt.errorString());
        return false;
    }
    const QStringList tools =
        m_config.shimTools.isEmpty() ? CommandShim::defaultTools() : m_config.shimTools;
    return CommandShim::install(m_privateDir + u"/bin"_s, m_privateDir + u"/calls"_s, tools, error);
}

void LocalRun::git(const QString &cwd, const QStringList &args, Step next)
{
    auto *process = new QProcess(this);
    auto output = std::make_shared<GitOutput>();
    output->args = args;
    output->startedAt = QDateTime::currentDateTimeUtc();
    process->setProgram(m_config.gitProgram);
    process->setArguments(args);
    process->setWorkingDirectory(cwd);
    process->setProcessEnvironment(gitEnvironment());
    process->setStandardInputFile(QProcess::nullDevice());
    auto done = [this, process, output, next](int exitCode) {
        output->exitCode = exitCode;
        output->endedAt = QDateTime::currentDateTimeUtc();
        output->out = process->readAllStandardOutput();
        output->err += process->readAllStandardError();
        process->disconnect(this);
        process->deleteLater();
        (this->*next)(*output);
    };
    connect(process, &QProcess::finished, this, [done](int exitCode, QProcess::ExitStatus status) {
        done(status == QProcess::NormalExit ? exitCode : -1);
    });
    connect(process, &QProcess::errorOccurred, this,
            [process, output, done](QProcess::ProcessError e) {
                if (e != QProcess::FailedToStart)
                    return;
                output->err = process->errorString().toUtf8();
                done(-1);
            });
    process->start();
}

void LocalRun::gitInRepository(const QStringList &args, Step next)
{
    // The gate is held from the base's rev-parse to the end of `worktree add`, and again for
    // `worktree remove`; leaving it happens in git()'s completion, before the next step runs.
    auto go = [this, guard = QPointer<LocalRun>(this), gate = m_gate, key = m_gateKey, args, next] {
        if (!guard) {
            gate->leave(key); // deleted while it waited: the next one goes
            return;
        }
        m_inGate = true;
        git(m_spec.localRepositoryPath, args, next);
    };
    if (m_inGate)
        go();
    else
        m_gate->enter(m_gateKey, go);
}

void LocalRun::leaveGate()
{
    if (!m_inGate)
        return;
    m_inGate = false;
    m_gate->leave(m_gateKey);
}

void LocalRun::onBaseResolved(const GitOutput &output)
{
    const QStringList lines = QString::fromUtf8(output.out).split(u'\n', Qt::SkipEmptyParts);
    if (!output.ok() || lines.isEmpty()) {
        leaveGate();
        failGit(output);
        finish();
        return;
    }
    m_baseSha = lines.at(0);
    const QString name = lines.value(1);
    if (!m_spec.baseRef.isEmpty())
        m_baseRef = m_spec.baseRef;
    else
        m_baseRef = name.isEmpty() || name == u"HEAD"_s ? m_baseSha : name;
    gitInRepository({u"worktree"_s, u"add"_s, u"-b"_s, m_spec.headRef, m_worktree, m_baseSha},
                    &LocalRun::onWorktreeAdded);
}

void LocalRun::onWorktreeAdded(const GitOutput &output)
{
    leaveGate();
    if (!output.ok()) {
        failGit(output);
        finish();
        return;
    }
    m_worktreeAdded = true;
    Q_EMIT started(m_worktree);
    if (m_cancelRequested) {
        m_state = TaskState::Cancelled;
        fail(u"cancelled"_s, u"Cancelled before the agent started."_s);
        removeWorktree();
        return;
    }
    startAgent();
}

QStringList LocalRun::agentArguments() const
{
    const QString promptFile = m_privateDir + u"/prompt.txt"_s;
    QStringList args;
    for (QString arg : m_config.arguments) {
        arg.replace(u"{prompt_file}"_s, promptFile);
        arg.replace(u"{prompt}"_s, m_spec.prompt);
        args.append(arg);
    }
    return args;
}

void LocalRun::startAgent()
{
    QString program = m_config.program;
    if (!program.contains(u'/'))
        program = QStandardPaths::findExecutable(program, m_config.searchPath);
    const QStringList args = agentArguments();
    m_agentArgv = QStringList{m_config.program} + args;
    m_agentStartedAt = QDateTime::currentDateTimeUtc();
    if (program.isEmpty()) {
        fail(u"agent_error"_s,
             u"The agent program %1 is not on the search path."_s.arg(m_config.program));
        onAgentStopped();
        return;
    }

    m_agent = new QProcess(this);
    m_agent->setProgram(program);
    m_agent->setArguments(args);
    m_agent->setWorkingDirectory(m_worktree);
    m_agent->setProcessEnvironment(agentEnvironment());
    m_agent->setStandardInputFile(QProcess::nullDevice());
    m_agent->setProcessChannelMode(QProcess::MergedChannels);
    m_agent->setStandardOutputFile(m_privateDir + u"/agent.out"_s);
    // Its own process group, so a timeout or cancel kills the tools it started too.
    m_agent->setChildProcessModifier([] { ::setpgid(0, 0); });
    connect(m_agent, &QProcess::started, this, [this] { m_agentPid = m_agent->processId(); });
    connect(m_agent, &QProcess::finished, this, &LocalRun::onAgentFinished);
    connect(m_agent, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        fail(u"agent_error"_s, u"The agent did not start: %1"_s.arg(m_agent->errorString()));
        onAgentStopped();
    });
    if (m_spec.timeBudgetMs >= 0)
        m_budget.start(std::chrono::milliseconds(m_spec.timeBudgetMs));
    m_agent->start();
    Q_EMIT progressed(TaskState::InProgress, u"agent running in %1"_s.arg(m_worktree));
}

void LocalRun::killAgentGroup()
{
    // The group id is the agent's pid (setpgid(0, 0)); no other group can take that id while
    // the group has members, so the kill after the agent exited only reaches its leftovers.
    if (m_agentPid > 0)
        ::kill(-pid_t(m_agentPid), SIGKILL);
    if (m_agent && m_agent->state() != QProcess::NotRunning)
        m_agent->kill();
}

void LocalRun::onBudgetExceeded()
{
    if (m_agentEndedAt.isValid())
        return;
    m_timedOut = true;
    killAgentGroup();
}

void LocalRun::onAgentFinished(int exitCode, QProcess::ExitStatus status)
{
    if (status == QProcess::NormalExit)
        m_agentExit = exitCode;
    if (m_cancelRequested) {
        m_state = TaskState::Cancelled;
        fail(u"cancelled"_s, u"Cancelled while the agent ran."_s);
    } else if (m_timedOut) {
        m_state = TaskState::TimedOut;
        fail(u"timeout"_s, u"The agent ran past its time budget of %1 ms and was killed."_s.arg(
                               m_spec.timeBudgetMs));
    } else if (!m_agentExit) {
        fail(u"agent_error"_s, u"The agent was killed by a signal."_s);
    } else if (*m_agentExit != 0) {
        fail(u"agent_error"_s, u"The agent exited with code %1."_s.arg(*m_agentExit));
    }
    onAgentStopped();
}

void LocalRun::onAgentStopped()
{
    m_budget.stop();
    m_agentEndedAt = QDateTime::currentDateTimeUtc();
    killAgentGroup(); // whatever the agent left running in the background
    if (m_state == TaskState::InProgress)
        m_state = TaskState::Completed;

    QFile output(m_privateDir + u"/agent.out"_s);
    if (output.open(QIODevice::ReadOnly)) {
        m_agentOutput = output.read(m_config.maxOutputBytes);
        m_agentOutputTruncated = !output.atEnd();
    }
    m_calls = CommandShim::readCalls(m_privateDir + u"/calls"_s, m_config.maxOutputBytes);
    Q_EMIT progressed(m_state, u"agent stopped; recording the changes"_s);
    git(m_worktree, {u"add"_s, u"-A"_s}, &LocalRun::onStaged);
}

void LocalRun::onStaged(const GitOutput &output)
{
    if (!output.ok()) {
        failGit(output);
        removeWorktree();
        return;
    }
    git(m_worktree, {u"diff"_s, u"--cached"_s, u"--quiet"_s}, &LocalRun::onStagedDiff);
}

void LocalRun::onStagedDiff(const GitOutput &output)
{
    if (output.exitCode == 0) {
        onCommitted(output); // nothing to commit
        return;
    }
    if (output.exitCode != 1) {
        failGit(output);
        removeWorktree();
        return;
    }
    // The repository's hooks and signing settings are the developer's, not the runner's.
    git(m_worktree,
        {u"-c"_s, u"commit.gpgsign=false"_s, u"commit"_s, u"-q"_s, u"--no-verify"_s, u"-m"_s,
         commitMessage()},
        &LocalRun::onCommitted);
}

QString LocalRun::commitMessage() const
{
    QString title = m_spec.prompt.trimmed().section(u'\n', 0, 0).trimmed();
    Redactor::redactText(title);
    if (title.size() > 60)
        title = title.left(59) + u"…"_s;
    QString message = u"Tasktrail task %1"_s.arg(m_spec.taskId);
    if (!title.isEmpty())
        message += u": "_s + title;
    return message + u"\n\nChanges left by the agent, committed by Tasktrail's local runner.\n"_s;
}

void LocalRun::onCommitted(const GitOutput &output)
{
    if (!output.ok()) {
        failGit(output);
        removeWorktree();
        return;
    }
    git(m_worktree, {u"rev-parse"_s, u"HEAD"_s}, &LocalRun::onHead);
}

void LocalRun::onHead(const GitOutput &output)
{
    if (!output.ok()) {
        failGit(output);
        removeWorktree();
        return;
    }
    m_headSha = QString::fromUtf8(output.out).trimmed();
    git(m_worktree, {u"diff"_s, u"-z"_s, u"--numstat"_s, u"-M"_s, m_baseSha + u"...HEAD"_s},
        &LocalRun::onNumstat);
}

void LocalRun::onNumstat(const GitOutput &output)
{
    if (!output.ok()) {
        failGit(output);
        removeWorktree();
        return;
    }
    m_numstat = output.out;
    git(m_worktree, {u"diff"_s, u"-z"_s, u"--name-status"_s, u"-M"_s, m_baseSha + u"...HEAD"_s},
        &LocalRun::onNameStatus);
}

void LocalRun::onNameStatus(const GitOutput &output)
{
    if (!output.ok()) {
        failGit(output);
        removeWorktree();
        return;
    }
    m_files = LocalResult::fileChanges(m_spec.taskId, m_numstat, output.out);
    // Only a run that completed and changed something is pushed; the others keep their commit
    // on the local branch.
    if (m_state != TaskState::Completed || m_config.remote.isEmpty() || m_headSha == m_baseSha) {
        removeWorktree();
        return;
    }
    Q_EMIT progressed(m_state, u"pushing %1 to %2"_s.arg(m_spec.headRef, m_config.remote));
    git(m_worktree, {u"push"_s, m_config.remote, m_spec.headRef}, &LocalRun::onPushed);
}

void LocalRun::onPushed(const GitOutput &output)
{
    m_push = output;
    if (!output.ok())
        failGit(output, LocalResult::isTransientPushFailure(output.err));
    removeWorktree();
}

void LocalRun::removeWorktree()
{
    if (!m_worktreeAdded) {
        finish();
        return;
    }
    gitInRepository({u"worktree"_s, u"remove"_s, u"--force"_s, m_worktree},
                    &LocalRun::onWorktreeRemoved);
}

void LocalRun::onWorktreeRemoved(const GitOutput &output)
{
    leaveGate();
    if (!output.ok())
        qCWarning(lcLocalRunner) << "could not remove the worktree" << m_worktree << ":"
                                 << gitError(output.err);
    finish();
}

void LocalRun::finish()
{
    if (!QDir(m_privateDir).removeRecursively())
        qCWarning(lcLocalRunner) << "could not remove" << m_privateDir;
    Q_EMIT finished(buildResult());
}

void LocalRun::fail(const QString &kind, const QString &message, bool retryable)
{
    if (m_state == TaskState::InProgress || m_state == TaskState::Completed)
        m_state = TaskState::Failed;
    if (!m_failureKind.isEmpty())
        return; // the first failure is the one that explains the run
    m_failureKind = kind;
    m_failure = message;
    Redactor::redactText(m_failure);
    m_retryable = retryable;
}

void LocalRun::failGit(const GitOutput &output, bool retryable)
{
    const QString why = gitError(output.err.isEmpty() ? output.out : output.err);
    fail(u"git"_s,
         u"git %1 failed (exit %2): %3"_s.arg(output.args.join(u' ')).arg(output.exitCode).arg(why),
         retryable);
}

} // namespace Tasktrail
