#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace Tasktrail {

class ChainPanel;
class RecordStore;
class RunsModel;

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

private:
    void createWidgets();
    void configureColumns();
    void createMenus();
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
};

} // namespace Tasktrail
