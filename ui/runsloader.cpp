#include "runsloader.h"

#include "store/recordstore.h"

#include <QMutexLocker>

namespace Tasktrail {

RunsLoader::RunsLoader(QObject *parent)
    : QObject(parent)
{}

RunsLoader::~RunsLoader() = default;

void RunsLoader::enqueuePage(quint64 generation, int page)
{
    QList<int> dropped;
    {
        const QMutexLocker lock(&m_queueMutex);
        m_queue.push_back({generation, page});
        while (m_queue.size() > std::size_t(maxQueuedPages)) {
            if (m_queue.front().generation == generation)
                dropped << m_queue.front().page;
            m_queue.pop_front();
        }
    }
    if (!dropped.isEmpty())
        Q_EMIT pagesDropped(generation, dropped);
}

void RunsLoader::interrupt()
{
    const QMutexLocker lock(&m_storeMutex);
    if (m_store)
        m_store->interrupt();
}

void RunsLoader::open(quint64 generation, const QString &path)
{
    // Opened even for a generation already left: a newer filter on the same database follows,
    // and a newer database comes with its own open() after this one.
    std::unique_ptr<RecordStore> previous;
    {
        const QMutexLocker lock(&m_storeMutex);
        previous = std::move(m_store);
    }
    previous.reset();
    if (path.isEmpty())
        return;
    m_allTasks = -1;
    QString error;
    std::unique_ptr<RecordStore> store = openStore(path, &error);
    const bool ok = store != nullptr;
    {
        const QMutexLocker lock(&m_storeMutex);
        m_store = std::move(store);
    }
    Q_EMIT opened(generation, ok, error);
}

void RunsLoader::count(quint64 generation, const TaskFilter &filter, const TaskSort &sort,
                       int pageSize)
{
    if (!current(generation))
        return;
    m_filter = filter;
    m_sort = sort;
    m_pageSize = pageSize;
    m_anchors.clear();
    m_anchorsComplete = false;
    m_rowids.clear();
    m_waiting.clear();
    m_total = m_store ? m_store->taskCount(filter) : 0;
    // LIKE on a task's id, repository, requester and prompt can use no index: a page would
    // test it on every task up to its last row again.
    m_keepRowids = !filter.text.isEmpty() && m_total <= maxKeptRowids;
    if (filter == TaskFilter())
        m_allTasks = m_total;
    else if (m_allTasks < 0 && m_store)
        m_allTasks = m_store->taskCount({});
    if (!current(generation))
        return; // interrupted, or counted for a filter the model has left
    // A filter that keeps at least one task in followShare reads at most that many index
    // entries per row shown when pages walk the sort index; a narrower one is better served
    // by its own index and a sort of the few tasks it keeps.
    m_followSortIndex = m_total * followShare >= m_allTasks;
    Q_EMIT counted(generation, m_total);
    if (m_total > m_pageSize) {
        QMetaObject::invokeMethod(
            this, [this, generation] { walkAnchors(generation); }, Qt::QueuedConnection);
    } else {
        m_anchorsComplete = true;
        Q_EMIT anchorsWalked(generation);
    }
}

// One chunk of the anchor walk; queues the next, so page requests made meanwhile are served
// between chunks instead of after the whole walk.
void RunsLoader::walkAnchors(quint64 generation)
{
    if (!current(generation) || m_anchorsComplete)
        return;
    if (!m_store) {
        m_anchorsComplete = true;
        Q_EMIT anchorsWalked(generation);
        return;
    }
    const std::optional<TaskKey> from =
        m_anchors.isEmpty() ? std::nullopt : std::optional<TaskKey>(m_anchors.constLast());
    TaskPageRequest walk;
    walk.sort = m_sort;
    walk.from = from;
    walk.limit = anchorChunkRows;
    walk.followSortIndex = m_followSortIndex;
    QList<TaskKey> chunk =
        m_store->taskAnchors(m_filter, walk, m_pageSize, m_keepRowids ? &m_rowids : nullptr);
    if (!current(generation))
        return;
    const qsizetype perChunk = anchorChunkRows / m_pageSize + 1;
    const bool more = chunk.size() == perChunk;
    if (!m_anchors.isEmpty() && !chunk.isEmpty())
        chunk.removeFirst(); // where this chunk started: the last one already known
    m_anchors += chunk;
    m_anchorsComplete = !more;
    // The pages that waited for these anchors, newest first.
    std::deque<PageRequest> waiting;
    waiting.swap(m_waiting);
    while (!waiting.empty()) {
        const PageRequest request = waiting.back();
        waiting.pop_back();
        if (current(request.generation) && !loadPage(request))
            m_waiting.push_front(request);
    }
    if (more)
        QMetaObject::invokeMethod(
            this, [this, generation] { walkAnchors(generation); }, Qt::QueuedConnection);
    else
        Q_EMIT anchorsWalked(generation);
}

bool RunsLoader::loadPage(const PageRequest &request)
{
    const qint64 first = qint64(request.page) * m_pageSize;
    const qint64 end = std::min(m_total, first + m_pageSize);
    if (end > first && end <= m_rowids.size()) {
        const QList<TaskRow> rows = m_store->taskRowsOf(m_rowids.mid(first, end - first));
        if (current(request.generation))
            Q_EMIT pageLoaded(request.generation, request.page, rows);
        return true;
    }
    TaskPageRequest read;
    read.sort = m_sort;
    read.followSortIndex = m_followSortIndex;
    // No more rows than the page holds: the last page's read stops at its last row instead
    // of walking the rest of the index for rows the filter rejects.
    read.limit = int(std::max<qint64>(end - first, 1));
    if (request.page < m_anchors.size()) {
        if (request.page > 0)
            read.from = m_anchors.at(request.page);
    } else if (request.page == 0) {
        // the first page starts at the first task
    } else if (m_total - end < qint64(pagesReadFromEnd) * m_pageSize && end > first) {
        read.backwards = true;
        read.skip = int(m_total - end);
        read.limit = int(end - first);
    } else if (!m_anchorsComplete) {
        return false;
    } else {
        // Past the last anchor: the tasks went away since the count.
        Q_EMIT pageLoaded(request.generation, request.page, {});
        return true;
    }
    const QList<TaskRow> rows = m_store->taskPage(m_filter, read);
    if (current(request.generation))
        Q_EMIT pageLoaded(request.generation, request.page, rows);
    return true;
}

void RunsLoader::loadQueuedPages()
{
    for (;;) {
        PageRequest request;
        {
            const QMutexLocker lock(&m_queueMutex);
            if (m_queue.empty())
                return;
            request = m_queue.back();
            m_queue.pop_back();
        }
        // A stale page is neither read nor reported: the model cleared its bookkeeping when
        // it moved to the new generation.
        if (!current(request.generation) || !m_store)
            continue;
        if (!loadPage(request)) {
            m_waiting.push_back(request);
            // Only the pages asked for last wait; a view that still shows the others asks
            // again after pagesDropped.
            QList<int> dropped;
            while (m_waiting.size() > std::size_t(maxQueuedPages)) {
                dropped << m_waiting.front().page;
                m_waiting.pop_front();
            }
            if (!dropped.isEmpty())
                Q_EMIT pagesDropped(request.generation, dropped);
        }
    }
}

void RunsLoader::locateTask(quint64 generation, const QString &taskId)
{
    if (!current(generation) || !m_store)
        return;
    TaskKey key;
    const qint64 row = m_store->taskRow(m_filter, m_sort, taskId, &key);
    if (row < 0) {
        Q_EMIT taskLocated(generation, taskId, -1, -1, {});
        return;
    }
    // The rows before the task on its page, and the rest from the task on.
    TaskPageRequest before;
    before.sort = m_sort;
    before.from = key;
    before.backwards = true;
    before.limit = int(row % m_pageSize);
    TaskPageRequest from = before;
    from.backwards = false;
    from.limit = m_pageSize - before.limit;
    QList<TaskRow> rows = before.limit > 0 ? m_store->taskPage(m_filter, before) : QList<TaskRow>();
    rows += m_store->taskPage(m_filter, from);
    if (current(generation))
        Q_EMIT taskLocated(generation, taskId, row, int(row / m_pageSize), rows);
}

void RunsLoader::loadFacets(quint64 generation)
{
    if (!m_store)
        return;
    for (const TaskFacet facet : {TaskFacet::State, TaskFacet::Repository, TaskFacet::IdentityKind,
                                  TaskFacet::Policy, TaskFacet::Campaign})
        Q_EMIT facetValuesLoaded(generation, facet, m_store->facetValues(facet));
}

void RunsLoader::close()
{
    std::unique_ptr<RecordStore> previous;
    const QMutexLocker lock(&m_storeMutex);
    previous = std::move(m_store);
}

} // namespace Tasktrail
