#include "reportformat.h"

#include "csvreportwriter.h"
#include "htmlreportwriter.h"
#include "jsonreportwriter.h"
#include "markdownreportwriter.h"
#include "report/pdfreportwriter.h"

#include <QFileInfo>

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr std::array formatNames{
    std::pair{ReportFormat::Pdf, u"pdf"},   std::pair{ReportFormat::Html, u"html"},
    std::pair{ReportFormat::Csv, u"csv"},   std::pair{ReportFormat::Markdown, u"md"},
    std::pair{ReportFormat::Json, u"json"},
};

} // namespace

QString toString(ReportFormat format)
{
    for (const auto &[f, name] : formatNames) {
        if (f == format)
            return QString::fromUtf16(name);
    }
    return {};
}

std::optional<ReportFormat> reportFormatFromString(QStringView text)
{
    for (const auto &[f, name] : formatNames) {
        if (text.compare(QStringView(name), Qt::CaseInsensitive) == 0)
            return f;
    }
    if (text.compare(u"markdown", Qt::CaseInsensitive) == 0)
        return ReportFormat::Markdown;
    return std::nullopt;
}

std::optional<ReportFormat> reportFormatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"htm")
        return ReportFormat::Html;
    if (suffix == u"markdown")
        return ReportFormat::Markdown;
    return reportFormatFromString(suffix);
}

std::unique_ptr<ReportWriter> createReportWriter(ReportFormat format, const QString &path)
{
    switch (format) {
    case ReportFormat::Html:
        return std::make_unique<HtmlReportWriter>(path);
    case ReportFormat::Csv:
        return std::make_unique<CsvReportWriter>(path);
    case ReportFormat::Markdown:
        return std::make_unique<MarkdownReportWriter>(path);
    case ReportFormat::Json:
        return std::make_unique<JsonReportWriter>(path);
    case ReportFormat::Pdf:
        return std::make_unique<PdfReportWriter>(path);
    }
    return nullptr;
}

} // namespace Tasktrail
