#pragma once

#include <QString>

namespace Tasktrail {

struct ReportChart;

// A chart as an inline <svg> element (bars, stacked or grouped, vertical or horizontal, and
// line series), drawn by hand so that core needs no QtWidgets. Every label is escaped with
// ReportText::html(); the element is well-formed XML.
QString svgChart(const ReportChart &chart);

} // namespace Tasktrail
