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
// filter, another database) the generation changes and older work is skipped or its results
// are dropped.
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

    static constexpr int maxQueuedPages = 8;

    // Worker-thread slots, reached through queued calls.
    void open(quint64 generation, const QString &path);
    void count(quint64 generation, const TaskFilter &filter);
    void loadQueuedPages(int pageSize);
    void loadFacets();
    void close();

Q_SIGNALS:
    void opened(quint64 generation, bool ok, const QString &error);
    void counted(quint64 generation, qint64 count);
    void pageLoaded(quint64 generation, int page, const QList<TaskRow> &rows);
    // Pages taken off the queue unread; the model asks again when a view still wants them.
    void pagesDropped(quint64 generation, const QList<int> &pages);
    void facetValuesLoaded(Tasktrail::TaskFacet facet, const QStringList &values);

private:
    struct PageRequest
    {
        quint64 generation = 0;
        int page = 0;
    };
    bool current(quint64 generation) const { return generation == m_generation.load(); }

    std::atomic<quint64> m_generation{0};
    QMutex m_queueMutex;
    std::deque<PageRequest> m_queue; // newest at the back
    std::unique_ptr<RecordStore> m_store;
    TaskFilter m_filter; // the filter of the current generation, set by count()
};

} // namespace Tasktrail
