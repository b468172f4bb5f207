#include "syncrecords.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

#include <cstdlib>

using namespace Qt::StringLiterals;

namespace Tasktrail::Sync {
namespace {

QDateTime timeOf(const QJsonValue &v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toUTC();
}

bool namesCopilot(const QJsonObject &run)
{
    const QString name = run.value("name"_L1).toString();
    const QString path = run.value("path"_L1).toString();
    return name.contains("copilot"_L1, Qt::CaseInsensitive) ||
           path.contains("copilot"_L1, Qt::CaseInsensitive);
}

QString rfc3339(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

} // namespace

std::optional<CopilotAsk> whoAskedCopilot(const QJsonArray &timeline)
{
    static const QRegularExpression mention(uR"((^|[^\w-])@copilot\b)"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    std::optional<CopilotAsk> comment;
    for (const QJsonValue &v : timeline) {
        const QJsonObject e = v.toObject();
        const QString event = e.value("event"_L1).toString();
        const QString actor = e.value("actor"_L1).toObject().value("login"_L1).toString();
        if (event == "copilot_work_started"_L1 && !actor.isEmpty())
            return CopilotAsk{actor, {}, timeOf(e.value("created_at"_L1)), event};
        if (event == "commented"_L1 && !comment) {
            const QString body = e.value("body"_L1).toString();
            QString author = e.value("user"_L1).toObject().value("login"_L1).toString();
            if (author.isEmpty())
                author = actor;
            if (!author.isEmpty() && mention.match(body).hasMatch())
                comment = CopilotAsk{author, body, timeOf(e.value("created_at"_L1)), u"comment"_s};
        }
    }
    return comment;
}

std::optional<qint64> matchSessionRun(const QJsonArray &workflowRuns, const QDateTime &start,
                                      const QDateTime &end, qint64 slackMs)
{
    if (!start.isValid())
        return std::nullopt;
    const QDateTime last = (end.isValid() ? end : start).addMSecs(slackMs);
    const QDateTime first = start.addMSecs(-slackMs);
    std::optional<qint64> best;
    qint64 bestDistance = 0;
    for (const QJsonValue &v : workflowRuns) {
        const QJsonObject run = v.toObject();
        if (!namesCopilot(run))
            continue;
        QDateTime at = timeOf(run.value("run_started_at"_L1));
        if (!at.isValid())
            at = timeOf(run.value("created_at"_L1));
        const qint64 id = run.value("id"_L1).toInteger(0);
        if (!at.isValid() || id <= 0 || at < first || at > last)
            continue;
        const qint64 distance = std::llabs(start.msecsTo(at));
        if (!best || distance < bestDistance) {
            best = id;
            bestDistance = distance;
        }
    }
    return best;
}

QString fileChangeKind(const QString &gitHubStatus)
{
    if (gitHubStatus == "added"_L1 || gitHubStatus == "copied"_L1)
        return u"added"_s;
    if (gitHubStatus == "removed"_L1)
        return u"deleted"_s;
    if (gitHubStatus == "renamed"_L1)
        return u"renamed"_s;
    return u"modified"_s;
}

QList<QJsonObject> taskRecords(const TaskLinks &links)
{
    QList<QJsonObject> out;
    const QString requestId = u"github-task:"_s % links.taskId;
    QJsonObject request{{u"tasktrail"_s, 1},
                        {u"kind"_s, u"request"_s},
                        {u"id"_s, requestId},
                        {u"trigger_system"_s, u"github"_s},
                        {u"correlation_id"_s, links.taskId}};
    QString text = links.prompt;
    if (links.ask && !links.ask->text.isEmpty())
        text = links.ask->text;
    if (!text.isEmpty())
        request.insert(u"text"_s, text);
    if (links.ask)
        request.insert(u"requester"_s, links.ask->login);
    if (links.createdAt.isValid())
        request.insert(u"created_at"_s, rfc3339(links.createdAt));
    out << request;

    QJsonObject task{{u"tasktrail"_s, 1},
                     {u"kind"_s, u"task"_s},
                     {u"id"_s, links.taskId},
                     {u"repo"_s, links.repo},
                     {u"request_id"_s, requestId}};
    if (links.ask) {
        // Copilot's cloud agent works as a GitHub App on behalf of the person who asked.
        const QString identityId = u"github-copilot:"_s % links.ask->login;
        out << QJsonObject{{u"tasktrail"_s, 1},
                           {u"kind"_s, u"identity"_s},
                           {u"id"_s, identityId},
                           {u"identity_kind"_s, u"github_app_user_token"_s},
                           {u"principal"_s, u"Copilot"_s},
                           {u"on_behalf_of"_s, links.ask->login}};
        task.insert(u"identity_id"_s, identityId);
    }
    QJsonArray files;
    for (const QJsonValue &v : links.files) {
        const QJsonObject f = v.toObject();
        const QString path = f.value("filename"_L1).toString();
        if (path.isEmpty())
            continue;
        files.append(
            QJsonObject{{u"path"_s, path},
                        {u"change"_s, fileChangeKind(f.value("status"_L1).toString())},
                        {u"additions"_s, qMax<qint64>(0, f.value("additions"_L1).toInteger(0))},
                        {u"deletions"_s, qMax<qint64>(0, f.value("deletions"_L1).toInteger(0))}});
    }
    if (!files.isEmpty())
        task.insert(u"files_changed"_s, files);
    out << task;
    return out;
}

TimeWindows mergeWindows(TimeWindows windows)
{
    std::sort(windows.begin(), windows.end());
    TimeWindows out;
    for (const auto &[start, end] : std::as_const(windows)) {
        if (!start.isValid() || !end.isValid() || end < start)
            continue;
        if (!out.isEmpty() && start <= out.last().second)
            out.last().second = std::max(out.last().second, end);
        else
            out.append({start, end});
    }
    return out;
}

QString windowsText(const TimeWindows &windows)
{
    QJsonArray spans;
    for (const auto &[start, end] : windows)
        spans.append(QJsonArray{rfc3339(start), rfc3339(end)});
    return QString::fromUtf8(QJsonDocument(spans).toJson(QJsonDocument::Compact));
}

TimeWindows windowsFromText(const QString &text)
{
    TimeWindows out;
    const QJsonArray spans = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &v : spans) {
        const QJsonArray span = v.toArray();
        const QDateTime start = timeOf(span.at(0));
        const QDateTime end = timeOf(span.at(1));
        if (start.isValid() && end.isValid() && start <= end)
            out.append({start, end});
    }
    return out;
}

QJsonObject withRepositoryName(QJsonObject task, const QString &fullName)
{
    QJsonObject repository = task.value("repository"_L1).toObject();
    repository.insert(u"full_name"_s, fullName);
    task.insert(u"repository"_s, repository);
    return task;
}

} // namespace Tasktrail::Sync
