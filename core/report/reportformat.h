#pragma once

#include <QString>

#include <memory>
#include <optional>

namespace Tasktrail {

class ReportWriter;

enum class ReportFormat
{
    Pdf,
    Html,
    Csv,
    Markdown,
    Json,
};

QString toString(ReportFormat format); // pdf, html, csv, md, json
std::optional<ReportFormat> reportFormatFromString(QStringView text);
// From a file name's suffix (.pdf, .html/.htm, .csv, .md/.markdown, .json).
std::optional<ReportFormat> reportFormatForPath(const QString &path);

// A writer of the formats core writes itself: all but PDF, which needs Qt Charts and
// QtWidgets (ui/report/pdfreportwriter.h). nullptr for PDF.
std::unique_ptr<ReportWriter> createCoreReportWriter(ReportFormat format, const QString &path);

} // namespace Tasktrail
