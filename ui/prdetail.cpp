#include "prdetail.h"

#include "detailhtml.h"
#include "displaytext.h"
#include "records/taskchain.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QStandardItem *item(const QString &text)
{
    auto *cell = new QStandardItem(text);
    cell->setEditable(false);
    cell->setToolTip(text);
    return cell;
}

QTableView *tableView(QStandardItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

QString mergeState(const PullRequestRecord &p)
{
    if (p.merged())
        return p.mergedBy.isEmpty()
                   ? PrDetail::tr("merged %1").arg(DisplayText::timestamp(p.mergedAt))
                   : PrDetail::tr("merged %1 by %2")
                         .arg(DisplayText::timestamp(p.mergedAt), p.mergedBy);
    return p.draft ? PrDetail::tr("%1, draft").arg(p.state) : p.state;
}

} // namespace

PrDetail::PrDetail(QWidget *parent)
    : QWidget(parent)
    , m_metadata(new QLabel(this))
    , m_taskLink(new QLabel(this))
    , m_reviews(new QStandardItemModel(0, ReviewColumnCount, this))
    , m_checks(new QStandardItemModel(0, CheckColumnCount, this))
{
    m_metadata->setTextFormat(Qt::RichText);
    m_metadata->setWordWrap(true);
    m_metadata->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_metadata->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_taskLink->setTextFormat(Qt::RichText);
    m_taskLink->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    // The href is a fixed token: the task id travels in m_taskId, never through a URL.
    connect(m_taskLink, &QLabel::linkActivated, this, [this] {
        if (!m_taskId.isEmpty())
            Q_EMIT taskRequested(m_taskId);
    });
    m_reviewsView = tableView(m_reviews, this);
    m_checksView = tableView(m_checks, this);

    // Metadata on the left, scrolling when the page is short; reviews and checks on the right.
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(left);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_metadata);
    leftLayout->addWidget(scroll, 1);
    leftLayout->addWidget(m_taskLink);
    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(new QLabel(tr("Reviews"), right));
    rightLayout->addWidget(m_reviewsView, 1);
    rightLayout->addWidget(new QLabel(tr("Check runs"), right));
    rightLayout->addWidget(m_checksView, 1);
    m_reviewsView->setParent(right);
    m_checksView->setParent(right);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    setupTables();
    clear();
}

PrDetail::~PrDetail() = default;

QString PrDetail::html(const TaskChain &chain)
{
    DetailHtml s(tr("Pull request"));
    if (chain.pullRequest) {
        const PullRequestRecord &p = *chain.pullRequest;
        // The key and the state as the page names them; the merge fields are in the state.
        s.row(tr("Number"), tr("#%1").arg(p.number))
            .row(tr("Repository"), p.repo)
            .row(tr("State"), mergeState(p))
            .fields(p, pullRequestFields(), false, {"state", "draft", "merged_by", "merged_at"});
    } else if (chain.task.prNumber) {
        s.row(tr("Number"), tr("#%1").arg(*chain.task.prNumber))
            .row(tr("Details"), tr("The pull request itself was not ingested."));
    }
    return s.html(tr("No pull request recorded."));
}

void PrDetail::setChain(const TaskChain &chain)
{
    clear();
    m_metadata->setText(html(chain));
    m_taskId = chain.task.id;
    if (!m_taskId.isEmpty())
        m_taskLink->setText(u"<a href=\"task\">"_s %
                            tr("Task that produced it: %1").arg(m_taskId).toHtmlEscaped() %
                            u"</a>"_s);
    for (const ReviewRecord &r : chain.reviews)
        m_reviews->appendRow({item(r.reviewer), item(r.state),
                              item(DisplayText::timestamp(r.submittedAt)), item(r.commitId)});
    for (const CheckRunRecord &c : chain.checkRuns)
        m_checks->appendRow({item(c.name), item(c.conclusion.isEmpty() ? c.status : c.conclusion),
                             item(c.app), item(DisplayText::timestamp(c.completedAt))});
}

void PrDetail::clear()
{
    m_metadata->setText(DetailHtml(tr("Pull request")).html(tr("No pull request recorded.")));
    m_taskLink->clear();
    m_taskId.clear();
    m_reviews->removeRows(0, m_reviews->rowCount());
    m_checks->removeRows(0, m_checks->rowCount());
}

void PrDetail::setupTables()
{
    m_reviews->setHorizontalHeaderLabels(
        {tr("Reviewer"), tr("State"), tr("Submitted"), tr("Commit")});
    m_checks->setHorizontalHeaderLabels({tr("Check"), tr("Result"), tr("App"), tr("Completed")});
}

QString PrDetail::metadataHtml() const
{
    return m_metadata->text();
}

} // namespace Tasktrail
