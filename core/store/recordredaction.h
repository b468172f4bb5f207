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

// The log lines of many commands arrive interleaved, and a private key block spans lines of
// one command: this follows each command's stream by its key and line number.
class LogRedaction final
{
public:
    // Redacts a line as given (`text`, or `ansi` when set: the line with its escapes) into
    // its plain text and its colours derived from the redacted text.
    int redact(qint64 commandKey, LogLine &line);

private:
    // The commands whose last line opened or continued a key block, with that line's number.
    std::unordered_map<qint64, qint64> m_openKeyBlocks;
};

} // namespace Tasktrail
