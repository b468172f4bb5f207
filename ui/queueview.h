#pragma once

#include "launch/queuecontrol.h"
#include "records/launchrecords.h"

#include <QHash>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace Tasktrail {

class AsyncQuery;
class ConfirmationPanel;
class QueueModel;
class RecordStore;

// The launch queue: every entry with its state, the budget in use, and the selected task's
// state changes with their reasons. Everything is read on the view's query thread: the whole
// queue once, then every second while the view is visible only the entries that can still
// change (the worker may run in another process), since a final entry stays as it is. Pause,
// resume and cancel (QueueControl), for the selected task or its whole campaign, and a person's
// answer for an entry in needs_confirmation are written on that thread too, one at a time: the
// buttons are disabled while one is under way, and its outcome shows in the status line.
// The worker acts on the marks.
class QueueView final : public QWidget
{
    Q_OBJECT

public:
    explicit QueueView(QWidget *parent = nullptr);
    ~QueueView() override;

    // Not owned; nullptr clears the view. Only its location is used: reads and writes go
    // through connections of the view's own on its query thread.
    void setStore(RecordStore *store);
    // Whether the connection's role may pause, resume, cancel and confirm; when not, the
    // buttons stay disabled with `why` as their tooltip.
    void setControlsAllowed(bool allowed, const QString &why);
    // Reads the whole queue again, keeping the selected task selected.
    void reload();
    // Reads the entries that were not final at the last read (and new ones), unless a read is
    // under way.
    void poll();
    // True while the queue or the selected task's detail is being read, or a change written.
    bool isLoading() const;
    // True from apply() or confirm() until its outcome is shown.
    bool isWriting() const;
    // How many polls have updated the view since the last full read.
    int polls() const { return m_polls; }

    QueueModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QTreeWidget *events() const { return m_events; }
    QString budgetText() const;
    QString statusText() const;
    QString selectedTask() const;
    bool selectTask(const QString &taskId);

    // On the selected task, or (campaign) on every entry of its campaign, written on the query
    // thread; changeFinished() reports the outcome, which the status line shows. False, with
    // the reason in the status line, when it cannot be asked for (nothing selected, no
    // database, another change still under way).
    bool apply(QueueControl::Action action, bool campaign);
    // Shown while the selected entry needs a confirmation.
    ConfirmationPanel *confirmationPanel() const { return m_confirmation; }
    // A person's answer for an entry in needs_confirmation (QueueControl::confirm) as the OS
    // user; remoteId empty: not created. Written like apply(), with the same return value.
    bool confirm(const QString &taskId, const QString &remoteId);

Q_SIGNALS:
    // The outcome of apply() or confirm(): whether an entry changed. The view is being read
    // again by then.
    void changeFinished(bool changed);

    void taskActivated(const QString &taskId);
    // The entries on screen were read again (a full read or a poll).
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QPushButton *addButton(const QString &name, const QString &text, QueueControl::Action action,
                           bool campaign);
    struct TaskDetail;
    struct QueueRead;
    void showEntries(const QueueRead &read);
    void updateBudget(const QList<QueueEntry> &open);
    void loadDetail();
    void showDetail(const TaskDetail &detail);
    void showEvents(const QString &task, const QList<LaunchEvent> &events);
    void updateButtons();
    bool beginChange(const QString &what);
    void showOutcome(const std::optional<QueueControl::Outcome> &outcome, const QString &error,
                     const QString &changedText);
    bool hasStore() const;
    // poll(), superseding a read under way.
    void readChanges();

    AsyncQuery *m_queries = nullptr;
    bool m_loaded = false; // a full read arrived since the database was set
    bool m_controlsAllowed = true;
    QString m_notAllowed;
    QStringList m_open; // the entries shown that were not final when read
    int m_polls = 0;
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
