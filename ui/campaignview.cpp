#include "campaignview.h"

#include "asyncquery.h"
#include "campaignlistmodel.h"
#include "campaignreposmodel.h"
#include "copylink.h"
#include "displaytext.h"
#include "idcolumns.h"
#include "layoutstate.h"
#include "skippedreposmodel.h"
#include "store/recordstore.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

enum QuerySlot
{
    ListSlot,
    DetailSlot,
};

QTreeView *flatTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTreeView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setRootIsDecorated(false);
    view->setUniformRowHeights(true);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return view;
}

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

CampaignView::CampaignView(QWidget *parent)
    : QWidget(parent)
    , m_queries(new AsyncQuery(this))
    , m_campaigns(new CampaignListModel(this))
    , m_skipped(new SkippedReposModel(this))
    , m_repos(new CampaignReposModel(this))
{
    auto *splitter = m_splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(u"campaignSplitter"_s);
    m_list = flatTable(m_campaigns, u"campaignList"_s, splitter);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setColumnHidden(CampaignListModel::CreatedColumn, true);

    auto *detail = new QWidget(splitter);
    auto *layout = new QVBoxLayout(detail);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = heading(QString(), detail);
    m_title->setObjectName(u"campaignTitle"_s);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    m_request = new QLabel(detail);
    m_request->setObjectName(u"campaignRequest"_s);
    m_request->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_request->setWordWrap(true);
    layout->addWidget(m_title);
    layout->addWidget(m_request);

    m_countsBox = new QWidget(detail);
    auto *counts = new QGridLayout(m_countsBox);
    counts->setContentsMargins(0, 0, 0, 0);
    m_targeted = addCount(u"count-targeted"_s, tr("Repositories targeted"));
    m_prsOpened = addCount(u"count-prs-opened"_s, tr("PRs opened"));
    m_merged = addCount(u"count-merged"_s, tr("Merged"));
    m_skippedCount = addCount(u"count-skipped"_s, tr("Skipped"));
    m_failed = addCount(u"count-failed"_s, tr("Failed"));
    m_retried = addCount(u"count-retried"_s, tr("Retried"));
    layout->addWidget(m_countsBox);

    auto *sections = m_sections = new QSplitter(Qt::Vertical, detail);
    sections->setObjectName(u"campaignSections"_s);
    auto *skippedBox = new QWidget(sections);
    auto *skippedLayout = new QVBoxLayout(skippedBox);
    skippedLayout->setContentsMargins(0, 0, 0, 0);
    m_skippedHeading = heading(tr("Skipped"), skippedBox);
    m_skippedTree = new QTreeView(skippedBox);
    m_skippedTree->setObjectName(u"skippedTree"_s);
    m_skippedTree->setModel(m_skipped);
    m_skippedTree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_skippedTree->setWordWrap(true);
    skippedLayout->addWidget(m_skippedHeading);
    skippedLayout->addWidget(m_skippedTree);

    auto *reposBox = new QWidget(sections);
    auto *reposLayout = new QVBoxLayout(reposBox);
    reposLayout->setContentsMargins(0, 0, 0, 0);
    m_reposTable = flatTable(m_repos, u"reposTable"_s, reposBox);
    m_reposTable->setSortingEnabled(false);
    showIdsElided(m_reposTable, {CampaignReposModel::TaskColumn});
    // Two repositories' runs can be selected and compared side by side.
    m_reposTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_compare = new QPushButton(tr("Co&mpare Selected"), reposBox);
    m_compare->setObjectName(u"compareReposButton"_s);
    m_compare->setToolTip(tr("Compare the runs of two selected repositories"));
    m_compare->setEnabled(false);
    auto *reposHeading = new QHBoxLayout;
    reposHeading->addWidget(heading(tr("Repositories"), reposBox), 1);
    reposHeading->addWidget(m_compare);
    reposLayout->addLayout(reposHeading);
    reposLayout->addWidget(m_reposTable);
    layout->addWidget(sections, 1);

    splitter->setStretchFactor(1, 3);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(splitter);

    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CampaignView::onCampaignSelected);
    // A campaign's link, and a repository's run's link, for a ticket or a comment.
    addCopyLinkAction(
        m_list, linkFromRole(TasktrailLink::Kind::Campaign, CampaignListModel::CampaignIdRole));
    addCopyLinkAction(m_reposTable,
                      linkFromRole(TasktrailLink::Kind::Task, CampaignReposModel::TaskIdRole));
    connect(m_reposTable, &QAbstractItemView::activated, this, &CampaignView::onRepoActivated);
    connect(m_reposTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_compare->setEnabled(selectedTasks().size() == 2); });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        if (const QStringList tasks = selectedTasks(); tasks.size() == 2)
            Q_EMIT compareRequested(tasks.at(0), tasks.at(1));
    });
    clearDetail(tr("Select a campaign."));
}

CampaignView::~CampaignView() = default;

QLabel *CampaignView::addCount(const QString &name, const QString &label)
{
    auto *grid = static_cast<QGridLayout *>(m_countsBox->layout());
    const int column = grid->count() / 2;
    auto *value = heading(QString(), m_countsBox);
    value->setObjectName(name);
    value->setAlignment(Qt::AlignCenter);
    auto *caption = new QLabel(label, m_countsBox);
    caption->setAlignment(Qt::AlignCenter);
    grid->addWidget(value, 0, column);
    grid->addWidget(caption, 1, column);
    return value;
}

void CampaignView::setStore(RecordStore *store)
{
    m_queries->setDatabase(store ? store->location() : QString());
    m_campaignId.clear();
    reload();
}

bool CampaignView::isLoading() const
{
    return m_queries->isPending(ListSlot) || m_queries->isPending(DetailSlot);
}

void CampaignView::reload()
{
    const QString previous = !m_loadingId.isEmpty() ? m_loadingId : m_campaignId;
    m_queries->cancel(DetailSlot);
    m_loadingId.clear();
    if (m_queries->database().isEmpty()) {
        onCampaignsRead({}, QString());
        return;
    }
    m_queries->run(
        ListSlot, this, [](RecordStore &store) { return store.campaigns(); },
        [this, previous](const QList<CampaignRecord> &campaigns) {
            onCampaignsRead(campaigns, previous);
        });
}

void CampaignView::onCampaignsRead(const QList<CampaignRecord> &campaigns, const QString &previous)
{
    m_campaignId.clear();
    m_campaigns->setCampaigns(campaigns);
    if (previous.isEmpty() || !showCampaign(previous))
        clearDetail(m_campaigns->rowCount() == 0 ? tr("This database holds no campaigns.")
                                                 : tr("Select a campaign."));
    Q_EMIT campaignsLoaded();
}

bool CampaignView::showCampaign(const QString &campaignId)
{
    const int row = m_campaigns->rowOfId(campaignId);
    if (row < 0)
        return false;
    const QModelIndex index = m_campaigns->index(row, CampaignListModel::IdColumn);
    if (m_list->currentIndex().row() == row && m_campaignId == campaignId)
        return true;
    // Selecting the row loads it through onCampaignSelected, as a click does.
    m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_list->scrollTo(index);
    if (m_campaignId != campaignId && m_loadingId != campaignId)
        load(campaignId);
    return true;
}

void CampaignView::onCampaignSelected(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    const QString id = current.data(CampaignListModel::CampaignIdRole).toString();
    if (id != m_campaignId && id != m_loadingId)
        load(id);
}

void CampaignView::load(const QString &campaignId)
{
    m_loadingId = campaignId;
    m_queries->run(
        DetailSlot, this, [campaignId](RecordStore &store) { return store.campaign(campaignId); },
        [this, campaignId](const std::optional<CampaignSummary> &summary) {
            m_loadingId.clear();
            if (summary)
                showSummary(*summary);
            else
                clearDetail(tr("Campaign %1 is not in this database.").arg(campaignId));
            Q_EMIT campaignLoaded(campaignId);
        });
}

void CampaignView::showSummary(const CampaignSummary &summary)
{
    m_campaignId = summary.campaign.id;
    const CampaignRecord &c = summary.campaign;
    m_title->setText(c.title.isEmpty() ? c.id : tr("%1 — %2").arg(c.id, c.title));
    QStringList about;
    if (summary.request) {
        const RequestRecord &r = *summary.request;
        about << tr("Requested by %1 via %2 on %3")
                     .arg(r.requester.isEmpty() ? tr("unknown") : r.requester,
                          r.triggerSystem.isEmpty() ? tr("unknown") : r.triggerSystem,
                          DisplayText::timestamp(r.createdAt));
    }
    if (!c.templateId.isEmpty())
        about << tr("template %1@%2").arg(c.templateId, c.templateVersion);
    if (!c.policyId.isEmpty())
        about << tr("policy %1@%2").arg(c.policyId, c.policyVersion);
    m_request->setText(about.join(u" · "_s));
    m_countsBox->setVisible(true);
    m_targeted->setNum(summary.targeted);
    m_prsOpened->setNum(summary.prsOpened);
    m_merged->setNum(summary.prsMerged);
    m_skippedCount->setNum(summary.skipped);
    m_failed->setNum(summary.failed);
    m_retried->setNum(summary.retried);

    m_skipped->setDecisions(c.decisions);
    m_skippedHeading->setText(
        m_skipped->skippedCount() == 0
            ? tr("Skipped: none")
            : tr("Skipped: %n repositories", nullptr, m_skipped->skippedCount()));
    // The answer to "why were they skipped" is on screen without another click.
    m_skippedTree->expandAll();
    for (int column = 0; column < SkippedReposModel::ColumnCount; ++column)
        m_skippedTree->resizeColumnToContents(column);
    // The rows shown so far are freed on the query thread.
    QList<CampaignSummary::RepoOutcome> previous = m_repos->repos();
    m_repos->setRepos(summary.repos);
    m_queries->dispose(std::move(previous));
    // Sized from the longest name rather than by asking every row for its size hint: a
    // campaign may target tens of thousands of repositories.
    if (m_layoutRestored)
        return; // the reader's width
    QString longest;
    for (const CampaignSummary::RepoOutcome &outcome : summary.repos) {
        if (outcome.decision.repo.size() > longest.size())
            longest = outcome.decision.repo;
    }
    m_reposTable->header()->resizeSection(CampaignReposModel::RepoColumn,
                                          m_reposTable->fontMetrics().horizontalAdvance(longest) +
                                              4 * m_reposTable->indentation());
}

void CampaignView::clearDetail(const QString &message)
{
    m_campaignId.clear();
    m_title->setText(message);
    m_request->clear();
    m_countsBox->setVisible(false);
    m_skipped->clear();
    m_skippedHeading->setText(tr("Skipped"));
    m_repos->clear();
}

QStringList CampaignView::selectedTasks() const
{
    QStringList tasks;
    for (const QModelIndex &row : m_reposTable->selectionModel()->selectedRows()) {
        if (const QString id = row.data(CampaignReposModel::TaskIdRole).toString(); !id.isEmpty())
            tasks << id;
    }
    // The current row, picked last, is B.
    const QString current =
        m_reposTable->currentIndex().data(CampaignReposModel::TaskIdRole).toString();
    if (tasks.size() == 2 && tasks.constFirst() == current)
        tasks.swapItemsAt(0, 1);
    return tasks;
}

void CampaignView::onRepoActivated(const QModelIndex &index)
{
    const QString taskId = index.data(CampaignReposModel::TaskIdRole).toString();
    if (!taskId.isEmpty())
        Q_EMIT taskActivated(taskId);
}

QByteArray CampaignView::saveLayout() const
{
    return saveLayoutState({{m_splitter, m_sections}, {m_list->header(), m_reposTable->header()}});
}

bool CampaignView::restoreLayout(const QByteArray &state)
{
    if (!restoreLayoutState({{m_splitter, m_sections}, {m_list->header(), m_reposTable->header()}},
                            state))
        return false;
    m_layoutRestored = true;
    return true;
}

} // namespace Tasktrail
