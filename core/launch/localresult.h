#pragma once

#include "records/logline.h"
#include "records/task.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// Pieces of the local runner's result that need no process: turning captured output into
// redacted log lines, recognising test runs, reading git's diff output.
namespace Tasktrail::LocalResult {

// Splits output into lines (LF or CRLF), makes them valid UTF-8, keeps the ANSI original when
// there was one and redacts secrets in both. A truncated output ends with a note saying so.
QList<LogLine> logLines(const QByteArray &output, bool truncated);

// True when argv runs a test suite: npm/yarn/pnpm test, pytest, python -m pytest, go test,
// cargo test, make test/check, ctest.
bool isTestCommand(const QStringList &argv);

// The test results among the commands: one per test command, passed when it exited 0, failed
// when it exited otherwise, error when it was killed before it ended.
QList<TestResult> testResults(const QList<CommandRecord> &commands);

// Files changed from `git diff -z --numstat` and `git diff -z --name-status` of the same range.
QList<FileChange> fileChanges(const QString &taskId, const QByteArray &numstat,
                              const QByteArray &nameStatus);

// True when git push failed for a reason that may pass (network, a 5xx from the server).
bool isTransientPushFailure(const QByteArray &output);

} // namespace Tasktrail::LocalResult
