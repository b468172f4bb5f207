#pragma once

// A small GitHub for the sync tests, played by FakeGitHub on loopback: one repository
// (acme/web) whose task list comes in three pages, one task with a pull request (reviews,
// changed files, check runs, a timeline that says alice asked Copilot), a session whose
// Actions run serves its logs from a second server and whose session log the Copilot API
// serves (here the same server: with an API other than github.com's the sync asks that API),
// and an organisation audit log.
#include "fakegithub.h"

#include <QtEndian>

namespace SyncWorld {

inline const QString repo = u"acme/web"_s;
inline const QString tasksPath = u"/agents/repos/acme/web/tasks"_s;
inline const QString logsPath = u"/repos/acme/web/actions/runs/3001/logs"_s;
inline const QString blobPath = u"/blob/3001.zip"_s;
// GET /agents/sessions/{id}/logs on the Copilot API, as `gh agent-task view --log` asks it.
inline const QString sessionLogPath = u"/agents/sessions/S1/logs"_s;

inline quint32 crc32(const QByteArray &bytes)
{
    quint32 crc = 0xffffffffu;
    for (const char c : bytes) {
        crc ^= quint8(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// A zip archive (APPNOTE.TXT) holding one stored (uncompressed) file, as Actions packs a job's
// log.
inline QByteArray zipOf(const QByteArray &name, const QByteArray &content)
{
    const auto le16 = [](QByteArray &b, quint16 v) {
        b.append(char(v & 0xff)).append(char(v >> 8));
    };
    const auto le32 = [&](QByteArray &b, quint32 v) {
        le16(b, quint16(v & 0xffff));
        le16(b, quint16(v >> 16));
    };
    const quint32 crc = crc32(content);
    QByteArray zip;
    le32(zip, 0x04034b50u);
    for (const quint16 v : {20, 0, 0, 0, 0})
        le16(zip, v);
    le32(zip, crc);
    le32(zip, quint32(content.size()));
    le32(zip, quint32(content.size()));
    le16(zip, quint16(name.size()));
    le16(zip, 0);
    zip += name + content;
    const quint32 directoryOffset = quint32(zip.size());
    QByteArray dir;
    le32(dir, 0x02014b50u);
    for (const quint16 v : {20, 20, 0, 0, 0, 0})
        le16(dir, v);
    le32(dir, crc);
    le32(dir, quint32(content.size()));
    le32(dir, quint32(content.size()));
    le16(dir, quint16(name.size()));
    for (const quint16 v : {0, 0, 0, 0})
        le16(dir, v);
    le32(dir, 0);
    le32(dir, 0);
    dir += name;
    zip += dir;
    le32(zip, 0x06054b50u);
    for (const quint16 v : {0, 0, 1, 1})
        le16(zip, v);
    le32(zip, quint32(dir.size()));
    le32(zip, directoryOffset);
    le16(zip, 0);
    return zip;
}

inline QByteArray runLogsZip()
{
    return zipOf("0_copilot.txt", "2026-03-01T10:00:31.0000000Z npm ci\n"
                                  "2026-03-01T10:01:02.0000000Z npm test\n");
}

// S1's session log: server-sent events, one `data: {chat.completion.chunk}` per line. The
// agent says what it will do, runs two commands (the bash tool's output ends with its exit
// code), edits a file and reports progress.
inline QByteArray sessionLog()
{
    const auto chunk = [](qint64 created, const QString &content, const QString &tool = {},
                          const QJsonObject &arguments = {}) -> QByteArray {
        QJsonObject delta{{u"role"_s, u"assistant"_s}, {u"content"_s, content}};
        if (!tool.isEmpty()) {
            const QString args =
                QString::fromUtf8(QJsonDocument(arguments).toJson(QJsonDocument::Compact));
            delta.insert(
                u"tool_calls"_s,
                QJsonArray{QJsonObject{
                    {u"index"_s, 0},
                    {u"id"_s, QString(u"call_"_s % QString::number(created))},
                    {u"type"_s, u"function"_s},
                    {u"function"_s, QJsonObject{{u"name"_s, tool}, {u"arguments"_s, args}}}}});
        }
        const QJsonObject c{
            {u"id"_s, u"chatcmpl-s1"_s},
            {u"object"_s, u"chat.completion.chunk"_s},
            {u"created"_s, created},
            {u"model"_s, u"gpt-5.4"_s},
            {u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0}, {u"delta"_s, delta}}}}};
        return "data: " + QJsonDocument(c).toJson(QJsonDocument::Compact) + '\n';
    };
    const qint64 t =
        QDateTime::fromString(u"2026-03-01T10:01:00Z"_s, Qt::ISODate).toSecsSinceEpoch();
    return QByteArray() + chunk(t, u"I will make the login button submit the form."_s) +
           chunk(t + 10, u"added 3 packages\n<exited with exit code 0>"_s, u"bash"_s,
                 QJsonObject{{u"command"_s, u"npm ci"_s}}) +
           chunk(t + 60, u"FAIL src/login.test.ts\n<exited with exit code 1>"_s, u"bash"_s,
                 QJsonObject{{u"command"_s, u"npm test -- login"_s}}) +
           chunk(t + 90, u"File /home/runner/work/acme/web/src/login.ts updated."_s,
                 u"str_replace"_s,
                 QJsonObject{{u"path"_s, u"/home/runner/work/acme/web/src/login.ts"_s},
                             {u"old_str"_s, u"onClick={noop}"_s},
                             {u"new_str"_s, u"onClick={submit}"_s}}) +
           chunk(t + 120, u"Progress reported."_s, u"report_progress"_s,
                 QJsonObject{{u"commitMessage"_s, u"Submit the login form"_s},
                             {u"prDescription"_s, u"- [x] The button submits the form"_s}});
}

inline QJsonObject listedTask(const QString &id, const QString &updated)
{
    return QJsonObject{
        {u"id"_s, id},
        {u"url"_s, QString(u"https://api.github.com/agents/repos/acme/web/tasks/"_s % id)},
        {u"html_url"_s, QString(u"https://github.com/acme/web/copilot/tasks/"_s % id)},
        {u"name"_s, QString(u"Task "_s % id)},
        {u"repository"_s, QJsonObject{{u"id"_s, 42}}},
        {u"state"_s, u"completed"_s},
        {u"created_at"_s, u"2026-03-01T10:00:00Z"_s},
        {u"updated_at"_s, updated}};
}

// T1's detail: a branch and a pull artifact, one session.
inline QJsonObject taskOne()
{
    QJsonObject t = listedTask(u"T1"_s, u"2026-03-01T10:30:00Z"_s);
    t.insert(u"session_count"_s, 1);
    t.insert(u"artifacts"_s,
             QJsonArray{QJsonObject{{u"provider"_s, u"github"_s},
                                    {u"type"_s, u"branch"_s},
                                    {u"data"_s, QJsonObject{{u"head_ref"_s, u"copilot/fix-login"_s},
                                                            {u"base_ref"_s, u"main"_s}}}},
                        QJsonObject{{u"provider"_s, u"github"_s},
                                    {u"type"_s, u"pull"_s},
                                    {u"data"_s, QJsonObject{{u"id"_s, 1001}}}}});
    t.insert(u"sessions"_s, QJsonArray{QJsonObject{{u"id"_s, u"S1"_s},
                                                   {u"task_id"_s, u"T1"_s},
                                                   {u"state"_s, u"completed"_s},
                                                   {u"created_at"_s, u"2026-03-01T10:00:05Z"_s},
                                                   {u"completed_at"_s, u"2026-03-01T10:20:00Z"_s},
                                                   {u"prompt"_s, u"Fix the login button"_s},
                                                   {u"head_ref"_s, u"copilot/fix-login"_s},
                                                   {u"base_ref"_s, u"main"_s},
                                                   {u"model"_s, u"gpt-5.4"_s}}});
    return t;
}

inline QJsonObject pullRequest()
{
    return QJsonObject{
        {u"id"_s, 1001},
        {u"number"_s, 7},
        {u"title"_s, u"Fix the login button"_s},
        {u"state"_s, u"open"_s},
        {u"url"_s, u"https://api.github.com/repos/acme/web/pulls/7"_s},
        {u"html_url"_s, u"https://github.com/acme/web/pull/7"_s},
        {u"user"_s, QJsonObject{{u"login"_s, u"Copilot"_s}}},
        {u"head"_s, QJsonObject{{u"ref"_s, u"copilot/fix-login"_s}, {u"sha"_s, u"abc123"_s}}},
        {u"base"_s, QJsonObject{{u"ref"_s, u"main"_s},
                                {u"repo"_s, QJsonObject{{u"full_name"_s, u"acme/web"_s}}}}},
        {u"created_at"_s, u"2026-03-01T10:19:00Z"_s},
        {u"updated_at"_s, u"2026-03-01T10:30:00Z"_s}};
}

inline QJsonObject checkRun(qint64 id, const QString &name)
{
    return QJsonObject{
        {u"id"_s, id},
        {u"name"_s, name},
        {u"head_sha"_s, u"abc123"_s},
        {u"status"_s, u"completed"_s},
        {u"conclusion"_s, u"success"_s},
        {u"url"_s,
         QString(u"https://api.github.com/repos/acme/web/check-runs/"_s % QString::number(id))},
        {u"html_url"_s, QString(u"https://github.com/acme/web/runs/"_s % QString::number(id))},
        {u"app"_s, QJsonObject{{u"slug"_s, u"github-actions"_s}}},
        {u"pull_requests"_s, QJsonArray{QJsonObject{{u"number"_s, 7}}}},
        {u"started_at"_s, u"2026-03-01T10:21:00Z"_s},
        {u"completed_at"_s, u"2026-03-01T10:24:00Z"_s}};
}

inline QByteArray link(const FakeGitHub &gh, const QString &path, int page)
{
    return "<" + (gh.baseUrl() % path % u"?page="_s % QString::number(page)).toUtf8() +
           ">; rel=\"next\"";
}

// Scripts the whole world; the logs redirect to `blobs`, which refuses any request carrying
// an Authorization header.
inline void script(FakeGitHub &gh, FakeGitHub &blobs)
{
    const auto tasks = [](const QJsonObject &t) {
        return QJsonObject{{u"tasks"_s, QJsonArray{t}}};
    };
    gh.on("GET", tasksPath,
          json(200, tasks(listedTask(u"T1"_s, u"2026-03-01T10:30:00Z"_s)),
               {{"Link", link(gh, tasksPath, 2)}}));
    gh.on("GET", tasksPath % u"?page=2"_s,
          json(200, tasks(listedTask(u"T2"_s, u"2026-03-02T10:30:00Z"_s)),
               {{"Link", link(gh, tasksPath, 3)}}));
    gh.on("GET", tasksPath % u"?page=3"_s,
          json(200, tasks(listedTask(u"T3"_s, u"2026-03-03T10:30:00Z"_s))));
    gh.on("GET", tasksPath % u"/T1"_s, json(200, taskOne()));
    gh.on("GET", tasksPath % u"/T2"_s, json(200, listedTask(u"T2"_s, u"2026-03-02T10:30:00Z"_s)));
    gh.on("GET", tasksPath % u"/T3"_s, json(200, listedTask(u"T3"_s, u"2026-03-03T10:30:00Z"_s)));
    gh.on("GET", u"/repos/acme/web/pulls"_s, json(200, QJsonArray{pullRequest()}));
    gh.on("GET", u"/repos/acme/web/pulls/7"_s, json(200, pullRequest()));
    gh.on("GET", u"/repos/acme/web/pulls/7/reviews"_s,
          json(200, QJsonArray{QJsonObject{
                        {u"id"_s, 501},
                        {u"user"_s, QJsonObject{{u"login"_s, u"bob"_s}}},
                        {u"state"_s, u"APPROVED"_s},
                        {u"commit_id"_s, u"abc123"_s},
                        {u"submitted_at"_s, u"2026-03-01T10:28:00Z"_s},
                        {u"pull_request_url"_s, u"https://api.github.com/repos/acme/web/pulls/7"_s},
                        {u"html_url"_s,
                         u"https://github.com/acme/web/pull/7#pullrequestreview-501"_s}}}));
    gh.on("GET", u"/repos/acme/web/pulls/7/files"_s,
          json(200, QJsonArray{QJsonObject{{u"filename"_s, u"src/login.ts"_s},
                                           {u"status"_s, u"modified"_s},
                                           {u"additions"_s, 3},
                                           {u"deletions"_s, 1}},
                               QJsonObject{{u"filename"_s, u"tests/login.test.ts"_s},
                                           {u"status"_s, u"added"_s},
                                           {u"additions"_s, 20},
                                           {u"deletions"_s, 0}}}));
    gh.on("GET", u"/repos/acme/web/commits/abc123/check-runs"_s,
          json(200, QJsonObject{{u"total_count"_s, 2},
                                {u"check_runs"_s, QJsonArray{checkRun(9001, u"build"_s),
                                                             checkRun(9002, u"test"_s)}}}));
    gh.on("GET", u"/repos/acme/web/issues/7/timeline"_s,
          json(200, QJsonArray{QJsonObject{{u"event"_s, u"commented"_s},
                                           {u"actor"_s, QJsonObject{{u"login"_s, u"carol"_s}}},
                                           {u"user"_s, QJsonObject{{u"login"_s, u"carol"_s}}},
                                           {u"body"_s, u"looks fine"_s},
                                           {u"created_at"_s, u"2026-03-01T09:59:00Z"_s}},
                               QJsonObject{{u"event"_s, u"copilot_work_started"_s},
                                           {u"actor"_s, QJsonObject{{u"login"_s, u"alice"_s}}},
                                           {u"created_at"_s, u"2026-03-01T10:00:04Z"_s}}}));
    gh.on("GET", u"/repos/acme/web/actions/runs"_s,
          json(200,
               QJsonObject{
                   {u"total_count"_s, 2},
                   {u"workflow_runs"_s,
                    QJsonArray{QJsonObject{{u"id"_s, 3000},
                                           {u"name"_s, u"CI"_s},
                                           {u"path"_s, u".github/workflows/ci.yml"_s},
                                           {u"status"_s, u"completed"_s},
                                           {u"run_started_at"_s, u"2026-03-01T10:00:06Z"_s}},
                               QJsonObject{{u"id"_s, 3001},
                                           {u"name"_s, u"Copilot"_s},
                                           {u"path"_s, u"dynamic/copilot-swe-agent/copilot"_s},
                                           {u"status"_s, u"completed"_s},
                                           {u"run_started_at"_s, u"2026-03-01T10:00:30Z"_s}}}}}));
    gh.on("GET", logsPath,
          Canned{302, {}, {{"Location", (blobs.baseUrl() % blobPath).toUtf8()}}, 0});
    blobs.on("GET", blobPath, Canned{200, runLogsZip(), {}, 0});
    gh.on("GET", sessionLogPath, Canned{200, sessionLog(), {{"Content-Type", "text/plain"}}, 0});
    blobs.hooks.append([](const ReceivedRequest &r) -> std::optional<Canned> {
        if (r.headers.contains("authorization"))
            return gitHubError(400, u"an Authorization header reached the log storage"_s);
        return std::nullopt;
    });
    // The organisation: its one repository and its audit log, one event in T1's window and
    // one a month before any task.
    gh.on("GET", u"/orgs/acme/repos"_s,
          json(200, QJsonArray{QJsonObject{{u"full_name"_s, u"acme/web"_s}}}));
    const qint64 inWindow =
        QDateTime::fromString(u"2026-03-01T10:05:00Z"_s, Qt::ISODate).toMSecsSinceEpoch();
    const qint64 before =
        QDateTime::fromString(u"2026-02-01T10:05:00Z"_s, Qt::ISODate).toMSecsSinceEpoch();
    const auto event = [](const char *id, qint64 at) {
        return QJsonObject{{u"_document_id"_s, QString::fromLatin1(id)},
                           {u"action"_s, u"git.push"_s},
                           {u"actor"_s, u"Copilot"_s},
                           {u"repo"_s, u"acme/web"_s},
                           {u"@timestamp"_s, at},
                           {u"created_at"_s, at}};
    };
    gh.on("GET", u"/orgs/acme/audit-log"_s,
          json(200, QJsonArray{event("doc-in", inWindow), event("doc-before", before)}));
    // Archived tasks (the same path, is_archived=true): none.
    gh.hooks.append([](const ReceivedRequest &r) -> std::optional<Canned> {
        if (r.query.queryItemValue(u"is_archived"_s) == u"true")
            return json(200, QJsonObject{{u"tasks"_s, QJsonArray{}}});
        return std::nullopt;
    });
}

} // namespace SyncWorld
