#pragma once

#include "reportdata.h"
#include "reportfile.h"

#include <QJsonObject>

namespace Tasktrail {

// One JSON object, written as a stream: each top-level member on a line of its own, then
// "tasks" and "chains" with one element per line, so a report over a million tasks is never
// one document in memory. Values are exact (no ReportText::visible()); times are ISO 8601 UTC
// and durations milliseconds.
class JsonReportWriter final : public ReportWriter
{
public:
    explicit JsonReportWriter(const QString &path);

    // The part before the tasks, as one object: what begin() writes.
    static QJsonObject head(const ReportData &data);
    static QJsonObject task(const ReportTask &task);

    bool begin(const ReportData &data) override;
    bool writeTask(const ReportTask &task) override;
    bool beginAppendix() override;
    bool writeChain(const TaskChain &chain) override;
    bool finish() override;
    void cancel() override { m_file.cancel(); }

private:
    void element(const QJsonObject &object);

    ReportFile m_file;
    bool m_first = true;
    bool m_inChains = false;
};

} // namespace Tasktrail
