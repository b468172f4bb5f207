#pragma once

// A test double for the agent backend only: runs finish on a QTimer the way the test scripts
// them, with the records a real run produces (commands, logs, a pull request with a review
// and a check run). The store under test stays a real SQLite file.
#include "launch/agentbackend.h"

#include <QDateTime>
#include <QHash>
#include <QTimer>

#include <algorithm>
#include <memory>

class ScriptedBackend final : public Tasktrail::AgentBackend
{
    Q_OBJECT

public:
    struct Outcome
    {
        int delayMs = 20; // -1: runs until cancelled
        QString failure;
        QString failureKind;
        bool retryable = false;
    };

    explicit ScriptedBackend(QString name = QStringLiteral("test"), QObject *parent = nullptr)
        : AgentBackend(parent)
        , m_name(std::move(name))
    {}

    QString name() const override { return m_name; }

    // Outcomes for the runs in a repository, used in order; then defaultOutcome.
    void script(const QString &repo, const QList<Outcome> &outcomes) { m_script[repo] = outcomes; }
    Outcome defaultOutcome;

    void start(const Tasktrail::LaunchSpec &spec) override
    {
        specs << spec;
        ++starts[spec.taskId];
        ++m_perRepo[spec.repo];
        maxPerRepo = std::max(maxPerRepo, m_perRepo[spec.repo]);
        maxConcurrent = std::max(maxConcurrent, int(m_runs.size()) + 1);
        QList<Outcome> &queued = m_script[spec.repo];
        const Outcome outcome = queued.isEmpty() ? defaultOutcome : queued.takeFirst();
        auto &run = m_runs[spec.taskId];
        run.spec = spec;
        run.outcome = outcome;
        run.timer = std::make_unique<QTimer>();
        run.timer->setSingleShot(true);
        const QString id = spec.taskId;
        QTimer::singleShot(0, this,
                           [this, id] { Q_EMIT started(id, QStringLiteral("remote-") + id); });
        if (outcome.delayMs >= 0) {
            connect(run.timer.get(), &QTimer::timeout, this, [this, id] { finish(id, false); });
            run.timer->start(outcome.delayMs);
        }
    }

    void cancel(const QString &taskId) override
    {
        cancelled << taskId;
        if (m_runs.contains(taskId))
            QTimer::singleShot(0, this, [this, taskId] { finish(taskId, true); });
    }

    int running() const { return int(m_runs.size()); }

    QList<Tasktrail::LaunchSpec> specs;
    QHash<QString, int> starts;
    QStringList cancelled;
    int maxConcurrent = 0;
    int maxPerRepo = 0;

private:
    struct Run
    {
        Tasktrail::LaunchSpec spec;
        Outcome outcome;
        std::unique_ptr<QTimer> timer;
    };

    void finish(const QString &id, bool wasCancelled)
    {
        auto it = m_runs.find(id);
        if (it == m_runs.end())
            return;
        const Tasktrail::LaunchSpec spec = it->second.spec;
        const Outcome outcome = it->second.outcome;
        m_runs.erase(it);
        --m_perRepo[spec.repo];
        Q_EMIT finished(id, result(spec, outcome, wasCancelled));
    }

    Tasktrail::RunResult result(const Tasktrail::LaunchSpec &spec, const Outcome &outcome,
                                bool wasCancelled)
    {
        using namespace Tasktrail;
        RunResult r;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        TaskRecord &t = r.task;
        t.id = spec.taskId;
        t.startedAt = now.addSecs(-60);
        t.completedAt = now;
        t.headRef = spec.headRef;
        t.headSha = QStringLiteral("%1").arg(qHash(spec.taskId), 40, 16, QLatin1Char('0'));
        t.commands << CommandRecord{{},
                                    1,
                                    {QStringLiteral("git"), QStringLiteral("clone"),
                                     QStringLiteral("https://github.com/") + spec.repo},
                                    QStringLiteral("/work"),
                                    0,
                                    t.startedAt,
                                    t.startedAt.addSecs(5)};
        t.commands << CommandRecord{{},
                                    2,
                                    {QStringLiteral("npm"), QStringLiteral("test")},
                                    QStringLiteral("/work"),
                                    outcome.failure.isEmpty() ? 0 : 1,
                                    t.startedAt.addSecs(10),
                                    now};
        r.logs << CommandLog{1, {LogLine{1, 0, "Cloning into 'work'...", {}}}};
        r.logs << CommandLog{
            2,
            {LogLine{1, 0, "> npm test", {}},
             LogLine{2, 0, "auth ghp_abcdefghijklmnopqrstuvwxyz0123456789 ok", {}},
             LogLine{3, 0, outcome.failure.isEmpty() ? "42 passing" : "1 failing", {}}}};
        if (wasCancelled) {
            t.state = TaskState::Cancelled;
            return r;
        }
        if (!outcome.failure.isEmpty()) {
            t.state = TaskState::Failed;
            r.failure = outcome.failure;
            r.failureKind = outcome.failureKind;
            r.retryable = outcome.retryable;
            return r;
        }
        t.state = TaskState::Completed;
        PullRequestRecord pr;
        pr.repo = spec.repo;
        pr.number = ++m_prNumber;
        pr.githubId = 9000 + m_prNumber;
        pr.title = QStringLiteral("Launched: ") + spec.prompt.left(40);
        pr.state = QStringLiteral("open");
        pr.author = QStringLiteral("copilot-swe-agent[bot]");
        pr.headRef = spec.headRef;
        pr.headSha = t.headSha;
        pr.baseRef = spec.baseRef;
        pr.createdAt = now;
        pr.updatedAt = now;
        r.pullRequest = pr;
        r.reviews << ReviewRecord{
            7000 + m_prNumber,          spec.repo, pr.number, QStringLiteral("alice"),
            QStringLiteral("APPROVED"), t.headSha, now};
        r.checkRuns << CheckRunRecord{8000 + m_prNumber,
                                      spec.repo,
                                      t.headSha,
                                      QStringLiteral("ci"),
                                      QStringLiteral("completed"),
                                      QStringLiteral("success"),
                                      QStringLiteral("github-actions"),
                                      std::nullopt,
                                      now,
                                      now};
        return r;
    }

    QString m_name;
    QHash<QString, QList<Outcome>> m_script;
    std::map<QString, Run> m_runs;
    QHash<QString, int> m_perRepo;
    int m_prNumber = 0;
};
