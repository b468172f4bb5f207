#include "runsfilterbar.h"

#include "filterwidgets.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScopedValueRollback>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace Tasktrail {
using namespace FilterWidgets;

RunsFilterBar::RunsFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_textTimer(new QTimer(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_text = new QLineEdit(this);
    m_text->setObjectName(u"filterText"_s);
    m_text->setPlaceholderText(tr("Filter by task, repository, requester or prompt"));
    m_text->setClearButtonEnabled(true);
    m_text->setMinimumWidth(m_text->fontMetrics().averageCharWidth() * 16);
    layout->addWidget(m_text, 2);

    m_state = addCombo(u"stateFilter"_s, tr("State"));
    m_repo = addCombo(u"repoFilter"_s, tr("Repository"));
    m_identityKind = addCombo(u"identityKindFilter"_s, tr("Identity"));
    m_policy = addCombo(u"policyFilter"_s, tr("Policy"));
    m_campaign = addCombo(u"campaignFilter"_s, tr("Campaign"));

    m_from = timeEdit(u"fromFilter"_s, this);
    m_to = timeEdit(u"toFilter"_s, this);
    layout->addWidget(new QLabel(tr("From"), this));
    layout->addWidget(m_from);
    layout->addWidget(new QLabel(tr("to"), this));
    layout->addWidget(m_to);

    m_pullRequest = new QToolButton(this);
    m_pullRequest->setObjectName(u"pullRequestFilter"_s);
    m_pullRequest->setToolTip(tr("Show runs with any pull request"));
    m_pullRequest->setVisible(false);
    layout->addWidget(m_pullRequest);
    connect(m_pullRequest, &QToolButton::clicked, this, [this] {
        m_pullRequestTerms = {};
        showPullRequestTerms();
        announce();
    });

    m_textTimer->setSingleShot(true);
    m_textTimer->setInterval(textDelayMs);
    connect(m_text, &QLineEdit::textChanged, m_textTimer, qOverload<>(&QTimer::start));
    connect(m_textTimer, &QTimer::timeout, this, &RunsFilterBar::announce);
    connect(m_text, &QLineEdit::returnPressed, this, &RunsFilterBar::announce);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &RunsFilterBar::announce);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &RunsFilterBar::announce);
}

RunsFilterBar::~RunsFilterBar() = default;

QComboBox *RunsFilterBar::addCombo(const QString &name, const QString &label)
{
    QComboBox *box = choiceCombo(name, label, this);
    layout()->addWidget(box);
    connect(box, &QComboBox::currentIndexChanged, this, &RunsFilterBar::announce);
    return box;
}

QComboBox *RunsFilterBar::combo(TaskFacet facet) const
{
    switch (facet) {
    case TaskFacet::State:
        return m_state;
    case TaskFacet::Repository:
        return m_repo;
    case TaskFacet::IdentityKind:
        return m_identityKind;
    case TaskFacet::Policy:
        return m_policy;
    case TaskFacet::Campaign:
        return m_campaign;
    }
    return nullptr;
}

void RunsFilterBar::setFacetValues(TaskFacet facet, const QStringList &values)
{
    QComboBox *box = combo(facet);
    const QString current = choice(box);
    {
        const QScopedValueRollback updating(m_updating, true);
        while (box->count() > 1)
            box->removeItem(1);
        for (const QString &value : values)
            if (!value.isEmpty())
                box->addItem(value, value);
        if (!current.isEmpty())
            choose(box, current);
    }
    announce(); // a kept choice is the same filter, so this announces nothing
}

QStringList RunsFilterBar::facetValues(TaskFacet facet) const
{
    const QComboBox *box = combo(facet);
    QStringList values;
    for (int i = 1; i < box->count(); ++i)
        values << box->itemData(i).toString();
    return values;
}

TaskFilter RunsFilterBar::filter() const
{
    TaskFilter f;
    f.text = m_text->text().trimmed();
    f.state = choice(m_state);
    f.repo = choice(m_repo);
    f.identityKind = choice(m_identityKind);
    f.policyId = choice(m_policy);
    f.campaignId = choice(m_campaign);
    f.from = timeOf(m_from);
    f.to = timeOf(m_to);
    f.pullRequest = m_pullRequestTerms.pullRequest;
    f.pullRequestFrom = m_pullRequestTerms.pullRequestFrom;
    f.pullRequestTo = m_pullRequestTerms.pullRequestTo;
    f.reviewTeam = m_pullRequestTerms.reviewTeam;
    return f;
}

void RunsFilterBar::setFilter(const TaskFilter &filter)
{
    {
        const QScopedValueRollback updating(m_updating, true);
        m_text->setText(filter.text);
        m_textTimer->stop();
        choose(m_state, filter.state);
        choose(m_repo, filter.repo);
        choose(m_identityKind, filter.identityKind);
        choose(m_policy, filter.policyId);
        choose(m_campaign, filter.campaignId);
        setTime(m_from, filter.from);
        setTime(m_to, filter.to);
        m_pullRequestTerms = {};
        m_pullRequestTerms.pullRequest = filter.pullRequest;
        m_pullRequestTerms.pullRequestFrom = filter.pullRequestFrom;
        m_pullRequestTerms.pullRequestTo = filter.pullRequestTo;
        m_pullRequestTerms.reviewTeam = filter.reviewTeam;
        showPullRequestTerms();
    }
    announce();
}

void RunsFilterBar::showPullRequestTerms()
{
    const TaskFilter &f = m_pullRequestTerms;
    const bool any = f != TaskFilter();
    m_pullRequest->setVisible(any);
    if (!any)
        return;
    const QString kind = f.pullRequest == u"merged"            ? tr("PR merged")
                         : f.pullRequest == u"awaiting_review" ? tr("PR awaiting review")
                                                               : tr("PR opened");
    QStringList parts{kind};
    // A range of whole UTC days, as the Overview opens it: its first and last day.
    const QDate first = f.pullRequestFrom.toUTC().date();
    if (f.pullRequestFrom.isValid() && f.pullRequestTo == f.pullRequestFrom.addDays(1)) {
        parts << tr("on %1").arg(first.toString(Qt::ISODate));
    } else {
        if (f.pullRequestFrom.isValid())
            parts << tr("from %1").arg(first.toString(Qt::ISODate));
        if (f.pullRequestTo.isValid())
            parts << tr("before %1").arg(f.pullRequestTo.toUTC().date().toString(Qt::ISODate));
    }
    if (!f.reviewTeam.isEmpty())
        parts << tr("for %1").arg(f.reviewTeam);
    m_pullRequest->setText(parts.join(u' ') + u" \u2715"_s);
}

void RunsFilterBar::announce()
{
    if (m_updating)
        return;
    m_textTimer->stop();
    const TaskFilter current = filter();
    if (current == m_announced)
        return;
    m_announced = current;
    Q_EMIT filterChanged(current);
}

} // namespace Tasktrail
