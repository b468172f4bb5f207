#include "mainwindow.h"

#include "appicon.h"
#include "asyncquery.h"
#include "campaignlistmodel.h"
#include "campaignview.h"
#include "chainpanel.h"
#include "compareview.h"
#include "desklayout.h"
#include "dropfiles.h"
#include "exportdialog.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "importcontroller.h"
#include "importprogress.h"
#include "issuesmodel.h"
#include "issuespanel.h"
#include "launchdialog.h"
#include "logpanel.h"
#include "navigationhistory.h"
#include "overviewview.h"
#include "policylibraryview.h"
#include "queueview.h"
#include "runsfilterbar.h"
#include "runsmodel.h"
#include "searchview.h"
#include "settings.h"
#include "store/pgconnection.h"
#include "store/recordstore.h"
#include "syncdialog.h"
#include "taskview.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

constexpr int statusMessageMs = 10000;

enum Tab
{
    OverviewTab,
    RunsTab,
    CampaignsTab,
    SearchTab,
    FindingsTab,
    PoliciesTab,
    QueueTab,
};

} // namespace

MainWindow::MainWindow(std::unique_ptr<Settings> settings)
    : m_settings(settings ? std::move(settings) : std::make_unique<Settings>())
    , m_opener(
          std::make_unique<WorkerThread<QObject>>(std::make_unique<QObject>(), u"database open"_s))
    , m_model(new RunsModel(this))
    , m_history(new NavigationHistory(this))
    , m_chainQueries(new AsyncQuery(this))
{
    setWindowTitle(tr("Tasktrail"));
    setWindowIcon(applicationIcon());
    createWidgets();
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::loadCurrentView);

    connect(m_filterBar, &RunsFilterBar::filterChanged, m_model, &RunsModel::setFilter);
    connect(m_model, &RunsModel::facetValuesChanged, m_filterBar, &RunsFilterBar::setFacetValues);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showCurrentTask);
    // The current row's page arrived (Ctrl+End, a scrollbar drag): its task is known now.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &first, const QModelIndex &last) {
                const QModelIndex current = m_table->selectionModel()->currentIndex();
                if (current.isValid() && current.row() >= first.row() &&
                    current.row() <= last.row())
                    showCurrentTask(current);
            });
    // A new filter or an import resets the table; the task on screen stays, and its row is
    // selected again once the count says whether the filter still holds it.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_pendingTask.isEmpty())
            m_pendingTask = shownTask();
    });
    connect(m_model, &RunsModel::totalCountChanged, this, &MainWindow::onTotalCountChanged);
    connect(m_model, &RunsModel::taskLocated, this, &MainWindow::onTaskLocated);
    connect(m_model, &RunsModel::errorOccurred, this,
            [this](const QString &message) { statusBar()->showMessage(message, statusMessageMs); });
    connect(m_taskView, &TaskView::taskRequested, this, &MainWindow::selectTask);

    onTotalCountChanged(0);
    createMenus();
    createLaunchMenu();
    resize(1280, 800);
    m_desk->restore();
    restoreViewLayouts();
}

MainWindow::~MainWindow()
{
    // An open under way finishes first; what it would have handed over is dropped with the
    // window's posted events.
    m_opener->stop();
    // The views keep a plain pointer to the store; detach them before the store goes.
    m_model->setStore(nullptr);
    m_overviewView->setStore(nullptr);
    m_campaignView->setStore(nullptr);
    m_findingsView->setStore(nullptr);
    m_policyView->setStore(nullptr);
    m_queueView->setStore(nullptr);
    m_taskView->setStore(nullptr);
}

void MainWindow::createWidgets()
{
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"viewTabs"_s);
    m_tabs->addTab(createRunsTab(), tr("&Runs"));
    setCentralWidget(m_tabs);
    m_desk = new DeskLayout(this, m_table, m_runsSplitter, m_taskView, *m_settings);
    createViews();
    createDocks();

    m_countLabel = new QLabel(statusBar());
    m_countLabel->setObjectName(u"taskCountLabel"_s);
    statusBar()->addPermanentWidget(m_countLabel);
    m_roleLabel = new QLabel(statusBar());
    m_roleLabel->setObjectName(u"roleLabel"_s);
    statusBar()->addPermanentWidget(m_roleLabel);
}

QWidget *MainWindow::createRunsTab()
{
    auto *runs = new QWidget(this);
    auto *layout = new QVBoxLayout(runs);
    m_filterBar = new RunsFilterBar(runs);
    m_filterBar->setObjectName(u"filterBar"_s);
    layout->addWidget(m_filterBar);

    m_runsSplitter = new QSplitter(Qt::Vertical, runs);
    m_runsSplitter->setObjectName(u"runsSplitter"_s);
    m_table = new QTableView(m_runsSplitter);
    m_table->setObjectName(u"runsTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Two runs can be selected to compare them; the current row is the one shown.
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    configureColumns();
    configureSorting();
    m_taskView = new TaskView(m_runsSplitter);
    m_taskView->setObjectName(u"taskView"_s);
    m_runsSplitter->addWidget(m_table);
    m_runsSplitter->addWidget(m_taskView);
    m_runsSplitter->setChildrenCollapsible(false);
    layout->addWidget(m_runsSplitter, 1);
    return runs;
}

void MainWindow::createViews()
{
    // First: how agent work is going. A bar opens the runs or findings it counts.
    m_overviewView = new OverviewView(m_tabs);
    m_overviewView->setObjectName(u"overviewView"_s);
    m_tabs->insertTab(OverviewTab, m_overviewView, tr("&Overview"));
    connect(m_overviewView, &OverviewView::runsRequested, this, [this](const TaskFilter &filter) {
        m_filterBar->setFilter(filter);
        m_tabs->setCurrentIndex(RunsTab);
    });
    connect(m_overviewView, &OverviewView::findingsRequested, this,
            [this](const FindingFilter &filter) {
                m_tabs->setCurrentIndex(FindingsTab);
                m_findingsView->setFilter(filter);
            });

    m_campaignView = new CampaignView(m_tabs);
    m_campaignView->setObjectName(u"campaignView"_s);
    m_tabs->addTab(m_campaignView, tr("&Campaigns"));
    connect(m_campaignView, &CampaignView::taskActivated, this, &MainWindow::showTaskFromView);
    connect(m_campaignView, &CampaignView::compareRequested, this, &MainWindow::compareRuns);

    m_searchView = new SearchView(m_tabs);
    m_searchView->setObjectName(u"searchView"_s);
    m_tabs->addTab(m_searchView, tr("&Search"));
    connect(m_searchView, &SearchView::hitActivated, this, &MainWindow::openTaskLog);
    connect(m_searchView, &SearchView::transcriptHitActivated, this,
            &MainWindow::openTaskTranscript);

    m_findingsView = new FindingsView(m_tabs);
    m_findingsView->setObjectName(u"findingsView"_s);
    m_tabs->addTab(m_findingsView, tr("F&indings"));
    connect(m_findingsView, &FindingsView::findingActivated, this, &MainWindow::openEvidence);
    if (const auto column = FindingsModel::sortColumnOf(m_settings->findingsSortColumn.value()))
        m_findingsView->setFindingSort({*column, m_settings->findingsSortDescending.value()});
    connect(m_findingsView->model(), &FindingsModel::findingSortChanged, this,
            [this](const FindingSort &sort) {
                m_settings->findingsSortColumn.setValue(FindingsModel::sectionOf(sort.column));
                m_settings->findingsSortDescending.setValue(sort.descending);
            });

    m_policyView = new PolicyLibraryView(m_tabs);
    m_policyView->setObjectName(u"policyLibraryView"_s);
    m_tabs->addTab(m_policyView, tr("&Policies"));
    connect(m_taskView, &TaskView::documentRequested, this,
            [this](PolicyDocument::Kind kind, const QString &id, const QString &version) {
                m_tabs->setCurrentIndex(PoliciesTab);
                m_policyView->showDocument(kind, id, version);
            });
    connect(m_policyView, &PolicyLibraryView::documentNotFound, this,
            [this](PolicyDocument::Kind, const QString &id, const QString &version) {
                statusBar()->showMessage(
                    tr("%1@%2 is not on file: load its file to review it.").arg(id, version),
                    statusMessageMs);
            });

    m_queueView = new QueueView(m_tabs);
    m_queueView->setObjectName(u"queueView"_s);
    m_tabs->addTab(m_queueView, tr("&Queue"));
    connect(m_queueView, &QueueView::taskActivated, this, &MainWindow::showTaskFromView);
}

void MainWindow::openEvidence(const Finding &finding)
{
    showTaskFromView(finding.taskId);
    whenTaskShown(finding.taskId, [this, finding] {
        m_desk->reveal(m_desk->detailDock());
        m_taskView->showEvidence(finding);
    });
}

void MainWindow::openLink(const TasktrailLink &link)
{
    if (!m_store) {
        statusBar()->showMessage(tr("No database is open for %1.").arg(toUrl(link)),
                                 statusMessageMs);
        return;
    }
    const QString id = link.id;
    switch (link.kind) {
    case TasktrailLink::Kind::Task:
        showTaskFromView(id);
        return;
    case TasktrailLink::Kind::Campaign: {
        m_tabs->setCurrentIndex(CampaignsTab);
        const auto show = [this, id] {
            if (!m_campaignView->showCampaign(id))
                statusBar()->showMessage(tr("No campaign %1 in this database.").arg(id),
                                         statusMessageMs);
        };
        // A list still being read (the tab was just shown) is looked in once it is read.
        if (m_campaignView->isLoading() && m_campaignView->campaignsModel()->rowCount() == 0)
            connect(m_campaignView, &CampaignView::campaignsLoaded, this, show,
                    Qt::SingleShotConnection);
        else
            show();
        return;
    }
    case TasktrailLink::Kind::Finding:
        // Slot 1 of the chain's queries: a newer link's lookup supersedes an older one.
        m_chainQueries->run(
            1, this,
            [row = id.toLongLong()](RecordStore &store) { return store.storedFinding(row); },
            [this, id](const std::optional<StoredFinding> &stored) {
                if (stored)
                    openEvidence(stored->finding);
                else
                    statusBar()->showMessage(tr("No finding %1 in this database.").arg(id),
                                             statusMessageMs);
            });
        return;
    }
}

void MainWindow::createDocks()
{
    m_summary = new ChainPanel(this);
    m_summary->setObjectName(u"chainPanel"_s);
    m_summaryDock = new QDockWidget(tr("Chain Summary"), this);
    m_summaryDock->setObjectName(u"summaryDock"_s);
    m_summaryDock->setWidget(m_summary);
    addDockWidget(Qt::RightDockWidgetArea, m_summaryDock);
    m_summaryDock->hide();

    m_issuesPanel = new IssuesPanel(this);
    m_issuesDock = new QDockWidget(tr("Issues"), this);
    m_issuesDock->setObjectName(u"issuesDock"_s);
    m_issuesDock->setWidget(m_issuesPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_issuesDock);
    m_issuesDock->hide();

    m_import = new ImportController(this);
    statusBar()->addWidget(new ImportProgress(m_import, statusBar()));
    connect(m_import, &ImportController::issueFound, m_issuesPanel->model(), &IssuesModel::append);
    connect(m_import, &ImportController::issueFound, m_issuesDock, &QWidget::show);
    connect(m_import, &ImportController::finished, this,
            [this](const IngestCounts &counts, bool cancelled, const QString &error) {
                m_model->reload();
                markViewsStale({m_overviewView, m_campaignView, m_findingsView, m_policyView});
                const QString summary = tr("%1 ingested, %2 duplicates, %3 rejected")
                                            .arg(counts.ingested)
                                            .arg(counts.duplicates)
                                            .arg(counts.rejected);
                statusBar()->showMessage(!error.isEmpty() ? tr("Import failed: %1").arg(error)
                                         : cancelled      ? tr("Import cancelled; %1").arg(summary)
                                                          : tr("Import done: %1").arg(summary),
                                         statusMessageMs);
            });
    setAcceptDrops(true);
}

void MainWindow::showTaskFromView(const QString &id)
{
    m_tabs->setCurrentIndex(RunsTab);
    selectTask(id);
}

void MainWindow::openTaskLog(const QString &id, int seq, qint64 lineNo)
{
    showTaskFromView(id);
    if (seq <= 0)
        return;
    whenTaskShown(id, [this, id, seq, lineNo] {
        m_desk->reveal(m_desk->logDock());
        if (!m_taskView->openLog(seq, lineNo))
            statusBar()->showMessage(tr("Task %1 has no command %2.").arg(id).arg(seq),
                                     statusMessageMs);
    });
}

void MainWindow::openTaskTranscript(const QString &id, const TranscriptPosition &position)
{
    showTaskFromView(id);
    whenTaskShown(id, [this, position] {
        m_desk->reveal(m_desk->detailDock());
        m_taskView->openTranscript(position);
    });
}

bool MainWindow::importFiles(const QStringList &paths)
{
    if (!m_store || paths.isEmpty()) {
        statusBar()->showMessage(tr("Open a database before importing files."), statusMessageMs);
        return false;
    }
    if (!m_capabilities.ingest) { // a drop, while the import action is disabled
        statusBar()->showMessage(m_capabilities.whyNot(), statusMessageMs);
        return false;
    }
    return m_import->start(m_store->location(), paths);
}

void MainWindow::chooseImportFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import Files"), m_settings->lastImportDir.value(),
        tr("Records, GitHub JSON and logs (*.jsonl *.json *.log *.txt);;All files (*)"));
    if (!files.isEmpty())
        m_settings->lastImportDir.setValue(QFileInfo(files.constFirst()).absolutePath());
    importFiles(files);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!localFilesFromMimeData(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    if (importFiles(localFilesFromMimeData(event->mimeData())))
        event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_desk->save();
    saveViewLayouts();
    QMainWindow::closeEvent(event);
}

void MainWindow::configureColumns()
{
    // Fixed row heights: the view never asks a million rows for their size.
    QHeaderView *rows = m_table->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);

    QHeaderView *columns = m_table->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setStretchLastSection(true);
    // Widths from what the columns hold, not from the loaded rows, which change as pages load.
    const auto widthOf = [this](const QString &sample) {
        return fontMetrics().horizontalAdvance(sample) + 24;
    };
    columns->resizeSection(RunsModel::TaskColumn, widthOf(u"task-00000000"_s));
    columns->resizeSection(RunsModel::RepositoryColumn, widthOf(u"owner/repository"_s));
    columns->resizeSection(RunsModel::StateColumn, widthOf(tr("Waiting for user")));
    columns->resizeSection(RunsModel::IdentityColumn, widthOf(u"agent (fine-grained PAT)"_s));
    columns->resizeSection(RunsModel::PullRequestColumn, widthOf(tr("#%1 (merged)").arg(9999)));
    columns->resizeSection(RunsModel::StartedColumn, widthOf(u"2026-12-31T23:59:59+14:00"_s));
}

void MainWindow::configureSorting()
{
    // The order chosen last time, before the first read: a header click sorts in SQL.
    if (const auto column = RunsModel::sortColumnOf(m_settings->runsSortColumn.value()))
        m_model->setTaskSort({*column, m_settings->runsSortDescending.value()});
    QHeaderView *header = m_table->horizontalHeader();
    const auto indicateSort = [this, header] {
        const TaskSort &sort = m_model->taskSort();
        const QSignalBlocker quiet(header);
        header->setSortIndicator(RunsModel::sectionOf(sort.column),
                                 sort.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    };
    indicateSort();
    m_table->setSortingEnabled(true);
    // Requester and identity cannot be sorted: a click on them leaves the order as it was.
    connect(header, &QHeaderView::sortIndicatorChanged, this, indicateSort);
    connect(m_model, &RunsModel::taskSortChanged, this, [this](const TaskSort &sort) {
        m_settings->runsSortColumn.setValue(RunsModel::sectionOf(sort.column));
        m_settings->runsSortDescending.setValue(sort.descending);
    });
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *open = fileMenu->addAction(tr("&Open Database…"));
    open->setObjectName(u"openDatabaseAction"_s);
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, &MainWindow::chooseDatabase);
    m_recentMenu = fileMenu->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(u"recentMenu"_s);
    updateRecentMenu();
    QAction *import = m_importAction = fileMenu->addAction(tr("&Import Files…"));
    import->setObjectName(u"importFilesAction"_s);
    import->setShortcut(Qt::CTRL | Qt::Key_I);
    connect(import, &QAction::triggered, this, &MainWindow::chooseImportFiles);
    QAction *sync = m_syncAction = fileMenu->addAction(tr("Sync from &GitHub…"));
    sync->setObjectName(u"syncGitHubAction"_s);
    connect(sync, &QAction::triggered, this, &MainWindow::syncFromGitHub);
    addExportAction(fileMenu);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"));
    quit->setObjectName(u"quitAction"_s);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    createEditMenu();

    QMenu *goMenu = menuBar()->addMenu(tr("&Go"));
    m_backAction = goMenu->addAction(tr("&Back"));
    m_backAction->setObjectName(u"backAction"_s);
    m_backAction->setShortcut(QKeySequence::Back);
    connect(m_backAction, &QAction::triggered, this, &MainWindow::goBack);
    m_forwardAction = goMenu->addAction(tr("&Forward"));
    m_forwardAction->setObjectName(u"forwardAction"_s);
    m_forwardAction->setShortcut(QKeySequence::Forward);
    connect(m_forwardAction, &QAction::triggered, this, &MainWindow::goForward);
    const auto updateHistoryActions = [this] {
        m_backAction->setEnabled(m_history->canGoBack());
        m_forwardAction->setEnabled(m_history->canGoForward());
    };
    connect(m_history, &NavigationHistory::changed, this, updateHistoryActions);
    updateHistoryActions();
    goMenu->addSeparator();
    QAction *filter = goMenu->addAction(tr("&Filter Runs"));
    filter->setObjectName(u"filterRunsAction"_s);
    filter->setShortcut(Qt::CTRL | Qt::Key_L);
    connect(filter, &QAction::triggered, this, &MainWindow::focusFilter);
    QAction *search = goMenu->addAction(tr("&Search Everything"));
    search->setObjectName(u"searchAction"_s);
    search->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_F);
    connect(search, &QAction::triggered, this, &MainWindow::focusSearch);
    QAction *compare = goMenu->addAction(tr("&Compare Selected Runs"));
    compare->setObjectName(u"compareRunsAction"_s);
    // Ctrl+Shift+C is Edit > Copy Link; D for the diff of two runs.
    compare->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_D);
    connect(compare, &QAction::triggered, this, &MainWindow::compareSelectedRuns);
    goMenu->addSeparator();
    // The log panel's error jumps work from anywhere in the window, not only inside the log.
    for (QAction *action : {m_taskView->logPanel()->nextErrorAction(),
                            m_taskView->logPanel()->previousErrorAction()}) {
        action->setShortcutContext(Qt::WindowShortcut);
        goMenu->addAction(action);
    }

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addActions(m_desk->toggleActions());
    for (QDockWidget *dock : {m_summaryDock, m_issuesDock})
        viewMenu->addAction(dock->toggleViewAction());
}

void MainWindow::createLaunchMenu()
{
    QMenu *launchMenu = menuBar()->addMenu(tr("&Launch"));
    QAction *launch = m_launchAction = launchMenu->addAction(tr("&Launch Tasks…"));
    launch->setObjectName(u"launchTasksAction"_s);
    launch->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_L);
    connect(launch, &QAction::triggered, this, &MainWindow::launchTasks);
}

void MainWindow::launchTasks()
{
    if (!m_store) {
        statusBar()->showMessage(tr("Open a database before launching tasks."), statusMessageMs);
        return;
    }
    auto *dialog = new LaunchDialog(*m_store, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const LaunchSubmission &launched = dialog->submission();
        m_model->reload();
        markViewsStale({m_campaignView, m_queueView});
        m_tabs->setCurrentIndex(QueueTab);
        statusBar()->showMessage(
            launched.existing ? tr("Already launched as campaign %1.").arg(launched.campaignId)
                              : tr("Launched campaign %1: %Ln task(s) queued.", nullptr,
                                   int(launched.taskIds.size()))
                                    .arg(launched.campaignId),
            statusMessageMs);
    });
    dialog->open();
}

void MainWindow::syncFromGitHub()
{
    if (!m_store) {
        statusBar()->showMessage(tr("Open a database before syncing."), statusMessageMs);
        return;
    }
    auto *dialog = new SyncDialog(m_store->location(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SyncDialog::synced, this,
            [this](const GitHubSyncSummary &summary, const QString &error) {
                m_model->reload();
                m_campaignView->reload();
                m_findingsView->reload();
                statusBar()->showMessage(error.isEmpty()
                                             ? tr("Synced from GitHub: %1").arg(summary.toString())
                                             : tr("Sync from GitHub: %1").arg(error),
                                         statusMessageMs);
            });
    dialog->open();
}

void MainWindow::compareSelectedRuns()
{
    QStringList ids;
    for (const QModelIndex &row : m_table->selectionModel()->selectedRows(RunsModel::TaskColumn))
        ids << row.data(RunsModel::TaskIdRole).toString();
    ids.removeAll(QString()); // a row whose page is still being read
    if (!m_store || ids.size() != 2) {
        statusBar()->showMessage(tr("Select two runs to compare them (Ctrl+click the second)."),
                                 statusMessageMs);
        return;
    }
    // The run picked first is A; the current row, picked last, is B.
    if (ids.constFirst() == m_table->currentIndex().data(RunsModel::TaskIdRole).toString())
        ids.swapItemsAt(0, 1);
    compareRuns(ids.at(0), ids.at(1));
}

void MainWindow::compareRuns(const QString &taskA, const QString &taskB)
{
    if (!m_store)
        return;
    auto *view = new CompareView(this);
    view->setWindowFlag(Qt::Window);
    view->setAttribute(Qt::WA_DeleteOnClose);
    view->setDatabase(m_store->location());
    keepCompareLayout(view);
    connect(view, &CompareView::taskRequested, this, [this](const QString &id) {
        showTaskFromView(id);
        activateWindow();
    });
    connect(view, &CompareView::commandLogRequested, this, [this](const QString &id, int seq) {
        openTaskLog(id, seq, 1);
        activateWindow();
    });
    view->compare(taskA, taskB);
    view->resize(size() * 9 / 10);
    view->show();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_settings->recentDatabases.value();
    for (const QString &path : recent) {
        QAction *action = m_recentMenu->addAction(QDir::toNativeSeparators(path));
        connect(action, &QAction::triggered, this, [this, path] {
            openDatabase(path, [this, path](bool opened) {
                if (!opened) {
                    m_settings->removeRecentDatabase(path);
                    updateRecentMenu();
                }
            });
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::focusFilter()
{
    m_tabs->setCurrentIndex(RunsTab);
    auto *text = m_filterBar->findChild<QLineEdit *>(u"filterText"_s);
    text->setFocus(Qt::ShortcutFocusReason);
    text->selectAll();
}

void MainWindow::focusSearch()
{
    m_tabs->setCurrentIndex(SearchTab);
    auto *box = m_searchView->findChild<QLineEdit *>(u"searchBox"_s);
    box->setFocus(Qt::ShortcutFocusReason);
    box->selectAll();
}

void MainWindow::chooseDatabase()
{
    // Beside the open file; a team database is in no directory.
    const QString dir = m_store && !isPostgresLocation(m_store->location())
                            ? QFileInfo(m_store->location()).absolutePath()
                            : QString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Database"), dir, tr("Tasktrail databases (*.db *.sqlite);;All files (*)"));
    if (!path.isEmpty())
        openDatabase(path);
}

void MainWindow::addExportAction(QMenu *menu)
{
    QAction *action = menu->addAction(tr("&Export Report…"));
    action->setObjectName(u"exportReportAction"_s);
    action->setShortcut(Qt::CTRL | Qt::Key_E);
    connect(action, &QAction::triggered, this, [this] { exportReport(); });
}

ExportDialog *MainWindow::exportReport()
{
    if (!m_store) {
        statusBar()->showMessage(tr("Open a database to export a report"), statusMessageMs);
        return nullptr;
    }
    auto *dialog = new ExportDialog(m_store->location(), m_model->filter(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

void MainWindow::openDatabase(const QString &path, std::function<void(bool)> then)
{
    const quint64 generation = ++m_openRequested;
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    // `this` outlives the job: the destructor stops the thread before anything else goes.
    m_opener->post([this, generation, path, then = std::move(then)](QObject &) mutable {
        if (generation != m_openRequested.load())
            return; // superseded before it started: the file is not touched
        QString error;
        std::unique_ptr<RecordStore> store = openStore(path, &error);
        QMetaObject::invokeMethod(
            this,
            [this, generation, path, store = std::move(store), error,
             then = std::move(then)]() mutable {
                adoptStore(generation, path, std::move(store), error, then);
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::closeOnWorker(std::unique_ptr<RecordStore> store)
{
    if (store)
        m_opener->post([held = std::move(store)](QObject &) mutable { held.reset(); });
}

void MainWindow::adoptStore(quint64 generation, const QString &path,
                            std::unique_ptr<RecordStore> store, const QString &error,
                            const std::function<void(bool)> &then)
{
    if (generation != m_openRequested.load()) {
        closeOnWorker(std::move(store)); // a newer open superseded this one
        return;
    }
    m_openFinished = generation;
    if (!store) {
        statusBar()->showMessage(
            tr("Cannot open %1: %2").arg(QDir::toNativeSeparators(path), error), statusMessageMs);
        if (then)
            then(false);
        return;
    }
    // The previous store lives until every view has moved over to the new one.
    std::unique_ptr<RecordStore> previous = std::exchange(m_store, std::move(store));
    m_pendingTask.clear();
    m_locatingTask.clear();
    m_outsideFilterTask.clear();
    m_history->clear();
    m_summary->clear();
    m_loadingChain.clear();
    m_chainQueries->setDatabase(m_store->location());
    m_taskView->setStore(m_store.get());
    m_model->setStore(m_store.get());
    // Until their tab is shown, the other views hold no database (not the previous one).
    const QList<QWidget *> views{m_overviewView, m_campaignView, m_findingsView, m_policyView,
                                 m_queueView};
    m_overviewView->setStore(nullptr);
    m_campaignView->setStore(nullptr);
    m_findingsView->setStore(nullptr);
    m_policyView->setStore(nullptr);
    m_queueView->setStore(nullptr);
    markViewsStale(views);
    m_searchView->setDatabasePath(m_store->location());
    closeOnWorker(std::move(previous));
    readCapabilities();
    setWindowFilePath(path);
    m_settings->addRecentDatabase(path);
    m_settings->lastDatabase.setValue(Settings::databaseEntry(path));
    updateRecentMenu();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), statusMessageMs);
    Q_EMIT databaseOpened(path);
    if (then)
        then(true);
}

// The role is read on the query thread, through the worker's read-write connection (the one
// its writes use). Until it is known nothing is disabled: the database refuses what the role
// may not do either way, and what was allowed before stays allowed meanwhile.
void MainWindow::readCapabilities()
{
    StoreCapabilities pending;
    pending.ingest = pending.launch = pending.editPolicies = true;
    applyCapabilities(pending);
    m_roleLabel->setText(tr("Reading the connection's role…"));
    const QString location = m_store->location();
    m_chainQueries->write(
        this, [](RecordStore &store) { return store.capabilities(); },
        [this, location](std::optional<StoreCapabilities> capabilities, const QString &error) {
            if (!m_store || m_store->location() != location)
                return; // another database was opened meanwhile
            if (!capabilities) {
                // The database cannot be opened for writing: it is read-only to this user.
                StoreCapabilities readOnly;
                readOnly.backend = isPostgresLocation(location) ? u"PostgreSQL"_s : u"SQLite"_s;
                readOnly.where = QDir::toNativeSeparators(location);
                readOnly.readOnly = true;
                capabilities = readOnly;
            }
            m_roleLabel->setToolTip(error);
            applyCapabilities(*capabilities);
        });
}

void MainWindow::applyCapabilities(const StoreCapabilities &capabilities)
{
    m_capabilities = capabilities;
    m_roleLabel->setText(capabilities.describe());
    const QString why = capabilities.whyNot();
    const auto allow = [&why](QAction *action, bool allowed, const QString &what) {
        action->setEnabled(allowed);
        action->setToolTip(allowed ? what : why);
    };
    allow(m_importAction, capabilities.ingest, m_importAction->text().remove(u'&'));
    allow(m_syncAction, capabilities.ingest, m_syncAction->text().remove(u'&'));
    allow(m_launchAction, capabilities.launch, m_launchAction->text().remove(u'&'));
    m_queueView->setControlsAllowed(capabilities.launch, why);
}

void MainWindow::selectTask(const QString &id)
{
    if (!m_store) {
        statusBar()->showMessage(tr("No database is open."), statusMessageMs);
        return;
    }
    m_pendingTask.clear();
    m_outsideFilterTask.clear();
    if (selectRowOf(id))
        return; // currentRowChanged shows the chain
    // Not in a page read so far: the chain is read at once, and the worker finds the row
    // (after the count, when the table is being counted); onTaskLocated selects it.
    m_table->selectionModel()->clear();
    showChainOf(id);
    m_locatingTask = id;
    if (m_model->isCounting())
        m_pendingTask = id;
    else
        m_model->locateTask(id);
}

void MainWindow::onTaskLocated(const QString &id, int row)
{
    const bool asked = m_locatingTask == id;
    if (asked)
        m_locatingTask.clear();
    // Only for the task still on screen, unless a row was picked meanwhile or another task
    // asked for (the one on screen after a filter change, or whose chain is being read).
    if (shownTask() != id || m_table->selectionModel()->currentIndex().isValid() ||
        !m_pendingTask.isEmpty())
        return;
    if (row < 0) {
        if (asked)
            reportOutsideFilter(id);
        return;
    }
    const QModelIndex index = m_model->index(row, RunsModel::TaskColumn);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void MainWindow::reportOutsideFilter(const QString &id)
{
    // Said once the chain is on screen: a task that is not stored at all is reported as such
    // by onChainRead instead.
    if (!m_loadingChain.isEmpty()) {
        m_outsideFilterTask = id;
        return;
    }
    if (m_taskView->taskId() == id)
        statusBar()->showMessage(
            tr("Task %1 is not in the table under the current filter.").arg(id), statusMessageMs);
}

bool MainWindow::isLoadingChain() const
{
    return !m_loadingChain.isEmpty();
}

QString MainWindow::shownTask() const
{
    return !m_loadingChain.isEmpty() ? m_loadingChain : m_taskView->taskId();
}

void MainWindow::whenTaskShown(const QString &id, std::function<void()> action)
{
    if (m_loadingChain.isEmpty() && m_taskView->taskId() == id) {
        action();
        return;
    }
    m_afterChainTask = id;
    m_afterChain = std::move(action);
}

bool MainWindow::selectRowOf(const QString &id)
{
    const int row = m_model->rowOfTask(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, RunsModel::TaskColumn);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    // Selecting the row that was already current shows nothing new; make sure it is shown.
    if (shownTask() != id)
        showChainOf(id);
    return true;
}

void MainWindow::showCurrentTask(const QModelIndex &current)
{
    const QString id = current.data(RunsModel::TaskIdRole).toString();
    if (id.isEmpty()) {
        // The row's page is still being read: the task shown before is not this row's, so
        // it goes; dataChanged brings this one when the page arrives.
        if (current.isValid() && !m_model->isRowLoaded(current.row())) {
            // A chain still being read is of the row left behind: it must not arrive beside
            // this one.
            m_chainQueries->cancel(0);
            m_loadingChain.clear();
            m_taskView->showLoading();
            m_summary->showLoading();
        }
        return;
    }
    // Re-selecting the task on screen (after a filter change) keeps the reader's place in it.
    if (!id.isEmpty() && id != shownTask())
        showChainOf(id);
}

void MainWindow::showChainOf(const QString &id)
{
    if (!m_store || id.isEmpty())
        return;
    m_loadingChain = id;
    m_chainQueries->run(
        0, this, [id](RecordStore &store) { return store.taskChainOutline(id); },
        [this, id](const std::optional<TaskChain> &chain) { onChainRead(id, chain); });
}

void MainWindow::onChainRead(const QString &id, const std::optional<TaskChain> &chain)
{
    m_loadingChain.clear();
    const bool outsideFilter = std::exchange(m_outsideFilterTask, QString()) == id;
    if (chain) {
        m_taskView->showChain(*chain);
        m_summary->showChain(*chain);
        m_history->visit(id);
        if (outsideFilter)
            reportOutsideFilter(id);
    } else {
        m_taskView->showMissingTask(id);
        m_summary->showMissingTask(id);
        statusBar()->showMessage(tr("No task %1 in this database.").arg(id), statusMessageMs);
    }
    if (m_afterChainTask == id) {
        m_afterChainTask.clear();
        if (const std::function<void()> action = std::exchange(m_afterChain, {}); chain)
            action();
    }
}

void MainWindow::markViewsStale(const QList<QWidget *> &views)
{
    for (QWidget *view : views) {
        if (!m_staleViews.contains(view))
            m_staleViews << view;
    }
    loadCurrentView();
}

void MainWindow::loadCurrentView()
{
    QWidget *current = m_tabs->currentWidget();
    if (!m_store || !m_staleViews.removeOne(current))
        return;
    if (current == m_overviewView)
        m_overviewView->setStore(m_store.get());
    else if (current == m_campaignView)
        m_campaignView->setStore(m_store.get());
    else if (current == m_findingsView)
        m_findingsView->setStore(m_store.get());
    else if (current == m_policyView)
        m_policyView->setStore(m_store.get());
    else if (current == m_queueView)
        m_queueView->setStore(m_store.get());
}

void MainWindow::goBack()
{
    const QString id = m_history->back();
    if (!id.isEmpty())
        selectTask(id);
}

void MainWindow::goForward()
{
    const QString id = m_history->forward();
    if (!id.isEmpty())
        selectTask(id);
}

void MainWindow::onTotalCountChanged(qint64 count)
{
    if (!m_store)
        m_countLabel->setText(tr("No database"));
    else
        m_countLabel->setText(count == 1 ? tr("1 task") : tr("%L1 tasks").arg(count));
    // The count arrives after a reset; the worker finds the row of a task asked for meanwhile
    // (counting index entries, which on the GUI thread would stall it on a large table).
    if (!m_pendingTask.isEmpty() && !m_model->isCounting())
        m_model->locateTask(std::exchange(m_pendingTask, QString()));
}

} // namespace Tasktrail
