#pragma once

#include "chainstrip.h"
#include "records/finding.h"
#include "records/summaries.h"
#include "records/templatespec.h"

#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;

namespace Tasktrail {

class ChainDetail;
class LogPanel;
class RecordStore;
struct TaskChain;

// Everything about one task: a title line, the chain strip, the detail of the card picked in
// it, and below that the log of the command picked on the Commands page. A new task keeps the
// card the reader was looking at, and opens the log of its first failed command (or of its
// last one), because that is where a reader of a run goes first. A shell call on the
// Transcript page opens its command's log, and the log's "Show in Transcript" goes back.
class TaskView final : public QWidget
{
    Q_OBJECT

public:
    explicit TaskView(QWidget *parent = nullptr);
    ~TaskView() override;

    // Logs are read from this store; not owned. Set nullptr (or another store) before the
    // store is destroyed.
    void setStore(RecordStore *store);

    void showChain(const TaskChain &chain);
    void showMissingTask(const QString &taskId);
    // The selected row's task is still being read.
    void showLoading();
    void clear();

    // Shows the Commands card with the log of command `seq` at `lineNo` (1-based). False when
    // the task shown has no such command.
    bool openLog(int seq, qint64 lineNo = 0);

    // Shows the Transcript card at the entry at `position`, once it is read.
    void openTranscript(const TranscriptPosition &position);
    // Shows the Transcript card at the tool call that became the command whose log is open.
    void showLogInTranscript();

    // The task shown; empty when none is.
    QString taskId() const { return m_taskId; }
    QString title() const;
    // The one-sentence account of the task shown (RunSentence); empty when none is.
    QString sentence() const;
    // The command whose log is open, 0 when none is.
    int logSeq() const { return m_logSeq; }

    ChainStrip *strip() const { return m_strip; }
    ChainDetail *detail() const { return m_detail; }
    LogPanel *logPanel() const { return m_log; }
    QSplitter *splitter() const { return m_splitter; }
    // The card's detail and the log with its title bar, for a window that places them itself
    // (in docks beside the runs table); until then they share splitter() below the strip.
    QWidget *detailPane() const;
    QWidget *logPane() const { return m_logBox; }
    QPushButton *logToTranscriptButton() const { return m_logToTranscript; }

    void showCard(ChainStrip::Card card);
    // Opens the card (and, for a command or log line, the log) that holds a finding's
    // evidence. False when the task shown is not the finding's.
    bool showEvidence(const Finding &finding);

Q_SIGNALS:
    // A link in a detail page names another task (e.g. the PR's producing task).
    void taskRequested(const QString &taskId);
    // The text of a template or policy version was asked for (from the Policy page).
    void documentRequested(Tasktrail::PolicyDocument::Kind kind, const QString &id,
                           const QString &version);

private:
    void openCommandLog(qint64 key, int seq, qint64 lineCount);
    void closeLog(const QString &reason);

    RecordStore *m_store = nullptr;
    QString m_taskId;
    int m_logSeq = 0;
    QLabel *m_title = nullptr;
    QLabel *m_sentence = nullptr;
    ChainStrip *m_strip = nullptr;
    QSplitter *m_splitter = nullptr;
    ChainDetail *m_detail = nullptr;
    QWidget *m_logBox = nullptr;
    QLabel *m_logTitle = nullptr;
    LogPanel *m_log = nullptr;
    QPushButton *m_logToTranscript = nullptr;
    qint64 m_transcriptEntries = 0;
};

} // namespace Tasktrail
