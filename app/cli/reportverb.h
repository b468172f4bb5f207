#pragma once

#include <QStringList>

#include <memory>

class QCoreApplication;

namespace Tasktrail::Cli {

// tasktrail-cli report: a report over a campaign, a time range or a filter, in PDF, HTML,
// CSV, Markdown or JSON (docs/reports.md).
int runReport(const QStringList &args);

// The application object for a command line: a QGuiApplication on the offscreen platform for a
// PDF report (QPdfWriter and QSvgRenderer need one, never a display), a QCoreApplication for
// everything else.
std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv);

} // namespace Tasktrail::Cli
