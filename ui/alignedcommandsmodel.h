#pragma once

#include "query/runcomparison.h"

#include <QAbstractTableModel>

namespace Tasktrail {

// The aligned commands of two runs (RunComparison::commands), a row per pair: what matched,
// each run's command number, exit code and duration, and the command line. Two runs' commands
// are tens, not millions, so the model holds them all.
class AlignedCommandsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        MatchColumn,
        CommandColumn,
        SeqAColumn,
        ExitAColumn,
        DurationAColumn,
        SeqBColumn,
        ExitBColumn,
        DurationBColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    // Same value in every column of a row.
    enum Role
    {
        MatchRole = Qt::UserRole, // int: RunComparison::Match
        SeqARole,                 // int, invalid when only B ran it
        SeqBRole,                 // int, invalid when only A ran it
    };
    Q_ENUM(Role)

    explicit AlignedCommandsModel(QObject *parent = nullptr);
    ~AlignedCommandsModel() override;

    void setComparison(const RunComparison &comparison);
    void clear();
    // The commands of a row: nullptr for the run that has none there.
    const TaskChain::Command *commandA(int row) const;
    const TaskChain::Command *commandB(int row) const;
    static QString matchText(RunComparison::Match match);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(int row, int column) const;

    QList<RunComparison::AlignedCommand> m_rows;
    QList<TaskChain::Command> m_a;
    QList<TaskChain::Command> m_b;
};

} // namespace Tasktrail
