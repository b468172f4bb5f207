// LocalRun's environments and the RunResult it reports; the steps are in localrun.cpp.
#include "localresult.h"
#include "localrun.h"
#include "text/redactor.h"

#include <QDir>
#include <QProcessEnvironment>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QStringList redacted(QStringList argv)
{
    for (QString &arg : argv)
        Redactor::redactText(arg);
    return argv;
}

void addCommand(RunResult &result, CommandRecord command, const QByteArray &output, bool truncated)
{
    command.seq = int(result.task.commands.size()) + 1;
    command.taskId = result.task.id;
    command.argv = redacted(command.argv);
    if (!output.isEmpty()) {
        CommandLog log;
        log.seq = command.seq;
        log.lines = LocalResult::logLines(output, truncated);
        result.logs.append(log);
    }
    result.task.commands.append(command);
}

} // namespace

QProcessEnvironment LocalRun::agentEnvironment() const
{
    const QProcessEnvironment parent = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    env.insert(u"LANG"_s, u"C.UTF-8"_s);
    env.insert(u"HOME"_s, m_config.home.isEmpty() ? QDir::homePath() : m_config.home);
    env.insert(u"TMPDIR"_s, m_privateDir + u"/tmp"_s);
    for (const QString &name : {u"USER"_s, u"LOGNAME"_s}) {
        if (parent.contains(name))
            env.insert(name, parent.value(name));
    }
    env.insert(u"GIT_AUTHOR_NAME"_s, m_config.authorName);
    env.insert(u"GIT_AUTHOR_EMAIL"_s, m_config.authorEmail);
    env.insert(u"GIT_COMMITTER_NAME"_s, m_config.authorName);
    env.insert(u"GIT_COMMITTER_EMAIL"_s, m_config.authorEmail);
    env.insert(u"GIT_TERMINAL_PROMPT"_s, u"0"_s);
    for (const QString &name : m_config.passEnvironment) {
        if (parent.contains(name))
            env.insert(name, parent.value(name));
    }
    for (auto it = m_config.environment.cbegin(); it != m_config.environment.cend(); ++it)
        env.insert(it.key(), it.value());
    // Set last: the shims and the prompt file must work whatever the configuration says.
    const QString shimDir = m_privateDir + u"/bin"_s;
    env.insert(u"PATH"_s, QStringList(QStringList{shimDir} + m_config.searchPath).join(u':'));
    for (const auto &[name, value] : CommandShim::environment(shimDir, m_privateDir + u"/calls"_s))
        env.insert(name, value);
    env.insert(u"TASKTRAIL_PROMPT_FILE"_s, m_privateDir + u"/prompt.txt"_s);
    env.insert(u"TASKTRAIL_TASK_ID"_s, m_spec.taskId);
    env.insert(u"TASKTRAIL_REPO"_s, m_spec.repo);
    return env;
}

QProcessEnvironment LocalRun::gitEnvironment() const
{
    // Tasktrail's own environment (credential helpers, ssh agent) without what would point git
    // at another repository or another author; messages in English, since they are parsed.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith(u"GIT_"_s) && !name.startsWith(u"GIT_SSH"_s) &&
            name != u"GIT_ASKPASS"_s)
            env.remove(name);
    }
    env.insert(u"LC_ALL"_s, u"C"_s);
    env.insert(u"GIT_TERMINAL_PROMPT"_s, u"0"_s);
    // The push carries the user's credentials: like every request Tasktrail makes, it follows
    // no redirect (docs/launching.md, "Tokens and redirects"). git's default follows the first
    // one to wherever it points, and trusts that server's answer.
    env.insert(u"GIT_CONFIG_COUNT"_s, u"1"_s);
    env.insert(u"GIT_CONFIG_KEY_0"_s, u"http.followRedirects"_s);
    env.insert(u"GIT_CONFIG_VALUE_0"_s, u"false"_s);
    env.insert(u"GIT_AUTHOR_NAME"_s, m_config.authorName);
    env.insert(u"GIT_AUTHOR_EMAIL"_s, m_config.authorEmail);
    env.insert(u"GIT_COMMITTER_NAME"_s, m_config.authorName);
    env.insert(u"GIT_COMMITTER_EMAIL"_s, m_config.authorEmail);
    return env;
}

RunResult LocalRun::buildResult() const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    RunResult result;
    TaskRecord &task = result.task;
    task.id = m_spec.taskId;
    task.repo = m_spec.repo;
    task.identityId = m_spec.identityId;
    task.state = m_state == TaskState::InProgress ? TaskState::Failed : m_state;
    task.stateReason = m_failure;
    task.prompt = m_spec.prompt;
    Redactor::redactText(task.prompt);
    task.baseRef = m_baseRef.isEmpty() ? m_spec.baseRef : m_baseRef;
    task.headRef = m_spec.headRef;
    task.headSha = m_headSha;
    task.source = u"local"_s;
    task.createdAt = m_startedAt;
    task.startedAt = m_startedAt;
    task.completedAt = now;

    SessionRecord session;
    session.id = m_spec.taskId + u"-1"_s;
    session.taskId = m_spec.taskId;
    session.attempt = 1;
    session.state = task.state;
    session.model = m_spec.model;
    session.error = m_failure;
    session.startedAt = m_agentStartedAt.isValid() ? m_agentStartedAt : m_startedAt;
    session.completedAt = m_agentEndedAt.isValid() ? m_agentEndedAt : now;
    task.sessions.append(session);

    if (m_agentStartedAt.isValid()) {
        CommandRecord agent;
        agent.argv = m_agentArgv;
        agent.cwd = m_worktree;
        agent.exitCode = m_agentExit;
        agent.startedAt = m_agentStartedAt;
        agent.endedAt = m_agentEndedAt;
        addCommand(result, agent, m_agentOutput, m_agentOutputTruncated);
    }
    for (const CommandShim::RecordedCall &call : m_calls) {
        CommandRecord command;
        command.argv = call.argv;
        command.cwd = call.cwd;
        command.exitCode = call.exitCode;
        command.startedAt = call.startedAt;
        command.endedAt = call.endedAt;
        addCommand(result, command, call.output, call.outputTruncated);
    }
    if (m_push) {
        CommandRecord push;
        push.argv = QStringList{u"git"_s} + m_push->args;
        push.cwd = m_worktree;
        if (m_push->exitCode >= 0)
            push.exitCode = m_push->exitCode;
        push.startedAt = m_push->startedAt;
        push.endedAt = m_push->endedAt;
        addCommand(result, push, m_push->out + m_push->err, false);
    }
    task.tests = LocalResult::testResults(task.commands);
    task.filesChanged = m_files;

    if (!m_failureKind.isEmpty()) {
        FailureRecord failure;
        failure.taskId = m_spec.taskId;
        failure.seq = 1;
        failure.kind = m_failureKind;
        failure.message = m_failure;
        failure.at = m_agentEndedAt.isValid() ? m_agentEndedAt : now;
        task.failures.append(failure);
    }
    result.failure = m_failure;
    result.failureKind = m_failureKind;
    result.retryable = m_retryable;
    return result;
}

} // namespace Tasktrail
