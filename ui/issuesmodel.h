#pragma once

#include "ingest/ingestissue.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <QList>

namespace Tasktrail {

// The issues an import reported (file, line, reason), in the order they arrived. A file of a
// million bad lines would otherwise fill memory with its issues: past maxIssues they are
// counted, not kept.
class IssuesModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SeverityColumn,
        FileColumn,
        LineColumn,
        ReasonColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        IssueRole = Qt::UserRole, // IngestIssue
        SeverityRole,             // IngestIssue::Severity
        FilePathRole,             // QString, the full path
        LineRole,                 // qint64, 0 for the whole file
    };
    Q_ENUM(Role)

    static constexpr int maxIssues = 10000;

    explicit IssuesModel(QObject *parent = nullptr);
    ~IssuesModel() override;

    void append(const Tasktrail::IngestIssue &issue);
    void clear();

    // Issues kept, and those past maxIssues that were only counted.
    int count() const { return int(m_issues.size()); }
    qint64 droppedCount() const { return m_dropped; }
    qint64 errorCount() const { return m_errors; }
    qint64 warningCount() const { return m_warnings; }
    IngestIssue issue(int row) const { return m_issues.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString severityText(IngestIssue::Severity severity);

Q_SIGNALS:
    // After every append() and clear(), with the counts as they now are.
    void countsChanged();

private:
    QVariant displayData(const IngestIssue &issue, int column) const;

    QList<IngestIssue> m_issues;
    qint64 m_dropped = 0;
    qint64 m_errors = 0;
    qint64 m_warnings = 0;
    QIcon m_errorIcon;
    QIcon m_warningIcon;
};

} // namespace Tasktrail
