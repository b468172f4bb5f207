#pragma once

#include "agentbackend.h"

#include <QJsonObject>

namespace Tasktrail {

// What a queue entry keeps of its run: the LaunchSpec the backend gets, and the records the
// run belongs to, so the result is written with the same request, identity and policy as the
// launch recorded.
struct QueuedLaunch
{
    LaunchSpec spec;
    QString requestId;
    QString policyId;
    QString policyVersion;
    int maxRetries = -1; // the template's; -1: the queue's default
};

QJsonObject toJson(const QueuedLaunch &launch);
QueuedLaunch queuedLaunchFromJson(const QJsonObject &json);

} // namespace Tasktrail
