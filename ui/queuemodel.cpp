#include "queuemodel.h"

#include <QApplication>
#include <QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QString timeText(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODate) : QString();
}

} // namespace

QueueModel::QueueModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

QueueModel::~QueueModel() = default;

bool QueueModel::sameTasks(const QList<QueueEntry> &a, const QList<QueueEntry> &b)
{
    return a.size() == b.size() && std::equal(a.cbegin(), a.cend(), b.cbegin(),
                                              [](const QueueEntry &x, const QueueEntry &y) {
                                                  return x.taskId == y.taskId;
                                              });
}

void QueueModel::setEntries(const QList<QueueEntry> &entries, std::optional<RowIndex> rows,
                            std::optional<bool> same)
{
    const bool sameRows = same ? *same : sameTasks(entries, m_entries);
    if (!sameRows) {
        beginResetModel();
        m_entries = entries;
        m_rows = rows ? std::move(*rows) : indexRows(entries);
        endResetModel();
        return;
    }
    m_entries = entries;
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_entries.size()) - 1, ColumnCount - 1));
}

void QueueModel::mergeEntries(const QList<QueueEntry> &entries)
{
    QList<QueueEntry> added;
    for (const QueueEntry &e : entries) {
        const int row = m_rows.value(e.taskId, -1);
        if (row < 0) {
            added << e;
            continue;
        }
        m_entries[row] = e;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    if (added.isEmpty())
        return;
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const QueueEntry &e : std::as_const(added)) {
        m_rows.insert(e.taskId, int(m_entries.size()));
        m_entries << e;
    }
    endInsertRows();
}

QueueModel::RowIndex QueueModel::indexRows(const QList<QueueEntry> &entries)
{
    RowIndex rows;
    rows.reserve(entries.size());
    for (int row = 0; row < entries.size(); ++row)
        rows.insert(entries.at(row).taskId, row);
    return rows;
}

int QueueModel::rowOfTask(const QString &taskId) const
{
    return m_rows.value(taskId, -1);
}

QString QueueModel::stateText(const QueueEntry &entry)
{
    QString text = toString(entry.state);
    text.replace(u'_', u' ');
    if (entry.state == QueueState::Running) {
        if (entry.requested == u"cancel")
            text = tr("%1 (cancel requested)").arg(text);
        else if (entry.paused)
            text = tr("%1 (pause requested)").arg(text);
    }
    return text;
}

int QueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int QueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QueueEntry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case TaskColumn:
            return e.taskId;
        case RepositoryColumn:
            return e.repo;
        case CampaignColumn:
            return e.campaignId;
        case StateColumn:
            return stateText(e);
        case AttemptsColumn:
            return e.attempts;
        case NextAttemptColumn:
            return timeText(e.nextAttemptAt);
        case LastFailureColumn:
            return e.lastFailureKind.isEmpty() ? e.lastFailure
                                               : e.lastFailureKind + u": "_s + e.lastFailure;
        case UpdatedColumn:
            return timeText(e.updatedAt);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return index.column() == LastFailureColumn ? QVariant(e.lastFailure) : QVariant();
    case Qt::ForegroundRole:
        if (isFinal(e.state))
            return QApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case TaskIdRole:
        return e.taskId;
    case CampaignIdRole:
        return e.campaignId;
    case StateRole:
        return toString(e.state);
    default:
        return {};
    }
}

QVariant QueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TaskColumn:
        return tr("Task");
    case RepositoryColumn:
        return tr("Repository");
    case CampaignColumn:
        return tr("Campaign");
    case StateColumn:
        return tr("State");
    case AttemptsColumn:
        return tr("Attempts");
    case NextAttemptColumn:
        return tr("Next Attempt");
    case LastFailureColumn:
        return tr("Last Failure");
    case UpdatedColumn:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace Tasktrail
