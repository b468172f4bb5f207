#pragma once

#include <QByteArrayView>
#include <QString>

namespace Tasktrail {

// What GitHub's runner writes into a job log: every line starts with its time
// ("2024-05-01T10:00:00.1234567Z "), steps open with "##[group]Run <command>", and a failed
// step ends with "##[error]Process completed with exit code N.". Told by the content of its
// first lines, never by a file name: the first line that is not blank (after a UTF-8 BOM)
// and at least three of the first five carry the runner's time prefix.
bool looksLikeActionsJobLog(QByteArrayView head);

// A step of a job log: its title as the command's name, without the "Run " of its group line.
// Empty when `text` (a log line without its time prefix) does not open a step.
QString actionsStepTitle(QByteArrayView text);

// The exit code a "##[error]Process completed with exit code N." line reports; -1 for any
// other line.
int actionsExitCode(QByteArrayView text);

} // namespace Tasktrail
