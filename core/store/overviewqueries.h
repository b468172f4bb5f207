#pragma once

#include "store/storeconnection.h"

#include "records/overviewrows.h"

#include <optional>

namespace Tasktrail {

// The Overview tab: how agent work is going, counted in SQL (records/overviewrows.h). Each
// count is the number of rows a TaskFilter or FindingFilter selects (the filters the overview
// opens), on every backend alike.
class OverviewQueries : public virtual StoreConnection
{
public:
    // Counts over `range` (UTC days); nullopt on a database error. Without a valid range, the
    // days from the first to the last run start, pull request opened or merged on file (an
    // empty database gives invalid days and no counts).
    virtual std::optional<OverviewData> overview(const OverviewRange &range) = 0;
};

} // namespace Tasktrail
