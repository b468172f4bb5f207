#pragma once

#include "records/finding.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;
class QTableView;

namespace Tasktrail {

class FindingsModel;
class AsyncQuery;
class RecordStore;

// The security review: every finding of the conformance checker, filtered by severity, rule,
// identity, policy, repository and time, sorted by a header click. Activating a finding asks
// for the task's chain at its evidence. Every read (the filter's choices, the pages of
// findings, by key as the table scrolls) runs on the view's query thread; the GUI thread only
// shows what arrives.
class FindingsView final : public QWidget
{
    Q_OBJECT

public:
    explicit FindingsView(QWidget *parent = nullptr);
    ~FindingsView() override;

    // The database read (its location, on the view's query thread; `store` is not kept and
    // never read here); nullptr clears the view. Reloads the choices and the findings.
    void setStore(RecordStore *store);
    // Reads the filter's choices and the findings again.
    void reload();
    // True while choices or findings are being read.
    bool isLoading() const;

    FindingFilter filter() const;
    void setFilter(const FindingFilter &filter);
    // The table's order, with the header's indicator on its column.
    void setFindingSort(const FindingSort &sort);

    // The findings selected in the table, by row id, in row order.
    QList<qint64> selectedFindingIds() const;
    // Sets the triage of the selected findings on the view's write connection (off the GUI
    // thread), then reads the findings again; false when nothing is selected or a change is
    // still under way. `by` is the user name of the operating system.
    bool triageSelected(TriageState state, const QString &note);
    // Asks for a state and a note (TriageDialog), then triageSelected().
    void triageSelectedWithDialog();

    FindingsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QString statusText() const;
    // The table's column widths, order and hidden columns, for the settings. The order of the
    // rows is the model's (FindingSort), kept apart: a restored header does not change it.
    QByteArray saveLayout() const;
    bool restoreLayout(const QByteArray &state);

Q_SIGNALS:
    void findingActivated(const Tasktrail::Finding &finding);
    // The findings of the current filter are on screen.
    void loaded();
    // A triage was written (error empty) or failed; the findings are read again after it.
    void triaged(const QString &error);

private:
    void load();
    void fillChoices(QComboBox *box, const QStringList &values);
    void indicateSort();
    void updateStatus();
    void updateTriageButton();

    AsyncQuery *m_queries = nullptr;
    FindingsModel *m_model = nullptr;
    QComboBox *m_severity = nullptr;
    QComboBox *m_rule = nullptr;
    QComboBox *m_repo = nullptr;
    QComboBox *m_identity = nullptr;
    QComboBox *m_policy = nullptr;
    QComboBox *m_state = nullptr;
    QPushButton *m_triage = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_until = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_status = nullptr;
    bool m_updating = false;
};

} // namespace Tasktrail
