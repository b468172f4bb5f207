#include "states.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr std::array taskStateNames{
    std::pair{TaskState::Unknown, u"unknown"},
    std::pair{TaskState::Queued, u"queued"},
    std::pair{TaskState::InProgress, u"in_progress"},
    std::pair{TaskState::Completed, u"completed"},
    std::pair{TaskState::Failed, u"failed"},
    std::pair{TaskState::Idle, u"idle"},
    std::pair{TaskState::WaitingForUser, u"waiting_for_user"},
    std::pair{TaskState::TimedOut, u"timed_out"},
    std::pair{TaskState::Cancelled, u"cancelled"},
    std::pair{TaskState::Skipped, u"skipped"},
};

constexpr std::array identityKindNames{
    std::pair{IdentityKind::Unknown, u"unknown"},
    std::pair{IdentityKind::ClassicPat, u"classic_pat"},
    std::pair{IdentityKind::FineGrainedPat, u"fine_grained_pat"},
    std::pair{IdentityKind::OAuthAppToken, u"oauth_app_token"},
    std::pair{IdentityKind::GitHubAppUserToken, u"github_app_user_token"},
    std::pair{IdentityKind::GitHubAppInstallationToken, u"github_app_installation_token"},
    std::pair{IdentityKind::LocalUser, u"local_user"},
};

template<typename Enum, typename Table> QString nameOf(const Table &table, Enum value)
{
    for (const auto &[e, name] : table) {
        if (e == value)
            return QString::fromUtf16(name);
    }
    return u"unknown"_s;
}

template<typename Enum, typename Table>
Enum valueOf(const Table &table, QStringView text, Enum fallback)
{
    for (const auto &[e, name] : table) {
        if (text.compare(QStringView(name), Qt::CaseInsensitive) == 0)
            return e;
    }
    return fallback;
}

} // namespace

QString toString(TaskState state)
{
    return nameOf(taskStateNames, state);
}

TaskState taskStateFromString(QStringView text)
{
    // GitHub spells a few states differently in different payloads.
    if (text.compare(u"canceled", Qt::CaseInsensitive) == 0)
        return TaskState::Cancelled;
    if (text.compare(u"running", Qt::CaseInsensitive) == 0)
        return TaskState::InProgress;
    return valueOf(taskStateNames, text, TaskState::Unknown);
}

bool isTerminal(TaskState state)
{
    switch (state) {
    case TaskState::Completed:
    case TaskState::Failed:
    case TaskState::TimedOut:
    case TaskState::Cancelled:
    case TaskState::Skipped:
        return true;
    default:
        return false;
    }
}

QString toString(IdentityKind kind)
{
    return nameOf(identityKindNames, kind);
}

IdentityKind identityKindFromString(QStringView text)
{
    return valueOf(identityKindNames, text, IdentityKind::Unknown);
}

QString toString(RepoVerdict verdict)
{
    return verdict == RepoVerdict::Eligible ? u"eligible"_s : u"skipped"_s;
}

RepoVerdict repoVerdictFromString(QStringView text, bool *ok)
{
    const bool eligible = text.compare(u"eligible", Qt::CaseInsensitive) == 0;
    const bool skipped = text.compare(u"skipped", Qt::CaseInsensitive) == 0;
    if (ok)
        *ok = eligible || skipped;
    return eligible ? RepoVerdict::Eligible : RepoVerdict::Skipped;
}

} // namespace Tasktrail
