#pragma once

#include "query/runcomparison.h"

#include <QHash>
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

class QCloseEvent;
class QLabel;
class QModelIndex;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QTreeView;
class QTreeWidget;

namespace Tasktrail {

class AlignedCommandsModel;
class AsyncQuery;
class LogHighlighter;

// Two runs side by side: both chains (the sentence and each link), their commands aligned
// (same, only in one, exit code differs), the files, hosts, tests and findings of each, and
// the diff of the logs of the aligned command picked in the table. Both chains and each log
// diff are read on the view's query thread. Either run opens in full from here.
class CompareView final : public QWidget
{
    Q_OBJECT

public:
    explicit CompareView(QWidget *parent = nullptr);
    ~CompareView() override;

    // The database the view reads, on a connection of its own.
    void setDatabase(const QString &location);
    // Reads both runs and shows them compared; a newer call supersedes one still reading.
    void compare(const QString &taskA, const QString &taskB);
    // Shows the log diff of an aligned row (also what picking the row in the table does).
    void showLogDiff(int row);

    bool isLoading() const { return m_loading; }
    bool isLoadingLogDiff() const { return m_loadingDiff; }
    QString taskA() const { return m_taskA; }
    QString taskB() const { return m_taskB; }
    AlignedCommandsModel *commandsModel() const { return m_commands; }
    QTreeView *commandsView() const { return m_commandsView; }
    QTreeWidget *listsView() const { return m_lists; }
    QPlainTextEdit *logDiffView() const { return m_diff; }
    // The splits and the commands' and lists' column widths, for the settings. Once a layout
    // is restored, the commands' columns keep its widths instead of fitting each comparison.
    QByteArray saveLayout() const;
    bool restoreLayout(const QByteArray &state);

Q_SIGNALS:
    // The person asked to see a run in full, or one of its commands' log.
    void taskRequested(const QString &taskId);
    void commandLogRequested(const QString &taskId, int seq);
    // Both runs are on screen (or the reason they are not).
    void compared();
    void logDiffShown(int row);
    // The window is closing (its layout can still be read).
    void closing();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    struct Read
    {
        std::optional<RunComparison> comparison;
        QString missing; // the id of a run not stored
    };

    QWidget *createChains();
    QWidget *createCommandsAndLists(QWidget *parent);
    QWidget *createLogDiff(QWidget *parent);
    void addChainRow(const QString &key, const QString &label);
    void setChainValue(const QString &key, const QString &a, const QString &b);
    void onRead(const Read &read);
    void showChains(const RunComparison &c);
    void showLists(const RunComparison &c);
    void showDiff(int row, const LogDiff &diff);
    void onActivated(const QModelIndex &index);

    AsyncQuery *m_queries = nullptr;
    AlignedCommandsModel *m_commands = nullptr;
    std::unique_ptr<LogHighlighter> m_highlighter;
    QString m_taskA;
    QString m_taskB;
    bool m_loading = false;
    bool m_loadingDiff = false;
    QLabel *m_status = nullptr;
    QHash<QString, std::pair<QLabel *, QLabel *>> m_chainValues; // per field: A, B
    QPushButton *m_openA = nullptr;
    QPushButton *m_openB = nullptr;
    QTreeView *m_commandsView = nullptr;
    QTreeWidget *m_lists = nullptr;
    QSplitter *m_outer = nullptr;  // commands and lists over the log diff
    QSplitter *m_middle = nullptr; // the commands | the lists
    bool m_layoutRestored = false;
    QLabel *m_diffTitle = nullptr;
    QPlainTextEdit *m_diff = nullptr;
    int m_diffRow = -1;
};

} // namespace Tasktrail
