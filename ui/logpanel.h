#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QToolButton;

namespace Tasktrail {

class LogView;
class RecordStore;

// One command's log with a find bar and error navigation: Enter or Next finds forward,
// Previous backward; F8 / Shift+F8 jump to the next / previous error line. Searches run on
// the log view's query thread; the status says "Searching…" until the answer is in.
class LogPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit LogPanel(QWidget *parent = nullptr);
    ~LogPanel() override;

    // The store is not owned; see LogView::setLog.
    void setLog(RecordStore *store, qint64 commandKey, qint64 lineCount);
    void clear();

    LogView *logView() const { return m_view; }
    QLineEdit *findEdit() const { return m_findEdit; }
    QAction *nextErrorAction() const { return m_nextError; }
    QAction *previousErrorAction() const { return m_previousError; }
    // What the last search or jump reported, e.g. "Not found".
    QString status() const;
    bool isSearching() const;

public Q_SLOTS:
    void findNext();
    void findPrevious();
    void nextError();
    void previousError();

private:
    void find(bool backwards);
    void startSearch(const QString &notFound);
    void showResult(qint64 found);

    LogView *m_view = nullptr;
    QLineEdit *m_findEdit = nullptr;
    QToolButton *m_nextButton = nullptr;
    QToolButton *m_previousButton = nullptr;
    QLabel *m_status = nullptr;
    QAction *m_nextError = nullptr;
    QAction *m_previousError = nullptr;
    QString m_notFound; // what the search running says when it finds nothing
};

} // namespace Tasktrail
