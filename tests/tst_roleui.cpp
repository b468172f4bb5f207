// The connection's role in the app (store/storecapabilities.h): the status bar says who the
// main window is connected as, and what that role may not do is disabled with the reason as
// tooltip. A reader of a team database (a login role in tasktrail_reader after
// `admin init-roles`) may import, sync and launch nothing; an ingest role may import and sync
// but not launch; a launch role, an owner and the owner of an SQLite file may do it all.
#include "backends.h"
#include "clirun.h"

#include "mainwindow.h"
#include "openwait.h"
#include "queueview.h"
#include "store/recordstore.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestRoleUi : public QObject
{
    Q_OBJECT

private:
    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QString m_team; // a team database with roles, as its superuser

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
        m_team = m_db.fresh(u"postgresql"_s);
        QVERIFY2(openStore(m_team, &error), qPrintable(error)); // creates the schema
        const auto roles = CliRun::cli({u"admin"_s, u"init-roles"_s, u"--db"_s, m_team});
        QVERIFY2(roles.exitCode == 0, qPrintable(roles.err));
        m_db.sql(m_team,
                 u"CREATE ROLE alice LOGIN IN ROLE tasktrail_reader; "
                 "CREATE ROLE bot LOGIN IN ROLE tasktrail_ingest; "
                 "CREATE ROLE lena LOGIN IN ROLE tasktrail_launch; "
                 "CREATE ROLE olivia LOGIN IN ROLE tasktrail_owner"_s,
                 &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void actionsFollowTheRole_data()
    {
        QTest::addColumn<QString>("user"); // empty: an SQLite file
        QTest::addColumn<QString>("role");
        QTest::addColumn<QString>("label");
        QTest::addColumn<bool>("canIngest"); // import and sync
        QTest::addColumn<bool>("canLaunch"); // launch and the queue's buttons
        QTest::newRow("reader") << u"alice"_s << u"tasktrail_reader"_s
                                << u"as alice (tasktrail_reader)"_s << false << false;
        QTest::newRow("ingest") << u"bot"_s << u"tasktrail_ingest"_s
                                << u"as bot (tasktrail_ingest)"_s << true << false;
        QTest::newRow("launch") << u"lena"_s << u"tasktrail_launch"_s
                                << u"as lena (tasktrail_launch)"_s << true << true;
        QTest::newRow("owner") << u"olivia"_s << u"tasktrail_owner"_s
                               << u"as olivia (tasktrail_owner)"_s << true << true;
        QTest::newRow("sqlite") << QString() << QString() << u"SQLite "_s << true << true;
    }
    void actionsFollowTheRole()
    {
        QFETCH(QString, user);
        QFETCH(QString, role);
        QFETCH(QString, label);
        QFETCH(bool, canIngest);
        QFETCH(bool, canLaunch);
        const QString location =
            user.isEmpty()
                ? m_dir.filePath(u"own.db"_s)
                : QString(m_team).replace(PgFixture::Server::superuser() + u'@', user + u'@');
        MainWindow window(std::make_unique<Settings>(m_dir.filePath(u"settings.ini"_s)));
        window.show();
        QVERIFY(openAndWait(window, location));
        auto *roleLabel = window.findChild<QLabel *>(u"roleLabel"_s);
        QVERIFY(roleLabel);
        QTRY_VERIFY_WITH_TIMEOUT(!window.capabilities().backend.isEmpty(), 30000);
        QVERIFY2(roleLabel->text().contains(label), qPrintable(roleLabel->text()));
        if (!user.isEmpty())
            QVERIFY(roleLabel->text().startsWith(u"PostgreSQL "_s));
        const QString refused =
            u"Connected as %1, whose role (%2) may not do this."_s.arg(user, role);
        for (const auto &[name, allowed] :
             {std::pair{"importFilesAction", canIngest}, std::pair{"syncGitHubAction", canIngest},
              std::pair{"launchTasksAction", canLaunch}}) {
            auto *action = window.findChild<QAction *>(QString::fromLatin1(name));
            QVERIFY2(action, name);
            QVERIFY2(action->isEnabled() == allowed, name);
            if (!allowed)
                QCOMPARE(action->toolTip(), refused);
        }
        auto *queue = window.findChild<QueueView *>();
        QVERIFY(queue);
        for (const QString &name : {u"pauseButton"_s, u"resumeButton"_s, u"cancelButton"_s,
                                    u"pauseCampaignButton"_s, u"cancelCampaignButton"_s}) {
            auto *button = queue->findChild<QPushButton *>(name);
            QVERIFY2(button, qPrintable(name));
            if (!canLaunch) {
                QVERIFY(!button->isEnabled());
                QVERIFY2(button->toolTip().contains(role), qPrintable(button->objectName()));
            }
        }
        // A drop of files is refused the same way as the menu's import.
        if (!canIngest)
            QVERIFY(!window.importFiles({m_dir.filePath(u"nothing.jsonl"_s)}));
    }
};

QTEST_MAIN(TestRoleUi)
#include "tst_roleui.moc"
