#pragma once

#include "records/summaries.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace Tasktrail {

// A task's conversation as a two-level tree: one top-level row per TranscriptRow (a message,
// or a tool result) and, under a tool result, the call it answers. The model holds only the
// outline (row count and page anchors) and the pages read so far, at most a few dozen: a
// transcript of hundreds of thousands of entries costs what its visible rows cost. A row not
// read yet shows a placeholder and asks for its page (pageNeeded); the owner reads it on its
// query thread and hands it to setPage(). Children appear when their row's page arrives.
class TranscriptModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column
    {
        TimeColumn,
        SessionColumn,
        WhoColumn,
        CommandColumn,
        TextColumn,
        ColumnCount
    };
    enum Role
    {
        EntryTextRole = Qt::UserRole, // QString: the entry's whole text
        SessionIdRole,                // QString
        SeqRole,                      // int: the entry's number in its session
        RoleNameRole,                 // QString: user, assistant, tool_call, tool_result, system
        CommandSeqRole,               // int: the command a shell call became, 0 for none
        IsErrorRole,                  // bool: a tool result the tool reported as an error
        IsLoadedRole,                 // bool: false on a placeholder
    };
    Q_ENUM(Role)
    // Rows read per query; an outline is asked for with this step.
    static constexpr int pageSize = 200;
    // Pages kept; the oldest read is dropped past this.
    static constexpr int maxPages = 40;

    explicit TranscriptModel(QObject *parent = nullptr);
    ~TranscriptModel() override;

    void setOutline(const QString &taskId, const TranscriptOutline &outline);
    void clear();
    QString taskId() const { return m_taskId; }
    const TranscriptOutline &outline() const { return m_outline; }
    qint64 rows() const { return m_outline.rows; }

    // Rows read for `page` of the outline set last.
    void setPage(int page, const QList<TranscriptRow> &rows);
    bool isPageLoaded(int page) const { return m_pages.contains(page); }
    // A page asked for (pageNeeded) that will not arrive: it may be asked for again.
    void forgetRequest(int page) { m_requested.remove(page); }
    // Where page `page` starts; null when the outline has no such page.
    TranscriptPosition pageStart(int page) const;

    // The top-level index of row `row`, and the index of the entry at `position` (its row,
    // or the call under it) when its page is loaded.
    QModelIndex rowIndex(qint64 row, int column = 0) const;
    QModelIndex indexOf(const TranscriptPosition &position, qint64 row) const;
    // The loaded entry behind an index (a row's entry or the call under it); nullptr if none.
    const TranscriptEntry *entry(const QModelIndex &index) const;
    TranscriptPosition position(const QModelIndex &index) const;

    // "Tool call · Bash", "Assistant", "Sub-agent · User", with "(error)" for a failed result.
    static QString who(const TranscriptEntry &entry);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // Row data of `page` was asked for and is not loaded; emitted once per page until it is
    // set or forgotten, from the event loop (never inside data()).
    void pageNeeded(int page);

private:
    const TranscriptRow *loadedRow(int row) const;
    void requestPage(int page) const;
    void dropPage(int page);
    QVariant entryData(const TranscriptEntry &entry, int column, int role) const;

    QString m_taskId;
    TranscriptOutline m_outline;
    QHash<int, QList<TranscriptRow>> m_pages;
    QList<int> m_pageOrder;        // oldest read first
    mutable QSet<int> m_requested; // asked for, not set yet
};

} // namespace Tasktrail
