#pragma once

#include "reportdata.h"
#include "reportfile.h"

namespace Tasktrail {

// CommonMark with GitHub tables. Record text is shown through ReportText::visible() and every
// Markdown metacharacter in it is backslash-escaped, so a record cannot add links, HTML or
// table cells.
class MarkdownReportWriter final : public ReportWriter
{
public:
    explicit MarkdownReportWriter(const QString &path);

    static QString escape(const QString &text);

    bool begin(const ReportData &data) override;
    bool writeTask(const ReportTask &task) override;
    bool beginAppendix() override;
    bool writeChain(const TaskChain &chain) override;
    bool finish() override;
    void cancel() override { m_file.cancel(); }

private:
    void table(const QStringList &columns);
    void row(const QStringList &cells);

    ReportFile m_file;
};

} // namespace Tasktrail
