// Links out of the app: Edit > Copy Link (Ctrl+Shift+C) and the tables' context menus put the
// exact tasktrail:// URL of a task, a finding or a campaign on the clipboard, and the URL
// names the same place when parsed back.
#include "campaignlistmodel.h"
#include "campaignreposmodel.h"
#include "campaignview.h"
#include "chainpanel.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "mainwindow.h"
#include "openwait.h"
#include "reportfixture.h"
#include "runsmodel.h"
#include "settings.h"
#include "store/recordstore.h"
#include "taskview.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestCopyLink final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void editMenuCopiesTheShownTask();
    void runsTableMenuCopiesItsRow();
    void findingLinkNamesTheStoredFinding();
    void campaignLinkFromTheMenuAndTheList();
    void repositoryRowWithFocusCopiesItsRun();
    void nothingToLinkIsSaid();

private:
    QAction *editAction() const { return m_window->findChild<QAction *>(u"editCopyLinkAction"_s); }
    static QAction *contextAction(QWidget *view)
    {
        for (QAction *action : view->actions())
            if (action->objectName() == u"copyLinkAction"_s)
                return action;
        return nullptr;
    }
    static QString clipboard() { return QGuiApplication::clipboard()->text(); }
    QTabWidget *tabs() const { return m_window->findChild<QTabWidget *>(u"viewTabs"_s); }

    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<RecordStore> m_store;
    std::unique_ptr<MainWindow> m_window;
};

void TestCopyLink::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString error = ReportTest::buildDemoStore(m_dir.path());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_db = m_dir.filePath(u"demo.db"_s);
    QString openError;
    m_store = openStore(m_db, &openError, StoreAccess::ReadOnly);
    QVERIFY2(m_store, qPrintable(openError));
}

void TestCopyLink::init()
{
    QGuiApplication::clipboard()->setText(u"before"_s);
    m_window =
        std::make_unique<MainWindow>(std::make_unique<Settings>(m_dir.filePath(u"window.ini"_s)));
    QVERIFY(openAndWait(*m_window, m_db));
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(editAction());
}

void TestCopyLink::cleanup()
{
    m_window.reset();
}

void TestCopyLink::editMenuCopiesTheShownTask()
{
    QCOMPARE(editAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    const QList<TaskRow> tasks = m_store->tasks({}, 0, 100'000);
    QVERIFY(tasks.size() > 2);
    const QString id = tasks.at(tasks.size() / 2).id;
    m_window->selectTask(id);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->taskView()->taskId(), id, 30'000);
    editAction()->trigger();
    QCOMPARE(clipboard(), u"tasktrail://task/"_s + id);
    QCOMPARE(clipboard(), taskLinkUrl(id));
    QVERIFY(m_window->statusBar()->currentMessage().contains(taskLinkUrl(id)));
    // The Chain Summary shows it as text to select.
    auto *panel = m_window->findChild<ChainPanel *>(u"chainPanel"_s);
    QVERIFY(panel);
    QTRY_VERIFY2(panel->plainText().contains(taskLinkUrl(id)), qPrintable(panel->plainText()));
    // The key does the same from anywhere in the window.
    QGuiApplication::clipboard()->setText(u"before"_s);
    QTest::keyClick(m_window.get(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(clipboard(), taskLinkUrl(id));
}

void TestCopyLink::runsTableMenuCopiesItsRow()
{
    auto *table = m_window->findChild<QTableView *>(u"runsTable"_s);
    QVERIFY(table);
    QCOMPARE(table->contextMenuPolicy(), Qt::ActionsContextMenu);
    QAction *action = contextAction(table);
    QVERIFY(action);
    QTRY_VERIFY_WITH_TIMEOUT(table->model()->rowCount() > 1 &&
                                 !table->model()->index(1, 0).data(RunsModel::TaskIdRole).isNull(),
                             30'000);
    table->setCurrentIndex(table->model()->index(1, RunsModel::RepositoryColumn));
    const QString id = table->model()->index(1, 0).data(RunsModel::TaskIdRole).toString();
    QVERIFY(!id.isEmpty());
    QVERIFY(action->isEnabled());
    action->trigger();
    QCOMPARE(clipboard(), taskLinkUrl(id));
}

void TestCopyLink::findingLinkNamesTheStoredFinding()
{
    auto *view = m_window->findChild<FindingsView *>(u"findingsView"_s);
    QVERIFY(view);
    tabs()->setCurrentWidget(view);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->model()->rowCount() > 2, 30'000);
    QAction *action = contextAction(view->table());
    QVERIFY(action);
    QVERIFY(!action->isEnabled()); // no current row yet
    const int row = 2;
    view->table()->setCurrentIndex(view->model()->index(row, FindingsModel::MessageColumn));
    QVERIFY(action->isEnabled());
    const Finding &shown = view->model()->finding(row);

    editAction()->trigger();
    const QString url = clipboard();
    QVERIFY2(url.startsWith(u"tasktrail://finding/"_s), qPrintable(url));
    QString error;
    const auto link = parseTasktrailLink(url, &error);
    QVERIFY2(link, qPrintable(error));
    QCOMPARE(link->kind, TasktrailLink::Kind::Finding);
    // The id names, in the database, the finding of the row.
    const auto stored = m_store->storedFinding(link->id.toLongLong());
    QVERIFY(stored);
    QCOMPARE(stored->finding, shown);
    QCOMPARE(url, toUrl({TasktrailLink::Kind::Finding, QString::number(stored->id)}));

    QGuiApplication::clipboard()->setText(u"before"_s);
    action->trigger();
    QCOMPARE(clipboard(), url);
}

void TestCopyLink::campaignLinkFromTheMenuAndTheList()
{
    const QStringList campaigns = m_store->campaignIds();
    QVERIFY(!campaigns.isEmpty());
    const QString id = campaigns.constLast();
    m_window->openLink({TasktrailLink::Kind::Campaign, id});
    auto *view = m_window->findChild<CampaignView *>(u"campaignView"_s);
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(view->currentCampaignId(), id, 30'000);
    editAction()->trigger();
    QCOMPARE(clipboard(),
             u"tasktrail://campaign/"_s + QString::fromLatin1(QUrl::toPercentEncoding(id)));
    QCOMPARE(parseTasktrailLink(clipboard()), (TasktrailLink{TasktrailLink::Kind::Campaign, id}));

    // The list's menu copies the campaign of its current row.
    auto *list = view->findChild<QTreeView *>(u"campaignList"_s);
    QVERIFY(list);
    QAction *action = contextAction(list);
    QVERIFY(action);
    const int row = view->campaignsModel()->rowOfId(id);
    QVERIFY(row >= 0);
    list->setCurrentIndex(view->campaignsModel()->index(row, 0));
    QGuiApplication::clipboard()->setText(u"before"_s);
    QVERIFY(action->isEnabled());
    action->trigger();
    QCOMPARE(clipboard(), toUrl({TasktrailLink::Kind::Campaign, id}));
}

void TestCopyLink::repositoryRowWithFocusCopiesItsRun()
{
    const QStringList campaigns = m_store->campaignIds();
    QVERIFY(!campaigns.isEmpty());
    m_window->openLink({TasktrailLink::Kind::Campaign, campaigns.constFirst()});
    auto *view = m_window->findChild<CampaignView *>(u"campaignView"_s);
    QTRY_COMPARE_WITH_TIMEOUT(view->currentCampaignId(), campaigns.constFirst(), 30'000);
    auto *repos = view->findChild<QTreeView *>(u"reposTable"_s);
    QVERIFY(repos);
    int row = -1;
    for (int r = 0; r < repos->model()->rowCount() && row < 0; ++r)
        if (!repos->model()->index(r, 0).data(CampaignReposModel::TaskIdRole).toString().isEmpty())
            row = r;
    QVERIFY(row >= 0);
    const QString task =
        repos->model()->index(row, 0).data(CampaignReposModel::TaskIdRole).toString();
    repos->setCurrentIndex(repos->model()->index(row, 0));
    contextAction(repos)->trigger();
    QCOMPARE(clipboard(), taskLinkUrl(task));

    repos->setFocus();
    QTRY_VERIFY(repos->hasFocus());
    QGuiApplication::clipboard()->setText(u"before"_s);
    editAction()->trigger();
    QCOMPARE(clipboard(), taskLinkUrl(task));
}

void TestCopyLink::nothingToLinkIsSaid()
{
    tabs()->setCurrentIndex(0); // the overview: no one place
    QVERIFY(!m_window->currentLink());
    editAction()->trigger();
    QCOMPARE(clipboard(), u"before"_s);
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"copy its link"_s));
}

QTEST_MAIN(TestCopyLink)
#include "tst_copylink.moc"
