#include "pdfcharts.h"

#include "report/reportcharts.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QPainter>
#include <QStackedBarSeries>
#include <QThread>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace Tasktrail {

void drawPdfChart(QPainter &painter, const QRectF &target, const ReportChart &c)
{
    QGraphicsScene scene; // owns the chart and everything in it
    auto *chart = new QChart;
    scene.addItem(chart);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(c.title);

    QAbstractBarSeries *bars = nullptr;
    if (c.horizontal)
        bars = new QHorizontalBarSeries;
    else if (c.stacked)
        bars = new QStackedBarSeries;
    else
        bars = new QBarSeries;
    for (const ReportChartSeries &s : c.series) {
        if (s.line)
            continue;
        auto *set = new QBarSet(s.name);
        set->setColor(QColor(s.color));
        set->setBorderColor(QColor(s.color));
        for (const double v : s.values)
            set->append(v);
        bars->append(set);
    }
    chart->addSeries(bars);
    auto *categories = new QBarCategoryAxis;
    categories->append(c.categories);
    // Many days do not fit as labels: the axis names the range instead.
    if (c.categories.size() > 16) {
        categories->setLabelsVisible(false);
        categories->setTitleText(c.categories.constFirst() % u" – "_s % c.categories.constLast());
    }
    auto *values = new QValueAxis;
    values->setLabelFormat(u"%.0f"_s);
    chart->addAxis(categories, c.horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    chart->addAxis(values, c.horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    bars->attachAxis(categories);
    bars->attachAxis(values);
    double max = 0;
    for (const ReportChartSeries &s : c.series) {
        if (!s.line)
            continue;
        auto *line = new QLineSeries;
        line->setName(s.name);
        line->setColor(QColor(s.color));
        for (qsizetype i = 0; i < s.values.size(); ++i) {
            line->append(double(i), s.values[i]);
            max = qMax(max, s.values[i]);
        }
        chart->addSeries(line);
        line->attachAxis(categories);
        line->attachAxis(values);
    }
    if (max > values->max())
        values->setMax(max);
    values->applyNiceNumbers();
    if (values->max() <= 5) // small counts: one tick per whole number, not 0 0 1 1
        values->setTickCount(int(values->max()) + 1);
    chart->legend()->setVisible(c.series.size() > 1);
    chart->legend()->setAlignment(Qt::AlignBottom);
    // The chart lays its axes and legend out when it is resized, not when the event loop runs
    // next: resizing after everything was added lays them out now.
    chart->resize(target.width() * 1.4, target.height() * 1.4);
    chart->layout()->activate();
    scene.render(&painter, target, chart->geometry());
}

QPicture chartPicture(const ReportChart &chart, const QSizeF &size)
{
    QPicture picture;
    const auto draw = [&] {
        QPainter painter(&picture);
        drawPdfChart(painter, QRectF(QPointF(0, 0), size), chart);
    };
    QCoreApplication *app = QCoreApplication::instance();
    if (!app || QThread::currentThread() == app->thread())
        draw();
    else
        QMetaObject::invokeMethod(app, draw, Qt::BlockingQueuedConnection);
    return picture;
}

} // namespace Tasktrail
