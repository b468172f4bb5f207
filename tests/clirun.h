#pragma once

// Runs the real tasktrail-cli binary (its path in TASKTRAIL_CLI, set per test target) and
// keeps what it printed.
#include <QProcess>
#include <QString>
#include <QStringList>

namespace Tasktrail::CliRun {

struct Run
{
    int exitCode = -1; // -1 when the process crashed or did not finish
    QString out;
    QString err;
};

inline Run cli(const QStringList &args, int timeoutMs = 300000)
{
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice()); // never a terminal: no prompts
    p.start(QStringLiteral(TASKTRAIL_CLI), args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace Tasktrail::CliRun
