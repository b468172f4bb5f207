#include "searchworker.h"

#include "store/recordstore.h"

namespace Tasktrail {

SearchWorker::SearchWorker(QObject *parent)
    : QObject(parent)
{}

SearchWorker::~SearchWorker() = default;

bool SearchWorker::openStore(const QString &path, QString *error)
{
    if (m_store && m_store->location() == path)
        return true;
    m_store.reset();
    m_store = Tasktrail::openStore(path, error);
    return m_store != nullptr;
}

void SearchWorker::search(quint64 generation, const QString &databasePath, const QString &query,
                          int limit)
{
    if (!current(generation))
        return;
    SearchResults results;
    results.query = query;
    QString error;
    if (databasePath.isEmpty()) {
        results.error = tr("No database is open.");
    } else if (!openStore(databasePath, &error)) {
        results.error = error;
    } else {
        const QList<SearchHit> hits = m_store->search(query, limit);
        results.hitCount = int(hits.size());
        results.limited = hits.size() >= limit;
        results.groups = SearchResultsModel::groupByTask(hits);
        // The repository makes a task row readable; a task chain is one indexed lookup, and
        // there are at most `limit` of them.
        for (SearchTaskGroup &group : results.groups) {
            if (!current(generation))
                return;
            if (group.taskId.isEmpty())
                continue;
            if (const std::optional<TaskChain> chain = m_store->taskChain(group.taskId))
                group.repo = chain->task.repo;
        }
    }
    if (current(generation))
        Q_EMIT finished(generation, results);
}

} // namespace Tasktrail
