#include "reportcharts.h"

#include <QMap>

using namespace Qt::StringLiterals;

namespace Tasktrail::ReportCharts {
namespace {

ReportChart outcomes(const ReportAggregates &a)
{
    struct Group
    {
        QString name;
        QString color;
        QStringList states;
    };
    const QList<Group> groups{
        {u"completed"_s, u"#2e7d32"_s, {u"completed"_s}},
        {u"failed"_s, u"#c62828"_s, {u"failed"_s}},
        {u"timed out"_s, u"#ef6c00"_s, {u"timed_out"_s}},
        {u"cancelled"_s, u"#757575"_s, {u"cancelled"_s}},
        {u"other"_s, u"#1565c0"_s, {}},
    };
    ReportChart c{u"outcomes"_s, u"Outcomes over time"_s, {}, {}, true, false};
    QMap<QDate, QList<double>> days;
    for (const DayStateCount &d : a.outcomesByDay) {
        QList<double> &v = days[d.day];
        v.resize(groups.size());
        qsizetype g = groups.size() - 1;
        for (qsizetype i = 0; i + 1 < groups.size(); ++i) {
            if (groups[i].states.contains(d.state))
                g = i;
        }
        v[g] += double(d.count);
    }
    for (qsizetype i = 0; i < groups.size(); ++i)
        c.series << ReportChartSeries{groups[i].name, groups[i].color, {}, false};
    for (auto it = days.cbegin(); it != days.cend(); ++it) {
        c.categories << it.key().toString(Qt::ISODate);
        for (qsizetype i = 0; i < groups.size(); ++i)
            c.series[i].values << it.value()[i];
    }
    return c;
}

ReportChart skipReasons(const ReportAggregates &a)
{
    ReportChart c{u"skips"_s, u"Skip reasons"_s, {}, {}, false, true};
    ReportChartSeries s{u"repositories"_s, u"#6a1b9a"_s, {}, false};
    for (const SkipReasonCount &r : a.skipReasons) {
        c.categories << (r.rule.isEmpty() ? u"(no rule)"_s : r.rule);
        s.values << double(r.count);
    }
    c.series << s;
    return c;
}

ReportChart reviewQueue(const ReportAggregates &a)
{
    ReportChart c{u"queue"_s, u"Review queue"_s, {}, {}, false, false};
    ReportChartSeries opened{u"opened"_s, u"#1565c0"_s, {}, false};
    ReportChartSeries merged{u"merged"_s, u"#2e7d32"_s, {}, false};
    ReportChartSeries open{u"open at end of day"_s, u"#ef6c00"_s, {}, true};
    double queue = 0;
    for (const PullRequestDay &d : a.pullRequestsByDay) {
        c.categories << d.day.toString(Qt::ISODate);
        opened.values << double(d.opened);
        merged.values << double(d.merged);
        queue += double(d.opened - d.merged - d.closedUnmerged);
        open.values << queue;
    }
    c.series << opened << merged << open;
    return c;
}

ReportChart durations(const ReportAggregates &a)
{
    ReportChart c{u"durations"_s, u"Task durations"_s, {}, {}, false, false};
    ReportChartSeries s{u"tasks"_s, u"#00838f"_s, {}, false};
    for (const DurationBucket &b : a.durations) {
        c.categories << b.label;
        s.values << double(b.count);
    }
    c.series << s;
    return c;
}

bool hasData(const ReportChart &c)
{
    for (const ReportChartSeries &s : c.series) {
        for (const double v : s.values) {
            if (v != 0)
                return true;
        }
    }
    return false;
}

} // namespace

QList<ReportChart> charts(const ReportData &data)
{
    QList<ReportChart> out;
    for (ReportChart c : {outcomes(data.aggregates), skipReasons(data.aggregates),
                          reviewQueue(data.aggregates), durations(data.aggregates)}) {
        if (hasData(c))
            out << c;
    }
    return out;
}

} // namespace Tasktrail::ReportCharts
