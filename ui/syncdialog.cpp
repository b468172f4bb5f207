#include "syncdialog.h"

#include "github/tokensources.h"
#include "keychaintokensource.h"
#include "records/recordvalues.h"
#include "sync/githubsyncjob.h"

#include <QCheckBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimeZone>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// The keychain entry the sync's token is stored under.
const QString syncIdentity = u"github"_s;

} // namespace

SyncDialog::SyncDialog(QString dbPath, QWidget *parent)
    : QDialog(parent)
    , m_dbPath(std::move(dbPath))
    , m_apiUrl(QUrl(u"https://api.github.com"_s))
    , m_job(new GitHubSyncJob(this))
{
    setWindowTitle(tr("Sync from GitHub"));
    setObjectName(u"syncDialog"_s);

    m_repos = new QLineEdit(this);
    m_repos->setObjectName(u"syncRepos"_s);
    m_repos->setPlaceholderText(tr("owner/name, separated by spaces or commas"));
    m_org = new QLineEdit(this);
    m_org->setObjectName(u"syncOrg"_s);
    m_org->setPlaceholderText(tr("every repository, and the audit log"));
    m_useSince = new QCheckBox(tr("Only tasks updated since"), this);
    m_since = new QDateEdit(QDate::currentDate().addMonths(-1), this);
    m_since->setCalendarPopup(true);
    m_since->setEnabled(false);
    connect(m_useSince, &QCheckBox::toggled, m_since, &QWidget::setEnabled);

    auto *form = new QFormLayout;
    form->addRow(tr("&Repositories:"), m_repos);
    form->addRow(tr("&Organisation:"), m_org);
    form->addRow(m_useSince, m_since);

    m_bar = new QProgressBar(this);
    m_bar->setObjectName(u"syncProgress"_s);
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_status = new QLabel(this);
    m_status->setObjectName(u"syncStatus"_s);
    m_status->setWordWrap(true);
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"syncSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problems = new QPlainTextEdit(this);
    m_problems->setObjectName(u"syncProblems"_s);
    m_problems->setReadOnly(true);
    m_problems->setPlaceholderText(tr("Problems with single items appear here."));

    auto *buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(tr("&Sync"), QDialogButtonBox::ActionRole);
    m_start->setObjectName(u"syncStart"_s);
    m_cancel = buttons->addButton(tr("C&ancel Sync"), QDialogButtonBox::ActionRole);
    m_cancel->setObjectName(u"syncCancel"_s);
    m_cancel->setEnabled(false);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    connect(m_start, &QPushButton::clicked, this, &SyncDialog::startSync);
    connect(m_cancel, &QPushButton::clicked, this, &SyncDialog::cancelSync);
    connect(buttons, &QDialogButtonBox::rejected, this, &SyncDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_bar);
    layout->addWidget(m_status);
    layout->addWidget(m_summary);
    layout->addWidget(m_problems, 1);
    layout->addWidget(buttons);

    connect(m_job, &GitHubSyncJob::progress, this, &SyncDialog::showProgress);
    connect(m_job, &GitHubSyncJob::problem, m_problems, &QPlainTextEdit::appendPlainText);
    connect(m_job, &GitHubSyncJob::finished, this, &SyncDialog::finish);
    resize(560, 420);
}

SyncDialog::~SyncDialog() = default;

void SyncDialog::setTokenSource(TokenSource *tokens)
{
    m_tokens = tokens;
}

GitHubSyncOptions SyncDialog::options(QString *error) const
{
    GitHubSyncOptions o;
    error->clear();
    static const QRegularExpression separators(u"[\\s,]+"_s);
    o.repos = m_repos->text().split(separators, Qt::SkipEmptyParts);
    for (const QString &repo : std::as_const(o.repos)) {
        if (const QString bad = RecordValues::badRepository(repo); !bad.isEmpty()) {
            *error = tr("Repository %1: %2").arg(repo, bad);
            return o;
        }
    }
    o.org = m_org->text().trimmed();
    if (m_useSince->isChecked())
        o.since = m_since->date().startOfDay(QTimeZone::utc());
    o.client.baseUrl = m_apiUrl;
    o.client.waitCapMs = m_waitCapMs;
    return o;
}

bool SyncDialog::startSync()
{
    QString error;
    const GitHubSyncOptions o = options(&error);
    if (!error.isEmpty()) {
        m_summary->setText(error);
        return false;
    }
    if (m_tokens) {
        const std::optional<QByteArray> t = m_tokens->token(syncIdentity, &error);
        if (!t) {
            m_summary->setText(error);
            return false;
        }
        return run(o, *t);
    }
    if (!KeychainTokens::isAvailable())
        return runWithEnvironmentToken(o);
    // The keychain may ask the user to unlock it: its answer arrives later, and the dialog
    // goes on meanwhile.
    m_start->setEnabled(false);
    m_status->setText(tr("Reading the token from the keychain…"));
    KeychainTokens::readToken(syncIdentity, this,
                              [this, o](const std::optional<QByteArray> &token, const QString &) {
                                  m_start->setEnabled(true);
                                  if (token && !token->isEmpty())
                                      run(o, *token);
                                  else
                                      runWithEnvironmentToken(o);
                              });
    return true;
}

bool SyncDialog::runWithEnvironmentToken(const GitHubSyncOptions &o)
{
    QString error;
    if (const auto t = GitHubCliEnvTokenSource().token(syncIdentity, &error))
        return run(o, *t);
    m_status->clear();
    m_summary->setText(tr("No token: store one in the keychain under \"%1\", or set GH_TOKEN or "
                          "GITHUB_TOKEN.")
                           .arg(syncIdentity));
    return false;
}

bool SyncDialog::run(const GitHubSyncOptions &o, const QByteArray &token)
{
    m_problems->clear();
    m_summary->clear();
    m_status->setText(tr("Starting…"));
    m_bar->setRange(0, 0); // busy until the first list says how many tasks
    if (!m_job->start(m_dbPath, token, o))
        return false;
    m_start->setEnabled(false);
    m_cancel->setEnabled(true);
    return true;
}

void SyncDialog::cancelSync()
{
    m_job->cancel();
    m_cancel->setEnabled(false);
    m_status->setText(tr("Cancelling…"));
}

bool SyncDialog::isRunning() const
{
    return m_job->isRunning();
}

QString SyncDialog::statusText() const
{
    return m_status->text();
}

QString SyncDialog::summaryText() const
{
    return m_summary->text();
}

void SyncDialog::showProgress(const GitHubSyncProgress &progress)
{
    if (progress.total > 0) {
        m_bar->setRange(0, progress.total);
        m_bar->setValue(progress.done);
    }
    m_status->setText(progress.toString());
}

void SyncDialog::finish(const GitHubSyncSummary &summary, const QString &error)
{
    m_start->setEnabled(true);
    m_cancel->setEnabled(false);
    m_bar->setRange(0, 1);
    m_bar->setValue(error.isEmpty() ? 1 : 0);
    m_status->setText(error.isEmpty()     ? tr("Done.")
                      : summary.cancelled ? tr("Cancelled.")
                                          : tr("Failed: %1").arg(error));
    m_summary->setText(summary.toString());
    Q_EMIT synced(summary, error);
}

// Closing while a sync runs cancels it first.
void SyncDialog::reject()
{
    if (m_job->isRunning())
        cancelSync();
    QDialog::reject();
}

} // namespace Tasktrail
