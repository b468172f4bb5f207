#pragma once

#include "store/storeconnection.h"

#include "records/auditevent.h"
#include "records/evidence.h"
#include "records/identity.h"
#include "records/logline.h"
#include "records/pullrequest.h"
#include "records/request.h"
#include "records/summaries.h"
#include "records/task.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace Tasktrail {

struct RedactedLogLine;

// What one ingest run wrote that pull-request linking depends on
// (IngestWriter::linkPullRequests(const PullRequestLinkScope &)).
struct PullRequestLinkScope
{
    QStringList taskIds;
    QList<std::pair<QString, int>> pullRequests;   // repo, number (reviews name theirs)
    QList<std::pair<QString, QString>> checkHeads; // repo, head sha of check runs
};

// Writes records as ingest reads them (every reader, the launch queue's finished runs).
// Writes are merged, not replaced: a field a record leaves empty keeps what an earlier record
// said, so a task described by Tasktrail's own records and by GitHub's API ends up as one row.
// Every write belongs to the open batch; every committed batch extends the evidence chain.
class IngestWriter : public virtual StoreConnection
{
public:
    // Remembers a record's content hash; *isNew is false when it was stored before (a
    // duplicate). Returns false on a database error.
    virtual bool markRecordSeen(const QByteArray &contentHash, bool *isNew) = 0;

    virtual bool writeRequest(const RequestRecord &request) = 0;
    virtual bool writeCampaign(const CampaignRecord &campaign) = 0; // with its decisions
    virtual bool writeDecision(const RepoDecision &decision) = 0;
    virtual bool writeIdentity(const IdentityRecord &identity) = 0;
    virtual bool writePolicy(const PolicyRecord &policy) = 0;
    virtual bool writeTemplate(const TemplateRecord &taskTemplate) = 0;
    virtual bool writeTask(const TaskRecord &task) = 0; // with its nested lists
    virtual bool writeSession(const SessionRecord &session) = 0;
    virtual bool writeCommand(const CommandRecord &command) = 0;
    virtual bool writeTest(const TestResult &test) = 0;
    virtual bool writeFileChange(const FileChange &change) = 0;
    virtual bool writeContact(const ExternalContact &contact) = 0;
    virtual bool writeFailure(const FailureRecord &failure) = 0;
    virtual bool writePullRequest(const PullRequestRecord &pr) = 0;
    virtual bool writeReview(const ReviewRecord &review) = 0;
    virtual bool writeCheckRun(const CheckRunRecord &checkRun) = 0;
    virtual bool writeCheckSuite(const CheckSuiteRecord &checkSuite) = 0;
    // A session's transcript replaces the one stored before for that session.
    virtual bool writeTranscript(const TranscriptRecord &transcript) = 0;
    // One entry of a session's conversation, replacing the one stored with its number.
    virtual bool writeTranscriptEntry(const TranscriptEntry &entry) = 0;
    // The command a tool call of the task became when an earlier ingest stored it, else the
    // task's next free command number (past its commands and its entries' command numbers):
    // a transcript read again numbers its commands as before. nullopt on a database error.
    virtual std::optional<int> commandSeqForCall(const QString &taskId, const QString &callId) = 0;

    // The key of a task's command, creating a placeholder command when logs arrive first.
    virtual std::optional<qint64> commandKey(const QString &taskId, int seq) = 0;
    // The commands the open batch may create, in the order its input names them (task id,
    // number): a new one among them gets its key in this order, whatever order it is written
    // in, and a new one not among them a key after theirs. A batch of records is written in
    // its tasks' key order (FileIngest::readPreparedLines), and a command's key is the first
    // part of its log lines' ids: in the input's order, logs that follow it are appended. Holds
    // until the batch commits or rolls back; false on a database error.
    virtual bool planCommandKeys(const QList<std::pair<QString, int>> &commands) = 0;
    // Whether a batch of records may be written in its keys' order rather than its input's.
    // Only where one writer writes at a time: two batches writing the same tasks in different
    // orders at once would each wait for the other's rows.
    virtual bool writesBatchesInKeyOrder() const = 0;
    // Appends one line; *inserted is false when that line number was stored before. The line
    // is taken as read (`ansi`, when set, else `text`, may hold ANSI escapes): the store
    // redacts the text without its escapes and derives the stored colours from the redacted
    // text, following a private key block across a command's consecutive lines.
    virtual bool appendLogLine(qint64 commandKey, const LogLine &line, bool *inserted) = 0;
    // The same for a line that went through LogRedaction::prepare() already (on a reader's
    // thread, store/recordredaction.h): the store finishes its redaction (the key block state of
    // its command) and writes it. appendLogLine() is prepare() and this.
    virtual bool appendRedactedLogLine(qint64 commandKey, RedactedLogLine &line,
                                       bool *inserted) = 0;

    // Joins pull requests to tasks by repository + head ref or head sha where the task did
    // not name its PR number. Called once at the end of an ingest run.
    virtual bool linkPullRequests() = 0;
    // The same links, for what one ingest run wrote: its tasks, its pull requests and the
    // heads of its check runs. A task outside the scope that names no PR is linked only when it
    // matches a pull request of the scope, so the cost follows the run, not the database.
    virtual bool linkPullRequests(const PullRequestLinkScope &scope) = 0;

    // Stores a GitHub audit-log event keyed by its id; *inserted is false when that id was
    // stored before (the event is left as it was).
    virtual bool writeAuditEvent(const AuditEvent &event, bool *inserted) = 0;
    // Correlates audit events with task windows (docs/data-model.md, "Audit events"), for
    // events new since the last call and for tasks whose window or identity changed. Called
    // once at the end of an ingest run. *relinkedTasks (when given) receives the tasks that
    // gained or lost a link to an event a check reads (TaskQueries::OutlineScope::Check: one in
    // another repository): what the check sees of their audit trail changed, so they are checked
    // again. A link to an event in the task's own repository changes no finding.
    virtual bool linkAuditEvents(QStringList *relinkedTasks) = 0;

    // Bracket an ingest run's writes, outside any batch. Between them a store may leave work
    // that each written row would cost and no write reads (an index only reads use) for
    // endBulkLoad() to do at once. Neither fails: without them the run is only slower.
    virtual void beginBulkLoad() {}
    virtual void endBulkLoad() {}

    virtual std::optional<IngestedFile> findIngestedFile(qint64 size, const QByteArray &headHash,
                                                         const QByteArray &sha256) = 0;
    virtual bool recordIngestedFile(const IngestedFile &file) = 0;
};

} // namespace Tasktrail
