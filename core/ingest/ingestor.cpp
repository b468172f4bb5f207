#include "ingestor.h"

#include "documentprefetch.h"
#include "fileingest.h"
#include "inputfile.h"
#include "inputformat.h"
#include "policy/policyloader.h"
#include "store/recordstore.h"
#include "text/linereader.h"
#include "text/sha256.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QTemporaryFile>

#include <algorithm>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcIngest, "tasktrail.ingest")

namespace Tasktrail {

QString IngestIssue::toString() const
{
    const QString where = line > 0 ? file % u':' % QString::number(line) : file;
    return where % (severity == Severity::Warning ? u": warning: "_s : u": "_s) % reason;
}

IngestCounts &IngestCounts::operator+=(const IngestCounts &o)
{
    ingested += o.ingested;
    duplicates += o.duplicates;
    rejected += o.rejected;
    redactions += o.redactions;
    warnings += o.warnings;
    files += o.files;
    return *this;
}

namespace {

constexpr qsizetype headSize = 1024 * 1024;
// Lines past these sizes are cut while reading; the readers report them.
constexpr qsizetype maxLogLine = 1024 * 1024;
constexpr qsizetype maxRecordLine = 16 * 1024 * 1024;
// Whole JSON documents (GitHub API answers) are read into memory; anything bigger than this
// is not an API answer.
constexpr qint64 maxDocumentSize = 512ll * 1024 * 1024;
// A document is read, taken apart and converted while the file before it is written when the
// two documents (the one written, if the file is one, and the next) have at most this many
// bytes together. The next one waits as records, the one written is taken apart as JSON items
// (about 16 times its size) and converted as it is written: an ingest of four 4.2 MB pages of
// check runs peaks at 52 MB of heap.
constexpr qint64 prefetchBudget = 10ll * 1024 * 1024;

// Gives the memory the allocator holds free back to the system, after each document and after
// every `releaseEvery` bytes of other input (0.2% of the CPU of a scale-10 GitHub and records
// ingest, about 20 calls). Records are made on the threads that read ahead and prepare, and
// freed on the writing one; glibc keeps what is freed in the making thread's arena, where the
// next file's records rarely fit the gaps: without this, the peak resident memory of an ingest
// of the scale-100 demo's GitHub pages was 58 MB higher (270 MB against 212 MB).
constexpr qint64 releaseEvery = 16ll * 1024 * 1024;
void releaseFreeMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

// Formats read whole into memory rather than line by line.
bool isDocumentFormat(InputFormat format)
{
    return format == InputFormat::GitHubJson || format == InputFormat::AuditLogJson ||
           format == InputFormat::ActionsRunArchive;
}

// Documents of any size, read element by element (or member by member) from a device that can
// be read twice, in memory bounded by the largest element (docs/transcripts.md).
bool isStreamedFormat(InputFormat format)
{
    return format == InputFormat::InspectLog || format == InputFormat::InspectEvalLog ||
           format == InputFormat::SweAgentTrajectory || format == InputFormat::OpenHandsTrajectory;
}

// Copies the rest of `from` to `to` a piece at a time.
bool copyDevice(QIODevice &from, QIODevice &to, QString *error)
{
    QByteArray chunk(4 * 1024 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 got = from.read(chunk.data(), chunk.size());
        if (got < 0) {
            *error = u"cannot read: "_s % from.errorString();
            return false;
        }
        if (got == 0)
            return true;
        if (to.write(chunk.constData(), got) != got) {
            *error = u"cannot write a temporary copy: "_s % to.errorString();
            return false;
        }
    }
}

QString unheadedLogReason()
{
    return u"not a format Tasktrail reads by itself: no ##[tasktrail] header says which task "
           "its lines belong to. "_s %
           readableFormats() %
           u". To attach a text log to a task, ingest it with --task ID --command N"_s;
}

bool isPolicyFile(const QString &path)
{
    return path.endsWith(u".toml"_s, Qt::CaseInsensitive);
}

// What is read of a file to tell a log from the rest before anything is ingested.
constexpr qsizetype orderProbeSize = 64 * 1024;

// Lines that belong to a command or a session stored by other files: a Tasktrail command log,
// an Actions job log or run archive, a Copilot session log.
bool isLogFormat(InputFormat format)
{
    return format == InputFormat::CommandLog || format == InputFormat::ActionsJobLog ||
           format == InputFormat::ActionsRunArchive || format == InputFormat::CopilotSessionLog;
}

// Logs after the other files, each group in the given order. A log then finds the command
// its lines belong to stored by its run's records, and a session log the session. Read the
// other way round, a command is first stored by its number alone and filled in when its record
// comes, and its task enters the evidence chain once more; what is stored in the end is the
// same. A file is told by its first bytes only; standard input and pipes keep their place.
QStringList logsLast(const QStringList &files)
{
    QStringList first;
    QStringList logs;
    for (const QString &file : files) {
        bool isLog = false;
        if (file != u"-" && QFileInfo(file).isFile()) {
            QString unused;
            if (const auto input = InputFile::open(file, orderProbeSize, &unused)) {
                const QByteArray &head = input->head();
                isLog = isLogFormat(
                    detectInputFormat(head, input->name(), head.size() < orderProbeSize).format);
            }
        }
        (isLog ? logs : first) << file;
    }
    return first + logs;
}

} // namespace

bool Ingestor::loadPolicies(const QStringList &files)
{
    m_newPolicyDocuments.clear();
    QStringList policyFiles;
    for (const QString &file : files) {
        if (isPolicyFile(file))
            policyFiles << file;
    }
    if (policyFiles.isEmpty())
        return true;
    PolicyLoadResult result;
    if (!loadPolicyFiles(m_store, policyFiles, &result, &m_error))
        return false;
    for (const PolicyFileError &e : std::as_const(result.errors))
        report({IngestIssue::Severity::Error, e.file, e.line,
                e.field.isEmpty() ? e.message : e.field % u": "_s % e.message});
    m_counts.files += result.files;
    m_counts.ingested += result.loaded;
    m_counts.duplicates += result.unchanged;
    m_counts.rejected += result.rejected;
    m_counts.redactions += result.redactions;
    m_newPolicyDocuments = result.newDocuments;
    for (const QString &file : std::as_const(policyFiles))
        advance(QFileInfo(file).size());
    return true;
}

Ingestor::Ingestor(RecordStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    qRegisterMetaType<Tasktrail::IngestIssue>();
}

Ingestor::~Ingestor() = default;

void Ingestor::report(IngestIssue issue)
{
    // A file's name and a reason quoting its input are text like any other.
    Redactor::redactText(issue.file);
    Redactor::redactText(issue.reason);
    qCDebug(lcIngest, "%s", qUtf8Printable(issue.toString()));
    Q_EMIT issueFound(issue);
}

void Ingestor::advance(qint64 bytes)
{
    m_bytesDone += bytes;
    m_bytesTotal = std::max(m_bytesTotal, m_bytesDone);
    const qint64 step = qMax<qint64>(1, m_bytesTotal / 1000);
    if (m_lastReported < 0 || m_bytesDone - m_lastReported >= step || m_bytesDone == m_bytesTotal) {
        m_lastReported = m_bytesDone;
        Q_EMIT progress(m_bytesDone, m_bytesTotal);
    }
}

void Ingestor::begin()
{
    m_counts = {};
    m_error.clear();
    m_cancelled.store(false);
    m_keys.clear();
    m_bytesTotal = 0;
    m_bytesDone = 0;
    m_lastReported = -1;
    m_bytesUntilRelease = releaseEvery;
}

namespace {
// An ingest run marks itself "pending" here before it writes and "done" in the batch of its
// linking: a run that finds the mark still pending (or none) follows one that was killed or
// failed before its linking, whose records its own scope would not name, and links every task
// instead. One mark for all writers: with two ingests at once, the one that ends first can
// clear the mark of one stopped later.
const QString linkCursor = u"ingest:link-pull-requests"_s;

SyncCursor linkMark(const QString &position)
{
    SyncCursor mark;
    mark.source = linkCursor;
    mark.position = position;
    mark.updatedAt = QDateTime::currentDateTimeUtc();
    return mark;
}
} // namespace

bool Ingestor::markLinkPending()
{
    const std::optional<SyncCursor> last = m_store.syncCursor(linkCursor);
    // No mark yet: a database a version before the marks wrote, whose last run may have been
    // stopped before its linking too.
    m_linkEverything = !last || last->position != u"done";
    if (!m_store.beginBatch() || !m_store.writeSyncCursor(linkMark(u"pending"_s)) ||
        !m_store.commitBatch()) {
        m_error = m_store.errorString();
        m_store.rollbackBatch();
        return false;
    }
    return true;
}

bool Ingestor::finishRun()
{
    QElapsedTimer step;
    const auto timed = [&step](double *ms, bool ok) {
        *ms = double(step.nsecsElapsed()) / 1e6;
        step.start();
        return ok;
    };
    const auto failed = [this] {
        m_error = m_store.errorString();
        m_store.rollbackBatch();
        return false;
    };
    m_stepTimes = {};
    // What the last files freed goes back to the system before the linking.
    releaseFreeMemory();
    step.start();
    // Linking looks at what this run wrote, not at every task of the database, unless the run
    // before did not get to its linking. The run's keys are linked a slice per batch: a batch
    // holds the evidence of every record it links until it commits, and a scale-100 run links
    // some 300,000 tasks and check runs. Until the last batch marks the linking done, a run
    // stopped in between leaves it pending, and the next run links every task.
    bool linked = true;
    if (m_linkEverything) {
        linked = m_store.beginBatch() && m_store.linkPullRequests() && m_store.commitBatch();
    } else {
        // A page of each kind of key per batch, each kind walked in key order.
        RunKeys::TaskWalk tasks;
        RunKeys::PullRequestWalk pullRequests;
        RunKeys::CheckHeadWalk heads;
        while (linked) {
            const PullRequestLinkScope scope{m_keys.nextTasks(tasks, m_linkSlice),
                                             m_keys.nextPullRequests(pullRequests, m_linkSlice),
                                             m_keys.nextCheckHeads(heads, m_linkSlice)};
            if (keysFailed())
                return false;
            if (scope.taskIds.isEmpty() && scope.pullRequests.isEmpty() &&
                scope.checkHeads.isEmpty())
                break;
            linked =
                m_store.beginBatch() && m_store.linkPullRequests(scope) && m_store.commitBatch();
        }
    }
    // A task whose audit trail changed is checked again, like one whose records changed.
    QStringList relinked;
    if (!timed(&m_stepTimes.linkPullRequests, linked) || !m_store.beginBatch() ||
        !timed(&m_stepTimes.linkAuditEvents, m_store.linkAuditEvents(&relinked)) ||
        !m_store.writeSyncCursor(linkMark(u"done"_s)) || !m_store.commitBatch())
        return failed();
    m_keys.addTasks(relinked);
    relinked = {};
    if (!resolveTouchedTasks())
        return false;
    // And what the linking held, before the check builds on it.
    releaseFreeMemory();
    return true;
}

// A key the run could not keep would leave what it names unlinked and unchecked.
bool Ingestor::keysFailed()
{
    if (m_keys.ok())
        return false;
    m_error = m_keys.errorString();
    return true;
}

bool Ingestor::ingest(const QStringList &paths)
{
    begin();
    if (!resolveSessionTask() || !markLinkPending())
        return false;
    // Into a file without tasks the runs table's indexes are built once at the end, before the
    // linking; whichever way the run ends.
    m_store.beginBulkLoad();
    const auto bulkLoaded = qScopeGuard([this] { m_store.endBulkLoad(); });
    const ExpandedInputs inputs = expandInputs(paths);
    for (const InputProblem &problem : inputs.problems) {
        ++(problem.warning ? m_counts.warnings : m_counts.rejected);
        report({problem.warning ? IngestIssue::Severity::Warning : IngestIssue::Severity::Error,
                problem.path, 0, problem.reason});
    }
    const QStringList &files = inputs.files;
    // Pipes and standard input add their bytes as they are read.
    for (const QString &file : files)
        m_bytesTotal += file == u"-" ? 0 : QFileInfo(file).size();
    // Templates and policies first, so the runs ingested with them are checked against them.
    if (!loadPolicies(files))
        return false;
    QStringList others;
    for (const QString &file : files) {
        if (!isPolicyFile(file))
            others << file;
    }
    const QStringList toRead = logsLast(others);
    DocumentPrefetch prefetch(headSize);
    m_prefetch = m_options.readAhead ? &prefetch : nullptr;
    const auto unset = qScopeGuard([this] { m_prefetch = nullptr; });
    for (qsizetype i = 0; i < toRead.size(); ++i) {
        if (!ingestFile(toRead.at(i), i + 1 < toRead.size() ? toRead.at(i + 1) : QString()) ||
            keysFailed())
            return false;
        if (isCancelled()) {
            m_error = u"cancelled"_s;
            return false;
        }
    }
    m_store.endBulkLoad();
    return finishRun();
}

bool Ingestor::ingestContent(const QString &name, const QByteArray &content)
{
    begin();
    if (!resolveSessionTask() || !markLinkPending())
        return false;
    m_bytesTotal = content.size();
    const QByteArray head = content.left(headSize);
    const QByteArray headHash = Sha256::of(head).toHex();
    const InputDetection detected = detectInputFormat(head, name, head.size() == content.size());
    Q_EMIT fileStarted(name, formatName(detected.format));
    const QByteArray sha = Sha256::of(content).toHex();
    const QString problem = detected.format == InputFormat::Unreadable
                                ? detected.reason
                                : taskProblem(detected.format, head);
    if (detected.format == InputFormat::Empty || !problem.isEmpty()) {
        const bool empty = detected.format == InputFormat::Empty;
        ++(empty ? m_counts.warnings : m_counts.rejected);
        report({empty ? IngestIssue::Severity::Warning : IngestIssue::Severity::Error, name, 0,
                empty ? u"file is empty"_s : problem});
        advance(content.size());
        return true;
    }
    if (const auto known = m_store.findIngestedFile(content.size(), headHash, sha)) {
        m_counts.duplicates += known->records;
        ++m_counts.files;
        advance(content.size());
        return finishRun();
    }
    FileIngest ingest(*this, m_store, name, content.size());
    InputFormat format = detected.format;
    bool ok = true;
    if (isDocumentFormat(format)) {
        ok = readDocument(ingest, &format, content);
    } else if (isStreamedFormat(format)) {
        QBuffer buffer;
        buffer.setData(content);
        buffer.open(QIODevice::ReadOnly);
        ok = readStream(ingest, format, buffer);
    } else {
        QByteArray bytes = content;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::ReadOnly);
        QByteArray lineSha;
        ok = readLines(buffer, ingest, format, &lineSha);
    }
    ok = ok && ingest.finish(sha, headHash, formatName(format));
    if (!ok)
        ingest.abort();
    m_counts += ingest.counts();
    ++m_counts.files;
    if (!ok) {
        if (isCancelled())
            m_error = u"cancelled"_s;
        return false;
    }
    return finishRun();
}

// A log whose lines have no task to go to: one message for the file, not one per line. A
// text log without Tasktrail's headers needs --task; so do a job log and a session log, which
// do not name their task.
QString Ingestor::taskProblem(InputFormat format, const QByteArray &head) const
{
    if (!m_options.taskId.isEmpty())
        return {};
    const QByteArrayView text =
        head.startsWith("\xEF\xBB\xBF") ? QByteArrayView(head).sliced(3) : QByteArrayView(head);
    if (format == InputFormat::CommandLog && !text.startsWith("##[tasktrail]") &&
        !text.contains("\n##[tasktrail]"))
        return unheadedLogReason();
    if (format == InputFormat::ActionsJobLog)
        return u"a GitHub Actions job log does not name its run: pass --task ID (and --command "
               "N for the number of its first step)"_s;
    if (format == InputFormat::CopilotSessionLog)
        return u"a Copilot session log does not name its task: pass --session ID (its task is "
               "the one the stored session belongs to) or --task ID"_s;
    return {};
}

// A session log attached by its session alone: the task is the one the stored session belongs
// to. Nothing is read when no task has that session, or when it belongs to another task than
// the one given.
bool Ingestor::resolveSessionTask()
{
    if (m_options.sessionId.isEmpty())
        return true;
    const QStringList owners = m_store.taskIdsForSession(m_options.sessionId);
    if (owners.isEmpty() && m_options.taskId.isEmpty()) {
        m_error = u"no task has session %1: ingest or sync its agent task first, or pass --task "
                  "ID"_s.arg(m_options.sessionId);
        return false;
    }
    if (owners.isEmpty())
        return true; // a new session of the task given
    if (!m_options.taskId.isEmpty() && m_options.taskId != owners.first()) {
        m_error = u"session %1 belongs to task %2, not %3"_s.arg(m_options.sessionId,
                                                                 owners.first(), m_options.taskId);
        return false;
    }
    m_options.taskId = owners.first();
    return true;
}

// Pull requests and reviews name no task: the tasks they belong to are known once
// linkPullRequests() has run. They join the run's tasks, to be checked.
bool Ingestor::resolveTouchedTasks()
{
    RunKeys::PullRequestWalk walk;
    while (!walk.done) {
        const auto page = m_keys.nextPullRequests(walk, m_linkSlice);
        for (const auto &[repo, number] : page)
            m_keys.addTasks(m_store.taskIdsForPullRequest(repo, number));
    }
    return !keysFailed();
}

bool Ingestor::ingestFile(const QString &path, const QString &next)
{
    // Opened (and, for a GitHub document, read and taken apart) while the file before was
    // written, or opened here.
    const std::unique_ptr<PrefetchedDocument> ready = m_prefetch ? m_prefetch->take(path) : nullptr;
    QString error;
    const std::unique_ptr<InputFile> input =
        ready ? std::move(ready->input) : InputFile::open(path, headSize, &error);
    if (ready)
        error = ready->openError;
    if (!input) {
        ++m_counts.rejected;
        report({IngestIssue::Severity::Error, path == u"-" ? InputFile::standardInputName() : path,
                0, error});
        return true;
    }
    const QString name = input->name();
    const qint64 size = std::max<qint64>(input->size(), 0);
    const QByteArray &head = input->head();
    const QByteArray headHash = ready ? ready->headHash : Sha256::of(head).toHex();
    const InputDetection detected =
        ready ? ready->detected : detectInputFormat(head, name, head.size() < headSize);
    Q_EMIT fileStarted(name, formatName(detected.format));

    if (detected.format == InputFormat::Unreadable || detected.format == InputFormat::Empty) {
        const bool empty = detected.format == InputFormat::Empty;
        ++(empty ? m_counts.warnings : m_counts.rejected);
        report({empty ? IngestIssue::Severity::Warning : IngestIssue::Severity::Error, name, 0,
                empty ? u"file is empty"_s : detected.reason});
        advance(size);
        return true;
    }
    if (const QString problem = taskProblem(detected.format, head); !problem.isEmpty()) {
        ++m_counts.rejected;
        report({IngestIssue::Severity::Error, name, 0, problem});
        advance(size);
        return true;
    }
    if (isKnownFile(*input, headHash, ready.get()))
        return true;
    // This file is new: the next one is made ready while it is written. A run over files that
    // were all ingested before reads none ahead.
    if (m_prefetch && !next.isEmpty() && next != u"-" && QFileInfo(next).isFile())
        m_prefetch->start(next, prefetchBudget - (isDocumentFormat(detected.format) ? size : 0));

    FileIngest ingest(*this, m_store, name, size);
    if (input->isSequential() || input->isCompressed())
        ingest.setPosition([&input] { return input->position(); });
    InputFormat format = detected.format;
    QByteArray sha;
    bool ok = readContent(*input, ingest, &format, &sha, ready.get());
    if (ok)
        checkWholeRead(*input, ingest);
    ok = ok && ingest.finish(sha, headHash, formatName(format));
    if (!ok)
        ingest.abort();
    m_counts += ingest.counts();
    ++m_counts.files;
    // After each document (read whole) and each few MB of other input.
    m_bytesUntilRelease -= size;
    if (isDocumentFormat(format) || m_bytesUntilRelease <= 0) {
        releaseFreeMemory();
        m_bytesUntilRelease = releaseEvery;
    }
    return ok || isCancelled();
}

// Hands the content to the reader of its format; *sha is the SHA-256 of what was read.
bool Ingestor::readContent(InputFile &input, FileIngest &ingest, InputFormat *format,
                           QByteArray *sha, PrefetchedDocument *ready)
{
    if (isStreamedFormat(*format))
        return readStreamed(input, ingest, *format, sha);
    if (ready && ready->read) {
        if (!ready->readError.isEmpty()) {
            ingest.reject(0, ready->readError);
            return true;
        }
        *sha = ready->sha;
        return readDocument(ingest, format, ready->document, ready);
    }
    if (isDocumentFormat(*format)) {
        QByteArray document;
        QString error;
        if (!input.readAll(maxDocumentSize, &document, &error)) {
            ingest.reject(0, error);
            return true;
        }
        *sha = Sha256::of(document).toHex();
        return readDocument(ingest, format, document);
    }
    return readLines(input.content(), ingest, *format, sha);
}

// The readers go through the document twice (a ZIP from its end): a regular file is read where
// it lies, anything else (a pipe, gzip data) is first copied to a temporary file, never into
// memory. *sha is the SHA-256 of the content, taken last, which leaves a file read to its end.
bool Ingestor::readStreamed(InputFile &input, FileIngest &ingest, InputFormat format,
                            QByteArray *sha)
{
    QTemporaryFile spool;
    QIODevice *device = &input.content();
    if (!input.canRewind()) {
        QString error;
        if (!spool.open()) {
            ingest.reject(0, u"cannot make a temporary copy: "_s % spool.errorString());
            return true;
        }
        if (!copyDevice(input.content(), spool, &error) || !spool.flush() || !spool.seek(0)) {
            ingest.reject(0, error.isEmpty() ? spool.errorString() : error);
            return true;
        }
        device = &spool;
    }
    if (!readStream(ingest, format, *device))
        return false;
    Sha256 hash;
    if (!device->seek(0) || !hash.add(*device)) {
        ingest.reject(0, u"cannot read it to the end: "_s % device->errorString());
        return true;
    }
    *sha = hash.finish().toHex();
    return true;
}

bool Ingestor::readStream(FileIngest &ingest, InputFormat format, QIODevice &document)
{
    switch (format) {
    case InputFormat::InspectEvalLog:
        return ingestInspectEvalLog(ingest, document);
    case InputFormat::InspectLog:
        return ingestInspectLog(ingest, document);
    case InputFormat::SweAgentTrajectory:
        return ingestSweAgentTrajectory(ingest, document);
    default:
        return ingestOpenHandsTrajectory(ingest, document);
    }
}

bool Ingestor::readDocument(FileIngest &ingest, InputFormat *format, const QByteArray &document,
                            PrefetchedDocument *ready)
{
    // A ZIP is told from the other by its members once it is read whole.
    if (*format == InputFormat::ActionsRunArchive && looksLikeInspectEvalArchive(document)) {
        *format = InputFormat::InspectEvalLog;
        QBuffer buffer;
        buffer.setData(document);
        buffer.open(QIODevice::ReadOnly);
        return ingestInspectEvalLog(ingest, buffer);
    }
    if (*format == InputFormat::ActionsRunArchive)
        return ingestActionsRunArchive(ingest, document);
    if (*format == InputFormat::GitHubJson && looksLikeRepositoryList(document))
        *format = InputFormat::GitHubRepositories;
    if (*format == InputFormat::GitHubJson && ready && ready->splitDone)
        return ingestGitHubDocument(ingest, document, std::move(ready->split));
    return *format == InputFormat::GitHubRepositories ? ingestRepositoryList(ingest, document)
           : *format == InputFormat::GitHubJson       ? ingestGitHubDocument(ingest, document)
                                                      : ingestAuditLogDocument(ingest, document);
}

bool Ingestor::readLines(QIODevice &content, FileIngest &ingest, InputFormat format,
                         QByteArray *sha)
{
    const bool isLog = format == InputFormat::CommandLog || format == InputFormat::ActionsJobLog;
    LineReader reader(content, isLog ? maxLogLine : maxRecordLine);
    bool ok = false;
    switch (format) {
    case InputFormat::TasktrailRecords:
        ok = ingestTasktrailRecords(ingest, reader);
        break;
    case InputFormat::AuditLogLines:
        ok = ingestAuditLogLines(ingest, reader);
        break;
    case InputFormat::ActionsJobLog:
        ok = ingestActionsJobLog(ingest, reader);
        break;
    case InputFormat::CopilotSessionLog:
        ok = ingestCopilotSessionLog(ingest, reader);
        break;
    case InputFormat::ClaudeCodeSession:
        ok = ingestClaudeCodeSession(ingest, reader);
        break;
    case InputFormat::CodexRollout:
        ok = ingestCodexRollout(ingest, reader);
        break;
    case InputFormat::OtlpTraces:
        ok = ingestOtlpTraces(ingest, reader);
        break;
    default:
        ok = ingestCommandLog(ingest, reader);
        break;
    }
    *sha = reader.sha256Hex();
    return ok;
}

// The same bytes ingested before: recognised without touching the records. Only a regular
// file can be read twice.
bool Ingestor::isKnownFile(InputFile &input, const QByteArray &headHash,
                           const PrefetchedDocument *ready)
{
    if (!input.canRewind() || !m_store.findIngestedFile(input.size(), headHash, {}))
        return false;
    QByteArray sha;
    if (ready && ready->read) {
        // Read whole already: its hash, if it was read to its end.
        if (!ready->readError.isEmpty())
            return false;
        sha = ready->sha;
    } else {
        Sha256 full;
        const bool read = full.add(input.content());
        sha = full.finish().toHex();
        input.rewind();
        if (!read)
            return false; // a file not read to its end is not known by its hash
    }
    const auto known = m_store.findIngestedFile(input.size(), headHash, sha);
    if (!known)
        return false;
    m_counts.duplicates += known->records;
    ++m_counts.files;
    advance(input.size());
    return true;
}

// What was read must be the file: a read error, a cut-off gzip file or a file written to
// while it was read is reported, and the file is not remembered as ingested.
void Ingestor::checkWholeRead(InputFile &input, FileIngest &ingest)
{
    if (const QString error = input.readError(); !error.isEmpty())
        ingest.reject(0,
                      u"cannot read it to the end: %1; what was read before is kept"_s.arg(error));
    if (const QString change = input.changedWhileRead(); !change.isEmpty())
        ingest.reject(0, u"the file changed while it was read (%1); what was read is kept, "
                         "ingest it again once it no longer changes"_s.arg(change));
    if (input.isSequential())
        ingest.setSize(input.position());
}

} // namespace Tasktrail
