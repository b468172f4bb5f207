#pragma once

#include "launch/queuecontrol.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace Tasktrail {

class ConfirmationPanel;
class QueueModel;
class RecordStore;

// The launch queue: every entry with its state, read from the store every second while the
// view is visible (the worker may run in another process), the budget in use, and the
// selected task's state changes with their reasons. Pause, resume and cancel act on the store
// (QueueControl), for the selected task or its whole campaign; the worker acts on the marks.
// An entry in needs_confirmation shows its evidence and takes a person's answer.
class QueueView final : public QWidget
{
    Q_OBJECT

public:
    explicit QueueView(QWidget *parent = nullptr);
    ~QueueView() override;

    // Not owned; nullptr clears the view.
    void setStore(RecordStore *store);
    // Reads the queue again, keeping the selected task selected.
    void reload();

    QueueModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QTreeWidget *events() const { return m_events; }
    QString budgetText() const;
    QString statusText() const;
    QString selectedTask() const;
    bool selectTask(const QString &taskId);

    // On the selected task, or (campaign) on every entry of its campaign. False, with the
    // reason in the status line, when nothing changed.
    bool apply(QueueControl::Action action, bool campaign);
    // Shown while the selected entry needs a confirmation.
    ConfirmationPanel *confirmationPanel() const { return m_confirmation; }
    // A person's answer for an entry in needs_confirmation (QueueControl::confirm) as the OS
    // user; remoteId empty: not created. False, with the reason in the status line, when refused.
    bool confirm(const QString &taskId, const QString &remoteId);

Q_SIGNALS:
    void taskActivated(const QString &taskId);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QPushButton *addButton(const QString &name, const QString &text, QueueControl::Action action,
                           bool campaign);
    void showEvents();
    void showConfirmation();
    void updateButtons();

    RecordStore *m_store = nullptr;
    QueueModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QTreeWidget *m_events = nullptr;
    ConfirmationPanel *m_confirmation = nullptr;
    QLabel *m_budget = nullptr;
    QLabel *m_status = nullptr;
    QList<QPushButton *> m_buttons;
    QTimer m_refresh;
    QString m_eventsTask;
};

} // namespace Tasktrail
