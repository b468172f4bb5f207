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

// A writer for any format. PDF is drawn with QPainter on a QPdfWriter, so it needs a
// QGuiApplication (the offscreen platform will do); every other format needs only QtCore.
std::unique_ptr<ReportWriter> createReportWriter(ReportFormat format, const QString &path);

} // namespace Tasktrail
