#pragma once

#include "launch/launchplanner.h"

#include <QDialog>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTableWidget;

namespace Tasktrail {

class AsyncQuery;
class LaunchPlanModel;
class RecordStore;
class TokenSource;

// "Launch Tasks": one stored template over repositories under a stored policy. Dry Run plans
// the launch and shows every repository's decision; Launch submits exactly what the last dry
// run showed, and is enabled only while the inputs are those of a successful dry run. The
// stored templates and policies are read, the dry run planned and the submit (one write
// transaction, once the keychain answered) written on the dialog's query thread: the GUI
// thread never waits on the database.
class LaunchDialog final : public QDialog
{
    Q_OBJECT

public:
    // Only the store's location is used: the dialog reads and writes through connections of
    // its own.
    explicit LaunchDialog(RecordStore &store, QWidget *parent = nullptr);
    ~LaunchDialog() override;

    // Where the identity's token is read to record its hash; by default (nullptr) the desktop
    // keychain, asked without waiting for it. Not owned; asked on the GUI thread when Launch
    // is pressed.
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

    // True from Launch until the submit's outcome arrived (the keychain's answer, then the
    // write).
    bool isLaunching() const { return m_launching; }
    // True while the stored documents or a dry run are being read.
    bool isLoading() const;

public Q_SLOTS:
    // Plans the launch on the query thread; dryRunFinished() reports the outcome. False when
    // it cannot start (the documents are still being read).
    bool dryRun();
    // Submits what the last dry run showed. False, with the reason shown, when it cannot;
    // true once the submit (with the keychain: the token) is asked for. The dialog is
    // accepted when the submit succeeds; launchFinished() says either way, and a failure shows
    // under the table.
    bool launch();
    // Closes the dialog, except while a submit is being written: its outcome is waited for.
    void reject() override;

Q_SIGNALS:
    void documentsLoaded();
    void dryRunFinished(bool ok);
    void launchFinished(bool ok);

private:
    QWidget *createInputs();
    void fillDocuments();
    void showDocuments(const QList<PolicyDocument> &documents);
    void showPlan(const LaunchPlan &plan);
    void prefillParameters();
    void invalidate();
    void submit(const std::optional<QByteArray> &token);
    void finishLaunch(std::optional<LaunchSubmission> submission, const QString &error);

    AsyncQuery *m_queries = nullptr;
    QList<PolicyDocument> m_templates; // as read, for their prompts' parameters
    TokenSource *m_tokens = nullptr;   // nullptr: the keychain
    bool m_launching = false;
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
    QPushButton *m_cancel = nullptr;
    bool m_planned = false;
    LaunchSubmission m_submission;
};

} // namespace Tasktrail
