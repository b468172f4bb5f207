#pragma once

// Private to the Copilot backend's sources.

#include "copilotbackend.h"
#include "github/copilotpaths.h"

#include <QDateTime>
#include <QDeadlineTimer>

namespace Tasktrail {

// One task being run: what was asked, with which token, and what GitHub last said about it.
// Requests and timers use it as their context, so deleting it stops them.
class CopilotBackend::Run final : public QObject
{
public:
    using QObject::QObject;

    LaunchSpec spec;
    QByteArray token;
    CopilotPaths paths;
    QDeadlineTimer deadline;
    qint64 budgetMs = 0;
    QDateTime startedAt;
    QString remoteId;
    QJsonObject task;
    TaskState state = TaskState::Unknown;
    int pollFailures = 0;
    bool done = false;     // finished() is on its way; late answers are dropped
    bool posting = false;  // the POST went out and its answer has not come
    bool reported = false; // createReported() was sent for this start
    QString lookup;        // what looking before the POST found
};

} // namespace Tasktrail
