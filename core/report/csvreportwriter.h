#pragma once

#include "reportdata.h"

#include <memory>
#include <vector>

namespace Tasktrail {

class ReportFile;

// RFC 4180 CSV (CRLF line ends, fields quoted when they need it), one file per table: for
// `out.csv`, out-summary.csv, out-tasks.csv, out-repos.csv, out-skips.csv, out-findings.csv,
// out-skip-reasons.csv, out-findings-by-rule.csv and out-review-load.csv, and with the appendix
// out-chains.csv (each task's one-sentence summary); for a directory, summary.csv ... inside it.
// Text goes through ReportText::visible(), and a text cell that a spreadsheet would run as a
// formula (= + - @ first) gets a leading apostrophe.
class CsvReportWriter final : public ReportWriter
{
public:
    explicit CsvReportWriter(const QString &path);
    ~CsvReportWriter() override;

    // The file a table goes to.
    static QString tablePath(const QString &path, const QString &table);
    static QString cell(const QString &text);
    static QString line(const QStringList &cells);

    bool begin(const ReportData &data) override;
    bool writeTask(const ReportTask &task) override;
    bool beginAppendix() override;
    bool writeChain(const TaskChain &chain) override;
    bool finish() override;
    void cancel() override;

private:
    ReportFile *openFile(const QString &table, const QStringList &columns);

    QString m_path;
    std::vector<std::unique_ptr<ReportFile>> m_files;
    ReportFile *m_tasks = nullptr;
    ReportFile *m_findings = nullptr;
    ReportFile *m_chains = nullptr;
};

} // namespace Tasktrail
