#include "searchresultsmodel.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// A hit row's internal id is its group's row + 1; a task row's is 0.
constexpr quintptr taskMarker = 0;
constexpr int maxDisplayedChars = 300;

} // namespace

SearchResultsModel::SearchResultsModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

SearchResultsModel::~SearchResultsModel() = default;

QList<SearchTaskGroup> SearchResultsModel::groupByTask(const QList<SearchHit> &hits)
{
    QList<SearchTaskGroup> groups;
    QHash<QString, qsizetype> rowOfTask;
    SearchTaskGroup orphans;
    for (const SearchHit &hit : hits) {
        if (hit.taskId.isEmpty()) {
            orphans.hits << hit;
            continue;
        }
        auto it = rowOfTask.constFind(hit.taskId);
        if (it == rowOfTask.cend()) {
            it = rowOfTask.insert(hit.taskId, groups.size());
            groups << SearchTaskGroup{hit.taskId, QString(), {}};
        }
        groups[*it].hits << hit;
    }
    if (!orphans.hits.isEmpty())
        groups << orphans;
    return groups;
}

QString SearchResultsModel::hitText(const SearchHit &hit)
{
    QString text = hit.text.simplified();
    if (text.size() > maxDisplayedChars)
        text = text.left(maxDisplayedChars) % u'…';
    if (hit.kind == SearchHit::Kind::Record)
        return text;
    return tr("command %1 line %2: %3").arg(hit.commandSeq).arg(hit.lineNo).arg(text);
}

void SearchResultsModel::setGroups(const QList<SearchTaskGroup> &groups)
{
    beginResetModel();
    m_groups = groups;
    endResetModel();
}

int SearchResultsModel::hitCount() const
{
    int n = 0;
    for (const SearchTaskGroup &g : m_groups)
        n += int(g.hits.size());
    return n;
}

QModelIndex SearchResultsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, taskMarker);
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex SearchResultsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == taskMarker)
        return {};
    return createIndex(int(child.internalId() - 1), 0, taskMarker);
}

int SearchResultsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != taskMarker || parent.column() != 0)
        return 0;
    return int(m_groups.at(parent.row()).hits.size());
}

int SearchResultsModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant SearchResultsModel::taskData(const SearchTaskGroup &group, int role) const
{
    switch (role) {
    case Qt::DisplayRole: {
        const int n = int(group.hits.size());
        if (group.taskId.isEmpty())
            return tr("Records without a task (%n hits)", nullptr, n);
        if (group.repo.isEmpty())
            return tr("%1 (%n hits)", nullptr, n).arg(group.taskId);
        return tr("%1 · %2 (%n hits)", nullptr, n).arg(group.taskId, group.repo);
    }
    case TaskIdRole:
        return group.taskId;
    case RepoRole:
        return group.repo;
    case IsTaskRole:
        return true;
    case CommandSeqRole:
        return 0;
    case LineNoRole:
        return qint64(0);
    case HitCountRole:
        return int(group.hits.size());
    default:
        return {};
    }
}

QVariant SearchResultsModel::hitData(const SearchTaskGroup &group, const SearchHit &hit,
                                     int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return hitText(hit);
    case Qt::ToolTipRole:
        return hit.text;
    case TaskIdRole:
        return group.taskId;
    case RepoRole:
        return group.repo;
    case IsTaskRole:
        return false;
    case HitKindRole:
        return int(hit.kind);
    case CommandSeqRole:
        return hit.kind == SearchHit::Kind::LogLine ? hit.commandSeq : 0;
    case LineNoRole:
        return hit.kind == SearchHit::Kind::LogLine ? hit.lineNo : qint64(0);
    case HitCountRole:
        return 1;
    case RecordKindRole:
        return hit.recordKind;
    case RecordRefRole:
        return hit.recordRef;
    default:
        return {};
    }
}

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == taskMarker)
        return taskData(m_groups.at(index.row()), role);
    const SearchTaskGroup &g = m_groups.at(int(index.internalId() - 1));
    return hitData(g, g.hits.at(index.row()), role);
}

} // namespace Tasktrail
