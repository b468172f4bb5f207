#pragma once

#include "launch/localbackend.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// Real git repositories for the local runner's tests: a repository with one commit on main,
// a bare repository as its "origin", a work directory for worktrees and a tools directory for
// fake tools the agent finds on its PATH after the shims.
class LocalRunFixture
{
public:
    LocalRunFixture()
    {
        QDir root(dir.path());
        for (const char *sub : {"repo", "work", "tools", "home"})
            root.mkpath(QString::fromLatin1(sub));
        repo = root.filePath(QStringLiteral("repo"));
        bare = root.filePath(QStringLiteral("origin.git"));
        work = root.filePath(QStringLiteral("work"));
        tools = root.filePath(QStringLiteral("tools"));
        ok = git(repo, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"),
                        QStringLiteral("main")}) &&
             writeFile(repo + QStringLiteral("/README.md"), "one\ntwo\nthree\n", false) &&
             git(repo, {QStringLiteral("add"), QStringLiteral("README.md")}) &&
             git(repo, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
                        QStringLiteral("Initial")}) &&
             git(dir.path(),
                 {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("--bare"), bare}) &&
             git(repo,
                 {QStringLiteral("remote"), QStringLiteral("add"), QStringLiteral("origin"), bare});
    }

    // Runs git and waits: the tests' own setup and checks, never the code under test.
    bool git(const QString &cwd, const QStringList &args, QByteArray *out = nullptr)
    {
        return run(cwd, args, out, true);
    }

    bool hasRef(const QString &gitDir, const QString &ref)
    {
        return run(
            gitDir,
            {QStringLiteral("rev-parse"), QStringLiteral("--verify"), QStringLiteral("-q"), ref},
            nullptr, false);
    }

    QByteArray gitOutput(const QString &cwd, const QStringList &args)
    {
        QByteArray out;
        return git(cwd, args, &out) ? out : QByteArray();
    }

    static bool writeFile(const QString &path, const QByteArray &text, bool executable)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            return false;
        file.close();
        if (executable)
            file.setPermissions(file.permissions() | QFile::ExeOwner);
        return true;
    }

    // A fake tool in the tools directory: the shim finds it as the real one.
    bool addTool(const QString &name, const QByteArray &script)
    {
        return writeFile(tools + u'/' + name, "#!/bin/sh\n" + script, true);
    }

    // The agent: /bin/sh running a script, with the prompt and any extra arguments.
    Tasktrail::LocalBackendConfig config(const QByteArray &agentScript,
                                         const QStringList &extraArgs = {})
    {
        const QString script = dir.filePath(QStringLiteral("agent-%1.sh").arg(++m_scripts));
        writeFile(script, "#!/bin/sh\n" + agentScript, false);
        Tasktrail::LocalBackendConfig config;
        config.program = QStringLiteral("/bin/sh");
        config.arguments = QStringList{script, QStringLiteral("{prompt}")} + extraArgs;
        config.workDirectory = work;
        config.authorName = QStringLiteral("Tasktrail Test");
        config.authorEmail = QStringLiteral("runner@example.org");
        config.searchPath = {tools, QStringLiteral("/usr/bin"), QStringLiteral("/bin")};
        config.home = dir.filePath(QStringLiteral("home"));
        return config;
    }

    Tasktrail::LaunchSpec spec(const QString &taskId) const
    {
        Tasktrail::LaunchSpec spec;
        spec.taskId = taskId;
        spec.repo = QStringLiteral("octo/widgets");
        spec.prompt = QStringLiteral("Fix the README\n\nChange two into TWO.");
        spec.headRef = QStringLiteral("tasktrail/") + taskId;
        spec.localRepositoryPath = repo;
        return spec;
    }

    QTemporaryDir dir;
    QString repo;
    QString bare;
    QString work;
    QString tools;
    bool ok = false;

private:
    bool run(const QString &cwd, const QStringList &args, QByteArray *out, bool warn)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GIT_AUTHOR_NAME"), QStringLiteral("Fixture"));
        env.insert(QStringLiteral("GIT_AUTHOR_EMAIL"), QStringLiteral("fixture@example.org"));
        env.insert(QStringLiteral("GIT_COMMITTER_NAME"), QStringLiteral("Fixture"));
        env.insert(QStringLiteral("GIT_COMMITTER_EMAIL"), QStringLiteral("fixture@example.org"));
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(cwd);
        process.start(QStringLiteral("git"), args);
        if (!process.waitForFinished(30000))
            return false;
        if (out)
            *out = process.readAllStandardOutput().trimmed();
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            if (warn)
                qWarning("git %s: %s", qPrintable(args.join(QLatin1Char(' '))),
                         process.readAllStandardError().constData());
            return false;
        }
        return true;
    }

    int m_scripts = 0;
};

// Collects what a backend reports, by task id.
class BackendRecorder
{
public:
    explicit BackendRecorder(Tasktrail::AgentBackend &backend)
    {
        QObject::connect(
            &backend, &Tasktrail::AgentBackend::started, &backend,
            [this](const QString &id, const QString &remoteId) { remoteIds.insert(id, remoteId); });
        QObject::connect(&backend, &Tasktrail::AgentBackend::finished, &backend,
                         [this](const QString &id, const Tasktrail::RunResult &result) {
                             results.insert(id, result);
                         });
    }

    bool waitFor(const QString &taskId, int timeoutMs = 60000)
    {
        return QTest::qWaitFor([&] { return results.contains(taskId); }, timeoutMs);
    }

    QHash<QString, QString> remoteIds;
    QHash<QString, Tasktrail::RunResult> results;
};
