#pragma once

#include "launch/launchplanner.h"

#include <QAbstractTableModel>

namespace Tasktrail {

// A launch dry run as a table: one row per repository with its decision and why. Skipped rows
// are greyed, so the eligible ones stand out.
class LaunchPlanModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RepositoryColumn,
        DecisionColumn,
        RuleColumn,
        ReasonColumn,
        EvidenceColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        DecisionRole = Qt::UserRole, // QString: "eligible", "waiting" or "skipped"
    };

    explicit LaunchPlanModel(QObject *parent = nullptr);
    ~LaunchPlanModel() override;

    void setPlan(const LaunchPlan &plan);
    void clear();
    const QList<RepoPlan> &repos() const { return m_repos; }

    // "eligible", "waiting" or "skipped".
    static QString decisionOf(const RepoPlan &repo);
    // "48 eligible, 2 waiting, 3 skipped".
    QString summary() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<RepoPlan> m_repos;
};

} // namespace Tasktrail
