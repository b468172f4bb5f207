#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace Tasktrail::OverviewCharts {

// Counts laid out for a bar chart: one bar set per key, one value per category (a day, or a
// campaign).
struct BarTable
{
    QStringList categories;      // axis labels
    QStringList keys;            // bar set labels
    QList<QColor> colors;        // per key; an invalid colour leaves the theme's
    QList<QList<qint64>> values; // [key][category]

    qint64 total() const;
};

enum class Layout
{
    SideBySide,
    Stacked,
    HorizontalStacked,
};

// Called with the key and category of a clicked bar.
using BarClicked = std::function<void(int key, int category)>;

// A bar chart of `table`, each bar's count in its tool tip; clicking a bar calls `clicked`.
QChart *barChart(const QString &title, const BarTable &table, Layout layout,
                 const BarClicked &clicked);

// A dashed line over a vertical bar chart's categories: a limit per category (a gap where it
// is unknown).
void addLimitLine(QChart *chart, const QString &label, const QList<std::optional<int>> &limit);

} // namespace Tasktrail::OverviewCharts
