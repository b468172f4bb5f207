#include "findingsmodel.h"

#include "asyncquery.h"
#include "displaytext.h"
#include "store/recordstore.h"

#include <QColor>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Hues that read on light and dark backgrounds alike.
QColor severityColour(Severity severity)
{
    switch (severity) {
    case Severity::Critical:
    case Severity::High:
        return QColor(0xd1, 0x24, 0x2f);
    case Severity::Medium:
        return QColor(0xbf, 0x87, 0x00);
    case Severity::Low:
        return QColor(0x09, 0x69, 0xda);
    case Severity::Info:
        break;
    }
    return {};
}

} // namespace

FindingsModel::FindingsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

FindingsModel::~FindingsModel() = default;

void FindingsModel::setQueries(AsyncQuery *queries, int slot)
{
    m_queries = queries;
    m_slot = slot;
}

bool FindingsModel::hasSource() const
{
    return m_paged && m_queries && !m_queries->database().isEmpty();
}

void FindingsModel::setFindings(const QList<Finding> &findings)
{
    if (m_queries)
        m_queries->cancel(m_slot);
    beginResetModel();
    m_paged = false;
    m_more = false;
    m_last.reset();
    m_findings = findings;
    endResetModel();
}

void FindingsModel::setSource(const FindingFilter &filter)
{
    m_filter = filter;
    m_filter.limit = m_pageSize;
    beginResetModel();
    // The rows go to the query thread to be freed there: a deep scroll holds many.
    if (m_queries)
        m_queries->dispose(std::exchange(m_findings, {}));
    else
        m_findings.clear();
    m_paged = true;
    m_last.reset();
    m_more = hasSource();
    endResetModel();
    if (m_more)
        loadMore();
    else if (m_queries)
        m_queries->cancel(m_slot);
}

void FindingsModel::setFindingSort(const FindingSort &sort)
{
    if (sort == m_sort)
        return;
    m_sort = sort;
    if (hasSource())
        setSource(m_filter);
    Q_EMIT findingSortChanged(m_sort);
}

namespace {

constexpr std::pair<FindingsModel::Column, FindingSortColumn> sortableColumns[] = {
    {FindingsModel::SeverityColumn, FindingSortColumn::Severity},
    {FindingsModel::RuleColumn, FindingSortColumn::Rule},
    {FindingsModel::TaskColumn, FindingSortColumn::Task},
};

} // namespace

std::optional<FindingSortColumn> FindingsModel::sortColumnOf(int section)
{
    for (const auto &[candidate, column] : sortableColumns)
        if (candidate == section)
            return column;
    return std::nullopt;
}

int FindingsModel::sectionOf(FindingSortColumn column)
{
    for (const auto &[section, candidate] : sortableColumns)
        if (candidate == column)
            return section;
    return -1;
}

void FindingsModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0)
        setFindingSort({});
    else if (const std::optional<FindingSortColumn> sorted = sortColumnOf(column))
        setFindingSort({*sorted, order == Qt::DescendingOrder});
}

void FindingsModel::loadMore()
{
    if (!m_more || !hasSource() || isLoading())
        return;
    m_queries->run(
        m_slot, this,
        [filter = m_filter, sort = m_sort, after = m_last](RecordStore &store) {
            return store.findingPage(filter, sort, after);
        },
        [this](const QList<KeyedFinding> &page) { pageArrived(page); });
}

bool FindingsModel::isLoading() const
{
    return m_queries && m_queries->isPending(m_slot);
}

void FindingsModel::pageArrived(const QList<KeyedFinding> &page)
{
    m_more = page.size() == m_filter.limit;
    if (!page.isEmpty()) {
        m_last = page.constLast().key;
        beginInsertRows({}, int(m_findings.size()), int(m_findings.size() + page.size()) - 1);
        for (const KeyedFinding &keyed : page)
            m_findings << keyed.finding;
        endInsertRows();
    }
    Q_EMIT pageLoaded();
}

void FindingsModel::clear()
{
    setFindings({});
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FindingsModel::severityText(Severity severity)
{
    switch (severity) {
    case Severity::Critical:
        return tr("Critical");
    case Severity::High:
        return tr("High");
    case Severity::Medium:
        return tr("Medium");
    case Severity::Low:
        return tr("Low");
    case Severity::Info:
        break;
    }
    return tr("Info");
}

QString FindingsModel::evidenceText(const Finding &f)
{
    switch (f.evidenceKind) {
    case EvidenceKind::Command:
        return tr("command %1").arg(f.commandSeq);
    case EvidenceKind::LogLine:
        return tr("log line %1:%2").arg(f.commandSeq).arg(f.lineNo);
    case EvidenceKind::File:
        return tr("file %1").arg(f.evidenceRef);
    case EvidenceKind::Test:
        return tr("test %1").arg(f.evidenceRef);
    case EvidenceKind::Contact:
        return tr("host %1").arg(f.evidenceRef);
    case EvidenceKind::PullRequest:
        return tr("pull request");
    case EvidenceKind::Review:
        return tr("review by %1").arg(f.evidenceRef);
    case EvidenceKind::CheckRun:
        return tr("check %1").arg(f.evidenceRef);
    case EvidenceKind::Identity:
        return tr("identity");
    case EvidenceKind::Request:
        return tr("request");
    case EvidenceKind::AuditEvent:
        return tr("audit event %1").arg(f.evidenceRef);
    case EvidenceKind::Task:
        break;
    }
    return tr("task");
}

QString FindingsModel::triageText(TriageState state)
{
    switch (state) {
    case TriageState::New:
        return tr("new");
    case TriageState::Acknowledged:
        return tr("acknowledged");
    case TriageState::FalsePositive:
        return tr("false positive");
    case TriageState::NeedsFollowUp:
        return tr("needs follow-up");
    case TriageState::Fixed:
        return tr("fixed");
    }
    return {};
}

QString FindingsModel::triageToolTip(const FindingTriage &triage)
{
    if (!triage.at.isValid())
        return tr("Not triaged yet");
    const QString who =
        tr("%1 by %2, %3")
            .arg(triageText(triage.state), triage.by, DisplayText::timestamp(triage.at));
    return triage.note.isEmpty() ? who : who % u"\n"_s % triage.note;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Finding &f = m_findings.at(index.row());
    switch (role) {
    case SeverityRole:
        return int(f.severity);
    case RuleRole:
        return f.rule;
    case TaskIdRole:
        return f.taskId;
    case FindingIdRole:
        return f.id;
    case TriageStateRole:
        return int(f.triage.state);
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn) {
            const QColor c = severityColour(f.severity);
            return c.isValid() ? QVariant(c) : QVariant();
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == StateColumn)
            return triageToolTip(f.triage);
        return index.column() == MessageColumn ? f.message : QVariant();
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case SeverityColumn:
        return severityText(f.severity);
    case RuleColumn:
        return f.rule;
    case StateColumn:
        return triageText(f.triage.state);
    case TaskColumn:
        return f.taskId;
    case MessageColumn:
        return f.message;
    case EvidenceColumn:
        return evidenceText(f);
    case WhenColumn:
        return DisplayText::timestamp(f.at);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case SeverityColumn:
        return tr("Severity");
    case RuleColumn:
        return tr("Rule");
    case StateColumn:
        return tr("State");
    case TaskColumn:
        return tr("Task");
    case MessageColumn:
        return tr("Finding");
    case EvidenceColumn:
        return tr("Evidence");
    case WhenColumn:
        return tr("When");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace Tasktrail
