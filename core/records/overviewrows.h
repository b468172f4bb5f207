#pragma once

#include "records/reportrows.h"

#include <QDate>
#include <QList>
#include <QString>

namespace Tasktrail {

// What the Overview tab's charts count, aggregated in SQL over a range of UTC days. Every
// count is of runs (tasks) or of findings, so the runs or findings filter a chart element
// opens lists exactly that many rows.

// The days counted, both inclusive; invalid days ask for the span of the data.
struct OverviewRange
{
    QDate first;
    QDate last;
};

// `count` rows of one `key` (a state, a severity, a rule ...) on one day.
struct OverviewCount
{
    QDate day;
    QString key;
    qint64 count = 0;

    friend bool operator==(const OverviewCount &, const OverviewCount &) = default;
};

// Runs of a campaign in one state.
struct CampaignStateCount
{
    QString campaignId;
    QString title;
    QString state;
    qint64 count = 0;

    friend bool operator==(const CampaignStateCount &, const CampaignStateCount &) = default;
};

struct OverviewData
{
    QDate first; // the days counted: the range asked for, or the span of the data
    QDate last;
    // Runs by the day they started (or were created) and state.
    QList<OverviewCount> runs;
    // Runs whose pull request was opened ("opened"), merged ("merged") on the day, or was
    // opened on the day and waits for its first review ("awaiting_review").
    QList<OverviewCount> pullRequests;
    // Runs whose pull request requested a team's review, by team, the day it was opened and
    // the template whose reviews_per_day budget it counts against (ReviewLoadEntry's
    // pullRequests counts those runs).
    QList<ReviewLoadEntry> reviewLoad;
    // Findings by the day of their run and severity name (records/finding.h toString()).
    QList<OverviewCount> findingsBySeverity;
    QList<OverviewCount> findingsByRule;
    // Runs of each campaign in the range, by state.
    QList<CampaignStateCount> campaigns;
};

} // namespace Tasktrail
