#pragma once

#include <QPicture>
#include <QRectF>

class QPainter;

namespace Tasktrail {

struct ReportChart;

// Draws a report chart into `target` with Qt Charts, as vectors. Needs a QApplication and the
// application's thread: Qt Charts lays text out with objects of that thread.
void drawPdfChart(QPainter &painter, const QRectF &target, const ReportChart &chart);

// The chart recorded as a QPicture of `size`, drawn at the origin: on the application's thread,
// whatever thread asks (a worker blocks until the application's event loop has drawn it). A
// QPicture replays as the same vector paint commands on the PDF.
QPicture chartPicture(const ReportChart &chart, const QSizeF &size);

} // namespace Tasktrail
