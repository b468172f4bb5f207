#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QTabWidget;
class QDragEnterEvent;
class QDropEvent;

namespace Tasktrail {

class CampaignView;
class ChainPanel;
class ImportController;
class IssuesPanel;
class RecordStore;
class RunsModel;
class SearchView;

// The runs table over one database: a filter, the table, and the chain of the selected task.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow();
    ~MainWindow() override;

    // Opens the database at `path` in place of the current one. A failure is reported in the
    // status bar and keeps the current database open.
    bool openDatabase(const QString &path);
    // Shows the task's chain and selects its row when the row is under the current filter.
    void selectTask(const QString &id);

    RunsModel *runsModel() const { return m_model; }
    // Ingests files into the open database on a worker; issues land in the Issues panel.
    bool importFiles(const QStringList &paths);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createWidgets();
    void configureColumns();
    void createMenus();
    void createViews();
    void chooseImportFiles();
    void showTaskFromView(const QString &id);
    void chooseDatabase();
    void applyFilter();
    void showCurrentTask(const QModelIndex &current);
    void updateTaskCount(qint64 count);

    std::unique_ptr<RecordStore> m_store;
    RunsModel *m_model = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QTableView *m_table = nullptr;
    ChainPanel *m_chainPanel = nullptr;
    QLabel *m_countLabel = nullptr;
    QTimer *m_filterTimer = nullptr;
    QTabWidget *m_tabs = nullptr;
    CampaignView *m_campaignView = nullptr;
    SearchView *m_searchView = nullptr;
    ImportController *m_import = nullptr;
    IssuesPanel *m_issuesPanel = nullptr;
};

} // namespace Tasktrail
