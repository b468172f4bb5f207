#include "launchplanmodel.h"

#include <QApplication>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace Tasktrail {

LaunchPlanModel::LaunchPlanModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

LaunchPlanModel::~LaunchPlanModel() = default;

void LaunchPlanModel::setPlan(const LaunchPlan &plan)
{
    beginResetModel();
    m_repos = plan.repos;
    endResetModel();
}

void LaunchPlanModel::clear()
{
    beginResetModel();
    m_repos.clear();
    endResetModel();
}

QString LaunchPlanModel::decisionOf(const RepoPlan &repo)
{
    if (repo.decision.verdict == RepoVerdict::Skipped)
        return u"skipped"_s;
    return repo.waiting ? u"waiting"_s : u"eligible"_s;
}

QString LaunchPlanModel::summary() const
{
    int eligible = 0;
    int waiting = 0;
    int skipped = 0;
    for (const RepoPlan &repo : m_repos) {
        if (repo.decision.verdict == RepoVerdict::Skipped)
            ++skipped;
        else if (repo.waiting)
            ++waiting;
        else
            ++eligible;
    }
    return tr("%L1 eligible, %L2 waiting, %L3 skipped").arg(eligible).arg(waiting).arg(skipped);
}

int LaunchPlanModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_repos.size());
}

int LaunchPlanModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LaunchPlanModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RepoPlan &repo = m_repos.at(index.row());
    const RepoDecision &d = repo.decision;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (Column(index.column())) {
        case RepositoryColumn:
            return d.repo;
        case DecisionColumn:
            if (repo.waiting && repo.startAt.isValid())
                return tr("waiting until %1").arg(repo.startAt.toString(Qt::ISODate));
            return decisionOf(repo);
        case RuleColumn:
            return d.rule;
        case ReasonColumn:
            return d.reason;
        case EvidenceColumn:
            return d.evidence;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ForegroundRole:
        if (d.verdict == RepoVerdict::Skipped)
            return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case DecisionRole:
        return decisionOf(repo);
    default:
        return {};
    }
}

QVariant LaunchPlanModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case RepositoryColumn:
        return tr("Repository");
    case DecisionColumn:
        return tr("Decision");
    case RuleColumn:
        return tr("Rule");
    case ReasonColumn:
        return tr("Reason");
    case EvidenceColumn:
        return tr("Evidence");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace Tasktrail
