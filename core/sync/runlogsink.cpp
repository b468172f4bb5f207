#include "runlogsink.h"

#include "ingest/ingestor.h"

#include <QIODevice>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace Tasktrail {

RunLogSink::~RunLogSink() = default;

bool CountingRunLogSink::ingestRunLogsZip(const QString &taskId, qint64 runId, QIODevice *zip,
                                          QString *error)
{
    Q_UNUSED(taskId)
    Q_UNUSED(runId)
    Q_UNUSED(error)
    ++m_archives;
    m_bytes += zip->size();
    return true;
}

namespace {

// Reads the archive's job logs into the task's commands, one per step, with the Actions
// job-log reader (core/ingest), as `tasktrail-cli ingest --task` reads a downloaded archive.
class IngestingRunLogSink final : public RunLogSink
{
public:
    explicit IngestingRunLogSink(RecordStore &store)
        : m_store(store)
    {}

    bool ingestRunLogsZip(const QString &taskId, qint64 runId, QIODevice *zip,
                          QString *error) override
    {
        Ingestor ingestor(m_store);
        IngestOptions options;
        options.taskId = taskId;
        ingestor.setOptions(options);
        QStringList problems;
        QObject::connect(&ingestor, &Ingestor::issueFound, [&problems](const IngestIssue &issue) {
            if (issue.severity == IngestIssue::Severity::Error)
                problems << issue.toString();
        });
        const QString name = u"run-%1-logs.zip"_s.arg(runId);
        if (!ingestor.ingestContent(name, zip->readAll())) {
            *error = ingestor.errorString();
            return false;
        }
        // Taken in, with what could not be read named: the rest of the archive is stored.
        *error = problems.join(u"; "_s);
        return true;
    }

private:
    RecordStore &m_store;
};

} // namespace

std::unique_ptr<RunLogSink> makeRunLogSink(RecordStore &store)
{
    return std::make_unique<IngestingRunLogSink>(store);
}

QString zipArchiveProblem(const QByteArray &bytes)
{
    // APPNOTE.TXT 4.3.16: the end of central directory record is 22 bytes plus a comment of
    // at most 65535 bytes, at the very end of the archive.
    constexpr qsizetype eocdSize = 22;
    if (bytes.size() < eocdSize)
        return u"%1 bytes: too short for a zip archive"_s.arg(bytes.size());
    const qsizetype from = std::max<qsizetype>(0, bytes.size() - eocdSize - 65535);
    for (qsizetype at = bytes.size() - eocdSize; at >= from; --at) {
        const uchar *p = reinterpret_cast<const uchar *>(bytes.constData()) + at;
        if (qFromLittleEndian<quint32>(p) != 0x06054b50u)
            continue;
        const quint16 commentLength = qFromLittleEndian<quint16>(p + 20);
        if (at + eocdSize + commentLength != bytes.size())
            continue; // those bytes are inside an entry, not the record
        const quint32 directorySize = qFromLittleEndian<quint32>(p + 12);
        const quint32 directoryOffset = qFromLittleEndian<quint32>(p + 16);
        if (qint64(directoryOffset) + directorySize > at)
            return u"the central directory lies outside the %1 bytes received"_s.arg(bytes.size());
        return {};
    }
    return u"no end of central directory in %1 bytes: the archive is cut short"_s.arg(bytes.size());
}

} // namespace Tasktrail
