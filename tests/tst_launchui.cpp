// The launch dialog and the queue view against a real SQLite store: the dry run's decisions,
// when Launch may be pressed, what a launch records (and that the token is not among it), and
// pausing, resuming and cancelling queue entries from the view; on a large queue, that neither
// reads nor writes on the GUI thread.
#include "launchfixture.h"

#include "confirmationpanel.h"
#include "github/tokensources.h"
#include "guiwatchdog.h"
#include "largestore.h"
#include "launchdialog.h"
#include "launchplanmodel.h"
#include "mainwindow.h"
#include "openwait.h"
#include "queuemodel.h"
#include "queueview.h"
#include "settings.h"
#include "writelock.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QThread>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace LaunchFixture;
using TestSupport::GuiWatchdog;
using TestSupport::WriteLock;

namespace {

const QByteArray secretToken = "ghu_UiLaunchS3cret0123456789abcdefXYZ";

// Inside the template's payments freeze (2026-11-10 .. 2026-12-01).
QDateTime inFreeze()
{
    return QDateTime(QDate(2026, 11, 15), QTime(9, 0), Qt::UTC);
}

QString decisionOf(const LaunchPlanModel &model, const QString &repo)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, LaunchPlanModel::RepositoryColumn);
        if (index.data().toString() == repo)
            return index.data(LaunchPlanModel::DecisionRole).toString();
    }
    return {};
}

QString ruleOf(const LaunchPlanModel &model, const QString &repo)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, LaunchPlanModel::RepositoryColumn).data().toString() == repo)
            return model.index(row, LaunchPlanModel::RuleColumn).data().toString();
    }
    return {};
}

} // namespace

class TestLaunchUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RecordStore> m_store;
    MemoryTokenSource m_tokens;

    QString dbPath() const { return m_dir.filePath(u"launch.db"_s); }

    // A dialog filled in the way a person would: template, policy, identity, three
    // repositories (one archived, one frozen) and the template's parameters.
    std::unique_ptr<LaunchDialog> filledDialog()
    {
        auto d = std::make_unique<LaunchDialog>(*m_store);
        fill(d.get());
        return d;
    }

    // Plans on the dialog's query thread and waits for the outcome.
    static bool dryRun(LaunchDialog *d)
    {
        QSignalSpy finished(d, &LaunchDialog::dryRunFinished);
        if (!d->dryRun() || !finished.wait(30000))
            return false;
        return finished.constFirst().constFirst().toBool();
    }

    void fill(LaunchDialog *d)
    {
        QVERIFY(QTest::qWaitFor([d] { return !d->isLoading(); }));
        d->setClock([] { return inFreeze(); });
        d->setTokenSource(&m_tokens);
        auto *templ = d->findChild<QComboBox *>(u"templateCombo"_s);
        templ->setCurrentIndex(templ->findText(u"deps-bump@3"_s));
        auto *policy = d->findChild<QComboBox *>(u"policyCombo"_s);
        policy->setCurrentIndex(policy->findText(u"deps-fanout@5"_s));
        d->findChild<QLineEdit *>(u"identityEdit"_s)->setText(u"svc-deps"_s);
        auto *kind = d->findChild<QComboBox *>(u"identityKindCombo"_s);
        kind->setCurrentIndex(kind->findData(int(IdentityKind::GitHubAppUserToken)));
        d->findChild<QLineEdit *>(u"requesterEdit"_s)->setText(u"mgarcia"_s);
        d->findChild<QPlainTextEdit *>(u"repositoriesEdit"_s)
            ->setPlainText(u"acme-web/cart\nacme-web/old-site\nacme-payments/ledger\n"
                           "acme-web/checkout\n"_s);
        auto *params = d->findChild<QTableWidget *>(u"parametersTable"_s);
        for (int row = 0; row < params->rowCount(); ++row) {
            const QString key = params->item(row, 0)->text();
            params->item(row, 1)->setText(key == u"package" ? u"lodash"_s : u"4.17.21"_s);
        }
        auto *backend = d->findChild<QComboBox *>(u"backendCombo"_s);
        backend->setCurrentIndex(backend->findText(u"local"_s));
    }

    // Submits on the dialog's query thread and waits for the outcome.
    static bool launch(LaunchDialog *d)
    {
        QSignalSpy finished(d, &LaunchDialog::launchFinished);
        if (!d->launch() || !finished.wait(30000))
            return false;
        return finished.constFirst().constFirst().toBool();
    }

    // How many entries the large queue tests write: TASKTRAIL_LARGE_TASKS, or 200,000.
    static int largeTasks()
    {
        bool ok = false;
        const int entries = qEnvironmentVariableIntValue("TASKTRAIL_LARGE_TASKS", &ok);
        return ok && entries > 0 ? entries : 200'000;
    }

    // A large queue with the launch scene, `held` waiting for a confirmation.
    static std::unique_ptr<RecordStore> writeLargeQueue(const QString &path, int entries,
                                                        const QStringList &held)
    {
        QString error;
        QFile::remove(path);
        std::unique_ptr<RecordStore> large = openStore(path, &error);
        if (!large || !LargeStore::write(*large, entries, true) || !loadScene(*large)) {
            qWarning("%s", qPrintable(large ? large->errorString() : error));
            return {};
        }
        for (const QString &task : held) {
            if (!holdForConfirmation(*large, task, noon()))
                return {};
        }
        return large;
    }

    // What another process does to the large queue: `started` runs, `finished` completes,
    // `untouched` (finished already) fails behind the queue's back, and a new entry is queued.
    // Returns the error, if any.
    static QString moveQueueOn(const QString &path, int entries, const QString &started,
                               const QString &finished, const QString &untouched)
    {
        QString error;
        std::unique_ptr<RecordStore> worker = openStore(path, &error);
        if (!worker)
            return error;
        const std::pair<QString, QueueState> moves[] = {{started, QueueState::Running},
                                                        {finished, QueueState::Completed},
                                                        {untouched, QueueState::Failed}};
        for (const auto &[task, state] : moves) {
            std::optional<QueueEntry> e = worker->queueEntry(task);
            if (!e)
                return u"%1 is not in the queue"_s.arg(task);
            e->state = state;
            if (!worker->writeQueueEntry(*e))
                return worker->errorString();
        }
        return worker->writeQueueEntry(LargeStore::queueEntry(entries)) ? QString()
                                                                        : worker->errorString();
    }

    QString launchCampaign()
    {
        auto d = filledDialog();
        if (!dryRun(d.get()) || !launch(d.get()))
            return {};
        return d->submission().campaignId;
    }

    // Asks for a change while another connection holds the write lock: the view's write waits
    // for it on the query thread, and the buttons say so, until the lock is released.
    static void changeWhileLocked(QueueView &view, const QString &path, QPushButton *button,
                                  bool changes = true)
    {
        WriteLock lock(path);
        QVERIFY2(lock.waitLocked(), qPrintable(lock.error()));
        QSignalSpy finished(&view, &QueueView::changeFinished);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY2(view.isWriting(), qPrintable(view.statusText()));
        for (const char *name : {"pauseButton", "resumeButton", "cancelCampaignButton"})
            QVERIFY(!view.findChild<QPushButton *>(QLatin1StringView(name))->isEnabled());
        QVERIFY(!view.confirmationPanel()->notCreatedButton()->isEnabled());
        QVERIFY(!view.apply(QueueControl::Action::Pause, false)); // one change at a time
        lock.release();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QVERIFY2(finished.constFirst().constFirst().toBool() == changes,
                 qPrintable(view.statusText()));
        QVERIFY(lock.waitReleased());
        QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading(), 30000);
        QVERIFY(view.findChild<QPushButton *>(u"pauseButton"_s)->isEnabled());
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile::remove(dbPath());
        m_store = open(m_dir);
        QVERIFY(m_store);
        QVERIFY(loadScene(*m_store));
        m_tokens.setToken(u"svc-deps"_s, secretToken);
    }
    void cleanup()
    {
        m_store.reset();
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(dbPath() + suffix);
    }

    void promptParameters()
    {
        QCOMPARE(LaunchDialog::promptParameters(u"Bump {package} to {version} in {repo}; "
                                                "{package} again."_s),
                 QStringList({u"package"_s, u"version"_s}));
        QVERIFY(LaunchDialog::promptParameters(u"Fix {repo}"_s).isEmpty());
    }

    void planModelIsAModel()
    {
        LaunchPlanModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        LaunchPlanner planner(*m_store);
        planner.setClock([] { return inFreeze(); });
        LaunchRequest r = request({});
        r.repositoryQuery = u"acme-*/*"_s;
        const LaunchPlan plan = planner.plan(r);
        QVERIFY2(plan.ok(), qPrintable(plan.errors.join(u'\n')));
        model.setPlan(plan);
        QCOMPARE(model.rowCount(), plan.repos.size());
        QVERIFY(model.rowCount() > 3);
        // Skipped rows are greyed, eligible ones are not.
        const int skipped = model.rowCount() - plan.eligibleCount();
        QVERIFY(skipped > 0);
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex index = model.index(row, LaunchPlanModel::RepositoryColumn);
            const bool isSkipped = index.data(LaunchPlanModel::DecisionRole) == u"skipped"_s;
            QCOMPARE(index.data(Qt::ForegroundRole).isValid(), isSkipped);
        }
        QCOMPARE(model.summary(),
                 u"%1 eligible, 0 waiting, %2 skipped"_s.arg(plan.eligibleCount()).arg(skipped));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void dialogPrefillsFromStore()
    {
        LaunchDialog d(*m_store);
        QVERIFY(d.isLoading()); // read on the dialog's query thread
        QTRY_VERIFY(!d.isLoading());
        QCOMPARE(d.findChild<QComboBox *>(u"templateCombo"_s)->currentText(), u"deps-bump@3"_s);
        QCOMPARE(d.findChild<QComboBox *>(u"policyCombo"_s)->currentText(), u"deps-fanout@5"_s);
        QCOMPARE(d.findChild<QLineEdit *>(u"triggerEdit"_s)->text(), u"tasktrail-app"_s);
        auto *params = d.findChild<QTableWidget *>(u"parametersTable"_s);
        QCOMPARE(params->rowCount(), 2);
        QCOMPARE(params->item(0, 0)->text(), u"package"_s);
        QCOMPARE(params->item(1, 0)->text(), u"version"_s);
        QVERIFY(d.findChild<QComboBox *>(u"backendCombo"_s)->findText(u"local"_s) >= 0);
        QVERIFY(!d.canLaunch());
    }

    void dryRunShowsDecisions()
    {
        auto d = filledDialog();
        QVERIFY(!d->canLaunch());
        QVERIFY2(dryRun(d.get()), qPrintable(d->errorText()));
        QVERIFY(d->errorText().isEmpty());
        const LaunchPlanModel &model = *d->planModel();
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(decisionOf(model, u"acme-web/cart"_s), u"eligible"_s);
        QCOMPARE(decisionOf(model, u"acme-web/checkout"_s), u"eligible"_s);
        QCOMPARE(decisionOf(model, u"acme-web/old-site"_s), u"skipped"_s);
        QCOMPARE(ruleOf(model, u"acme-web/old-site"_s), u"archived"_s);
        QCOMPARE(decisionOf(model, u"acme-payments/ledger"_s), u"skipped"_s);
        QCOMPARE(ruleOf(model, u"acme-payments/ledger"_s), u"release_freeze"_s);
        QCOMPARE(d->summaryText(), u"2 eligible, 0 waiting, 2 skipped"_s);
        QVERIFY(d->canLaunch());

        // Any edit asks for a new dry run.
        d->findChild<QLineEdit *>(u"requesterEdit"_s)->setText(u"release-bot"_s);
        QVERIFY(!d->canLaunch());
        QVERIFY(dryRun(d.get()));
        QVERIFY(d->canLaunch());
        d->findChild<QTableWidget *>(u"parametersTable"_s)->item(0, 1)->setText(u"react"_s);
        QVERIFY(!d->canLaunch());
        QVERIFY(dryRun(d.get()));
        d->findChild<QPlainTextEdit *>(u"repositoriesEdit"_s)->appendPlainText(u"other/tool"_s);
        QVERIFY(!d->canLaunch());
    }

    void dryRunErrorsShowInLabel()
    {
        auto d = filledDialog();
        d->findChild<QTableWidget *>(u"parametersTable"_s)->item(0, 1)->setText(u"x"_s);
        d->findChild<QLineEdit *>(u"identityEdit"_s)->clear();
        QVERIFY(!dryRun(d.get()));
        QVERIFY2(d->errorText().contains(u"identity"_s), qPrintable(d->errorText()));
        QVERIFY(d->summaryText().isEmpty());
        QVERIFY(!d->canLaunch());
        QVERIFY(!d->launch());
    }

    // With the desktop keychain as the token source, Launch asks for the token and returns;
    // the submit follows the keychain's answer, and the GUI thread never waits for it.
    void launchAsksTheKeychainWithoutWaiting()
    {
        auto d = filledDialog();
        d->setTokenSource(nullptr);
        QVERIFY(dryRun(d.get()));
        QSignalSpy finished(d.get(), &LaunchDialog::launchFinished);
        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(u"launching with the keychain's token"_s);
        QVERIFY(d->launch());
        QVERIFY(d->isLaunching());
        QVERIFY(finished.isEmpty());
        QVERIFY(!d->launch()); // one launch at a time
        QVERIFY(finished.wait(60000));
        watchdog.disarm();
        QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
        QVERIFY(!d->isLaunching());
        QCOMPARE(finished.constFirst().constFirst().toBool(), true);
        QCOMPARE(d->result(), int(QDialog::Accepted));
        QCOMPARE(m_store->queueEntries(d->submission().campaignId, true).size(), 2);
    }

    void launchSubmits()
    {
        auto d = filledDialog();
        QVERIFY(!d->launch()); // no dry run yet
        QVERIFY(dryRun(d.get()));
        QSignalSpy finished(d.get(), &LaunchDialog::launchFinished);
        QVERIFY2(d->launch(), qPrintable(d->errorText()));
        // Written on the query thread: until it lands the dialog waits for it.
        QVERIFY(d->isLaunching());
        QVERIFY(!d->findChild<QPushButton *>(u"launchButton"_s)->isEnabled());
        QVERIFY(!d->findChild<QPushButton *>(u"dryRunButton"_s)->isEnabled());
        QVERIFY(!d->launch());
        d->reject(); // not while the submit is written
        QCOMPARE(d->result(), 0);
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished.constFirst().constFirst().toBool(), qPrintable(d->errorText()));
        QVERIFY(!d->isLaunching());
        QCOMPARE(d->result(), int(QDialog::Accepted));
        const LaunchSubmission &s = d->submission();
        QVERIFY(!s.campaignId.isEmpty());
        QCOMPARE(s.taskIds.size(), 2);

        const QList<QueueEntry> entries = m_store->queueEntries(s.campaignId, true);
        QCOMPARE(entries.size(), 2);
        QStringList repos;
        for (const QueueEntry &e : entries) {
            repos << e.repo;
            QCOMPARE(toString(e.state), toString(QueueState::Queued));
            QCOMPARE(e.backend, u"local"_s);
        }
        repos.sort();
        QCOMPARE(repos, QStringList({u"acme-web/cart"_s, u"acme-web/checkout"_s}));

        const auto identity = m_store->identity(u"svc-deps"_s);
        QVERIFY(identity);
        QCOMPARE(identity->hashedToken,
                 QString::fromLatin1(
                     QCryptographicHash::hash(secretToken, QCryptographicHash::Sha256).toBase64()));
        m_store.reset(); // flush and close before reading the files
        for (const QString &suffix : {u""_s, u"-wal"_s}) {
            QFile file(dbPath() + suffix);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            QVERIFY(!file.readAll().contains(secretToken));
        }
    }

    // A submit that cannot be written says why, and the dialog stays open for another try.
    void launchFailureIsShown()
    {
        auto d = filledDialog();
        QVERIFY(dryRun(d.get()));
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(dbPath() + suffix); // gone behind the dialog's back
        QVERIFY(!launch(d.get()));
        QVERIFY2(d->errorText().contains(u"does not exist"_s), qPrintable(d->errorText()));
        QVERIFY(!d->isLaunching());
        QVERIFY(!d->canLaunch());
        QVERIFY(d->findChild<QPushButton *>(u"dryRunButton"_s)->isEnabled());
        QCOMPARE(d->result(), 0);
        QVERIFY(!QFile::exists(dbPath())); // not created again by the attempt
    }

    void queueModelIsAModel()
    {
        const QString campaign = launchCampaign();
        QVERIFY(!campaign.isEmpty());
        QueueModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<QueueEntry> entries = m_store->queueEntries({}, true);
        model.setEntries(entries);
        QCOMPARE(model.rowCount(), 2);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.setEntries(entries); // the same rows: cells change, the rows stay
        QCOMPARE(resets.size(), 0);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(model.index(0, QueueModel::CampaignColumn).data().toString(), campaign);
        QCOMPARE(model.index(0, QueueModel::StateColumn).data().toString(), u"queued"_s);
        model.setEntries(entries.mid(1));
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.rowCount(), 1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void queueViewControlsEntries()
    {
        const QString campaign = launchCampaign();
        QVERIFY(!campaign.isEmpty());
        QueueView view;
        view.setStore(m_store.get());
        QTRY_VERIFY(!view.isLoading());
        QCOMPARE(view.model()->rowCount(), 2);
        QCOMPARE(view.budgetText(), u"0 running, 2 queued, 0 waiting, 0 paused"_s);
        QVERIFY(!view.apply(QueueControl::Action::Pause, false)); // nothing selected
        QTRY_VERIFY(!view.isLoading());

        const QString task = view.model()->entry(0).taskId;
        const QString other = view.model()->entry(1).taskId;
        QVERIFY(view.selectTask(task));
        QTRY_VERIFY(!view.isLoading());
        QCOMPARE(view.selectedTask(), task);
        QVERIFY(view.events()->topLevelItemCount() >= 1); // its creation

        QSignalSpy changed(&view, &QueueView::changeFinished);
        QVERIFY(view.apply(QueueControl::Action::Pause, false));
        // Written on the query thread: the buttons wait for the outcome.
        QVERIFY(view.isWriting());
        QVERIFY(!view.findChild<QPushButton *>(u"resumeButton"_s)->isEnabled());
        QCOMPARE(view.statusText(), u"Pausing…"_s);
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.takeFirst().constFirst().toBool(), true);
        QCOMPARE(view.statusText(), u"1 entry changed."_s);
        QTRY_VERIFY(!view.isLoading());
        QVERIFY(view.findChild<QPushButton *>(u"resumeButton"_s)->isEnabled());
        QCOMPARE(toString(m_store->queueEntry(task)->state), toString(QueueState::Paused));
        QCOMPARE(toString(m_store->queueEntry(other)->state), toString(QueueState::Queued));
        QCOMPARE(view.selectedTask(), task); // kept across the reload
        QCOMPARE(view.budgetText(), u"0 running, 1 queued, 0 waiting, 1 paused"_s);
        const int afterPause = view.events()->topLevelItemCount();
        QTreeWidgetItem *last = view.events()->topLevelItem(afterPause - 1);
        QCOMPARE(last->text(2), u"paused"_s);
        QVERIFY(!last->text(3).isEmpty()); // the reason

        QVERIFY(view.apply(QueueControl::Action::Resume, false));
        QTRY_VERIFY(!view.isLoading());
        QCOMPARE(toString(m_store->queueEntry(task)->state), toString(QueueState::Queued));
        QCOMPARE(view.events()->topLevelItemCount(), afterPause + 1);

        // A change by another connection (a worker, the CLI) shows on the next refresh.
        {
            auto second = open(m_dir);
            QVERIFY(second);
            const auto outcome = QueueControl::apply(*second, QueueControl::Action::Pause, other,
                                                     {}, QDateTime::currentDateTimeUtc());
            QCOMPARE(outcome.changed, QStringList{other});
        }
        view.reload();
        QTRY_VERIFY(!view.isLoading());
        QCOMPARE(toString(view.model()->entry(view.model()->rowOfTask(other)).state),
                 toString(QueueState::Paused));
        QCOMPARE(view.selectedTask(), task);

        QVERIFY(view.apply(QueueControl::Action::Cancel, true)); // the whole campaign
        QTRY_VERIFY(!view.isLoading());
        for (const QString &id : {task, other})
            QCOMPARE(toString(m_store->queueEntry(id)->state), toString(QueueState::Cancelled));
        QCOMPARE(view.events()->topLevelItem(view.events()->topLevelItemCount() - 1)->text(2),
                 u"cancelled"_s);
        changed.clear();
        QVERIFY(view.apply(QueueControl::Action::Resume, false));
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.constFirst().constFirst().toBool(), false); // cancelled is final
        QTRY_VERIFY(!view.isLoading());
        QVERIFY(view.statusText().contains(u"nothing to change"_s, Qt::CaseInsensitive));

        QSignalSpy activated(&view, &QueueView::taskActivated);
        Q_EMIT view.table()->activated(
            view.model()->index(view.model()->rowOfTask(other), QueueModel::RepositoryColumn));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.constFirst().constFirst().toString(), other);
    }

    // A worker left an entry in needs_confirmation: the view shows it with its evidence, and a
    // person's answer puts it back in the queue.
    void queueViewConfirmsAnUncertainLaunch()
    {
        const QString campaign = launchCampaign();
        QVERIFY(!campaign.isEmpty());
        QueueView view;
        view.setStore(m_store.get());
        QTRY_VERIFY(!view.isLoading());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString held = view.model()->entry(0).taskId;
        const QString other = view.model()->entry(1).taskId;
        {
            auto worker = open(m_dir); // the worker's own connection
            QVERIFY(holdForConfirmation(*worker, held, noon()));
            QVERIFY(holdForConfirmation(*worker, other, noon()));
        }
        const auto stateShown = [&](const QString &task) {
            return view.model()
                ->index(view.model()->rowOfTask(task), QueueModel::StateColumn)
                .data()
                .toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(stateShown(held), u"needs confirmation"_s, 5000);
        QTRY_VERIFY(view.budgetText().endsWith(u", 2 need confirmation"_s));
        ConfirmationPanel *panel = view.confirmationPanel();
        QVERIFY(!panel->isVisible()); // nothing selected

        QVERIFY(view.selectTask(held));
        QTRY_VERIFY(!view.isLoading());
        QTRY_VERIFY(panel->isVisible());
        const QString evidence = panel->evidenceText();
        for (const char *part :
             {"attempt 1, started 2026-10-05 12:00:00 UTC: uncertain", "HTTP 502: Bad Gateway",
              "attempt 2, started 2026-10-05 12:01:00 UTC: undecided", "2 match"})
            QVERIFY2(evidence.contains(QLatin1StringView(part)), qPrintable(evidence));
        QCOMPARE(panel->candidates()->topLevelItemCount(), 2);
        QCOMPARE(panel->candidates()->topLevelItem(0)->text(0), u"t-a"_s);
        QVERIFY(!panel->createdButton()->isEnabled()); // no remote id yet
        QVERIFY(panel->notCreatedButton()->isEnabled());

        // Picking a candidate fills in its id; the next refresh keeps it.
        panel->candidates()->setCurrentItem(panel->candidates()->topLevelItem(1));
        QCOMPARE(panel->remoteIdEdit()->text(), u"t-b"_s);
        view.reload();
        QTRY_VERIFY(!view.isLoading());
        QCOMPARE(panel->remoteIdEdit()->text(), u"t-b"_s);
        QVERIFY(panel->createdButton()->isEnabled());
        QTest::mouseClick(panel->createdButton(), Qt::LeftButton);
        QTRY_COMPARE(toString(m_store->queueEntry(held)->state), toString(QueueState::Queued));
        QCOMPARE(m_store->queueEntry(held)->remoteId, u"t-b"_s);
        QCOMPARE(m_store->launchAttempts(held).last().resolution, u"created"_s);
        QTRY_VERIFY2(view.statusText().contains(u"t-b"_s), qPrintable(view.statusText()));
        QTRY_VERIFY(!panel->isVisible());
        QTRY_VERIFY(!view.isLoading());
        const int events = view.events()->topLevelItemCount();
        QVERIFY2(view.events()->topLevelItem(events - 1)->text(3).contains(u"confirmed by"_s),
                 qPrintable(view.events()->topLevelItem(events - 1)->text(3)));

        QVERIFY(view.selectTask(other));
        QTRY_VERIFY(!view.isLoading());
        QTRY_VERIFY(panel->isVisible());
        QCOMPARE(panel->taskId(), other);
        QSignalSpy changed(&view, &QueueView::changeFinished);
        QVERIFY(view.apply(QueueControl::Action::Resume, false));
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.constFirst().constFirst().toBool(), false); // only an answer resumes it
        QTRY_VERIFY(!view.isLoading());
        QTest::mouseClick(panel->notCreatedButton(), Qt::LeftButton);
        QTRY_COMPARE(toString(m_store->queueEntry(other)->state), toString(QueueState::Queued));
        QCOMPARE(m_store->launchAttempts(other).last().resolution, u"not_created"_s);
        QTRY_VERIFY(!panel->isVisible());
        QTRY_COMPARE(view.budgetText(), u"0 running, 2 queued, 0 waiting, 0 paused"_s);
    }

    void queueViewRefreshesWhileVisible()
    {
        QueueView view;
        view.setStore(m_store.get());
        QTRY_VERIFY(!view.isLoading());
        QCOMPARE(view.model()->rowCount(), 0);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(!launchCampaign().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, 5000);
    }

    // A queue of many finished entries: the view reads it once, then polls only the entries
    // that can still change, and the GUI thread never waits on either.
    void queueViewOnALargeQueue()
    {
        bool ok = false;
        int entries = qEnvironmentVariableIntValue("TASKTRAIL_LARGE_TASKS", &ok);
        if (!ok || entries <= 0)
            entries = 200'000;
        QString error;
        const QString path = m_dir.filePath(u"large-queue.db"_s);
        std::unique_ptr<RecordStore> large = openStore(path, &error);
        QVERIFY2(large, qPrintable(error));
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(LargeStore::write(*large, entries, true), qPrintable(large->errorString()));
        qInfo("wrote %d queue entries in %lld ms", entries, timer.elapsed());

        // What the view used to do every second on the GUI thread; the watchdog sees it.
        {
            GuiWatchdog watchdog;
            watchdog.arm();
            watchdog.setStep(u"reading the whole queue on the GUI thread"_s);
            QCOMPARE(large->queueEntries({}, true).size(), entries);
            watchdog.disarm();
            QVERIFY2(watchdog.stalled(), qPrintable(watchdog.report()));
        }

        QueueView view;
        view.resize(1000, 700);
        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(u"opening the queue"_s);
        view.setStore(large.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), entries, 30000);
        const int open = (entries + LargeStore::openEntryEvery - 1) / LargeStore::openEntryEvery;
        QTRY_VERIFY(view.budgetText().startsWith(u"0 running, %L1 queued"_s.arg(open)));
        watchdog.setStep(u"polling"_s);
        QTRY_VERIFY_WITH_TIMEOUT(view.polls() >= 2, 10000);

        // Another process moves the queue on: an open entry starts, another finishes, a new
        // one is queued. A finished entry changed behind the queue's back (which no worker
        // does) is not read again by a poll: polls read only what can still change.
        const QString started = LargeStore::taskId(0);
        const QString finished = LargeStore::taskId(LargeStore::openEntryEvery);
        const QString untouched = LargeStore::taskId(1);
        // Written on a thread of its own, so that the watchdog measures the view alone.
        QString moved;
        std::unique_ptr<QThread> process(
            QThread::create([&moved, path, entries, started, finished, untouched] {
                moved = moveQueueOn(path, entries, started, finished, untouched);
            }));
        process->start();
        QTRY_VERIFY_WITH_TIMEOUT(process->isFinished(), 30000);
        QVERIFY2(moved.isEmpty(), qPrintable(moved));
        const auto stateOf = [&view](const QString &task) {
            const int row = view.model()->rowOfTask(task);
            return row < 0 ? QString() : toString(view.model()->entry(row).state);
        };
        watchdog.setStep(u"polling after changes"_s);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(started), u"running"_s, 10000);
        QTRY_COMPARE(stateOf(finished), u"completed"_s);
        QTRY_COMPARE(view.model()->rowCount(), entries + 1);
        const int polls = view.polls();
        QTRY_VERIFY_WITH_TIMEOUT(view.polls() > polls, 10000);
        QCOMPARE(stateOf(untouched), u"completed"_s);
        watchdog.setStep(u"selecting an entry"_s);
        QVERIFY(view.selectTask(started));
        QTRY_VERIFY(!view.isLoading());
        watchdog.disarm();
        qInfo("%s", qPrintable(watchdog.report()));
        QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));

        // A full read (what Reload does) shows it.
        view.reload();
        QTRY_COMPARE(stateOf(untouched), u"failed"_s);
    }

    // Pause, resume, cancel, both answers to a needs_confirmation entry and a launch, on a large
    // queue while another connection holds the write lock: each is written on the query
    // thread, its outcome shows in the view, and the GUI thread never waits.
    void writesOnALargeQueue()
    {
        // Two campaigns at least: the second holds the entries waiting for an answer.
        const int entries = std::max(largeTasks(), 2 * LargeStore::tasksPerCampaign);
        const QString path = m_dir.filePath(u"large-writes.db"_s);
        const QString task = LargeStore::taskId(0);
        const QString sibling = LargeStore::taskId(LargeStore::openEntryEvery);
        const QString adopt = LargeStore::taskId(LargeStore::tasksPerCampaign);
        const QString again =
            LargeStore::taskId(LargeStore::tasksPerCampaign + LargeStore::openEntryEvery);
        std::unique_ptr<RecordStore> large = writeLargeQueue(path, entries, {adopt, again});
        QVERIFY(large);

        QueueView view;
        view.resize(1000, 700);
        view.setStore(large.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), entries, 30000);
        const auto stateOf = [&view](const QString &id) {
            return toString(view.model()->entry(view.model()->rowOfTask(id)).state);
        };
        const auto button = [&view](const QString &name) {
            return view.findChild<QPushButton *>(name);
        };
        LaunchDialog d(*large); // made and planned before the watchdog looks
        fill(&d);
        QVERIFY(dryRun(&d));

        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(u"pausing"_s);
        QVERIFY(view.selectTask(task));
        QTRY_VERIFY(!view.isLoading());
        changeWhileLocked(view, path, button(u"pauseButton"_s));
        QVERIFY2(!QTest::currentTestFailed(), qPrintable(watchdog.report()));
        QCOMPARE(stateOf(task), u"paused"_s);
        watchdog.setStep(u"resuming"_s);
        changeWhileLocked(view, path, button(u"resumeButton"_s));
        QVERIFY2(!QTest::currentTestFailed(), qPrintable(watchdog.report()));
        QCOMPARE(stateOf(task), u"queued"_s);
        watchdog.setStep(u"cancelling a campaign"_s);
        changeWhileLocked(view, path, button(u"cancelCampaignButton"_s));
        QVERIFY2(!QTest::currentTestFailed(), qPrintable(watchdog.report()));
        QCOMPARE(stateOf(task), u"cancelled"_s);
        QCOMPARE(stateOf(sibling), u"cancelled"_s);
        QCOMPARE(view.statusText(), u"%L1 entries changed."_s.arg(LargeStore::tasksPerCampaign /
                                                                  LargeStore::openEntryEvery));

        watchdog.setStep(u"confirming a task as created"_s);
        ConfirmationPanel *panel = view.confirmationPanel();
        QVERIFY(view.selectTask(adopt));
        QTRY_VERIFY(panel->isVisible());
        panel->remoteIdEdit()->setText(u"t-a"_s);
        changeWhileLocked(view, path, panel->createdButton());
        QVERIFY2(!QTest::currentTestFailed(), qPrintable(watchdog.report()));
        QCOMPARE(stateOf(adopt), u"queued"_s);
        QCOMPARE(view.model()->entry(view.model()->rowOfTask(adopt)).remoteId, u"t-a"_s);
        QTRY_VERIFY(!panel->isVisible());
        watchdog.setStep(u"confirming a task as not created"_s);
        QVERIFY(view.selectTask(again));
        QTRY_VERIFY(panel->isVisible());
        changeWhileLocked(view, path, panel->notCreatedButton());
        QVERIFY2(!QTest::currentTestFailed(), qPrintable(watchdog.report()));
        QCOMPARE(stateOf(again), u"queued"_s);

        watchdog.setStep(u"launching"_s);
        {
            WriteLock lock(path);
            QVERIFY2(lock.waitLocked(), qPrintable(lock.error()));
            QSignalSpy finished(&d, &LaunchDialog::launchFinished);
            d.findChild<QPushButton *>(u"launchButton"_s)->click();
            QVERIFY2(d.isLaunching(), qPrintable(watchdog.report()));
            lock.release();
            QVERIFY(finished.wait(30000));
            QVERIFY2(finished.constFirst().constFirst().toBool(), qPrintable(d.errorText()));
            QVERIFY(lock.waitReleased()); // not a join on the GUI thread when the lock goes
        }
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), entries + 2, 10000); // polled
        watchdog.disarm();
        qInfo("%s", qPrintable(watchdog.report()));
        QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
    }

    void mainWindowHasQueueAndLaunch()
    {
        m_store.reset();
        MainWindow w(std::make_unique<Settings>(m_dir.filePath(u"settings.ini"_s)));
        auto *tabs = w.findChild<QTabWidget *>(u"viewTabs"_s);
        QVERIFY(tabs);
        QCOMPARE(tabs->widget(tabs->count() - 1)->objectName(), u"queueView"_s);
        auto *action = w.findChild<QAction *>(u"launchTasksAction"_s);
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));

        action->trigger(); // no database: nothing opens
        QVERIFY(!w.findChild<LaunchDialog *>());
        QVERIFY(openAndWait(w, dbPath()));
        action->trigger();
        auto *dialog = w.findChild<LaunchDialog *>();
        QVERIFY(dialog);
        QTRY_COMPARE(dialog->findChild<QComboBox *>(u"templateCombo"_s)->currentText(),
                     u"deps-bump@3"_s);
        dialog->reject();
        QTRY_VERIFY(!w.findChild<LaunchDialog *>()); // deleted on close

        // A launch shows the Queue tab with the new entries.
        tabs->setCurrentIndex(0);
        action->trigger();
        dialog = w.findChild<LaunchDialog *>();
        QVERIFY(dialog);
        fill(dialog);
        QVERIFY(dryRun(dialog));
        QVERIFY2(launch(dialog), qPrintable(dialog->errorText()));
        QCOMPARE(tabs->currentWidget()->objectName(), u"queueView"_s);
        auto *queue = w.findChild<QueueView *>(u"queueView"_s);
        QTRY_COMPARE(queue->model()->rowCount(), 2);
    }
};

QTEST_MAIN(TestLaunchUi)
#include "tst_launchui.moc"
