#pragma once

#include "records/request.h"

#include <QAbstractItemModel>
#include <QList>

namespace Tasktrail {

// "Why were these repositories skipped", grouped by the rule that decided: a rule row
// ("release_freeze (2)") with one child row per repository, its reason and its evidence.
class SkippedReposModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column
    {
        NameColumn, // the rule on a group row, the repository on a child row
        ReasonColumn,
        EvidenceColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    // Same value in every column of a row.
    enum Role
    {
        RuleRole = Qt::UserRole, // QString, on group and child rows
        RepoRole,                // QString, empty on a group row
        IsGroupRole,             // bool
        CountRole,               // int: repositories in the group (1 on a child row)
    };
    Q_ENUM(Role)

    struct Group
    {
        QString rule;
        QList<RepoDecision> repos; // sorted by repository
    };

    explicit SkippedReposModel(QObject *parent = nullptr);
    ~SkippedReposModel() override;

    // Keeps the skipped decisions only; groups are sorted by rule, empty rules last.
    void setDecisions(const QList<RepoDecision> &decisions);
    void clear() { setDecisions({}); }
    const QList<Group> &groups() const { return m_groups; }
    int skippedCount() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QList<Group> groupByRule(const QList<RepoDecision> &decisions);

private:
    QVariant groupData(const Group &group, int column, int role) const;
    QVariant repoData(const RepoDecision &decision, int column, int role) const;

    QList<Group> m_groups;
};

} // namespace Tasktrail
