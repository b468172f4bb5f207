// The Compare Runs window, offscreen: two runs selected in the runs table and compared show
// both chains, the aligned commands (a model that passes QAbstractItemModelTester), the lists
// of each run and the log diff of a picked row; either run, or a row's command log, opens in
// the main window. Reads happen on the view's query thread.
#include "alignedcommandsmodel.h"
#include "campaignlistmodel.h"
#include "campaignreposmodel.h"
#include "campaignview.h"
#include "compareview.h"
#include "guiwatchdog.h"
#include "ingest/ingestor.h"
#include "mainwindow.h"
#include "openwait.h"
#include "runsmodel.h"
#include "settings.h"
#include "store/recordstore.h"
#include "taskview.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

QString data(const QString &name)
{
    return QStringLiteral(TASKTRAIL_TEST_DATA) + u"/compare/"_s + name;
}

// Each aligned row as "<match> <A seq> <B seq>", 0 for no command.
QStringList rowsOf(const AlignedCommandsModel &model)
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        rows << u"%1 %2 %3"_s
                    .arg(toString(
                        RunComparison::Match(index.data(AlignedCommandsModel::MatchRole).toInt())))
                    .arg(index.data(AlignedCommandsModel::SeqARole).toInt())
                    .arg(index.data(AlignedCommandsModel::SeqBRole).toInt());
    }
    return rows;
}

QTreeWidgetItem *sectionOf(QTreeWidget *tree, const QString &title)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        if (tree->topLevelItem(i)->text(0).startsWith(title))
            return tree->topLevelItem(i);
    }
    return nullptr;
}

} // namespace

class TestCompareView final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<MainWindow> m_window;

    QTableView *table() const { return m_window->findChild<QTableView *>(u"runsTable"_s); }

    // Clicks the row of a task, with Ctrl held to add it to the selection.
    bool clickTask(const QString &id, Qt::KeyboardModifiers modifiers)
    {
        const int row = m_window->runsModel()->rowOfTask(id);
        if (row < 0)
            return false;
        const QModelIndex index = m_window->runsModel()->index(row, RunsModel::RepositoryColumn);
        QTest::mouseClick(table()->viewport(), Qt::LeftButton, modifiers,
                          table()->visualRect(index).center());
        return table()->currentIndex().row() == row;
    }

    CompareView *compareView() const { return m_window->findChild<CompareView *>(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(u"pair.db"_s);
        QString error;
        auto store = openStore(m_db, &error);
        QVERIFY2(store, qPrintable(error));
        Ingestor ingestor(*store);
        QVERIFY2(ingestor.ingest({data(u"pair.jsonl"_s), data(u"pair.log"_s)}),
                 qPrintable(ingestor.errorString()));
        QCOMPARE(ingestor.counts().rejected, 0);
    }

    void init()
    {
        const QString ini =
            m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".ini"_s);
        m_window = std::make_unique<MainWindow>(std::make_unique<Settings>(ini));
        m_window->resize(1200, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(openAndWait(*m_window, m_db));
        QTRY_COMPARE(m_window->runsModel()->rowCount(), 2);
        QTRY_VERIFY(m_window->runsModel()->isRowLoaded(1));
    }

    void cleanup() { m_window.reset(); }

    void twoSelectedRunsCompared()
    {
        QVERIFY(clickTask(u"T-cmp-a"_s, Qt::NoModifier));
        QVERIFY(clickTask(u"T-cmp-b"_s, Qt::ControlModifier));
        QCOMPARE(table()->selectionModel()->selectedRows().size(), 2);
        TestSupport::GuiWatchdog watchdog;
        watchdog.arm();
        m_window->findChild<QAction *>(u"compareRunsAction"_s)->trigger();
        CompareView *view = compareView();
        QVERIFY(view);
        QAbstractItemModelTester tester(view->commandsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(!view->isLoading());
        // The run picked first is A.
        QCOMPARE(view->taskA(), u"T-cmp-a"_s);
        QCOMPARE(view->taskB(), u"T-cmp-b"_s);
        QCOMPARE(rowsOf(*view->commandsModel()),
                 (QStringList{u"same 1 1"_s, u"only_b 0 2"_s, u"same 2 3"_s, u"exit_differs 3 4"_s,
                              u"only_a 4 0"_s, u"only_a 5 0"_s, u"same 6 5"_s, u"only_b 0 6"_s}));
        const QModelIndex command =
            view->commandsModel()->index(1, AlignedCommandsModel::CommandColumn);
        QCOMPARE(command.data().toString(), u"npm install lodash@4.17.21"_s);
        const auto chainText = [view](const QString &name) {
            return view->findChild<QLabel *>(name)->text();
        };
        QCOMPARE(chainText(u"chainA-task"_s), u"T-cmp-a"_s);
        QCOMPARE(chainText(u"chainB-repo"_s), u"acme/api"_s);
        QCOMPARE(chainText(u"chainA-policy"_s), u"P-deps@3"_s);
        QCOMPARE(chainText(u"chainB-pullRequest"_s), u"-"_s);
        QVERIFY(chainText(u"chainA-sentence"_s).contains(u"it ran 6 commands (1 failed)"_s));
        QVERIFY(chainText(u"chainB-sentence"_s).contains(u"it ran 6 commands (0 failed)"_s));
        // The hosts: github.com in both, one only in each.
        QTreeWidgetItem *hosts = sectionOf(view->listsView(), u"Hosts contacted"_s);
        QVERIFY(hosts);
        QCOMPARE(hosts->childCount(), 3);
        QCOMPARE(hosts->child(2)->text(0), u"telemetry.example.net"_s);
        QVERIFY(hosts->child(2)->text(1).isEmpty());
        QVERIFY(!hosts->child(2)->text(2).isEmpty());
        QTreeWidgetItem *tests = sectionOf(view->listsView(), u"Tests"_s);
        QVERIFY(tests);
        QCOMPARE(tests->child(0)->text(1), u"failed"_s);
        QCOMPARE(tests->child(0)->text(2), u"passed"_s);

        // Picking the row whose exit code differs shows the diff of its two logs.
        QTreeView *commands = view->commandsView();
        commands->setCurrentIndex(view->commandsModel()->index(3, 0));
        QTRY_VERIFY(!view->isLoadingLogDiff());
        const QString diff = view->logDiffView()->toPlainText();
        QCOMPARE(diff, u" > web@1.0.0 test\n PASS src/checkout.test.ts\n-FAIL src/cart.test.ts\n"
                       u"-  expected 30 to equal 31\n-Tests: 1 failed, 1 passed\n"
                       u"+PASS src/cart.test.ts\n+Tests: 2 passed\n"_s);
        QVERIFY(view->findChild<QLabel *>(u"logDiffTitle"_s)->text().contains(u"row 4"_s));
        // A row only in B: its lines are all B's (it has none), and the title says so.
        commands->setCurrentIndex(view->commandsModel()->index(1, 0));
        QTRY_VERIFY(!view->isLoadingLogDiff());
        QVERIFY(view->logDiffView()->toPlainText().isEmpty());
        QVERIFY(view->findChild<QLabel *>(u"logDiffTitle"_s)->text().contains(u"Only B ran"_s));
        QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
        watchdog.disarm();

        // Either run opens in full in the main window.
        QTest::mouseClick(view->findChild<QPushButton *>(u"openRunB"_s), Qt::LeftButton);
        QTRY_COMPARE(m_window->taskView()->taskId(), u"T-cmp-b"_s);
        QTest::mouseClick(view->findChild<QPushButton *>(u"openRunA"_s), Qt::LeftButton);
        QTRY_COMPARE(m_window->taskView()->taskId(), u"T-cmp-a"_s);
        // Activating a row opens that command's log in its run.
        commands->setCurrentIndex(view->commandsModel()->index(7, 0));
        commands->setFocus();
        QTest::keyClick(commands, Qt::Key_Return);
        QTRY_COMPARE(m_window->taskView()->taskId(), u"T-cmp-b"_s);
        QTRY_COMPARE(m_window->taskView()->logSeq(), 6);
    }

    void campaignRepositoriesCompared()
    {
        auto *tabs = m_window->findChild<QTabWidget *>(u"viewTabs"_s);
        auto *campaigns = m_window->findChild<CampaignView *>(u"campaignView"_s);
        tabs->setCurrentWidget(campaigns);
        QTRY_VERIFY(campaigns->campaignsModel()->rowCount() == 1 && !campaigns->isLoading());
        QVERIFY(campaigns->showCampaign(u"C-cmp"_s));
        QTRY_COMPARE(campaigns->currentCampaignId(), u"C-cmp"_s);
        auto *repos = campaigns->findChild<QTreeView *>(u"reposTable"_s);
        auto *compare = campaigns->findChild<QPushButton *>(u"compareReposButton"_s);
        QCOMPARE(campaigns->reposModel()->rowCount(), 2);
        QVERIFY(!compare->isEnabled());
        // acme/web's run, then acme/api's: the first picked is A.
        const auto rowOf = [campaigns](const QString &repo) {
            for (int row = 0; row < campaigns->reposModel()->rowCount(); ++row) {
                const QModelIndex index = campaigns->reposModel()->index(row, 0);
                if (index.data(CampaignReposModel::RepoRole).toString() == repo)
                    return index;
            }
            return QModelIndex();
        };
        const auto click = [repos](const QModelIndex &index, Qt::KeyboardModifiers modifiers) {
            QTest::mouseClick(repos->viewport(), Qt::LeftButton, modifiers,
                              repos->visualRect(index).center());
        };
        click(rowOf(u"acme/web"_s), Qt::NoModifier);
        QVERIFY(!compare->isEnabled());
        click(rowOf(u"acme/api"_s), Qt::ControlModifier);
        QVERIFY(compare->isEnabled());
        QTest::mouseClick(compare, Qt::LeftButton);
        CompareView *view = compareView();
        QVERIFY(view);
        QTRY_VERIFY(!view->isLoading());
        QCOMPARE(view->taskA(), u"T-cmp-a"_s);
        QCOMPARE(view->taskB(), u"T-cmp-b"_s);
        QCOMPARE(view->commandsModel()->rowCount(), 8);
    }

    void asksForTwoRuns()
    {
        QVERIFY(clickTask(u"T-cmp-a"_s, Qt::NoModifier));
        m_window->findChild<QAction *>(u"compareRunsAction"_s)->trigger();
        QVERIFY(!compareView());
        QVERIFY(m_window->statusBar()->currentMessage().contains(u"Select two runs"_s));
    }

    void missingRunIsSaid()
    {
        CompareView view;
        view.setDatabase(m_db);
        view.compare(u"T-cmp-a"_s, u"T-none"_s);
        QTRY_VERIFY(!view.isLoading());
        QCOMPARE(view.commandsModel()->rowCount(), 0);
        QCOMPARE(view.findChild<QLabel *>(u"compareStatus"_s)->text(),
                 u"No task T-none in this database."_s);
    }
};

QTEST_MAIN(TestCompareView)
#include "tst_compareview.moc"
