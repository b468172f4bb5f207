#pragma once

#include <QString>

#include <optional>

namespace Tasktrail {

// The REST paths the Copilot backend calls for one repository, relative to the API's base URL,
// with the owner and name percent-encoded.
struct CopilotPaths
{
    QString owner;
    QString name;

    // From "owner/name"; nullopt and *error for anything else.
    static std::optional<CopilotPaths> forRepo(const QString &fullName, QString *error);

    QString tasks() const;
    QString task(const QString &taskId) const;
    QString pull(qint64 number) const;
    // The repository's pull requests, open or closed, whose head is owner:headRef.
    QString pullsWithHead(const QString &headRef) const;
    QString reviews(int number) const;
    QString checkRuns(const QString &sha) const;
};

} // namespace Tasktrail
