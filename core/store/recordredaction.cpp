#include "recordredaction.h"

#include "text/redactor.h"

#include <QJsonObject>
#include <QJsonValue>

#include <initializer_list>

namespace Tasktrail {
namespace RecordRedaction {
namespace {

int texts(std::initializer_list<QString *> fields)
{
    int count = 0;
    for (QString *field : fields)
        count += redact(*field);
    return count;
}

int json(QJsonObject &object)
{
    if (object.isEmpty())
        return 0;
    QJsonValue value = object;
    const int count = Redactor::redactJson(value);
    if (count)
        object = value.toObject();
    return count;
}

} // namespace

int redact(QString &text)
{
    return Redactor::redactText(text);
}

int redact(QStringList &list)
{
    int count = 0;
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (!Redactor::mayContainSecret(list.at(i)))
            continue;
        count += redact(list[i]);
    }
    return count;
}

int redact(RequestRecord &r)
{
    return texts({&r.id, &r.text, &r.requester, &r.triggerSystem, &r.correlationId});
}

int redact(CampaignRecord &c)
{
    return texts({&c.id, &c.requestId, &c.title, &c.templateId, &c.templateVersion, &c.policyId,
                  &c.policyVersion});
}

int redact(RepoDecision &d)
{
    return texts({&d.campaignId, &d.repo, &d.rule, &d.reason, &d.evidence, &d.taskId});
}

int redact(IdentityRecord &i)
{
    return texts({&i.id, &i.principal, &i.onBehalfOf, &i.hashedToken, &i.tokenId}) +
           redact(i.scopes);
}

int redact(PolicyRecord &p)
{
    return texts({&p.id, &p.version, &p.name, &p.verdict, &p.digest});
}

int redact(TemplateRecord &t)
{
    return texts({&t.id, &t.version, &t.name, &t.digest});
}

int redact(TaskRecord &t)
{
    return texts({&t.id, &t.repo, &t.campaignId, &t.requestId, &t.identityId, &t.policyId,
                  &t.policyVersion, &t.templateId, &t.templateVersion, &t.stateReason, &t.prompt,
                  &t.baseRef, &t.headRef, &t.headSha, &t.source}) +
           redact(t.knownGaps) + json(t.usage);
}

int redact(SessionRecord &s)
{
    return texts({&s.id, &s.taskId, &s.model, &s.error});
}

int redact(CommandRecord &c)
{
    return texts({&c.taskId, &c.cwd}) + redact(c.argv);
}

int redact(TestResult &r)
{
    return texts({&r.taskId, &r.name, &r.outcome});
}

int redact(FileChange &f)
{
    return texts({&f.taskId, &f.path, &f.change});
}

int redact(ExternalContact &c)
{
    return texts({&c.taskId, &c.host, &c.tool, &c.purpose});
}

int redact(FailureRecord &f)
{
    return texts({&f.taskId, &f.kind, &f.message});
}

int redact(PullRequestRecord &p)
{
    return texts({&p.repo, &p.title, &p.state, &p.author, &p.headRef, &p.headSha, &p.baseRef,
                  &p.url, &p.mergeCommitSha, &p.mergedBy, &p.mergeableState}) +
           redact(p.labels) + redact(p.requestedReviewers) + redact(p.requestedTeams);
}

int redact(ReviewRecord &r)
{
    return texts({&r.repo, &r.reviewer, &r.state, &r.commitId});
}

int redact(CheckRunRecord &c)
{
    return texts({&c.repo, &c.headSha, &c.name, &c.status, &c.conclusion, &c.app});
}

int redact(CheckSuiteRecord &c)
{
    return texts({&c.repo, &c.headSha, &c.headBranch, &c.status, &c.conclusion, &c.app});
}

int redact(TranscriptRecord &t)
{
    return texts({&t.sessionId, &t.taskId, &t.text});
}

int redact(TranscriptEntry &e)
{
    return texts({&e.sessionId, &e.taskId, &e.role, &e.tool, &e.callId, &e.text});
}

int redact(AuditEvent &e)
{
    return texts({&e.id, &e.action, &e.actor, &e.repo, &e.hashedToken, &e.tokenId,
                  &e.programmaticAccessType, &e.requestMethod, &e.requestRoute, &e.userAgent}) +
           redact(e.tokenScopes);
}

int redact(PolicyDocument &d)
{
    return texts({&d.id, &d.version, &d.name, &d.text, &d.sourcePath});
}

int redact(IngestedFile &f)
{
    return texts({&f.path, &f.format});
}

int redact(Finding &f)
{
    return texts({&f.taskId, &f.rule, &f.message, &f.evidenceRef, &f.templateId, &f.templateVersion,
                  &f.policyId, &f.policyVersion});
}

int redact(KnownRepository &r)
{
    return texts({&r.name, &r.language, &r.defaultBranch, &r.localPath}) + redact(r.topics) +
           redact(r.files);
}

int redact(QueueEntry &e)
{
    return texts({&e.taskId, &e.campaignId, &e.repo, &e.templateId, &e.templateVersion, &e.backend,
                  &e.lastFailureKind, &e.lastFailure, &e.reviewerTeam, &e.requestKey, &e.reviewDay,
                  &e.remoteId, &e.requested}) +
           json(e.spec);
}

int redact(LaunchEvent &e)
{
    return texts({&e.taskId, &e.fromState, &e.toState, &e.reason});
}

} // namespace RecordRedaction

int LogRedaction::redact(qint64 commandKey, LogLine &line)
{
    RedactedLogLine prepared = prepare(std::move(line));
    const int count = finish(commandKey, prepared);
    line = std::move(prepared.line);
    return count;
}

RedactedLogLine LogRedaction::prepare(LogLine asRead)
{
    RedactedLogLine out;
    out.raw = asRead.ansi.isEmpty() ? std::move(asRead.text) : std::move(asRead.ansi);
    out.line = std::move(asRead);
    out.line.text = QByteArray();
    out.line.ansi = QByteArray();
    Redactor stream;
    out.count = stream.redactLogLine(out.raw, &out.line.text, &out.line.ansi);
    out.leavesKeyBlockOpen = stream.inPrivateKey();
    return out;
}

int LogRedaction::finish(qint64 commandKey, RedactedLogLine &prepared)
{
    LogLine &line = prepared.line;
    const auto open = m_openKeyBlocks.find(commandKey);
    if (open != m_openKeyBlocks.end()) {
        // Only the line right after the last one continues the block; then the line is
        // redacted again from the start of a block (rare: key blocks are a few lines).
        const bool continues = open->second + 1 == line.lineNo;
        m_openKeyBlocks.erase(open);
        if (continues) {
            Redactor stream;
            stream.setInPrivateKey(true);
            line.text = QByteArray();
            line.ansi = QByteArray();
            prepared.count = stream.redactLogLine(prepared.raw, &line.text, &line.ansi);
            prepared.leavesKeyBlockOpen = stream.inPrivateKey();
        }
    }
    if (prepared.leavesKeyBlockOpen)
        m_openKeyBlocks[commandKey] = line.lineNo;
    return prepared.count;
}

} // namespace Tasktrail
