#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// What the sync makes of GitHub's answers beyond the documents the GitHub reader takes as
// they are: who asked Copilot, which Actions run ran a session, and the Tasktrail records
// (docs/record-format.md) that tie a task to its request, identity and changed files. Pure
// functions over JSON: no I/O.
namespace Tasktrail::Sync {

// Who asked Copilot to work on a pull request, from its issue timeline
// (GET /repos/{o}/{r}/issues/{n}/timeline): the actor of the first `copilot_work_started`
// event, else the author of the first comment that mentions @copilot (with its text).
struct CopilotAsk
{
    QString login;
    QString text; // the comment, when a comment asked
    QDateTime at;
    QString how; // "copilot_work_started" or "comment"
};
std::optional<CopilotAsk> whoAskedCopilot(const QJsonArray &timeline);

// The workflow run (an element of GET /repos/{o}/{r}/actions/runs's workflow_runs) that ran a
// session: a run of the Copilot workflow (its name or path names Copilot) whose start lies in
// [start - slack, end + slack], the one starting nearest `start`. The run's id, or nullopt.
std::optional<qint64> matchSessionRun(const QJsonArray &workflowRuns, const QDateTime &start,
                                      const QDateTime &end, qint64 slackMs);

// GitHub's file status (GET .../pulls/{n}/files) as a file_change's `change`.
QString fileChangeKind(const QString &gitHubStatus);

struct TaskLinks
{
    QString taskId;
    QString repo;
    QDateTime createdAt;
    QString prompt; // the first session's prompt, or the task's name
    std::optional<CopilotAsk> ask;
    QJsonArray files; // GET .../pulls/{n}/files
};

// The request, identity and task lines (JSON objects with "tasktrail": 1) for one task. The
// request is "github-task:<id>"; the identity, when the asker is known, is Copilot acting for
// them ("github-copilot:<login>").
QList<QJsonObject> taskRecords(const TaskLinks &links);

// Spans of time (start, end), such as the tasks' windows the audit log is filtered to.
using TimeWindows = QList<std::pair<QDateTime, QDateTime>>;
// Sorted by start, overlapping or touching spans joined into one.
TimeWindows mergeWindows(TimeWindows windows);
// As text for a sync cursor ("[[from, to], ...]" in RFC 3339), and back; unreadable spans are
// left out.
QString windowsText(const TimeWindows &windows);
TimeWindows windowsFromText(const QString &text);

// The repository of an agent task when it names it by id only (the GET /agents/tasks
// items): the task with repository.full_name filled in, which the GitHub reader takes when
// neither url nor html_url names the repository.
QJsonObject withRepositoryName(QJsonObject task, const QString &fullName);

} // namespace Tasktrail::Sync
