#pragma once

#include "records/summaries.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace Tasktrail {

// What a report covers: any filter of the runs view (a campaign and a time range are
// filters too), and how it is dressed.
struct ReportQuery
{
    TaskFilter filter;
    QString title; // empty: one is made from the filter
    // Each task's chain (request -> identity -> policy -> commands -> PR) and findings after
    // the tables, in the formats that have room for it (all but CSV).
    bool appendix = true;
    // Shown only when set, so the same database and query give the same bytes.
    QDateTime generatedAt;

    static ReportQuery forCampaign(const QString &campaignId);
    // [since, until): the tasks started (or created) in the range.
    static ReportQuery forRange(const QDateTime &since, const QDateTime &until);

    QString effectiveTitle() const;
};

// The --filter language of `tasktrail-cli report` (docs/reports.md): space-separated
// key=value terms, all of which must hold. Keys: text, state, repo, kind (identity kind),
// policy, campaign, from/since, to/until. A value with spaces is written in double quotes,
// with \" and \\ inside. Dates are ISO 8601: a date alone means midnight UTC, and as the end
// of a range (to/until) the whole day is included.
//   state=failed repo=acme/web policy=deps-fanout text="bump lodash" from=2026-06-01
// Returns nullopt with *error naming the bad term.
std::optional<TaskFilter> parseFilterExpression(const QString &expression, QString *error);

// A date or date-time as the filter language reads it; `endOfRange` makes a date alone the
// next midnight. Invalid for anything else.
QDateTime parseFilterDate(const QString &text, bool endOfRange);

// The filter as an expression parseFilterExpression() reads back to the same filter; empty
// for the filter that selects everything.
QString filterExpression(const TaskFilter &filter);

} // namespace Tasktrail
