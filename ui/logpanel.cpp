#include "logpanel.h"

#include "logview.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {

LogPanel::LogPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new LogView(this))
    , m_findEdit(new QLineEdit(this))
    , m_nextButton(new QToolButton(this))
    , m_previousButton(new QToolButton(this))
    , m_status(new QLabel(this))
    , m_nextError(new QAction(tr("Next Error"), this))
    , m_previousError(new QAction(tr("Previous Error"), this))
{
    m_findEdit->setPlaceholderText(tr("Find in log"));
    m_findEdit->setClearButtonEnabled(true);
    m_nextButton->setText(tr("Next"));
    m_previousButton->setText(tr("Previous"));

    m_nextError->setShortcut(QKeySequence(Qt::Key_F8));
    m_previousError->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F8));
    auto *findAction = new QAction(tr("Find"), this);
    findAction->setShortcut(QKeySequence::Find);
    for (QAction *action : {m_nextError, m_previousError, findAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    auto *nextErrorButton = new QToolButton(this);
    nextErrorButton->setDefaultAction(m_nextError);
    auto *previousErrorButton = new QToolButton(this);
    previousErrorButton->setDefaultAction(m_previousError);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_findEdit, 1);
    bar->addWidget(m_previousButton);
    bar->addWidget(m_nextButton);
    bar->addWidget(m_status);
    bar->addSpacing(12);
    bar->addWidget(previousErrorButton);
    bar->addWidget(nextErrorButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_findEdit, &QLineEdit::returnPressed, this, &LogPanel::findNext);
    connect(m_nextButton, &QToolButton::clicked, this, &LogPanel::findNext);
    connect(m_previousButton, &QToolButton::clicked, this, &LogPanel::findPrevious);
    connect(m_nextError, &QAction::triggered, this, &LogPanel::nextError);
    connect(m_previousError, &QAction::triggered, this, &LogPanel::previousError);
    connect(findAction, &QAction::triggered, this, [this] {
        m_findEdit->setFocus(Qt::ShortcutFocusReason);
        m_findEdit->selectAll();
    });
    connect(m_findEdit, &QLineEdit::textChanged, m_status, &QLabel::clear);
    connect(m_view, &LogView::searchFinished, this, &LogPanel::showResult);
}

LogPanel::~LogPanel() = default;

void LogPanel::setLog(RecordStore *store, qint64 commandKey, qint64 lineCount)
{
    m_view->setLog(store, commandKey, lineCount);
    m_status->clear();
}

void LogPanel::clear()
{
    m_view->clear();
    m_status->clear();
}

QString LogPanel::status() const
{
    return m_status->text();
}

bool LogPanel::isSearching() const
{
    return m_view->isSearching();
}

void LogPanel::findNext()
{
    find(false);
}

void LogPanel::findPrevious()
{
    find(true);
}

void LogPanel::find(bool backwards)
{
    const QString text = m_findEdit->text();
    if (text.isEmpty())
        return;
    startSearch(tr("Not found"));
    m_view->findNext(text, backwards);
}

void LogPanel::nextError()
{
    startSearch(tr("No further errors"));
    m_view->nextError(false);
}

void LogPanel::previousError()
{
    startSearch(tr("No earlier errors"));
    m_view->nextError(true);
}

void LogPanel::startSearch(const QString &notFound)
{
    m_notFound = notFound;
    m_status->setText(tr("Searching…"));
}

void LogPanel::showResult(qint64 found)
{
    m_status->setText(found < 0 ? m_notFound : tr("Line %1").arg(found));
}

} // namespace Tasktrail
