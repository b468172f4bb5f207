#include "taskview.h"

#include "chaindetail.h"
#include "commandsmodel.h"
#include "displaytext.h"
#include "logpanel.h"
#include "logview.h"
#include "query/runsentence.h"
#include "records/taskchain.h"
#include "text/shellquote.h"
#include "transcriptpanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The command a reader of a finished run looks at first: the first that failed, else the last.
const TaskChain::Command *firstCommandToRead(const TaskChain &chain)
{
    for (const TaskChain::Command &c : chain.commands) {
        if (c.record.exitCode.value_or(0) != 0)
            return &c;
    }
    return chain.commands.isEmpty() ? nullptr : &chain.commands.constLast();
}

} // namespace

TaskView::TaskView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_sentence(new QLabel(this))
    , m_strip(new ChainStrip(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_detail(new ChainDetail(m_splitter))
{
    m_title->setObjectName(u"taskTitle"_s);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    // Plain text: the sentence holds recorded values, which must never render as markup.
    m_sentence->setObjectName(u"taskSentence"_s);
    m_sentence->setTextFormat(Qt::PlainText);
    m_sentence->setWordWrap(true);
    m_sentence->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_strip->setObjectName(u"chainStrip"_s);
    m_detail->setObjectName(u"chainDetail"_s);

    auto *logBox = m_logBox = new QWidget(m_splitter);
    auto *logLayout = new QVBoxLayout(logBox);
    logLayout->setContentsMargins(0, 0, 0, 0);
    m_logTitle = new QLabel(logBox);
    m_logTitle->setObjectName(u"logTitle"_s);
    m_logTitle->setTextFormat(Qt::PlainText);
    m_log = new LogPanel(logBox);
    m_log->setObjectName(u"logPanel"_s);
    m_logToTranscript = new QPushButton(tr("Show in Transcript"), logBox);
    m_logToTranscript->setObjectName(u"logShowInTranscript"_s);
    auto *titleBar = new QHBoxLayout;
    titleBar->addWidget(m_logTitle, 1);
    titleBar->addWidget(m_logToTranscript);
    logLayout->addLayout(titleBar);
    logLayout->addWidget(m_log, 1);
    m_splitter->addWidget(m_detail);
    m_splitter->addWidget(logBox);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_sentence);
    layout->addWidget(m_strip);
    layout->addWidget(m_splitter, 1);
    // With the panes placed elsewhere the title, sentence and strip keep their height.
    layout->addStretch();

    connect(m_strip, &ChainStrip::cardActivated, m_detail, &ChainDetail::showCard);
    connect(m_detail, &ChainDetail::commandActivated, this, &TaskView::openCommandLog);
    connect(m_detail, &ChainDetail::taskRequested, this, &TaskView::taskRequested);
    connect(m_detail, &ChainDetail::documentRequested, this, &TaskView::documentRequested);
    connect(m_detail, &ChainDetail::findingActivated, this, &TaskView::showEvidence);
    connect(m_detail->transcriptPanel(), &TranscriptPanel::commandLogRequested, this,
            [this](int seq) {
                const CommandsModel *commands = m_detail->commandsModel();
                const int row = commands->rowOfSeq(seq);
                // The log's first line: where the call's output starts.
                openLog(seq, row >= 0 && commands->command(row).logLines > 0 ? 1 : 0);
            });
    connect(m_logToTranscript, &QPushButton::clicked, this, &TaskView::showLogInTranscript);
    clear();
}

TaskView::~TaskView() = default;

void TaskView::setStore(RecordStore *store)
{
    if (store == m_store)
        return;
    m_store = store;
    clear();
}

void TaskView::showChain(const TaskChain &chain)
{
    m_taskId = chain.task.id;
    QStringList parts{chain.task.id};
    if (!chain.task.repo.isEmpty())
        parts << chain.task.repo;
    parts << DisplayText::state(chain.task.state);
    m_title->setText(parts.join(u" · "_s));
    m_sentence->setText(RunSentence::of(chain));
    m_sentence->show();
    m_strip->setChain(chain);
    m_detail->setChain(chain);
    m_transcriptEntries = chain.transcriptEntries;
    m_detail->transcriptPanel()->setTranscript(m_store, chain.task.id, chain.transcriptEntries);
    m_detail->showCard(m_strip->currentCard());
    if (const TaskChain::Command *c = firstCommandToRead(chain)) {
        m_detail->selectCommand(c->record.seq);
        openCommandLog(c->key, c->record.seq, c->logLines);
    } else {
        closeLog(tr("This task recorded no commands."));
    }
}

void TaskView::showMissingTask(const QString &taskId)
{
    clear();
    m_title->setText(tr("No task %1 in this database.").arg(taskId));
}

void TaskView::showLoading()
{
    clear();
    m_title->setText(tr("Loading the selected task…"));
}

void TaskView::clear()
{
    m_taskId.clear();
    m_transcriptEntries = 0;
    m_title->setText(tr("No task selected."));
    m_sentence->clear();
    m_sentence->hide();
    m_strip->clear();
    m_detail->clear();
    m_detail->showCard(m_strip->currentCard());
    closeLog(QString());
}

QWidget *TaskView::detailPane() const
{
    return m_detail;
}

QString TaskView::title() const
{
    return m_title->text();
}

QString TaskView::sentence() const
{
    return m_sentence->text();
}

void TaskView::showCard(ChainStrip::Card card)
{
    m_strip->setCurrentCard(card);
    m_detail->showCard(card);
}

bool TaskView::showEvidence(const Finding &finding)
{
    if (finding.taskId != m_taskId)
        return false;
    switch (finding.evidenceKind) {
    case EvidenceKind::Command:
    case EvidenceKind::LogLine:
        if (openLog(finding.commandSeq, finding.lineNo))
            return true;
        break;
    case EvidenceKind::Test:
        if (finding.commandSeq > 0 && openLog(finding.commandSeq))
            return true;
        break;
    case EvidenceKind::Request:
        showCard(ChainStrip::Card::Request);
        return true;
    case EvidenceKind::Identity:
    case EvidenceKind::AuditEvent: // the Identity page lists the run's audit events
        showCard(ChainStrip::Card::Identity);
        return true;
    case EvidenceKind::PullRequest:
    case EvidenceKind::Review:
    case EvidenceKind::CheckRun:
        showCard(ChainStrip::Card::PullRequest);
        return true;
    case EvidenceKind::File:
    case EvidenceKind::Contact:
    case EvidenceKind::Task:
        break;
    }
    // Files changed, hosts contacted and the task's own limits are judged on the Policy page.
    showCard(ChainStrip::Card::Policy);
    return true;
}

void TaskView::openTranscript(const TranscriptPosition &position)
{
    showCard(ChainStrip::Card::Transcript);
    m_detail->transcriptPanel()->showEntry(position);
}

void TaskView::showLogInTranscript()
{
    if (m_logSeq <= 0)
        return;
    showCard(ChainStrip::Card::Transcript);
    m_detail->transcriptPanel()->showCommand(m_logSeq);
}

bool TaskView::openLog(int seq, qint64 lineNo)
{
    const CommandsModel *commands = m_detail->commandsModel();
    const int row = commands->rowOfSeq(seq);
    if (row < 0)
        return false;
    const TaskChain::Command &c = commands->command(row);
    showCard(ChainStrip::Card::Commands);
    m_detail->selectCommand(seq);
    openCommandLog(c.key, seq, c.logLines);
    if (lineNo > 0)
        m_log->logView()->scrollToLine(lineNo);
    return true;
}

void TaskView::openCommandLog(qint64 key, int seq, qint64 lineCount)
{
    if (!m_store) {
        closeLog(tr("No database is open."));
        return;
    }
    m_logSeq = seq;
    const int row = m_detail->commandsModel()->rowOfSeq(seq);
    const QString command =
        row >= 0 ? shellCommandLine(m_detail->commandsModel()->command(row).record.argv)
                 : QString();
    // One pass over the arguments: a recorded command line may itself hold "%2".
    const QString lines = lineCount == 1 ? tr("1 line") : tr("%L1 lines").arg(lineCount);
    m_logTitle->setText(tr("Log of command %1: %2 (%3)").arg(QString::number(seq), command, lines));
    m_log->setLog(m_store, key, lineCount);
    m_logToTranscript->setEnabled(m_transcriptEntries > 0);
}

void TaskView::closeLog(const QString &reason)
{
    m_logSeq = 0;
    m_logToTranscript->setEnabled(false);
    m_log->clear();
    m_logTitle->setText(reason.isEmpty() ? tr("No command selected.") : reason);
}

} // namespace Tasktrail
