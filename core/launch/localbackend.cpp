#include "localbackend.h"

#include "localrun.h"

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Why the backend cannot run the spec at all; empty when it can.
QString specProblem(const LocalBackendConfig &config, const LaunchSpec &spec)
{
    // The id names the worktree's directory: one path component, no option-like leading dash.
    static const QRegularExpression safeId(u"^[A-Za-z0-9][A-Za-z0-9._-]*$"_s);
    if (!safeId.match(spec.taskId).hasMatch())
        return u"The task id \"%1\" cannot name a worktree directory."_s.arg(spec.taskId);
    if (spec.localRepositoryPath.isEmpty() || !QDir(spec.localRepositoryPath).exists())
        return u"The local repository \"%1\" does not exist."_s.arg(spec.localRepositoryPath);
    if (spec.baseRef.startsWith(u'-') || spec.headRef.startsWith(u'-'))
        return u"A ref cannot start with \"-\"."_s;
    if (config.program.isEmpty())
        return u"No agent command is configured."_s;
    if (config.workDirectory.isEmpty())
        return u"No work directory is configured."_s;
    return {};
}

} // namespace

LocalBackend::LocalBackend(LocalBackendConfig config, QObject *parent)
    : AgentBackend(parent)
    , m_config(std::move(config))
    , m_gate(std::make_unique<WorktreeGate>())
{}

LocalBackend::~LocalBackend()
{
    // The runs are children: deleting them kills their agents' process groups.
    const QList<LocalRun *> runs = m_runs.values();
    m_runs.clear();
    m_gate->clear();
    qDeleteAll(runs);
}

QString LocalBackend::name() const
{
    return u"local"_s;
}

void LocalBackend::start(const LaunchSpec &spec)
{
    QString problem = specProblem(m_config, spec);
    if (problem.isEmpty() && m_runs.contains(spec.taskId))
        problem = u"The task %1 is already running."_s.arg(spec.taskId);
    if (!problem.isEmpty()) {
        finishRejected(spec, problem);
        return;
    }
    auto *run = new LocalRun(m_config, spec, m_gate.get(), this);
    const QString taskId = spec.taskId;
    m_runs.insert(taskId, run);
    connect(run, &LocalRun::started, this,
            [this, taskId](const QString &remoteId) { Q_EMIT started(taskId, remoteId); });
    connect(run, &LocalRun::progressed, this, [this, taskId](TaskState state, const QString &note) {
        Q_EMIT progressed(taskId, state, note);
    });
    connect(run, &LocalRun::finished, this, [this, taskId, run](const RunResult &result) {
        m_runs.remove(taskId);
        run->deleteLater();
        Q_EMIT finished(taskId, result);
    });
    // start() returns before anything is reported, as the interface promises.
    QTimer::singleShot(0, run, &LocalRun::begin);
}

void LocalBackend::cancel(const QString &taskId)
{
    if (LocalRun *run = m_runs.value(taskId))
        run->cancel();
}

void LocalBackend::finishRejected(const LaunchSpec &spec, const QString &why)
{
    RunResult result;
    result.task.id = spec.taskId;
    result.task.repo = spec.repo;
    result.task.state = TaskState::Failed;
    result.task.stateReason = why;
    result.task.source = name();
    result.task.headRef = spec.headRef;
    result.task.createdAt = QDateTime::currentDateTimeUtc();
    result.task.completedAt = result.task.createdAt;
    result.failure = why;
    result.failureKind = u"invalid_spec"_s;
    const QString taskId = spec.taskId;
    QTimer::singleShot(0, this, [this, taskId, result] { Q_EMIT finished(taskId, result); });
}

} // namespace Tasktrail
