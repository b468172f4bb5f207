// The per-task steps of a sync: the pull request and what hangs off it, the Actions runs of
// the sessions with their job logs, and the organisation's audit log.
#include "githubsync.h"

#include "runlogsink.h"
#include "store/recordstore.h"
#include "syncfetcher.h"
#include "syncpaths.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace Tasktrail {

using namespace Sync;

// The task's pull request: by its head branch (GET .../pulls?head=owner:branch), the one whose
// id or number is the pull artifact's id when there are several; without a branch, the
// artifact's id read as a number.
std::optional<int> GitHubSync::findPullRequest(const QString &repo, const QJsonObject &task,
                                               const QString &headRef, bool *fatal)
{
    const qint64 artifact = pullArtifactId(task);
    *fatal = false;
    if (!headRef.isEmpty()) {
        const QString head = repo.section(u'/', 0, 0) % u':' % headRef;
        const GitHubResponse r = m_fetch->getAll(
            u"/repos/%1/pulls?state=all&head=%2"_s.arg(repoPath(repo), segment(head)), {});
        if (!r.ok()) {
            *fatal = fatalResponse(r);
            return std::nullopt;
        }
        std::optional<int> first;
        for (const QJsonValue &v : r.items) {
            const QJsonObject pr = v.toObject();
            const qint64 number = pr.value("number"_L1).toInteger(0);
            if (number <= 0 || number > std::numeric_limits<int>::max())
                continue;
            if (artifact > 0 && (pr.value("id"_L1).toInteger(0) == artifact || number == artifact))
                return int(number);
            if (!first)
                first = int(number);
        }
        return first;
    }
    if (artifact > 0 && artifact <= std::numeric_limits<int>::max())
        return int(artifact);
    return std::nullopt;
}

bool GitHubSync::syncPullRequest(const QString &repo, const QJsonObject &task,
                                 const QString &headRef, const QString &dir, TaskLinks *links)
{
    bool fatal = false;
    const std::optional<int> number = findPullRequest(repo, task, headRef, &fatal);
    if (fatal)
        return false;
    if (!number)
        return true;
    const QString pulls = u"/repos/%1/pulls/%2"_s.arg(repoPath(repo)).arg(*number);
    const GitHubResponse pr = m_fetch->get(pulls);
    if (!pr.ok())
        return !fatalResponse(pr);
    if (!writeDocument(dir % u"/2-pull.json"_s, QJsonDocument(pr.json.object()).toJson(), &m_error))
        return false;
    ++m_summary.pullRequests;

    const GitHubResponse reviews = m_fetch->getAll(pulls % u"/reviews"_s, {});
    if (!reviews.ok() && fatalResponse(reviews))
        return false;
    if (!reviews.items.isEmpty()) {
        m_summary.reviews += int(reviews.items.size());
        if (!writeDocument(dir % u"/3-reviews.json"_s, QJsonDocument(reviews.items).toJson(),
                           &m_error))
            return false;
    }
    const GitHubResponse files = m_fetch->getAll(pulls % u"/files"_s, {});
    if (!files.ok() && fatalResponse(files))
        return false;
    links->files = files.items;
    m_summary.filesChanged += int(files.items.size());

    const QString sha = pr.json.object().value("head"_L1).toObject().value("sha"_L1).toString();
    if (!sha.isEmpty()) {
        const GitHubResponse checks =
            m_fetch->getAll(u"/repos/%1/commits/%2/check-runs"_s.arg(repoPath(repo), segment(sha)),
                            u"check_runs"_s);
        if (!checks.ok() && fatalResponse(checks))
            return false;
        if (!checks.items.isEmpty()) {
            m_summary.checkRuns += int(checks.items.size());
            const QJsonObject wrapper{{u"total_count"_s, checks.items.size()},
                                      {u"check_runs"_s, checks.items}};
            if (!writeDocument(dir % u"/4-check-runs.json"_s, QJsonDocument(wrapper).toJson(),
                               &m_error))
                return false;
        }
    }
    const GitHubResponse timeline =
        m_fetch->getAll(u"/repos/%1/issues/%2/timeline"_s.arg(repoPath(repo)).arg(*number), {});
    if (!timeline.ok() && fatalResponse(timeline))
        return false;
    links->ask = whoAskedCopilot(timeline.items);
    return true;
}

// Each session's Actions run: the runs on the task's branch, matched by time.
bool GitHubSync::syncSessionRuns(const QString &repo, const QString &taskId,
                                 const QJsonObject &task, const QString &headRef)
{
    const QJsonArray sessions = task.value("sessions"_L1).toArray();
    if (sessions.isEmpty() || headRef.isEmpty())
        return true;
    const GitHubResponse runs =
        m_fetch->getAll(u"/repos/%1/actions/runs?branch=%2"_s.arg(repoPath(repo), segment(headRef)),
                        u"workflow_runs"_s);
    if (!runs.ok())
        return !fatalResponse(runs);
    QHash<qint64, QJsonObject> byId;
    for (const QJsonValue &v : runs.items)
        byId.insert(v.toObject().value("id"_L1).toInteger(0), v.toObject());
    QSet<qint64> done;
    for (const QJsonValue &v : sessions) {
        const QJsonObject session = v.toObject();
        const QDateTime start = parseTime(session.value("created_at"_L1).toString());
        QDateTime end = parseTime(session.value("completed_at"_L1).toString());
        if (!end.isValid())
            end = parseTime(session.value("updated_at"_L1).toString());
        const std::optional<qint64> runId =
            matchSessionRun(runs.items, start, end, m_options.sessionRunSlackMs);
        if (!runId || done.contains(*runId))
            continue;
        done.insert(*runId);
        if (!syncRunLogs(repo, taskId, byId.value(*runId)))
            return false;
    }
    return true;
}

// A finished run's job logs, once: GitHub answers 302 to a short-lived URL on another host,
// which download() follows without the token.
bool GitHubSync::syncRunLogs(const QString &repo, const QString &taskId, const QJsonObject &run)
{
    const qint64 runId = run.value("id"_L1).toInteger(0);
    if (run.value("status"_L1).toString() != "completed"_L1)
        return true; // its logs are not final yet: the next sync reads them
    const QString source = u"run-logs:%1#%2"_s.arg(repo).arg(runId);
    if (m_store.syncCursor(source))
        return true;
    emitProgress(u"%1: job logs of run %2"_s.arg(repo).arg(runId));
    GitHubResponse logs =
        m_fetch->download(u"/repos/%1/actions/runs/%2/logs"_s.arg(repoPath(repo)).arg(runId));
    if (!logs.ok())
        return !fatalResponse(logs);
    if (const QString problem = zipArchiveProblem(logs.body); !problem.isEmpty()) {
        report(u"%1: job logs of run %2: %3; they are downloaded again next time"_s.arg(repo)
                   .arg(runId)
                   .arg(problem));
        return true;
    }
    QBuffer zip(&logs.body);
    zip.open(QIODevice::ReadOnly);
    QString error;
    if (!m_runLogs.ingestRunLogsZip(taskId, runId, &zip, &error)) {
        report(u"%1: job logs of run %2: %3"_s.arg(repo).arg(runId).arg(error));
        return true;
    }
    if (!error.isEmpty())
        report(u"%1: job logs of run %2: %3"_s.arg(repo).arg(runId).arg(error));
    ++m_summary.jobLogs;
    m_summary.jobLogBytes += logs.body.size();
    return saveCursor(SyncCursor{source, {}, {}, {}, QString::number(logs.body.size()), {}});
}

// The organisation's audit log over the windows of the tasks this sync read: one query
// (created:FROM..TO, every event kind, oldest first), followed through its cursor pages, then
// only the events inside some task's window are kept.
bool GitHubSync::syncAuditLog()
{
    if (m_taskWindows.isEmpty())
        return true;
    QDateTime from = m_taskWindows.first().first;
    QDateTime to = m_taskWindows.first().second;
    for (const auto &[start, end] : std::as_const(m_taskWindows)) {
        from = std::min(from, start);
        to = std::max(to, end);
    }
    const qint64 slack = m_options.auditWindowSlackMs;
    from = from.addMSecs(-slack);
    to = to.addMSecs(slack);
    const QString source = u"audit:"_s % m_options.org;
    SyncCursor cursor = m_store.syncCursor(source).value_or(SyncCursor{source, {}, {}, {}, {}, {}});
    const QString phrase = u"created:%1..%2"_s.arg(rfc3339(from), rfc3339(to));
    emitProgress(u"audit log of "_s % m_options.org);
    const GitHubResponse r =
        m_fetch->getAll(u"/orgs/%1/audit-log?include=all&order=asc&phrase=%2"_s.arg(
                            segment(m_options.org), segment(phrase)),
                        {}, cursor.position == phrase ? cursor.etag : QByteArray());
    if (r.notModified())
        return true;
    if (!r.ok())
        return !fatalResponse(r);
    QJsonArray kept;
    QString newest = cursor.seenUntil;
    for (const QJsonValue &v : r.items) {
        const QJsonObject event = v.toObject();
        const QJsonValue stamp = event.value("@timestamp"_L1);
        const QDateTime at = stamp.isDouble()
                                 ? QDateTime::fromMSecsSinceEpoch(stamp.toInteger()).toUTC()
                                 : parseTime(event.value("created_at"_L1).toString());
        for (const auto &[start, end] : std::as_const(m_taskWindows)) {
            if (at.isValid() && at >= start.addMSecs(-slack) && at <= end.addMSecs(slack)) {
                kept.append(event);
                newest = laterTime(newest, rfc3339(at));
                break;
            }
        }
    }
    m_summary.auditEvents += int(kept.size());
    if (!kept.isEmpty()) {
        const QString path = m_spool->filePath(u"audit/%1.json"_s.arg(safeName(m_options.org)));
        if (!writeDocument(path, QJsonDocument(kept).toJson(), &m_error) ||
            !ingestDirectory(QFileInfo(path).absolutePath()))
            return false;
    }
    return saveCursor(SyncCursor{source, {}, newest, r.etag, phrase, {}});
}

} // namespace Tasktrail
