#pragma once

#include "records/states.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

class QDateTime;

namespace Tasktrail {

// How record values read to a person. The runs table and the chain panel share these so a
// state, a time or a PR looks the same wherever it appears.
class DisplayText final
{
    Q_DECLARE_TR_FUNCTIONS(DisplayText)

public:
    DisplayText() = delete;

    static QString state(TaskState state);
    static QString identityKind(IdentityKind kind);
    // ISO 8601 in local time; empty for an invalid time.
    static QString timestamp(const QDateTime &time);
    // "850 ms", "42s", "3m 05s", "2h 07m", "3d 04h"; empty for a negative duration.
    static QString duration(qint64 ms);
    // "#12", "#12 (merged)"; empty without a number.
    static QString pullRequest(std::optional<int> number, bool merged);
};

} // namespace Tasktrail
