#pragma once

#include "records/launchrecords.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <optional>

namespace Tasktrail {

// The launch queue as a table, in queue order. Refreshed from the store every second or so:
// when the same entries come back in the same order only the cells change, so views keep
// their selection and scroll position.
class QueueModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TaskColumn,
        RepositoryColumn,
        CampaignColumn,
        StateColumn,
        AttemptsColumn,
        NextAttemptColumn,
        LastFailureColumn,
        UpdatedColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        TaskIdRole = Qt::UserRole, // QString
        CampaignIdRole,            // QString
        StateRole,                 // QString, as toString(QueueState)
    };

    explicit QueueModel(QObject *parent = nullptr);
    ~QueueModel() override;

    using RowIndex = QHash<QString, int>; // task id -> row
    // The index of `entries` by task id: made where the entries are read, off the GUI thread,
    // for a queue of many entries.
    static RowIndex indexRows(const QList<QueueEntry> &entries);

    // Whether `a` and `b` hold the same tasks in the same order: made where the entries are
    // read too, against the entries shown when the read was asked for.
    static bool sameTasks(const QList<QueueEntry> &a, const QList<QueueEntry> &b);

    // `rows` is indexRows(entries), and `same` sameTasks(entries, this->entries()), when the
    // caller made them already.
    void setEntries(const QList<QueueEntry> &entries, std::optional<RowIndex> rows = {},
                    std::optional<bool> same = {});
    const RowIndex &rowIndex() const { return m_rows; }
    // Replaces the entries with these task ids and appends the ones not listed yet (a poll's
    // answer); the other rows stay as they are.
    void mergeEntries(const QList<QueueEntry> &entries);
    void clear() { setEntries({}); }
    const QList<QueueEntry> &entries() const { return m_entries; }
    const QueueEntry &entry(int row) const { return m_entries.at(row); }
    int rowOfTask(const QString &taskId) const;

    // The state a person reads: "queued", "running", "paused", "retry wait", ..., with the
    // marks a running entry carries ("running (pause requested)").
    static QString stateText(const QueueEntry &entry);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<QueueEntry> m_entries;
    RowIndex m_rows;
};

} // namespace Tasktrail
