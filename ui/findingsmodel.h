#pragma once

#include "records/finding.h"

#include <QAbstractTableModel>
#include <QList>

namespace Tasktrail {

// Findings as a table, most severe first as the store returns them. A review shows at most a
// few thousand at once (the store's query is limited), so the model holds them all.
class FindingsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SeverityColumn,
        RuleColumn,
        TaskColumn,
        MessageColumn,
        EvidenceColumn,
        WhenColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        SeverityRole = Qt::UserRole, // int (Severity)
        RuleRole,                    // QString
        TaskIdRole,                  // QString
    };
    Q_ENUM(Role)

    explicit FindingsModel(QObject *parent = nullptr);
    ~FindingsModel() override;

    void setFindings(const QList<Finding> &findings);
    void clear();
    const QList<Finding> &findings() const { return m_findings; }
    const Finding &finding(int row) const { return m_findings.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "command 3", "file src/a.ts", "log line 3:120": where the evidence is, in words.
    static QString evidenceText(const Finding &finding);
    static QString severityText(Severity severity);

private:
    QList<Finding> m_findings;
};

} // namespace Tasktrail
