#pragma once

#include "records/summaries.h"

#include <QAbstractTableModel>
#include <QList>
#include <QMap>
#include <QSet>

#include <optional>
#include <unordered_map>

class QThread;

namespace Tasktrail {

class RecordStore;
class RunsLoader;

// The runs table over a million tasks. rowCount() is the number of tasks that match the filter
// as soon as the worker has counted them; rows are served from a bounded cache of pages that
// a worker thread reads with its own connection, by key (RunsLoader), in the order sort()
// chose: in SQL, with an index per sortable column. A row whose page is still being read shows
// a placeholder, and dataChanged announces it when the page arrives. Results of an earlier
// filter, sort or database are dropped by generation.
class RunsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TaskColumn,
        RepositoryColumn,
        CampaignColumn,
        StateColumn,
        RequesterColumn,
        IdentityColumn,
        PolicyColumn,
        PullRequestColumn,
        StartedColumn,
        DurationColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        TaskIdRole = Qt::UserRole,
        StateRole,             // TaskState
        RepositoryRole,        // QString, owner/name
        CampaignIdRole,        // QString
        IdentityKindRole,      // IdentityKind
        PullRequestNumberRole, // int, invalid without a PR
        PullRequestMergedRole, // bool
        StartedAtRole,         // QDateTime, UTC
        DurationMsRole,        // qint64, invalid while running
    };
    Q_ENUM(Role)

    static constexpr int pageSize = 256;
    static constexpr int defaultMaxCachedPages = 64;

    explicit RunsModel(QObject *parent = nullptr);
    ~RunsModel() override;

    // The database the worker thread reads; an empty path empties the table.
    void setDatabasePath(const QString &path);
    QString databasePath() const { return m_path; }
    // For callers that already hold a connection: the worker opens its own on the same
    // location. The model never reads `store` (not owned); set nullptr before destroying it.
    void setStore(RecordStore *store);
    RecordStore *store() const { return m_store; }

    void setFilter(const TaskFilter &filter);
    const TaskFilter &filter() const { return m_filter; }

    // The order of the rows; a new one reads the table again, keeping the filter.
    void setTaskSort(const TaskSort &sort);
    const TaskSort &taskSort() const { return m_sort; }
    // The column a TaskSort sorts, and back; nullopt for the columns that cannot be sorted.
    static int sectionOf(TaskSortColumn column);
    static std::optional<TaskSortColumn> sortColumnOf(int section);
    // What a header click asks for; columns that cannot be sorted are ignored.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // Counts again and drops the cached pages, e.g. after an ingest added runs.
    void reload();

    // Tasks matching the filter; rowCount() once counted.
    qint64 totalCount() const { return m_total; }
    // The row of a task whose page is cached, -1 otherwise: no database read, so it answers
    // at once. locateTask() finds any task.
    int rowOfTask(const QString &taskId) const;
    // The row of any task, found on the worker thread: taskLocated() tells it, with its page
    // cached, unless the filter, the sort or the database changed meanwhile (then the answer
    // is dropped: whoever asked asks again under the new ones).
    void locateTask(const QString &taskId);

    // The page cache: at most maxCachedPages pages, least recently used dropped first.
    void setMaxCachedPages(int pages);
    int maxCachedPages() const { return m_maxPages; }
    int cachedPageCount() const { return int(m_pages.size()); }
    int peakCachedPageCount() const { return m_peakPages; }
    bool isRowLoaded(int row) const;
    // Nothing counted or read is outstanding, and the worker knows where every page starts.
    bool isIdle() const { return !m_counting && !m_walkingAnchors && m_pending.isEmpty(); }
    // The worker is counting the tasks under the current filter; rowCount() is not known yet.
    bool isCounting() const { return m_counting; }

    // Distinct values for a filter's choices, read by the worker after a database opens.
    QStringList facetValues(TaskFacet facet) const { return m_facets.value(facet); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    static QString placeholder();

Q_SIGNALS:
    void totalCountChanged(qint64 count);
    void taskSortChanged(const Tasktrail::TaskSort &sort);
    // -1 when the filter excludes the task.
    void taskLocated(const QString &taskId, int row);
    void facetValuesChanged(Tasktrail::TaskFacet facet, const QStringList &values);
    void errorOccurred(const QString &message);

private:
    struct Page
    {
        QList<TaskRow> rows;
        mutable quint64 lastUse = 0;
    };
    QVariant displayData(const TaskRow &row, int column) const;
    const TaskRow *cachedRow(int row) const;
    void requestPage(int page) const;
    void restart(bool reopen);
    void countArrived(quint64 generation, qint64 count);
    void pageArrived(quint64 generation, int page, const QList<TaskRow> &rows);
    void pagesDropped(quint64 generation, const QList<int> &pages);
    void facetArrived(quint64 generation, TaskFacet facet, const QStringList &values);
    void requestFacets();
    void storePage(int page, const QList<TaskRow> &rows);
    void evictBeyond(int maxPages, int keep);
    void announceRows(int page);

    QThread *m_thread = nullptr;
    RunsLoader *m_loader = nullptr; // lives on m_thread; deleted after it stops
    QString m_path;
    RecordStore *m_store = nullptr;
    TaskFilter m_filter;
    TaskSort m_sort;
    qint64 m_total = 0;
    quint64 m_generation = 0;
    bool m_counting = false;
    bool m_walkingAnchors = false;
    std::unordered_map<int, Page> m_pages;
    mutable quint64 m_useClock = 0;
    mutable QSet<int> m_pending;
    int m_maxPages = defaultMaxCachedPages;
    int m_peakPages = 0;
    QMap<TaskFacet, QStringList> m_facets;
    quint64 m_facetGeneration = 0; // of the newest facet read asked for
};

} // namespace Tasktrail
