#pragma once

#include "auditevent.h"
#include "identity.h"
#include "pullrequest.h"
#include "records/finding.h"
#include "request.h"
#include "task.h"

#include <optional>

namespace Tasktrail {

// Everything known about one task, request -> identity -> policy -> commands -> PR.
// Parts a source never delivered stay empty; the chain is assembled at query time so the
// order in which files are ingested does not matter.
struct TaskChain
{
    TaskRecord task;
    std::optional<RequestRecord> request;
    std::optional<CampaignRecord> campaign; // without its decisions list
    std::optional<RepoDecision> decision;   // this repository's decision in the campaign
    std::optional<IdentityRecord> identity;
    std::optional<PolicyRecord> policy;
    std::optional<TemplateRecord> taskTemplate;
    struct Command
    {
        qint64 key = 0; // store key for fetching the command's log lines
        CommandRecord record;
        qint64 logLines = 0;
    };
    QList<Command> commands;
    std::optional<PullRequestRecord> pullRequest;
    QList<ReviewRecord> reviews;
    QList<CheckRunRecord> checkRuns;
    QList<CheckSuiteRecord> checkSuites;
    QList<TranscriptRecord> transcripts; // one per session that has one
    QList<TranscriptEntry> transcript;   // the conversation, by session and order
    // How many entries the conversation has, also when `transcript` was not read (a view
    // reads it a page at a time: TaskQueries::taskChainOutline).
    qint64 transcriptEntries = 0;
    // The conformance check of the run against its template and policy versions: its
    // findings, and when it ran (nullopt: never checked, so no findings says nothing).
    QList<Finding> findings;
    std::optional<QDateTime> checkedAt;
    // GitHub audit-log events correlated with the run, in time order.
    QList<AuditLink> auditEvents;
};

} // namespace Tasktrail
