#include "issuespanel.h"

#include "issuesmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {

IssuesPanel::IssuesPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new IssuesModel(this))
    , m_view(new QTreeView(this))
    , m_summaryLabel(new QLabel(this))
    , m_clearButton(new QPushButton(tr("Clear"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *bar = new QHBoxLayout;
    m_summaryLabel->setObjectName(u"issuesSummary"_s);
    bar->addWidget(m_summaryLabel, 1);
    m_clearButton->setObjectName(u"clearIssuesButton"_s);
    bar->addWidget(m_clearButton);
    layout->addLayout(bar);

    m_view->setObjectName(u"issuesView"_s);
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true); // thousands of rejected lines must scroll smoothly
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->resizeSection(IssuesModel::SeverityColumn,
                                    fontMetrics().horizontalAdvance(tr("Warning")) + 48);
    m_view->header()->resizeSection(IssuesModel::FileColumn,
                                    fontMetrics().horizontalAdvance(u"tasks-2026-01-01.jsonl"_s));
    m_view->header()->resizeSection(IssuesModel::LineColumn,
                                    fontMetrics().horizontalAdvance(u"0000000"_s) + 12);
    layout->addWidget(m_view);

    connect(m_view, &QTreeView::activated, this, &IssuesPanel::activate);
    connect(m_clearButton, &QPushButton::clicked, m_model, &IssuesModel::clear);
    connect(m_model, &IssuesModel::countsChanged, this, &IssuesPanel::updateSummary);
    updateSummary();
}

IssuesPanel::~IssuesPanel() = default;

QString IssuesPanel::summary() const
{
    return m_summaryLabel->text();
}

void IssuesPanel::activate(const QModelIndex &index)
{
    if (index.isValid())
        Q_EMIT issueActivated(m_model->issue(index.row()));
}

void IssuesPanel::updateSummary()
{
    const qint64 errors = m_model->errorCount();
    const qint64 warnings = m_model->warningCount();
    QString text;
    if (errors == 0 && warnings == 0)
        text = tr("No issues");
    else
        text = (errors == 1 ? tr("1 error") : tr("%L1 errors").arg(errors)) % u", "_s %
               (warnings == 1 ? tr("1 warning") : tr("%L1 warnings").arg(warnings));
    if (m_model->droppedCount() > 0)
        text += u' ' % tr("(%L1 not listed)").arg(m_model->droppedCount());
    m_summaryLabel->setText(text);
    m_clearButton->setEnabled(m_model->count() > 0 || m_model->droppedCount() > 0);
}

} // namespace Tasktrail
