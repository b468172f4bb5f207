#pragma once

#include "records/summaries.h"

#include <QAbstractTableModel>
#include <QList>

namespace Tasktrail {

// Every repository a campaign targeted: its decision, the task started for it and how that
// task ended. Fifty or a few thousand rows, held in full.
class CampaignReposModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RepoColumn,
        DecisionColumn,
        StateColumn,
        TaskColumn,
        PullRequestColumn,
        RetriesColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    // Same value in every column of a row.
    enum Role
    {
        TaskIdRole = Qt::UserRole, // QString, empty for a repository without a task
        RepoRole,                  // QString
        SkippedRole,               // bool
        RuleRole,                  // QString: the rule that decided
        StateRole,                 // Tasktrail::TaskState
    };
    Q_ENUM(Role)

    using Outcome = CampaignSummary::RepoOutcome;

    explicit CampaignReposModel(QObject *parent = nullptr);
    ~CampaignReposModel() override;

    void setRepos(const QList<Outcome> &repos);
    void clear() { setRepos({}); }
    const Outcome &repo(int row) const { return m_repos.at(row); }
    const QList<Outcome> &repos() const { return m_repos; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "eligible", "skipped: release_freeze".
    static QString decisionText(const RepoDecision &decision);

private:
    QVariant display(const Outcome &outcome, int column) const;

    QList<Outcome> m_repos;
};

} // namespace Tasktrail
