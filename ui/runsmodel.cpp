#include "runsmodel.h"

#include "displaytext.h"
#include "runsloader.h"
#include "store/recordstore.h"

#include <QThread>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Tasktrail {

RunsModel::RunsModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_thread(new QThread(this))
    , m_loader(new RunsLoader)
{
    qRegisterMetaType<TaskFilter>();
    qRegisterMetaType<QList<TaskRow>>();
    qRegisterMetaType<TaskFacet>();
    qRegisterMetaType<TaskSort>();
    m_thread->setObjectName(u"RunsLoader"_s);
    m_loader->moveToThread(m_thread);
    connect(m_loader, &RunsLoader::opened, this,
            [this](quint64 generation, bool ok, const QString &error) {
                if (generation == m_generation && !ok)
                    Q_EMIT errorOccurred(error);
            });
    connect(m_loader, &RunsLoader::counted, this, &RunsModel::countArrived);
    connect(m_loader, &RunsLoader::taskLocated, this,
            [this](quint64 generation, const QString &taskId, qint64 row, int page,
                   const QList<TaskRow> &rows) {
                if (generation != m_generation)
                    return;
                if (row >= 0 && row < m_total && !rows.isEmpty() && m_pages.count(page) == 0)
                    storePage(page, rows);
                Q_EMIT taskLocated(taskId, row >= 0 && row < m_total ? int(row) : -1);
            });
    connect(m_loader, &RunsLoader::anchorsWalked, this, [this](quint64 generation) {
        if (generation == m_generation)
            m_walkingAnchors = false;
    });
    connect(m_loader, &RunsLoader::pageLoaded, this, &RunsModel::pageArrived);
    connect(m_loader, &RunsLoader::pagesDropped, this, &RunsModel::pagesDropped);
    connect(m_loader, &RunsLoader::facetValuesLoaded, this, &RunsModel::facetArrived);
    m_thread->start();
}

RunsModel::~RunsModel()
{
    m_loader->setGeneration(0);
    m_thread->quit();
    m_thread->wait();
    delete m_loader; // its thread has stopped, so nothing else touches it
}

QString RunsModel::placeholder()
{
    return u"\u2026"_s;
}

void RunsModel::setDatabasePath(const QString &path)
{
    m_path = path;
    restart(true);
}

void RunsModel::setStore(RecordStore *store)
{
    m_store = store;
    setDatabasePath(store ? store->location() : QString());
}

void RunsModel::setFilter(const TaskFilter &filter)
{
    m_filter = filter;
    restart(false);
}

void RunsModel::setTaskSort(const TaskSort &sort)
{
    if (sort == m_sort)
        return;
    m_sort = sort;
    restart(false);
    Q_EMIT taskSortChanged(m_sort);
}

namespace {

constexpr std::pair<RunsModel::Column, TaskSortColumn> sortableColumns[] = {
    {RunsModel::TaskColumn, TaskSortColumn::Task},
    {RunsModel::RepositoryColumn, TaskSortColumn::Repository},
    {RunsModel::CampaignColumn, TaskSortColumn::Campaign},
    {RunsModel::StateColumn, TaskSortColumn::State},
    {RunsModel::PolicyColumn, TaskSortColumn::Policy},
    {RunsModel::PullRequestColumn, TaskSortColumn::PullRequest},
    {RunsModel::StartedColumn, TaskSortColumn::Started},
    {RunsModel::DurationColumn, TaskSortColumn::Duration},
};

} // namespace

int RunsModel::sectionOf(TaskSortColumn column)
{
    for (const auto &[section, sortColumn] : sortableColumns)
        if (sortColumn == column)
            return section;
    return StartedColumn;
}

std::optional<TaskSortColumn> RunsModel::sortColumnOf(int section)
{
    for (const auto &[candidate, sortColumn] : sortableColumns)
        if (candidate == section)
            return sortColumn;
    return std::nullopt;
}

void RunsModel::sort(int column, Qt::SortOrder order)
{
    if (const std::optional<TaskSortColumn> sortColumn = sortColumnOf(column))
        setTaskSort({*sortColumn, order == Qt::DescendingOrder});
}

void RunsModel::reload()
{
    restart(false);
    // An import may have brought new repositories, states and campaigns.
    requestFacets();
}

void RunsModel::requestFacets()
{
    RunsLoader *loader = m_loader;
    m_facets.clear();
    if (m_path.isEmpty())
        return;
    QMetaObject::invokeMethod(
        loader, [loader, generation = ++m_facetGeneration] { loader->loadFacets(generation); },
        Qt::QueuedConnection);
}

void RunsModel::restart(bool reopen)
{
    // A new generation first: whatever the worker is reading for the old one is dropped, and
    // a count or page it is still reading stops now instead of running to its end.
    m_loader->setGeneration(++m_generation);
    m_loader->interrupt();
    beginResetModel();
    m_pages.clear();
    m_pending.clear();
    m_total = 0;
    m_counting = !m_path.isEmpty();
    m_walkingAnchors = m_counting;
    endResetModel();
    Q_EMIT totalCountChanged(0);

    const quint64 generation = m_generation;
    RunsLoader *loader = m_loader;
    if (reopen)
        QMetaObject::invokeMethod(
            loader, [loader, generation, path = m_path] { loader->open(generation, path); },
            Qt::QueuedConnection);
    if (m_counting)
        QMetaObject::invokeMethod(
            loader,
            [loader, generation, filter = m_filter, sort = m_sort] {
                loader->count(generation, filter, sort, pageSize);
            },
            Qt::QueuedConnection);
    // After the count: the table's rows matter more than the filter's choices.
    if (reopen) {
        ++m_facetGeneration; // facets of the database left behind are dropped
        requestFacets();
    }
}

void RunsModel::countArrived(quint64 generation, qint64 count)
{
    if (generation != m_generation)
        return; // counted for a filter or database the model has left
    m_counting = false;
    const int rows = int(std::min<qint64>(count, std::numeric_limits<int>::max()));
    if (rows > 0) {
        beginInsertRows({}, 0, rows - 1);
        m_total = count;
        endInsertRows();
    }
    m_total = count;
    Q_EMIT totalCountChanged(m_total);
}

void RunsModel::requestPage(int page) const
{
    if (m_pending.contains(page))
        return;
    m_pending.insert(page);
    m_loader->enqueuePage(m_generation, page);
    RunsLoader *loader = m_loader;
    QMetaObject::invokeMethod(
        loader, [loader] { loader->loadQueuedPages(); }, Qt::QueuedConnection);
}

void RunsModel::pageArrived(quint64 generation, int page, const QList<TaskRow> &rows)
{
    if (generation != m_generation)
        return;
    m_pending.remove(page);
    storePage(page, rows);
}

void RunsModel::storePage(int page, const QList<TaskRow> &rows)
{
    evictBeyond(m_maxPages - 1, -1);
    m_pages[page] = Page{rows, ++m_useClock};
    m_peakPages = std::max(m_peakPages, int(m_pages.size()));
    announceRows(page);
}

void RunsModel::pagesDropped(quint64 generation, const QList<int> &pages)
{
    if (generation != m_generation)
        return;
    for (const int page : pages) {
        m_pending.remove(page);
        announceRows(page); // a view that still shows them asks again
    }
}

void RunsModel::announceRows(int page)
{
    const int first = page * pageSize;
    const int last = int(std::min<qint64>(qint64(first) + pageSize, m_total)) - 1;
    if (first <= last)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

void RunsModel::evictBeyond(int maxPages, int keep)
{
    while (int(m_pages.size()) > std::max(maxPages, 0)) {
        auto oldest = m_pages.end();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it)
            if (it->first != keep &&
                (oldest == m_pages.end() || it->second.lastUse < oldest->second.lastUse))
                oldest = it;
        if (oldest == m_pages.end())
            return;
        m_pages.erase(oldest);
    }
}

void RunsModel::setMaxCachedPages(int pages)
{
    m_maxPages = std::max(pages, 1);
    evictBeyond(m_maxPages, -1);
}

void RunsModel::facetArrived(quint64 generation, TaskFacet facet, const QStringList &values)
{
    if (generation != m_facetGeneration)
        return; // read for a database, or before an import, that the model has left
    m_facets.insert(facet, values);
    Q_EMIT facetValuesChanged(facet, values);
}

const TaskRow *RunsModel::cachedRow(int row) const
{
    const auto it = m_pages.find(row / pageSize);
    if (it == m_pages.end())
        return nullptr;
    it->second.lastUse = ++m_useClock;
    const int offset = row % pageSize;
    return offset < it->second.rows.size() ? &it->second.rows.at(offset) : nullptr;
}

bool RunsModel::isRowLoaded(int row) const
{
    return row >= 0 && row < m_total && m_pages.count(row / pageSize) > 0;
}

int RunsModel::rowOfTask(const QString &taskId) const
{
    for (const auto &[page, cached] : m_pages) {
        const auto it = std::find_if(cached.rows.cbegin(), cached.rows.cend(),
                                     [&taskId](const TaskRow &row) { return row.id == taskId; });
        if (it != cached.rows.cend())
            return page * pageSize + int(it - cached.rows.cbegin());
    }
    return -1;
}

void RunsModel::locateTask(const QString &taskId)
{
    RunsLoader *loader = m_loader;
    QMetaObject::invokeMethod(
        loader,
        [loader, generation = m_generation, taskId] { loader->locateTask(generation, taskId); },
        Qt::QueuedConnection);
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(std::min<qint64>(m_total, std::numeric_limits<int>::max()));
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TaskRow *cached = cachedRow(index.row());
    if (!cached) {
        // A loaded page shorter than asked for means tasks went away since the count.
        if (m_pages.count(index.row() / pageSize) > 0)
            return {};
        requestPage(index.row() / pageSize);
        return role == Qt::DisplayRole ? placeholder() : QVariant();
    }
    const TaskRow &row = *cached;
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == StartedColumn && row.startedAt.isValid())
            return row.startedAt.toUTC().toString(Qt::ISODateWithMs);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == PullRequestColumn || index.column() == DurationColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter); // int: what views of every Qt 6 read
        return {};
    case TaskIdRole:
        return row.id;
    case StateRole:
        return QVariant::fromValue(row.state);
    case RepositoryRole:
        return row.repo;
    case CampaignIdRole:
        return row.campaignId;
    case IdentityKindRole:
        return QVariant::fromValue(row.identityKind);
    case PullRequestNumberRole:
        return row.prNumber ? QVariant(*row.prNumber) : QVariant();
    case PullRequestMergedRole:
        return row.prMerged;
    case StartedAtRole:
        return row.startedAt;
    case DurationMsRole:
        return row.durationMs ? QVariant(*row.durationMs) : QVariant();
    default:
        return {};
    }
}

QVariant RunsModel::displayData(const TaskRow &row, int column) const
{
    switch (column) {
    case TaskColumn:
        return row.id;
    case RepositoryColumn:
        return row.repo;
    case CampaignColumn:
        return row.campaignId;
    case StateColumn:
        return DisplayText::state(row.state);
    case RequesterColumn:
        return row.requester;
    case IdentityColumn:
        if (row.identity.isEmpty() || row.identityKind == IdentityKind::Unknown)
            return row.identity;
        return tr("%1 (%2)").arg(row.identity, DisplayText::identityKind(row.identityKind));
    case PolicyColumn:
        return row.policy;
    case PullRequestColumn:
        return DisplayText::pullRequest(row.prNumber, row.prMerged);
    case StartedColumn:
        return DisplayText::timestamp(row.startedAt);
    case DurationColumn:
        return row.durationMs ? DisplayText::duration(*row.durationMs) : QString();
    default:
        return {};
    }
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TaskColumn:
        return tr("Task");
    case RepositoryColumn:
        return tr("Repository");
    case CampaignColumn:
        return tr("Campaign");
    case StateColumn:
        return tr("State");
    case RequesterColumn:
        return tr("Requester");
    case IdentityColumn:
        return tr("Identity");
    case PolicyColumn:
        return tr("Policy");
    case PullRequestColumn:
        return tr("PR");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    default:
        return {};
    }
}

Qt::ItemFlags RunsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return QAbstractTableModel::flags(index) | Qt::ItemNeverHasChildren;
}

} // namespace Tasktrail
