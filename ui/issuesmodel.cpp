#include "issuesmodel.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace Tasktrail {

IssuesModel::IssuesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    qRegisterMetaType<Tasktrail::IngestIssue>();
    // Icons need a widget style; without a QApplication (a headless tool) the text suffices.
    if (qobject_cast<QApplication *>(QCoreApplication::instance())) {
        m_errorIcon = QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
        m_warningIcon = QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    }
}

IssuesModel::~IssuesModel() = default;

void IssuesModel::append(const IngestIssue &issue)
{
    ++(issue.severity == IngestIssue::Severity::Error ? m_errors : m_warnings);
    if (m_issues.size() >= maxIssues) {
        ++m_dropped;
    } else {
        const int row = count();
        beginInsertRows({}, row, row);
        m_issues.append(issue);
        endInsertRows();
    }
    Q_EMIT countsChanged();
}

void IssuesModel::clear()
{
    beginResetModel();
    m_issues.clear();
    m_dropped = 0;
    m_errors = 0;
    m_warnings = 0;
    endResetModel();
    Q_EMIT countsChanged();
}

int IssuesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

int IssuesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString IssuesModel::severityText(IngestIssue::Severity severity)
{
    switch (severity) {
    case IngestIssue::Severity::Warning:
        return tr("Warning");
    case IngestIssue::Severity::Error:
        return tr("Error");
    }
    return {};
}

QVariant IssuesModel::displayData(const IngestIssue &issue, int column) const
{
    switch (column) {
    case SeverityColumn:
        return severityText(issue.severity);
    case FileColumn:
        return QFileInfo(issue.file).fileName();
    case LineColumn:
        return issue.line > 0 ? QVariant(issue.line) : QVariant();
    case ReasonColumn:
        return issue.reason;
    default:
        return {};
    }
}

QVariant IssuesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const IngestIssue &issue = m_issues.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(issue, index.column());
    case Qt::ToolTipRole:
        if (index.column() == FileColumn)
            return QDir::toNativeSeparators(issue.file);
        return issue.toString();
    case Qt::DecorationRole:
        if (index.column() != SeverityColumn)
            return {};
        return issue.severity == IngestIssue::Severity::Error ? m_errorIcon : m_warningIcon;
    case Qt::TextAlignmentRole:
        if (index.column() == LineColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IssueRole:
        return QVariant::fromValue(issue);
    case SeverityRole:
        return QVariant::fromValue(issue.severity);
    case FilePathRole:
        return issue.file;
    case LineRole:
        return issue.line;
    default:
        return {};
    }
}

QVariant IssuesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case FileColumn:
        return tr("File");
    case LineColumn:
        return tr("Line");
    case ReasonColumn:
        return tr("Reason");
    default:
        return {};
    }
}

} // namespace Tasktrail
