#pragma once

#include "records/summaries.h"

#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <deque>
#include <memory>

namespace Tasktrail {

class RecordStore;

// The runs table's reader: lives on the model's worker thread and owns its own connection to
// the database, so counting a million tasks or reading a page deep in them never blocks the
// GUI. Every request carries the generation it was made for; once the model moves on (a new
// filter or sort, another database) the generation changes, older work is skipped or its
// results are dropped, and a query still running for it is interrupted.
//
// Pages are read by key, never by OFFSET: after the count, the loader walks the sort index
// once, a chunk at a time between page reads, and keeps the key of every page's first row
// (an anchor, 4,000 of them for a million tasks). A page whose anchor is known is one seek;
// the first page needs none, and the last few are read backwards from the end; any other
// page waits for the chunk that reaches its anchor. Under a text filter the walk also keeps the
// row id of every task it passed: the text is tested on each task once, in the walk, and a page
// is then read by row id.
class RunsLoader final : public QObject
{
    Q_OBJECT

public:
    explicit RunsLoader(QObject *parent = nullptr);
    ~RunsLoader() override;

    // Thread-safe: called by the model on the GUI thread.
    void setGeneration(quint64 generation) { m_generation.store(generation); }
    quint64 generation() const { return m_generation.load(); }
    // Queues a page; the newest request is served first and at most maxQueuedPages wait, so a
    // fast scroll through the table reads the pages it stops at, not every page it passed.
    void enqueuePage(quint64 generation, int page);

    // Thread-safe: stops the query running for a generation the model has left.
    void interrupt();

    static constexpr int maxQueuedPages = 8;
    // Rows the anchor walk reads between two turns at the page queue.
    static constexpr int anchorChunkRows = 16384;
    // Pages this close to the end are read backwards from it before their anchor is known.
    static constexpr int pagesReadFromEnd = 4;
    // Pages walk the sort index when the filter keeps at least one task in this many.
    static constexpr int followShare = 64;
    // The most row ids a text filter's walk keeps (8 bytes each); a wider filter pages by
    // anchors alone.
    static constexpr qint64 maxKeptRowids = qint64(1) << 20;

    // Worker-thread slots, reached through queued calls.
    void open(quint64 generation, const QString &path);
    void count(quint64 generation, const TaskFilter &filter, const TaskSort &sort, int pageSize);
    void loadQueuedPages();
    // Every facet's values; `generation` is the model's facet request, handed back.
    void loadFacets(quint64 generation);
    // The row of a task under the current filter and sort, with the page that holds it.
    void locateTask(quint64 generation, const QString &taskId);
    void close();

Q_SIGNALS:
    void opened(quint64 generation, bool ok, const QString &error);
    void counted(quint64 generation, qint64 count);
    // Every page's anchor is known (or the walk stopped): any page is one seek now.
    void anchorsWalked(quint64 generation);
    void pageLoaded(quint64 generation, int page, const QList<TaskRow> &rows);
    // Pages taken off the queue unread; the model asks again when a view still wants them.
    void pagesDropped(quint64 generation, const QList<int> &pages);
    void facetValuesLoaded(quint64 generation, Tasktrail::TaskFacet facet,
                           const QStringList &values);
    // row is -1 when the filter excludes the task; rows are its page's.
    void taskLocated(quint64 generation, const QString &taskId, qint64 row, int page,
                     const QList<Tasktrail::TaskRow> &rows);

private:
    struct PageRequest
    {
        quint64 generation = 0;
        int page = 0;
    };
    bool current(quint64 generation) const { return generation == m_generation.load(); }
    void walkAnchors(quint64 generation);
    // Reads the page when it can be reached without waiting for anchors; false otherwise.
    bool loadPage(const PageRequest &request);

    std::atomic<quint64> m_generation{0};
    QMutex m_queueMutex;
    std::deque<PageRequest> m_queue; // newest at the back
    QMutex m_storeMutex;             // guards m_store's pointer for interrupt() from the GUI thread
    std::unique_ptr<RecordStore> m_store;
    // The current generation's filter, sort, count and anchors, set by count().
    TaskFilter m_filter;
    TaskSort m_sort;
    qint64 m_total = 0;
    int m_pageSize = 256;
    QList<TaskKey> m_anchors;
    bool m_anchorsComplete = false;
    bool m_keepRowids = false;
    QList<qint64> m_rowids; // the tasks the walk passed, in order, when m_keepRowids
    qint64 m_allTasks = -1; // without a filter; -1 until counted
    bool m_followSortIndex = true;
    std::deque<PageRequest> m_waiting; // pages whose anchor the walk has not reached yet
};

} // namespace Tasktrail
