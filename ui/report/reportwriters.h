#pragma once

#include "report/reportformat.h"

#include <memory>

namespace Tasktrail {

class ReportWriter;

// A writer for any report format, PDF included: what the app's Export dialog and
// `tasktrail-cli report` use. PDF needs a QGuiApplication, and a QApplication when
// pdfChartsAvailable().
std::unique_ptr<ReportWriter> createReportWriter(ReportFormat format, const QString &path);

} // namespace Tasktrail
