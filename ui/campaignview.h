#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QModelIndex;
class QTreeView;

namespace Tasktrail {

class CampaignListModel;
class CampaignReposModel;
class RecordStore;
class SkippedReposModel;

// Campaigns seen from above. Left: every campaign. Right, for the selected one: how many
// repositories it targeted and what became of them, the skipped repositories grouped by the
// rule that skipped them (expanded, so the reason and evidence are on screen at once), and a
// row per repository.
//
// A campaign summary is one campaign's decisions (tens to a few thousand rows through an
// index), read on the GUI thread like the chain panel's task chain.
class CampaignView final : public QWidget
{
    Q_OBJECT

public:
    explicit CampaignView(QWidget *parent = nullptr);
    ~CampaignView() override;

    // Not owned; nullptr clears the view. Reloads the campaign list.
    void setStore(RecordStore *store);
    void reload();
    // Selects the campaign in the list and shows it; false when the store has no such campaign.
    bool showCampaign(const QString &campaignId);
    QString currentCampaignId() const { return m_campaignId; }

    CampaignListModel *campaignsModel() const { return m_campaigns; }
    SkippedReposModel *skippedModel() const { return m_skipped; }
    CampaignReposModel *reposModel() const { return m_repos; }

Q_SIGNALS:
    void taskActivated(const QString &taskId);

private:
    void onCampaignSelected(const QModelIndex &current);
    void onRepoActivated(const QModelIndex &index);
    void load(const QString &campaignId);
    void clearDetail(const QString &message);
    QLabel *addCount(const QString &name, const QString &label);

    RecordStore *m_store = nullptr;
    QString m_campaignId;
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
};

} // namespace Tasktrail
