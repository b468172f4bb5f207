#pragma once

#include "records/finding.h"
#include "records/overviewrows.h"
#include "records/summaries.h"
#include "report/reportdata.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QChartView;
QT_END_NAMESPACE
class QComboBox;
class QDateEdit;
class QLabel;

namespace Tasktrail {

class AsyncQuery;
class RecordStore;

// How agent work is going, at a glance: runs per day by state, pull requests opened, merged
// and awaiting review, reviewer load against the template's reviews_per_day, findings by
// severity and by rule, and the runs of each campaign. Each chart shows the days (or
// campaigns) with something to count, over a range of UTC days that defaults to the span of
// the data. Clicking a bar asks for the runs or findings it counts, as a filter that selects
// exactly those rows. Every read runs on the view's query thread.
class OverviewView final : public QWidget
{
    Q_OBJECT

public:
    // The charts, by object name of their QChartView.
    static constexpr const char *runsChart = "runsChart";
    static constexpr const char *pullRequestsChart = "pullRequestsChart";
    static constexpr const char *reviewLoadChart = "reviewLoadChart";
    static constexpr const char *severityChart = "findingsBySeverityChart";
    static constexpr const char *ruleChart = "findingsByRuleChart";
    static constexpr const char *campaignsChart = "campaignsChart";

    explicit OverviewView(QWidget *parent = nullptr);
    ~OverviewView() override;

    // The database read (its location, on the view's query thread); nullptr clears the view.
    void setStore(RecordStore *store);
    void reload();
    bool isLoading() const;

    // The days counted; an invalid range counts the span of the data.
    void setRange(const OverviewRange &range);
    const OverviewData &data() const { return m_data; }
    QString statusText() const;

Q_SIGNALS:
    void runsRequested(const Tasktrail::TaskFilter &filter);
    void findingsRequested(const Tasktrail::FindingFilter &filter);
    // The charts show the current range's counts.
    void loaded();

private:
    struct Result;
    QChartView *addChartView(const char *name);
    void show(Result result);
    void showRuns();
    void showPullRequests();
    void showTeams();
    void showReviewLoad();
    void showFindings();
    void showCampaigns();
    void clearCharts();

    AsyncQuery *m_queries = nullptr;
    OverviewRange m_range;
    OverviewData m_data;
    QDateEdit *m_first = nullptr;
    QDateEdit *m_last = nullptr;
    QLabel *m_status = nullptr;
    QComboBox *m_team = nullptr;
    QList<ReviewLoadDay> m_reviewLoad; // by team, then day
    QList<QChartView *> m_views;
};

} // namespace Tasktrail
