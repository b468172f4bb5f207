// The runs table in the main window: the chain beside a row selected before its page is read,
// sorting by a header click kept across filters and restarts, and a GUI thread that never
// stalls while a person moves through a large database.
#include "chainpanel.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "guiwatchdog.h"
#include "mainwindow.h"
#include "openwait.h"
#include "runsfixture.h"
#include "runsmodel.h"
#include "settings.h"
#include "taskview.h"

#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using TestSupport::GuiWatchdog;
namespace Fixture = Tasktrail::RunsFixture;

namespace {

// Tasks in the large database: what a test on this 2-core machine writes in well under a
// minute (a million take five); the table's paths are the same at any size.
constexpr int largeTaskCount = 200'000;

TaskRecord largeTask(int i)
{
    static const QDateTime epoch(QDate(2025, 1, 1), QTime(0, 0), QTimeZone::utc());
    TaskRecord t;
    t.id = u"big-%1"_s.arg(i, 7, 10, QLatin1Char('0'));
    t.repo = u"acme/repo-%1"_s.arg(i % 500);
    t.state = i % 4 == 0 ? TaskState::Failed : TaskState::Completed;
    t.createdAt = epoch.addSecs(30LL * i);
    t.startedAt = t.createdAt.addSecs(5);
    t.completedAt = t.startedAt.addSecs(60 + i % 600);
    return t;
}

// One task in findingEvery has a finding.
constexpr int findingEvery = 4;

Finding largeFinding(int i)
{
    Finding f;
    f.taskId = largeTask(i).id;
    f.rule = u"rule_%1"_s.arg(i % 7);
    f.severity = Severity(i % 5);
    f.message = u"finding of task %1"_s.arg(i);
    return f;
}

} // namespace

class TestRunsTable final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void ctrlEndShowsTheLastRowsTaskOnceItsPageArrives();
    void headerClickSortsAndIsRemembered();
    void largeDatabaseNeverStallsTheGui();
    void aTaskNotReadYetIsSelectedWhenTheWorkerFindsIt();
    void facetsOfADatabaseLeftBehindAreDropped();
    void findingsSortIsRemembered();
    void largeFindingsNeverStallTheGui();

private:
    std::unique_ptr<MainWindow> newWindow();
    QTableView *table() const { return m_window->findChild<QTableView *>(u"runsTable"_s); }
    ChainPanel *panel() const { return m_window->findChild<ChainPanel *>(u"chainPanel"_s); }
    RunsModel *model() const { return m_window->runsModel(); }
    void clickHeader(int section);

    QTemporaryDir m_dir;
    QString m_dbPath;
    QString m_largePath;
    QString m_settingsPath;
    std::unique_ptr<MainWindow> m_window;
};

void TestRunsTable::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_dbPath = m_dir.filePath(u"runs.db"_s);
    QString error;
    std::unique_ptr<RecordStore> store = openStore(m_dbPath, &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY2(Fixture::write(*store), qPrintable(store->errorString()));

    m_largePath = m_dir.filePath(u"large.db"_s);
    QElapsedTimer timer;
    timer.start();
    std::unique_ptr<RecordStore> large = openStore(m_largePath, &error);
    QVERIFY2(large, qPrintable(error));
    QVERIFY(large->beginBatch());
    for (int i = 0; i < largeTaskCount; ++i) {
        QVERIFY2(large->writeTask(largeTask(i)), qPrintable(large->errorString()));
        if (i % findingEvery == 0)
            QVERIFY(large->replaceFindings(largeTask(i).id, {largeFinding(i)}));
    }
    QVERIFY(large->commitBatch());
    qInfo("wrote %d tasks in %lld ms", largeTaskCount, timer.elapsed());
}

std::unique_ptr<MainWindow> TestRunsTable::newWindow()
{
    return std::make_unique<MainWindow>(std::make_unique<Settings>(m_settingsPath));
}

void TestRunsTable::init()
{
    m_settingsPath = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".ini"_s);
    m_window = newWindow();
    m_window->resize(1000, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestRunsTable::cleanup()
{
    m_window.reset();
}

void TestRunsTable::clickHeader(int section)
{
    QHeaderView *header = table()->horizontalHeader();
    const QPoint at(header->sectionViewportPosition(section) + header->sectionSize(section) / 2,
                    header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
}

// Ctrl+End moves the selection to a row whose page is not read yet: the chain must not go on
// showing the task clicked before, and must show the last row's task once its page arrives.
void TestRunsTable::ctrlEndShowsTheLastRowsTaskOnceItsPageArrives()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(model()->isIdle() && model()->isRowLoaded(0));
    const QModelIndex top = model()->index(0, RunsModel::RepositoryColumn);
    QTest::mouseClick(table()->viewport(), Qt::LeftButton, {}, table()->visualRect(top).center());
    const QString clicked = Fixture::taskId(Fixture::taskCount - 1);
    QTRY_VERIFY(panel()->plainText().contains(clicked)); // the chain is read on a worker
    QTRY_COMPARE(m_window->taskView()->taskId(), clicked);

    const int last = Fixture::taskCount - 1;
    QVERIFY(!model()->isRowLoaded(last));
    QTest::keyClick(table(), Qt::Key_End, Qt::ControlModifier);
    QCOMPARE(table()->currentIndex().row(), last);
    // The page is still on its way: neither the clicked task nor any other beside the row.
    QVERIFY(!model()->isRowLoaded(last));
    QVERIFY2(!panel()->plainText().contains(clicked), qPrintable(panel()->plainText()));
    QVERIFY2(panel()->plainText().contains(u"Loading"_s), qPrintable(panel()->plainText()));
    QVERIFY(m_window->taskView()->taskId().isEmpty());

    const QString lastTask = Fixture::taskId(0); // newest first: the oldest task is last
    QTRY_VERIFY2(panel()->plainText().contains(lastTask), qPrintable(panel()->plainText()));
    QCOMPARE(m_window->taskView()->taskId(), lastTask);
    QCOMPARE(table()->currentIndex().data(RunsModel::TaskIdRole).toString(), lastTask);
}

void TestRunsTable::headerClickSortsAndIsRemembered()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(model()->isIdle());
    QCOMPARE(model()->taskSort(), TaskSort{});

    clickHeader(RunsModel::RepositoryColumn);
    const TaskSort byRepo = model()->taskSort();
    QCOMPARE(byRepo.column, TaskSortColumn::Repository);
    QTRY_VERIFY(model()->isIdle() && model()->isRowLoaded(0));
    // Sorted in SQL over every task: the first rows are the smallest repository's (or, the
    // other way, the largest), ties by id in the same direction.
    const QString firstRepo = byRepo.descending ? u"acme/repo-9"_s : u"acme/repo-0"_s;
    QCOMPARE(model()->index(0, 0).data(RunsModel::RepositoryRole).toString(), firstRepo);
    const QString first = model()->index(0, 0).data(RunsModel::TaskIdRole).toString();
    const QString second = model()->index(1, 0).data(RunsModel::TaskIdRole).toString();
    QCOMPARE(model()->index(1, 0).data(RunsModel::RepositoryRole).toString(), firstRepo);
    QVERIFY(byRepo.descending ? first > second : first < second);

    // Clicked again: the other way.
    clickHeader(RunsModel::RepositoryColumn);
    QCOMPARE(model()->taskSort(), (TaskSort{TaskSortColumn::Repository, !byRepo.descending}));
    const TaskSort chosen = model()->taskSort();

    // A filter keeps the order, and a column that cannot be sorted leaves it as it was.
    auto *text = m_window->findChild<QLineEdit *>(u"filterText"_s);
    QTest::keyClicks(text, u"repo-1"_s);
    QTRY_COMPARE(model()->filter().text, u"repo-1"_s);
    QCOMPARE(model()->taskSort(), chosen);
    clickHeader(RunsModel::RequesterColumn);
    QCOMPARE(model()->taskSort(), chosen);
    QCOMPARE(table()->horizontalHeader()->sortIndicatorSection(), int(RunsModel::RepositoryColumn));

    // A restart reads the table in the same order.
    m_window->close();
    m_window = newWindow();
    QCOMPARE(m_window->runsModel()->taskSort(), chosen);
    QCOMPARE(table()->horizontalHeader()->sortIndicatorSection(), int(RunsModel::RepositoryColumn));
    QCOMPARE(table()->horizontalHeader()->sortIndicatorOrder(),
             chosen.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
}

// What a person does on a large database, with the GUI thread watched throughout: scrolling
// to the end and back, Ctrl+End, dragging the scrollbar to the middle, sorting by a header and
// filtering. Every page is read on the worker; the GUI thread only waits for events.
void TestRunsTable::largeDatabaseNeverStallsTheGui()
{
    QVERIFY(openAndWait(*m_window, m_largePath));
    QTRY_VERIFY_WITH_TIMEOUT(model()->isIdle() && model()->isRowLoaded(0), 60'000);
    QCOMPARE(model()->rowCount(), largeTaskCount);

    GuiWatchdog watchdog;
    watchdog.arm();
    watchdog.setStep(u"Ctrl+End"_s);
    table()->setFocus();
    QTest::keyClick(table(), Qt::Key_End, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->taskView()->taskId() == largeTask(0).id, 30'000);

    watchdog.setStep(u"scrollbar to the middle"_s);
    QScrollBar *bar = table()->verticalScrollBar();
    bar->setValue(bar->maximum() / 2);
    const int middle = table()->rowAt(table()->viewport()->height() / 2);
    QVERIFY(middle > 0);
    QTRY_VERIFY_WITH_TIMEOUT(model()->isRowLoaded(middle), 30'000);

    watchdog.setStep(u"sort by state, then the end"_s);
    clickHeader(RunsModel::StateColumn);
    QTRY_VERIFY_WITH_TIMEOUT(model()->isIdle(), 30'000);
    QTest::keyClick(table(), Qt::Key_End, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(model()->isRowLoaded(largeTaskCount - 1), 30'000);

    watchdog.setStep(u"filter"_s);
    auto *text = m_window->findChild<QLineEdit *>(u"filterText"_s);
    QTest::keyClicks(text, u"repo-42"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model()->filter().text == u"repo-42"_s && model()->isIdle(), 30'000);
    // acme/repo-42 and acme/repo-420 to -429: 11 of the 500 repositories.
    QCOMPARE(model()->rowCount(), largeTaskCount / 500 * 11);
    watchdog.disarm();
    QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
}

// Selecting a task whose page was never read (from history, a finding, another view): the
// model does not know its row, so the worker finds it and the row is selected when the answer
// arrives; an answer for a task asked for before another is dropped, and a task the filter
// excludes is said so. The GUI thread is watched throughout.
void TestRunsTable::aTaskNotReadYetIsSelectedWhenTheWorkerFindsIt()
{
    QVERIFY(openAndWait(*m_window, m_largePath));
    QTRY_VERIFY_WITH_TIMEOUT(model()->isIdle() && model()->isRowLoaded(0), 60'000);
    GuiWatchdog watchdog;
    watchdog.arm();
    watchdog.setStep(u"select a task deep in the table"_s);
    const int deep = largeTaskCount / 3;
    const int deepRow = largeTaskCount - 1 - deep; // newest first
    const QString id = largeTask(deep).id;
    QCOMPARE(model()->rowOfTask(id), -1); // its page was never read
    m_window->selectTask(id);
    QVERIFY(!table()->currentIndex().isValid()); // not known yet: asked for
    QTRY_COMPARE_WITH_TIMEOUT(table()->currentIndex().row(), deepRow, 30'000);
    QCOMPARE(table()->currentIndex().data(RunsModel::TaskIdRole).toString(), id);
    QTRY_COMPARE(m_window->taskView()->taskId(), id);

    watchdog.setStep(u"select two tasks in a row"_s);
    const QString first = largeTask(10).id;
    const QString second = largeTask(20).id;
    QSignalSpy located(model(), &RunsModel::taskLocated);
    m_window->selectTask(first);
    m_window->selectTask(second);
    QTRY_COMPARE(located.size(), 2); // answered in the order asked
    QCOMPARE(table()->currentIndex().data(RunsModel::TaskIdRole).toString(), second);
    QTRY_COMPARE(m_window->taskView()->taskId(), second);

    watchdog.setStep(u"select a task the filter excludes"_s);
    auto *text = m_window->findChild<QLineEdit *>(u"filterText"_s);
    QTest::keyClicks(text, u"repo-42"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model()->filter().text == u"repo-42"_s && model()->isIdle(), 30'000);
    m_window->selectTask(largeTask(1).id); // acme/repo-1
    QTRY_VERIFY(m_window->statusBar()->currentMessage().contains(
        u"is not in the table under the current filter"_s));
    QCOMPARE(m_window->taskView()->taskId(), largeTask(1).id);
    QVERIFY(!table()->currentIndex().isValid());
    watchdog.disarm();
    QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
}

// The filter's choices are read on the worker after a database opens; those of a database
// the table has left before they arrived never reach it.
void TestRunsTable::facetsOfADatabaseLeftBehindAreDropped()
{
    RunsModel model;
    QSignalSpy facets(&model, &RunsModel::facetValuesChanged);
    model.setDatabasePath(m_largePath);
    QVERIFY(model.facetValues(TaskFacet::Repository).isEmpty()); // asked for, not read here
    model.setDatabasePath(m_dbPath);
    // Every facet arrives, the campaigns last.
    QTRY_VERIFY(!facets.isEmpty() &&
                facets.constLast().at(0).value<TaskFacet>() == TaskFacet::Campaign);
    QCOMPARE(model.facetValues(TaskFacet::Repository).size(), Fixture::repoCount);
    for (const QList<QVariant> &arrived : std::as_const(facets)) {
        if (arrived.at(0).value<TaskFacet>() == TaskFacet::Repository)
            QCOMPARE(arrived.at(1).toStringList().size(), Fixture::repoCount); // never 500
    }
}

void TestRunsTable::findingsSortIsRemembered()
{
    auto *findings = m_window->findChild<FindingsView *>(u"findingsView"_s);
    QCOMPARE(findings->model()->findingSort(), FindingSort{});
    m_window->findChild<QTabWidget *>(u"viewTabs"_s)->setCurrentWidget(findings);
    QHeaderView *header = findings->table()->horizontalHeader();
    const auto click = [header](int section) {
        QTest::mouseClick(
            header->viewport(), Qt::LeftButton, {},
            QPoint(header->sectionViewportPosition(section) + 5, header->height() / 2));
    };
    click(FindingsModel::RuleColumn);
    const FindingSort chosen = findings->model()->findingSort();
    QCOMPARE(chosen.column, FindingSortColumn::Rule);
    click(FindingsModel::MessageColumn); // not sortable: nothing changes
    QCOMPARE(findings->model()->findingSort(), chosen);
    QCOMPARE(header->sortIndicatorSection(), int(FindingsModel::RuleColumn));

    m_window->close();
    m_window = newWindow();
    findings = m_window->findChild<FindingsView *>(u"findingsView"_s);
    QCOMPARE(findings->model()->findingSort(), chosen);
    QCOMPARE(findings->table()->horizontalHeader()->sortIndicatorSection(),
             int(FindingsModel::RuleColumn));
}

// Scrolling the findings of a large database to the end page after page, in the default order
// and sorted by each sortable column: each page is read on the view's query thread, by key.
void TestRunsTable::largeFindingsNeverStallTheGui()
{
    QVERIFY(openAndWait(*m_window, m_largePath));
    auto *findings = m_window->findChild<FindingsView *>(u"findingsView"_s);
    m_window->findChild<QTabWidget *>(u"viewTabs"_s)->setCurrentWidget(findings);
    QTRY_VERIFY(findings->model()->rowCount() > 0);
    QScrollBar *bar = findings->table()->verticalScrollBar();
    const auto scrollPages = [&](int pages) {
        for (int page = 0; page < pages; ++page) {
            const int before = findings->model()->rowCount();
            // The scrollbar's range follows the rows inserted once the view has laid them out.
            // A page may take long on a busy machine; what is checked is the GUI thread.
            if (!QTest::qWaitFor([&] { return bar->maximum() > bar->value(); }, 60'000))
                return false;
            bar->setValue(bar->maximum());
            if (!QTest::qWaitFor([&] { return findings->model()->rowCount() > before; }, 60'000))
                return false;
        }
        return true;
    };
    GuiWatchdog watchdog;
    watchdog.arm();
    watchdog.setStep(u"scroll in the default order"_s);
    QVERIFY(scrollPages(20));
    for (const int section :
         {FindingsModel::SeverityColumn, FindingsModel::RuleColumn, FindingsModel::TaskColumn}) {
        watchdog.setStep(u"sort by column %1 and scroll"_s.arg(section));
        findings->model()->sort(section, Qt::DescendingOrder);
        // The first page arrives from the query thread before the scrolling starts.
        QTRY_VERIFY(!findings->model()->isLoading() && findings->model()->rowCount() > 0);
        QVERIFY(scrollPages(20));
    }
    watchdog.disarm();
    QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
    // The first page and at least one more per scroll (a scroll may reach the end twice).
    QVERIFY2(findings->model()->rowCount() >= 21 * FindingsModel::defaultPageSize,
             qPrintable(QString::number(findings->model()->rowCount())));
    QCOMPARE(findings->model()->findingSort().column, FindingSortColumn::Task);
}

QTEST_MAIN(TestRunsTable)
#include "tst_runstable.moc"
