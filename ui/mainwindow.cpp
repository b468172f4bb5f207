#include "mainwindow.h"

#include "campaignview.h"
#include "chainpanel.h"
#include "dropfiles.h"
#include "importcontroller.h"
#include "importprogress.h"
#include "issuesmodel.h"
#include "issuespanel.h"
#include "runsmodel.h"
#include "searchview.h"
#include "store/recordstore.h"

#include <QAction>
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
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Each keystroke would otherwise cost a count and a page over the whole table.
constexpr int filterDelayMs = 200;
// selectTask() loads pages until it finds the row, but no further than this: on a huge
// database the chain is shown either way and the table need not be read to its end.
constexpr int maxPagesToFindTask = 64;
constexpr int statusMessageMs = 10000;

} // namespace

MainWindow::MainWindow()
    : m_model(new RunsModel(this))
    , m_filterTimer(new QTimer(this))
{
    setWindowTitle(tr("Tasktrail"));
    createWidgets();

    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(filterDelayMs);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filterTimer, &QTimer::timeout, this, &MainWindow::applyFilter);
    connect(m_filterEdit, &QLineEdit::returnPressed, this, &MainWindow::applyFilter);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::showCurrentTask);
    // A reset drops the selection without a currentRowChanged that says so.
    connect(m_model, &QAbstractItemModel::modelReset, m_chainPanel, &ChainPanel::clear);
    connect(m_model, &RunsModel::totalCountChanged, this, &MainWindow::updateTaskCount);

    updateTaskCount(0);
    createMenus();
    resize(1200, 800);
}

MainWindow::~MainWindow()
{
    // The views keep a plain pointer to the store; detach them before the store goes.
    m_model->setStore(nullptr);
    m_campaignView->setStore(nullptr);
}

void MainWindow::createWidgets()
{
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_filterEdit = new QLineEdit(central);
    m_filterEdit->setObjectName(u"filterEdit"_s);
    m_filterEdit->setPlaceholderText(tr("Filter by task, repository, requester or prompt"));
    m_filterEdit->setClearButtonEnabled(true);
    layout->addWidget(m_filterEdit);

    auto *splitter = new QSplitter(Qt::Vertical, central);
    m_table = new QTableView(splitter);
    m_table->setObjectName(u"runsTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    configureColumns();
    m_chainPanel = new ChainPanel(splitter);
    m_chainPanel->setObjectName(u"chainPanel"_s);
    splitter->addWidget(m_table);
    splitter->addWidget(m_chainPanel);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"viewTabs"_s);
    m_tabs->addTab(central, tr("&Runs"));
    setCentralWidget(m_tabs);
    createViews();

    m_countLabel = new QLabel(statusBar());
    m_countLabel->setObjectName(u"taskCountLabel"_s);
    statusBar()->addPermanentWidget(m_countLabel);
}

void MainWindow::createViews()
{
    m_campaignView = new CampaignView(m_tabs);
    m_campaignView->setObjectName(u"campaignView"_s);
    m_tabs->addTab(m_campaignView, tr("&Campaigns"));
    connect(m_campaignView, &CampaignView::taskActivated, this, &MainWindow::showTaskFromView);

    m_searchView = new SearchView(m_tabs);
    m_searchView->setObjectName(u"searchView"_s);
    m_tabs->addTab(m_searchView, tr("&Search"));
    connect(m_searchView, &SearchView::hitActivated, this,
            [this](const QString &taskId, int, qint64) { showTaskFromView(taskId); });

    m_issuesPanel = new IssuesPanel(this);
    auto *dock = new QDockWidget(tr("Issues"), this);
    dock->setObjectName(u"issuesDock"_s);
    dock->setWidget(m_issuesPanel);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();

    m_import = new ImportController(this);
    statusBar()->addWidget(new ImportProgress(m_import, statusBar()));
    connect(m_import, &ImportController::issueFound, m_issuesPanel->model(), &IssuesModel::append);
    connect(m_import, &ImportController::issueFound, dock, &QWidget::show);
    connect(m_import, &ImportController::finished, this,
            [this](const IngestCounts &counts, bool cancelled, const QString &error) {
                m_model->reload();
                m_campaignView->reload();
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
    m_tabs->setCurrentIndex(0);
    selectTask(id);
}

bool MainWindow::importFiles(const QStringList &paths)
{
    if (!m_store || paths.isEmpty()) {
        statusBar()->showMessage(tr("Open a database before importing files."), statusMessageMs);
        return false;
    }
    return m_import->start(m_store->location(), paths);
}

void MainWindow::chooseImportFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import Files"), QString(),
        tr("Records, GitHub JSON and logs (*.jsonl *.json *.log *.txt);;All files (*)"));
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

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *open = fileMenu->addAction(tr("&Open Database…"));
    open->setObjectName(u"openDatabaseAction"_s);
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, &MainWindow::chooseDatabase);
    QAction *import = fileMenu->addAction(tr("&Import Files…"));
    import->setObjectName(u"importFilesAction"_s);
    import->setShortcut(Qt::CTRL | Qt::Key_I);
    connect(import, &QAction::triggered, this, &MainWindow::chooseImportFiles);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"));
    quit->setObjectName(u"quitAction"_s);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::chooseDatabase()
{
    const QString dir = m_store ? QFileInfo(m_store->location()).absolutePath() : QString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Database"), dir, tr("Tasktrail databases (*.db *.sqlite);;All files (*)"));
    if (!path.isEmpty())
        openDatabase(path);
}

bool MainWindow::openDatabase(const QString &path)
{
    QString error;
    std::unique_ptr<RecordStore> store = openStore(path, &error);
    if (!store) {
        statusBar()->showMessage(
            tr("Cannot open %1: %2").arg(QDir::toNativeSeparators(path), error), statusMessageMs);
        return false;
    }
    // The previous store lives until the model has moved over to the new one.
    const std::unique_ptr<RecordStore> previous = std::exchange(m_store, std::move(store));
    m_model->setStore(m_store.get());
    m_campaignView->setStore(m_store.get());
    m_searchView->setDatabasePath(m_store->location());
    setWindowFilePath(path);
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), statusMessageMs);
    return true;
}

void MainWindow::applyFilter()
{
    m_filterTimer->stop();
    const QString text = m_filterEdit->text().trimmed();
    if (text == m_model->filter().text)
        return;
    TaskFilter filter = m_model->filter();
    filter.text = text;
    m_model->setFilter(filter);
}

void MainWindow::selectTask(const QString &id)
{
    if (!m_store) {
        statusBar()->showMessage(tr("No database is open."), statusMessageMs);
        return;
    }
    int row = m_model->rowOfTask(id);
    for (int page = 0; row < 0 && page < maxPagesToFindTask && m_model->canFetchMore({}); ++page) {
        m_model->fetchMore({});
        row = m_model->rowOfTask(id);
    }
    if (row >= 0) {
        m_table->selectRow(row);
        m_table->scrollTo(m_model->index(row, RunsModel::TaskColumn));
        return; // currentRowChanged shows the chain
    }
    m_table->selectionModel()->clear();
    if (const std::optional<TaskChain> chain = m_store->taskChain(id)) {
        m_chainPanel->showChain(*chain);
        statusBar()->showMessage(
            tr("Task %1 is not in the table under the current filter.").arg(id), statusMessageMs);
    } else {
        m_chainPanel->showMissingTask(id);
        statusBar()->showMessage(tr("No task %1 in this database.").arg(id), statusMessageMs);
    }
}

void MainWindow::showCurrentTask(const QModelIndex &current)
{
    if (!current.isValid() || !m_store) {
        m_chainPanel->clear();
        return;
    }
    const QString id = current.data(RunsModel::TaskIdRole).toString();
    if (const std::optional<TaskChain> chain = m_store->taskChain(id))
        m_chainPanel->showChain(*chain);
    else
        m_chainPanel->showMissingTask(id);
}

void MainWindow::updateTaskCount(qint64 count)
{
    if (!m_store) {
        m_countLabel->setText(tr("No database"));
        return;
    }
    m_countLabel->setText(count == 1 ? tr("1 task") : tr("%L1 tasks").arg(count));
}

} // namespace Tasktrail
