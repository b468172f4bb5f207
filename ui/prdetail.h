#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTableView;

namespace Tasktrail {

struct TaskChain;

// The pull request a task produced: its metadata, its reviews and the check runs of its head
// commit, and a way back to the task that produced it. Recorded strings reach the rich-text
// label only escaped; the link carries no recorded text at all.
class PrDetail final : public QWidget
{
    Q_OBJECT

public:
    enum ReviewColumn
    {
        ReviewerColumn,
        ReviewStateColumn,
        ReviewSubmittedColumn,
        ReviewCommitColumn,
        ReviewColumnCount
    };
    enum CheckColumn
    {
        CheckNameColumn,
        CheckResultColumn,
        CheckAppColumn,
        CheckCompletedColumn,
        CheckColumnCount
    };

    explicit PrDetail(QWidget *parent = nullptr);
    ~PrDetail() override;

    void setChain(const TaskChain &chain);
    void clear();

    QString metadataHtml() const;
    QString taskId() const { return m_taskId; }
    QStandardItemModel *reviewsModel() const { return m_reviews; }
    QStandardItemModel *checkRunsModel() const { return m_checks; }
    QLabel *taskLink() const { return m_taskLink; }

    static QString html(const TaskChain &chain);

Q_SIGNALS:
    void taskRequested(const QString &taskId);

private:
    void setupTables();

    QLabel *m_metadata = nullptr;
    QLabel *m_taskLink = nullptr;
    QStandardItemModel *m_reviews = nullptr;
    QStandardItemModel *m_checks = nullptr;
    QTableView *m_reviewsView = nullptr;
    QTableView *m_checksView = nullptr;
    QString m_taskId;
};

} // namespace Tasktrail
