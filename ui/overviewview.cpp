#include "overviewview.h"

#include "asyncquery.h"
#include "overviewcharts.h"
#include "report/reportrunner.h"
#include "store/recordstore.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateEdit>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QSignalBlocker>
#include <QTimeZone>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

using namespace Qt::StringLiterals;

namespace Tasktrail {
using namespace OverviewCharts;

namespace {

constexpr int overviewSlot = 0;

// How a chart groups days: one bar per day over a short range, per week (from the range's
// first day on) over a long one, where a bar a day would be too thin to see or click.
struct Buckets
{
    QDate first;
    QDate last;
    int days = 1;

    static constexpr int longestDaily = 45;
    static Buckets over(QDate first, QDate last)
    {
        return {first, last, first.daysTo(last) < longestDaily ? 1 : 7};
    }
    QDate startOf(QDate day) const { return first.addDays(first.daysTo(day) / days * days); }
    QDate endOf(QDate start) const { return std::min(start.addDays(days), last.addDays(1)); }
};

// A chart's counts by bucket: the buckets that have any (in order, each from days[i] to
// ends[i], exclusive) and the keys in `order`, then any other key in sorted order.
struct DayTable
{
    QList<QDate> days;
    QList<QDate> ends;
    QStringList keys;
    BarTable bars;
};

DayTable dayTable(const QList<OverviewCount> &counts, const QStringList &order,
                  const Buckets &buckets)
{
    DayTable t;
    QSet<QDate> days;
    QStringList others;
    for (const OverviewCount &c : counts) {
        days.insert(buckets.startOf(c.day));
        if (!order.contains(c.key) && !others.contains(c.key))
            others << c.key;
    }
    t.days = days.values();
    std::sort(t.days.begin(), t.days.end());
    std::sort(others.begin(), others.end());
    for (const QString &key : order) {
        const bool present = std::any_of(counts.cbegin(), counts.cend(),
                                         [&key](const OverviewCount &c) { return c.key == key; });
        if (present)
            t.keys << key;
    }
    t.keys << others;
    for (const QDate &day : std::as_const(t.days)) {
        t.ends << buckets.endOf(day);
        t.bars.categories << day.toString(u"MM-dd"_s);
    }
    t.bars.keys = t.keys;
    t.bars.values.fill(QList<qint64>(t.days.size(), 0), t.keys.size());
    for (const OverviewCount &c : counts)
        t.bars.values[t.keys.indexOf(c.key)][t.days.indexOf(buckets.startOf(c.day))] += c.count;
    return t;
}

QString periodName(const OverviewData &data)
{
    return Buckets::over(data.first, data.last).days == 1 ? QObject::tr("day")
                                                          : QObject::tr("week");
}

QDateTime startOf(QDate day)
{
    return QDateTime(day, QTime(0, 0), QTimeZone::utc());
}

QColor stateColor(const QString &state)
{
    static const std::map<QString, QColor> colors{
        {u"completed"_s, QColor(0x2e, 0x7d, 0x32)}, {u"failed"_s, QColor(0xc6, 0x28, 0x28)},
        {u"timed_out"_s, QColor(0xef, 0x6c, 0x00)}, {u"in_progress"_s, QColor(0x15, 0x65, 0xc0)},
        {u"queued"_s, QColor(0x6a, 0x1b, 0x9a)},    {u"cancelled"_s, QColor(0x75, 0x75, 0x75)},
        {u"skipped"_s, QColor(0xbd, 0xbd, 0xbd)},
    };
    const auto it = colors.find(state);
    return it == colors.end() ? QColor() : it->second;
}

QColor severityColor(const QString &severity)
{
    static const std::map<QString, QColor> colors{
        {u"info"_s, QColor(0x90, 0xa4, 0xae)},     {u"low"_s, QColor(0xfb, 0xc0, 0x2d)},
        {u"medium"_s, QColor(0xf5, 0x7c, 0x00)},   {u"high"_s, QColor(0xd3, 0x2f, 0x2f)},
        {u"critical"_s, QColor(0x6a, 0x00, 0x00)},
    };
    const auto it = colors.find(severity);
    return it == colors.end() ? QColor() : it->second;
}

} // namespace

// What the query thread hands over: the counts, the reviewer load against its capacity, or
// why there are none.
struct OverviewView::Result
{
    std::optional<OverviewData> data;
    QList<ReviewLoadDay> reviewLoad;
    QString error;
};

OverviewView::OverviewView(QWidget *parent)
    : QWidget(parent)
    , m_queries(new AsyncQuery(this))
{
    m_first = new QDateEdit(this);
    m_first->setObjectName(u"overviewFirstDay"_s);
    m_last = new QDateEdit(this);
    m_last->setObjectName(u"overviewLastDay"_s);
    for (QDateEdit *edit : {m_first, m_last}) {
        edit->setDisplayFormat(u"yyyy-MM-dd"_s);
        edit->setCalendarPopup(true);
        connect(edit, &QDateEdit::dateChanged, this, [this] {
            setRange({m_first->date(), m_last->date()});
        });
    }
    auto *whole = new QPushButton(tr("&Whole span"), this);
    whole->setObjectName(u"overviewWholeSpan"_s);
    whole->setToolTip(tr("Count every day from the first run to the last"));
    connect(whole, &QPushButton::clicked, this, [this] { setRange({}); });
    m_status = new QLabel(this);
    m_team = new QComboBox(this);
    m_team->setObjectName(u"reviewTeam"_s);
    m_team->setToolTip(tr("The reviewer team whose load is drawn"));
    connect(m_team, &QComboBox::currentIndexChanged, this, [this] { showReviewLoad(); });

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(new QLabel(tr("Days (UTC) from"), this));
    bar->addWidget(m_first);
    bar->addWidget(new QLabel(tr("to"), this));
    bar->addWidget(m_last);
    bar->addWidget(whole);
    bar->addWidget(new QLabel(tr("Reviewer team"), this));
    bar->addWidget(m_team);
    bar->addWidget(m_status, 1);

    auto *charts = new QWidget(this);
    auto *grid = new QGridLayout(charts);
    for (const char *name : {runsChart, pullRequestsChart, reviewLoadChart, severityChart,
                             ruleChart, campaignsChart}) {
        QChartView *view = addChartView(name);
        const int i = int(m_views.size()) - 1;
        grid->addWidget(view, i / 2, i % 2);
    }
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(charts);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(scroll, 1);
    setStore(nullptr);
}

OverviewView::~OverviewView() = default;

QChartView *OverviewView::addChartView(const char *name)
{
    auto *view = new QChartView(this);
    view->setObjectName(QLatin1StringView(name));
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(420, 280);
    m_views << view;
    return view;
}

void OverviewView::setStore(RecordStore *store)
{
    m_queries->setDatabase(store ? store->location() : QString());
    reload();
}

bool OverviewView::isLoading() const
{
    return m_queries->isPending(overviewSlot);
}

void OverviewView::setRange(const OverviewRange &range)
{
    m_range = range;
    reload();
}

QString OverviewView::statusText() const
{
    return m_status->text();
}

void OverviewView::reload()
{
    if (m_queries->database().isEmpty()) {
        m_queries->cancel(overviewSlot);
        m_data = {};
        clearCharts();
        m_status->setText(tr("No database is open."));
        Q_EMIT loaded();
        return;
    }
    m_status->setText(tr("Counting\u2026"));
    m_queries->run(
        overviewSlot, this,
        [range = m_range](RecordStore &store) {
            Result r;
            r.data = store.overview(range);
            if (!r.data)
                r.error = store.errorString();
            else
                r.reviewLoad = reviewLoadDays(store, r.data->reviewLoad);
            return r;
        },
        [this](Result result) { show(std::move(result)); });
}

void OverviewView::show(Result result)
{
    if (!result.data) {
        m_data = {};
        clearCharts();
        m_status->setText(tr("Cannot count: %1").arg(result.error));
        Q_EMIT loaded();
        return;
    }
    m_data = std::move(*result.data);
    {
        const QSignalBlocker first(m_first);
        const QSignalBlocker last(m_last);
        m_first->setDate(m_data.first);
        m_last->setDate(m_data.last);
    }
    qint64 runs = 0;
    for (const OverviewCount &c : std::as_const(m_data.runs))
        runs += c.count;
    m_status->setText(!m_data.first.isValid() ? tr("Nothing recorded yet.")
                                              : tr("%L1 runs from %2 to %3.")
                                                    .arg(runs)
                                                    .arg(m_data.first.toString(Qt::ISODate),
                                                         m_data.last.toString(Qt::ISODate)));
    showRuns();
    showPullRequests();
    m_reviewLoad = std::move(result.reviewLoad);
    showTeams();
    showFindings();
    showCampaigns();
    Q_EMIT loaded();
}

void OverviewView::clearCharts()
{
    m_reviewLoad.clear();
    {
        const QSignalBlocker blocker(m_team);
        m_team->clear();
    }
    for (QChartView *view : std::as_const(m_views)) {
        QChart *old = view->chart();
        view->setChart(new QChart);
        delete old;
    }
}

namespace {

void replaceChart(QChartView *view, QChart *chart)
{
    QChart *old = view->chart();
    view->setChart(chart);
    delete old;
}

} // namespace

void OverviewView::showRuns()
{
    const DayTable t = dayTable(m_data.runs,
                                {u"completed"_s, u"failed"_s, u"timed_out"_s, u"cancelled"_s,
                                 u"in_progress"_s, u"queued"_s},
                                Buckets::over(m_data.first, m_data.last));
    BarTable bars = t.bars;
    for (const QString &key : t.keys)
        bars.colors << stateColor(key);
    replaceChart(m_views.at(0), barChart(tr("Runs per %1 by state").arg(periodName(m_data)), bars,
                                         Layout::Stacked, [this, t](int key, int day) {
                                             TaskFilter f;
                                             f.state = t.keys.at(key);
                                             f.from = startOf(t.days.at(day));
                                             f.to = startOf(t.ends.at(day));
                                             Q_EMIT runsRequested(f);
                                         }));
}

void OverviewView::showPullRequests()
{
    const QStringList kinds{u"opened"_s, u"merged"_s, u"awaiting_review"_s};
    const DayTable t =
        dayTable(m_data.pullRequests, kinds, Buckets::over(m_data.first, m_data.last));
    BarTable bars = t.bars;
    for (QString &key : bars.keys)
        key = key == kinds.at(0)   ? tr("opened")
              : key == kinds.at(1) ? tr("merged")
                                   : tr("awaiting review");
    bars.colors = {QColor(0x15, 0x65, 0xc0), QColor(0x2e, 0x7d, 0x32), QColor(0xef, 0x6c, 0x00)};
    replaceChart(m_views.at(1),
                 barChart(tr("Pull requests of runs, per %1").arg(periodName(m_data)), bars,
                          Layout::SideBySide, [this, t](int key, int day) {
                              TaskFilter f;
                              f.pullRequest = t.keys.at(key);
                              f.pullRequestFrom = startOf(t.days.at(day));
                              f.pullRequestTo = startOf(t.ends.at(day));
                              Q_EMIT runsRequested(f);
                          }));
}

void OverviewView::showTeams()
{
    // The team shown stays when it is still there; else the busiest.
    const QString shown = m_team->currentText();
    QMap<QString, qint64> load;
    for (const ReviewLoadDay &d : std::as_const(m_reviewLoad))
        load[d.team] += d.pullRequests;
    QString busiest;
    for (auto it = load.cbegin(); it != load.cend(); ++it)
        if (busiest.isEmpty() || it.value() > load.value(busiest))
            busiest = it.key();
    {
        const QSignalBlocker blocker(m_team);
        m_team->clear();
        m_team->addItems(load.keys());
        m_team->setCurrentText(load.contains(shown) ? shown : busiest);
    }
    showReviewLoad();
}

void OverviewView::showReviewLoad()
{
    // One team at a time: its pull requests on each day it had any, against its capacity.
    const QString team = m_team->currentText();
    QList<OverviewCount> counts;
    for (const ReviewLoadDay &d : std::as_const(m_reviewLoad))
        if (d.team == team)
            counts << OverviewCount{d.day, tr("pull requests"), d.pullRequests};
    // Days stay days here: a budget is per day.
    const DayTable t = dayTable(counts, {}, Buckets{m_data.first, m_data.last, 1});
    QList<std::optional<int>> capacity(t.days.size());
    for (const ReviewLoadDay &d : std::as_const(m_reviewLoad))
        if (d.team == team)
            capacity[t.days.indexOf(d.day)] = d.capacity;
    QChart *chart = barChart(tr("Reviewer load of %1 per day").arg(team), t.bars, Layout::Stacked,
                             [this, t, team](int, int day) {
                                 TaskFilter f;
                                 f.pullRequest = u"opened"_s;
                                 f.reviewTeam = team;
                                 f.pullRequestFrom = startOf(t.days.at(day));
                                 f.pullRequestTo = startOf(t.ends.at(day));
                                 Q_EMIT runsRequested(f);
                             });
    if (std::any_of(capacity.cbegin(), capacity.cend(), [](const auto &c) { return bool(c); }))
        addLimitLine(chart, tr("capacity (reviews_per_day)"), capacity);
    replaceChart(m_views.at(2), chart);
}

void OverviewView::showFindings()
{
    const Buckets buckets = Buckets::over(m_data.first, m_data.last);
    const DayTable severities =
        dayTable(m_data.findingsBySeverity,
                 {u"critical"_s, u"high"_s, u"medium"_s, u"low"_s, u"info"_s}, buckets);
    BarTable bars = severities.bars;
    for (const QString &key : severities.keys)
        bars.colors << severityColor(key);
    replaceChart(m_views.at(3),
                 barChart(tr("Findings by severity, by %1 of their run").arg(periodName(m_data)),
                          bars, Layout::Stacked, [this, severities](int key, int day) {
                              FindingFilter f;
                              f.severity = severityFromString(severities.keys.at(key));
                              f.from = startOf(severities.days.at(day));
                              f.until = startOf(severities.ends.at(day));
                              Q_EMIT findingsRequested(f);
                          }));
    const DayTable rules = dayTable(m_data.findingsByRule, {}, buckets);
    replaceChart(m_views.at(4),
                 barChart(tr("Findings by rule, by %1 of their run").arg(periodName(m_data)),
                          rules.bars, Layout::Stacked, [this, rules](int key, int day) {
                              FindingFilter f;
                              f.rule = rules.keys.at(key);
                              f.from = startOf(rules.days.at(day));
                              f.until = startOf(rules.ends.at(day));
                              Q_EMIT findingsRequested(f);
                          }));
}

void OverviewView::showCampaigns()
{
    // Campaigns with runs not finished yet (in flight) first, then the rest by id.
    QStringList ids;
    QHash<QString, QString> titles;
    QSet<QString> inFlight;
    QList<OverviewCount> counts; // the day is unused: one category per campaign
    for (const CampaignStateCount &c : std::as_const(m_data.campaigns)) {
        if (!ids.contains(c.campaignId))
            ids << c.campaignId;
        titles.insert(c.campaignId, c.title.isEmpty() ? c.campaignId : c.title);
        if (!isTerminal(taskStateFromString(c.state)))
            inFlight.insert(c.campaignId);
    }
    std::stable_partition(ids.begin(), ids.end(),
                          [&inFlight](const QString &id) { return inFlight.contains(id); });
    QStringList states;
    for (const CampaignStateCount &c : std::as_const(m_data.campaigns))
        if (!states.contains(c.state))
            states << c.state;
    std::sort(states.begin(), states.end());
    BarTable bars;
    for (const QString &id : std::as_const(ids))
        bars.categories << (inFlight.contains(id) ? tr("%1 (in flight)").arg(titles.value(id))
                                                  : titles.value(id));
    bars.keys = states;
    bars.values.fill(QList<qint64>(ids.size(), 0), states.size());
    for (const CampaignStateCount &c : std::as_const(m_data.campaigns))
        bars.values[states.indexOf(c.state)][ids.indexOf(c.campaignId)] += c.count;
    for (const QString &state : std::as_const(states))
        bars.colors << stateColor(state);
    replaceChart(m_views.at(5),
                 barChart(tr("Campaigns: their runs by state"), bars, Layout::HorizontalStacked,
                          [this, ids, states](int key, int campaign) {
                              TaskFilter f;
                              f.campaignId = ids.at(campaign);
                              f.state = states.at(key);
                              f.from = startOf(m_data.first);
                              f.to = startOf(m_data.last.addDays(1));
                              Q_EMIT runsRequested(f);
                          }));
}

} // namespace Tasktrail
