#include "chaindetail.h"

#include "commandsmodel.h"
#include "detailhtml.h"
#include "displaytext.h"
#include "findingsmodel.h"
#include "policy/conformance.h"
#include "policy/rules.h"
#include "prdetail.h"
#include "records/taskchain.h"
#include "timelinewidget.h"
#include "transcriptpanel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QString withVersion(const QString &id, const QString &version)
{
    return version.isEmpty() ? id : id % u'@' % version;
}

QString notRecorded()
{
    return ChainDetail::tr("Not recorded.");
}

// A titled table of recorded values, every cell escaped; `empty` when there are no rows.
QString htmlTable(const QString &title, const QStringList &headers, const QList<QStringList> &rows,
                  const QString &empty)
{
    QString html = u"<h3>"_s % title.toHtmlEscaped() % u"</h3>"_s;
    if (rows.isEmpty())
        return html % u"<p><i>"_s % empty.toHtmlEscaped() % u"</i></p>"_s;
    html += u"<table cellspacing=\"4\"><tr>"_s;
    for (const QString &h : headers)
        html += u"<th align=\"left\">"_s % h.toHtmlEscaped() % u"</th>"_s;
    html += u"</tr>"_s;
    for (const QStringList &row : rows) {
        html += u"<tr>"_s;
        for (const QString &cell : row)
            html += u"<td>"_s % cell.toHtmlEscaped() % u"</td>"_s;
        html += u"</tr>"_s;
    }
    return html % u"</table>"_s;
}

} // namespace

ChainDetail::ChainDetail(QWidget *parent)
    : QStackedWidget(parent)
    , m_commands(new CommandsModel(this))
    , m_findings(new FindingsModel(this))
{
    // Request, Identity, Policy: the Card order.
    m_textPages[0] = addTextPage(this);
    m_textPages[1] = addTextPage(this);
    addWidget(createPolicyPage());
    addWidget(createCommandsPage());
    m_pr = new PrDetail(this);
    addWidget(m_pr);
    connect(m_pr, &PrDetail::taskRequested, this, &ChainDetail::taskRequested);
    m_transcript = new TranscriptPanel(this);
    m_transcript->setObjectName(u"transcriptPanel"_s);
    addWidget(m_transcript);
    clear();
}

ChainDetail::~ChainDetail() = default;

QTextBrowser *ChainDetail::addTextPage(QWidget *parent)
{
    auto *page = new QTextBrowser(parent);
    // Recorded URLs stay text: a detail page is evidence, not a browser.
    page->setOpenLinks(false);
    if (parent == this)
        addWidget(page);
    return page;
}

QWidget *ChainDetail::createPolicyPage()
{
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_textPages[2] = addTextPage(splitter);
    // Links name no record: the page's own task says which template or policy is meant.
    connect(m_textPages[2], &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        const bool isTemplate = url.toString() == templateLink();
        if (!isTemplate && url.toString() != policyLink())
            return;
        const SpecRef ref = isTemplate ? m_templateRef : m_policyRef;
        if (!ref.id.isEmpty())
            Q_EMIT documentRequested(isTemplate ? PolicyDocument::Kind::Template
                                                : PolicyDocument::Kind::Policy,
                                     ref.id, ref.version);
    });
    m_findingsView = new QTableView(splitter);
    m_findingsView->setObjectName(u"chainFindings"_s);
    m_findingsView->setModel(m_findings);
    m_findingsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findingsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_findingsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_findingsView->verticalHeader()->hide();
    m_findingsView->hideColumn(FindingsModel::TaskColumn);
    m_findingsView->horizontalHeader()->setSectionResizeMode(FindingsModel::MessageColumn,
                                                             QHeaderView::Stretch);
    connect(m_findingsView, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT findingActivated(m_findings->finding(index.row()));
    });
    splitter->addWidget(m_textPages[2]);
    splitter->addWidget(m_findingsView);
    return splitter;
}

QWidget *ChainDetail::createCommandsPage()
{
    auto *splitter = new QSplitter(Qt::Vertical, this);
    // The timeline keeps one lane per command and scrolls when the page is shorter than that.
    auto *timelineScroll = new QScrollArea(splitter);
    timelineScroll->setWidgetResizable(true);
    timelineScroll->setFrameShape(QFrame::NoFrame);
    m_timeline = new TimelineWidget(timelineScroll);
    timelineScroll->setWidget(m_timeline);
    m_commandsView = new QTableView(splitter);
    m_commandsView->setModel(m_commands);
    m_commandsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_commandsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_commandsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_commandsView->verticalHeader()->hide();
    m_commandsView->horizontalHeader()->setSectionResizeMode(CommandsModel::CommandColumn,
                                                             QHeaderView::Stretch);
    splitter->addWidget(timelineScroll);
    splitter->addWidget(m_commandsView);

    connect(m_timeline, &TimelineWidget::commandSelected, this,
            [this](qint64, int seq) { selectRow(m_commands->rowOfSeq(seq)); });
    connect(m_timeline, &TimelineWidget::commandActivated, this,
            [this](qint64, int seq) { activateRow(m_commands->rowOfSeq(seq)); });
    connect(m_commandsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_timeline->setSelectedSeq(
                    current.isValid() ? current.data(CommandsModel::SeqRole).toInt() : -1);
            });
    connect(m_commandsView, &QAbstractItemView::activated, this,
            [this](const QModelIndex &index) { activateRow(index.row()); });
    return splitter;
}

void ChainDetail::selectCommand(int seq)
{
    selectRow(m_commands->rowOfSeq(seq));
}

void ChainDetail::selectRow(int row)
{
    if (row < 0)
        return;
    m_commandsView->selectionModel()->setCurrentIndex(
        m_commands->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_commandsView->scrollTo(m_commands->index(row, 0));
}

void ChainDetail::activateRow(int row)
{
    if (row < 0)
        return;
    const TaskChain::Command &c = m_commands->command(row);
    Q_EMIT commandActivated(c.key, c.record.seq, c.logLines);
}

QString ChainDetail::requestHtml(const TaskChain &chain)
{
    DetailHtml s(tr("Request"));
    if (chain.request) {
        s.fields(*chain.request, requestFields(), true, {}, {"text"});
    }
    if (chain.campaign)
        s.row(tr("Campaign"), chain.campaign->title.isEmpty()
                                  ? chain.campaign->id
                                  : tr("%1 (%2)").arg(chain.campaign->title, chain.campaign->id));
    if (chain.decision)
        s.fields(*chain.decision, decisionFields(), false);
    if (!s.isEmpty())
        s.block(tr("Task prompt"), chain.task.prompt);
    return s.html(notRecorded());
}

QString ChainDetail::identityHtml(const TaskChain &chain)
{
    DetailHtml s(tr("Identity"));
    if (chain.identity) {
        // Only the digest is ever stored; it matches GitHub's audit log `hashed_token`.
        s.fields(*chain.identity, identityFields(), true);
    } else if (!chain.task.identityId.isEmpty()) {
        s.row(tr("Identity ID"), chain.task.identityId)
            .row(tr("Details"), tr("The identity record was not ingested."));
    }
    return s.html(notRecorded()) % auditHtml(chain);
}

QString ChainDetail::auditHtml(const TaskChain &chain)
{
    QList<QStringList> rows;
    for (const AuditLink &link : chain.auditEvents) {
        const AuditEvent &e = link.event;
        // A call into another repository than the run's is what a reviewer looks for.
        const bool elsewhere = !e.repo.isEmpty() && e.repo != chain.task.repo;
        rows << QStringList{DisplayText::timestamp(e.at),
                            e.actor,
                            e.action,
                            QStringList{e.requestMethod, e.requestRoute}.join(u' ').trimmed(),
                            elsewhere ? tr("%1 (not this task's repository)").arg(e.repo) : e.repo,
                            link.match};
    }
    return htmlTable(
        tr("API calls during the run (audit log)"),
        {tr("Time"), tr("Actor"), tr("Action"), tr("Request"), tr("Repository"), tr("Linked by")},
        rows, tr("No audit-log event was linked to this run."));
}

QString ChainDetail::scopeHtml(const TaskChain &chain)
{
    QList<QStringList> files;
    for (const FileChange &f : chain.task.filesChanged)
        files << QStringList{f.path, f.change, u"+%1 -%2"_s.arg(f.additions).arg(f.deletions)};
    QList<QStringList> hosts;
    for (const ExternalContact &c : chain.task.contacts)
        hosts << DetailHtml::cells(c, contactFields(), "task_id");
    QList<QStringList> tests;
    for (const TestResult &t : chain.task.tests)
        tests << QStringList{t.name, t.outcome,
                             t.commandSeq > 0 ? tr("command %1").arg(t.commandSeq) : QString()};
    return htmlTable(tr("Files changed"), {tr("Path"), tr("Change"), tr("Lines")}, files,
                     tr("No changed files recorded.")) %
           htmlTable(tr("Hosts contacted"), DetailHtml::headers(contactFields(), "task_id"), hosts,
                     tr("No external contacts recorded.")) %
           htmlTable(tr("Tests"), {tr("Test"), tr("Outcome"), tr("Ran in")}, tests,
                     tr("No tests recorded."));
}

QString ChainDetail::policyHtml(const TaskChain &chain)
{
    DetailHtml s(tr("Policy"));
    if (chain.policy) {
        const PolicyRecord &p = *chain.policy;
        s.row(tr("Policy"), withVersion(p.id, p.version)).fields(p, policyFields(), false);
    } else if (!chain.task.policyId.isEmpty()) {
        s.row(tr("Policy"), withVersion(chain.task.policyId, chain.task.policyVersion));
    }
    if (chain.taskTemplate) {
        const TemplateRecord &t = *chain.taskTemplate;
        s.row(tr("Template"), withVersion(t.id, t.version)).fields(t, templateFields(), false);
    } else if (!chain.task.templateId.isEmpty()) {
        s.row(tr("Template"), withVersion(chain.task.templateId, chain.task.templateVersion));
    }
    if (!s.isEmpty() || chain.checkedAt)
        s.row(tr("Review"), PolicyVerdict::of(chain).text())
            .row(tr("Checked"), DisplayText::timestamp(chain.checkedAt.value_or(QDateTime())));
    QString html = s.html(notRecorded());
    // The texts in force, when they were loaded; the links carry no id (see createPolicyPage).
    QStringList links;
    if (!templateRef(chain).id.isEmpty())
        links << u"<a href=\""_s % templateLink() % u"\">"_s %
                     tr("Template text and history").toHtmlEscaped() % u"</a>"_s;
    if (!policyRef(chain).id.isEmpty())
        links << u"<a href=\""_s % policyLink() % u"\">"_s %
                     tr("Policy text and history").toHtmlEscaped() % u"</a>"_s;
    if (!links.isEmpty())
        html += u"<p>"_s % links.join(u" · "_s) % u"</p>"_s;
    // What the run did, next to what the versions above allowed.
    return html % scopeHtml(chain);
}

QString ChainDetail::templateLink()
{
    return u"tasktrail:template"_s;
}

QString ChainDetail::policyLink()
{
    return u"tasktrail:policy"_s;
}

void ChainDetail::setChain(const TaskChain &chain)
{
    setPageHtml(ChainStrip::Card::Request, requestHtml(chain));
    setPageHtml(ChainStrip::Card::Identity, identityHtml(chain));
    setPageHtml(ChainStrip::Card::Policy, policyHtml(chain));
    m_templateRef = templateRef(chain);
    m_policyRef = policyRef(chain);
    m_findings->setFindings(chain.findings);
    m_commands->setCommands(chain.commands);
    m_timeline->setCommands(chain.commands);
    m_timeline->setMinimumHeight(m_timeline->sizeHint().height());
    m_pr->setChain(chain);
}

void ChainDetail::clear()
{
    setPageHtml(ChainStrip::Card::Request, DetailHtml(tr("Request")).html(notRecorded()));
    setPageHtml(ChainStrip::Card::Identity, DetailHtml(tr("Identity")).html(notRecorded()));
    setPageHtml(ChainStrip::Card::Policy, DetailHtml(tr("Policy")).html(notRecorded()));
    m_templateRef = {};
    m_policyRef = {};
    m_findings->clear();
    m_commands->clear();
    m_timeline->clear();
    m_timeline->setMinimumHeight(0);
    m_pr->clear();
    m_transcript->clear();
}

void ChainDetail::setPageHtml(ChainStrip::Card card, const QString &html)
{
    const auto i = std::size_t(card);
    m_textHtml[i] = html;
    m_textPages[i]->setHtml(html);
}

void ChainDetail::showCard(ChainStrip::Card card)
{
    setCurrentIndex(int(card));
}

ChainStrip::Card ChainDetail::currentCard() const
{
    return ChainStrip::Card(currentIndex());
}

QString ChainDetail::pageHtml(ChainStrip::Card card) const
{
    switch (card) {
    case ChainStrip::Card::Request:
    case ChainStrip::Card::Identity:
    case ChainStrip::Card::Policy:
        return m_textHtml[std::size_t(card)];
    case ChainStrip::Card::PullRequest:
        return m_pr->metadataHtml();
    case ChainStrip::Card::Commands:
    case ChainStrip::Card::Transcript:
        break;
    }
    return {};
}

} // namespace Tasktrail
