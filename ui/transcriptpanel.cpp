#include "transcriptpanel.h"

#include "asyncquery.h"
#include "store/recordstore.h"
#include "transcriptmodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

enum Slot
{
    OutlineSlot,
    PagesSlot,
    LocateSlot,
};

// Pages read in one request; older ones the view asked for meanwhile scrolled away.
constexpr int pagesPerRead = 4;
// An entry's text beyond this is not put into the text box: a tool's output can be megabytes.
constexpr int shownTextChars = 200000;

QList<TranscriptRow> readPage(RecordStore &store, const QString &taskId,
                              const QList<TranscriptPosition> &anchors, int page)
{
    if (page < 0 || page >= anchors.size())
        return {};
    return store.transcriptRows(taskId, anchors.at(page), TranscriptModel::pageSize);
}

QString shownText(const TranscriptEntry &e)
{
    if (e.text.size() <= shownTextChars)
        return e.text;
    return e.text.left(shownTextChars) % u"\n\n"_s %
           TranscriptPanel::tr("(the first %L1 of %L2 characters)")
               .arg(shownTextChars)
               .arg(e.text.size());
}

} // namespace

// What a locate found: the entry, its row and that row's page as read.
struct TranscriptPanel::Located
{
    std::optional<TranscriptPosition> target;
    qint64 row = -1;
    int page = -1;
    QList<TranscriptRow> rows;
};

TranscriptPanel::TranscriptPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new TranscriptModel(this))
    , m_queries(new AsyncQuery(this))
    , m_findEdit(new QLineEdit(this))
    , m_nextButton(new QToolButton(this))
    , m_previousButton(new QToolButton(this))
    , m_openLog(new QPushButton(tr("Open Command Log"), this))
    , m_status(new QLabel(this))
{
    m_findEdit->setObjectName(u"transcriptFind"_s);
    m_findEdit->setPlaceholderText(tr("Find in transcript"));
    m_findEdit->setClearButtonEnabled(true);
    m_nextButton->setText(tr("Next"));
    m_previousButton->setText(tr("Previous"));
    m_openLog->setObjectName(u"transcriptOpenLog"_s);
    m_openLog->setEnabled(false);
    m_status->setObjectName(u"transcriptStatus"_s);

    auto *findAction = new QAction(tr("Find"), this);
    findAction->setShortcut(QKeySequence::Find);
    findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(findAction);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_findEdit, 1);
    bar->addWidget(m_previousButton);
    bar->addWidget(m_nextButton);
    bar->addWidget(m_status);
    bar->addSpacing(12);
    bar->addWidget(m_openLog);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_view = new QTreeView(splitter);
    m_view->setObjectName(u"transcriptView"_s);
    m_view->setModel(m_model);
    // Every row one line high: the view then never asks for the rows it does not show.
    m_view->setUniformRowHeights(true);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAllColumnsShowFocus(true);
    m_view->header()->setStretchLastSection(true);
    const int em = fontMetrics().horizontalAdvance(u'M');
    m_view->setColumnWidth(TranscriptModel::TimeColumn, em * 14);
    m_view->setColumnWidth(TranscriptModel::SessionColumn, em * 10);
    m_view->setColumnWidth(TranscriptModel::WhoColumn, em * 14);
    m_view->setColumnWidth(TranscriptModel::CommandColumn, em * 8);
    m_text = new QPlainTextEdit(splitter);
    m_text->setObjectName(u"transcriptEntryText"_s);
    m_text->setReadOnly(true);
    splitter->addWidget(m_view);
    splitter->addWidget(m_text);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    connect(m_findEdit, &QLineEdit::returnPressed, this, &TranscriptPanel::findNext);
    connect(m_nextButton, &QToolButton::clicked, this, &TranscriptPanel::findNext);
    connect(m_previousButton, &QToolButton::clicked, this, &TranscriptPanel::findPrevious);
    connect(m_openLog, &QPushButton::clicked, this, &TranscriptPanel::openCommandLog);
    connect(findAction, &QAction::triggered, this, [this] {
        m_findEdit->setFocus(Qt::ShortcutFocusReason);
        m_findEdit->selectAll();
    });
    connect(m_findEdit, &QLineEdit::textChanged, m_status, &QLabel::clear);
    connect(m_model, &TranscriptModel::pageNeeded, this, &TranscriptPanel::onPageNeeded);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &TranscriptPanel::onCurrentChanged);
    // A loaded page may hold the current row's entry, which was a placeholder until now.
    connect(m_model, &QAbstractItemModel::dataChanged, this, &TranscriptPanel::onCurrentChanged);
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (index.data(TranscriptModel::CommandSeqRole).toInt() > 0)
            openCommandLog();
    });
}

TranscriptPanel::~TranscriptPanel() = default;

void TranscriptPanel::setTranscript(RecordStore *store, const QString &taskId, qint64 entries)
{
    clear();
    if (!store || entries <= 0) {
        setStatus(store ? tr("This task recorded no transcript.") : tr("No database is open."));
        return;
    }
    m_taskId = taskId;
    m_queries->setDatabase(store->location());
    const quint64 generation = m_generation;
    setStatus(tr("Reading the transcript…"));
    m_queries->run(
        OutlineSlot, this,
        [taskId](RecordStore &s) { return s.transcriptOutline(taskId, TranscriptModel::pageSize); },
        [this, generation](const TranscriptOutline &outline) {
            if (generation != m_generation)
                return;
            m_model->setOutline(m_taskId, outline);
            m_view->setColumnHidden(TranscriptModel::SessionColumn, outline.sessions.size() < 2);
            m_outlineRead = true;
            setStatus(outline.sessions.size() < 2
                          ? tr("%Ln row(s)", nullptr, int(outline.rows))
                          : tr("%1 in %2 sessions")
                                .arg(tr("%Ln row(s)", nullptr, int(outline.rows)))
                                .arg(outline.sessions.size()));
            if (const std::function<void()> after = std::exchange(m_afterOutline, {}))
                after();
        });
}

void TranscriptPanel::clear()
{
    ++m_generation;
    for (const int slot : {OutlineSlot, PagesSlot, LocateSlot})
        m_queries->cancel(slot);
    m_taskId.clear();
    m_wantedPages.clear();
    m_pagesInFlight = false;
    m_outlineRead = false;
    m_afterOutline = {};
    m_model->clear();
    m_text->clear();
    m_openLog->setEnabled(false);
    m_status->clear();
}

void TranscriptPanel::onPageNeeded(int page)
{
    m_wantedPages.removeOne(page);
    m_wantedPages << page;
    while (m_wantedPages.size() > pagesPerRead)
        m_model->forgetRequest(m_wantedPages.takeFirst());
    if (!m_pagesInFlight)
        readPages();
}

void TranscriptPanel::readPages()
{
    if (m_wantedPages.isEmpty())
        return;
    m_pagesInFlight = true;
    const QList<int> pages = m_wantedPages;
    const QList<TranscriptPosition> anchors = m_model->outline().anchors;
    const quint64 generation = m_generation;
    m_queries->run(
        PagesSlot, this,
        [taskId = m_taskId, anchors, pages](RecordStore &store) {
            QList<std::pair<int, QList<TranscriptRow>>> read;
            for (const int page : pages)
                read.append({page, readPage(store, taskId, anchors, page)});
            return read;
        },
        [this, generation](const QList<std::pair<int, QList<TranscriptRow>>> &read) {
            if (generation != m_generation)
                return;
            m_pagesInFlight = false;
            for (const auto &[page, rows] : read) {
                m_wantedPages.removeOne(page);
                m_model->setPage(page, rows);
            }
            readPages();
        });
}

template<typename Find> void TranscriptPanel::locate(Find find, const QString &missing)
{
    if (m_taskId.isEmpty())
        return;
    if (!m_outlineRead) {
        m_afterOutline = [this, find, missing] { locate(find, missing); };
        return;
    }
    const QList<TranscriptPosition> anchors = m_model->outline().anchors;
    const quint64 generation = m_generation;
    m_queries->run(
        LocateSlot, this,
        [taskId = m_taskId, anchors, find](RecordStore &store) {
            Located located;
            located.target = find(store, taskId);
            if (!located.target)
                return located;
            located.row = store.transcriptRowOf(taskId, *located.target);
            if (located.row < 0)
                return located;
            located.page = int(located.row / TranscriptModel::pageSize);
            located.rows = readPage(store, taskId, anchors, located.page);
            return located;
        },
        [this, generation, missing](const Located &located) {
            if (generation == m_generation)
                onLocated(located, missing);
        });
}

void TranscriptPanel::onLocated(const Located &located, const QString &missing)
{
    if (located.row >= 0 && !m_model->isPageLoaded(located.page))
        m_model->setPage(located.page, located.rows);
    const QModelIndex index =
        located.target ? m_model->indexOf(*located.target, located.row) : QModelIndex();
    if (!index.isValid()) {
        setStatus(missing);
        Q_EMIT searchFinished(false);
        return;
    }
    if (index.parent().isValid())
        m_view->expand(index.parent());
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    setStatus(QString());
    Q_EMIT searchFinished(true);
    Q_EMIT entryShown(*located.target);
}

void TranscriptPanel::showEntry(const TranscriptPosition &position)
{
    locate([position](RecordStore &, const QString &) { return std::optional(position); },
           tr("The transcript has no entry %1 in session %2.")
               .arg(position.seq)
               .arg(position.sessionId));
}

void TranscriptPanel::showCommand(int seq)
{
    locate([seq](RecordStore &store,
                 const QString &taskId) { return store.transcriptCallOfCommand(taskId, seq); },
           tr("No transcript entry became command %1.").arg(seq));
}

void TranscriptPanel::findNext()
{
    find(false);
}

void TranscriptPanel::findPrevious()
{
    find(true);
}

void TranscriptPanel::find(bool backwards)
{
    const QString text = m_findEdit->text();
    if (text.isEmpty() || m_taskId.isEmpty())
        return;
    // From the selected row (a folded call searches from its result's row).
    QModelIndex current = m_view->currentIndex();
    if (current.parent().isValid())
        current = current.parent();
    const TranscriptPosition from = m_model->position(current);
    setStatus(tr("Searching…"));
    locate(
        [from, text, backwards](RecordStore &store, const QString &taskId) {
            return store.findTranscriptRow(taskId, from, text, backwards);
        },
        tr("Not found"));
}

TranscriptPosition TranscriptPanel::currentPosition() const
{
    return m_model->position(m_view->currentIndex());
}

int TranscriptPanel::currentCommandSeq() const
{
    const QModelIndex current = m_view->currentIndex();
    if (const int seq = current.data(TranscriptModel::CommandSeqRole).toInt(); seq > 0)
        return seq;
    // A result row stands for its call too.
    return m_model->index(0, 0, current.siblingAtColumn(0))
        .data(TranscriptModel::CommandSeqRole)
        .toInt();
}

void TranscriptPanel::openCommandLog()
{
    if (const int seq = currentCommandSeq(); seq > 0)
        Q_EMIT commandLogRequested(seq);
}

void TranscriptPanel::onCurrentChanged()
{
    const QModelIndex current = m_view->currentIndex();
    const TranscriptEntry *e = m_model->entry(current);
    m_openLog->setEnabled(currentCommandSeq() > 0);
    if (!e) {
        m_text->clear();
        return;
    }
    QString text = TranscriptModel::who(*e) % u"\n"_s % shownText(*e);
    // A result's row shows its call first, as the conversation had them.
    const QModelIndex callIndex = m_model->index(0, 0, current.siblingAtColumn(0));
    if (const TranscriptEntry *call = m_model->entry(callIndex))
        text = TranscriptModel::who(*call) % u"\n"_s % shownText(*call) % u"\n\n"_s % text;
    if (text != m_text->toPlainText())
        m_text->setPlainText(text);
}

QString TranscriptPanel::status() const
{
    return m_status->text();
}

bool TranscriptPanel::isBusy() const
{
    for (const int slot : {OutlineSlot, PagesSlot, LocateSlot}) {
        if (m_queries->isPending(slot))
            return true;
    }
    return false;
}

void TranscriptPanel::setStatus(const QString &text)
{
    m_status->setText(text);
}

} // namespace Tasktrail
