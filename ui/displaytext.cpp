#include "displaytext.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace Tasktrail {

QString DisplayText::state(TaskState state)
{
    switch (state) {
    case TaskState::Queued:
        return tr("Queued");
    case TaskState::InProgress:
        return tr("In progress");
    case TaskState::Completed:
        return tr("Completed");
    case TaskState::Failed:
        return tr("Failed");
    case TaskState::Idle:
        return tr("Idle");
    case TaskState::WaitingForUser:
        return tr("Waiting for user");
    case TaskState::TimedOut:
        return tr("Timed out");
    case TaskState::Cancelled:
        return tr("Cancelled");
    case TaskState::Skipped:
        return tr("Skipped");
    case TaskState::Unknown:
        break;
    }
    return tr("Unknown");
}

QString DisplayText::identityKind(IdentityKind kind)
{
    switch (kind) {
    case IdentityKind::ClassicPat:
        return tr("classic PAT");
    case IdentityKind::FineGrainedPat:
        return tr("fine-grained PAT");
    case IdentityKind::OAuthAppToken:
        return tr("OAuth app token");
    case IdentityKind::GitHubAppUserToken:
        return tr("GitHub App user token");
    case IdentityKind::GitHubAppInstallationToken:
        return tr("GitHub App installation token");
    case IdentityKind::LocalUser:
        return tr("local user");
    case IdentityKind::Unknown:
        break;
    }
    return tr("unknown");
}

QString DisplayText::timestamp(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    // The reader's own clock: runs are compared with "this morning", not with UTC.
    return time.toLocalTime().toString(Qt::ISODate);
}

QString DisplayText::duration(qint64 ms)
{
    if (ms < 0)
        return {}; // clock skew between sources, not a duration worth showing
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    const qint64 seconds = ms / 1000;
    const auto twoDigits = [](qint64 value) { return u"%1"_s.arg(value, 2, 10, QLatin1Char('0')); };
    if (seconds < 60)
        return tr("%1s").arg(seconds);
    if (seconds < 3600)
        return tr("%1m %2s").arg(seconds / 60).arg(twoDigits(seconds % 60));
    if (seconds < 86400)
        return tr("%1h %2m").arg(seconds / 3600).arg(twoDigits(seconds % 3600 / 60));
    return tr("%1d %2h").arg(seconds / 86400).arg(twoDigits(seconds % 86400 / 3600));
}

QString DisplayText::pullRequest(std::optional<int> number, bool merged)
{
    if (!number)
        return {};
    return merged ? tr("#%1 (merged)").arg(*number) : tr("#%1").arg(*number);
}

} // namespace Tasktrail
