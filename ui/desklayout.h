#pragma once

#include <QList>
#include <QObject>

class QAction;
class QDockWidget;
class QMainWindow;
class QSplitter;
class QTableView;

namespace Tasktrail {

class Settings;
class TaskView;

// The Runs desk, made to fit a 1280x800 screen: under the filter bar, the runs table fills the
// tab above the task's title, sentence and chain strip, and the detail of the card picked in
// the strip and the command log sit in docks on its right, where the View menu hides and
// shows them. The docks belong to the Runs tab (a main window inside it), so the other tabs
// keep the window's whole width. Column widths, the split and the docks are kept in the
// settings across restarts. Task and campaign
// ids are elided in the middle when their column is narrow (showIdsElided).
class DeskLayout final : public QObject
{
    Q_OBJECT

public:
    // Puts `splitter` (which holds `table` over `taskView`) in a desk where it stood in its
    // tab's layout, and the task view's detail and log panes in the desk's docks. `window`'s
    // geometry and state are saved and restored with the desk's.
    DeskLayout(QMainWindow *window, QTableView *table, QSplitter *splitter, TaskView *taskView,
               Settings &settings);

    QMainWindow *desk() const { return m_desk; }
    QDockWidget *detailDock() const { return m_detailDock; }
    QDockWidget *logDock() const { return m_logDock; }
    // Shows a dock the reader hid, when a link asks for what it holds (a log line, evidence).
    void reveal(QDockWidget *dock);
    // Show/hide actions of the desk's docks, for the View menu.
    QList<QAction *> toggleActions() const;

    // The layout saved last, or on a first start the table taking all but the strip's height
    // and the docks about two fifths of the width.
    void restore();
    void save();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fitStrip();
    void keepChainWhole();
    void restoreHeader();

    QDockWidget *addDock(QWidget *pane, const QString &title, const QString &name);

    QMainWindow *m_window = nullptr;
    QMainWindow *m_desk = nullptr;
    QTableView *m_table = nullptr;
    QSplitter *m_splitter = nullptr;
    TaskView *m_taskView = nullptr;
    Settings &m_settings;
    QDockWidget *m_detailDock = nullptr;
    QDockWidget *m_logDock = nullptr;
    bool m_fitStrip = false; // no split saved: the strip gets its height once laid out
};

} // namespace Tasktrail
