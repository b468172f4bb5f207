#pragma once

#include "states.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace Tasktrail {

// What someone (or some system) asked for, before it fanned out into tasks.
struct RequestRecord
{
    QString id;
    QString text;
    QString requester;     // the human who asked
    QString triggerSystem; // portal, migration script, release workflow, ...
    QString correlationId; // the id the triggering system uses for it
    QDateTime createdAt;
};

// One repository's decision within a campaign: run it, or skip it and say why.
struct RepoDecision
{
    QString campaignId;
    QString repo; // owner/name
    RepoVerdict verdict = RepoVerdict::Eligible;
    QString rule;     // machine name of the rule that decided, e.g. "release_freeze"
    QString reason;   // what a person reads, e.g. "release freeze until 2026-12-01"
    QString evidence; // what the rule looked at
    QString taskId;   // the task started for an eligible repository, if any
    QDateTime decidedAt;
};

// A request fanned out over repositories from one template.
struct CampaignRecord
{
    QString id;
    QString requestId;
    QString title;
    QString templateId;
    QString templateVersion;
    QString policyId;
    QString policyVersion;
    QDateTime createdAt;
    QList<RepoDecision> decisions;
};

} // namespace Tasktrail
