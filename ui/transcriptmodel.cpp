#include "transcriptmodel.h"

#include "displaytext.h"

#include <QMetaObject>

#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// A list shows one line of an entry; the whole text is in EntryTextRole and the tooltip.
constexpr int shownChars = 300;

QString firstLine(const QString &text)
{
    const QString trimmed = text.trimmed();
    qsizetype end = trimmed.indexOf(u'\n');
    const bool more = end >= 0 || trimmed.size() > shownChars;
    if (end < 0 || end > shownChars)
        end = qMin<qsizetype>(trimmed.size(), shownChars);
    return more ? trimmed.left(end).trimmed() % u" …"_s : trimmed;
}

} // namespace

TranscriptModel::TranscriptModel(QObject *parent)
    : QAbstractItemModel(parent)
{}

TranscriptModel::~TranscriptModel() = default;

void TranscriptModel::setOutline(const QString &taskId, const TranscriptOutline &outline)
{
    beginResetModel();
    m_taskId = taskId;
    m_outline = outline;
    // A view counts rows in int: a conversation longer than that shows its first rows.
    m_outline.rows = qBound(qint64(0), outline.rows, qint64(std::numeric_limits<int>::max() - 1));
    m_pages.clear();
    m_pageOrder.clear();
    m_requested.clear();
    endResetModel();
}

void TranscriptModel::clear()
{
    setOutline(QString(), TranscriptOutline{});
}

TranscriptPosition TranscriptModel::pageStart(int page) const
{
    return page >= 0 && page < m_outline.anchors.size() ? m_outline.anchors.at(page)
                                                        : TranscriptPosition{};
}

void TranscriptModel::setPage(int page, const QList<TranscriptRow> &rows)
{
    m_requested.remove(page);
    const qint64 first = qint64(page) * pageSize;
    if (page < 0 || first >= m_outline.rows || m_pages.contains(page) || rows.isEmpty())
        return;
    QList<TranscriptRow> kept = rows.mid(0, int(qMin<qint64>(pageSize, m_outline.rows - first)));
    if (m_pageOrder.size() >= maxPages)
        dropPage(m_pageOrder.constFirst());
    const int last = int(first) + int(kept.size()) - 1;
    m_pages.insert(page, kept);
    m_pageOrder << page;
    // The calls were not there while the rows were placeholders: they are inserted now.
    for (int i = 0; i < kept.size(); ++i) {
        if (!kept.at(i).call)
            continue;
        const QModelIndex parent = rowIndex(first + i);
        m_pages[page][i].call.reset();
        beginInsertRows(parent, 0, 0);
        m_pages[page][i].call = kept.at(i).call;
        endInsertRows();
    }
    Q_EMIT dataChanged(index(int(first), 0), index(last, ColumnCount - 1));
}

void TranscriptModel::dropPage(int page)
{
    auto it = m_pages.find(page);
    if (it == m_pages.end())
        return;
    const int first = page * pageSize;
    for (int i = 0; i < it->size(); ++i) {
        if (!it->at(i).call)
            continue;
        beginRemoveRows(rowIndex(first + i), 0, 0);
        (*it)[i].call.reset();
        endRemoveRows();
    }
    const int last = first + int(it->size()) - 1;
    m_pages.erase(it);
    m_pageOrder.removeOne(page);
    Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

const TranscriptRow *TranscriptModel::loadedRow(int row) const
{
    const auto it = m_pages.constFind(row / pageSize);
    if (it == m_pages.constEnd() || row % pageSize >= it->size())
        return nullptr;
    return &it->at(row % pageSize);
}

void TranscriptModel::requestPage(int page) const
{
    if (m_requested.contains(page))
        return;
    m_requested.insert(page);
    auto *self = const_cast<TranscriptModel *>(this);
    QMetaObject::invokeMethod(
        self,
        [self, page, taskId = m_taskId] {
            if (self->m_taskId == taskId && self->m_requested.contains(page))
                Q_EMIT self->pageNeeded(page);
        },
        Qt::QueuedConnection);
}

QModelIndex TranscriptModel::rowIndex(qint64 row, int column) const
{
    if (row < 0 || row >= m_outline.rows)
        return {};
    return index(int(row), column);
}

QModelIndex TranscriptModel::indexOf(const TranscriptPosition &position, qint64 row) const
{
    const QModelIndex top = rowIndex(row);
    const TranscriptRow *r = top.isValid() ? loadedRow(top.row()) : nullptr;
    if (!r)
        return {};
    if (r->position() == position)
        return top;
    if (r->call && r->call->sessionId == position.sessionId && r->call->seq == position.seq)
        return index(0, 0, top);
    return {};
}

const TranscriptEntry *TranscriptModel::entry(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    if (index.internalId() == 0) {
        const TranscriptRow *r = loadedRow(index.row());
        return r ? &r->entry : nullptr;
    }
    const TranscriptRow *r = loadedRow(int(index.internalId() - 1));
    return r && r->call ? &*r->call : nullptr;
}

TranscriptPosition TranscriptModel::position(const QModelIndex &index) const
{
    const TranscriptEntry *e = entry(index);
    return e ? TranscriptPosition{e->sessionId, e->seq} : TranscriptPosition{};
}

QString TranscriptModel::who(const TranscriptEntry &e)
{
    QString who;
    if (e.role == u"user")
        who = tr("User");
    else if (e.role == u"assistant")
        who = tr("Assistant");
    else if (e.role == u"tool_call")
        who = tr("Tool call");
    else if (e.role == u"tool_result")
        who = tr("Tool result");
    else if (e.role == u"system")
        who = tr("System");
    else
        who = e.role;
    if (!e.tool.isEmpty())
        who = tr("%1 · %2").arg(who, e.tool);
    if (e.isError)
        who = tr("%1 (error)").arg(who);
    return e.sidechain ? tr("Sub-agent · %1").arg(who) : who;
}

QModelIndex TranscriptModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_outline.rows ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || row != 0 || rowCount(parent) == 0)
        return {};
    return createIndex(0, column, quintptr(parent.row()) + 1);
}

QModelIndex TranscriptModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_outline.rows);
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    const TranscriptRow *r = loadedRow(parent.row());
    return r && r->call ? 1 : 0;
}

int TranscriptModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    if (const TranscriptEntry *e = entry(index))
        return entryData(*e, index.column(), role);
    if (index.internalId() == 0)
        requestPage(index.row() / pageSize);
    if (role == IsLoadedRole)
        return false;
    if (role == Qt::DisplayRole && index.column() == TextColumn)
        return tr("Loading…");
    return {};
}

QVariant TranscriptModel::entryData(const TranscriptEntry &e, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(column)) {
        case TimeColumn:
            return DisplayText::timestamp(e.at);
        case SessionColumn:
            return e.sessionId;
        case WhoColumn:
            return who(e);
        case CommandColumn:
            return e.commandSeq > 0 ? tr("command %1").arg(e.commandSeq) : QString();
        case TextColumn:
            return firstLine(e.text);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return column == TextColumn ? e.text.left(shownChars * 10) : QVariant();
    case EntryTextRole:
        return e.text;
    case SessionIdRole:
        return e.sessionId;
    case SeqRole:
        return e.seq;
    case RoleNameRole:
        return e.role;
    case CommandSeqRole:
        return e.commandSeq;
    case IsErrorRole:
        return e.isError;
    case IsLoadedRole:
        return true;
    default:
        return {};
    }
}

QVariant TranscriptModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TimeColumn:
        return tr("Time");
    case SessionColumn:
        return tr("Session");
    case WhoColumn:
        return tr("Who");
    case CommandColumn:
        return tr("Command");
    case TextColumn:
        return tr("Text");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace Tasktrail
