#include "commandsmodel.h"

#include "displaytext.h"
#include "text/shellquote.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

std::optional<qint64> durationMs(const CommandRecord &c)
{
    if (!c.startedAt.isValid() || !c.endedAt.isValid())
        return std::nullopt;
    return c.startedAt.msecsTo(c.endedAt);
}

} // namespace

CommandsModel::CommandsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

CommandsModel::~CommandsModel() = default;

void CommandsModel::setCommands(const QList<TaskChain::Command> &commands)
{
    beginResetModel();
    m_commands = commands;
    endResetModel();
}

void CommandsModel::clear()
{
    setCommands({});
}

int CommandsModel::rowOfSeq(int seq) const
{
    for (int row = 0; row < m_commands.size(); ++row)
        if (m_commands.at(row).record.seq == seq)
            return row;
    return -1;
}

int CommandsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_commands.size());
}

int CommandsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool CommandsModel::failed(const CommandRecord &command)
{
    return command.exitCode && *command.exitCode != 0;
}

QVariant CommandsModel::display(const TaskChain::Command &command, int column) const
{
    const CommandRecord &c = command.record;
    switch (column) {
    case SeqColumn:
        return c.seq;
    case CommandColumn:
        return shellCommandLine(c.argv);
    case ExitCodeColumn:
        return c.exitCode ? QVariant(*c.exitCode) : QVariant(QString());
    case DurationColumn:
        if (const auto ms = durationMs(c))
            return DisplayText::duration(*ms);
        return QString();
    case LogLinesColumn:
        return command.logLines;
    default:
        break;
    }
    return {};
}

QVariant CommandsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TaskChain::Command &command = m_commands.at(index.row());
    const CommandRecord &c = command.record;
    switch (role) {
    case Qt::DisplayRole:
        return display(command, index.column());
    case Qt::ToolTipRole:
        if (index.column() == CommandColumn)
            return c.cwd.isEmpty() ? shellCommandLine(c.argv)
                                   : tr("%1\nin %2").arg(shellCommandLine(c.argv), c.cwd);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == CommandColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    case CommandKeyRole:
        return command.key;
    case SeqRole:
        return c.seq;
    case ArgvRole:
        return c.argv;
    case ExitCodeRole:
        return c.exitCode ? QVariant(*c.exitCode) : QVariant();
    case FailedRole:
        return failed(c);
    case StartedAtRole:
        return c.startedAt;
    case DurationMsRole:
        if (const auto ms = durationMs(c))
            return *ms;
        return {};
    case LogLinesRole:
        return command.logLines;
    default:
        break;
    }
    return {};
}

QVariant CommandsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeqColumn:
        return tr("#");
    case CommandColumn:
        return tr("Command");
    case ExitCodeColumn:
        return tr("Exit code");
    case DurationColumn:
        return tr("Duration");
    case LogLinesColumn:
        return tr("Log lines");
    default:
        break;
    }
    return {};
}

QHash<int, QByteArray> CommandsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(CommandKeyRole, "commandKey");
    names.insert(SeqRole, "seq");
    names.insert(ArgvRole, "argv");
    names.insert(ExitCodeRole, "exitCode");
    names.insert(FailedRole, "failed");
    names.insert(StartedAtRole, "startedAt");
    names.insert(DurationMsRole, "durationMs");
    names.insert(LogLinesRole, "logLines");
    return names;
}

} // namespace Tasktrail
