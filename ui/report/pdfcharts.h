#pragma once

#include <QRectF>

class QPainter;

namespace Tasktrail {

struct ReportChart;

// Draws a report chart into `target` with Qt Charts, as vectors. Needs a QApplication.
void drawPdfChart(QPainter &painter, const QRectF &target, const ReportChart &chart);

} // namespace Tasktrail
