#pragma once

#include "records/auditevent.h"
#include "records/finding.h"
#include "records/identity.h"
#include "records/launchrecords.h"
#include "records/logline.h"
#include "records/pullrequest.h"
#include "records/request.h"
#include "records/summaries.h"
#include "records/task.h"
#include "records/templatespec.h"

#include <unordered_map>

namespace Tasktrail {

// The store's write boundary: before a write binds a record, every text it carries (ids and
// digests too) goes through the one redaction step, ingest/redactor.h. A reader may redact
// earlier; the step finds nothing to do twice. Each function redacts in place and returns how
// many secrets it replaced.
namespace RecordRedaction {

int redact(QString &text);
// An id, a ref or another value records are found by (Redactor::redactKey): the fields of the
// records below that name a record are redacted this way, so distinct ids stay distinct.
int redactKey(QString &value);
int redact(QStringList &texts);
int redact(RequestRecord &r);
int redact(CampaignRecord &c); // its own fields; writeDecision() takes the decisions
int redact(RepoDecision &d);
int redact(IdentityRecord &i);
int redact(PolicyRecord &p);
int redact(TemplateRecord &t);
int redact(TaskRecord &t); // its own fields; the nested lists have their own writes
int redact(SessionRecord &s);
int redact(CommandRecord &c);
int redact(TestResult &r);
int redact(FileChange &f);
int redact(ExternalContact &c);
int redact(FailureRecord &f);
int redact(PullRequestRecord &p);
int redact(ReviewRecord &r);
int redact(CheckRunRecord &c);
int redact(CheckSuiteRecord &c);
int redact(TranscriptRecord &t);
int redact(TranscriptEntry &e);
int redact(AuditEvent &e);
int redact(PolicyDocument &d); // the text; its digest stays the original file's
int redact(IngestedFile &f);
int redact(Finding &f);
int redact(KnownRepository &r);
int redact(QueueEntry &e);
int redact(LaunchEvent &e);

} // namespace RecordRedaction

// A log line redacted ahead of its write, on any thread (LogRedaction::prepare): redacted as if
// no private key block of its command were open. LogRedaction::finish() applies the command's
// key block state to it when it is written.
struct RedactedLogLine
{
    LogLine line;   // as stored: the redacted text, and its colours
    QByteArray raw; // as read (`ansi` when set, else `text`), for a line a key block continues into
    int count = 0;  // secrets replaced
    bool leavesKeyBlockOpen = false;
};

// The log lines of many commands arrive interleaved, and a private key block spans lines of
// one command: this follows each command's stream by its key and line number.
class LogRedaction final
{
public:
    // Redacts a line as given (`text`, or `ansi` when set: the line with its escapes) into
    // its plain text and its colours derived from the redacted text.
    int redact(qint64 commandKey, LogLine &line);

    // The same step in two halves. prepare() holds the regular expressions, needs no state
    // and may run on another thread than the write; finish() applies the key block state of
    // the line's command and returns the secrets replaced. prepare() then finish() of each line
    // in the order of the writes gives exactly what redact() gives: a line that a key block
    // of its command continues into is redacted again from `raw` with the block open.
    static RedactedLogLine prepare(LogLine asRead);
    int finish(qint64 commandKey, RedactedLogLine &prepared);

private:
    // The commands whose last line opened or continued a key block, with that line's number.
    std::unordered_map<qint64, qint64> m_openKeyBlocks;
};

} // namespace Tasktrail
