#pragma once

#include "chainstrip.h"
#include "policy/rules.h"
#include "records/finding.h"
#include "records/templatespec.h"

#include <QStackedWidget>
#include <QString>

#include <array>

class QTableView;
class QTextBrowser;

namespace Tasktrail {

class CommandsModel;
class FindingsModel;
class PrDetail;
class TimelineWidget;
class TranscriptPanel;
struct TaskChain;

// The detail behind each card of the ChainStrip, one page per card. The Commands page shows
// the commands on a timeline above a table; selecting in one selects in the other, and
// activating either (double-click, Enter) asks for the command's log. The Transcript page reads
// its conversation itself (TranscriptPanel::setTranscript), a page at a time.
class ChainDetail final : public QStackedWidget
{
    Q_OBJECT

public:
    explicit ChainDetail(QWidget *parent = nullptr);
    ~ChainDetail() override;

    void setChain(const TaskChain &chain);
    void clear();
    void showCard(ChainStrip::Card card);
    ChainStrip::Card currentCard() const;
    // Selects command `seq` in the table and on the timeline without activating it.
    void selectCommand(int seq);

    // The rich text of the Request, Identity and Policy pages as built (escaped), and the
    // pull request's metadata for the PR page; empty for the Commands and Transcript pages.
    QString pageHtml(ChainStrip::Card card) const;

    CommandsModel *commandsModel() const { return m_commands; }
    FindingsModel *findingsModel() const { return m_findings; }
    QTableView *findingsView() const { return m_findingsView; }
    QTableView *commandsView() const { return m_commandsView; }
    TimelineWidget *timeline() const { return m_timeline; }
    PrDetail *prDetail() const { return m_pr; }
    TranscriptPanel *transcriptPanel() const { return m_transcript; }

    static QString requestHtml(const TaskChain &chain);
    static QString identityHtml(const TaskChain &chain);
    // The audit-log events linked to the run: the calls its identity made.
    static QString auditHtml(const TaskChain &chain);
    // What the run did that a template limits: files changed, hosts contacted, tests.
    static QString scopeHtml(const TaskChain &chain);
    static QString policyHtml(const TaskChain &chain);
    // The Policy page's links to the template and policy texts.
    static QString templateLink();
    static QString policyLink();

Q_SIGNALS:
    void commandActivated(qint64 key, int seq, qint64 logLines);
    void taskRequested(const QString &taskId);
    // A finding on the Policy page was activated.
    void findingActivated(const Tasktrail::Finding &finding);
    // The Policy page's link to the text of the template or policy version the run was
    // checked against.
    void documentRequested(Tasktrail::PolicyDocument::Kind kind, const QString &id,
                           const QString &version);

private:
    QTextBrowser *addTextPage(QWidget *parent);
    QWidget *createPolicyPage();
    QWidget *createCommandsPage();
    void setPageHtml(ChainStrip::Card card, const QString &html);
    void activateRow(int row);
    void selectRow(int row);

    std::array<QTextBrowser *, 3> m_textPages{}; // Request, Identity, Policy
    std::array<QString, 3> m_textHtml;
    CommandsModel *m_commands = nullptr;
    QTableView *m_commandsView = nullptr;
    TimelineWidget *m_timeline = nullptr;
    PrDetail *m_pr = nullptr;
    TranscriptPanel *m_transcript = nullptr;
    FindingsModel *m_findings = nullptr;
    QTableView *m_findingsView = nullptr;
    SpecRef m_templateRef;
    SpecRef m_policyRef;
};

} // namespace Tasktrail
