#include "reportwriters.h"

#include "pdfreportwriter.h"

namespace Tasktrail {

std::unique_ptr<ReportWriter> createReportWriter(ReportFormat format, const QString &path)
{
    if (format == ReportFormat::Pdf)
        return std::make_unique<PdfReportWriter>(path);
    return createCoreReportWriter(format, path);
}

} // namespace Tasktrail
