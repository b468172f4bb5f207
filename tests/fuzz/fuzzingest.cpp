#include "fuzzingest.h"

#include "ingest/fileingest.h"
#include "ingest/ingestor.h"
#include "store/sqlitestore.h"
#include "text/linereader.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;

namespace Tasktrail::Fuzz {
namespace {

// TASKTRAIL_FUZZ_VERBOSE=1 prints Qt's messages and every issue the readers report, for
// looking at what one input does.
bool verbose()
{
    static const bool on = qEnvironmentVariableIntValue("TASKTRAIL_FUZZ_VERBOSE") != 0;
    return on;
}

void messageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (verbose() || type == QtFatalMsg)
        std::fprintf(stderr, "%s\n", qUtf8Printable(message));
    if (type == QtFatalMsg)
        std::abort();
}

// tmpfs when there is one: a database per input must not wait for a disk.
QString scratchParent()
{
    const QFileInfo shm(u"/dev/shm"_s);
    return shm.isDir() && shm.isWritable() ? shm.absoluteFilePath() : QDir::tempPath();
}

struct Scratch
{
    Scratch()
        : dir(scratchParent() % u"/tasktrail-fuzz-XXXXXX"_s)
    {
        silenceMessages();
        if (!dir.isValid())
            fail("cannot create a scratch directory", dir.errorString());
        emptyPath = dir.filePath(u"empty.db"_s);
        workPath = dir.filePath(u"work.db"_s);
        SqliteStore schema;
        if (!schema.open(emptyPath))
            fail("cannot create the empty database", schema.errorString());
    }

    QTemporaryDir dir;
    QString emptyPath; // the schema and nothing else, closed (no WAL)
    QString workPath;  // this input's copy
    std::unique_ptr<SqliteStore> store;
};

Scratch &scratch()
{
    static Scratch instance;
    return instance;
}

QString describe(const EvidenceReport &report)
{
    QStringList lines{report.error};
    for (const EvidenceProblem &p : report.problems)
        lines << u"seq %1: %2 %3: %4"_s.arg(p.seq).arg(p.kind, p.ref, p.problem);
    return lines.join(u'\n');
}

struct Outcome
{
    bool ok = false;
    QString error;
    IngestCounts counts;
};

// One file's ingest as Ingestor::ingest() runs it, without the format detection.
Outcome ingestOnce(SqliteStore &store, qint64 size, const QString &format,
                   const IngestOptions &options,
                   const std::function<bool(FileIngest &, QByteArray *sha256)> &read)
{
    Ingestor ingestor(store);
    ingestor.setOptions(options);
    if (verbose())
        QObject::connect(&ingestor, &Ingestor::issueFound, [](const IngestIssue &issue) {
            std::fprintf(stderr, "  %s\n", qUtf8Printable(issue.toString()));
        });
    FileIngest ingest(ingestor, store, u"fuzz-input"_s, size);
    QByteArray sha;
    bool ok = read(ingest, &sha) && ingest.finish(sha, sha, format);
    if (!ok)
        ingest.abort();
    Outcome outcome{ok, ingestor.errorString(), ingest.counts()};
    if (!store.beginBatch() || !store.linkPullRequests() || !store.linkAuditEvents(nullptr) ||
        !store.commitBatch()) {
        outcome.ok = false;
        outcome.error = u"linking: "_s % store.errorString();
        store.rollbackBatch();
    }
    return outcome;
}

// What every ingest of any bytes must leave behind.
void ingestAndCheck(qint64 size, const QString &format, const IngestOptions &options,
                    const std::function<bool(FileIngest &, QByteArray *sha256)> &read)
{
    SqliteStore &store = freshStore();
    const Outcome first = ingestOnce(store, size, format, options, read);
    if (verbose())
        std::fprintf(stderr, "%s: ok %d, %lld ingested, %lld duplicates, %lld rejected%s%s\n",
                     qUtf8Printable(format), int(first.ok), first.counts.ingested,
                     first.counts.duplicates, first.counts.rejected, first.ok ? "" : ": ",
                     qUtf8Printable(first.error));
    const EvidenceReport report = store.verifyEvidence({});
    if (!report.intact())
        fail("the evidence chain does not verify after an ingest", describe(report));
    const Outcome second = ingestOnce(store, size, format, options, read);
    if (first.ok && second.ok && second.counts.ingested != 0)
        fail("the same bytes ingested twice stored something new",
             u"%1 records the second time"_s.arg(second.counts.ingested));
}

} // namespace

QByteArray inputBytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

void silenceMessages()
{
    qInstallMessageHandler(messageHandler);
    if (!verbose())
        QLoggingCategory::setFilterRules(u"tasktrail.*.debug=false"_s);
}

SqliteStore &freshStore()
{
    Scratch &s = scratch();
    s.store.reset();
    for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
        QFile::remove(s.workPath + suffix);
    if (!QFile::copy(s.emptyPath, s.workPath))
        fail("cannot copy the empty database", s.workPath);
    s.store = std::make_unique<SqliteStore>();
    if (!s.store->open(s.workPath))
        fail("cannot open the scratch database", s.store->errorString());
    return *s.store;
}

QString scratchPath(const QString &name)
{
    return scratch().dir.filePath(name);
}

QString scratchFile(const QString &name, const QByteArray &bytes)
{
    const QString path = scratchPath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        fail("cannot write a scratch file", path);
    return path;
}

void fail(const char *what, const QString &detail)
{
    std::fprintf(stderr, "tasktrail fuzz check failed: %s\n%s\n", what, qUtf8Printable(detail));
    std::abort();
}

void ingestDocument(const QByteArray &input, const QString &format, const DocumentReader &read)
{
    ingestAndCheck(input.size(), format, {}, [&](FileIngest &ingest, QByteArray *sha256) {
        *sha256 = QCryptographicHash::hash(input, QCryptographicHash::Sha256).toHex();
        return read(ingest, input);
    });
}

namespace {

// A document that gives at most `step` bytes per read.
class TrickleDevice final : public QIODevice
{
public:
    TrickleDevice(const QByteArray &data, qint64 step)
        : m_data(data)
        , m_step(step)
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    qint64 size() const override { return m_data.size(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min({maxSize, m_step, qint64(m_data.size()) - pos()});
        if (n <= 0)
            return 0;
        std::memcpy(data, m_data.constData() + pos(), size_t(n));
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_step;
};

} // namespace

void ingestStream(const QByteArray &input, const QString &format, StreamReader read)
{
    ingestAndCheck(input.size(), format, {}, [&](FileIngest &ingest, QByteArray *sha256) {
        *sha256 = QCryptographicHash::hash(input, QCryptographicHash::Sha256).toHex();
        if (input.startsWith("PK")) {
            QBuffer buffer;
            buffer.setData(input);
            buffer.open(QIODevice::ReadOnly);
            return read(ingest, buffer);
        }
        TrickleDevice device(input, 1 + input.size() % 13);
        return read(ingest, device);
    });
}

void ingestLines(const QByteArray &input, const QString &format, LineFormatReader read,
                 qsizetype maxLine, const IngestOptions &options)
{
    ingestAndCheck(input.size(), format, options, [&](FileIngest &ingest, QByteArray *sha256) {
        QBuffer device;
        device.setData(input);
        device.open(QIODevice::ReadOnly);
        LineReader reader(device, maxLine);
        const bool ok = read(ingest, reader);
        *sha256 = reader.sha256Hex();
        return ok;
    });
}

} // namespace Tasktrail::Fuzz
