#include "clioutput.h"

#include "policy/conformance.h"
#include "query/runsentence.h"
#include "records/recordfields.h"
#include "report/reporttables.h"
#include "text/shellquote.h"
#include "text/tasktraillink.h"

#include <QMap>

using namespace Qt::StringLiterals;

namespace Tasktrail::CliText {
namespace {

QString when(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s) : u"-"_s;
}

QString orDash(const QString &s)
{
    return s.isEmpty() ? u"-"_s : s;
}

QString line(const QString &label, const QString &value)
{
    return u"  "_s % label.leftJustified(15) % u' ' % value % u'\n';
}

// A line for each field of a record, in its list's order (records/recordfields.h), with
// the free text in `block` last: what `show` prints of a record is what the record holds.
template<typename Record>
QString fieldLines(const Record &r, std::span<const RecordField<Record>> fields,
                   const char *block = nullptr)
{
    const auto text = [&r](const RecordField<Record> &f) {
        return orDash(fieldText(r, f, [](const QDateTime &t) { return when(t); }));
    };
    QString out;
    for (const auto &f : fields) {
        if (!block || qstrcmp(f.name, block) != 0)
            out += line(fieldLabel(f), text(f));
    }
    for (const auto &f : fields) {
        if (block && qstrcmp(f.name, block) == 0)
            out += line(fieldLabel(f), text(f));
    }
    return out;
}

QString subLine(const QString &label, qint64 value)
{
    return u"    "_s % label.leftJustified(17) % u' ' % QString::number(value) % u'\n';
}

// What the run's identity did on GitHub: time, actor, action, method and route, and why the
// event was linked. A call to another repository gets a line of its own.
QString auditEvents(const TaskChain &c)
{
    QString out = u"\nAudit events (%1)\n"_s.arg(c.auditEvents.size());
    for (const AuditLink &l : c.auditEvents) {
        const AuditEvent &e = l.event;
        const QString request = QString(e.requestMethod % u' ' % e.requestRoute).trimmed();
        out += u"  %1  %2 %3 %4 %5\n"_s.arg(when(e.at), orDash(e.actor).leftJustified(24),
                                            e.action.leftJustified(34),
                                            orDash(request).leftJustified(40), l.match);
        if (!e.repo.isEmpty() && e.repo != c.task.repo)
            out += u"      in %1, not this task's repository\n"_s.arg(e.repo);
    }
    return out;
}

// The conformance review: the verdict, then each finding with where its evidence is.
QString review(const TaskChain &c)
{
    const PolicyVerdict verdict = PolicyVerdict::of(c);
    QString out = u"\nReview: %1\n"_s.arg(verdict.text());
    for (const Finding &f : c.findings) {
        out += u"  %1 %2 %3\n"_s.arg(toString(f.severity).leftJustified(8),
                                     f.rule.leftJustified(28), f.message);
        out += u"           %1\n"_s.arg(ReportTables::triageText(f.triage));
    }
    return out;
}

} // namespace

QString transcript(const TaskChain &c, int width)
{
    QString out;
    QString session;
    for (const TranscriptEntry &e : c.transcript) {
        if (e.sessionId != session) {
            session = e.sessionId;
            out += u"  session %1\n"_s.arg(session);
        }
        QString text = e.text;
        if (width > 0) {
            text = text.section(u'\n', 0, 0);
            if (text.size() > width || e.text.contains(u'\n'))
                text = text.left(width) % u" ..."_s;
        }
        QString what = e.role;
        if (!e.tool.isEmpty())
            what += u' ' % e.tool;
        if (e.commandSeq > 0)
            what += u" (command %1)"_s.arg(e.commandSeq);
        if (e.isError)
            what += u" error"_s;
        if (e.sidechain)
            what += u" [sub-agent]"_s;
        out += u"  %1. %2  %3: %4\n"_s.arg(e.seq).arg(when(e.at), what,
                                                      width > 0 ? text : u"\n"_s % text);
    }
    return out;
}

QString chain(const TaskChain &c)
{
    const TaskRecord &t = c.task;
    QString out = RunSentence::of(c) % u"\n\n"_s;
    out += u"Task %1  %2  [%3]\n"_s.arg(t.id, t.repo, toString(t.state));
    if (!t.stateReason.isEmpty())
        out += line(u"reason"_s, t.stateReason);
    out += line(u"link"_s, taskLinkUrl(t.id));

    out += u"\nRequest\n"_s;
    if (c.request) {
        out += fieldLines(*c.request, requestFields(), "text");
    } else {
        out += u"  (no request recorded)\n"_s;
    }
    if (c.campaign) {
        out += line(u"campaign"_s, c.campaign->id % u"  "_s % c.campaign->title);
        if (c.decision)
            out += line(
                u"decision"_s,
                toString(c.decision->verdict) %
                    (c.decision->rule.isEmpty() ? QString() : u" ("_s % c.decision->rule % u')') %
                    (c.decision->reason.isEmpty() ? QString() : u": "_s % c.decision->reason));
    }

    out += u"\nIdentity\n"_s;
    if (c.identity) {
        out += fieldLines(*c.identity, identityFields());
    } else {
        out += u"  (no identity recorded)\n"_s;
    }

    out += u"\nPolicy\n"_s;
    if (c.policy)
        out += line(
            u"policy"_s,
            c.policy->id % u'@' % c.policy->version %
                (c.policy->verdict.isEmpty() ? QString() : u"  verdict: "_s % c.policy->verdict));
    if (c.taskTemplate)
        out += line(u"template"_s, c.taskTemplate->id % u'@' % c.taskTemplate->version);
    if (!c.policy && !c.taskTemplate)
        out += u"  (no policy recorded)\n"_s;

    out += u"\nCommands (%1)\n"_s.arg(c.commands.size());
    for (const auto &cmd : c.commands) {
        const auto &r = cmd.record;
        out += u"  %1. %2  exit %3  %4 log lines\n"_s.arg(r.seq)
                   .arg(r.argv.isEmpty() ? u"(unknown)"_s : shellCommandLine(r.argv))
                   .arg(r.exitCode ? QString::number(*r.exitCode) : u"?"_s)
                   .arg(cmd.logLines);
    }
    for (const auto &r : t.tests)
        out += line(u"test "_s % r.outcome, r.name);
    if (!t.filesChanged.isEmpty()) {
        QStringList paths;
        for (const auto &f : t.filesChanged)
            paths << f.path;
        out += line(u"files changed"_s, paths.join(u", "_s));
    }
    if (!t.contacts.isEmpty()) {
        QStringList hosts;
        for (const auto &h : t.contacts)
            hosts << h.host;
        out += line(u"contacted"_s, hosts.join(u", "_s));
    }
    for (const auto &f : t.failures)
        out += line(u"failure"_s,
                    f.kind % u": "_s % f.message % (f.retried ? u" (retried)"_s : QString()));
    if (t.confidence)
        out += line(u"confidence"_s, QString::number(*t.confidence, 'f', 2));
    if (!t.knownGaps.isEmpty())
        out += line(u"known gaps"_s, t.knownGaps.join(u"; "_s));

    if (!c.transcript.isEmpty())
        out += u"\nTranscript (%1 entries; show --transcript prints them whole)\n"_s.arg(
                   c.transcript.size()) %
               transcript(c, 100);
    out += u"\nPull request\n"_s;
    if (c.pullRequest) {
        const auto &p = *c.pullRequest;
        out += line(u"number"_s, u"#%1  %2"_s.arg(p.number).arg(p.title));
        out += line(u"state"_s, p.merged() ? u"merged %1"_s.arg(when(p.mergedAt)) : p.state);
        out += line(u"labels"_s, orDash(p.labels.join(u", "_s)));
        out +=
            line(u"reviewers"_s, orDash((p.requestedReviewers + p.requestedTeams).join(u", "_s)));
        for (const auto &r : c.reviews)
            out += line(u"review"_s, r.reviewer % u": "_s % r.state);
        for (const auto &k : c.checkRuns)
            out += line(u"check"_s, k.name % u": "_s %
                                        orDash(k.conclusion.isEmpty() ? k.status : k.conclusion));
    } else {
        out += u"  (no pull request)\n"_s;
    }
    out += review(c);
    out += auditEvents(c);
    return out;
}

QString campaign(const CampaignSummary &s)
{
    QString out = u"Campaign %1  %2\n"_s.arg(s.campaign.id, s.campaign.title);
    if (s.request)
        out += line(u"request"_s, s.request->id % u" by "_s % orDash(s.request->requester) %
                                      u" via "_s % orDash(s.request->triggerSystem));
    out += line(u"template"_s, s.campaign.templateId % u'@' % s.campaign.templateVersion);
    out += line(u"link"_s, campaignLinkUrl(s.campaign.id));
    out += u"  %1 repositories targeted, %2 skipped, %3 PRs opened, %4 merged, %5 failed, "
           "%6 retried\n"_s.arg(s.targeted)
               .arg(s.skipped)
               .arg(s.prsOpened)
               .arg(s.prsMerged)
               .arg(s.failed)
               .arg(s.retried);

    QMap<QString, QList<const CampaignSummary::RepoOutcome *>> skips;
    for (const auto &o : s.repos) {
        if (o.decision.verdict == RepoVerdict::Skipped)
            skips[o.decision.rule.isEmpty() ? u"unspecified"_s : o.decision.rule] << &o;
    }
    out += u"\nSkipped (%1)\n"_s.arg(s.skipped);
    for (auto it = skips.cbegin(); it != skips.cend(); ++it) {
        out += u"  %1 (%2)\n"_s.arg(it.key()).arg(it.value().size());
        for (const auto *o : it.value()) {
            out += u"    %1: %2\n"_s.arg(o->decision.repo, orDash(o->decision.reason));
            if (!o->decision.evidence.isEmpty())
                out += u"      evidence: %1\n"_s.arg(o->decision.evidence);
        }
    }
    out += u"\nRepositories\n"_s;
    for (const auto &o : s.repos) {
        QString pr = u"-"_s;
        if (o.prNumber)
            pr = u"#%1%2"_s.arg(*o.prNumber).arg(o.prMerged ? u" merged"_s : QString());
        out += u"  %1 %2 %3 %4\n"_s.arg(o.decision.repo.leftJustified(36),
                                        toString(o.state).leftJustified(16),
                                        orDash(o.taskId).leftJustified(14), pr);
    }
    return out;
}

QString campaignList(const QStringList &ids)
{
    QString out = u"%1 campaigns\n"_s.arg(ids.size());
    for (const QString &id : ids)
        out += u"  "_s % id % u'\n';
    return out;
}

QString stats(const StoreStats &s)
{
    QString out;
    out += line(u"requests"_s, QString::number(s.requests));
    out += line(u"campaigns"_s, QString::number(s.campaigns));
    out += line(u"tasks"_s, QString::number(s.tasks));
    for (auto it = s.tasksByState.cbegin(); it != s.tasksByState.cend(); ++it)
        out += subLine(it.key(), it.value());
    out += line(u"identities"_s, QString::number(s.identities));
    out += line(u"commands"_s, QString::number(s.commands));
    out += line(u"log lines"_s, QString::number(s.logLines));
    out +=
        line(u"pull requests"_s, u"%1 (%2 merged)"_s.arg(s.pullRequests).arg(s.mergedPullRequests));
    out += line(u"reviews"_s, QString::number(s.reviews));
    out += line(u"check runs"_s, QString::number(s.checkRuns));
    out += line(u"skipped repos"_s, QString::number(s.skippedRepos));
    for (auto it = s.skipsByRule.cbegin(); it != s.skipsByRule.cend(); ++it)
        out += subLine(it.key(), it.value());
    out += line(u"files ingested"_s, QString::number(s.ingestedFiles));
    out += line(u"redactions"_s, QString::number(s.redactions));
    out += line(u"evidence"_s, u"%1 entries, head %2"_s.arg(s.evidenceEntries)
                                   .arg(orDash(QString::fromLatin1(s.evidenceHead))));
    return out;
}

QString searchHits(const QList<SearchHit> &hits)
{
    QString out;
    for (const auto &h : hits) {
        if (h.kind == SearchHit::Kind::LogLine)
            out += u"%1  command %2 line %3: %4\n"_s.arg(h.taskId)
                       .arg(h.commandSeq)
                       .arg(h.lineNo)
                       .arg(h.text);
        else
            out += u"%1  %2\n"_s.arg(orDash(h.taskId), h.text);
    }
    out += u"%1 hits\n"_s.arg(hits.size());
    return out;
}

} // namespace Tasktrail::CliText
