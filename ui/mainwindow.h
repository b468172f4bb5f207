#pragma once

#include "records/finding.h"
#include "records/summaries.h"
#include "records/taskchain.h"
#include "settings.h"
#include "store/storecapabilities.h"
#include "text/tasktraillink.h"
#include "workerthread.h"

#include <QMainWindow>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QAction;
class QCloseEvent;
class QDockWidget;
class QDragEnterEvent;
class QDropEvent;
class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;
class QTableView;

namespace Tasktrail {

class AsyncQuery;
class CampaignView;
class CompareView;
class DeskLayout;
class ExportDialog;
class FindingsView;
class PolicyLibraryView;
class QueueView;
class ChainPanel;
class ImportController;
class IssuesPanel;
class NavigationHistory;
class OverviewView;
class RecordStore;
class RunsFilterBar;
class RunsModel;
class SearchView;
class TaskView;

// The explorer over one database. The Runs tab holds the filtered runs table above the task's
// chain strip, with the card detail and command log in docks beside them (DeskLayout);
// Campaigns and Search lead back to it. Visited tasks form a back/forward history; recent
// databases and the window layout are remembered.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    // Reads and writes the application's settings, or `settings` when given (e.g. a test's
    // INI file).
    explicit MainWindow(std::unique_ptr<Settings> settings = {});
    ~MainWindow() override;

    // Opens the database at `path` in place of the current one. The connection is made, and an
    // older file upgraded (with its backup copy, docs/data-model.md), on a worker thread: the
    // window goes on meanwhile and the current database stays open until the new one is.
    // Then databaseOpened is emitted and `then(true)` runs; a failure is reported in the status
    // bar, keeps the current database and runs `then(false)`. A newer call supersedes an open
    // not started yet, which is skipped, and one under way, whose store is closed unused; the
    // `then` of a superseded open never runs.
    void openDatabase(const QString &path, std::function<void(bool opened)> then = {});
    // True from openDatabase() until the newest open has finished.
    bool isOpeningDatabase() const { return m_openFinished != m_openRequested.load(); }
    // Who the open database's connection is and what it may change, once read (empty before).
    const StoreCapabilities &capabilities() const { return m_capabilities; }
    // Shows the task's chain and selects its row when the row is under the current filter.
    // While the table is still being counted the row is selected once the count arrives. The
    // chain is read on a query thread and shown when it arrives.
    void selectTask(const QString &id);
    // True while a chain asked for is being read.
    bool isLoadingChain() const;
    // Shows the task with the log of command `seq` open at `lineNo`.
    void openTaskLog(const QString &id, int seq, qint64 lineNo);
    void openTaskTranscript(const QString &id, const Tasktrail::TranscriptPosition &position);
    // Shows a finding's task with its evidence open.
    void openEvidence(const Finding &finding);
    // Opens the place a tasktrail:// link names: the task's row and chain, the campaign, or
    // the finding's evidence (looked up on the query thread). A place the database does not
    // hold is said in the status bar.
    void openLink(const Tasktrail::TasktrailLink &link);
    // The link of what the current tab shows: the Runs tab's task, the Findings tab's current
    // finding, the Campaigns tab's campaign (or the run of the repository row that has the
    // focus); none on the other tabs or with nothing shown.
    std::optional<Tasktrail::TasktrailLink> currentLink() const;
    // Edit > Copy Link (Ctrl+Shift+C): currentLink()'s URL on the clipboard, said in the
    // status bar.
    void copyCurrentLink();

    RunsModel *runsModel() const { return m_model; }
    TaskView *taskView() const { return m_taskView; }
    NavigationHistory *history() const { return m_history; }
    Settings &settings() const { return *m_settings; }
    // Ingests files into the open database on a worker; issues land in the Issues panel.
    bool importFiles(const QStringList &paths);
    // Opens the Export Report dialog on the Runs tab's filter; nullptr without a database.
    ExportDialog *exportReport();

    // Back and forward between visited tasks.
    void goBack();
    void goForward();

    // Opens the Launch Tasks dialog on the open database (non-modal to the event loop: the
    // dialog is window-modal). After a launch the Queue tab shows the new entries.
    void launchTasks();
    // Opens File > Sync from GitHub… on the open database; the views reload after each sync.
    void syncFromGitHub();
    // Opens a Compare Runs window on the two runs selected in the runs table (a status-bar
    // message asks for two otherwise); from it either run opens here in full.
    void compareSelectedRuns();
    // Opens a Compare Runs window on two runs.
    void compareRuns(const QString &taskA, const QString &taskB);

Q_SIGNALS:
    // A database was opened (its location as given to openDatabase).
    void databaseOpened(const QString &location);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // The open of generation `generation` finished on the worker (a store, or why not).
    void adoptStore(quint64 generation, const QString &path, std::unique_ptr<RecordStore> store,
                    const QString &error, const std::function<void(bool)> &then);
    // Closes a store on the open's worker thread: closing an SQLite file may copy its
    // write-ahead log back into it.
    void closeOnWorker(std::unique_ptr<RecordStore> store);
    void readCapabilities();
    void applyCapabilities(const StoreCapabilities &capabilities);
    void createWidgets();
    QWidget *createRunsTab();
    void configureColumns();
    void createMenus();
    void createEditMenu();
    // The Findings, Campaigns and Compare Runs views' splits and column widths, in the
    // settings (mainwindowviews.cpp).
    void restoreViewLayouts();
    void saveViewLayouts();
    void keepCompareLayout(CompareView *view);
    void createLaunchMenu();
    void createViews();
    void createDocks();
    void chooseImportFiles();
    void addExportAction(QMenu *menu);
    void showTaskFromView(const QString &id);
    void chooseDatabase();
    void updateRecentMenu();
    void showCurrentTask(const QModelIndex &current);
    void showChainOf(const QString &id);
    void onChainRead(const QString &id, const std::optional<TaskChain> &chain);
    // The worker found the row of a task asked for (-1: not under the current filter).
    void onTaskLocated(const QString &id, int row);
    void reportOutsideFilter(const QString &id);
    // The task on screen, or the one whose chain is being read.
    QString shownTask() const;
    // Runs `action` once task `id` is on screen (at once when it already is).
    void whenTaskShown(const QString &id, std::function<void()> action);
    // The views of the other tabs read their database when their tab is first shown.
    void markViewsStale(const QList<QWidget *> &views);
    void loadCurrentView();
    void configureSorting();
    bool selectRowOf(const QString &id);
    void onTotalCountChanged(qint64 count);
    void focusSearch();
    void focusFilter();

    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<RecordStore> m_store;
    // Opens and closes stores off the GUI thread (openDatabase()); requests are numbered so
    // that only the newest one's store is kept.
    std::unique_ptr<WorkerThread<QObject>> m_opener;
    std::atomic<quint64> m_openRequested{0}; // read by the worker to skip superseded opens
    quint64 m_openFinished = 0;
    RunsModel *m_model = nullptr;
    NavigationHistory *m_history = nullptr;
    RunsFilterBar *m_filterBar = nullptr;
    QTableView *m_table = nullptr;
    QSplitter *m_runsSplitter = nullptr;
    DeskLayout *m_desk = nullptr;
    TaskView *m_taskView = nullptr;
    ChainPanel *m_summary = nullptr;
    QLabel *m_countLabel = nullptr;
    QTabWidget *m_tabs = nullptr;
    CampaignView *m_campaignView = nullptr;
    SearchView *m_searchView = nullptr;
    FindingsView *m_findingsView = nullptr;
    OverviewView *m_overviewView = nullptr;
    PolicyLibraryView *m_policyView = nullptr;
    QueueView *m_queueView = nullptr;
    ImportController *m_import = nullptr;
    IssuesPanel *m_issuesPanel = nullptr;
    QDockWidget *m_issuesDock = nullptr;
    QDockWidget *m_summaryDock = nullptr;
    QMenu *m_recentMenu = nullptr;
    QAction *m_backAction = nullptr;
    QAction *m_forwardAction = nullptr;
    // What the open database's connection may change (read on the query thread); the actions
    // it may not do are disabled, and the label says who the connection is.
    QAction *m_importAction = nullptr;
    QAction *m_syncAction = nullptr;
    QAction *m_launchAction = nullptr;
    QLabel *m_roleLabel = nullptr;
    StoreCapabilities m_capabilities;
    // A task asked for while the table was being counted; selected when the count arrives.
    QString m_pendingTask;
    // The task selectTask() asked the worker to locate, and one found outside the filter
    // whose chain is still being read: said in the status bar once its chain is on screen.
    QString m_locatingTask;
    QString m_outsideFilterTask;
    AsyncQuery *m_chainQueries = nullptr;
    QString m_loadingChain; // the task whose chain is being read
    QString m_afterChainTask;
    std::function<void()> m_afterChain;
    QList<QWidget *> m_staleViews;
};

} // namespace Tasktrail
