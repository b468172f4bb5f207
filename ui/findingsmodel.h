#pragma once

#include "records/finding.h"

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace Tasktrail {

class AsyncQuery;

// Findings as a table. Given a list (a task's findings), it shows that list. Given a filter,
// it asks the view's query thread (AsyncQuery) for a page of pageSize findings by key
// (FindingStore::findingPage) and for the next when the view scrolls to the end (loadMore),
// in the order sort() chose, in SQL; rows are inserted when a page arrives, and a page asked
// for before the filter, the sort or the database changed is dropped. The model never reads
// the database itself. Not fetchMore(): QAbstractItemModelTester calls that while a reset is
// still being announced.
class FindingsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SeverityColumn,
        RuleColumn,
        StateColumn, // the triage state
        TaskColumn,
        MessageColumn,
        EvidenceColumn,
        WhenColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        SeverityRole = Qt::UserRole, // int (Severity)
        RuleRole,                    // QString
        TaskIdRole,                  // QString
        FindingIdRole,               // qint64: the row id triage takes
        TriageStateRole,             // int (TriageState)
    };
    Q_ENUM(Role)

    static constexpr int defaultPageSize = 256;
    // Findings read at a time; takes effect at the next setSource().
    void setPageSize(int rows) { m_pageSize = std::max(rows, 1); }

    explicit FindingsModel(QObject *parent = nullptr);
    ~FindingsModel() override;

    // Where pages are read: `slot` of `queries` (not owned), on its database.
    void setQueries(AsyncQuery *queries, int slot);
    // Empties the table and asks for the filter's first page; without queries or a database,
    // the table stays empty.
    void setSource(const FindingFilter &filter);
    void setFindingSort(const FindingSort &sort);
    const FindingSort &findingSort() const { return m_sort; }
    static std::optional<FindingSortColumn> sortColumnOf(int section);
    static int sectionOf(FindingSortColumn column); // -1 for the default order
    // A header click; columns that cannot be sorted (message, evidence, when) are ignored.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    // Whether the store has findings after the last one read, and asking for the next page
    // (once: a page already asked for is not asked for again).
    bool hasMore() const { return m_more; }
    void loadMore();
    // A page was asked for and has not arrived.
    bool isLoading() const;

    void setFindings(const QList<Finding> &findings);
    void clear();
    const QList<Finding> &findings() const { return m_findings; }
    const Finding &finding(int row) const { return m_findings.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "command 3", "file src/a.ts", "log line 3:120": where the evidence is, in words.
    static QString evidenceText(const Finding &finding);
    static QString severityText(Severity severity);
    // "false positive", with who set it when and why for a tooltip.
    static QString triageText(TriageState state);
    static QString triageToolTip(const FindingTriage &triage);

Q_SIGNALS:
    void findingSortChanged(const Tasktrail::FindingSort &sort);
    // A page arrived (rows inserted, or none when it was empty).
    void pageLoaded();

private:
    void pageArrived(const QList<KeyedFinding> &page);
    bool hasSource() const;

    QList<Finding> m_findings;
    AsyncQuery *m_queries = nullptr;
    int m_slot = 0;
    bool m_paged = false; // rows come from pages, not setFindings()
    FindingFilter m_filter;
    FindingSort m_sort;
    std::optional<FindingKey> m_last; // where the next page starts
    bool m_more = false;
    int m_pageSize = defaultPageSize;
};

} // namespace Tasktrail
