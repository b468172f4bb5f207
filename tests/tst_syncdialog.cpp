// File > Sync from GitHub…, offscreen, against the loopback GitHub of tests/syncworld.h: the
// sync runs off the GUI thread, shows its progress and summary, and Cancel stops it.
#include "github/tokensources.h"
#include "guiwatchdog.h"
#include "mainwindow.h"
#include "openwait.h"
#include "settings.h"
#include "sqlscalar.h"
#include "store/recordstore.h"
#include "syncdialog.h"
#include "syncworld.h"

#include <QAction>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Tasktrail;
using Tasktrail::SqlScalar::scalar;
using TestSupport::GuiWatchdog;

class TestSyncDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    MemoryTokenSource m_tokens;

    QString newDatabase(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        QString error;
        if (!openStore(path, &error))
            qFatal("%s", qPrintable(error));
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_tokens.setToken(u"github"_s, "ghp_dialogtoken00000000000000000000000");
    }

    void syncShowsProgressAndSummary()
    {
        FakeGitHub gh;
        FakeGitHub blobs;
        SyncWorld::script(gh, blobs);
        const ServerThread ghThread(&gh);
        const ServerThread blobsThread(&blobs);
        const QString db = newDatabase(u"dialog.db"_s);
        SyncDialog dialog(db);
        dialog.setTokenSource(&m_tokens);
        dialog.setApiUrl(QUrl(gh.baseUrl()));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.findChild<QLineEdit *>(u"syncRepos"_s)->setText(u"acme/web"_s);
        QSignalSpy synced(&dialog, &SyncDialog::synced);

        GuiWatchdog watchdog;
        watchdog.arm();
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"syncStart"_s), Qt::LeftButton);
        QVERIFY(dialog.isRunning());
        QVERIFY(dialog.findChild<QPushButton *>(u"syncCancel"_s)->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(synced.size(), 1, 30'000);
        watchdog.disarm();
        QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));

        QVERIFY2(dialog.summaryText().startsWith(u"3 tasks, 1 pull requests"_s),
                 qPrintable(dialog.summaryText()));
        QCOMPARE(dialog.statusText(), u"Done."_s);
        auto *bar = dialog.findChild<QProgressBar *>(u"syncProgress"_s);
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(dialog.findChild<QPushButton *>(u"syncStart"_s)->isEnabled());
        QCOMPARE(scalar(db, "SELECT count(*) FROM task"), 3);
    }

    void cancelStopsTheSync()
    {
        FakeGitHub gh;
        FakeGitHub blobs;
        SyncWorld::script(gh, blobs);
        gh.replace("GET", SyncWorld::tasksPath + u"/T2"_s, {Canned{200, "{}", {}, 60'000}});
        const ServerThread ghThread(&gh);
        const ServerThread blobsThread(&blobs);
        const QString db = newDatabase(u"cancel.db"_s);
        SyncDialog dialog(db);
        dialog.setTokenSource(&m_tokens);
        dialog.setApiUrl(QUrl(gh.baseUrl()));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.findChild<QLineEdit *>(u"syncRepos"_s)->setText(u"acme/web"_s);
        QSignalSpy synced(&dialog, &SyncDialog::synced);
        QVERIFY(dialog.startSync());
        // Waiting for the slow task: the status says which, with the count so far.
        QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().contains(u"task T2"_s), 30'000);
        QVERIFY2(dialog.statusText().startsWith(u"1/3 tasks"_s), qPrintable(dialog.statusText()));
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"syncCancel"_s), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(synced.size(), 1, 5'000);
        QCOMPARE(dialog.statusText(), u"Cancelled."_s);
        QVERIFY2(dialog.summaryText().endsWith(u"; cancelled"_s), qPrintable(dialog.summaryText()));
        QCOMPARE(scalar(db, "SELECT count(*) FROM task"), 1);
    }

    // File > Sync from GitHub… opens the dialog on the open database, and only then.
    void mainWindowOpensTheDialog()
    {
        MainWindow w(std::make_unique<Settings>(m_dir.filePath(u"settings.ini"_s)));
        auto *action = w.findChild<QAction *>(u"syncGitHubAction"_s);
        QVERIFY(action);
        action->trigger(); // no database: nothing opens
        QVERIFY(!w.findChild<SyncDialog *>());
        QVERIFY(openAndWait(w, newDatabase(u"window.db"_s)));
        action->trigger();
        auto *dialog = w.findChild<SyncDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        dialog->reject();
        QTRY_VERIFY(!w.findChild<SyncDialog *>()); // deleted on close
    }

    void badInputIsSaidAndNothingStarts()
    {
        FakeGitHub gh;
        SyncDialog dialog(newDatabase(u"bad.db"_s));
        dialog.setTokenSource(&m_tokens);
        dialog.setApiUrl(QUrl(gh.baseUrl()));
        dialog.findChild<QLineEdit *>(u"syncRepos"_s)->setText(u"not-a-repo"_s);
        QVERIFY(!dialog.startSync());
        QVERIFY2(dialog.summaryText().startsWith(u"Repository not-a-repo"_s),
                 qPrintable(dialog.summaryText()));
        QVERIFY(!dialog.isRunning());

        MemoryTokenSource none;
        dialog.setTokenSource(&none);
        dialog.findChild<QLineEdit *>(u"syncRepos"_s)->setText(u"acme/web"_s);
        QVERIFY(!dialog.startSync());
        QVERIFY(!dialog.summaryText().isEmpty());
        QVERIFY(gh.requests.isEmpty());
    }
};

QTEST_MAIN(TestSyncDialog)
#include "tst_syncdialog.moc"
