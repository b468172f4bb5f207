#pragma once

#include "records/launchrecords.h"

#include <QGroupBox>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace Tasktrail {

// The evidence for a queue entry in needs_confirmation, and a person's answer: what each
// attempt sent and when, what answered, what looking for the task found, the candidate tasks
// (picking one fills in its id), and Confirm Created (with the remote id) or Confirm Not
// Created (the queue then creates the task once more). The answer itself is the owner's to
// write: answered() carries it.
class ConfirmationPanel final : public QGroupBox
{
    Q_OBJECT

public:
    explicit ConfirmationPanel(QWidget *parent = nullptr);
    ~ConfirmationPanel() override;

    // Shows the task's attempts; the same ones again leave the panel (and what was typed) alone.
    void setEvidence(const QString &taskId, const QList<LaunchAttempt> &attempts);
    QString taskId() const { return m_taskId; }
    // While an answer is being recorded the buttons wait for its outcome.
    void setAnswering(bool answering);

    QString evidenceText() const;
    QTreeWidget *candidates() const { return m_candidates; }
    QLineEdit *remoteIdEdit() const { return m_remoteId; }
    QPushButton *createdButton() const { return m_created; }
    QPushButton *notCreatedButton() const { return m_notCreated; }

Q_SIGNALS:
    // remoteId empty: the person says GitHub did not create the task.
    void answered(const QString &taskId, const QString &remoteId);

private:
    void updateButtons();

    QString m_taskId;
    bool m_answering = false;
    QString m_shown; // what the panel shows now, to leave it alone on a refresh
    QLabel *m_evidence = nullptr;
    QTreeWidget *m_candidates = nullptr;
    QLineEdit *m_remoteId = nullptr;
    QPushButton *m_created = nullptr;
    QPushButton *m_notCreated = nullptr;
};

} // namespace Tasktrail
