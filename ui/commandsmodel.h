#pragma once

#include "records/taskchain.h"

#include <QAbstractTableModel>
#include <QList>

namespace Tasktrail {

// The commands of one task, in the order it ran them. A task runs tens of commands, not
// millions, so the model holds them all; log lines stay in the store and are fetched by key.
class CommandsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SeqColumn,
        CommandColumn,
        ExitCodeColumn,
        DurationColumn,
        LogLinesColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    // Same value in every column of a row.
    enum Role
    {
        CommandKeyRole = Qt::UserRole, // qint64: store key for the command's log lines
        SeqRole,                       // int
        ArgvRole,                      // QStringList
        ExitCodeRole,                  // int, or an invalid QVariant while unknown
        FailedRole,                    // bool: exit code recorded and non-zero
        StartedAtRole,                 // QDateTime
        DurationMsRole,                // qint64, or invalid without both times
        LogLinesRole,                  // qint64
    };
    Q_ENUM(Role)

    explicit CommandsModel(QObject *parent = nullptr);
    ~CommandsModel() override;

    void setCommands(const QList<TaskChain::Command> &commands);
    void clear();
    const TaskChain::Command &command(int row) const { return m_commands.at(row); }
    // The row of the command with that sequence number, -1 when there is none.
    int rowOfSeq(int seq) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    static bool failed(const CommandRecord &command);

private:
    QVariant display(const TaskChain::Command &command, int column) const;

    QList<TaskChain::Command> m_commands;
};

} // namespace Tasktrail
