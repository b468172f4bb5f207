#include "campaignlistmodel.h"

#include "displaytext.h"

namespace Tasktrail {

CampaignListModel::CampaignListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

CampaignListModel::~CampaignListModel() = default;

void CampaignListModel::setCampaigns(const QList<CampaignRecord> &campaigns)
{
    beginResetModel();
    m_campaigns = campaigns;
    endResetModel();
}

int CampaignListModel::rowOfId(const QString &campaignId) const
{
    for (int row = 0; row < m_campaigns.size(); ++row)
        if (m_campaigns.at(row).id == campaignId)
            return row;
    return -1;
}

int CampaignListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_campaigns.size());
}

int CampaignListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CampaignListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CampaignRecord &c = m_campaigns.at(index.row());
    if (role == CampaignIdRole)
        return c.id;
    if (role == Qt::ToolTipRole)
        return c.title.isEmpty() ? c.id : c.title;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case IdColumn:
        return c.id;
    case TitleColumn:
        return c.title;
    case CreatedColumn:
        return DisplayText::timestamp(c.createdAt);
    default:
        return {};
    }
}

QVariant CampaignListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Campaign");
    case TitleColumn:
        return tr("Title");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace Tasktrail
