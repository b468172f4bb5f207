#pragma once

#include "sync/githubsync.h"

#include <QDialog>

#include <memory>

class QCheckBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace Tasktrail {

class GitHubSyncJob;
class TokenSource;

// File > Sync from GitHub…: repositories or an organisation and a start date, then a sync on
// a worker thread (GitHubSyncJob) with a progress bar, what it is doing or waiting for, Cancel
// and the closing summary. The token comes from the keychain (identity "github"), else
// GH_TOKEN / GITHUB_TOKEN; it is held in memory for the sync only.
class SyncDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SyncDialog(QString dbPath, QWidget *parent = nullptr);
    ~SyncDialog() override;

    // Not owned; nullptr restores the default (keychain, then the environment).
    void setTokenSource(TokenSource *tokens);
    // GitHub's API; GitHub Enterprise Server: https://HOST/api/v3.
    void setApiUrl(const QUrl &url) { m_apiUrl = url; }
    // Shortens GitHub's waits (tests): see GitHubClient::Options::waitCapMs.
    void setWaitCapMs(qint64 ms) { m_waitCapMs = ms; }

    // The options the inputs describe; empty *error when they are usable.
    GitHubSyncOptions options(QString *error) const;
    bool isRunning() const;
    QString statusText() const;
    QString summaryText() const;

public Q_SLOTS:
    bool startSync();
    void cancelSync();
    // Closing while a sync runs cancels it first.
    void reject() override;

Q_SIGNALS:
    // A sync ended; the views may reload.
    void synced(const Tasktrail::GitHubSyncSummary &summary, const QString &error);

private:
    void showProgress(const GitHubSyncProgress &progress);
    void finish(const GitHubSyncSummary &summary, const QString &error);
    bool runWithEnvironmentToken(const GitHubSyncOptions &o);
    bool run(const GitHubSyncOptions &o, const QByteArray &token);

    QString m_dbPath;
    QUrl m_apiUrl;
    qint64 m_waitCapMs = -1;
    TokenSource *m_tokens = nullptr;
    GitHubSyncJob *m_job = nullptr;
    QLineEdit *m_repos = nullptr;
    QLineEdit *m_org = nullptr;
    QCheckBox *m_useSince = nullptr;
    QDateEdit *m_since = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_problems = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
};

} // namespace Tasktrail
