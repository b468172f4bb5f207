#pragma once

#include "chainstrip.h"

#include <QStackedWidget>
#include <QString>

#include <array>

class QTableView;
class QTextBrowser;

namespace Tasktrail {

class CommandsModel;
class PrDetail;
class TimelineWidget;
struct TaskChain;

// The detail behind each card of the ChainStrip, one page per card. The Commands page shows
// the commands on a timeline above a table; selecting in one selects in the other, and
// activating either (double-click, Enter) asks for the command's log.
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
    // pull request's metadata for the PR page; empty for the Commands page.
    QString pageHtml(ChainStrip::Card card) const;

    CommandsModel *commandsModel() const { return m_commands; }
    QTableView *commandsView() const { return m_commandsView; }
    TimelineWidget *timeline() const { return m_timeline; }
    PrDetail *prDetail() const { return m_pr; }

    static QString requestHtml(const TaskChain &chain);
    static QString identityHtml(const TaskChain &chain);
    static QString policyHtml(const TaskChain &chain);

Q_SIGNALS:
    void commandActivated(qint64 key, int seq, qint64 logLines);
    void taskRequested(const QString &taskId);

private:
    QTextBrowser *addTextPage();
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
};

} // namespace Tasktrail
