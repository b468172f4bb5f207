// A GitHub Actions run's log archive (GET /repos/{o}/{r}/actions/runs/{id}/logs): a ZIP with
// one "{n}_{job}.txt" per job and, beside it, a folder "{job}/" of "{n}_{step}.txt" files.
// The whole archive is read and checked before anything is stored: a cut-off or corrupt
// archive is one error and ingests nothing.
#include "actionslogreader.h"
#include "fileingest.h"
#include "text/linereader.h"

#include <QBuffer>
#include <QFileInfo>
#include <QMap>
#include <QRegularExpression>

#include <zip.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Bigger than any run's logs; a bound for what one archive may unpack to in memory.
constexpr quint64 maxUnpacked = 1024ull * 1024 * 1024;

struct Entry
{
    int number = 0;
    QString name; // the job's or step's title, as GitHub cut it
    QString path; // inside the archive
    QByteArray content;
};

struct Job
{
    std::optional<Entry> log; // the whole job's log
    QList<Entry> steps;       // its steps' logs, when the archive has them
};

struct ZipCloser
{
    void operator()(zip_t *zip) const { zip_discard(zip); }
};

// "12_Build and test.txt" -> 12, "Build and test". GitHub writes -2147483648 for a job whose
// log it could not place.
std::optional<std::pair<int, QString>> numbered(const QString &fileName)
{
    static const QRegularExpression pattern(u"^(-?\\d{1,10})_(.*)\\.txt$"_s);
    const QRegularExpressionMatch m = pattern.match(fileName);
    bool ok = false;
    const int number = m.hasMatch() ? m.captured(1).toInt(&ok) : 0;
    if (!ok)
        return std::nullopt;
    return std::pair{number, m.captured(2)};
}

QString zipError(zip_error_t *error)
{
    return QString::fromUtf8(zip_error_strerror(error));
}

// Reads every entry; *error says why the archive cannot be read whole.
bool readArchive(const QByteArray &bytes, QMap<QString, Job> *jobs, QStringList *ignored,
                 QString *error)
{
    zip_error_t zipError_;
    zip_error_init(&zipError_);
    zip_source_t *source =
        zip_source_buffer_create(bytes.constData(), zip_uint64_t(bytes.size()), 0, &zipError_);
    if (!source) {
        *error = zipError(&zipError_);
        zip_error_fini(&zipError_);
        return false;
    }
    std::unique_ptr<zip_t, ZipCloser> zip(
        zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &zipError_));
    if (!zip) {
        *error = zipError(&zipError_);
        zip_error_fini(&zipError_);
        zip_source_free(source);
        return false;
    }
    zip_error_fini(&zipError_);
    const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
    quint64 unpacked = 0;
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t stat;
        if (zip_stat_index(zip.get(), zip_uint64_t(i), 0, &stat) != 0 ||
            !(stat.valid & ZIP_STAT_NAME) || !(stat.valid & ZIP_STAT_SIZE)) {
            *error = u"entry %1: %2"_s.arg(i + 1).arg(zipError(zip_get_error(zip.get())));
            return false;
        }
        const QString path = QString::fromUtf8(stat.name);
        if (path.endsWith(u'/'))
            continue;
        const qsizetype slash = path.indexOf(u'/');
        const auto number = numbered(path.mid(slash + 1));
        if (!number || path.indexOf(u'/', slash + 1) >= 0) {
            ignored->append(path);
            continue;
        }
        if (stat.size > maxUnpacked - unpacked) { // checked before adding: no wrap-around

            *error = u"it unpacks to more than %1 bytes"_s.arg(maxUnpacked);
            return false;
        }
        unpacked += stat.size;
        Entry entry{number->first, number->second, path, QByteArray(qsizetype(stat.size), '\0')};
        zip_file_t *file = zip_fopen_index(zip.get(), zip_uint64_t(i), 0);
        // Reading to the end checks the entry's CRC: a damaged entry fails here.
        const zip_int64_t got =
            file ? zip_fread(file, entry.content.data(), stat.size) : zip_int64_t(-1);
        char probe = 0;
        const bool whole = got == zip_int64_t(stat.size) && zip_fread(file, &probe, 1) == 0;
        const QString why =
            file ? zipError(zip_file_get_error(file)) : zipError(zip_get_error(zip.get()));
        if (file)
            zip_fclose(file);
        if (!whole) {
            *error = u"entry %1: %2"_s.arg(path, why);
            return false;
        }
        // A job GitHub could not place (-2147483648_...) yields to its numbered log.
        Job &job = (*jobs)[slash < 0 ? number->second : path.left(slash)];
        if (slash < 0 && (!job.log || job.log->number < 0)) {
            if (job.log)
                ignored->append(job.log->path);
            job.log = std::move(entry);
        } else if (slash < 0)
            ignored->append(path);
        else
            job.steps.append(std::move(entry));
    }
    return true;
}

// The task a run's archive is of, from the names GitHub gives it: "logs_{run id}.zip" (the
// web page's download) or "run-log-{run id}-{time}.zip" (GitHub CLI's cache).
QString runTaskId(const QString &path)
{
    static const QRegularExpression pattern(u"^(?:logs_|run-log-)(\\d{1,20})(?:-\\d+)?\\.zip$"_s);
    const QRegularExpressionMatch m = pattern.match(QFileInfo(path).fileName());
    return m.hasMatch() ? u"github-actions-run-"_s % m.captured(1) : QString();
}

bool writeEntry(FileIngest &ingest, JobLogWriter &writer, const Entry &entry, bool split)
{
    QByteArray content = entry.content;
    QBuffer buffer(&content);
    buffer.open(QIODevice::ReadOnly);
    LineReader reader(buffer, 1024 * 1024);
    writer.restartLines();
    if (!split && !writer.startStep(entry.name, 0))
        return false;
    QByteArray line;
    qsizetype fullLength = 0;
    while (reader.next(line, &fullLength)) {
        if (!writer.addLine(line, fullLength, 0, split))
            return false;
        if (!ingest.step(ingest.options().logBatchLines, 0))
            return false;
    }
    return writer.closeStep();
}

} // namespace

bool ingestActionsRunArchive(FileIngest &ingest, const QByteArray &archive)
{
    QMap<QString, Job> jobs;
    QStringList ignored;
    QString error;
    if (!readArchive(archive, &jobs, &ignored, &error)) {
        ingest.reject(0, u"not a whole ZIP archive (%1): nothing of it was ingested"_s.arg(error));
        return true;
    }
    if (jobs.isEmpty()) {
        ingest.reject(0, u"a ZIP archive without GitHub Actions job logs ({n}_{job}.txt); "
                         "Tasktrail reads the archive of a run's logs"_s);
        return true;
    }
    for (const QString &path : std::as_const(ignored))
        ingest.warn(
            0, u"%1: not read (not a job's or a step's log, or a second log of the same job)"_s.arg(
                   path));
    const IngestOptions &options = ingest.options();
    const QString taskId = options.taskId.isEmpty() ? runTaskId(ingest.path()) : options.taskId;
    if (taskId.isEmpty()) {
        ingest.reject(0, u"a run's log archive does not name its run: pass --task ID, or keep "
                         "GitHub's name for it (logs_{run id}.zip)"_s);
        return true;
    }
    // Jobs in the order the run numbered them; a job's steps in theirs.
    QList<std::pair<QString, Job>> ordered;
    for (auto it = jobs.begin(); it != jobs.end(); ++it) {
        std::sort(it->steps.begin(), it->steps.end(),
                  [](const Entry &a, const Entry &b) { return a.number < b.number; });
        ordered.append({it.key(), it.value()});
    }
    const auto order = [](const std::pair<QString, Job> &job) {
        return job.second.log ? job.second.log->number : job.second.steps.constFirst().number;
    };
    std::stable_sort(ordered.begin(), ordered.end(),
                     [&order](const auto &a, const auto &b) { return order(a) < order(b); });
    if (!ingest.ensureBatch())
        return false;
    JobLogWriter writer(ingest, taskId, options.commandSeq, {});
    if (!writer.writeTask())
        return false;
    int seq = qMax(1, options.commandSeq);
    for (const auto &[name, job] : std::as_const(ordered)) {
        JobLogWriter jobWriter(ingest, taskId, seq, options.commandPrefix % name % u": "_s);
        // A job's step files are its steps as the run named them; without them, its own log
        // is split at its group lines.
        if (!job.steps.isEmpty()) {
            for (const Entry &step : job.steps) {
                if (!writeEntry(ingest, jobWriter, step, false))
                    return false;
            }
        } else if (!writeEntry(ingest, jobWriter, *job.log, true)) {
            return false;
        }
        seq = jobWriter.nextCommand();
    }
    return true;
}

} // namespace Tasktrail
