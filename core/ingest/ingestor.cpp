#include "ingestor.h"

#include "fileingest.h"
#include "linereader.h"
#include "policy/policyloader.h"
#include "store/recordstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>

#include <algorithm>

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

enum class Format
{
    Empty,
    TasktrailRecords,
    GitHubJson,
    AuditLogLines,
    AuditLogJson,
    GitHubRepositories,
    CommandLog
};

QString formatName(Format f)
{
    switch (f) {
    case Format::Empty:
        return u"empty"_s;
    case Format::TasktrailRecords:
        return u"tasktrail-jsonl"_s;
    case Format::GitHubJson:
        return u"github-json"_s;
    case Format::AuditLogLines:
        return u"github-audit-ndjson"_s;
    case Format::AuditLogJson:
        return u"github-audit-json"_s;
    case Format::GitHubRepositories:
        return u"github-repositories"_s;
    case Format::CommandLog:
        return u"command-log"_s;
    }
    return {};
}

qsizetype skipSpace(const QByteArray &head, qsizetype i)
{
    while (i < head.size() &&
           (head.at(i) == ' ' || head.at(i) == '\t' || head.at(i) == '\r' || head.at(i) == '\n'))
        ++i;
    return i;
}

// Decided from the first bytes: a JSON object line naming "tasktrail" is Tasktrail's record
// format; objects (one per line, or in an array) with an audit event's fields are GitHub
// audit-log events; any other leading '{', or a '[' opening an array of objects, is a GitHub
// JSON document; the rest (including "[INFO] ..." lines) is a command log.
Format detect(const QByteArray &head)
{
    const qsizetype i = skipSpace(head, head.startsWith("\xEF\xBB\xBF") ? 3 : 0);
    if (i >= head.size())
        return Format::Empty;
    const char c = head.at(i);
    if (c == '{') {
        const qsizetype nl = head.indexOf('\n', i);
        const QByteArray firstLine = head.mid(i, nl < 0 ? -1 : nl - i);
        if (firstLine.contains("\"tasktrail\""))
            return Format::TasktrailRecords;
        return looksLikeAuditLog(QByteArrayView(head).sliced(i)) ? Format::AuditLogLines
                                                                 : Format::GitHubJson;
    }
    if (c == '[') {
        const qsizetype next = skipSpace(head, i + 1);
        if (looksLikeAuditLog(QByteArrayView(head).sliced(i)))
            return Format::AuditLogJson;
        if (next >= head.size() || head.at(next) == '{' || head.at(next) == ']')
            return Format::GitHubJson;
    }
    return Format::CommandLog;
}

QStringList expand(const QStringList &paths, QStringList *missing)
{
    QStringList files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            QStringList inDir;
            QDirIterator it(path, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
            while (it.hasNext())
                inDir << it.next();
            std::sort(inDir.begin(), inDir.end());
            files += inDir;
        } else if (info.exists()) {
            files << path;
        } else {
            missing->append(path);
        }
    }
    return files;
}

bool isPolicyFile(const QString &path)
{
    return path.endsWith(u".toml"_s, Qt::CaseInsensitive);
}

} // namespace

bool Ingestor::loadPolicies(const QStringList &files)
{
    m_policyDocuments.clear();
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
    m_policyDocuments = result.documents;
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
    const qint64 step = qMax<qint64>(1, m_bytesTotal / 1000);
    if (m_lastReported < 0 || m_bytesDone - m_lastReported >= step || m_bytesDone == m_bytesTotal) {
        m_lastReported = m_bytesDone;
        Q_EMIT progress(m_bytesDone, m_bytesTotal);
    }
}

bool Ingestor::ingest(const QStringList &paths)
{
    m_counts = {};
    m_error.clear();
    m_cancelled.store(false);
    m_touchedTasks.clear();
    m_touchedPullRequests.clear();
    m_touchedTaskIds.clear();
    QStringList missing;
    const QStringList files = expand(paths, &missing);
    for (const QString &path : std::as_const(missing)) {
        ++m_counts.rejected;
        report({IngestIssue::Severity::Error, path, 0, u"no such file or directory"_s});
    }
    m_bytesTotal = 0;
    m_bytesDone = 0;
    m_lastReported = -1;
    for (const QString &file : files)
        m_bytesTotal += QFileInfo(file).size();
    // Templates and policies first, so the runs ingested with them are checked against them.
    if (!loadPolicies(files))
        return false;
    for (const QString &file : files) {
        if (isPolicyFile(file))
            continue;
        if (!ingestFile(file))
            return false;
        if (isCancelled()) {
            m_error = u"cancelled"_s;
            return false;
        }
    }
    if (!m_store.beginBatch() || !m_store.linkPullRequests() || !m_store.linkAuditEvents() ||
        !m_store.commitBatch()) {
        m_error = m_store.errorString();
        m_store.rollbackBatch();
        return false;
    }
    resolveTouchedTasks();
    return true;
}

// Pull requests and reviews name no task: the tasks they belong to are known once
// linkPullRequests() has run.
void Ingestor::resolveTouchedTasks()
{
    for (const auto &[repo, number] : std::as_const(m_touchedPullRequests)) {
        const QStringList ids = m_store.taskIdsForPullRequest(repo, number);
        for (const QString &id : ids)
            m_touchedTasks.insert(id);
    }
    m_touchedTaskIds = QStringList(m_touchedTasks.cbegin(), m_touchedTasks.cend());
    m_touchedTaskIds.sort();
}

bool Ingestor::ingestFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ++m_counts.rejected;
        report({IngestIssue::Severity::Error, path, 0, file.errorString()});
        return true;
    }
    const qint64 size = file.size();
    const QByteArray head = file.read(headSize);
    const QByteArray headHash = QCryptographicHash::hash(head, QCryptographicHash::Sha256).toHex();
    const Format detected = detect(head);
    Q_EMIT fileStarted(path, formatName(detected));

    if (detected == Format::Empty) {
        ++m_counts.warnings;
        report({IngestIssue::Severity::Warning, path, 0, u"file is empty"_s});
        advance(size);
        return true;
    }

    // The same bytes ingested before: recognise them without touching the records.
    if (m_store.findIngestedFile(size, headHash, {})) {
        file.seek(0);
        QCryptographicHash full(QCryptographicHash::Sha256);
        full.addData(&file);
        const auto known = m_store.findIngestedFile(size, headHash, full.result().toHex());
        if (known) {
            m_counts.duplicates += known->records;
            ++m_counts.files;
            advance(size);
            return true;
        }
    }
    file.seek(0);

    FileIngest ingest(*this, m_store, path, size);
    bool ok = true;
    QByteArray sha;
    Format format = detected;
    if (format == Format::GitHubJson || format == Format::AuditLogJson) {
        if (size > maxDocumentSize) {
            ingest.reject(
                0, u"JSON document of %1 bytes is larger than the %2 byte limit"_s.arg(size).arg(
                       maxDocumentSize));
            m_counts += ingest.counts();
            advance(size);
            return true;
        }
        const QByteArray document = file.readAll();
        sha = QCryptographicHash::hash(document, QCryptographicHash::Sha256).toHex();
        if (format == Format::GitHubJson && looksLikeRepositoryList(document))
            format = Format::GitHubRepositories;
        ok = format == Format::GitHubRepositories ? ingestRepositoryList(ingest, document)
             : format == Format::GitHubJson       ? ingestGitHubDocument(ingest, document)
                                                  : ingestAuditLogDocument(ingest, document);
    } else {
        LineReader reader(file, format == Format::CommandLog ? maxLogLine : maxRecordLine);
        ok = format == Format::TasktrailRecords ? ingestTasktrailRecords(ingest, reader)
             : format == Format::AuditLogLines  ? ingestAuditLogLines(ingest, reader)
                                                : ingestCommandLog(ingest, reader);
        sha = reader.sha256Hex();
    }
    ok = ok && ingest.finish(sha, headHash, formatName(format));
    if (!ok)
        ingest.abort();
    m_counts += ingest.counts();
    ++m_counts.files;
    return ok || isCancelled();
}

} // namespace Tasktrail
