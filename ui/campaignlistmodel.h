#pragma once

#include "records/request.h"

#include <QAbstractTableModel>
#include <QList>

namespace Tasktrail {

// The campaigns of a database, oldest first. A database holds tens or hundreds of campaigns,
// not millions, so the model keeps them all.
class CampaignListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        IdColumn,
        TitleColumn,
        CreatedColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        CampaignIdRole = Qt::UserRole, // QString, same in every column
    };
    Q_ENUM(Role)

    explicit CampaignListModel(QObject *parent = nullptr);
    ~CampaignListModel() override;

    void setCampaigns(const QList<CampaignRecord> &campaigns);
    const CampaignRecord &campaign(int row) const { return m_campaigns.at(row); }
    // The row of the campaign with that id, -1 when there is none.
    int rowOfId(const QString &campaignId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<CampaignRecord> m_campaigns;
};

} // namespace Tasktrail
