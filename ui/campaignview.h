#pragma once

#include "records/summaries.h"

#include <QList>
#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;
class QModelIndex;
class QTreeView;

namespace Tasktrail {

class AsyncQuery;
class CampaignListModel;
class CampaignReposModel;
class RecordStore;
class SkippedReposModel;

// Campaigns seen from above. Left: every campaign. Right, for the selected one: how many
// repositories it targeted and what became of them, the skipped repositories grouped by the
// rule that skipped them (expanded, so the reason and evidence are on screen at once), and a
// row per repository.
//
// The list and a campaign's summary are read on the view's query thread; a campaign picked
// while another is still loading supersedes it.
class CampaignView final : public QWidget
{
    Q_OBJECT

public:
    explicit CampaignView(QWidget *parent = nullptr);
    ~CampaignView() override;

    // The database the view reads (on a connection of its own; `store` is not kept); nullptr
    // clears the view. Reloads the campaign list.
    void setStore(RecordStore *store);
    void reload();
    // Selects the campaign in the list and loads it; false when the list has no such
    // campaign. currentCampaignId() changes once it is shown.
    bool showCampaign(const QString &campaignId);
    QString currentCampaignId() const { return m_campaignId; }
    // True while the list or a campaign is being read.
    bool isLoading() const;

    CampaignListModel *campaignsModel() const { return m_campaigns; }
    SkippedReposModel *skippedModel() const { return m_skipped; }
    // The splits and the campaign list's and repositories' column widths, for the settings.
    // Once a layout is restored, the repository column keeps its width instead of fitting
    // each campaign's longest name.
    QByteArray saveLayout() const;
    bool restoreLayout(const QByteArray &state);
    CampaignReposModel *reposModel() const { return m_repos; }

Q_SIGNALS:
    void taskActivated(const QString &taskId);
    // Two repositories' runs were selected and "Compare" chosen: the first selected is A.
    void compareRequested(const QString &taskA, const QString &taskB);
    // The campaign list, or a campaign's detail, is on screen.
    void campaignsLoaded();
    void campaignLoaded(const QString &campaignId);

private:
    void onCampaignSelected(const QModelIndex &current);
    void onRepoActivated(const QModelIndex &index);
    QStringList selectedTasks() const;
    void load(const QString &campaignId);
    void showSummary(const CampaignSummary &summary);
    void onCampaignsRead(const QList<CampaignRecord> &campaigns, const QString &previous);
    void clearDetail(const QString &message);
    QLabel *addCount(const QString &name, const QString &label);

    AsyncQuery *m_queries = nullptr;
    QString m_campaignId;
    QString m_loadingId; // asked for, not yet shown
    CampaignListModel *m_campaigns = nullptr;
    SkippedReposModel *m_skipped = nullptr;
    CampaignReposModel *m_repos = nullptr;
    QTreeView *m_list = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_request = nullptr;
    QWidget *m_countsBox = nullptr;
    QLabel *m_targeted = nullptr;
    QLabel *m_prsOpened = nullptr;
    QLabel *m_merged = nullptr;
    QLabel *m_skippedCount = nullptr;
    QLabel *m_failed = nullptr;
    QLabel *m_retried = nullptr;
    QLabel *m_skippedHeading = nullptr;
    QTreeView *m_skippedTree = nullptr;
    QTreeView *m_reposTable = nullptr;
    QPushButton *m_compare = nullptr;
    QSplitter *m_splitter = nullptr; // the list | the detail
    QSplitter *m_sections = nullptr; // skipped repositories over every repository
    bool m_layoutRestored = false;
};

} // namespace Tasktrail
