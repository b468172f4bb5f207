#include "alignedcommandsmodel.h"

#include "commandsmodel.h"
#include "displaytext.h"
#include "text/shellquote.h"

#include <QFont>

using namespace Qt::StringLiterals;

namespace Tasktrail {

AlignedCommandsModel::AlignedCommandsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

AlignedCommandsModel::~AlignedCommandsModel() = default;

void AlignedCommandsModel::setComparison(const RunComparison &comparison)
{
    beginResetModel();
    m_rows = comparison.commands;
    m_a = comparison.a.commands;
    m_b = comparison.b.commands;
    endResetModel();
}

void AlignedCommandsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_a.clear();
    m_b.clear();
    endResetModel();
}

const TaskChain::Command *AlignedCommandsModel::commandA(int row) const
{
    const qsizetype index = row >= 0 && row < m_rows.size() ? m_rows.at(row).a : -1;
    return index >= 0 ? &m_a.at(index) : nullptr;
}

const TaskChain::Command *AlignedCommandsModel::commandB(int row) const
{
    const qsizetype index = row >= 0 && row < m_rows.size() ? m_rows.at(row).b : -1;
    return index >= 0 ? &m_b.at(index) : nullptr;
}

QString AlignedCommandsModel::matchText(RunComparison::Match match)
{
    switch (match) {
    case RunComparison::Match::Same:
        return tr("Same");
    case RunComparison::Match::OnlyA:
        return tr("Only in A");
    case RunComparison::Match::OnlyB:
        return tr("Only in B");
    case RunComparison::Match::ExitDiffers:
        return tr("Exit code differs");
    }
    return {};
}

int AlignedCommandsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlignedCommandsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlignedCommandsModel::display(int row, int column) const
{
    const TaskChain::Command *a = commandA(row);
    const TaskChain::Command *b = commandB(row);
    const auto exit = [](const TaskChain::Command *c) -> QVariant {
        if (!c)
            return QString();
        return c->record.exitCode ? QVariant(*c->record.exitCode) : QVariant(u"?"_s);
    };
    const auto duration = [](const TaskChain::Command *c) {
        const auto ms = c ? RunComparison::durationMs(c->record) : std::nullopt;
        return ms ? DisplayText::duration(*ms) : QString();
    };
    switch (column) {
    case MatchColumn:
        return matchText(m_rows.at(row).match);
    case SeqAColumn:
        return a ? QVariant(a->record.seq) : QVariant(QString());
    case ExitAColumn:
        return exit(a);
    case DurationAColumn:
        return duration(a);
    case SeqBColumn:
        return b ? QVariant(b->record.seq) : QVariant(QString());
    case ExitBColumn:
        return exit(b);
    case DurationBColumn:
        return duration(b);
    case CommandColumn:
        return shellCommandLine((a ? a : b)->record.argv);
    default:
        break;
    }
    return {};
}

QVariant AlignedCommandsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const RunComparison::AlignedCommand &r = m_rows.at(row);
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == CommandColumn)
            return display(row, index.column());
        return {};
    case Qt::FontRole:
        // The difference is the point of the table: a row that is not the same stands out
        // (in bold, which reads in any colour scheme).
        if (r.match != RunComparison::Match::Same) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case MatchRole:
        return int(r.match);
    case SeqARole:
        return r.a >= 0 ? QVariant(m_a.at(r.a).record.seq) : QVariant();
    case SeqBRole:
        return r.b >= 0 ? QVariant(m_b.at(r.b).record.seq) : QVariant();
    default:
        break;
    }
    return {};
}

QVariant AlignedCommandsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case MatchColumn:
        return tr("Match");
    case SeqAColumn:
        return tr("A #");
    case ExitAColumn:
        return tr("A exit");
    case DurationAColumn:
        return tr("A time");
    case SeqBColumn:
        return tr("B #");
    case ExitBColumn:
        return tr("B exit");
    case DurationBColumn:
        return tr("B time");
    case CommandColumn:
        return tr("Command");
    default:
        break;
    }
    return {};
}

} // namespace Tasktrail
