#include "attestation.h"

#include "store/recordstore.h"
#include "text/shellquote.h"

#include <QCryptographicHash>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace Tasktrail::Attestation {

namespace {

constexpr int logPage = 10000;

void insertText(QJsonObject &o, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        o.insert(key, value);
}

// RFC 3339 in UTC, as in-toto and SLSA expect; whole seconds without a fraction.
void insertTime(QJsonObject &o, const QString &key, const QDateTime &value)
{
    if (!value.isValid())
        return;
    const QDateTime utc = value.toUTC();
    o.insert(key, utc.toString(utc.time().msec() ? Qt::ISODateWithMs : Qt::ISODate));
}

QString gitUri(const QString &repo, const QString &ref)
{
    return u"git+https://github.com/"_s % repo % u'@' % ref;
}

QJsonArray subject(const Inputs &in)
{
    const TaskRecord &t = in.chain.task;
    if (const auto &pr = in.chain.pullRequest) {
        const QString sha = pr->headSha.isEmpty() ? t.headSha : pr->headSha;
        const QString repo = pr->repo.isEmpty() ? t.repo : pr->repo;
        if (!sha.isEmpty())
            return {QJsonObject{{u"name"_s, gitUri(repo, sha)},
                                {u"digest"_s, QJsonObject{{u"gitCommit"_s, sha}}}}};
    }
    // No commit to name: the task itself, by the digest of its recorded state.
    const QByteArray state = in.taskEvidence ? in.taskEvidence->stateHash : in.currentTaskState;
    return {
        QJsonObject{{u"name"_s, QString(u"urn:tasktrail:task:"_s % t.id)},
                    {u"digest"_s, QJsonObject{{u"sha256"_s, QString::fromLatin1(state.toHex())}}}}};
}

QJsonObject buildDefinition(const Inputs &in)
{
    const TaskChain &c = in.chain;
    QJsonObject external;
    if (c.request) {
        QJsonObject request;
        insertText(request, u"id"_s, c.request->id);
        insertText(request, u"requester"_s, c.request->requester);
        insertText(request, u"trigger_system"_s, c.request->triggerSystem);
        insertText(request, u"text"_s, c.request->text);
        external.insert(u"request"_s, request);
    }
    if (c.taskTemplate) {
        QJsonObject tpl;
        insertText(tpl, u"id"_s, c.taskTemplate->id);
        insertText(tpl, u"version"_s, c.taskTemplate->version);
        insertText(tpl, u"digest"_s, c.taskTemplate->digest);
        external.insert(u"template"_s, tpl);
    }
    QJsonObject internal;
    if (c.policy) {
        QJsonObject policy;
        insertText(policy, u"id"_s, c.policy->id);
        insertText(policy, u"version"_s, c.policy->version);
        insertText(policy, u"digest"_s, c.policy->digest);
        insertText(policy, u"verdict"_s, c.policy->verdict);
        internal.insert(u"policy"_s, policy);
    }
    insertText(internal, u"repository"_s, c.task.repo);
    const QString baseRef =
        !c.task.baseRef.isEmpty() || !c.pullRequest ? c.task.baseRef : c.pullRequest->baseRef;
    insertText(internal, u"base_ref"_s, baseRef);
    QJsonArray dependencies;
    if (!c.task.repo.isEmpty() && !baseRef.isEmpty())
        dependencies << QJsonObject{{u"uri"_s, gitUri(c.task.repo, baseRef)}};
    return {{u"buildType"_s, QString::fromLatin1(buildType)},
            {u"externalParameters"_s, external},
            {u"internalParameters"_s, internal},
            {u"resolvedDependencies"_s, dependencies}};
}

// SLSA's builder.version is a map of strings: scopes go in comma-separated.
QJsonObject builder(const TaskChain &c)
{
    QString principal = u"unknown"_s;
    QJsonObject version;
    if (const auto &i = c.identity) {
        principal = i->principal.isEmpty() ? i->id : i->principal;
        if (i->kind != IdentityKind::Unknown)
            version.insert(u"token_kind"_s, toString(i->kind));
        insertText(version, u"on_behalf_of"_s, i->onBehalfOf);
        insertText(version, u"scopes"_s, i->scopes.join(u','));
    }
    QJsonObject out{{u"id"_s, QString(u"urn:tasktrail:identity:"_s % principal)}};
    if (!version.isEmpty())
        out.insert(u"version"_s, version);
    return out;
}

QJsonArray byproducts(const Inputs &in)
{
    QJsonArray out;
    for (qsizetype i = 0; i < in.chain.commands.size(); ++i) {
        const CommandRecord &command = in.chain.commands.at(i).record;
        const CommandLog log = in.logs.value(i);
        QJsonObject annotations{{u"log_lines"_s, double(log.lines)}};
        if (command.exitCode)
            annotations.insert(u"exit_code"_s, *command.exitCode);
        out << QJsonObject{
            {u"name"_s, u"command %1: %2"_s.arg(command.seq).arg(shellCommandLine(command.argv))},
            {u"digest"_s, QJsonObject{{u"sha256"_s, QString::fromLatin1(log.sha256Hex)}}},
            {u"annotations"_s, annotations}};
    }
    // The head of the evidence chain when the statement was made: `tasktrail-cli verify
    // --head` checks a database against it later.
    if (!in.evidenceHead.isEmpty()) {
        QJsonObject annotations;
        if (in.taskEvidence) {
            annotations.insert(u"task_entry_seq"_s, double(in.taskEvidence->seq));
            annotations.insert(u"task_state_sha256"_s,
                               QString::fromLatin1(in.taskEvidence->stateHash.toHex()));
        }
        out << QJsonObject{
            {u"name"_s, u"tasktrail evidence chain head"_s},
            {u"digest"_s, QJsonObject{{u"sha256"_s, QString::fromLatin1(in.evidenceHead)}}},
            {u"annotations"_s, annotations}};
    }
    return out;
}

} // namespace

CommandLog commandLog(RecordStore &store, qint64 commandKey)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    CommandLog log;
    qint64 from = 0;
    for (;;) {
        const QList<LogLine> page = store.logLines(commandKey, from, logPage);
        for (const LogLine &line : page) {
            if (log.lines++ > 0)
                hash.addData("\n");
            hash.addData(line.text);
        }
        if (page.size() < logPage)
            break;
        from = page.constLast().lineNo + 1;
    }
    log.sha256Hex = hash.result().toHex();
    return log;
}

std::optional<Inputs> collect(RecordStore &store, const QString &taskId, QString *error)
{
    auto chain = store.taskChain(taskId);
    if (!chain) {
        *error = u"no task '%1' in %2"_s.arg(taskId, store.location());
        return std::nullopt;
    }
    Inputs in;
    in.chain = std::move(*chain);
    for (const TaskChain::Command &command : std::as_const(in.chain.commands))
        in.logs << commandLog(store, command.key);
    in.evidenceHead = store.evidenceHead();
    in.taskEvidence = store.latestEvidence(u"task"_s, taskId);
    in.currentTaskState = store.currentEvidenceState(u"task"_s, taskId);
    return in;
}

QJsonObject statement(const Inputs &in)
{
    QJsonObject metadata{{u"invocationId"_s, in.chain.task.id}};
    const TaskRecord &t = in.chain.task;
    insertTime(metadata, u"startedOn"_s, t.startedAt.isValid() ? t.startedAt : t.createdAt);
    insertTime(metadata, u"finishedOn"_s, t.completedAt);
    const QJsonObject runDetails{{u"builder"_s, builder(in.chain)},
                                 {u"metadata"_s, metadata},
                                 {u"byproducts"_s, byproducts(in)}};
    return {{u"_type"_s, u"https://in-toto.io/Statement/v1"_s},
            {u"subject"_s, subject(in)},
            {u"predicateType"_s, u"https://slsa.dev/provenance/v1"_s},
            {u"predicate"_s, QJsonObject{{u"buildDefinition"_s, buildDefinition(in)},
                                         {u"runDetails"_s, runDetails}}}};
}

} // namespace Tasktrail::Attestation
