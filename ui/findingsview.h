#pragma once

#include "records/finding.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QTableView;

namespace Tasktrail {

class FindingsModel;
class AsyncQuery;
class RecordStore;

// The security review: every finding of the conformance checker, filtered by severity, rule,
// identity, policy, repository and time, sorted by a header click. Activating a finding asks
// for the task's chain at its evidence. Findings are read a page at a time by key as the
// table scrolls; a page is one index seek, so it runs on the GUI thread like the campaign
// view's queries.
class FindingsView final : public QWidget
{
    Q_OBJECT

public:
    explicit FindingsView(QWidget *parent = nullptr);
    ~FindingsView() override;

    // Not owned; nullptr clears the view. Reloads the facets and the findings.
    // The database read (on the view's query thread; `store` is not kept). Reloads.
    void setStore(RecordStore *store);
    // Reads the filter's choices and the findings again.
    void reload();
    // True while choices or findings are being read.
    bool isLoading() const;

    FindingFilter filter() const;
    void setFilter(const FindingFilter &filter);
    // The table's order, with the header's indicator on its column.
    void setFindingSort(const FindingSort &sort);

    FindingsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QString statusText() const;

Q_SIGNALS:
    void findingActivated(const Tasktrail::Finding &finding);
    // The findings of the current filter are on screen.
    void loaded();

private:
    void load();
    void fillChoices(QComboBox *box, const QStringList &values);
    void indicateSort();
    void updateStatus();

    RecordStore *m_store = nullptr;
    AsyncQuery *m_queries = nullptr;
    FindingsModel *m_model = nullptr;
    QComboBox *m_severity = nullptr;
    QComboBox *m_rule = nullptr;
    QComboBox *m_repo = nullptr;
    QComboBox *m_identity = nullptr;
    QComboBox *m_policy = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_until = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_status = nullptr;
    bool m_updating = false;
};

} // namespace Tasktrail
