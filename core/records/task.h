#pragma once

#include "states.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Tasktrail {

// One attempt (GitHub: session) of an agent at a task.
struct SessionRecord
{
    QString id;
    QString taskId;
    int attempt = 0;
    TaskState state = TaskState::Unknown;
    QString model;
    QString error;
    QDateTime startedAt;
    QDateTime completedAt;
};

// What the agent said during a session (its messages and progress reports), kept as one text
// so that global search finds it.
struct TranscriptRecord
{
    QString sessionId;
    QString taskId;
    QString text;
};

// One entry of a session's conversation, in order: what the user and the agent said, each
// tool call and its result. A tool result names the call it answers (callId); a shell tool
// call and its result name the command it became (commandSeq, 0 for none).
struct TranscriptEntry
{
    QString sessionId;
    QString taskId;
    int seq = 0;  // order within the session, from 1
    QString role; // user, assistant, tool_call, tool_result, system
    QString tool;
    QString callId;
    QDateTime at; // invalid when the transcript does not say
    QString text;
    int commandSeq = 0;
    bool sidechain = false; // a sub-agent's conversation inside the task
    bool isError = false;   // a tool result the tool reported as an error
};

struct CommandRecord
{
    QString taskId;
    int seq = 0; // order within the task, from 1
    QStringList argv;
    QString cwd;
    std::optional<int> exitCode;
    QDateTime startedAt;
    QDateTime endedAt;
};

struct TestResult
{
    QString taskId;
    QString name;
    QString outcome; // passed, failed, skipped, error
    int commandSeq = 0;
    std::optional<qint64> durationMs;
};

struct FileChange
{
    QString taskId;
    QString path;
    QString change; // added, modified, deleted, renamed
    int additions = 0;
    int deletions = 0;
};

// An external host or tool the task contacted.
struct ExternalContact
{
    QString taskId;
    QString host;
    QString tool;
    QString purpose;
    QDateTime at;
};

struct FailureRecord
{
    QString taskId;
    int seq = 0;
    QString kind; // test_failure, timeout, tool_error, ...
    QString message;
    bool retried = false;
    QDateTime at;
};

struct TaskRecord
{
    QString id;
    QString repo; // owner/name
    QString campaignId;
    QString requestId;
    QString identityId;
    QString policyId;
    QString policyVersion;
    QString templateId;
    QString templateVersion;
    TaskState state = TaskState::Unknown;
    QString stateReason;
    QString prompt;
    QString baseRef;
    QString headRef;
    QString headSha;
    QString source; // which importer produced it: tasktrail, github
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime completedAt;
    std::optional<double> confidence; // 0..1, the agent's or reviewer's final confidence
    QStringList knownGaps;
    std::optional<int> prNumber;
    // GitHub agent tasks name their PR by an artifact id that may be the PR's database id;
    // linkPullRequests() resolves it against ingested pull requests.
    std::optional<qint64> prArtifactId;
    std::optional<int> retries;
    QJsonObject usage; // premium requests, tokens, cost: whatever the source recorded

    QList<SessionRecord> sessions;
    QList<CommandRecord> commands;
    QList<TestResult> tests;
    QList<FileChange> filesChanged;
    QList<ExternalContact> contacts;
    QList<FailureRecord> failures;
};

} // namespace Tasktrail
