#include "importcontroller.h"

#include "displaytext.h"
#include "policy/storedspecs.h"
#include "store/recordstore.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QMutexLocker>

#include <algorithm>
#include <atomic>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// An estimate from the first moments of a run mostly measures the disk cache warming up.
constexpr qint64 minElapsedForEtaMs = 1000;

} // namespace

// Lives on the controller's thread and runs one import at a time there.
class ImportWorker final : public QObject
{
    Q_OBJECT

public:
    // Called on the controller's thread between runs.
    void resetCancel() { m_cancelRequested.store(false); }
    // Thread-safe.
    void cancel();
    void run(const QString &dbPath, const QStringList &files, const IngestOptions &options);

Q_SIGNALS:
    void progress(int permille, const QString &etaText);
    void issueFound(const Tasktrail::IngestIssue &issue);
    void finished(const Tasktrail::IngestCounts &counts, bool cancelled, const QString &error);

private:
    void applyCancel(Ingestor &ingestor) const;
    void reportBytes(Ingestor &ingestor, qint64 done, qint64 total);
    void reportPermille(int permille, const QString &eta);

    QMutex m_mutex; // guards m_ingestor
    Ingestor *m_ingestor = nullptr;
    std::atomic_bool m_cancelRequested{false};
    QElapsedTimer m_clock;
    int m_lastPermille = -1;
};

void ImportWorker::cancel()
{
    m_cancelRequested.store(true);
    const QMutexLocker lock(&m_mutex);
    if (m_ingestor)
        m_ingestor->cancel();
}

// Ingestor::ingest() clears its cancel flag when it starts, so a cancel that arrived before
// then is applied again from the first signal the run sends.
void ImportWorker::applyCancel(Ingestor &ingestor) const
{
    if (m_cancelRequested.load() || QThread::currentThread()->isInterruptionRequested())
        ingestor.cancel();
}

void ImportWorker::run(const QString &dbPath, const QStringList &files,
                       const IngestOptions &options)
{
    m_clock.start();
    m_lastPermille = -1;
    QString error;
    const std::unique_ptr<RecordStore> store = openStore(dbPath, &error);
    if (!store) {
        Q_EMIT finished({}, false, error);
        return;
    }
    Ingestor ingestor(*store);
    ingestor.setOptions(options);
    connect(&ingestor, &Ingestor::issueFound, this, &ImportWorker::issueFound);
    connect(&ingestor, &Ingestor::fileStarted, this, [&] { applyCancel(ingestor); });
    connect(&ingestor, &Ingestor::progress, this,
            [&](qint64 done, qint64 total) { reportBytes(ingestor, done, total); });
    {
        const QMutexLocker lock(&m_mutex);
        m_ingestor = &ingestor;
    }
    const bool ok = ingestor.ingest(files);
    {
        const QMutexLocker lock(&m_mutex);
        m_ingestor = nullptr;
    }
    // The runs written and those launched under the versions loaded are checked now, as the
    // CLI's ingest does.
    QString checkError;
    const bool checked =
        !ok || checkAfterIngest(*store, ingestor.runKeys(), ingestor.newPolicyDocuments(), nullptr,
                                &checkError);
    const bool cancelled = !ok && ingestor.isCancelled();
    // A run of empty or already ingested files may never have moved the bar.
    if (ok)
        reportPermille(1000, {});
    Q_EMIT finished(ingestor.counts(), cancelled,
                    !checked          ? checkError
                    : ok || cancelled ? QString()
                                      : ingestor.errorString());
}

void ImportWorker::reportBytes(Ingestor &ingestor, qint64 done, qint64 total)
{
    applyCancel(ingestor);
    if (total <= 0)
        return;
    const int permille = int(std::clamp<qint64>(done * 1000 / total, 0, 1000));
    if (permille <= m_lastPermille)
        return;
    QString eta;
    const qint64 elapsed = m_clock.elapsed();
    if (permille < 1000 && done > 0 && elapsed >= minElapsedForEtaMs) {
        const double remaining = double(elapsed) * double(total - done) / double(done);
        eta = ImportController::etaText(std::llround(remaining));
    }
    reportPermille(permille, eta);
}

// At most one signal per 0.1%: a run of a million lines must not queue a million events.
void ImportWorker::reportPermille(int permille, const QString &eta)
{
    if (permille <= m_lastPermille)
        return;
    m_lastPermille = permille;
    Q_EMIT progress(permille, eta);
}

ImportController::ImportController(QObject *parent)
    : QObject(parent)
    , m_thread(std::make_unique<ImportWorker>(), u"tasktrail-import"_s)
{
    qRegisterMetaType<Tasktrail::IngestIssue>();
    qRegisterMetaType<Tasktrail::IngestCounts>();
    // Queued: the worker emits on its own thread.
    ImportWorker *worker = m_thread.worker();
    connect(worker, &ImportWorker::progress, this, &ImportController::progress);
    connect(worker, &ImportWorker::issueFound, this, &ImportController::issueFound);
    connect(worker, &ImportWorker::finished, this, &ImportController::workerFinished);
}

ImportController::~ImportController()
{
    m_thread.worker()->cancel();
    m_thread.stop(); // the worker is deleted after this, with its thread stopped
}

bool ImportController::start(const QString &dbPath, const QStringList &files)
{
    if (m_running)
        return false;
    m_running = true;
    m_thread.worker()->resetCancel();
    m_thread.post([dbPath, files, options = m_options](ImportWorker &worker) {
        worker.run(dbPath, files, options);
    });
    Q_EMIT started();
    return true;
}

void ImportController::cancel()
{
    m_thread.worker()->cancel();
}

QString ImportController::etaText(qint64 remainingMs)
{
    if (remainingMs < 0)
        return {};
    // Whole seconds: an estimate is not precise enough for milliseconds to mean anything.
    const qint64 seconds = qMax<qint64>(1, (remainingMs + 999) / 1000);
    return tr("%1 left").arg(DisplayText::duration(seconds * 1000));
}

void ImportController::workerFinished(const IngestCounts &counts, bool cancelled,
                                      const QString &error)
{
    m_running = false;
    Q_EMIT finished(counts, cancelled, error);
}

} // namespace Tasktrail

#include "importcontroller.moc"
