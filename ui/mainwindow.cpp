#include "mainwindow.h"

#include "chainpanel.h"
#include "runsmodel.h"
#include "store/recordstore.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
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
    // The model keeps a plain pointer to the store; detach it before the store goes.
    m_model->setStore(nullptr);
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
    setCentralWidget(central);

    m_countLabel = new QLabel(statusBar());
    m_countLabel->setObjectName(u"taskCountLabel"_s);
    statusBar()->addPermanentWidget(m_countLabel);
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
