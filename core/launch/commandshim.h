#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail::CommandShim {

// The tools recorded one by one when no list is configured. Shells are left out on purpose:
// every `sh -c` would record the agent's own scripts line by line next to the tools they run.
QStringList defaultTools();

// Writes the POSIX shell script `tasktrail-exec` into shimDir and a symlink to it named after
// each tool. A tool call through the symlink is recorded under callsDir (see readCalls) and
// then runs the real tool found on the PATH without shimDir, with the same arguments, stdin,
// stdout and stderr, and exits with its status. The script finds its directories in
// TASKTRAIL_SHIM_DIR and TASKTRAIL_CALLS_DIR (see environment()).
bool install(const QString &shimDir, const QString &callsDir, const QStringList &tools,
             QString *error);

// The variables the agent's environment needs for the shims: PATH is not among them.
QList<std::pair<QString, QString>> environment(const QString &shimDir, const QString &callsDir);

// One tool call recorded by the shim, in the order the calls started (index from 1).
struct RecordedCall
{
    int index = 0;
    QStringList argv; // argv[0] is the tool's name as called
    QString cwd;
    QDateTime startedAt;
    QDateTime endedAt;
    std::optional<int> exitCode; // none when the call was killed before it ended
    QByteArray output;           // stdout and stderr as they arrived, at most maxOutputBytes
    bool outputTruncated = false;
};

QList<RecordedCall> readCalls(const QString &callsDir, qint64 maxOutputBytes);

} // namespace Tasktrail::CommandShim
