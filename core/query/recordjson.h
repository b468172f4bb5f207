#pragma once

#include "records/launchrecords.h"
#include "records/summaries.h"
#include "records/taskchain.h"
#include "records/templatespec.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Tasktrail::RecordJson {

// JSON views of query results, in the field names of the record format (snake_case), for
// `--format json` and exports. Absent values are left out rather than written as null.
QJsonObject chain(const TaskChain &chain);
QJsonObject campaign(const CampaignSummary &summary);
QJsonObject stats(const StoreStats &stats);
QJsonArray searchHits(const QList<SearchHit> &hits);
QJsonObject taskRow(const TaskRow &row);
// A launch-queue entry without its launch spec (the document `launch` read, not its state).
QJsonObject queueEntry(const QueueEntry &entry);
// A stored template or policy version; the text only when `withText`.
QJsonObject policyDocument(const PolicyDocument &doc, bool withText);

} // namespace Tasktrail::RecordJson
