// Tasktrail's own record format: one JSON object per line.
#include "fileingest.h"
#include "overloaded.h"
#include "store/recordstore.h"
#include "tasktrailrecord.h"
#include "text/jsonelements.h"
#include "text/linereader.h"
#include "text/logtext.h"
#include "text/redactor.h"
#include "text/sha256.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

bool writeInlineLog(FileIngest &ingest, const InlineLog &log, qint64 fileLine)
{
    const auto key = ingest.store().commandKey(log.taskId, log.commandSeq);
    if (!key)
        return false;
    qint64 lineNo = log.firstLine;
    for (const QString &text : log.lines) {
        LogLine line;
        line.lineNo = lineNo++;
        line.text = text.toUtf8(); // the store redacts it and splits off its colours
        if (!ingest.appendLogLine(*key, line, fileLine, FileIngest::LineCount::InRecord))
            return false;
    }
    return true;
}

bool write(FileIngest &ingest, const TasktrailRecord &record, qint64 lineNo)
{
    RecordStore &s = ingest.store();
    return std::visit(Overloaded{
                          [&](const RequestRecord &r) { return s.writeRequest(r); },
                          [&](const CampaignRecord &r) { return s.writeCampaign(r); },
                          [&](const RepoDecision &r) { return s.writeDecision(r); },
                          [&](const IdentityRecord &r) { return s.writeIdentity(r); },
                          [&](const PolicyRecord &r) { return s.writePolicy(r); },
                          [&](const TemplateRecord &r) { return s.writeTemplate(r); },
                          [&](const TaskRecord &r) { return s.writeTask(r); },
                          [&](const SessionRecord &r) { return s.writeSession(r); },
                          [&](const CommandRecord &r) { return s.writeCommand(r); },
                          [&](const TestResult &r) { return s.writeTest(r); },
                          [&](const FileChange &r) { return s.writeFileChange(r); },
                          [&](const ExternalContact &r) { return s.writeContact(r); },
                          [&](const FailureRecord &r) { return s.writeFailure(r); },
                          [&](const PullRequestRecord &r) { return s.writePullRequest(r); },
                          [&](const ReviewRecord &r) { return s.writeReview(r); },
                          [&](const CheckRunRecord &r) { return s.writeCheckRun(r); },
                          [&](const InlineLog &r) { return writeInlineLog(ingest, r, lineNo); },
                      },
                      record);
}

// The task a record belongs to; a pull request's or review's tasks are found after linking.
void touch(FileIngest &ingest, const TasktrailRecord &record)
{
    std::visit(Overloaded{
                   [&](const TaskRecord &r) { ingest.touchTask(r.id); },
                   [&](const PullRequestRecord &r) { ingest.touchPullRequest(r.repo, r.number); },
                   [&](const ReviewRecord &r) { ingest.touchPullRequest(r.repo, r.prNumber); },
                   [&](const CheckRunRecord &r) { ingest.touchCheckRun(r.repo, r.headSha); },
                   [&](const auto &r) {
                       if constexpr (requires { r.taskId; })
                           ingest.touchTask(r.taskId);
                   },
               },
               record);
}

// What a line becomes before it meets the store: redacted, parsed into a record and hashed,
// on the reading thread (FileIngest::readPreparedLines).
struct PreparedRecord
{
    TasktrailRecord record;
    QString rejection;
    QByteArray hash;
    int redactions = 0;
};

// A string member's text when it is exactly what the record will hold: quoted, without an
// escape, and with nothing a redaction could change.
std::optional<QByteArray> plainString(const std::optional<QByteArrayView> &value)
{
    if (!value || value->size() < 2 || value->front() != '"' || value->back() != '"')
        return std::nullopt;
    const QByteArrayView text = value->sliced(1, value->size() - 2);
    if (text.contains('\\') || text.contains('"') ||
        Redactor::mayContainSecret(text.data(), text.size()))
        return std::nullopt;
    return text.toByteArray();
}

// The ids of the sessions nested in a task, from the bytes of its "sessions" array; nullopt
// when they are not all known exactly.
std::optional<QByteArrayList> nestedSessionIds(QByteArrayView sessions)
{
    if (!sessions.startsWith('['))
        return std::nullopt;
    const JsonElements::Scan scan = JsonElements::scanArray(sessions, 0);
    if (!scan.problem.isEmpty())
        return std::nullopt;
    QByteArrayList ids;
    for (const JsonElements::Element &element : scan.elements) {
        std::optional<QByteArrayView> id[1];
        if (element.cutOff || !JsonElements::memberValues(element.bytes, {"id"}, id))
            return std::nullopt;
        std::optional<QByteArray> text = plainString(id[0]);
        if (!text)
            return std::nullopt;
        ids.append(std::move(*text));
    }
    return ids;
}

// A plain positive JSON integer that fits an int: its value.
std::optional<int> plainNumber(const std::optional<QByteArrayView> &value)
{
    if (!value || value->isEmpty() || value->size() > 10 || value->front() == '0')
        return std::nullopt;
    qint64 number = 0;
    for (const char c : *value) {
        if (c < '0' || c > '9')
            return std::nullopt;
        number = number * 10 + (c - '0');
    }
    if (number > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(number);
}

// The numbers of the commands nested in a task, from the bytes of its "commands" array;
// nothing when they are not all plain (which costs their keys' order, nothing else).
QList<int> nestedCommandNumbers(QByteArrayView commands)
{
    if (!commands.startsWith('['))
        return {};
    const JsonElements::Scan scan = JsonElements::scanArray(commands, 0);
    if (!scan.problem.isEmpty())
        return {};
    QList<int> numbers;
    numbers.reserve(scan.elements.size());
    for (const JsonElements::Element &element : scan.elements) {
        std::optional<QByteArrayView> seq[1];
        if (element.cutOff || !JsonElements::memberValues(element.bytes, {"seq"}, seq))
            return {};
        const std::optional<int> number = plainNumber(seq[0]);
        if (!number)
            return {};
        numbers.append(*number);
    }
    return numbers;
}

// The key of the rows a line's record writes, read from the line's bytes
// (FileIngest::readPreparedLines): a task's id for the task and what belongs to it (its nested
// lists, and the records that name it by task_id), empty for records that write no row of a
// task. A session is keyed by its own id and names its task: its id is a row the line shares.
// No key when that is not known exactly from the bytes: the line then stays in place.
FileIngest::LineKey lineKey(QByteArrayView line)
{
    std::optional<QByteArrayView> values[7];
    if (!JsonElements::memberValues(
            line, {"kind", "id", "task_id", "sessions", "commands", "seq", "command_seq"}, values))
        return {};
    const std::optional<QByteArray> kind = plainString(values[0]);
    if (!kind)
        return {};
    if (*kind == "task") {
        FileIngest::LineKey key{plainString(values[1]), {}, {}};
        if (values[3]) {
            std::optional<QByteArrayList> sessions = nestedSessionIds(*values[3]);
            if (!sessions)
                return {};
            key.shared = std::move(*sessions);
        }
        if (key.key && values[4]) {
            const QString taskId = QString::fromUtf8(*key.key);
            for (const int seq : nestedCommandNumbers(*values[4]))
                key.commands.append({taskId, seq});
        }
        return key;
    }
    if (*kind == "session") {
        const std::optional<QByteArray> id = plainString(values[1]);
        if (!id)
            return {};
        return {plainString(values[2]), {*id}, {}};
    }
    static const QByteArrayList ofATask = {"command", "test",    "file_change",
                                           "contact", "failure", "log"};
    if (ofATask.contains(*kind)) {
        FileIngest::LineKey key{plainString(values[2]), {}, {}};
        // A command, or the command a log's lines go to, which the log creates when it is new.
        const std::optional<int> seq = *kind == "command" ? plainNumber(values[5])
                                       : *kind == "log"   ? plainNumber(values[6])
                                                          : std::nullopt;
        if (key.key && seq)
            key.commands.append({QString::fromUtf8(*key.key), *seq});
        return key;
    }
    // A decision names the task started for its repository, but is keyed by its campaign.
    static const QByteArrayList taskless = {"request",  "campaign",     "decision",
                                            "identity", "policy",       "template",
                                            "review",   "pull_request", "check_run"};
    if (taskless.contains(*kind))
        return {QByteArray(), {}, {}};
    return {};
}

PreparedRecord prepareRecord(const QJsonObject &object, const QByteArray &line)
{
    PreparedRecord out;
    QJsonValue value = object;
    if (Redactor::mayContainSecret(line.constData(), line.size()))
        out.redactions = FileIngest::redact(value);
    int tokensHashed = 0;
    if (!parseTasktrailRecord(value.toObject(), &out.record, &out.rejection, &tokensHashed)) {
        if (out.rejection.isEmpty())
            out.rejection = u"not a Tasktrail record"_s;
        return out;
    }
    out.rejection.clear();
    out.redactions += tokensHashed;
    out.hash = Sha256::of(line);
    return out;
}

} // namespace

bool ingestTasktrailRecords(FileIngest &ingest, LineReader &reader)
{
    using Result = FileIngest::LineResult;
    return ingest.readPreparedLines<PreparedRecord>(
        reader,
        [](const QJsonObject &object, qint64, const QByteArray &line) {
            return prepareRecord(object, line);
        },
        [&ingest](PreparedRecord &prepared, qint64 lineNo) {
            if (!prepared.rejection.isEmpty()) {
                ingest.reject(lineNo, prepared.rejection);
                return Result::Rejected;
            }
            const auto failed = [&ingest, lineNo] {
                ingest.fatal(u"line %1: cannot store the record"_s.arg(lineNo));
                return Result::Failed;
            };
            bool isNew = false;
            if (!ingest.store().markRecordSeen(prepared.hash, &isNew))
                return failed();
            // A record stored before is still looked at by the linking after this run: the
            // run that stored it may have been killed before its linking.
            touch(ingest, prepared.record);
            if (!isNew) {
                ++ingest.counts().duplicates;
                return Result::Stored;
            }
            if (!write(ingest, prepared.record, lineNo))
                return failed();
            ++ingest.counts().ingested;
            ingest.counts().redactions += prepared.redactions;
            return Result::Stored;
        },
        ingest.options().keyOrderedRecords && ingest.store().writesBatchesInKeyOrder()
            ? FileIngest::KeyOf(lineKey)
            : FileIngest::KeyOf());
}

} // namespace Tasktrail
