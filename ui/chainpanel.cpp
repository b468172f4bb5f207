#include "chainpanel.h"

#include "detailhtml.h"
#include "displaytext.h"
#include "query/runsentence.h"
#include "records/taskchain.h"
#include "text/shellquote.h"
#include "text/tasktraillink.h"

#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QString notRecorded()
{
    return ChainPanel::tr("Not recorded.");
}

QString withVersion(const QString &id, const QString &version)
{
    return version.isEmpty() ? id : id % u'@' % version;
}

QString taskSection(const TaskRecord &t)
{
    DetailHtml s(ChainPanel::tr("Task"));
    QString state = DisplayText::state(t.state);
    if (!t.stateReason.isEmpty())
        state = ChainPanel::tr("%1 (%2)").arg(state, t.stateReason);
    s.row(ChainPanel::tr("ID"), t.id)
        // Selectable text to copy into a ticket or a comment (Edit > Copy Link copies it too).
        .row(ChainPanel::tr("Link"), taskLinkUrl(t.id))
        .row(ChainPanel::tr("Repository"), t.repo)
        .row(ChainPanel::tr("State"), state)
        .row(ChainPanel::tr("Source"), t.source)
        .row(ChainPanel::tr("Base"), t.baseRef)
        .row(ChainPanel::tr("Head"), t.headRef)
        .row(ChainPanel::tr("Head SHA"), t.headSha)
        .row(ChainPanel::tr("Created"), DisplayText::timestamp(t.createdAt))
        .row(ChainPanel::tr("Started"), DisplayText::timestamp(t.startedAt))
        .row(ChainPanel::tr("Completed"), DisplayText::timestamp(t.completedAt))
        .row(ChainPanel::tr("Retries"), t.retries ? QString::number(*t.retries) : QString())
        .row(ChainPanel::tr("Confidence"),
             t.confidence ? QString::number(*t.confidence, 'f', 2) : QString())
        .block(ChainPanel::tr("Prompt"), t.prompt)
        .block(ChainPanel::tr("Known gaps"), t.knownGaps.join(u'\n'));
    QStringList failures;
    for (const FailureRecord &f : t.failures)
        failures << ChainPanel::tr("%1: %2").arg(f.kind, f.message);
    s.block(ChainPanel::tr("Failures"), failures.join(u'\n'));
    return s.html(notRecorded());
}

QString requestSection(const TaskChain &chain)
{
    DetailHtml s(ChainPanel::tr("Request"));
    if (chain.request) {
        s.fields(*chain.request, requestFields(), true, {}, {"text"});
    }
    if (chain.campaign)
        s.row(ChainPanel::tr("Campaign"),
              chain.campaign->title.isEmpty()
                  ? chain.campaign->id
                  : ChainPanel::tr("%1 (%2)").arg(chain.campaign->title, chain.campaign->id));
    if (chain.decision)
        s.fields(*chain.decision, decisionFields(), false);
    return s.html(notRecorded());
}

QString identitySection(const TaskChain &chain)
{
    DetailHtml s(ChainPanel::tr("Identity"));
    if (chain.identity) {
        s.fields(*chain.identity, identityFields(), true);
    }
    return s.html(notRecorded());
}

QString policySection(const TaskChain &chain)
{
    DetailHtml s(ChainPanel::tr("Policy"));
    if (chain.policy) {
        const PolicyRecord &p = *chain.policy;
        s.row(ChainPanel::tr("Policy"), withVersion(p.id, p.version))
            .fields(p, policyFields(), false);
    }
    if (chain.taskTemplate) {
        const TemplateRecord &t = *chain.taskTemplate;
        s.row(ChainPanel::tr("Template"), withVersion(t.id, t.version))
            .fields(t, templateFields(), false);
    }
    return s.html(notRecorded());
}

QString commandsSection(const TaskChain &chain)
{
    DetailHtml s(ChainPanel::tr("Commands"));
    for (const TaskChain::Command &c : chain.commands) {
        QString line = shellCommandLine(c.record.argv);
        if (c.record.exitCode)
            line =
                ChainPanel::tr("%1  [exit %2]")
                    .arg(line, QString::number(*c.record.exitCode)); // one pass: argv may hold %2
        const QString lines = c.logLines == 1 ? ChainPanel::tr("1 log line")
                                              : ChainPanel::tr("%L1 log lines").arg(c.logLines);
        line = ChainPanel::tr("%1  (%2)").arg(line, lines);
        s.row(ChainPanel::tr("%1.").arg(c.record.seq), line);
    }
    return s.html(notRecorded());
}

QString pullRequestSection(const TaskChain &chain)
{
    DetailHtml s(ChainPanel::tr("Pull request"));
    if (chain.pullRequest) {
        const PullRequestRecord &p = *chain.pullRequest;
        QString state = p.merged() ? ChainPanel::tr("merged %1 by %2")
                                         .arg(DisplayText::timestamp(p.mergedAt), p.mergedBy)
                                   : p.state;
        if (p.draft)
            state = ChainPanel::tr("%1, draft").arg(state);
        s.row(ChainPanel::tr("Number"), DisplayText::pullRequest(p.number, p.merged()))
            .row(ChainPanel::tr("Title"), p.title)
            .row(ChainPanel::tr("State"), state)
            .row(ChainPanel::tr("Author"), p.author)
            .row(ChainPanel::tr("Branches"), ChainPanel::tr("%1 -> %2").arg(p.headRef, p.baseRef))
            .row(ChainPanel::tr("URL"), p.url);
    } else if (chain.task.prNumber) {
        s.row(ChainPanel::tr("Number"), DisplayText::pullRequest(chain.task.prNumber, false));
    }
    for (const ReviewRecord &r : chain.reviews)
        s.row(ChainPanel::tr("Review"), ChainPanel::tr("%1: %2").arg(r.reviewer, r.state));
    for (const CheckRunRecord &c : chain.checkRuns)
        s.row(
            ChainPanel::tr("Check"),
            ChainPanel::tr("%1: %2").arg(c.name, c.conclusion.isEmpty() ? c.status : c.conclusion));
    return s.html(notRecorded());
}

} // namespace

ChainPanel::ChainPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new QTextBrowser(this))
{
    // Nothing in a chain is a link worth following from here; URLs stay text.
    m_view->setOpenLinks(false);
    m_view->setPlaceholderText(tr("Select a task to see how it came about."));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

ChainPanel::~ChainPanel() = default;

QString ChainPanel::chainHtml(const TaskChain &chain)
{
    // The reviewer's sentence first: the whole chain at a glance, escaped like every value.
    return u"<p>"_s % RunSentence::of(chain).toHtmlEscaped() % u"</p>"_s % taskSection(chain.task) %
           requestSection(chain) % identitySection(chain) % policySection(chain) %
           commandsSection(chain) % pullRequestSection(chain);
}

void ChainPanel::showChain(const TaskChain &chain)
{
    setHtml(chainHtml(chain));
}

void ChainPanel::showMissingTask(const QString &taskId)
{
    setHtml(u"<p><i>"_s % (tr("No task %1 in this database.").arg(taskId)).toHtmlEscaped() %
            u"</i></p>"_s);
}

void ChainPanel::showLoading()
{
    setHtml(u"<p><i>"_s % tr("Loading the selected task…").toHtmlEscaped() % u"</i></p>"_s);
}

void ChainPanel::clear()
{
    setHtml({});
}

QString ChainPanel::plainText() const
{
    return m_view->toPlainText();
}

void ChainPanel::setHtml(const QString &html)
{
    m_html = html;
    m_view->setHtml(html);
}

} // namespace Tasktrail
