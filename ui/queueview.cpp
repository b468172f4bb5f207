#include "queueview.h"

#include "asyncquery.h"
#include "confirmationpanel.h"
#include "idcolumns.h"
#include "queuemodel.h"
#include "store/recordstore.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr int refreshMs = 1000;

enum QuerySlot
{
    EntriesSlot,
    DetailSlot,
};

QString osUserName()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? qEnvironmentVariable("USERNAME") : user;
}

} // namespace

QueueView::QueueView(QWidget *parent)
    : QWidget(parent)
    , m_queries(new AsyncQuery(this))
    , m_model(new QueueModel(this))
{
    m_budget = new QLabel(this);
    m_budget->setObjectName(u"queueBudget"_s);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_budget, 1);
    using Action = QueueControl::Action;
    for (const auto &[name, text, action, campaign] :
         {std::tuple{u"pauseButton"_s, tr("&Pause"), Action::Pause, false},
          std::tuple{u"resumeButton"_s, tr("&Resume"), Action::Resume, false},
          std::tuple{u"cancelButton"_s, tr("&Cancel"), Action::Cancel, false},
          std::tuple{u"pauseCampaignButton"_s, tr("Pause Campaign"), Action::Pause, true},
          std::tuple{u"resumeCampaignButton"_s, tr("Resume Campaign"), Action::Resume, true},
          std::tuple{u"cancelCampaignButton"_s, tr("Cancel Campaign"), Action::Cancel, true}})
        bar->addWidget(addButton(name, text, action, campaign));

    m_table = new QTableView(this);
    m_table->setObjectName(u"queueTable"_s);
    m_table->setModel(m_model);
    showIdsElided(m_table, {QueueModel::TaskColumn, QueueModel::CampaignColumn});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never asks every entry of a long queue for its size.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QueueModel::LastFailureColumn,
                                                      QHeaderView::Stretch);

    m_events = new QTreeWidget(this);
    m_events->setObjectName(u"queueEvents"_s);
    m_events->setRootIsDecorated(false);
    m_events->setHeaderLabels({tr("When"), tr("From"), tr("To"), tr("Reason")});

    m_confirmation = new ConfirmationPanel(this);
    m_confirmation->hide();
    connect(m_confirmation, &ConfirmationPanel::answered, this, &QueueView::confirm);
    connect(m_queries, &AsyncQuery::errorOccurred, this,
            [this](const QString &message) { m_status->setText(message); });

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_confirmation);
    splitter->addWidget(m_events);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 1);
    splitter->setChildrenCollapsible(false);

    m_status = new QLabel(this);
    m_status->setObjectName(u"queueStatus"_s);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    m_refresh.setInterval(refreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &QueueView::poll);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        loadDetail();
        updateButtons();
    });
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT taskActivated(index.data(QueueModel::TaskIdRole).toString());
    });
    reload();
}

QueueView::~QueueView() = default;

QPushButton *QueueView::addButton(const QString &name, const QString &text,
                                  QueueControl::Action action, bool campaign)
{
    auto *button = new QPushButton(text, this);
    button->setObjectName(name);
    connect(button, &QPushButton::clicked, this,
            [this, action, campaign] { apply(action, campaign); });
    m_buttons << button;
    return button;
}

void QueueView::setStore(RecordStore *store)
{
    m_queries->setDatabase(store ? store->location() : QString());
    m_eventsTask.clear();
    reload();
}

bool QueueView::isLoading() const
{
    return m_queries->isPending(EntriesSlot) || m_queries->isPending(DetailSlot) || isWriting();
}

bool QueueView::isWriting() const
{
    return m_queries->isWriting();
}

bool QueueView::hasStore() const
{
    return !m_queries->database().isEmpty();
}

// What a read of the queue brings back. Whatever takes a pass over the whole queue is done
// on the query thread, where the entries are read.
struct QueueView::QueueRead
{
    bool full = false;         // the whole queue, or a poll's answer
    QList<QueueEntry> entries; // in queue order
    QList<QueueEntry> open;    // those of `entries` that are not final
    QueueModel::RowIndex rows; // full: QueueModel::indexRows(entries)
    bool sameTasks = false;    // full: the same tasks in the same order as those shown
    qsizetype shown = 0;       // full: how many entries were shown when the read was asked for

    void setEntries(QList<QueueEntry> read)
    {
        entries = std::move(read);
        for (const QueueEntry &e : std::as_const(entries)) {
            if (!isFinal(e.state))
                open << e;
        }
    }
};

void QueueView::reload()
{
    m_loaded = false;
    if (!hasStore()) {
        QueueRead none;
        none.full = true;
        showEntries(none);
        return;
    }
    m_queries->run(
        EntriesSlot, this,
        [shown = m_model->entries()](RecordStore &store) {
            QueueRead read;
            read.full = true;
            read.setEntries(store.queueEntries({}, true));
            read.rows = QueueModel::indexRows(read.entries);
            read.sameTasks = QueueModel::sameTasks(read.entries, shown);
            read.shown = shown.size();
            return read;
        },
        [this](const QueueRead &read) { showEntries(read); });
}

void QueueView::poll()
{
    // A read still under way is not superseded by the next tick: on a slow disk the view
    // would otherwise never catch up.
    if (!hasStore() || m_queries->isPending(EntriesSlot))
        return;
    readChanges();
}

void QueueView::readChanges()
{
    if (!m_loaded) {
        reload();
        return;
    }
    m_queries->run(
        EntriesSlot, this,
        [open = m_open](RecordStore &store) {
            // The entries not final now, and what became of those that were not final before.
            QList<QueueEntry> changed = store.queueEntries({}, false);
            QSet<QString> seen;
            for (const QueueEntry &e : std::as_const(changed))
                seen.insert(e.taskId);
            for (const QString &id : open) {
                if (seen.contains(id))
                    continue;
                if (std::optional<QueueEntry> e = store.queueEntry(id))
                    changed << *e;
            }
            QueueRead read;
            read.setEntries(std::move(changed));
            return read;
        },
        [this](const QueueRead &read) { showEntries(read); });
}

void QueueView::showEntries(const QueueRead &read)
{
    const QString selected = selectedTask();
    // Only entries that are not final count towards the budget and are polled; a poll's
    // answer holds every one of them, so neither needs a pass over the whole queue.
    m_open.clear();
    for (const QueueEntry &e : read.open)
        m_open << e.taskId;
    if (read.full) {
        // The comparison made with the read still holds unless a poll added entries since.
        const std::optional<bool> same =
            read.shown == m_model->rowCount() ? std::optional<bool>(read.sameTasks) : std::nullopt;
        // The entries shown so far are freed on the query thread.
        auto previous = std::make_pair(m_model->entries(), m_model->rowIndex());
        m_model->setEntries(read.entries, read.rows, same);
        m_queries->dispose(std::move(previous));
        m_loaded = hasStore();
        m_polls = 0;
    } else {
        m_model->mergeEntries(read.entries);
        ++m_polls;
    }
    if (!selected.isEmpty() && selectedTask() != selected)
        selectTask(selected);
    updateBudget(read.open);
    loadDetail();
    updateButtons();
    Q_EMIT refreshed();
}

void QueueView::updateBudget(const QList<QueueEntry> &open)
{
    int running = 0;
    int queued = 0;
    int waiting = 0;
    int paused = 0;
    int unconfirmed = 0;
    for (const QueueEntry &e : open) {
        running += e.state == QueueState::Running;
        queued += e.state == QueueState::Queued;
        waiting += e.state == QueueState::Waiting || e.state == QueueState::RetryWait;
        paused += e.state == QueueState::Paused;
        unconfirmed += e.state == QueueState::NeedsConfirmation;
    }
    QString counts = tr("%L1 running, %L2 queued, %L3 waiting, %L4 paused")
                         .arg(running)
                         .arg(queued)
                         .arg(waiting)
                         .arg(paused);
    if (unconfirmed > 0)
        counts += unconfirmed == 1 ? tr(", 1 needs confirmation")
                                   : tr(", %L1 need confirmation").arg(unconfirmed);
    m_budget->setText(hasStore() ? counts : tr("No database is open."));
}

QString QueueView::selectedTask() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return m_table->selectionModel()->isRowSelected(current.row(), {})
               ? current.data(QueueModel::TaskIdRole).toString()
               : QString();
}

bool QueueView::selectTask(const QString &taskId)
{
    const int row = m_model->rowOfTask(taskId);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, QueueModel::TaskColumn);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

bool QueueView::apply(QueueControl::Action action, bool campaign)
{
    const int row = m_model->rowOfTask(selectedTask());
    if (!hasStore() || row < 0) {
        m_status->setText(tr("Select a task first."));
        return false;
    }
    const QueueEntry &entry = m_model->entry(row);
    const QString taskId = campaign ? QString() : entry.taskId;
    const QString campaignId = campaign ? entry.campaignId : QString();
    const QString doing = action == QueueControl::Action::Pause    ? tr("Pausing…")
                          : action == QueueControl::Action::Resume ? tr("Resuming…")
                                                                   : tr("Cancelling…");
    if (!beginChange(doing))
        return false;
    m_queries->write(
        this,
        [action, taskId, campaignId, now = QDateTime::currentDateTimeUtc()](RecordStore &store) {
            return QueueControl::apply(store, action, taskId, campaignId, now);
        },
        [this](const std::optional<QueueControl::Outcome> &outcome, const QString &error) {
            showOutcome(outcome, error, {});
        });
    updateButtons();
    return true;
}

bool QueueView::confirm(const QString &taskId, const QString &remoteId)
{
    if (!hasStore()) {
        m_status->setText(tr("No database is open."));
        return false;
    }
    if (!beginChange(tr("Recording the answer for %1…").arg(taskId)))
        return false;
    const QString answered =
        remoteId.isEmpty()
            ? tr("%1: confirmed not created; the next attempt creates it once more.").arg(taskId)
            : tr("%1: confirmed as task %2 at GitHub; the queue follows it.").arg(taskId, remoteId);
    m_queries->write(
        this,
        [taskId, remoteId, who = osUserName(),
         now = QDateTime::currentDateTimeUtc()](RecordStore &store) {
            return QueueControl::confirm(store, taskId, remoteId, who, now);
        },
        [this, answered](const std::optional<QueueControl::Outcome> &outcome,
                         const QString &error) { showOutcome(outcome, error, answered); });
    updateButtons();
    return true;
}

bool QueueView::beginChange(const QString &doing)
{
    // One change at a time: the next one is asked for on what the last one left.
    if (m_queries->isWriting()) {
        m_status->setText(tr("Wait for the change under way to finish."));
        return false;
    }
    m_status->setText(doing);
    return true;
}

void QueueView::showOutcome(const std::optional<QueueControl::Outcome> &outcome,
                            const QString &error, const QString &answered)
{
    const QString failure = outcome ? outcome->error : error;
    bool changed = false;
    if (!failure.isEmpty()) {
        m_status->setText(failure);
    } else if (!answered.isEmpty()) {
        changed = true;
        m_status->setText(answered);
    } else if (outcome->changed.isEmpty()) {
        m_status->setText(tr("Nothing to change."));
    } else {
        changed = true;
        m_status->setText(outcome->changed.size() == 1
                              ? tr("1 entry changed.")
                              : tr("%L1 entries changed.").arg(outcome->changed.size()));
    }
    // A change touches only entries that are not final (or were not, before it), and a
    // launch adds new ones: the entries a poll reads hold all of it, so the whole queue is
    // not read again. This read supersedes one asked for before the change.
    readChanges();
    updateButtons();
    Q_EMIT changeFinished(changed);
}

struct QueueView::TaskDetail
{
    QString task;
    bool needsConfirmation = false;
    QList<LaunchEvent> events;
    QList<LaunchAttempt> attempts;
};

void QueueView::loadDetail()
{
    const QString task = selectedTask();
    const int row = m_model->rowOfTask(task);
    TaskDetail detail;
    detail.task = task;
    detail.needsConfirmation =
        row >= 0 && m_model->entry(row).state == QueueState::NeedsConfirmation;
    if (!hasStore() || task.isEmpty()) {
        m_queries->cancel(DetailSlot);
        showDetail(detail);
        return;
    }
    m_queries->run(
        DetailSlot, this,
        [detail](RecordStore &store) mutable {
            detail.events = store.launchEvents(detail.task);
            if (detail.needsConfirmation)
                detail.attempts = store.launchAttempts(detail.task);
            return detail;
        },
        [this](const TaskDetail &read) { showDetail(read); });
}

void QueueView::showDetail(const TaskDetail &detail)
{
    if (detail.task != selectedTask())
        return; // the selection moved on; its own read follows
    showEvents(detail.task, detail.events);
    if (detail.needsConfirmation)
        m_confirmation->setEvidence(detail.task, detail.attempts);
    m_confirmation->setVisible(detail.needsConfirmation);
}

void QueueView::showEvents(const QString &task, const QList<LaunchEvent> &events)
{
    // Events are only appended: the same task with as many events leaves the list (and where
    // the reader scrolled it) alone.
    if (task == m_eventsTask && events.size() == m_events->topLevelItemCount())
        return;
    m_eventsTask = task;
    m_events->clear();
    QList<QTreeWidgetItem *> items;
    for (const LaunchEvent &e : events) {
        auto *item = new QTreeWidgetItem(
            {e.at.toUTC().toString(Qt::ISODate), e.fromState, e.toState, e.reason});
        item->setToolTip(3, e.reason);
        items << item;
    }
    m_events->addTopLevelItems(items);
}

void QueueView::setControlsAllowed(bool allowed, const QString &why)
{
    m_controlsAllowed = allowed;
    m_notAllowed = why;
    updateButtons();
}

void QueueView::updateButtons()
{
    // While a change is written the buttons wait for its outcome.
    const bool writing = m_queries->isWriting();
    const bool selected = hasStore() && !selectedTask().isEmpty();
    for (QPushButton *button : std::as_const(m_buttons)) {
        button->setEnabled(selected && !writing && m_controlsAllowed);
        button->setToolTip(m_controlsAllowed ? QString() : m_notAllowed);
    }
    m_confirmation->setAnswering(writing);
}

QString QueueView::budgetText() const
{
    return m_budget->text();
}

QString QueueView::statusText() const
{
    return m_status->text();
}

void QueueView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    poll();
    m_refresh.start();
}

void QueueView::hideEvent(QHideEvent *event)
{
    m_refresh.stop();
    QWidget::hideEvent(event);
}

} // namespace Tasktrail
