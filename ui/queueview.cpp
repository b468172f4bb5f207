#include "queueview.h"

#include "confirmationpanel.h"
#include "queuemodel.h"
#include "store/recordstore.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr int refreshMs = 1000;

QString osUserName()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? qEnvironmentVariable("USERNAME") : user;
}

} // namespace

QueueView::QueueView(QWidget *parent)
    : QWidget(parent)
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
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QueueModel::LastFailureColumn,
                                                      QHeaderView::Stretch);

    m_events = new QTreeWidget(this);
    m_events->setObjectName(u"queueEvents"_s);
    m_events->setRootIsDecorated(false);
    m_events->setHeaderLabels({tr("When"), tr("From"), tr("To"), tr("Reason")});

    m_confirmation = new ConfirmationPanel(this);
    m_confirmation->hide();
    connect(m_confirmation, &ConfirmationPanel::answered, this, &QueueView::confirm);

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
    connect(&m_refresh, &QTimer::timeout, this, &QueueView::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showEvents();
        showConfirmation();
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
    m_store = store;
    m_eventsTask.clear();
    reload();
}

void QueueView::reload()
{
    const QString selected = selectedTask();
    m_model->setEntries(m_store ? m_store->queueEntries({}, true) : QList<QueueEntry>());
    if (!selected.isEmpty() && selectedTask() != selected)
        selectTask(selected);

    int running = 0;
    int queued = 0;
    int waiting = 0;
    int paused = 0;
    int unconfirmed = 0;
    for (const QueueEntry &e : m_model->entries()) {
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
    m_budget->setText(m_store ? counts : tr("No database is open."));
    showEvents();
    showConfirmation();
    updateButtons();
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
    if (!m_store || row < 0) {
        m_status->setText(tr("Select a task first."));
        return false;
    }
    const QueueEntry &entry = m_model->entry(row);
    const QueueControl::Outcome outcome = QueueControl::apply(
        *m_store, action, campaign ? QString() : entry.taskId,
        campaign ? entry.campaignId : QString(), QDateTime::currentDateTimeUtc());
    const bool changed = outcome.error.isEmpty() && !outcome.changed.isEmpty();
    if (!outcome.error.isEmpty())
        m_status->setText(outcome.error);
    else if (outcome.changed.isEmpty())
        m_status->setText(tr("Nothing to change."));
    else
        m_status->setText(outcome.changed.size() == 1
                              ? tr("1 entry changed.")
                              : tr("%L1 entries changed.").arg(outcome.changed.size()));
    reload();
    return changed;
}

bool QueueView::confirm(const QString &taskId, const QString &remoteId)
{
    if (!m_store) {
        m_status->setText(tr("No database is open."));
        return false;
    }
    const QueueControl::Outcome outcome = QueueControl::confirm(
        *m_store, taskId, remoteId, osUserName(), QDateTime::currentDateTimeUtc());
    if (!outcome.error.isEmpty())
        m_status->setText(outcome.error);
    else if (remoteId.isEmpty())
        m_status->setText(
            tr("%1: confirmed not created; the next attempt creates it once more.").arg(taskId));
    else
        m_status->setText(
            tr("%1: confirmed as task %2 at GitHub; the queue follows it.").arg(taskId, remoteId));
    reload();
    return outcome.error.isEmpty();
}

void QueueView::showConfirmation()
{
    const int row = m_model->rowOfTask(selectedTask());
    const bool needed =
        m_store && row >= 0 && m_model->entry(row).state == QueueState::NeedsConfirmation;
    if (needed)
        m_confirmation->setEvidence(selectedTask(), m_store->launchAttempts(selectedTask()));
    m_confirmation->setVisible(needed);
}

void QueueView::showEvents()
{
    const QString task = selectedTask();
    const QList<LaunchEvent> events =
        m_store && !task.isEmpty() ? m_store->launchEvents(task) : QList<LaunchEvent>();
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

void QueueView::updateButtons()
{
    const bool selected = m_store && !selectedTask().isEmpty();
    for (QPushButton *button : std::as_const(m_buttons))
        button->setEnabled(selected);
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
    reload();
    m_refresh.start();
}

void QueueView::hideEvent(QHideEvent *event)
{
    m_refresh.stop();
    QWidget::hideEvent(event);
}

} // namespace Tasktrail
