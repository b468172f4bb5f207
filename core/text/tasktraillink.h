#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace Tasktrail {

// A place in a database that a tasktrail:// link names, so a pull-request comment or a ticket
// can point at the evidence:
//   tasktrail://task/ID       a task (its row in the runs table and its chain)
//   tasktrail://campaign/ID   a campaign
//   tasktrail://finding/ID    a stored finding (its row id, a positive number)
// The ID is percent-encoded (RFC 3986): every byte outside the unreserved characters is
// written %XX, so an id with '/', '?', '#' or a space survives the trip.
struct TasktrailLink
{
    enum class Kind
    {
        Task,
        Campaign,
        Finding,
    };
    Kind kind = Kind::Task;
    QString id; // decoded

    friend bool operator==(const TasktrailLink &, const TasktrailLink &) = default;
};

// The URL scheme, without "://".
inline constexpr QStringView tasktrailScheme = u"tasktrail";

// The link's URL, e.g. "tasktrail://task/68ac2be2".
QString toUrl(const TasktrailLink &link);
inline QString taskLinkUrl(const QString &taskId)
{
    return toUrl({TasktrailLink::Kind::Task, taskId});
}
inline QString campaignLinkUrl(const QString &campaignId)
{
    return toUrl({TasktrailLink::Kind::Campaign, campaignId});
}
inline QString findingLinkUrl(qint64 findingId)
{
    return toUrl({TasktrailLink::Kind::Finding, QString::number(findingId)});
}

// Parses a tasktrail:// URL. Anything else (another scheme, an unknown kind, an empty or
// malformed id, a query, a fragment, a bad percent escape, a NUL) is refused
// with a sentence saying why in `error`.
std::optional<TasktrailLink> parseTasktrailLink(QStringView url, QString *error = nullptr);

// True when `text` starts like a tasktrail:// URL (so a command line can tell it from a file).
bool looksLikeTasktrailLink(QStringView text);

} // namespace Tasktrail
