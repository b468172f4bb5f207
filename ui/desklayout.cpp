#include "desklayout.h"

#include "idcolumns.h"
#include "runsmodel.h"
#include "settings.h"
#include "taskview.h"

#include <QDockWidget>
#include <QEvent>
#include <QHeaderView>
#include <QLayout>
#include <QMainWindow>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace Tasktrail {

DeskLayout::DeskLayout(QMainWindow *window, QTableView *table, QSplitter *splitter,
                       TaskView *taskView, Settings &settings)
    : QObject(window)
    , m_window(window)
    , m_table(table)
    , m_splitter(splitter)
    , m_taskView(taskView)
    , m_settings(settings)
{
    QWidget *tab = splitter->parentWidget();
    m_desk = new QMainWindow(tab);
    m_desk->setObjectName(u"runsDesk"_s);
    m_desk->setWindowFlags(Qt::Widget); // a widget in the tab, not a window of its own
    m_desk->setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    delete tab->layout()->replaceWidget(splitter, m_desk);
    m_desk->setCentralWidget(splitter);
    m_detailDock = addDock(taskView->detailPane(), tr("Chain Detail"), u"chainDetailDock"_s);
    m_logDock = addDock(taskView->logPane(), tr("Command Log"), u"commandLogDock"_s);
    m_desk->splitDockWidget(m_detailDock, m_logDock, Qt::Vertical);
    // Both panes left the task view: what stays below the table is its header and strip.
    taskView->splitter()->hide();
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    showIdsElided(table, {RunsModel::TaskColumn, RunsModel::CampaignColumn});
    taskView->installEventFilter(this);
    splitter->installEventFilter(this);
}

QDockWidget *DeskLayout::addDock(QWidget *pane, const QString &title, const QString &name)
{
    auto *dock = new QDockWidget(title, m_desk);
    dock->setObjectName(name);
    dock->setWidget(pane); // takes the pane out of the task view's splitter
    m_desk->addDockWidget(Qt::RightDockWidgetArea, dock);
    return dock;
}

void DeskLayout::reveal(QDockWidget *dock)
{
    dock->show();
    dock->raise(); // in front when tabbed with the other dock
}

QList<QAction *> DeskLayout::toggleActions() const
{
    return {m_detailDock->toggleViewAction(), m_logDock->toggleViewAction()};
}

void DeskLayout::restore()
{
    m_window->restoreGeometry(m_settings.windowGeometry.value());
    m_window->restoreState(m_settings.windowState.value());
    if (!m_desk->restoreState(m_settings.runsDeskState.value())) {
        const int width = m_window->width() * 2 / 5;
        m_desk->resizeDocks({m_detailDock, m_logDock}, {width, width}, Qt::Horizontal);
        const int half = m_window->height() / 2;
        m_desk->resizeDocks({m_detailDock, m_logDock}, {half, half}, Qt::Vertical);
    }
    m_fitStrip = !m_splitter->restoreState(m_settings.runsSplitterState.value());
    restoreHeader();
}

// The table's order is the model's (kept in its own settings as it changes); a header saved
// at the last close must not bring back an older one.
void DeskLayout::restoreHeader()
{
    QHeaderView *header = m_table->horizontalHeader();
    const int section = header->sortIndicatorSection();
    const Qt::SortOrder order = header->sortIndicatorOrder();
    auto *runs = qobject_cast<RunsModel *>(m_table->model());
    const std::optional<TaskSort> sort =
        runs ? std::optional<TaskSort>(runs->taskSort()) : std::nullopt;
    header->restoreState(m_settings.runsHeaderState.value());
    if (sort && !(runs->taskSort() == *sort))
        runs->setTaskSort(*sort);
    const QSignalBlocker quiet(header);
    header->setSortIndicator(section, order);
}

bool DeskLayout::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_splitter && event->type() == QEvent::Resize && m_fitStrip &&
        m_splitter->isVisible())
        fitStrip();
    // The task view's hints changed (a new sentence) or its width did.
    if (watched == m_taskView &&
        (event->type() == QEvent::LayoutRequest || event->type() == QEvent::Resize))
        keepChainWhole();
    return QObject::eventFilter(watched, event);
}

// The splitter's height is known only once the window is shown: until then a split would be
// scaled from a made-up height.
void DeskLayout::fitStrip()
{
    m_fitStrip = false;
    const int width = m_taskView->width();
    const int strip = m_taskView->hasHeightForWidth() ? m_taskView->heightForWidth(width)
                                                      : m_taskView->sizeHint().height();
    const int available = m_splitter->height() - m_splitter->handleWidth();
    m_splitter->setSizes({qMax(0, available - strip), strip});
}

// A splitter knows no height-for-width: a long sentence wrapped over three lines would take
// its room from the strip's cards. The pane below the table asks for the height it needs at
// its width, and the splitter takes it from the table.
void DeskLayout::keepChainWhole()
{
    // What the layout needs at least, or more with the sentence wrapped at this width.
    int need = m_taskView->minimumSizeHint().height();
    if (m_taskView->hasHeightForWidth())
        need = qMax(need, m_taskView->heightForWidth(m_taskView->width()));
    if (need > 0 && need != m_taskView->minimumHeight())
        m_taskView->setMinimumHeight(need);
}

void DeskLayout::save()
{
    m_settings.windowGeometry.setValue(m_window->saveGeometry());
    m_settings.windowState.setValue(m_window->saveState());
    m_settings.runsDeskState.setValue(m_desk->saveState());
    m_settings.runsSplitterState.setValue(m_splitter->saveState());
    m_settings.runsHeaderState.setValue(m_table->horizontalHeader()->saveState());
    m_settings.sync();
}

} // namespace Tasktrail
