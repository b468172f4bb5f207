#pragma once

#include "records/templatespec.h"
#include "store/runkeys.h"

#include "ingestissue.h"

#include <QObject>
#include <QStringList>

#include <algorithm>
#include <atomic>
#include <limits>

class QIODevice;

namespace Tasktrail {

class DocumentPrefetch;
class FileIngest;
class InputFile;
struct PrefetchedDocument;
class RecordStore;
enum class InputFormat;

struct IngestOptions
{
    // Attach logs without a `##[tasktrail]` header to this task and command.
    QString taskId;
    int commandSeq = 0;
    // GitHub Actions job logs: each step's command is named this prefix + the step's title.
    QString commandPrefix;
    // Copilot session logs: the session the log is of. Without taskId the task is the one the
    // stored session belongs to (an agent task ingested or synced before); with it, the two
    // must agree.
    QString sessionId;
    // Records per transaction (docs/data-model.md); log lines per transaction: logBatchLines.
    int recordBatch = 8000;
    // Tasktrail records are read a batch of lines at a time and written in key order
    // (FileIngest::readPreparedLines): a batch also ends once its lines reach this many bytes,
    // which bounds the lines held at once.
    qint64 recordBatchBytes = 32ll * 1024 * 1024;
    // Write a batch of Tasktrail records in its tasks' key order, where the store allows it
    // (IngestWriter::writesBatchesInKeyOrder: SQLite). Off by default: the ids the store hands
    // out in write order (search's order of a batch's records) then differ from a PostgreSQL
    // store's, which writes in the file's order (docs/architecture.md).
    bool keyOrderedRecords = false;
    int logBatchLines = 50000;
    // The highest command number a log may give (0: none but the type's): a Copilot session's
    // log numbers its commands inside its own block, so it never overwrites another session's.
    int lastCommandSeq = 0;
    // Read the next GitHub document and take it apart while the file before it is written
    // (documentprefetch.h): faster on two cores or more, at the cost of one more document's
    // items in memory (bounded, see ingestor.cpp's prefetchBudget).
    bool readAhead = true;
};

// Reads files of any supported format (detected per file) into a store, one transaction per
// batch. Synchronous: run it on a worker thread in a GUI. Progress and issues are signals.
class Ingestor final : public QObject
{
    Q_OBJECT
public:
    explicit Ingestor(RecordStore &store, QObject *parent = nullptr);
    ~Ingestor() override;

    void setOptions(const IngestOptions &options) { m_options = options; }

    // Files and directories (recursively, in name order). Links pull requests to tasks at
    // the end. Returns false on a fatal store error (see errorString()).
    bool ingest(const QStringList &paths);
    // Content fetched by the caller (GitHub sync: a run's log archive, a session log, an API
    // answer), read like a file named `name`: detected by its content, and skipped when the
    // same bytes were ingested before. The options say which task (and session) a log is of.
    // Links like ingest(). Returns false on a fatal store error.
    bool ingestContent(const QString &name, const QByteArray &content);
    IngestCounts counts() const { return m_counts; }
    QString errorString() const { return m_error; }
    // The tasks the last ingest() wrote, with their nested records, or whose pull request or
    // reviews it wrote; sorted. What to check again after an ingest.
    // How long the steps after the files took in the last run, in milliseconds: linking pull
    // requests, correlating audit events.
    struct StepTimes
    {
        double linkPullRequests = 0;
        double linkAuditEvents = 0;
    };
    StepTimes stepTimes() const { return m_stepTimes; }
    // How many of each kind of key the run wrote (tasks, pull requests, check-run heads) one
    // batch of the linking after it takes (default 8192); for tests.
    void setLinkSlice(qsizetype keys)
    {
        m_linkSlice = int(std::clamp<qsizetype>(keys, 1, std::numeric_limits<int>::max()));
    }
    // The tasks the last ingest() wrote, the tasks of the pull requests it wrote, and the
    // tasks whose checked audit-event links it changed (IngestWriter::linkAuditEvents()): the
    // runs to check again (checkAfterIngest()).
    // Kept on disk, not in memory (store/runkeys.h); errorString() of the keys is the run's.
    RunKeys &runKeys() { return m_keys; }
    // The same ids, sorted, in a list: for runs known to be small.
    QStringList touchedTaskIds() { return m_keys.allTasks(); }
    // Template and policy files (*.toml) are loaded, not ingested as records: the documents
    // the last ingest() stored for the first time, whose runs are checked again. A document
    // stored before with the same text is left out: its runs were checked against that text.
    QList<PolicyDocument> newPolicyDocuments() const { return m_newPolicyDocuments; }

    // Thread-safe. The batch in progress is rolled back; earlier batches stay.
    void cancel() { m_cancelled.store(true); }
    bool isCancelled() const { return m_cancelled.load(); }

Q_SIGNALS:
    void fileStarted(const QString &path, const QString &format);
    // Throttled to about one signal per 0.1% of the bytes of this run.
    void progress(qint64 bytesDone, qint64 bytesTotal);
    void issueFound(const Tasktrail::IngestIssue &issue);

private:
    friend class FileIngest;
    bool ingestFile(const QString &path, const QString &next);
    bool resolveSessionTask();
    bool isKnownFile(InputFile &input, const QByteArray &headHash, const PrefetchedDocument *ready);
    bool readContent(InputFile &input, FileIngest &ingest, InputFormat *format, QByteArray *sha,
                     PrefetchedDocument *ready);
    bool readDocument(FileIngest &ingest, InputFormat *format, const QByteArray &document,
                      PrefetchedDocument *ready = nullptr);
    bool readStreamed(InputFile &input, FileIngest &ingest, InputFormat format, QByteArray *sha);
    static bool readStream(FileIngest &ingest, InputFormat format, QIODevice &document);
    bool readLines(QIODevice &content, FileIngest &ingest, InputFormat format, QByteArray *sha);
    QString taskProblem(InputFormat format, const QByteArray &head) const;
    void begin();
    bool markLinkPending();
    bool finishRun();
    void checkWholeRead(InputFile &input, FileIngest &ingest);
    bool loadPolicies(const QStringList &files);
    void report(IngestIssue issue);
    void advance(qint64 bytes);
    bool resolveTouchedTasks();
    bool keysFailed();

    RecordStore &m_store;
    IngestOptions m_options;
    IngestCounts m_counts;
    QString m_error;
    std::atomic_bool m_cancelled{false};
    qint64 m_bytesTotal = 0;
    qint64 m_bytesDone = 0;
    qint64 m_lastReported = -1;
    qint64 m_bytesUntilRelease = 0; // of input, until the allocator gives free memory back
    RunKeys m_keys;                 // what the run wrote: the linking's and the check's keys
    StepTimes m_stepTimes;
    bool m_linkEverything = false;
    int m_linkSlice = 8192;                 // a page of the run's keys
    DocumentPrefetch *m_prefetch = nullptr; // during ingest()
    QList<PolicyDocument> m_newPolicyDocuments;
};

} // namespace Tasktrail
