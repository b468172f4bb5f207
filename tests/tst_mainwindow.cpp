#include "chaindetail.h"
#include "chainpanel.h"
#include "commandsmodel.h"
#include "findingsview.h"
#include "guiwatchdog.h"
#include "issuesmodel.h"
#include "issuespanel.h"
#include "logpanel.h"
#include "logview.h"
#include "mainwindow.h"
#include "navigationhistory.h"
#include "openwait.h"
#include "runsfixture.h"
#include "runsmodel.h"
#include "searchresultsmodel.h"
#include "searchview.h"
#include "settings.h"
#include "sqlscalar.h"
#include "store/sqliteschema.h"
#include "taskview.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
namespace Fixture = Tasktrail::RunsFixture;

namespace {
constexpr int logTask = 996; // acme/repo-16, completed, merged PR #997
constexpr int logLines = 100;
constexpr int errorLine = 60;
constexpr int needleLine = 70;
} // namespace

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
    void upgradesAnOlderFileOffTheGuiThread();
    void newerOpenSupersedesOneUnderWay();
    void fileMenu();
    void importingABadLineFillsTheIssuesPanel();
    void chainCardsOpenTheirDetail();
    void firstFailedCommandLogOpens();
    void activatingACommandOpensItsLog();
    void nextErrorWorksFromTheTable();
    void searchHitOpensTheLogLine();
    void facetFilterNarrowsTheTable();
    void filterChangeKeepsTheTask();
    void backAndForward();
    void deepLinkBeforeTheCount();
    void recentDatabases();
    void layoutIsRemembered();
    void hiddenTabsLoadWhenShown();

private:
    std::unique_ptr<MainWindow> newWindow();
    TaskView *taskView() const { return m_window->taskView(); }
    QTableView *table() const { return m_window->findChild<QTableView *>(u"runsTable"_s); }
    ChainPanel *panel() const { return m_window->findChild<ChainPanel *>(u"chainPanel"_s); }
    QLineEdit *filterEdit() const { return m_window->findChild<QLineEdit *>(u"filterText"_s); }
    QString countText() const { return m_window->findChild<QLabel *>(u"taskCountLabel"_s)->text(); }
    bool clickTask(int task);
    bool typeFilter(const QString &text);
    // Selects a task as a link does and waits until its chain is read.
    bool selectTask(const QString &id);
    bool chainRead() const
    {
        return QTest::qWaitFor([this] { return !m_window->isLoadingChain(); }, 30'000);
    }

    QTemporaryDir m_dir;
    QString m_dbPath;
    QString m_settingsPath;
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

    // Task 996 gets a second, failing command, and both of its commands get a log: the first
    // with an error on line 60, the first with a word to search for on line 70.
    QVERIFY(store->beginBatch());
    CommandRecord lint;
    lint.taskId = Fixture::taskId(logTask);
    lint.seq = 2;
    lint.argv = {u"npm"_s, u"run"_s, u"lint"_s};
    lint.exitCode = 2;
    QVERIFY(store->writeCommand(lint));
    for (int seq : {1, 2}) {
        const std::optional<qint64> key = store->commandKey(Fixture::taskId(logTask), seq);
        QVERIFY(key);
        for (int n = 1; n <= logLines; ++n) {
            LogLine line;
            line.lineNo = n;
            line.text = n == errorLine                ? QByteArray("npm ERR! test failed")
                        : n == needleLine && seq == 1 ? QByteArray("resolved zebrafish@2.1.0")
                                                      : "step " + QByteArray::number(n) + " ok";
            bool inserted = false;
            QVERIFY(store->appendLogLine(*key, line, &inserted));
        }
    }
    QVERIFY(store->commitBatch());
}

std::unique_ptr<MainWindow> TestMainWindow::newWindow()
{
    return std::make_unique<MainWindow>(std::make_unique<Settings>(m_settingsPath));
}

void TestMainWindow::init()
{
    // Each test starts from settings of its own.
    m_settingsPath = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".ini"_s);
    m_window = newWindow();
    m_window->resize(1000, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(table() && panel() && filterEdit());
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

// Clicks the row of a task under the current filter, found on the worker when its page was
// not read yet.
bool TestMainWindow::clickTask(int task)
{
    RunsModel *model = m_window->runsModel();
    int row = model->rowOfTask(Fixture::taskId(task));
    if (row < 0) {
        QSignalSpy located(model, &RunsModel::taskLocated);
        model->locateTask(Fixture::taskId(task));
        if (!QTest::qWaitFor([&located] { return !located.isEmpty(); }, 30'000))
            return false;
        row = located.constFirst().at(1).toInt();
    }
    if (row < 0)
        return false;
    const QModelIndex index = m_window->runsModel()->index(row, RunsModel::RepositoryColumn);
    table()->scrollTo(index);
    QTest::mouseClick(table()->viewport(), Qt::LeftButton, {}, table()->visualRect(index).center());
    return table()->currentIndex().row() == row && chainRead();
}

bool TestMainWindow::selectTask(const QString &id)
{
    m_window->selectTask(id);
    return chainRead();
}

// Types a filter the way a person does and waits until the table applies it.
bool TestMainWindow::typeFilter(const QString &text)
{
    filterEdit()->clear();
    QTest::keyClicks(filterEdit(), text);
    return QTest::qWaitFor(
        [this, &text] {
            const RunsModel *model = m_window->runsModel();
            return model->filter().text == text && model->isIdle() &&
                   (model->rowCount() == 0 || model->isRowLoaded(0));
        },
        30'000);
}

void TestMainWindow::opensDatabaseLazily()
{
    QCOMPARE(countText(), u"No database"_s);
    QVERIFY(openAndWait(*m_window, m_dbPath));
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
    QVERIFY(openAndWait(*m_window, m_dbPath));
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
    QVERIFY(openAndWait(*m_window, m_dbPath));
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
    // The reviewer's sentence leads; the sections follow in the order the chain happened.
    QVERIFY2(chain.section(u'\n', 0, 0).contains(u"started task %1"_s.arg(Fixture::taskId(task))),
             qPrintable(chain));
    const QString sections = chain.section(u'\n', 1);
    QVERIFY(sections.indexOf(Fixture::requestText(task)) <
            sections.indexOf(Fixture::principal(task)));
    QVERIFY(sections.indexOf(Fixture::principal(task)) < sections.indexOf(u"npm test"_s));
    QVERIFY(sections.indexOf(u"npm test"_s) < sections.indexOf(u"#997"_s));

    // A task whose PR is still open says so without "merged".
    QVERIFY(clickTask(993));
    QVERIFY(panel()->plainText().contains(u"#994"_s));
    QVERIFY(!panel()->plainText().contains(u"merged"_s));
}

void TestMainWindow::keyboardMovesTheChain()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    QVERIFY(clickTask(999));
    QVERIFY(panel()->plainText().contains(Fixture::taskId(999)));
    QTest::keyClick(table(), Qt::Key_Down);
    QCOMPARE(table()->currentIndex().row(), 1);
    QVERIFY(chainRead());
    QVERIFY(panel()->plainText().contains(Fixture::taskId(998)));
    QVERIFY(!panel()->plainText().contains(Fixture::taskId(999)));
}

void TestMainWindow::hostileTextIsEscaped()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
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
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->isIdle());
    const int task = 600; // row 399: on the second page, not read yet
    QVERIFY(!m_window->runsModel()->isRowLoaded(Fixture::rowOf(task)));
    QVERIFY(selectTask(Fixture::taskId(task)));
    // The worker locates the row and reads its page; that answer can come after the chain's.
    QTRY_COMPARE_WITH_TIMEOUT(table()->currentIndex().row(), Fixture::rowOf(task), 30'000);
    QCOMPARE(table()->currentIndex().data(RunsModel::TaskIdRole).toString(), Fixture::taskId(task));
    QVERIFY(table()->selectionModel()->isRowSelected(Fixture::rowOf(task), {}));
    QVERIFY(m_window->runsModel()->cachedPageCount() < 4);
    QVERIFY(panel()->plainText().contains(Fixture::requestText(task)));
}

void TestMainWindow::selectTaskOutsideFilterStillShowsChain()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QVERIFY(typeFilter(u"repo-7"_s));
    QCOMPARE(m_window->runsModel()->totalCount(), 50);

    const int task = 996; // acme/repo-16
    QVERIFY(selectTask(Fixture::taskId(task)));
    QVERIFY(!table()->currentIndex().isValid());
    QVERIFY(!table()->selectionModel()->hasSelection());
    QVERIFY(panel()->plainText().contains(Fixture::requestText(task)));
    // Said when the worker answers that the task is not under the filter, which can come after
    // the chain is read.
    QTRY_VERIFY(m_window->statusBar()->currentMessage().contains(u"filter"_s));
    QCOMPARE(m_window->runsModel()->totalCount(), 50); // the filter is left as typed
}

void TestMainWindow::selectUnknownTask()
{
    m_window->selectTask(u"task-0001"_s);
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"No database"_s));

    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->isIdle());
    QVERIFY(selectTask(Fixture::taskId(3)));
    QVERIFY(panel()->plainText().contains(Fixture::taskId(3)));

    QVERIFY(selectTask(u"no-such-task"_s));
    QVERIFY(!table()->selectionModel()->hasSelection());
    QVERIFY(panel()->plainText().contains(u"No task no-such-task"_s));
    QVERIFY(m_window->statusBar()->currentMessage().contains(u"no-such-task"_s));

    // Selecting the earlier task again shows it again.
    QVERIFY(selectTask(Fixture::taskId(3)));
    QVERIFY(panel()->plainText().contains(Fixture::requestText(3)));
}

void TestMainWindow::openFailureKeepsCurrentDatabase()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    const QString missing = m_dir.filePath(u"no/such/dir/runs.db"_s);
    QTRY_COMPARE(countText(), u"1,000 tasks"_s);
    QVERIFY(!openAndWait(*m_window, missing));
    QVERIFY(!m_window->isOpeningDatabase());
    // Reported where the user looks, not in a dialog that blocks a scripted start.
    QVERIFY(m_window->statusBar()->currentMessage().startsWith(u"Cannot open"_s));
    QVERIFY(m_window->statusBar()->currentMessage().contains(missing));
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    QCOMPARE(countText(), u"1,000 tasks"_s);
    QVERIFY(m_window->runsModel()->store());
    QVERIFY(clickTask(Fixture::taskCount - 1));
    QVERIFY(panel()->plainText().contains(Fixture::requestText(Fixture::taskCount - 1)));
}

namespace {

// A copy of `source` at schema 10, whose upgrade keeps a backup copy and then needs the write
// lock; the returned connection holds that lock (as another process's batch would) until it
// commits or closes.
sqlite3 *lockedOlderCopy(const QString &source, const QString &older)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(source.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) !=
        SQLITE_OK)
        return nullptr;
    sqlite3_stmt *copy = nullptr;
    const QByteArray target = older.toUtf8();
    int rc = sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &copy, nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(copy, 1, target.constData(), int(target.size()), SQLITE_TRANSIENT);
        rc = sqlite3_step(copy) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(copy);
    sqlite3_close(db);
    if (rc != SQLITE_OK || sqlite3_open_v2(older.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE,
                                           nullptr) != SQLITE_OK)
        return nullptr;
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA user_version=10; BEGIN IMMEDIATE",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return nullptr;
    }
    return db;
}

} // namespace

void TestMainWindow::upgradesAnOlderFileOffTheGuiThread()
{
    const QString older = m_dir.filePath(u"older.db"_s);
    const QString backup = older + u".v10-backup"_s;
    sqlite3 *holder = lockedOlderCopy(m_dbPath, older);
    QVERIFY(holder);
    const auto closeHolder = qScopeGuard([holder] { sqlite3_close(holder); });

    QSignalSpy opened(m_window.get(), &MainWindow::databaseOpened);
    TestSupport::GuiWatchdog watchdog;
    watchdog.arm();
    m_window->openDatabase(older);
    QVERIFY(m_window->isOpeningDatabase());
    QVERIFY(m_window->statusBar()->currentMessage().startsWith(u"Opening"_s));
    // The worker has made the whole copy and cannot go on while the lock is held; the window
    // turns its event loop meanwhile.
    QVERIFY(QTest::qWaitFor(
        [&backup] { return SqlScalar::scalar(backup, "SELECT count(*) FROM task") == 1000; },
        10000));
    QVERIFY(m_window->isOpeningDatabase());
    QCOMPARE(opened.count(), 0);
    QVERIFY(!m_window->runsModel()->store());
    QCOMPARE(sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);

    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(opened.constFirst().constFirst().toString(), older);
    QVERIFY(!m_window->isOpeningDatabase());
    QTRY_COMPARE(countText(), u"1,000 tasks"_s);
    QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
    QCOMPARE(SqlScalar::scalar(older, "PRAGMA user_version"), sqliteSchemaVersion);
}

// Three opens in a row: the first is under way (waiting for a lock) when the others are asked
// for; the second has not started when the third supersedes it. Only the third's database is
// shown and only its `then` runs; the first still finishes its upgrade, the second never
// touches its file.
void TestMainWindow::newerOpenSupersedesOneUnderWay()
{
    const QString older = m_dir.filePath(u"superseded.db"_s);
    sqlite3 *holder = lockedOlderCopy(m_dbPath, older);
    QVERIFY(holder);
    const auto closeHolder = qScopeGuard([holder] { sqlite3_close(holder); });
    const QString skipped = m_dir.filePath(u"never-created.db"_s);
    std::optional<bool> first;
    std::optional<bool> second;
    std::optional<bool> third;
    m_window->openDatabase(older, [&first](bool ok) { first = ok; });
    QVERIFY(QTest::qWaitFor([&older] { return QFile::exists(older + u".v10-backup"_s); }, 10000));
    m_window->openDatabase(skipped, [&second](bool ok) { second = ok; });
    m_window->openDatabase(m_dbPath, [&third](bool ok) { third = ok; });
    QCOMPARE(sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);

    // All three run on one worker, in order: when the third is in, the others are done too.
    QTRY_VERIFY(third.has_value());
    QVERIFY(*third);
    QVERIFY(!first.has_value());
    QVERIFY(!second.has_value());
    QVERIFY(!m_window->isOpeningDatabase());
    QCOMPARE(m_window->windowFilePath(), m_dbPath);
    QVERIFY(!m_window->statusBar()->currentMessage().contains(u"Cannot open"_s));
    QTRY_COMPARE(countText(), u"1,000 tasks"_s);
    QCOMPARE(SqlScalar::scalar(older, "PRAGMA user_version"), sqliteSchemaVersion);
    QVERIFY(!QFile::exists(skipped));
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

void TestMainWindow::importingABadLineFillsTheIssuesPanel()
{
    QVERIFY(!m_window->importFiles({m_dir.filePath(u"nothing-open.jsonl"_s)}));
    QVERIFY(openAndWait(*m_window, m_dbPath));
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
    QCOMPARE(tabs->count(), 7); // Overview, Runs, Campaigns, Search, Findings, Policies, Queue
}

void TestMainWindow::chainCardsOpenTheirDetail()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    QVERIFY(clickTask(logTask));
    QCOMPARE(taskView()->taskId(), Fixture::taskId(logTask));
    QVERIFY2(taskView()->title().contains(Fixture::repo(logTask)), qPrintable(taskView()->title()));
    // The reviewer's sentence sits under the title, built from the same chain.
    const QString sentence = taskView()->sentence();
    QVERIFY2(sentence.contains(
                 u"task %1 for %2"_s.arg(Fixture::taskId(logTask), Fixture::repo(logTask))) &&
                 sentence.contains(u"using %1"_s.arg(Fixture::principal(logTask))),
             qPrintable(sentence));

    ChainStrip *strip = taskView()->strip();
    QVERIFY(strip->cardText(ChainStrip::Card::Identity).contains(Fixture::principal(logTask)));
    QVERIFY(strip->cardText(ChainStrip::Card::PullRequest).contains(u"#997"_s));
    ChainDetail *detail = taskView()->detail();
    for (const ChainStrip::Card card :
         {ChainStrip::Card::PullRequest, ChainStrip::Card::Policy, ChainStrip::Card::Commands,
          ChainStrip::Card::Identity, ChainStrip::Card::Request}) {
        QWidget *button = strip->cardWidget(card);
        QTest::mouseClick(button, Qt::LeftButton, {}, button->rect().center());
        QCOMPARE(detail->currentCard(), card);
        QCOMPARE(strip->currentCard(), card);
    }
    QVERIFY(detail->pageHtml(ChainStrip::Card::Request).contains(Fixture::requestText(logTask)));
    QVERIFY(detail->pageHtml(ChainStrip::Card::Policy).contains(u"default-policy@3"_s));

    // The next task opens on the card the reader was looking at.
    QVERIFY(clickTask(logTask - 1));
    QCOMPARE(detail->currentCard(), ChainStrip::Card::Request);
    QVERIFY(detail->pageHtml(ChainStrip::Card::Request)
                .contains(Fixture::requestText(logTask - 1).toHtmlEscaped()));
}

void TestMainWindow::firstFailedCommandLogOpens()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    QVERIFY(clickTask(logTask));
    // Command 2 failed, so its log is the one on screen.
    QCOMPARE(taskView()->logSeq(), 2);
    QCOMPARE(taskView()->logPanel()->logView()->lineCount(), logLines);
    QVERIFY(m_window->findChild<QLabel *>(u"logTitle"_s)->text().contains(u"npm run lint"_s));

    // A task whose only command passed shows that command's log (it has none here).
    QVERIFY(clickTask(logTask - 4));
    QCOMPARE(taskView()->logSeq(), 1);
    QCOMPARE(taskView()->logPanel()->logView()->lineCount(), 0);
}

void TestMainWindow::activatingACommandOpensItsLog()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    QVERIFY(clickTask(logTask));
    QTest::mouseClick(taskView()->strip()->cardWidget(ChainStrip::Card::Commands), Qt::LeftButton);
    QTableView *commands = taskView()->detail()->commandsView();
    QTRY_VERIFY(commands->isVisible());
    const int row = taskView()->detail()->commandsModel()->rowOfSeq(1);
    QVERIFY(row >= 0);
    commands->setFocus();
    commands->setCurrentIndex(commands->model()->index(row, 0));
    QTest::keyClick(commands, Qt::Key_Return);
    QCOMPARE(taskView()->logSeq(), 1);
    LogView *log = taskView()->logPanel()->logView();
    QCOMPARE(log->lineCount(), logLines);
    QTRY_COMPARE(log->lineText(needleLine), u"resolved zebrafish@2.1.0"_s);
}

void TestMainWindow::nextErrorWorksFromTheTable()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    QVERIFY(clickTask(logTask));
    table()->setFocus();
    QTRY_VERIFY(table()->hasFocus());
    // F8 is the window's, not only the log's: the reader need not click into the log first.
    QTest::keyClick(table(), Qt::Key_F8);
    QTRY_COMPARE(taskView()->logPanel()->logView()->currentLine(), errorLine);
    QVERIFY(taskView()->logPanel()->logView()->isLineVisible(errorLine));
    QTest::keyClick(table(), Qt::Key_F8);
    QTRY_COMPARE(taskView()->logPanel()->status(), u"No further errors"_s);
}

void TestMainWindow::searchHitOpensTheLogLine()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    auto *tabs = m_window->findChild<QTabWidget *>(u"viewTabs"_s);
    // Ctrl+Shift+F goes to the search box from anywhere.
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(tabs->currentWidget()->objectName(), u"searchView"_s);
    auto *box = m_window->findChild<QLineEdit *>(u"searchBox"_s);
    QTRY_VERIFY(box->hasFocus());
    auto *search = m_window->findChild<SearchView *>();
    QSignalSpy finished(search, &SearchView::searchFinished);
    QTest::keyClicks(box, u"zebrafish"_s);
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(!finished.isEmpty() && finished.constLast().at(0).toString() == u"zebrafish"_s);
    QCOMPARE(finished.constLast().at(1).toInt(), 1);

    auto *tree = m_window->findChild<QTreeView *>(u"searchResults"_s);
    const QModelIndex taskRow = tree->model()->index(0, 0);
    const QModelIndex hit = tree->model()->index(0, 0, taskRow);
    QVERIFY(hit.isValid());
    tree->setFocus();
    tree->setCurrentIndex(hit);
    QTest::keyClick(tree, Qt::Key_Return);

    QCOMPARE(tabs->currentIndex(), 1); // Runs, after the Overview
    QVERIFY(chainRead());
    QCOMPARE(taskView()->taskId(), Fixture::taskId(logTask));
    QCOMPARE(taskView()->detail()->currentCard(), ChainStrip::Card::Commands);
    QCOMPARE(taskView()->logSeq(), 1);
    QCOMPARE(taskView()->logPanel()->logView()->currentLine(), needleLine);
    QVERIFY(taskView()->logPanel()->logView()->isLineVisible(needleLine));
    // The worker locates the row after the chain is read on a busy machine.
    QTRY_COMPARE_WITH_TIMEOUT(table()->currentIndex().data(RunsModel::TaskIdRole).toString(),
                              Fixture::taskId(logTask), 30'000);
}

void TestMainWindow::facetFilterNarrowsTheTable()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    auto *repos = m_window->findChild<QComboBox *>(u"repoFilter"_s);
    QVERIFY(repos);
    // Every repository once, after the "any" entry.
    QTRY_COMPARE(repos->count(), Fixture::repoCount + 1);
    const int entry = repos->findText(u"acme/repo-7"_s);
    QVERIFY(entry > 0);
    repos->setCurrentIndex(entry);
    QTRY_COMPARE(m_window->runsModel()->totalCount(), Fixture::taskCount / Fixture::repoCount);
    QCOMPARE(m_window->runsModel()->filter().repo, u"acme/repo-7"_s);
    QTRY_VERIFY(m_window->runsModel()->isRowLoaded(0));
    QCOMPARE(m_window->runsModel()->index(0, 0).data(RunsModel::RepositoryRole).toString(),
             u"acme/repo-7"_s);
    QCOMPARE(countText(), u"50 tasks"_s);
}

void TestMainWindow::filterChangeKeepsTheTask()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->rowCount() > 0);
    QVERIFY(clickTask(logTask)); // acme/repo-16
    QVERIFY(typeFilter(u"repo-16"_s));
    // Still on screen, and its row is selected again under the new filter.
    QCOMPARE(taskView()->taskId(), Fixture::taskId(logTask));
    QTRY_COMPARE(table()->currentIndex().data(RunsModel::TaskIdRole).toString(),
                 Fixture::taskId(logTask));
    QVERIFY(typeFilter(u"repo-7"_s));
    QCOMPARE(taskView()->taskId(), Fixture::taskId(logTask));
    QVERIFY(!table()->selectionModel()->hasSelection());
}

void TestMainWindow::backAndForward()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->isIdle());
    auto *back = m_window->findChild<QAction *>(u"backAction"_s);
    auto *forward = m_window->findChild<QAction *>(u"forwardAction"_s);
    QCOMPARE(back->shortcut(), QKeySequence(QKeySequence::Back));
    QVERIFY(!back->isEnabled());
    for (int task : {3, 5, 7})
        QVERIFY(selectTask(Fixture::taskId(task)));
    QVERIFY(clickTask(9));
    QCOMPARE(m_window->history()->entries(), QStringList({Fixture::taskId(3), Fixture::taskId(5),
                                                          Fixture::taskId(7), Fixture::taskId(9)}));
    QVERIFY(back->isEnabled() && !forward->isEnabled());

    back->trigger();
    QVERIFY(chainRead());
    QCOMPARE(taskView()->taskId(), Fixture::taskId(7));
    QCOMPARE(table()->currentIndex().data(RunsModel::TaskIdRole).toString(), Fixture::taskId(7));
    QTest::keyClick(table(), Qt::Key_Left, Qt::AltModifier);
    QVERIFY(chainRead());
    QCOMPARE(taskView()->taskId(), Fixture::taskId(5));
    QVERIFY(forward->isEnabled());
    QTest::keyClick(table(), Qt::Key_Right, Qt::AltModifier);
    QVERIFY(chainRead());
    QCOMPARE(taskView()->taskId(), Fixture::taskId(7));

    // Visiting another task after going back drops what was ahead.
    m_window->goBack();
    QVERIFY(chainRead());
    QVERIFY(selectTask(Fixture::taskId(11)));
    QCOMPARE(m_window->history()->entries(),
             QStringList({Fixture::taskId(3), Fixture::taskId(5), Fixture::taskId(11)}));
    QVERIFY(!forward->isEnabled());
}

void TestMainWindow::deepLinkBeforeTheCount()
{
    // What `tasktrail --db FILE --task ID` does: select before the table has been counted.
    const int task = 600; // row 399, on the second page
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QVERIFY(m_window->runsModel()->isCounting());
    QVERIFY(selectTask(Fixture::taskId(task)));
    QCOMPARE(taskView()->taskId(), Fixture::taskId(task)); // shown without the count
    QTRY_COMPARE(table()->currentIndex().row(), Fixture::rowOf(task));
    QCOMPARE(table()->currentIndex().data(RunsModel::TaskIdRole).toString(), Fixture::taskId(task));
    QVERIFY(!m_window->statusBar()->currentMessage().contains(u"filter"_s));
}

void TestMainWindow::recentDatabases()
{
    auto *recent = m_window->findChild<QMenu *>(u"recentMenu"_s);
    QVERIFY(recent);
    QVERIFY(!recent->isEnabled());
    const QString other = m_dir.filePath(u"other.db"_s);
    QVERIFY(openAndWait(*m_window, other));
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QCOMPARE(
        m_window->settings().recentDatabases.value(),
        QStringList({QFileInfo(m_dbPath).absoluteFilePath(), QFileInfo(other).absoluteFilePath()}));
    QVERIFY(recent->isEnabled());
    QCOMPARE(recent->actions().size(), 2);

    // Choosing an entry opens it (on the worker, like every open).
    recent->actions().at(1)->trigger();
    QTRY_COMPARE(m_window->windowFilePath(), QFileInfo(other).absoluteFilePath());
    QCOMPARE(m_window->runsModel()->databasePath(), QFileInfo(other).absoluteFilePath());

    // An entry that no longer opens is dropped from the list.
    QVERIFY(QFile::remove(other));
    QVERIFY(QDir().mkpath(other)); // a directory where the file was: it cannot open
    recent = m_window->findChild<QMenu *>(u"recentMenu"_s);
    QAction *gone = recent->actions().at(0);
    QCOMPARE(gone->text(), QDir::toNativeSeparators(QFileInfo(other).absoluteFilePath()));
    gone->trigger();
    QTRY_COMPARE(m_window->settings().recentDatabases.value(),
                 QStringList({QFileInfo(m_dbPath).absoluteFilePath()}));
    QCOMPARE(recent->actions().size(), 1);
}

void TestMainWindow::layoutIsRemembered()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    auto *splitter = m_window->findChild<QSplitter *>(u"runsSplitter"_s);
    const QList<int> sizes{200, splitter->height() - 200 - splitter->handleWidth()};
    splitter->setSizes(sizes);
    const QList<int> before = splitter->sizes();
    m_window->findChild<QDockWidget *>(u"summaryDock"_s)->show();
    m_window->close();
    QVERIFY(!m_window->settings().windowState.value().isEmpty());
    m_window.reset();

    m_window = newWindow();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QCOMPARE(m_window->findChild<QSplitter *>(u"runsSplitter"_s)->sizes(), before);
    QVERIFY(m_window->findChild<QDockWidget *>(u"summaryDock"_s)->isVisible());
}

void TestMainWindow::hiddenTabsLoadWhenShown()
{
    QVERIFY(openAndWait(*m_window, m_dbPath));
    auto *tabs = m_window->findChild<QTabWidget *>(u"viewTabs"_s);
    auto *findings = m_window->findChild<FindingsView *>();
    QVERIFY(tabs && findings);
    QCOMPARE(tabs->currentIndex(), 1); // Runs, after the Overview
    // Opening the database reads nothing for the tabs nobody looks at.
    QVERIFY(!findings->isLoading());
    QCOMPARE(findings->statusText(), u"No database is open."_s);
    tabs->setCurrentWidget(findings);
    QTRY_VERIFY(!findings->isLoading());
    QVERIFY2(findings->statusText().contains(u"finding"_s), qPrintable(findings->statusText()));
    // Back on the Runs tab, opening a database leaves the Findings tab to read when shown.
    tabs->setCurrentIndex(1);
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QCOMPARE(findings->statusText(), u"No database is open."_s);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
