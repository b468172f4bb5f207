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

// Ids, refs and the other values records are found and matched by: see Redactor::redactKey.
int keys(std::initializer_list<QString *> fields)
{
    int count = 0;
    for (QString *field : fields)
        count += redactKey(*field);
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

int redactKey(QString &value)
{
    return Redactor::redactKey(value);
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
    return keys({&r.id, &r.correlationId}) + texts({&r.text, &r.requester, &r.triggerSystem});
}

int redact(CampaignRecord &c)
{
    return keys({&c.id, &c.requestId, &c.templateId, &c.templateVersion, &c.policyId,
                 &c.policyVersion}) +
           texts({&c.title});
}

int redact(RepoDecision &d)
{
    return keys({&d.campaignId, &d.repo, &d.taskId}) + texts({&d.rule, &d.reason, &d.evidence});
}

int redact(IdentityRecord &i)
{
    return keys({&i.id}) + texts({&i.principal, &i.onBehalfOf, &i.hashedToken, &i.tokenId}) +
           redact(i.scopes);
}

int redact(PolicyRecord &p)
{
    return keys({&p.id, &p.version}) + texts({&p.name, &p.verdict, &p.digest});
}

int redact(TemplateRecord &t)
{
    return keys({&t.id, &t.version}) + texts({&t.name, &t.digest});
}

int redact(TaskRecord &t)
{
    return keys({&t.id, &t.repo, &t.campaignId, &t.requestId, &t.identityId, &t.policyId,
                 &t.policyVersion, &t.templateId, &t.templateVersion, &t.baseRef, &t.headRef,
                 &t.headSha}) +
           texts({&t.stateReason, &t.prompt, &t.source}) + redact(t.knownGaps) + json(t.usage);
}

int redact(SessionRecord &s)
{
    return keys({&s.id, &s.taskId}) + texts({&s.model, &s.error});
}

int redact(CommandRecord &c)
{
    return keys({&c.taskId}) + texts({&c.cwd}) + redact(c.argv);
}

int redact(TestResult &r)
{
    return keys({&r.taskId, &r.name}) + texts({&r.outcome});
}

int redact(FileChange &f)
{
    return keys({&f.taskId, &f.path}) + texts({&f.change});
}

int redact(ExternalContact &c)
{
    return keys({&c.taskId, &c.host, &c.tool}) + texts({&c.purpose});
}

int redact(FailureRecord &f)
{
    return keys({&f.taskId}) + texts({&f.kind, &f.message});
}

int redact(PullRequestRecord &p)
{
    return keys({&p.repo, &p.headRef, &p.headSha, &p.baseRef}) +
           texts({&p.title, &p.state, &p.author, &p.url, &p.mergeCommitSha, &p.mergedBy,
                  &p.mergeableState}) +
           redact(p.labels) + redact(p.requestedReviewers) + redact(p.requestedTeams);
}

int redact(ReviewRecord &r)
{
    return keys({&r.repo}) + texts({&r.reviewer, &r.state, &r.commitId});
}

int redact(CheckRunRecord &c)
{
    return keys({&c.repo, &c.headSha}) + texts({&c.name, &c.status, &c.conclusion, &c.app});
}

int redact(CheckSuiteRecord &c)
{
    return keys({&c.repo, &c.headSha, &c.headBranch}) + texts({&c.status, &c.conclusion, &c.app});
}

int redact(TranscriptRecord &t)
{
    return keys({&t.sessionId, &t.taskId}) + texts({&t.text});
}

int redact(TranscriptEntry &e)
{
    return keys({&e.sessionId, &e.taskId, &e.callId}) + texts({&e.role, &e.tool, &e.text});
}

int redact(AuditEvent &e)
{
    return keys({&e.id, &e.repo}) +
           texts({&e.action, &e.actor, &e.hashedToken, &e.tokenId, &e.programmaticAccessType,
                  &e.requestMethod, &e.requestRoute, &e.userAgent}) +
           redact(e.tokenScopes);
}

int redact(PolicyDocument &d)
{
    return keys({&d.id, &d.version}) + texts({&d.name, &d.text, &d.sourcePath});
}

int redact(IngestedFile &f)
{
    return texts({&f.path, &f.format});
}

int redact(Finding &f)
{
    return keys({&f.taskId, &f.evidenceRef, &f.templateId, &f.templateVersion, &f.policyId,
                 &f.policyVersion}) +
           texts({&f.rule, &f.message});
}

int redact(KnownRepository &r)
{
    return keys({&r.name}) + texts({&r.language, &r.defaultBranch, &r.localPath}) +
           redact(r.topics) + redact(r.files);
}

int redact(QueueEntry &e)
{
    return keys({&e.taskId, &e.campaignId, &e.repo, &e.templateId, &e.templateVersion,
                 &e.requestKey, &e.remoteId}) +
           texts({&e.backend, &e.lastFailureKind, &e.lastFailure, &e.reviewerTeam, &e.reviewDay,
                  &e.requested}) +
           json(e.spec);
}

int redact(LaunchEvent &e)
{
    return keys({&e.taskId}) + texts({&e.fromState, &e.toState, &e.reason});
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
