#pragma once

#include "report/reportformat.h"
#include "report/reportquery.h"
#include "workerthread.h"

#include <QObject>

#include <memory>

namespace Tasktrail {

class ReportExportWorker;

// Writes a report on a member thread with its own store connection, so the window stays
// responsive; what the worker reports arrives on the exporter's thread.
class ReportExporter final : public QObject
{
    Q_OBJECT

public:
    explicit ReportExporter(QObject *parent = nullptr);
    // Cancels a running export and waits for it.
    ~ReportExporter() override;

    // Writes the report of `query` over the database at dbPath to outPath. Returns false, and
    // starts nothing, while an export is running.
    bool start(const QString &dbPath, const ReportQuery &query, ReportFormat format,
               const QString &outPath);
    // Thread-safe. The file at the path stays as it was.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    // At most once per 0.1% of total, and always when done reaches total.
    void progress(qint64 done, qint64 total);
    // error is empty on success and on cancel.
    void finished(bool ok, bool cancelled, const QString &error, const QString &path);

private:
    WorkerThread<ReportExportWorker> m_thread;
    bool m_running = false;
};

} // namespace Tasktrail
