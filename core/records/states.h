#pragma once

#include <QString>

namespace Tasktrail {

// Copilot agent-task states plus Tasktrail's own "skipped" (a repository that a campaign
// decided not to run).
enum class TaskState
{
    Unknown,
    Queued,
    InProgress,
    Completed,
    Failed,
    Idle,
    WaitingForUser,
    TimedOut,
    Cancelled,
    Skipped,
};

QString toString(TaskState state);
TaskState taskStateFromString(QStringView text); // Unknown for anything unrecognised
bool isTerminal(TaskState state);

enum class IdentityKind
{
    Unknown,
    ClassicPat,
    FineGrainedPat,
    OAuthAppToken,
    GitHubAppUserToken,
    GitHubAppInstallationToken,
    LocalUser,
};

QString toString(IdentityKind kind);
IdentityKind identityKindFromString(QStringView text);

enum class RepoVerdict
{
    Eligible,
    Skipped
};

QString toString(RepoVerdict verdict);
RepoVerdict repoVerdictFromString(QStringView text, bool *ok = nullptr);

} // namespace Tasktrail
