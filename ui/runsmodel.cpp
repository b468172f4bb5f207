#include "runsmodel.h"

#include "displaytext.h"
#include "store/recordstore.h"

#include <QScopedValueRollback>

#include <algorithm>

namespace Tasktrail {

RunsModel::RunsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

RunsModel::~RunsModel() = default;

void RunsModel::setStore(RecordStore *store)
{
    m_store = store;
    reload();
}

void RunsModel::setFilter(const TaskFilter &filter)
{
    m_filter = filter;
    reload();
}

void RunsModel::reload()
{
    {
        const QScopedValueRollback changing(m_changing, true);
        beginResetModel();
        m_rows.clear();
        m_total = m_store ? m_store->taskCount(m_filter) : 0;
        endResetModel();
    }
    Q_EMIT totalCountChanged(m_total);
}

void RunsModel::setTotal(qint64 total)
{
    if (total == m_total)
        return;
    m_total = total;
    Q_EMIT totalCountChanged(m_total);
}

int RunsModel::rowOfTask(const QString &taskId) const
{
    const auto it = std::find_if(m_rows.cbegin(), m_rows.cend(),
                                 [&taskId](const TaskRow &row) { return row.id == taskId; });
    return it == m_rows.cend() ? -1 : int(it - m_rows.cbegin());
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool RunsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_store && !m_changing && m_rows.size() < m_total;
}

void RunsModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const QScopedValueRollback changing(m_changing, true);
    const int wanted = int(std::min<qint64>(pageSize, m_total - m_rows.size()));
    const QList<TaskRow> page = m_store->tasks(m_filter, int(m_rows.size()), wanted);
    if (!page.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(page.size()) - 1);
        m_rows.append(page);
        endInsertRows();
    }
    // A short page means tasks went away since the count (or the query failed); stop asking
    // for rows that are not there rather than asking again on every scroll.
    if (page.size() < wanted)
        setTotal(m_rows.size());
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TaskRow &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == StartedColumn && row.startedAt.isValid())
            return row.startedAt.toUTC().toString(Qt::ISODateWithMs);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == PullRequestColumn || index.column() == DurationColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter); // int: what views of every Qt 6 read
        return {};
    case TaskIdRole:
        return row.id;
    case StateRole:
        return QVariant::fromValue(row.state);
    case RepositoryRole:
        return row.repo;
    case CampaignIdRole:
        return row.campaignId;
    case IdentityKindRole:
        return QVariant::fromValue(row.identityKind);
    case PullRequestNumberRole:
        return row.prNumber ? QVariant(*row.prNumber) : QVariant();
    case PullRequestMergedRole:
        return row.prMerged;
    case StartedAtRole:
        return row.startedAt;
    case DurationMsRole:
        return row.durationMs ? QVariant(*row.durationMs) : QVariant();
    default:
        return {};
    }
}

QVariant RunsModel::displayData(const TaskRow &row, int column) const
{
    switch (column) {
    case TaskColumn:
        return row.id;
    case RepositoryColumn:
        return row.repo;
    case CampaignColumn:
        return row.campaignId;
    case StateColumn:
        return DisplayText::state(row.state);
    case RequesterColumn:
        return row.requester;
    case IdentityColumn:
        if (row.identity.isEmpty() || row.identityKind == IdentityKind::Unknown)
            return row.identity;
        return tr("%1 (%2)").arg(row.identity, DisplayText::identityKind(row.identityKind));
    case PolicyColumn:
        return row.policy;
    case PullRequestColumn:
        return DisplayText::pullRequest(row.prNumber, row.prMerged);
    case StartedColumn:
        return DisplayText::timestamp(row.startedAt);
    case DurationColumn:
        return row.durationMs ? DisplayText::duration(*row.durationMs) : QString();
    default:
        return {};
    }
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TaskColumn:
        return tr("Task");
    case RepositoryColumn:
        return tr("Repository");
    case CampaignColumn:
        return tr("Campaign");
    case StateColumn:
        return tr("State");
    case RequesterColumn:
        return tr("Requester");
    case IdentityColumn:
        return tr("Identity");
    case PolicyColumn:
        return tr("Policy");
    case PullRequestColumn:
        return tr("PR");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    default:
        return {};
    }
}

Qt::ItemFlags RunsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return QAbstractTableModel::flags(index) | Qt::ItemNeverHasChildren;
}

} // namespace Tasktrail
