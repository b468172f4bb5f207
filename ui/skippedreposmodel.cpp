#include "skippedreposmodel.h"

#include <QMap>

#include <algorithm>

namespace Tasktrail {
namespace {

// A child's internal id is its group's row + 1; a group row's is 0.
constexpr quintptr groupMarker = 0;

} // namespace

SkippedReposModel::SkippedReposModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

SkippedReposModel::~SkippedReposModel() = default;

QList<SkippedReposModel::Group> SkippedReposModel::groupByRule(const QList<RepoDecision> &decisions)
{
    QMap<QString, Group> byRule;
    for (const RepoDecision &d : decisions) {
        if (d.verdict != RepoVerdict::Skipped)
            continue;
        Group &g = byRule[d.rule];
        g.rule = d.rule;
        g.repos << d;
    }
    QList<Group> groups;
    groups.reserve(byRule.size());
    for (Group &g : byRule) {
        std::sort(g.repos.begin(), g.repos.end(),
                  [](const RepoDecision &a, const RepoDecision &b) { return a.repo < b.repo; });
        groups << g;
    }
    // A decision without a rule is the least explained one: show it after the named rules.
    std::stable_partition(groups.begin(), groups.end(),
                          [](const Group &g) { return !g.rule.isEmpty(); });
    return groups;
}

void SkippedReposModel::setDecisions(const QList<RepoDecision> &decisions)
{
    beginResetModel();
    m_groups = groupByRule(decisions);
    endResetModel();
}

int SkippedReposModel::skippedCount() const
{
    int n = 0;
    for (const Group &g : m_groups)
        n += int(g.repos.size());
    return n;
}

QModelIndex SkippedReposModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, groupMarker);
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex SkippedReposModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == groupMarker)
        return {};
    return createIndex(int(child.internalId() - 1), 0, groupMarker);
}

int SkippedReposModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != groupMarker || parent.column() != 0)
        return 0;
    return int(m_groups.at(parent.row()).repos.size());
}

int SkippedReposModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant SkippedReposModel::groupData(const Group &group, int column, int role) const
{
    const QString rule = group.rule.isEmpty() ? tr("(no rule recorded)") : group.rule;
    switch (role) {
    case Qt::DisplayRole:
        return column == NameColumn
                   ? QVariant(tr("%1 (%n)", nullptr, int(group.repos.size())).arg(rule))
                   : QVariant();
    case RuleRole:
        return group.rule;
    case RepoRole:
        return QString();
    case IsGroupRole:
        return true;
    case CountRole:
        return int(group.repos.size());
    default:
        return {};
    }
}

QVariant SkippedReposModel::repoData(const RepoDecision &d, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (column) {
        case NameColumn:
            return d.repo;
        case ReasonColumn:
            return d.reason;
        case EvidenceColumn:
            return d.evidence;
        default:
            return {};
        }
    case RuleRole:
        return d.rule;
    case RepoRole:
        return d.repo;
    case IsGroupRole:
        return false;
    case CountRole:
        return 1;
    default:
        return {};
    }
}

QVariant SkippedReposModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == groupMarker)
        return groupData(m_groups.at(index.row()), index.column(), role);
    const Group &g = m_groups.at(int(index.internalId() - 1));
    return repoData(g.repos.at(index.row()), index.column(), role);
}

QVariant SkippedReposModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Rule / repository");
    case ReasonColumn:
        return tr("Reason");
    case EvidenceColumn:
        return tr("Evidence");
    default:
        return {};
    }
}

} // namespace Tasktrail
