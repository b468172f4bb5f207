#pragma once

#include "ingest/ingestissue.h"

#include <QWidget>

class QLabel;
class QModelIndex;
class QPushButton;
class QTreeView;

namespace Tasktrail {

class IssuesModel;

// The issues of the imports so far: a list the user can read, clear, and jump from.
class IssuesPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit IssuesPanel(QWidget *parent = nullptr);
    ~IssuesPanel() override;

    // Owned by the panel; feed it with ImportController::issueFound.
    IssuesModel *model() const { return m_model; }
    // "2 errors, 1 warning", with the count of those not kept.
    QString summary() const;

Q_SIGNALS:
    // Double-click or Enter on an issue.
    void issueActivated(const Tasktrail::IngestIssue &issue);

private:
    void activate(const QModelIndex &index);
    void updateSummary();

    IssuesModel *m_model = nullptr;
    QTreeView *m_view = nullptr;
    QLabel *m_summaryLabel = nullptr;
    QPushButton *m_clearButton = nullptr;
};

} // namespace Tasktrail
