#include "overviewcharts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QHorizontalStackedBarSeries>
#include <QLineSeries>
#include <QPen>
#include <QStackedBarSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::OverviewCharts {

qint64 BarTable::total() const
{
    qint64 sum = 0;
    for (const QList<qint64> &row : values)
        for (const qint64 v : row)
            sum += v;
    return sum;
}

namespace {

QAbstractBarSeries *newSeries(Layout layout)
{
    switch (layout) {
    case Layout::SideBySide:
        return new QBarSeries;
    case Layout::Stacked:
        return new QStackedBarSeries;
    case Layout::HorizontalStacked:
        return new QHorizontalStackedBarSeries;
    }
    return new QBarSeries;
}

qint64 highestBar(const BarTable &table, Layout layout)
{
    qint64 highest = 0;
    for (qsizetype c = 0; c < table.categories.size(); ++c) {
        qint64 bar = 0;
        for (const QList<qint64> &row : table.values) {
            const qint64 v = c < row.size() ? row.at(c) : 0;
            bar = layout == Layout::SideBySide ? std::max(bar, v) : bar + v;
        }
        highest = std::max(highest, bar);
    }
    return highest;
}

} // namespace

QChart *barChart(const QString &title, const BarTable &table, Layout layout,
                 const BarClicked &clicked)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    QAbstractBarSeries *series = newSeries(layout);
    for (qsizetype k = 0; k < table.keys.size(); ++k) {
        auto *set = new QBarSet(table.keys.at(k));
        set->setObjectName(table.keys.at(k));
        if (k < table.colors.size() && table.colors.at(k).isValid())
            set->setColor(table.colors.at(k));
        const QList<qint64> &row = table.values.at(k);
        for (const qint64 v : row)
            set->append(double(v));
        QObject::connect(set, &QBarSet::clicked, set,
                         [clicked, k](int index) { clicked(int(k), index); });
        QObject::connect(
            set, &QBarSet::hovered, set, [set, categories = table.categories](bool on, int index) {
                if (!on) {
                    QToolTip::hideText();
                    return;
                }
                QToolTip::showText(QCursor::pos(),
                                   u"%1, %2: %L3"_s.arg(categories.value(index), set->label())
                                       .arg(qint64(set->at(index))));
            });
        series->append(set);
    }
    chart->addSeries(series);

    auto *categories = new QBarCategoryAxis;
    categories->append(table.categories);
    auto *counts = new QValueAxis;
    counts->setLabelFormat(u"%d"_s);
    counts->setRange(0, double(std::max<qint64>(1, highestBar(table, layout))));
    counts->applyNiceNumbers();
    const bool horizontal = layout == Layout::HorizontalStacked;
    chart->addAxis(categories, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    chart->addAxis(counts, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(counts);
    if (!horizontal && table.categories.size() > 14)
        categories->setLabelsAngle(-90);
    return chart;
}

void addLimitLine(QChart *chart, const QString &label, const QList<std::optional<int>> &limit)
{
    auto *line = new QLineSeries;
    line->setName(label);
    QPen pen(Qt::darkRed);
    pen.setStyle(Qt::DashLine);
    pen.setWidth(2);
    line->setPen(pen);
    double highest = 0;
    for (qsizetype i = 0; i < limit.size(); ++i) {
        if (limit.at(i)) {
            line->append(double(i), double(*limit.at(i)));
            highest = std::max(highest, double(*limit.at(i)));
        }
    }
    chart->addSeries(line);
    for (QAbstractAxis *axis : chart->axes()) {
        line->attachAxis(axis);
        if (auto *values = qobject_cast<QValueAxis *>(axis); values && values->max() < highest) {
            values->setMax(highest);
            values->applyNiceNumbers();
        }
    }
}

} // namespace Tasktrail::OverviewCharts
