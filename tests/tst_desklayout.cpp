// The Runs desk on a 1280x800 screen, from the demo database: the table shows at least 20
// runs with the chain strip beside the docks of the card detail and the command log, the View
// menu hides and shows those docks, and the layout a reader made comes back after a restart.
#include "campaignview.h"
#include "chainstrip.h"
#include "compareview.h"
#include "demo/demogenerator.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "ingest/ingestor.h"
#include "logpanel.h"
#include "mainwindow.h"
#include "openwait.h"
#include "runsmodel.h"
#include "settings.h"
#include "store/recordstore.h"
#include "taskview.h"

#include <QAction>
#include <QCoreApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

class TestDeskLayout final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void tableShowsTwentyRunsBesideTheChain();
    void viewMenuHidesAndShowsThePanes();
    void layoutComesBackAfterARestart();
    void savedHeaderKeepsTheTablesOrder();
    void viewLayoutsComeBackAfterARestart();
    void windowHasTheApplicationIcon();

private:
    std::unique_ptr<MainWindow> showWindow();
    QTableView *table() const { return m_window->findChild<QTableView *>(u"runsTable"_s); }
    QDockWidget *dock(const QString &name) const
    {
        return m_window->findChild<QDockWidget *>(name);
    }
    // The rows whose whole height is inside the table's viewport.
    int fullyVisibleRows() const;

    QTemporaryDir m_dir;
    QString m_dbPath;
    DemoSummary m_demo;
    std::unique_ptr<MainWindow> m_window;
};

void TestDeskLayout::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString demoDir = m_dir.filePath(u"demo"_s);
    DemoGenerator generator;
    QString error;
    QVERIFY2(generator.generate({demoDir, 0.2, 20261124}, &error), qPrintable(error));
    m_demo = generator.summary();
    QVERIFY(m_demo.tasks > 40);
    m_dbPath = m_dir.filePath(u"demo.db"_s);
    std::unique_ptr<RecordStore> store = openStore(m_dbPath, &error);
    QVERIFY2(store, qPrintable(error));
    Ingestor ingestor(*store);
    QVERIFY2(ingestor.ingest({demoDir}), qPrintable(ingestor.errorString()));
}

void TestDeskLayout::cleanup()
{
    m_window.reset();
}

std::unique_ptr<MainWindow> TestDeskLayout::showWindow()
{
    auto window =
        std::make_unique<MainWindow>(std::make_unique<Settings>(m_dir.filePath(u"desk.ini"_s)));
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()) || !openAndWait(*window, m_dbPath))
        return {};
    return window;
}

int TestDeskLayout::fullyVisibleRows() const
{
    const QRect viewport = table()->viewport()->rect();
    int rows = 0;
    for (int row = 0; row < table()->model()->rowCount(); ++row) {
        const QRect cell = table()->visualRect(table()->model()->index(row, 0));
        if (cell.isValid() && viewport.contains(cell.topLeft()) &&
            viewport.contains(QPoint(cell.left(), cell.bottom())))
            ++rows;
    }
    return rows;
}

void TestDeskLayout::tableShowsTwentyRunsBesideTheChain()
{
    QFile::remove(m_dir.filePath(u"desk.ini"_s)); // a first start
    m_window = showWindow();
    QVERIFY(m_window);
    m_window->resize(1280, 800);
    QTRY_COMPARE(m_window->size(), QSize(1280, 800));
    QTRY_VERIFY(m_window->runsModel()->isIdle());
    m_window->selectTask(m_demo.showcaseTaskId);
    QTRY_VERIFY(!m_window->isLoadingChain());
    QTRY_VERIFY(m_window->runsModel()->isIdle());
    QCOMPARE(m_window->taskView()->taskId(), m_demo.showcaseTaskId);

    // The chain strip is on screen below the table, whole (once the layout has taken the
    // sentence's lines into account), and so are the two docks.
    ChainStrip *strip = m_window->taskView()->strip();
    QVERIFY(strip->isVisible());
    QTRY_VERIFY2(strip->height() >= strip->minimumSizeHint().height(),
                 qPrintable(u"strip %1 px high, needs %2"_s.arg(strip->height())
                                .arg(strip->minimumSizeHint().height())));
    QVERIFY2(fullyVisibleRows() >= 20,
             qPrintable(u"%1 rows in a viewport of %2 px"_s.arg(fullyVisibleRows())
                            .arg(table()->viewport()->height())));
    const QRect stripRect(strip->mapTo(m_window.get(), QPoint()), strip->size());
    QVERIFY2(m_window->rect().contains(stripRect),
             qPrintable(u"strip at %1,%2 %3x%4"_s.arg(stripRect.x())
                            .arg(stripRect.y())
                            .arg(stripRect.width())
                            .arg(stripRect.height())));
    for (const QString &name : {u"chainDetailDock"_s, u"commandLogDock"_s}) {
        QVERIFY2(dock(name)->isVisible(), qPrintable(name));
        QVERIFY2(dock(name)->height() > 150, qPrintable(name));
    }
    QVERIFY(m_window->taskView()->logPanel()->isVisible());
}

void TestDeskLayout::viewMenuHidesAndShowsThePanes()
{
    m_window = showWindow();
    QVERIFY(m_window);
    QMenu *view = nullptr;
    for (QAction *action : m_window->menuBar()->actions()) {
        if (action->text() == u"&View"_s)
            view = action->menu();
    }
    QVERIFY(view);
    for (const QString &name : {u"chainDetailDock"_s, u"commandLogDock"_s}) {
        QDockWidget *pane = dock(name);
        QVERIFY(view->actions().contains(pane->toggleViewAction()));
        QVERIFY(pane->isVisible());
        const int rowsBefore = fullyVisibleRows();
        pane->toggleViewAction()->trigger();
        QVERIFY(!pane->isVisible());
        pane->toggleViewAction()->trigger();
        QVERIFY(pane->isVisible());
        QCOMPARE(fullyVisibleRows(), rowsBefore);
    }

    // A link to a log line shows the log the reader had hidden.
    QDockWidget *log = dock(u"commandLogDock"_s);
    log->toggleViewAction()->trigger();
    QVERIFY(!log->isVisible());
    m_window->openTaskLog(m_demo.showcaseTaskId, 1, 1);
    QTRY_VERIFY(!m_window->isLoadingChain());
    QTRY_COMPARE(m_window->taskView()->logSeq(), 1);
    QVERIFY(log->isVisible());
}

void TestDeskLayout::layoutComesBackAfterARestart()
{
    m_window = showWindow();
    QVERIFY(m_window);
    QHeaderView *header = table()->horizontalHeader();
    header->resizeSection(RunsModel::RepositoryColumn, 321);
    header->hideSection(RunsModel::CampaignColumn);
    header->moveSection(header->visualIndex(RunsModel::StateColumn), 0);
    dock(u"commandLogDock"_s)->toggleViewAction()->trigger();
    auto *splitter = m_window->findChild<QSplitter *>(u"runsSplitter"_s);
    const int total = splitter->sizes().at(0) + splitter->sizes().at(1);
    // Taller than the strip's least height (its sentence may wrap to more lines in the next
    // window, or with another style's fonts), which would otherwise take room from the table.
    splitter->setSizes({total - 400, 400});
    const QList<int> split = splitter->sizes();
    const int detailWidth = dock(u"chainDetailDock"_s)->width();
    m_window->close();
    m_window.reset();

    m_window = showWindow();
    QVERIFY(m_window);
    header = table()->horizontalHeader();
    QCOMPARE(header->sectionSize(RunsModel::RepositoryColumn), 321);
    QVERIFY(header->isSectionHidden(RunsModel::CampaignColumn));
    QCOMPARE(header->visualIndex(RunsModel::StateColumn), 0);
    QVERIFY(!dock(u"commandLogDock"_s)->isVisible());
    QVERIFY(dock(u"chainDetailDock"_s)->isVisible());
    QCOMPARE(dock(u"chainDetailDock"_s)->width(), detailWidth);
    // The pane under the table keeps the height the reader gave it; the table takes the rest
    // of a window whose restored height the platform may round (Qt 6.8's offscreen frames).
    QCOMPARE(m_window->findChild<QSplitter *>(u"runsSplitter"_s)->sizes().at(1), split.at(1));
}

// The order is saved as it changes, the header only at a close: a header from an earlier
// close must not bring back the order of then.
void TestDeskLayout::savedHeaderKeepsTheTablesOrder()
{
    m_window = showWindow();
    QVERIFY(m_window);
    m_window->runsModel()->setTaskSort({TaskSortColumn::Repository, false});
    table()->horizontalHeader()->setSortIndicator(RunsModel::RepositoryColumn, Qt::AscendingOrder);
    m_window->close();
    m_window.reset();
    {
        Settings later(m_dir.filePath(u"desk.ini"_s));
        later.runsSortColumn.setValue(RunsModel::StateColumn);
        later.runsSortDescending.setValue(true);
    }

    m_window = showWindow();
    QVERIFY(m_window);
    QCOMPARE(m_window->runsModel()->taskSort(), (TaskSort{TaskSortColumn::State, true}));
    QCOMPARE(table()->horizontalHeader()->sortIndicatorSection(), int(RunsModel::StateColumn));
    QCOMPARE(table()->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
}

// Findings, Campaigns and Compare Runs: the splits and column widths a reader made come back
// after a restart.
void TestDeskLayout::viewLayoutsComeBackAfterARestart()
{
    QString error;
    auto store = openStore(m_dbPath, &error, StoreAccess::ReadOnly);
    QVERIFY2(store, qPrintable(error));
    const QList<TaskRow> tasks = store->tasks({}, 0, 2);
    QCOMPARE(tasks.size(), 2);

    m_window = showWindow();
    QVERIFY(m_window);
    auto *tabs = m_window->findChild<QTabWidget *>(u"viewTabs"_s);
    auto *findings = m_window->findChild<FindingsView *>();
    auto *campaigns = m_window->findChild<CampaignView *>();
    QVERIFY(tabs && findings && campaigns);

    tabs->setCurrentWidget(findings);
    QHeaderView *findingsHeader = findings->table()->horizontalHeader();
    findingsHeader->resizeSection(FindingsModel::RuleColumn, 333);
    findingsHeader->hideSection(FindingsModel::SeverityColumn);

    tabs->setCurrentWidget(campaigns);
    m_window->openLink({TasktrailLink::Kind::Campaign, m_demo.showcaseCampaignId});
    QTRY_COMPARE(campaigns->currentCampaignId(), m_demo.showcaseCampaignId);
    auto *campaignSplit = campaigns->findChild<QSplitter *>(u"campaignSplitter"_s);
    auto *sections = campaigns->findChild<QSplitter *>(u"campaignSections"_s);
    auto *repos = campaigns->findChild<QTreeView *>(u"reposTable"_s);
    QVERIFY(campaignSplit && sections && repos);
    const int campaignWidth = campaignSplit->sizes().at(0) + campaignSplit->sizes().at(1);
    campaignSplit->setSizes({campaignWidth - 900, 900});
    const int sectionsHeight = sections->sizes().at(0) + sections->sizes().at(1);
    sections->setSizes({120, sectionsHeight - 120});
    repos->header()->resizeSection(0, 222);
    // What is saved is what the splitters hold once the layouts pending are done.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    const QList<int> campaignSizes = campaignSplit->sizes();
    const QList<int> sectionSizes = sections->sizes();

    m_window->compareRuns(tasks.at(0).id, tasks.at(1).id);
    CompareView *compare = m_window->findChild<CompareView *>();
    QVERIFY(compare);
    QVERIFY(QTest::qWaitForWindowExposed(compare));
    QTRY_VERIFY(!compare->isLoading());
    auto *compareSplit = compare->findChild<QSplitter *>(u"compareSplitter"_s);
    auto *middle = compare->findChild<QSplitter *>(u"compareMiddleSplitter"_s);
    QVERIFY(compareSplit && middle);
    const int compareHeight = compareSplit->sizes().at(0) + compareSplit->sizes().at(1);
    compareSplit->setSizes({compareHeight - 150, 150});
    const int middleWidth = middle->sizes().at(0) + middle->sizes().at(1);
    middle->setSizes({middleWidth - 300, 300});
    compare->commandsView()->header()->resizeSection(1, 444);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    const QList<int> compareSizes = compareSplit->sizes();
    const QList<int> middleSizes = middle->sizes();
    compare->close(); // saved as it closes

    m_window->close();
    m_window.reset();

    m_window = showWindow();
    QVERIFY(m_window);
    tabs = m_window->findChild<QTabWidget *>(u"viewTabs"_s);
    findings = m_window->findChild<FindingsView *>();
    campaigns = m_window->findChild<CampaignView *>();
    tabs->setCurrentWidget(findings);
    findingsHeader = findings->table()->horizontalHeader();
    QCOMPARE(findingsHeader->sectionSize(FindingsModel::RuleColumn), 333);
    QVERIFY(findingsHeader->isSectionHidden(FindingsModel::SeverityColumn));

    tabs->setCurrentWidget(campaigns);
    m_window->openLink({TasktrailLink::Kind::Campaign, m_demo.showcaseCampaignId});
    QTRY_COMPARE(campaigns->currentCampaignId(), m_demo.showcaseCampaignId);
    // A campaign shown keeps the repository column the reader sized.
    QCOMPARE(campaigns->findChild<QTreeView *>(u"reposTable"_s)->header()->sectionSize(0), 222);
    QTRY_COMPARE(campaigns->findChild<QSplitter *>(u"campaignSplitter"_s)->sizes(), campaignSizes);
    QTRY_COMPARE(campaigns->findChild<QSplitter *>(u"campaignSections"_s)->sizes(), sectionSizes);

    m_window->compareRuns(tasks.at(0).id, tasks.at(1).id);
    compare = m_window->findChild<CompareView *>();
    QVERIFY(compare);
    QVERIFY(QTest::qWaitForWindowExposed(compare));
    QTRY_VERIFY(!compare->isLoading());
    QCOMPARE(compare->commandsView()->header()->sectionSize(1), 444);
    QTRY_COMPARE(compare->findChild<QSplitter *>(u"compareSplitter"_s)->sizes(), compareSizes);
    QTRY_COMPARE(compare->findChild<QSplitter *>(u"compareMiddleSplitter"_s)->sizes(), middleSizes);
}

// The window's icon is the application's SVG, drawn at any size (the SVG icon engine).
void TestDeskLayout::windowHasTheApplicationIcon()
{
    m_window = showWindow();
    QVERIFY(m_window);
    const QIcon icon = m_window->windowIcon();
    QVERIFY(!icon.isNull());
    for (const int size : {16, 48, 256}) {
        const QPixmap pixmap = icon.pixmap(QSize(size, size));
        QVERIFY2(!pixmap.isNull(), qPrintable(QString::number(size)));
        QCOMPARE(pixmap.size(), QSize(size, size));
        // Drawn, not blank: some pixels are opaque.
        const QImage image = pixmap.toImage();
        bool opaque = false;
        for (int y = 0; y < image.height() && !opaque; ++y)
            for (int x = 0; x < image.width() && !opaque; ++x)
                opaque = qAlpha(image.pixel(x, y)) > 0;
        QVERIFY(opaque);
    }
}

QTEST_MAIN(TestDeskLayout)
#include "tst_desklayout.moc"
