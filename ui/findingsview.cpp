#include "findingsview.h"

#include "asyncquery.h"
#include "copylink.h"
#include "filterwidgets.h"
#include "findingsmodel.h"
#include "idcolumns.h"
#include "layoutstate.h"
#include "store/recordstore.h"
#include "text/username.h"
#include "triagedialog.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
using namespace FilterWidgets;

namespace {

enum QuerySlot
{
    ChoicesSlot,
    FindingsSlot,
};

// The severity filter's data for "only this severity": above every minimum.
constexpr int exactOffset = 100;

} // namespace

FindingsView::FindingsView(QWidget *parent)
    : QWidget(parent)
    , m_queries(new AsyncQuery(this))
    , m_model(new FindingsModel(this))
{
    m_severity = new QComboBox(this);
    m_severity->setObjectName(u"severityFilter"_s);
    m_severity->setToolTip(tr("Least severity shown"));
    m_severity->addItem(tr("Any severity"), -1);
    for (const Severity s : {Severity::Low, Severity::Medium, Severity::High, Severity::Critical})
        m_severity->addItem(tr("%1 and above").arg(FindingsModel::severityText(s)), int(s));
    // One severity alone (what a bar of the Overview opens): data exactOffset + the severity.
    for (const Severity s :
         {Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical})
        m_severity->addItem(tr("%1 only").arg(FindingsModel::severityText(s)),
                            exactOffset + int(s));
    m_rule = choiceCombo(u"ruleFilter"_s, tr("Rule"), this);
    m_repo = choiceCombo(u"findingRepoFilter"_s, tr("Repository"), this);
    m_identity = choiceCombo(u"identityFilter"_s, tr("Identity"), this);
    m_policy = choiceCombo(u"findingPolicyFilter"_s, tr("Policy"), this);
    m_state = new QComboBox(this);
    m_state->setObjectName(u"triageStateFilter"_s);
    m_state->setToolTip(tr("Triage state shown"));
    m_state->addItem(tr("Any state"), -1);
    for (const TriageState s : allTriageStates())
        m_state->addItem(FindingsModel::triageText(s), int(s));
    m_triage = new QPushButton(tr("Triage\u2026"), this);
    m_triage->setObjectName(u"triageButton"_s);
    m_triage->setToolTip(tr("Set the state of the selected findings, with a note"));
    m_triage->setEnabled(false);
    connect(m_triage, &QPushButton::clicked, this, &FindingsView::triageSelectedWithDialog);
    m_from = timeEdit(u"findingFromFilter"_s, this);
    m_until = timeEdit(u"findingUntilFilter"_s, this);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    for (QWidget *w : std::initializer_list<QWidget *>{m_severity, m_state, m_rule, m_repo,
                                                       m_identity, m_policy})
        bar->addWidget(w);
    bar->addWidget(new QLabel(tr("From"), this));
    bar->addWidget(m_from);
    bar->addWidget(new QLabel(tr("to"), this));
    bar->addWidget(m_until);
    bar->addStretch(1);
    bar->addWidget(m_triage);

    m_table = new QTableView(this);
    m_table->setObjectName(u"findingsTable"_s);
    m_model->setQueries(m_queries, FindingsSlot);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several rows at once: triage applies to the selection.
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    showIdsElided(m_table, {FindingsModel::TaskColumn});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    addCopyLinkAction(m_table,
                      linkFromRole(TasktrailLink::Kind::Finding, FindingsModel::FindingIdRole));
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(FindingsModel::MessageColumn,
                                                      QHeaderView::Stretch);
    indicateSort();
    m_table->setSortingEnabled(true);
    connect(m_model, &FindingsModel::pageLoaded, this, &FindingsView::updateStatus);
    // Scrolled to the end: the next page, read from the key of the last row. Also when the
    // view is at the end as the rows of a page are laid out (the end reached while that page
    // was being read, or rows that do not fill the table): no scroll would ask again.
    QScrollBar *scroll = m_table->verticalScrollBar();
    const auto loadAtEnd = [this, scroll] {
        // A hidden table has no end to be at: it would read every page.
        if (m_table->isVisible() && scroll->value() == scroll->maximum())
            m_model->loadMore();
    };
    connect(scroll, &QScrollBar::valueChanged, this, loadAtEnd);
    connect(scroll, &QScrollBar::rangeChanged, this, loadAtEnd);
    // A click on a column that cannot be sorted leaves the order, and the indicator, as is.
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            &FindingsView::indicateSort);
    m_status = new QLabel(this);
    m_status->setObjectName(u"findingsStatus"_s);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &FindingsView::updateTriageButton);
    connect(m_model, &QAbstractItemModel::modelReset, this, &FindingsView::updateTriageButton);
    for (QComboBox *box : {m_severity, m_state, m_rule, m_repo, m_identity, m_policy})
        connect(box, &QComboBox::currentIndexChanged, this, &FindingsView::load);
    for (QDateTimeEdit *edit : {m_from, m_until})
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &FindingsView::load);
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT findingActivated(m_model->finding(index.row()));
    });
    load();
}

FindingsView::~FindingsView() = default;

void FindingsView::setFindingSort(const FindingSort &sort)
{
    m_model->setFindingSort(sort);
    indicateSort();
    load();
}

void FindingsView::indicateSort()
{
    const FindingSort &sort = m_model->findingSort();
    QHeaderView *header = m_table->horizontalHeader();
    const QSignalBlocker quiet(header);
    header->setSortIndicator(FindingsModel::sectionOf(sort.column),
                             sort.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
}

void FindingsView::setStore(RecordStore *store)
{
    m_queries->setDatabase(store ? store->location() : QString());
    reload();
}

bool FindingsView::isLoading() const
{
    return m_queries->isPending(ChoicesSlot) || m_model->isLoading();
}

void FindingsView::fillChoices(QComboBox *box, const QStringList &values)
{
    const QString current = choice(box);
    while (box->count() > 1)
        box->removeItem(1);
    for (const QString &value : values)
        box->addItem(value, value);
    if (!current.isEmpty())
        choose(box, current);
}

void FindingsView::reload()
{
    struct Choices
    {
        QStringList rules, identities, repos, policies;
    };
    const auto fill = [this](const Choices &choices) {
        {
            const QScopedValueRollback updating(m_updating, true);
            fillChoices(m_rule, choices.rules);
            fillChoices(m_identity, choices.identities);
            fillChoices(m_repo, choices.repos);
            fillChoices(m_policy, choices.policies);
        }
        load();
    };
    if (m_queries->database().isEmpty()) {
        m_queries->cancel(ChoicesSlot);
        fill({});
        return;
    }
    m_queries->run(
        ChoicesSlot, this,
        [](RecordStore &store) {
            return Choices{store.findingFacetValues(FindingFacet::Rule),
                           store.findingFacetValues(FindingFacet::Identity),
                           store.facetValues(TaskFacet::Repository),
                           store.facetValues(TaskFacet::Policy)};
        },
        fill);
}

FindingFilter FindingsView::filter() const
{
    FindingFilter f;
    if (const int severity = m_severity->currentData().toInt(); severity >= exactOffset)
        f.severity = Severity(severity - exactOffset);
    else if (severity >= 0)
        f.minSeverity = Severity(severity);
    f.rule = choice(m_rule);
    f.repo = choice(m_repo);
    f.identityId = choice(m_identity);
    f.policyId = choice(m_policy);
    if (const int state = m_state->currentData().toInt(); state >= 0)
        f.triageState = TriageState(state);
    f.from = timeOf(m_from);
    f.until = timeOf(m_until);
    return f;
}

void FindingsView::setFilter(const FindingFilter &filter)
{
    {
        const QScopedValueRollback updating(m_updating, true);
        const int severity = filter.severity      ? exactOffset + int(*filter.severity)
                             : filter.minSeverity ? int(*filter.minSeverity)
                                                  : -1;
        m_severity->setCurrentIndex(std::max(0, m_severity->findData(severity)));
        const int state = filter.triageState ? int(*filter.triageState) : -1;
        m_state->setCurrentIndex(std::max(0, m_state->findData(state)));
        choose(m_rule, filter.rule);
        choose(m_repo, filter.repo);
        choose(m_identity, filter.identityId);
        choose(m_policy, filter.policyId);
        setTime(m_from, filter.from);
        setTime(m_until, filter.until);
    }
    load();
}

void FindingsView::load()
{
    if (m_updating)
        return;
    if (m_queries->database().isEmpty()) {
        m_queries->cancel(FindingsSlot);
        m_model->clear();
        m_status->setText(tr("No database is open."));
        Q_EMIT loaded();
        return;
    }
    // Pages are read on the query thread as the table scrolls (FindingsModel); the status
    // says so until the first arrives.
    m_model->setSource(filter());
    m_status->setText(tr("Reading findings\u2026"));
}

void FindingsView::updateStatus()
{
    if (m_queries->database().isEmpty())
        return;
    const int count = m_model->rowCount();
    if (m_model->hasMore())
        m_status->setText(tr("The first %L1 findings; scroll down for more.").arg(count));
    else
        m_status->setText(count == 0   ? tr("No findings.")
                          : count == 1 ? tr("1 finding.")
                                       : tr("%L1 findings.").arg(count));
    Q_EMIT loaded();
}

QList<qint64> FindingsView::selectedFindingIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &row : m_table->selectionModel()->selectedRows())
        ids << m_model->finding(row.row()).id;
    std::sort(ids.begin(), ids.end());
    return ids;
}

void FindingsView::updateTriageButton()
{
    m_triage->setEnabled(m_table->selectionModel()->hasSelection() && !m_queries->isWriting());
}

void FindingsView::triageSelectedWithDialog()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    TriageDialog dialog(int(rows.size()), m_model->finding(rows.constFirst().row()).triage.state,
                        this);
    if (dialog.exec() == QDialog::Accepted)
        triageSelected(dialog.state(), dialog.note());
}

bool FindingsView::triageSelected(TriageState state, const QString &note)
{
    const QList<qint64> ids = selectedFindingIds();
    if (ids.isEmpty() || m_queries->isWriting())
        return false;
    FindingTriage triage;
    triage.state = state;
    triage.note = note;
    triage.by = currentUserName();
    triage.at = QDateTime::currentDateTimeUtc();
    const QString done =
        ids.size() == 1 ? tr("1 finding is now %1.").arg(FindingsModel::triageText(triage.state))
                        : tr("%L1 findings are now %2.")
                              .arg(ids.size())
                              .arg(FindingsModel::triageText(triage.state));
    const bool queued = m_queries->write(
        this,
        [ids, triage](RecordStore &store) {
            return store.triageFindings(ids, triage) ? QString() : store.errorString();
        },
        [this, done](const std::optional<QString> &outcome, const QString &openError) {
            const QString error = !outcome ? openError : *outcome;
            load();
            m_status->setText(error.isEmpty() ? done : tr("Triage failed: %1").arg(error));
            updateTriageButton();
            Q_EMIT triaged(error);
        });
    if (queued) {
        m_status->setText(tr("Saving the triage\u2026"));
        updateTriageButton();
    }
    return queued;
}

QString FindingsView::statusText() const
{
    return m_status->text();
}

QByteArray FindingsView::saveLayout() const
{
    return saveLayoutState({{}, {m_table->horizontalHeader()}});
}

bool FindingsView::restoreLayout(const QByteArray &state)
{
    const bool restored = restoreLayoutState({{}, {m_table->horizontalHeader()}}, state);
    indicateSort(); // the model's order, not the one of the saved header
    return restored;
}

} // namespace Tasktrail
