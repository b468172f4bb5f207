#pragma once

#include "records/pullrequest.h"
#include "records/task.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

// Pure conversion from GitHub REST and webhook JSON to Tasktrail records. No I/O and no
// store: the ingestor reads the file, calls splitDocument() and one of the toX() functions per
// item, and reports every failure as "file:line: reason".
namespace Tasktrail::GitHub {

enum class ItemKind
{
    AgentTask,
    PullRequest,
    Review,
    CheckRun,
    CheckSuite
};

// One recognised GitHub object, cut out of its document together with what its surroundings
// said about it (a webhook payload names the repository next to the object, not in it).
struct Item
{
    ItemKind kind = ItemKind::AgentTask;
    QJsonObject object;
    qint64 line = 1;      // 1-based line in the file where this element starts
    QString repoHint;     // owner/name from a webhook's repository.full_name
    int prNumberHint = 0; // from a webhook's pull_request.number or number
};

// Recognises a whole document and splits it into items:
//  - agent tasks (GET .../tasks/{id}), and the list wrapper {"tasks": [...]};
//  - pull requests, arrays of them, and `pull_request` webhook payloads;
//  - reviews, arrays of them, and `pull_request_review` webhook payloads;
//  - check runs, the list wrapper {"total_count", "check_runs": [...]}, and `check_run`
//    webhook payloads;
//  - check suites, the list wrapper {"total_count", "check_suites": [...]}, and `check_suite`
//    webhook payloads.
// A list of what Tasktrail does not read ({"workflow_runs": [...]}, {"jobs": [...]},
// {"artifacts": [...]}) is one unrecognised entry that says so.
// Replaces *items and *unrecognised. Elements that are none of these land in *unrecognised as
// (line, reason) and the rest is still returned. A list (an array, or the array of a list
// wrapper) that is not valid JSON as a whole is read element by element: malformed elements,
// a cut-off end and text after the list land in *unrecognised too. Returns false with *error
// and *errorLine set when the bytes are not JSON and no list can be read from them (including
// invalid UTF-8 and an empty file). Any output pointer may be null.
bool splitDocument(const QByteArray &json, QList<Item> *items,
                   QList<QPair<qint64, QString>> *unrecognised, QString *error, qint64 *errorLine);

// QJsonDocument keeps no positions, so the line where each element of one array starts comes
// from a pass over the raw bytes of the (already validated) document. An empty key means the
// top-level array; otherwise the array under that key of the top-level object.
QList<qint64> elementLines(const QByteArray &json, QByteArrayView key);

// Each returns false and sets *error ("field 'x': expected string", "missing 'number'") when a
// field has the wrong type, a required field is absent, or the repository cannot be told.
bool toTask(const Item &item, TaskRecord *out, QString *error);
bool toPullRequest(const Item &item, PullRequestRecord *out, QString *error);
bool toReview(const Item &item, ReviewRecord *out, QString *error);
bool toCheckRun(const Item &item, CheckRunRecord *out, QString *error);
bool toCheckSuite(const Item &item, CheckSuiteRecord *out, QString *error);

} // namespace Tasktrail::GitHub
