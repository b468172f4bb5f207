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

void RunsLoader::open(quint64 generation, const QString &path)
{
    // Opened even for a generation already left: a newer filter on the same database follows,
    // and a newer database comes with its own open() after this one.
    m_store.reset();
    if (path.isEmpty())
        return;
    QString error;
    m_store = openStore(path, &error);
    Q_EMIT opened(generation, m_store != nullptr, error);
}

void RunsLoader::count(quint64 generation, const TaskFilter &filter)
{
    if (!current(generation))
        return;
    m_filter = filter;
    Q_EMIT counted(generation, m_store ? m_store->taskCount(filter) : 0);
}

void RunsLoader::loadQueuedPages(int pageSize)
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
        const QList<TaskRow> rows = m_store->tasks(m_filter, request.page * pageSize, pageSize);
        Q_EMIT pageLoaded(request.generation, request.page, rows);
    }
}

void RunsLoader::loadFacets()
{
    if (!m_store)
        return;
    for (const TaskFacet facet : {TaskFacet::State, TaskFacet::Repository, TaskFacet::IdentityKind,
                                  TaskFacet::Policy, TaskFacet::Campaign})
        Q_EMIT facetValuesLoaded(facet, m_store->facetValues(facet));
}

void RunsLoader::close()
{
    m_store.reset();
}

} // namespace Tasktrail
