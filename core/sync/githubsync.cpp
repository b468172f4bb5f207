#include "githubsync.h"

#include "ingest/ingestor.h"
#include "policy/storedspecs.h"
#include "records/recordvalues.h"
#include "runlogsink.h"
#include "store/recordstore.h"
#include "syncfetcher.h"
#include "syncpaths.h"
#include "syncrecords.h"
#include "syncspool.h"
#include "text/redactor.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace Tasktrail {

using namespace Sync;

namespace {

// A task list this many pages long moves its `since` up to the newest update read.
constexpr int movedSincePages = 5;

// The Copilot API's version and integration id, as `gh agent-task` sends them
// (cli/cli pkg/cmd/agent-task/capi/client.go).
constexpr QByteArrayView copilotApiVersion = "2026-01-09";
constexpr QByteArrayView copilotIntegrationId = "copilot-4-cli";

// Where the session logs are: the Copilot API beside github.com's API; with another API
// (GitHub Enterprise Server, a test server) that API itself.
GitHubClient::Options copilotClientOptions(const GitHubSyncOptions &options)
{
    GitHubClient::Options o = options.client;
    QUrl url = options.copilotApiUrl;
    if (url.isEmpty()) {
        url = o.baseUrl.host() == "api.github.com"_L1 ? QUrl(u"https://api.githubcopilot.com"_s)
                                                      : o.baseUrl;
    }
    if (url != o.baseUrl) {
        o.baseUrl = url;
        o.apiVersion = copilotApiVersion.toByteArray();
        o.apiHeaders.append({"Copilot-Integration-Id", copilotIntegrationId.toByteArray()});
    }
    return o;
}

} // namespace

QString GitHubSyncSummary::toString() const
{
    QString text = u"%1 tasks, %2 pull requests, %3 reviews, %4 check runs, %5 files changed, "
                   u"%6 job logs (%7), %8 session logs (%9), "_s.arg(tasks)
                       .arg(pullRequests)
                       .arg(reviews)
                       .arg(checkRuns)
                       .arg(filesChanged)
                       .arg(jobLogs)
                       .arg(humanBytes(jobLogBytes))
                       .arg(sessionLogs)
                       .arg(humanBytes(sessionLogBytes));
    text += u"%1 audit events; %2 requests answered 304"_s.arg(auditEvents).arg(notModified);
    if (problems > 0)
        text += u"; %1 problems"_s.arg(problems);
    if (cancelled)
        text += u"; cancelled"_s;
    return text;
}

QString GitHubSyncProgress::toString() const
{
    if (waitingUntil.isValid()) {
        return u"%1, resuming at %2"_s.arg(waitReason,
                                           waitingUntil.toLocalTime().toString(u"HH:mm:ss"_s));
    }
    QString text = total > 0 ? u"%1/%2 tasks"_s.arg(done).arg(total) : u"listing tasks"_s;
    if (etaSeconds >= 0)
        text += u", about %1 left"_s.arg(durationText(etaSeconds));
    if (!doing.isEmpty())
        text += u": "_s % doing;
    return text;
}

GitHubSync::GitHubSync(RecordStore &store, QByteArray token, RunLogSink &runLogs, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_token(std::move(token))
    , m_runLogs(runLogs)
{
    qRegisterMetaType<Tasktrail::GitHubSyncProgress>();
}

GitHubSync::~GitHubSync() = default;

bool GitHubSync::run(const GitHubSyncOptions &options)
{
    m_options = options;
    m_summary = {};
    m_error.clear();
    m_done = 0;
    m_total = 0;
    m_taskWindows.clear();
    m_auditPages = 0;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    m_fetch = std::make_unique<SyncFetcher>(options.client, m_token, m_cancelled);
    m_fetch->onWait = [this](const QDateTime &until, const QString &reason) {
        m_waitingUntil = until;
        m_waitReason = reason;
        emitProgress({});
    };
    m_copilot = std::make_unique<SyncFetcher>(copilotClientOptions(options), m_token, m_cancelled);
    m_copilot->onWait = m_fetch->onWait;
    // A fresh folder per run; the next run removes one a killed run left behind.
    m_spool = std::make_unique<SyncSpool>();
    if (!m_spool->open(options.spoolParent.isEmpty() ? SyncSpool::defaultParent()
                                                     : options.spoolParent,
                       &m_error))
        return false;
    bool ok = true;
    QStringList repos = options.repos;
    if (!options.org.isEmpty())
        ok = listOrganisationRepositories(&repos);
    if (ok)
        ok = repos.isEmpty() ? syncUserTasks() : syncRepositories(repos);
    if (ok && !options.org.isEmpty())
        ok = syncAuditLog();
    m_summary.requests = m_fetch->requests() + m_copilot->requests();
    m_summary.notModified = m_fetch->notModified() + m_copilot->notModified();
    m_spool.reset(); // what this run downloaded goes with it
    if (m_cancelled.load()) {
        m_summary.cancelled = true;
        m_error = u"cancelled"_s;
        return false;
    }
    return ok;
}

bool GitHubSync::listOrganisationRepositories(QStringList *repos)
{
    emitProgress(u"repositories of "_s % m_options.org);
    const GitHubResponse r =
        m_fetch->getAll(u"/orgs/%1/repos?type=all"_s.arg(segment(m_options.org)), {});
    if (!r.ok())
        return !fatalResponse(r);
    for (const QJsonValue &v : r.items) {
        const QString name = v.toObject().value("full_name"_L1).toString();
        if (!name.isEmpty() && !repos->contains(name, Qt::CaseInsensitive))
            repos->append(name);
    }
    return true;
}

bool GitHubSync::syncRepositories(const QStringList &repos)
{
    for (const QString &repo : repos) {
        if (const QString bad = RecordValues::badRepository(repo); !bad.isEmpty()) {
            report(u"--repo %1: %2"_s.arg(repo, bad));
            continue;
        }
        const QString path = u"/agents/repos/%1/tasks"_s.arg(repoPath(repo));
        for (const bool archived : {false, true}) {
            const QString source = (archived ? u"tasks-archived:"_s : u"tasks:"_s) % repo;
            if (!syncTaskList(source, path, archived, repo))
                return false;
        }
    }
    return true;
}

// GET /agents/tasks: the token's own tasks, each naming its repository by id only.
bool GitHubSync::syncUserTasks()
{
    for (const bool archived : {false, true}) {
        const QString source = archived ? u"tasks-archived:@me"_s : u"tasks:@me"_s;
        if (!syncTaskList(source, u"/agents/tasks"_s, archived, {}))
            return false;
    }
    return true;
}

bool GitHubSync::syncTaskList(const QString &source, const QString &path, bool archived,
                              const QString &repo)
{
    SyncCursor cursor = m_store.syncCursor(source).value_or(SyncCursor{source, {}, {}, {}, {}, {}});
    const QString asked = m_options.since.isValid() ? rfc3339(m_options.since) : QString();
    const QString since = laterTime(asked, cursor.since);
    // Every state, newest update first: whatever changed changes the first page, and so its
    // ETag.
    QString query = u"%1?state=%2&sort=updated_at&direction=desc&is_archived=%3"_s.arg(
        path, u"queued,in_progress,completed,failed,idle,waiting_for_user,timed_out,cancelled"_s,
        archived ? u"true"_s : u"false"_s);
    if (!since.isEmpty())
        query += u"&since="_s % QString::fromLatin1(QUrl::toPercentEncoding(since));
    emitProgress((repo.isEmpty() ? u"your tasks"_s : repo) %
                 (archived ? u": archived tasks"_s : u": tasks"_s));
    const QByteArray etag = since == cursor.since ? cursor.etag : QByteArray();
    const GitHubResponse r = m_fetch->getAll(query, u"tasks"_s, etag);
    if (r.notModified())
        return true;
    if (!r.ok())
        return !fatalResponse(r);

    const QDateTime seen = parseTime(cursor.seenUntil);
    QList<QJsonObject> changed;
    for (const QJsonValue &v : r.items) {
        const QJsonObject task = v.toObject();
        if (!seen.isValid() || parseTime(task.value("updated_at"_L1).toString()) > seen)
            changed << task;
    }
    m_total += int(changed.size());
    const int problemsBefore = m_summary.problems;
    QString newest = cursor.seenUntil;
    for (const QJsonObject &task : std::as_const(changed)) {
        QString taskRepo = repo;
        if (taskRepo.isEmpty())
            taskRepo = resolveRepository(
                task.value("repository"_L1).toObject().value("id"_L1).toInteger(0));
        if (m_cancelled.load())
            return false;
        if (!taskRepo.isEmpty() && !syncTask(taskRepo, task))
            return false;
        newest = laterTime(newest, task.value("updated_at"_L1).toString());
    }
    if (m_summary.problems != problemsBefore)
        return true; // the cursor stays: what failed is read again next time
    // Ask the same again next time with the first page's ETag (a 304 costs no rate limit);
    // once the list is long, move `since` up to keep it short (and lose the ETag once).
    const bool moveOn = r.pages >= movedSincePages;
    cursor.since = moveOn ? newest : since;
    cursor.etag = moveOn ? QByteArray() : r.etag;
    cursor.seenUntil = newest;
    cursor.updatedAt = {};
    return saveCursor(cursor);
}

bool GitHubSync::saveCursor(const SyncCursor &cursor)
{
    if (!m_store.beginBatch() || !m_store.writeSyncCursor(cursor) || !m_store.commitBatch()) {
        m_error = m_store.errorString();
        m_store.rollbackBatch();
        return false;
    }
    return true;
}

QString GitHubSync::resolveRepository(qint64 id)
{
    if (id <= 0) {
        report(u"a task names no repository id"_s);
        return {};
    }
    if (const auto it = m_repoNames.constFind(id); it != m_repoNames.cend())
        return *it;
    const GitHubResponse r = m_fetch->get(u"/repositories/%1"_s.arg(id));
    const QString name = r.json.object().value("full_name"_L1).toString();
    if (!r.ok() || RecordValues::badRepository(name).size() > 0) {
        if (r.ok() || !fatalResponse(r))
            report(u"repository %1: %2"_s.arg(id).arg(r.ok() ? u"no full_name"_s : r.error));
        return {};
    }
    m_repoNames.insert(id, name);
    return name;
}

bool GitHubSync::syncTask(const QString &repo, const QJsonObject &listed)
{
    const QString id = listed.value("id"_L1).toString();
    if (id.isEmpty()) {
        report(repo % u": a listed task has no id"_s);
        return true;
    }
    emitProgress(u"%1: task %2"_s.arg(repo, id));
    const GitHubResponse detail =
        m_fetch->get(u"/agents/repos/%1/tasks/%2"_s.arg(repoPath(repo), segment(id)));
    if (!detail.ok()) {
        if (fatalResponse(detail))
            return false;
        return true;
    }
    QJsonObject task = detail.json.object();
    if (!task.contains("url"_L1) && !task.contains("html_url"_L1))
        task = withRepositoryName(task, repo);
    const QString dir = m_spool->filePath(u"%1/%2/%3"_s.arg(
        safeName(repo.section(u'/', 0, 0)), safeName(repo.section(u'/', 1)), safeName(id)));
    // In the list wrapper: a task is read as one whatever optional fields it lacks.
    const QJsonObject wrapper{{u"tasks"_s, QJsonArray{task}}};
    if (!writeDocument(dir % u"/1-task.json"_s, QJsonDocument(wrapper).toJson(), &m_error))
        return false;
    ++m_summary.tasks;

    const QJsonArray sessions = task.value("sessions"_L1).toArray();
    TaskLinks links;
    links.taskId = id;
    links.repo = repo;
    links.createdAt = parseTime(task.value("created_at"_L1).toString());
    links.prompt =
        sessions.isEmpty() ? QString() : sessions.first().toObject().value("prompt"_L1).toString();
    if (links.prompt.isEmpty())
        links.prompt = task.value("name"_L1).toString();
    const QString headRef = taskHeadRef(task);
    if (!syncPullRequest(repo, task, headRef, dir, &links))
        return false;
    if (!writeRecords(dir % u"/5-records.jsonl"_s, taskRecords(links), &m_error) ||
        !ingestDirectory(dir))
        return false;
    if (!syncSessionRuns(repo, id, task, headRef) || !syncSessionLogs(repo, id, task))
        return false;
    const QDateTime created = links.createdAt;
    QDateTime updated = parseTime(task.value("updated_at"_L1).toString());
    if (created.isValid())
        m_taskWindows.append({created, updated.isValid() ? updated : created});
    ++m_done;
    emitProgress(u"%1: task %2"_s.arg(repo, id));
    return true;
}

bool GitHubSync::ingestDirectory(const QString &dir)
{
    Ingestor ingestor(m_store);
    connect(&ingestor, &Ingestor::issueFound, this, [this](const IngestIssue &issue) {
        if (issue.severity == IngestIssue::Severity::Error)
            report(issue.toString());
    });
    if (!ingestor.ingest({dir})) {
        m_error = ingestor.errorString();
        return false;
    }
    // As after any ingest: the tasks it wrote are checked against their template and policy.
    CheckCounts counts;
    if (!checkAfterIngest(m_store, ingestor.runKeys(), ingestor.newPolicyDocuments(), &counts,
                          &m_error)) {
        m_error = u"conformance check: "_s % m_error;
        return false;
    }
    return true;
}

bool GitHubSync::fatalResponse(const GitHubResponse &r)
{
    // A refused token or an exhausted rate limit would fail every other call the same way.
    if (r.errorKind == "cancelled"_L1 || r.errorKind == "auth"_L1 ||
        r.errorKind == "rate_limited"_L1) {
        m_error = r.error;
        return true;
    }
    report(r.error);
    return false;
}

void GitHubSync::report(const QString &message)
{
    ++m_summary.problems;
    // GitHub's messages quote what they were sent: text like any other.
    QString text = message;
    Redactor::redactText(text);
    Q_EMIT problem(text);
}

void GitHubSync::emitProgress(const QString &doing)
{
    if (!doing.isEmpty())
        m_waitingUntil = {}; // between two calls: no wait holds the sync
    GitHubSyncProgress p;
    p.done = m_done;
    p.total = m_total;
    p.doing = doing;
    if (m_done > 0 && m_total > m_done) {
        const qint64 elapsedMs = QDateTime::currentMSecsSinceEpoch() - m_startedMs;
        p.etaSeconds = elapsedMs * (m_total - m_done) / m_done / 1000;
    }
    if (m_waitingUntil.isValid() && m_waitingUntil > QDateTime::currentDateTimeUtc()) {
        p.waitingUntil = m_waitingUntil;
        p.waitReason = m_waitReason;
    }
    Q_EMIT progress(p);
}

} // namespace Tasktrail
