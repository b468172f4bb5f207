#pragma once

#include "records/identity.h"
#include "records/pullrequest.h"
#include "records/request.h"
#include "records/task.h"

#include <QJsonObject>

#include <variant>

namespace Tasktrail {

// Lines of a small log carried inside a record file (kind "log").
struct InlineLog
{
    QString taskId;
    int commandSeq = 0;
    qint64 firstLine = 1;
    QStringList lines;
};

using TasktrailRecord =
    std::variant<RequestRecord, CampaignRecord, RepoDecision, IdentityRecord, PolicyRecord,
                 TemplateRecord, TaskRecord, SessionRecord, CommandRecord, TestResult, FileChange,
                 ExternalContact, FailureRecord, PullRequestRecord, ReviewRecord, CheckRunRecord,
                 InlineLog>;

constexpr int tasktrailFormatVersion = 1;

// Maps one line of Tasktrail's record format (docs/record-format.md) to a record. Returns
// false with a reason naming the field for a wrong type, a missing key or an unknown kind.
// A raw `token` on an identity is hashed into hashed_token and dropped; *tokensHashed says
// how many were.
bool parseTasktrailRecord(const QJsonObject &object, TasktrailRecord *out, QString *error,
                          int *tokensHashed);

// base64(SHA-256(token)): the form of `hashed_token` in GitHub's audit log.
QString hashToken(const QString &token);

} // namespace Tasktrail
