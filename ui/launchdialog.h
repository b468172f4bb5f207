#pragma once

#include "launch/launchplanner.h"

#include <QDialog>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTableWidget;

namespace Tasktrail {

class LaunchPlanModel;
class RecordStore;
class TokenSource;

// "Launch Tasks": one stored template over repositories under a stored policy. Dry Run plans
// the launch and shows every repository's decision; Launch submits exactly what the last dry
// run showed, and is enabled only while the inputs are those of a successful dry run.
class LaunchDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit LaunchDialog(RecordStore &store, QWidget *parent = nullptr);
    ~LaunchDialog() override;

    // Where the identity's token is read to record its hash; by default the desktop keychain.
    // Not owned; nullptr restores the default.
    void setTokenSource(TokenSource *tokens);
    void setClock(LaunchPlanner::Clock clock) { m_clock = std::move(clock); }

    // The request the inputs describe now.
    LaunchRequest request() const;
    // The placeholders of a prompt other than {repo}, in order of first use.
    static QStringList promptParameters(const QString &prompt);

    LaunchPlanModel *planModel() const { return m_planModel; }
    QString summaryText() const;
    QString errorText() const;
    bool canLaunch() const;
    // What the accepted launch did (campaign id, task ids).
    const LaunchSubmission &submission() const { return m_submission; }

public Q_SLOTS:
    bool dryRun();
    bool launch();

private:
    QWidget *createInputs();
    void fillDocuments();
    void prefillParameters();
    void invalidate();
    LaunchPlanner planner();

    RecordStore &m_store;
    std::unique_ptr<TokenSource> m_keychain;
    TokenSource *m_tokens = nullptr;
    LaunchPlanner::Clock m_clock;
    QComboBox *m_template = nullptr;
    QComboBox *m_policy = nullptr;
    QLineEdit *m_identity = nullptr;
    QComboBox *m_identityKind = nullptr;
    QLineEdit *m_requester = nullptr;
    QLineEdit *m_trigger = nullptr;
    QPlainTextEdit *m_repositories = nullptr;
    QLineEdit *m_query = nullptr;
    QTableWidget *m_parameters = nullptr;
    QComboBox *m_backend = nullptr;
    QLineEdit *m_idempotencyKey = nullptr;
    QTableView *m_planTable = nullptr;
    LaunchPlanModel *m_planModel = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_dryRun = nullptr;
    QPushButton *m_launch = nullptr;
    bool m_planned = false;
    LaunchSubmission m_submission;
};

} // namespace Tasktrail
