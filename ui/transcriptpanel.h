#pragma once

#include "records/summaries.h"

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QToolButton;
class QTreeView;

namespace Tasktrail {

class AsyncQuery;
class RecordStore;
class TranscriptModel;

// The Transcript page: a task's conversation with each tool call folded under its result,
// the selected entry's whole text below, a find bar (Enter or Next finds forward, Previous
// backward) and a button that opens the log of the command a shell call became. Everything
// is read on the panel's query thread a page at a time, so a conversation of any length opens
// as fast as a log; finding and locating report when they are done (searchFinished,
// entryShown).
class TranscriptPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit TranscriptPanel(QWidget *parent = nullptr);
    ~TranscriptPanel() override;

    // The store is not owned; only its location is used, by the query thread.
    void setTranscript(RecordStore *store, const QString &taskId, qint64 entries);
    void clear();

    // Selects the entry at `position` (expanding its result when it is a folded call) once it
    // is read; entryShown() follows.
    void showEntry(const TranscriptPosition &position);
    // Selects the tool call that became command `seq`; status says so when none did.
    void showCommand(int seq);

    // The selected entry, null when none is.
    TranscriptPosition currentPosition() const;
    // The command the selected entry (or the call folded under it) became, 0 for none.
    int currentCommandSeq() const;
    QString status() const;
    bool isBusy() const;

    TranscriptModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QLineEdit *findEdit() const { return m_findEdit; }
    QPlainTextEdit *entryText() const { return m_text; }
    QPushButton *commandLogButton() const { return m_openLog; }

public Q_SLOTS:
    void findNext();
    void findPrevious();
    void openCommandLog();

Q_SIGNALS:
    // The log of command `seq` was asked for (the button, or activating a shell call).
    void commandLogRequested(int seq);
    void entryShown(const Tasktrail::TranscriptPosition &position);
    void searchFinished(bool found);

private:
    struct Located;
    template<typename Find> void locate(Find find, const QString &missing);
    void onLocated(const Located &located, const QString &missing);
    void onPageNeeded(int page);
    void readPages();
    void onCurrentChanged();
    void find(bool backwards);
    void setStatus(const QString &text);

    TranscriptModel *m_model = nullptr;
    AsyncQuery *m_queries = nullptr;
    QLineEdit *m_findEdit = nullptr;
    QToolButton *m_nextButton = nullptr;
    QToolButton *m_previousButton = nullptr;
    QPushButton *m_openLog = nullptr;
    QLabel *m_status = nullptr;
    QTreeView *m_view = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QString m_taskId;
    quint64 m_generation = 0; // a new transcript drops what was read for the last one
    QList<int> m_wantedPages; // asked for by the view, newest last, not delivered yet
    bool m_outlineRead = false;
    std::function<void()> m_afterOutline; // a locate asked for before the outline was read
    bool m_pagesInFlight = false;
};

} // namespace Tasktrail
