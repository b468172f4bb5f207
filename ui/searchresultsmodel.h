#pragma once

#include "records/summaries.h"

#include <QAbstractItemModel>
#include <QList>

namespace Tasktrail {

// The hits of one task, under a row that names the task and its repository.
struct SearchTaskGroup
{
    QString taskId; // empty for hits on records that belong to no task (a request, ...)
    QString repo;
    QList<SearchHit> hits;
};

// What one search found, as the worker hands it to the view.
struct SearchResults
{
    QString query;
    QList<SearchTaskGroup> groups;
    int hitCount = 0;
    bool limited = false; // the store stopped at the limit: there may be more
    QString error;
};

// Full-text search results grouped by task: a task row ("task-0042 · acme/web") with one
// child row per hit ("command 3 line 17: ...", "request req-1: ..."). One column.
class SearchResultsModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Role
    {
        TaskIdRole = Qt::UserRole, // QString, on task and hit rows
        RepoRole,                  // QString, on task and hit rows
        IsTaskRole,                // bool: a task row
        HitKindRole,               // int: SearchHit::Kind, on hit rows
        CommandSeqRole,            // int: 0 for a record hit or a task row
        LineNoRole,                // qint64: 0 for a record hit or a task row
        HitCountRole,              // int: hits under a task row, 1 on a hit row
        RecordKindRole,            // QString: a record hit's kind (SearchHit::recordKind)
        RecordRefRole,             // QString: a record hit's key (SearchHit::recordRef)
    };
    Q_ENUM(Role)

    explicit SearchResultsModel(QObject *parent = nullptr);
    ~SearchResultsModel() override;

    void setGroups(const QList<SearchTaskGroup> &groups);
    void clear() { setGroups({}); }
    const QList<SearchTaskGroup> &groups() const { return m_groups; }
    int hitCount() const;

    // Groups hits by task id, in the order each task first appears (the store's ranking);
    // hits without a task come last, in one group.
    static QList<SearchTaskGroup> groupByTask(const QList<SearchHit> &hits);
    // "command 3 line 17: text" for a log line; the record's own text for a record hit.
    static QString hitText(const SearchHit &hit);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    QVariant taskData(const SearchTaskGroup &group, int role) const;
    QVariant hitData(const SearchTaskGroup &group, const SearchHit &hit, int role) const;

    QList<SearchTaskGroup> m_groups;
};

} // namespace Tasktrail
