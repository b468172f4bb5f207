#include "campaignreposmodel.h"

#include "displaytext.h"

namespace Tasktrail {

CampaignReposModel::CampaignReposModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

CampaignReposModel::~CampaignReposModel() = default;

void CampaignReposModel::setRepos(const QList<Outcome> &repos)
{
    beginResetModel();
    m_repos = repos;
    endResetModel();
}

int CampaignReposModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_repos.size());
}

int CampaignReposModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString CampaignReposModel::decisionText(const RepoDecision &decision)
{
    if (decision.verdict == RepoVerdict::Eligible)
        return tr("eligible");
    if (decision.rule.isEmpty())
        return tr("skipped");
    return tr("skipped: %1").arg(decision.rule);
}

QVariant CampaignReposModel::display(const Outcome &o, int column) const
{
    switch (column) {
    case RepoColumn:
        return o.decision.repo;
    case DecisionColumn:
        return decisionText(o.decision);
    case StateColumn:
        return DisplayText::state(o.state);
    case TaskColumn:
        return o.taskId;
    case PullRequestColumn:
        return DisplayText::pullRequest(o.prNumber, o.prMerged);
    case RetriesColumn:
        return o.retries;
    default:
        return {};
    }
}

QVariant CampaignReposModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Outcome &o = m_repos.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(o, index.column());
    case Qt::ToolTipRole:
        return o.decision.reason.isEmpty() ? QVariant() : QVariant(o.decision.reason);
    case Qt::TextAlignmentRole:
        if (index.column() == RetriesColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case TaskIdRole:
        return o.taskId;
    case RepoRole:
        return o.decision.repo;
    case SkippedRole:
        return o.decision.verdict == RepoVerdict::Skipped;
    case RuleRole:
        return o.decision.rule;
    case StateRole:
        return QVariant::fromValue(o.state);
    default:
        return {};
    }
}

QVariant CampaignReposModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RepoColumn:
        return tr("Repository");
    case DecisionColumn:
        return tr("Decision");
    case StateColumn:
        return tr("State");
    case TaskColumn:
        return tr("Task");
    case PullRequestColumn:
        return tr("PR");
    case RetriesColumn:
        return tr("Retries");
    default:
        return {};
    }
}

} // namespace Tasktrail
