#pragma once

#include "records/summaries.h"

#include <QAbstractTableModel>
#include <QList>

namespace Tasktrail {

class RecordStore;

// The runs table. It asks the store how many tasks match the filter and loads them a page at
// a time as the view scrolls (canFetchMore/fetchMore), so opening a database with a million
// runs costs one count and one page, not a million rows.
class RunsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TaskColumn,
        RepositoryColumn,
        CampaignColumn,
        StateColumn,
        RequesterColumn,
        IdentityColumn,
        PolicyColumn,
        PullRequestColumn,
        StartedColumn,
        DurationColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        TaskIdRole = Qt::UserRole,
        StateRole,             // TaskState
        RepositoryRole,        // QString, owner/name
        CampaignIdRole,        // QString
        IdentityKindRole,      // IdentityKind
        PullRequestNumberRole, // int, invalid without a PR
        PullRequestMergedRole, // bool
        StartedAtRole,         // QDateTime, UTC
        DurationMsRole,        // qint64, invalid while running
    };
    Q_ENUM(Role)

    static constexpr int pageSize = 256;

    explicit RunsModel(QObject *parent = nullptr);
    ~RunsModel() override;

    // The store is not owned; whoever owns it calls setStore(nullptr) before destroying it.
    void setStore(RecordStore *store);
    RecordStore *store() const { return m_store; }

    void setFilter(const TaskFilter &filter);
    const TaskFilter &filter() const { return m_filter; }

    // Drops the loaded pages and counts again, e.g. after an ingest added runs.
    void reload();

    // Tasks matching the filter, loaded or not.
    qint64 totalCount() const { return m_total; }
    // The row of a task among the rows loaded so far, or -1.
    int rowOfTask(const QString &taskId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void totalCountChanged(qint64 count);

private:
    QVariant displayData(const TaskRow &row, int column) const;
    void setTotal(qint64 total);

    RecordStore *m_store = nullptr;
    TaskFilter m_filter;
    QList<TaskRow> m_rows; // the pages loaded so far, in store order
    qint64 m_total = 0;
    // True while a reset or an insertion is being announced. A listener that asks for more
    // rows from inside that announcement would insert before later listeners heard of the
    // first change (a proxy would see rows of a model it has not reset yet); it gets nothing
    // now and asks again later, as views do.
    bool m_changing = false;
};

} // namespace Tasktrail
