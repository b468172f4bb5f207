#pragma once

#include "records/summaries.h"
#include "records/taskchain.h"

#include <QString>

namespace Tasktrail::CliText {

// The human-readable forms of the CLI's answers.
QString chain(const TaskChain &chain);
// A task's conversation, one line per entry cut to `width` characters, or whole when 0.
QString transcript(const TaskChain &chain, int width);
QString campaign(const CampaignSummary &summary);
QString campaignList(const QStringList &ids);
QString stats(const StoreStats &stats);
QString searchHits(const QList<SearchHit> &hits);

} // namespace Tasktrail::CliText
