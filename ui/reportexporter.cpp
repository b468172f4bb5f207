#include "reportexporter.h"

#include "report/reportformat.h"
#include "report/reportrunner.h"
#include "store/recordstore.h"

#include <atomic>

using namespace Qt::StringLiterals;

namespace Tasktrail {

// Lives on the exporter's thread and runs one export at a time there.
class ReportExportWorker final : public QObject
{
    Q_OBJECT

public:
    // Called on the exporter's thread between runs.
    void resetCancel() { m_cancelRequested.store(false); }
    // Thread-safe.
    void cancel() { m_cancelRequested.store(true); }
    void run(const QString &dbPath, const ReportQuery &query, ReportFormat format,
             const QString &outPath);

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void finished(bool ok, bool cancelled, const QString &error, const QString &path);

private:
    void report(qint64 done, qint64 total);

    std::atomic_bool m_cancelRequested{false};
    qint64 m_lastPermille = -1;
};

void ReportExportWorker::run(const QString &dbPath, const ReportQuery &query, ReportFormat format,
                             const QString &outPath)
{
    m_lastPermille = -1;
    QString error;
    const std::unique_ptr<RecordStore> store = openStore(dbPath, &error);
    if (!store) {
        Q_EMIT finished(false, false, error, outPath);
        return;
    }
    const std::unique_ptr<ReportWriter> writer = createReportWriter(format, outPath);
    if (!writer) {
        Q_EMIT finished(false, false, tr("No writer for %1").arg(toString(format)), outPath);
        return;
    }
    ReportRunner runner(*store);
    runner.setProgressCallback([this](qint64 done, qint64 total) { report(done, total); });
    runner.setCancelCheck([this] {
        return m_cancelRequested.load() || QThread::currentThread()->isInterruptionRequested();
    });
    const bool ok = runner.run(query, *writer);
    const bool cancelled = !ok && runner.wasCancelled();
    Q_EMIT finished(ok, cancelled, ok || cancelled ? QString() : runner.errorString(), outPath);
}

// A report of a million tasks must not queue a million events.
void ReportExportWorker::report(qint64 done, qint64 total)
{
    if (total <= 0)
        return;
    const qint64 permille = qBound<qint64>(qint64(0), done * 1000 / total, qint64(1000));
    if (permille <= m_lastPermille && done < total)
        return;
    m_lastPermille = permille;
    Q_EMIT progress(done, total);
}

ReportExporter::ReportExporter(QObject *parent)
    : QObject(parent)
    , m_thread(std::make_unique<ReportExportWorker>(), u"tasktrail-report"_s)
{
    // Queued: the worker emits on its own thread.
    connect(m_thread.worker(), &ReportExportWorker::progress, this, &ReportExporter::progress);
    connect(m_thread.worker(), &ReportExportWorker::finished, this,
            [this](bool ok, bool cancelled, const QString &error, const QString &path) {
                m_running = false;
                Q_EMIT finished(ok, cancelled, error, path);
            });
}

ReportExporter::~ReportExporter()
{
    m_thread.worker()->cancel();
    m_thread.stop();
}

bool ReportExporter::start(const QString &dbPath, const ReportQuery &query, ReportFormat format,
                           const QString &outPath)
{
    if (m_running)
        return false;
    m_running = true;
    m_thread.worker()->resetCancel();
    m_thread.post([dbPath, query, format, outPath](ReportExportWorker &worker) {
        worker.run(dbPath, query, format, outPath);
    });
    return true;
}

void ReportExporter::cancel()
{
    m_thread.worker()->cancel();
}

} // namespace Tasktrail

#include "reportexporter.moc"
