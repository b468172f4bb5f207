#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

class QIODevice;

namespace Tasktrail {

class RecordStore;

// Where the sync hands the job logs of an Actions run (the zip GET
// /repos/{o}/{r}/actions/runs/{id}/logs serves) for the task the run worked on. The sync has
// checked that the bytes are a whole zip archive; reading the entries is the sink's part.
class RunLogSink
{
public:
    virtual ~RunLogSink();
    // False with *error when the archive could not be taken in; the sync reports it and will
    // download the run's logs again next time. True with *error set when it was taken in but
    // some of it could not be read (the sync reports that and moves on).
    virtual bool ingestRunLogsZip(const QString &taskId, qint64 runId, QIODevice *zip,
                                  QString *error) = 0;
};

// Stores nothing: counts the archives and their bytes, so a sync says what it downloaded.
class CountingRunLogSink final : public RunLogSink
{
public:
    bool ingestRunLogsZip(const QString &taskId, qint64 runId, QIODevice *zip,
                          QString *error) override;
    int archives() const { return m_archives; }
    qint64 bytes() const { return m_bytes; }

private:
    int m_archives = 0;
    qint64 m_bytes = 0;
};

// The sink `sync github` hands job logs to, in the CLI and the app: the Actions job-log reader
// (core/ingest), attaching each job's steps to the task as its commands.
std::unique_ptr<RunLogSink> makeRunLogSink(RecordStore &store);

// Why `bytes` is not a whole zip archive (a download cut short), or empty when it is: the
// end-of-central-directory record must be there and the central directory it points to must
// lie inside the bytes.
QString zipArchiveProblem(const QByteArray &bytes);

} // namespace Tasktrail
