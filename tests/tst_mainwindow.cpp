#include "chainpanel.h"
#include "issuesmodel.h"
#include "issuespanel.h"
#include "mainwindow.h"
#include "runsfixture.h"
#include "runsmodel.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
namespace Fixture = Tasktrail::RunsFixture;

class TestMainWindow final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void opensDatabaseLazily();
    void typingFiltersTheTable();
    void clickingARowShowsItsChain();
    void keyboardMovesTheChain();
    void hostileTextIsEscaped();
    void selectTaskLoadsPagesUntilFound();
    void selectTaskOutsideFilterStillShowsChain();
    void selectUnknownTask();
    void openFailureKeepsCurrentDatabase();
    void fileMenu();
    void importingABadLineFillsTheIssuesPanel();

private:
    QTableView *table() const { return m_window->findChild<QTableView *>(u"runsTable"_s); }
    ChainPanel *panel() const { return m_window->findChild<ChainPanel *>(u"chainPanel"_s); }
    QLineEdit *filterEdit() const { return m_window->findChild<QLineEdit *>(u"filterEdit"_s); }
    QString countText() const { return m_window->findChild<QLabel *>(u"taskCountLabel"_s)->text(); }
    bool clickTask(int task);
    bool typeFilter(const QString &text);

    QTemporaryDir m_dir;
    QString m_dbPath;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    // Counts are shown with the locale's digit grouping; pin it so the texts are known.
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_dir.isValid());
    m_dbPath = m_dir.filePath(u"runs.db"_s);
    QString error;
    std::unique_ptr<RecordStore> store = openStore(m_dbPath, &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY2(Fixture::write(*store), qPrintable(store->errorString()));
}

void TestMainWindow::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1000, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(table() && panel() && filterEdit());
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

// Clicks the row of a task under the current filter.
bool TestMainWindow::clickTask(int task)
{
    const int row = m_window->runsModel()->rowOfTask(Fixture::taskId(task));
    if (row < 0)
        return false;
    const QModelIndex index = m_window->runsModel()->index(row, RunsModel::RepositoryColumn);
    table()->scrollTo(index);
    QTest::mouseClick(table()->viewport(), Qt::LeftButton, {}, table()->visualRect(index).center());
    return table()->currentIndex().row() == row;
}

// Types a filter the way a person does and waits until the table applies it.
bool TestMainWindow::typeFilter(const QString &text)
{
    filterEdit()->clear();
    QTest::keyClicks(filterEdit(), text);
    return QTest::qWaitFor([this, &text] {
        const RunsModel *model = m_window->runsModel();
        return model->filter().text == text && model->isIdle() &&
               (model->rowCount() == 0 || model->isRowLoaded(0));
    });
}

void TestMainWindow::opensDatabaseLazily()
{
    QCOMPARE(countText(), u"No database"_s);
    QVERIFY(m_window->openDatabase(m_dbPath));
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"runs.db"_s));
    // Counted on the model's worker: every row is in the table at once.
    QTRY_COMPARE(countText(), u"1,000 tasks"_s);
    QCOMPARE(m_window->runsModel()->totalCount(), Fixture::taskCount);
    QCOMPARE(m_window->runsModel()->rowCount(), Fixture::taskCount);

    // The view asks for the rows it shows; the rest waits for scrolling.
    QTRY_VERIFY(m_window->runsModel()->isRowLoaded(0));
    QCOMPARE(m_window->runsModel()->cachedPageCount(), 1);
    QVERIFY(!m_window->runsModel()->isRowLoaded(Fixture::taskCount - 1));
    QCOMPARE(table()->model()->index(0, RunsModel::TaskColumn).data().toString(),
             Fixture::taskId(Fixture::taskCount - 1));
    QVERIFY(panel()->plainText().isEmpty());
}

void TestMainWindow::typingFiltersTheTable()
{
    QVERIFY(m_window->openDatabase(m_dbPath));
    QTest::keyClicks(filterEdit(), u"repo-7"_s);
    QTRY_COMPARE(m_window->runsModel()->totalCount(), 50);
    QCOMPARE(m_window->runsModel()->filter().text, u"repo-7"_s);
    QCOMPARE(countText(), u"50 tasks"_s);
    QTRY_COMPARE(m_window->runsModel()->rowCount(), 50);
    QTRY_VERIFY(m_window->runsModel()->isRowLoaded(49));
    for (int row = 0; row < 50; ++row)
        QCOMPARE(m_window->runsModel()->index(row, 0).data(RunsModel::RepositoryRole).toString(),
                 u"acme/repo-7"_s);

    // Clearing the filter brings every task back.
    filterEdit()->clear();
    QTRY_COMPARE(m_window->runsModel()->totalCount(), Fixture::taskCount);
    QCOMPARE(countText(), u"1,000 tasks"_s);
}

void TestMainWindow::clickingARowShowsItsChain()
{
    QVERIFY(m_window->openDatabase(m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    const int task = 996; // completed, merged PR #997
    QVERIFY(clickTask(task));

    const QString chain = panel()->plainText();
    QVERIFY2(chain.contains(Fixture::taskId(task)), qPrintable(chain));
    QVERIFY2(chain.contains(Fixture::requestText(task)), qPrintable(chain));
    QVERIFY2(chain.contains(Fixture::requester(task)), qPrintable(chain));
    QVERIFY2(chain.contains(Fixture::principal(task)), qPrintable(chain));
    QVERIFY2(chain.contains(u"default-policy@3"_s), qPrintable(chain));
    QVERIFY2(chain.contains(u"npm test"_s), qPrintable(chain));
    QVERIFY2(chain.contains(u"#997 (merged)"_s), qPrintable(chain));
    QVERIFY2(chain.contains(u"carol"_s), qPrintable(chain));
    // Sections appear in the order the chain happened.
    QVERIFY(chain.indexOf(Fixture::requestText(task)) < chain.indexOf(Fixture::principal(task)));
    QVERIFY(chain.indexOf(Fixture::principal(task)) < chain.indexOf(u"npm test"_s));
    QVERIFY(chain.indexOf(u"npm test"_s) < chain.indexOf(u"#997"_s));

    // A task whose PR is still open says so without "merged".
    QVERIFY(clickTask(993));
    QVERIFY(panel()->plainText().contains(u"#994"_s));
    QVERIFY(!panel()->plainText().contains(u"merged"_s));
}

void TestMainWindow::keyboardMovesTheChain()
{
    QVERIFY(m_window->openDatabase(m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    QVERIFY(clickTask(999));
    QVERIFY(panel()->plainText().contains(Fixture::taskId(999)));
    QTest::keyClick(table(), Qt::Key_Down);
    QCOMPARE(table()->currentIndex().row(), 1);
    QVERIFY(panel()->plainText().contains(Fixture::taskId(998)));
    QVERIFY(!panel()->plainText().contains(Fixture::taskId(999)));
}

void TestMainWindow::hostileTextIsEscaped()
{
    QVERIFY(m_window->openDatabase(m_dbPath));
    QVERIFY(typeFilter(Fixture::taskId(Fixture::hostileTask)));
    QCOMPARE(m_window->runsModel()->rowCount(), 1);
    QVERIFY(clickTask(Fixture::hostileTask));

    // Shown as the characters that were recorded, which only happens when they were escaped.
    QVERIFY2(panel()->plainText().contains(Fixture::hostilePrompt()),
             qPrintable(panel()->plainText()));
    QVERIFY(panel()->html().contains(u"&lt;script&gt;alert(1)&lt;/script&gt;"_s));
    QVERIFY(!panel()->html().contains(u"<script"_s));

    // The same for a PR title with markup and an ampersand.
    QVERIFY(typeFilter(Fixture::taskId(Fixture::hostileTitleTask)));
    QCOMPARE(m_window->runsModel()->rowCount(), 1);
    QVERIFY(clickTask(Fixture::hostileTitleTask));
    QVERIFY2(panel()->plainText().contains(Fixture::hostileTitle()),
             qPrintable(panel()->plainText()));
    QVERIFY(panel()->html().contains(u"&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;"_s));
}

void TestMainWindow::selectTaskLoadsPagesUntilFound()
{
    QVERIFY(m_window->openDatabase(m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->isIdle());
    const int task = 600; // row 399: on the second page, not read yet
    QVERIFY(!m_window->runsModel()->isRowLoaded(Fixture::rowOf(task)));
    m_window->selectTask(Fixture::taskId(task));
    QCOMPARE(table()->currentIndex().row(), Fixture::rowOf(task));
    QCOMPARE(table()->currentIndex().data(RunsModel::TaskIdRole).toString(), Fixture::taskId(task));
    QVERIFY(table()->selectionModel()->isRowSelected(Fixture::rowOf(task), {}));
    QVERIFY(m_window->runsModel()->cachedPageCount() < 4);
    QVERIFY(panel()->plainText().contains(Fixture::requestText(task)));
}

void TestMainWindow::selectTaskOutsideFilterStillShowsChain()
{
    QVERIFY(m_window->openDatabase(m_dbPath));
    QVERIFY(typeFilter(u"repo-7"_s));
    QCOMPARE(m_window->runsModel()->totalCount(), 50);

    const int task = 996; // acme/repo-16
    m_window->selectTask(Fixture::taskId(task));
    QVERIFY(!table()->currentIndex().isValid());
    QVERIFY(!table()->selectionModel()->hasSelection());
    QVERIFY(panel()->plainText().contains(Fixture::requestText(task)));
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"filter"_s));
    QCOMPARE(m_window->runsModel()->totalCount(), 50); // the filter is left as typed
}

void TestMainWindow::selectUnknownTask()
{
    m_window->selectTask(u"task-0001"_s);
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"No database"_s));

    QVERIFY(m_window->openDatabase(m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->isIdle());
    m_window->selectTask(Fixture::taskId(3));
    QVERIFY(panel()->plainText().contains(Fixture::taskId(3)));

    m_window->selectTask(u"no-such-task"_s);
    QVERIFY(!table()->selectionModel()->hasSelection());
    QVERIFY(panel()->plainText().contains(u"No task no-such-task"_s));
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"no-such-task"_s));

    // Selecting the earlier task again shows it again.
    m_window->selectTask(Fixture::taskId(3));
    QVERIFY(panel()->plainText().contains(Fixture::requestText(3)));
}

void TestMainWindow::openFailureKeepsCurrentDatabase()
{
    QVERIFY(m_window->openDatabase(m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    const QString missing = m_dir.filePath(u"no/such/dir/runs.db"_s);
    QTRY_COMPARE(countText(), u"1,000 tasks"_s);
    QVERIFY(!m_window->openDatabase(missing));
    // Reported where the user looks, not in a dialog that blocks a scripted start.
    QVERIFY(m_window->statusBar()->currentMessage().contains(missing));
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    QCOMPARE(countText(), u"1,000 tasks"_s);
    QVERIFY(m_window->runsModel()->store());
    QVERIFY(clickTask(Fixture::taskCount - 1));
    QVERIFY(panel()->plainText().contains(Fixture::requestText(Fixture::taskCount - 1)));
}

void TestMainWindow::fileMenu()
{
    auto *open = m_window->findChild<QAction *>(u"openDatabaseAction"_s);
    auto *quit = m_window->findChild<QAction *>(u"quitAction"_s);
    QVERIFY(open && quit);
    QCOMPARE(open->shortcut(), QKeySequence(QKeySequence::Open));
    QCOMPARE(quit->shortcut(), QKeySequence(QKeySequence::Quit));
    quit->trigger();
    QVERIFY(!m_window->isVisible());
}

QTEST_MAIN(TestMainWindow)
void TestMainWindow::importingABadLineFillsTheIssuesPanel()
{
    QVERIFY(!m_window->importFiles({m_dir.filePath(u"nothing-open.jsonl"_s)}));
    QVERIFY(m_window->openDatabase(m_dbPath));
    const QString file = m_dir.filePath(u"import.jsonl"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"tasktrail\":1,\"kind\":\"request\",\"id\":\"R-import\",\"text\":\"ok\"}\n"
            "{\"tasktrail\":1,\"kind\":\"request\",\"id\":\n");
    f.close();
    QVERIFY(m_window->importFiles({file}));
    auto *issues = m_window->findChild<IssuesPanel *>();
    QVERIFY(issues);
    QTRY_COMPARE(issues->model()->count(), 1);
    const IngestIssue issue = issues->model()->issue(0);
    QCOMPARE(issue.file, file);
    QCOMPARE(issue.line, 2);
    QVERIFY(issue.reason.contains(u"invalid JSON"_s));
    QVERIFY(m_window->findChild<QDockWidget *>(u"issuesDock"_s)->isVisible());
    QTRY_VERIFY(m_window->statusBar()->currentMessage().contains(
        u"1 ingested, 0 duplicates, 1 rejected"_s));

    auto *tabs = m_window->findChild<QTabWidget *>(u"viewTabs"_s);
    QCOMPARE(tabs->count(), 3);
}

#include "tst_mainwindow.moc"
