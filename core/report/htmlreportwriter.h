#pragma once

#include "reportdata.h"
#include "reportfile.h"

namespace Tasktrail {

// One self-contained HTML file: styles inline, charts as inline SVG, no scripts, and a
// Content-Security-Policy that would refuse any. Every record field goes through
// ReportText::html(); the markup is well-formed XML (polyglot HTML5), so a test can parse it.
class HtmlReportWriter final : public ReportWriter
{
public:
    explicit HtmlReportWriter(const QString &path);

    bool begin(const ReportData &data) override;
    bool writeTask(const ReportTask &task) override;
    bool beginAppendix() override;
    bool writeChain(const TaskChain &chain) override;
    bool finish() override;
    void cancel() override { m_file.cancel(); }

private:
    void table(const QStringList &columns, const QList<QStringList> &rows);
    // `linkColumn`: the cell holding a tasktrail:// link, written as a hyperlink.
    void row(const QStringList &cells, const char *cell = "td", qsizetype linkColumn = -1);

    ReportFile m_file;
    bool m_tableOpen = false;
};

} // namespace Tasktrail
