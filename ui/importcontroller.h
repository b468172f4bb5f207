#pragma once

#include "ingest/ingestissue.h"
#include "ingest/ingestor.h"
#include "workerthread.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace Tasktrail {

class ImportWorker;

// Runs an Ingestor on a member thread, so the window stays responsive while a few gigabytes
// of logs go in. The worker opens its own store on the database path: a store belongs to the
// thread that opened it. Everything it reports arrives on the controller's thread.
class ImportController final : public QObject
{
    Q_OBJECT

public:
    explicit ImportController(QObject *parent = nullptr);
    // Cancels a running import and waits for the worker to roll back its open batch.
    ~ImportController() override;

    // Used by the next start(); a running import keeps the options it started with.
    void setOptions(const IngestOptions &options) { m_options = options; }
    IngestOptions options() const { return m_options; }

    // Imports files and directories into the database at dbPath. Returns false, and starts
    // nothing, while an import is running.
    bool start(const QString &dbPath, const QStringList &files);
    // Thread-safe. The batch in progress is rolled back; batches committed before stay.
    void cancel();
    bool isRunning() const { return m_running; }

    // "12s left" for a remaining time in milliseconds; empty for a negative time.
    static QString etaText(qint64 remainingMs);

Q_SIGNALS:
    void started();
    // permille 0..1000 of the bytes of this run, at most once per 0.1%. etaText is empty
    // until there is enough of the run behind to estimate the rest.
    void progress(int permille, const QString &etaText);
    void issueFound(const Tasktrail::IngestIssue &issue);
    // error is empty on success and on cancel; cancelled means the last batch was rolled back.
    void finished(const Tasktrail::IngestCounts &counts, bool cancelled, const QString &error);

private:
    void workerFinished(const Tasktrail::IngestCounts &counts, bool cancelled,
                        const QString &error);

    WorkerThread<ImportWorker> m_thread;
    IngestOptions m_options;
    bool m_running = false;
};

} // namespace Tasktrail
