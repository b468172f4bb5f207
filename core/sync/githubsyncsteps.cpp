// The per-task steps of a sync: the pull request and what hangs off it, the Actions runs of
// the sessions with their job logs, and the organisation's audit log.
#include "githubsync.h"

#include "ingest/ingestor.h"
#include "policy/storedspecs.h"
#include "runlogsink.h"
#include "store/recordstore.h"
#include "syncfetcher.h"
#include "syncpaths.h"
#include "syncspool.h"

#include <QBuffer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace Tasktrail {

using namespace Sync;

namespace {

// Commands per session log: session n of a task numbers its commands from n * this + 1.
constexpr qint64 sessionCommandBlock = 100'000;

// A session in one of these states has its whole log.
const QStringList finishedSessionStates = {u"completed"_s, u"failed"_s, u"timed_out"_s,
                                           u"cancelled"_s};

} // namespace

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

// A task's sessions' logs, each as `gh agent-task view --log` reads it (docs/github-sync.md):
// GET /agents/sessions/{id}/logs on the Copilot API. Session n of the task (from 1) numbers its
// commands from n * sessionCommandBlock + 1, apart from the steps of the job logs (from 1).
bool GitHubSync::syncSessionLogs(const QString &repo, const QString &taskId,
                                 const QJsonObject &task)
{
    const QJsonArray sessions = task.value("sessions"_L1).toArray();
    for (qsizetype i = 0; i < sessions.size(); ++i) {
        const qint64 first = (qint64(i) + 1) * sessionCommandBlock + 1;
        if (first + sessionCommandBlock > std::numeric_limits<int>::max()) {
            report(u"%1: task %2: more sessions than command numbers; the logs after session "
                   "%3 are not read"_s.arg(repo, taskId)
                       .arg(i));
            return true;
        }
        if (!syncSessionLog(repo, taskId, sessions.at(i).toObject(), int(first)))
            return false;
    }
    return true;
}

// One session's log. Its cursor holds the ETag of the log read and the session's last update
// then: a finished session whose update is the one read is not asked again; any other is asked
// with If-None-Match (a 304 costs no rate limit). A 404 is a session without a log.
bool GitHubSync::syncSessionLog(const QString &repo, const QString &taskId,
                                const QJsonObject &session, int firstCommand)
{
    const QString id = session.value("id"_L1).toString();
    if (id.isEmpty())
        return true;
    const QString source = u"session-log:"_s % id;
    const std::optional<SyncCursor> stored = m_store.syncCursor(source);
    QString stamp = session.value("completed_at"_L1).toString();
    if (stamp.isEmpty())
        stamp = session.value("updated_at"_L1).toString();
    const bool finished = finishedSessionStates.contains(session.value("state"_L1).toString());
    if (stored && finished && !stamp.isEmpty() && stored->seenUntil == stamp)
        return true;
    emitProgress(u"%1: session log %2"_s.arg(repo, id));
    const QByteArray etag = stored ? stored->etag : QByteArray();
    const GitHubResponse r =
        m_copilot->download(u"/agents/sessions/%1/logs"_s.arg(segment(id)), etag);
    if (r.notModified())
        return saveCursor(SyncCursor{source, {}, stamp, etag, stored->position, {}});
    if (r.status == 404)
        return true; // no log kept for this session
    if (!r.ok())
        return !fatalResponse(r);
    if (!ingestSessionLog(taskId, id, firstCommand, r.body))
        return false;
    ++m_summary.sessionLogs;
    m_summary.sessionLogBytes += r.body.size();
    return saveCursor(SyncCursor{source, {}, stamp, r.etag, QString::number(r.body.size()), {}});
}

// Through the Copilot session-log reader, as `tasktrail-cli ingest --session ID` reads a file.
bool GitHubSync::ingestSessionLog(const QString &taskId, const QString &sessionId, int firstCommand,
                                  const QByteArray &log)
{
    Ingestor ingestor(m_store);
    IngestOptions options;
    options.taskId = taskId;
    options.sessionId = sessionId;
    options.commandSeq = firstCommand;
    options.lastCommandSeq = int(firstCommand + sessionCommandBlock - 1);
    ingestor.setOptions(options);
    connect(&ingestor, &Ingestor::issueFound, this, [this](const IngestIssue &issue) {
        if (issue.severity == IngestIssue::Severity::Error)
            report(issue.toString());
    });
    if (!ingestor.ingestContent(u"session-%1.log"_s.arg(safeName(sessionId)), log)) {
        m_error = ingestor.errorString();
        return false;
    }
    CheckCounts counts;
    if (!checkAfterIngest(m_store, ingestor.runKeys(), ingestor.newPolicyDocuments(), &counts,
                          &m_error)) {
        m_error = u"conformance check: "_s % m_error;
        return false;
    }
    return true;
}

// The organisation's audit log from the earliest task window seen: one query (created on or
// after that time, every event kind, oldest first) that stays the same from sync to sync, so
// GitHub's own `after` cursor (from the Link header) says where the next sync goes on. Only
// the events inside some task's window are kept: the windows of the tasks this sync read and
// of those read before (kept beside the cursor, so a resumed query filters as the first did).
bool GitHubSync::syncAuditLog()
{
    const QString source = u"audit:"_s % m_options.org;
    SyncCursor cursor = m_store.syncCursor(source).value_or(SyncCursor{source, {}, {}, {}, {}, {}});
    const std::optional<SyncCursor> stored =
        m_store.syncCursor(u"audit-windows:"_s % m_options.org);
    const qint64 slack = m_options.auditWindowSlackMs;
    TimeWindows windows = stored ? windowsFromText(stored->position) : TimeWindows();
    windows += m_taskWindows;
    // Events come oldest first: a window that ended before the newest event stored matches
    // none of those still to come.
    const QDateTime seen = parseTime(cursor.seenUntil);
    m_auditWindows.clear();
    for (const auto &window : mergeWindows(windows)) {
        if (!seen.isValid() || window.second.addMSecs(slack) >= seen)
            m_auditWindows.append(window);
    }
    if (m_auditWindows.isEmpty())
        return true;
    const QDateTime from = m_auditWindows.first().first.addMSecs(-slack);
    const QDateTime asked = parseTime(cursor.since);
    if (!asked.isValid() || from < asked) {
        // A task older than the query (or none yet): a new query, from its start. What was
        // stored before is recognised and not stored twice.
        cursor.since = rfc3339(from);
        cursor.position.clear();
    }
    emitProgress(u"audit log of "_s % m_options.org);
    return syncAuditPages(u"created:>="_s % cursor.since, cursor);
}

// The cursor and the windows together: a resumed query filters with the windows it began with.
bool GitHubSync::saveAuditCursor(const SyncCursor &cursor)
{
    const SyncCursor windows{u"audit-windows:"_s % m_options.org, {}, {}, {},
                             windowsText(m_auditWindows),         {}};
    if (!m_store.beginBatch() || !m_store.writeSyncCursor(cursor) ||
        !m_store.writeSyncCursor(windows) || !m_store.commitBatch()) {
        m_error = m_store.errorString();
        m_store.rollbackBatch();
        return false;
    }
    return true;
}

// Page by page: each page's events are stored, then the cursor moves to the page's `after`, so
// a sync killed between pages goes on after the last page stored. The last page (no `after`,
// or no events) keeps the cursor where it was: the next sync reads it again, with whatever
// was added after it.
bool GitHubSync::syncAuditPages(const QString &phrase, SyncCursor cursor)
{
    const QString query = u"/orgs/%1/audit-log?include=all&order=asc&per_page=%2&phrase=%3"_s.arg(
        segment(m_options.org), QString::number(m_options.client.perPage), segment(phrase));
    for (int page = 0; page < m_options.client.maxPages; ++page) {
        QString path = query;
        if (!cursor.position.isEmpty())
            path += u"&after="_s % segment(cursor.position);
        const GitHubResponse r = m_fetch->get(path);
        if (!r.ok())
            return !fatalResponse(r);
        const QJsonArray events = r.json.array();
        QString newest = cursor.seenUntil;
        if (!keepAuditEvents(events, &newest))
            return false;
        cursor.seenUntil = newest;
        const QString after = QUrlQuery(r.next).queryItemValue(u"after"_s, QUrl::FullyDecoded);
        const bool last = events.isEmpty() || after.isEmpty();
        if (!last)
            cursor.position = after;
        if (!saveAuditCursor(cursor))
            return false;
        if (last)
            return true;
    }
    return true;
}

bool GitHubSync::keepAuditEvents(const QJsonArray &events, QString *newest)
{
    const qint64 slack = m_options.auditWindowSlackMs;
    QJsonArray kept;
    for (const QJsonValue &v : events) {
        const QJsonObject event = v.toObject();
        const QJsonValue stamp = event.value("@timestamp"_L1);
        const QDateTime at = stamp.isDouble()
                                 ? QDateTime::fromMSecsSinceEpoch(stamp.toInteger()).toUTC()
                                 : parseTime(event.value("created_at"_L1).toString());
        for (const auto &[start, end] : std::as_const(m_auditWindows)) {
            if (at.isValid() && at >= start.addMSecs(-slack) && at <= end.addMSecs(slack)) {
                kept.append(event);
                *newest = laterTime(*newest, rfc3339(at));
                break;
            }
        }
    }
    m_summary.auditEvents += int(kept.size());
    if (kept.isEmpty())
        return true;
    // A folder per page: the ingest reads a folder whole.
    const QString path = m_spool->filePath(
        u"audit/%1-%2/events.json"_s.arg(safeName(m_options.org), QString::number(++m_auditPages)));
    return writeDocument(path, QJsonDocument(kept).toJson(), &m_error) &&
           ingestDirectory(QFileInfo(path).absolutePath());
}

} // namespace Tasktrail
