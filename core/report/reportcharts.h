#pragma once

#include "reportdata.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Tasktrail {

// A chart of a report as data: the HTML writer draws it as SVG (svgchart.h), the PDF writer
// with Qt Charts. Values are counts.
struct ReportChartSeries
{
    QString name;
    QString color;        // #rrggbb
    QList<double> values; // one per category
    bool line = false;    // drawn as a line over the bars
};

struct ReportChart
{
    QString id;
    QString title;
    QStringList categories;
    QList<ReportChartSeries> series;
    bool stacked = false;
    bool horizontal = false;
};

namespace ReportCharts {

// Outcomes over time, skip reasons, the review queue and task durations; charts without data
// are left out.
QList<ReportChart> charts(const ReportData &data);

} // namespace ReportCharts
} // namespace Tasktrail
