// Every view of the main window shows the same on a team database as on an SQLite file: the
// same demo and fixture files ingested by `tasktrail-cli ingest` into both, the window opened
// on each (a row per backend), and what each view shows on PostgreSQL compared with what it
// showed on SQLite: the runs table (count, a sorted page, a text filter), a task's chain, its
// command log and a search in it, a conversation and a search in it, the findings, campaigns,
// the search tab, the launch queue, the policy library and an exported report.
#include "backends.h"
#include "campaignlistmodel.h"
#include "campaignreposmodel.h"
#include "campaignview.h"
#include "chaindetail.h"
#include "chainpanel.h"
#include "clirun.h"
#include "exportdialog.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "launchdialog.h"
#include "launchplanmodel.h"
#include "logpanel.h"
#include "logview.h"
#include "mainwindow.h"
#include "openwait.h"
#include "policylibraryview.h"
#include "queuemodel.h"
#include "queueview.h"
#include "reportexporter.h"
#include "runsmodel.h"
#include "searchresultsmodel.h"
#include "searchview.h"
#include "skippedreposmodel.h"
#include "store/recordstore.h"
#include "taskview.h"
#include "transcriptmodel.h"
#include "transcriptpanel.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr int timeoutMs = 30'000;
// The conversation of the Claude Code session fixture.
const QString claudeTask = u"0f3c2a9e-5d41-4b7a-9c1e-7a2b3c4d5e6f"_s;

// A git checkout of acme-web/local-app, as `repos add-local` reads one.
bool makeCheckout(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return false;
    QFile manifest(dir + u"/package.json"_s);
    if (!manifest.open(QIODevice::WriteOnly) || manifest.write("{}\n") < 0)
        return false;
    manifest.close();
    for (const QStringList &git : {QStringList{u"init"_s, u"-q"_s, u"-b"_s, u"main"_s},
                                   QStringList{u"remote"_s, u"add"_s, u"origin"_s,
                                               u"git@github.com:acme-web/local-app.git"_s},
                                   QStringList{u"add"_s, u"package.json"_s}}) {
        QProcess p;
        p.setWorkingDirectory(dir);
        p.start(u"git"_s, git);
        if (!p.waitForFinished() || p.exitCode() != 0)
            return false;
    }
    return true;
}

QString data(const QString &path)
{
    return QStringLiteral(TASKTRAIL_TEST_DATA) + u'/' + path;
}

// The display texts of a model's first `rows` rows, a line per row, cells tab-separated.
QString rowsText(const QAbstractItemModel *model, int rows, const QModelIndex &parent = {})
{
    QStringList lines;
    for (int row = 0; row < std::min(rows, model->rowCount(parent)); ++row) {
        QStringList cells;
        for (int column = 0; column < model->columnCount(parent); ++column)
            cells << model->index(row, column, parent).data().toString();
        lines << cells.join(u'\t');
    }
    return lines.join(u'\n');
}

} // namespace

// same(), and the test stops at the first difference.
#define SAME(key, value)                                                                           \
    do {                                                                                           \
        same(key, value);                                                                          \
        if (QTest::currentTestFailed())                                                            \
            return;                                                                                \
    } while (false)

class TestAppViews final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void runsTable_data() { Backends::addBackendRows(); }
    void runsTable();
    void chainAndLog_data() { Backends::addBackendRows(); }
    void chainAndLog();
    void transcript_data() { Backends::addBackendRows(); }
    void transcript();
    void findings_data() { Backends::addBackendRows(); }
    void findings();
    void campaigns_data() { Backends::addBackendRows(); }
    void campaigns();
    void search_data() { Backends::addBackendRows(); }
    void search();
    void import_data() { Backends::addBackendRows(); }
    void import();
    void policies_data() { Backends::addBackendRows(); }
    void policies();
    void exportedReport_data() { Backends::addBackendRows(); }
    void exportedReport();
    void reopensFromRecentDatabases_data() { Backends::addBackendRows(); }
    void reopensFromRecentDatabases();
    // Last: it launches a task, whose id and times each database gives its own.
    void queue_data() { Backends::addBackendRows(); }
    void queue();

private:
    // Opens the row's database in a new window.
    bool openWindow();
    // What SQLite's row saw under `key`; the PostgreSQL row must see the same.
    void same(const QString &key, const QString &value);
    bool chainRead() const
    {
        return QTest::qWaitFor([this] { return !m_window->isLoadingChain(); }, timeoutMs);
    }
    QTabWidget *tabs() const { return m_window->findChild<QTabWidget *>(u"viewTabs"_s); }
    bool runsIdle() const
    {
        return QTest::qWaitFor(
            [this] {
                const RunsModel *model = m_window->runsModel();
                return !model->isCounting() && model->isIdle() &&
                       (model->rowCount() == 0 || model->isRowLoaded(0));
            },
            timeoutMs);
    }

    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QHash<QString, QString> m_location; // backend -> database
    QHash<QString, QString> m_seen;     // what the SQLite row saw
    QString m_backend;
    QString m_logTask; // a task with a failed command that has a log
    std::unique_ptr<MainWindow> m_window;
};

void TestAppViews::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
    const QString demo = m_dir.filePath(u"demo"_s);
    const CliRun::Run made =
        CliRun::cli({u"demo"_s, u"--out"_s, demo, u"--scale"_s, u"0.05"_s, u"--seed"_s, u"4"_s});
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    const QStringList inputs{
        demo + u"/records"_s, demo + u"/logs"_s,
        demo + u"/github"_s,  demo + u"/policies"_s,
        demo + u"/audit"_s,   data(u"transcripts/claude-code-session.jsonl"_s)};
    QVERIFY(makeCheckout(m_dir.filePath(u"checkout"_s)));
    QStringList ingested;
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
        const QString location = m_db.fresh(backend);
        const CliRun::Run ingest =
            CliRun::cli(QStringList{u"ingest"_s, u"--quiet"_s, u"--db"_s, location} + inputs);
        // The session fixture holds a line it rejects on purpose: exit status 1, the same
        // counts on both.
        QVERIFY2(ingest.exitCode <= 1, qPrintable(backend + u": "_s + ingest.err + ingest.out));
        ingested << ingest.out.section(u" ("_s, 0, 0);
        m_location.insert(backend, location);
    }
    QCOMPARE(ingested.constLast(), ingested.constFirst());
    QVERIFY2(ingested.constFirst().endsWith(u" 1 rejected"_s), qPrintable(ingested.constFirst()));
    const QString lite = m_location.value(u"sqlite"_s);
    // The view opens a task's first failed command's log: one that has lines.
    m_logTask = m_db.sql(lite, u"SELECT c.task_id FROM command c WHERE c.exit_code <> 0 "
                               "AND c.seq = (SELECT min(seq) FROM command f "
                               "WHERE f.task_id = c.task_id AND f.exit_code <> 0) "
                               "AND EXISTS (SELECT 1 FROM log_line l WHERE l.id >> 32 = c.key) "
                               "ORDER BY c.task_id LIMIT 1"_s);
    QVERIFY(!m_logTask.isEmpty());
    QVERIFY(m_db.sql(lite, u"SELECT count(*) FROM finding"_s).toInt() > 0);
    QVERIFY(m_db.sql(lite, u"SELECT count(*) FROM transcript_entry"_s).toInt() > 0);
}

void TestAppViews::init()
{
    QFETCH(QString, backend);
    m_backend = backend;
}

void TestAppViews::cleanup()
{
    m_window.reset();
}

bool TestAppViews::openWindow()
{
    const QString ini = m_dir.filePath(m_backend + u".ini"_s);
    QFile::remove(ini);
    m_window = std::make_unique<MainWindow>(std::make_unique<Settings>(ini));
    m_window->resize(1200, 800);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return false;
    if (!openAndWait(*m_window, m_location.value(m_backend)))
        return false;
    return QTest::qWaitFor([this] { return !m_window->capabilities().backend.isEmpty(); },
                           timeoutMs) &&
           runsIdle();
}

void TestAppViews::same(const QString &name, const QString &value)
{
    const QString key = QString::fromLatin1(QTest::currentTestFunction()) + u' ' + name;
    if (m_backend == u"sqlite") {
        QVERIFY2(!value.isEmpty(), qPrintable(key));
        m_seen.insert(key, value);
        return;
    }
    QVERIFY2(m_seen.contains(key), "the SQLite row runs first");
    if (value != m_seen.value(key)) {
        // Both texts kept for a diff.
        m_dir.setAutoRemove(false);
        for (const auto &[backend, text] :
             {std::pair{u"sqlite"_s, m_seen.value(key)}, std::pair{u"postgresql"_s, value}}) {
            QFile file(m_dir.filePath(u"diff-"_s + backend));
            if (file.open(QIODevice::WriteOnly))
                file.write(text.toUtf8());
        }
        qWarning("%s: both kept in %s/diff-*", qPrintable(key), qPrintable(m_dir.path()));
    }
    QCOMPARE(value, m_seen.value(key));
}

// The count, the first page sorted by repository and by start, and a text filter's rows.
void TestAppViews::runsTable()
{
    QVERIFY(openWindow());
    RunsModel *model = m_window->runsModel();
    const qint64 all = model->totalCount();
    SAME(u"count"_s, QString::number(all));
    auto *table = m_window->findChild<QTableView *>(u"runsTable"_s);
    QVERIFY(table);
    for (const int column : {int(RunsModel::RepositoryColumn), int(RunsModel::StartedColumn)}) {
        for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            table->sortByColumn(column, order);
            QVERIFY(runsIdle());
            QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(std::min(model->rowCount(), 20) - 1),
                                     timeoutMs);
            SAME(u"sorted %1 %2"_s.arg(column).arg(order), rowsText(model, 20));
        }
    }
    auto *filter = m_window->findChild<QLineEdit *>(u"filterText"_s);
    QVERIFY(filter);
    QTest::keyClicks(filter, u"audit"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model->filter().text == u"audit"_s, timeoutMs);
    QVERIFY(runsIdle());
    QVERIFY(model->totalCount() > 0 && model->totalCount() < all);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() == 0 ||
                                 model->isRowLoaded(std::min(model->rowCount(), 20) - 1),
                             timeoutMs);
    SAME(u"filtered"_s, QString::number(model->totalCount()) + u'\n' + rowsText(model, 20));
}

// A task's chain panel, its command log (the failed command's), and a search in the log.
void TestAppViews::chainAndLog()
{
    QVERIFY(openWindow());
    m_window->selectTask(m_logTask);
    QVERIFY(chainRead());
    auto *panel = m_window->findChild<ChainPanel *>(u"chainPanel"_s);
    QVERIFY(panel);
    QVERIFY(panel->plainText().contains(m_logTask));
    SAME(u"chain"_s, panel->plainText());
    TaskView *view = m_window->taskView();
    QCOMPARE(view->taskId(), m_logTask);
    SAME(u"title"_s, view->title());
    QTRY_VERIFY_WITH_TIMEOUT(view->logPanel()->logView()->lineCount() > 0, timeoutMs);
    LogView *log = view->logPanel()->logView();
    SAME(u"log"_s, u"%1 %2"_s.arg(view->logSeq()).arg(log->lineCount()));
    QTRY_VERIFY_WITH_TIMEOUT(!log->lineText(1).isEmpty(), timeoutMs);
    SAME(u"first line"_s, log->lineText(1));
    // The next error from the top, then a word of a later line found by the log's search.
    view->logPanel()->nextError();
    QTRY_VERIFY_WITH_TIMEOUT(!view->logPanel()->isSearching(), timeoutMs);
    SAME(u"next error"_s,
         u"%1 %2"_s.arg(log->currentLine()).arg(view->logPanel()->status() + u'.'));
    const QString word = log->lineText(log->lineCount()).section(u' ', 0, 0);
    QVERIFY(!word.isEmpty());
    QSignalSpy found(log, &LogView::searchFinished);
    view->logPanel()->findEdit()->setText(word);
    view->logPanel()->findNext();
    QTRY_VERIFY_WITH_TIMEOUT(!found.isEmpty(), timeoutMs);
    SAME(u"log search"_s, word + u' ' + found.constFirst().at(0).toString());
}

// The Transcript card of a task with a conversation, and a search in it.
void TestAppViews::transcript()
{
    QVERIFY(openWindow());
    m_window->selectTask(claudeTask);
    QVERIFY(chainRead());
    TaskView *view = m_window->taskView();
    TranscriptPanel *panel = view->detail()->transcriptPanel();
    view->openTranscript({});
    QTRY_VERIFY_WITH_TIMEOUT(panel->model()->rowCount() > 0 && !panel->isBusy(), timeoutMs);
    SAME(u"rows"_s, QString::number(panel->model()->rowCount()));
    QSignalSpy searched(panel, &TranscriptPanel::searchFinished);
    panel->findEdit()->setText(u"test"_s);
    panel->findNext();
    QTRY_VERIFY_WITH_TIMEOUT(!searched.isEmpty(), timeoutMs);
    QVERIFY(searched.constFirst().at(0).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(!panel->isBusy(), timeoutMs);
    SAME(u"found"_s, u"%1 %2\n%3"_s.arg(panel->currentPosition().sessionId)
                         .arg(panel->currentPosition().seq)
                         .arg(panel->entryText()->toPlainText()));
}

void TestAppViews::findings()
{
    QVERIFY(openWindow());
    auto *view = m_window->findChild<FindingsView *>();
    QVERIFY(view);
    tabs()->setCurrentWidget(view);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->model()->rowCount() > 0, timeoutMs);
    SAME(u"status"_s, view->statusText());
    SAME(u"first"_s, rowsText(view->model(), 10));
    view->model()->sort(0, Qt::AscendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->model()->rowCount() > 0, timeoutMs);
    SAME(u"sorted"_s, rowsText(view->model(), 10));
    // Activating a finding shows its task with its evidence.
    const QModelIndex first = view->model()->index(0, 0);
    const QString task = first.data(FindingsModel::TaskIdRole).toString();
    view->table()->setFocus();
    view->table()->setCurrentIndex(first);
    QTest::keyClick(view->table(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->taskView()->taskId() == task, timeoutMs);
    QVERIFY(chainRead());
    QCOMPARE(tabs()->currentIndex(), 1); // Runs, after the Overview
    SAME(u"evidence"_s, u"%1 %2 %3"_s.arg(task)
                            .arg(int(m_window->taskView()->detail()->currentCard()))
                            .arg(m_window->taskView()->logSeq()));
}

void TestAppViews::campaigns()
{
    QVERIFY(openWindow());
    auto *view = m_window->findChild<CampaignView *>();
    QVERIFY(view);
    tabs()->setCurrentWidget(view);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->campaignsModel()->rowCount() > 0,
                             timeoutMs);
    SAME(u"list"_s, rowsText(view->campaignsModel(), 10));
    const QString id = m_db.sql(m_location.value(m_backend), u"SELECT id FROM campaign"_s);
    QSignalSpy loaded(view, &CampaignView::campaignLoaded);
    QVERIFY(view->showCampaign(id));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->reposModel()->rowCount() > 0, timeoutMs);
    SAME(u"repos"_s, rowsText(view->reposModel(), 50));
    SAME(u"skipped"_s, rowsText(view->skippedModel(), 50) + u'.');
}

void TestAppViews::search()
{
    QVERIFY(openWindow());
    auto *view = m_window->findChild<SearchView *>();
    QVERIFY(view);
    tabs()->setCurrentWidget(view);
    for (const QString &query : {u"npm"_s, u"\"npm test\""_s, u"bump*"_s, u"lodash"_s}) {
        QSignalSpy finished(view, &SearchView::searchFinished);
        view->search(query);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), timeoutMs);
        QVERIFY(finished.constFirst().at(1).toInt() > 0);
        SearchResultsModel *model = view->resultsModel();
        QString hits = view->statusText();
        for (int task = 0; task < std::min(model->rowCount(), 5); ++task)
            hits += u'\n' + rowsText(model, 1, model->index(task, 0)) + u'\n' +
                    rowsText(model, 3, model->index(task, 0));
        SAME(query, hits);
    }
}

// The launch queue: the launched task (its id and times differ: each database
// launched its own), an entry's events, and a pause from the view, a write on the view's
// connection.
void TestAppViews::queue()
{
    // A task in the launch queue, of a local checkout.
    const QString location = m_location.value(m_backend);
    const CliRun::Run added = CliRun::cli(
        {u"repos"_s, u"add-local"_s, u"--db"_s, location, m_dir.filePath(u"checkout"_s)});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    const CliRun::Run launched =
        CliRun::cli({u"launch"_s, u"--db"_s, location, u"--template"_s, u"deps-bump"_s,
                     u"--policy"_s, u"deps-fanout"_s, u"--repos"_s, u"acme-web/local-app"_s,
                     u"--requester"_s, u"mgarcia"_s, u"--identity"_s, u"svc-deps"_s,
                     u"--identity-kind"_s, u"github_app_user_token"_s, u"--yes"_s});
    QVERIFY2(launched.exitCode == 0 && launched.out.contains(u"1 tasks queued"_s),
             qPrintable(launched.out + launched.err));
    QVERIFY(openWindow());
    auto *view = m_window->findChild<QueueView *>();
    QVERIFY(view);
    QSignalSpy refreshed(view, &QueueView::refreshed);
    tabs()->setCurrentWidget(view);
    QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty() && !view->isLoading(), timeoutMs);
    QueueModel *model = view->model();
    QCOMPARE(model->rowCount(), 1);
    const auto entries = [model] {
        QString text;
        for (int row = 0; row < model->rowCount(); ++row) {
            for (const int column : {int(QueueModel::RepositoryColumn),
                                     int(QueueModel::StateColumn), int(QueueModel::AttemptsColumn)})
                text += model->index(row, column).data().toString() + u'\t';
            text += u'\n';
        }
        return text;
    };
    SAME(u"entries"_s, entries() + view->budgetText());
    const QString task = model->index(0, 0).data(QueueModel::TaskIdRole).toString();
    QVERIFY(view->selectTask(task));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->events()->topLevelItemCount() > 0,
                             timeoutMs);
    SAME(u"events"_s, QString::number(view->events()->topLevelItemCount()) + u' ' +
                          view->events()->topLevelItem(0)->text(1));
    QSignalSpy changed(view, &QueueView::changeFinished);
    QVERIFY(view->apply(QueueControl::Action::Pause, false));
    QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), timeoutMs);
    QVERIFY2(changed.constFirst().at(0).toBool(), qPrintable(view->statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && entries().contains(u"paused"_s), timeoutMs);
    QCOMPARE(m_db.sql(location, u"SELECT state FROM launch_queue WHERE task_id = '%1'"_s.arg(task)),
             u"paused"_s);
    SAME(u"paused"_s, entries());

    // Launch > Launch Tasks plans on the open database: the task just queued makes its
    // repository a duplicate.
    m_window->launchTasks();
    auto *dialog = m_window->findChild<LaunchDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isLoading(), timeoutMs);
    auto *templ = dialog->findChild<QComboBox *>(u"templateCombo"_s);
    templ->setCurrentIndex(templ->findText(u"deps-bump@3"_s));
    auto *policy = dialog->findChild<QComboBox *>(u"policyCombo"_s);
    policy->setCurrentIndex(policy->findText(u"deps-fanout@5"_s));
    dialog->findChild<QLineEdit *>(u"identityEdit"_s)->setText(u"svc-deps"_s);
    dialog->findChild<QLineEdit *>(u"requesterEdit"_s)->setText(u"mgarcia"_s);
    dialog->findChild<QPlainTextEdit *>(u"repositoriesEdit"_s)
        ->setPlainText(u"acme-web/local-app\nacme-web/elsewhere\n"_s);
    QSignalSpy planned(dialog, &LaunchDialog::dryRunFinished);
    QVERIFY(dialog->dryRun());
    QTRY_VERIFY_WITH_TIMEOUT(!planned.isEmpty(), timeoutMs);
    QVERIFY2(planned.constFirst().constFirst().toBool(), qPrintable(dialog->errorText()));
    QVERIFY(rowsText(dialog->planModel(), 10).contains(u"duplicate"_s));
    SAME(u"plan"_s, rowsText(dialog->planModel(), 10) + u'\n' + dialog->summaryText());
    dialog->reject();
}

// File > Import Files on the open database: the record is stored and the table counts it.
void TestAppViews::import()
{
    QVERIFY(openWindow());
    const qint64 before = m_window->runsModel()->totalCount();
    const QString file = m_dir.filePath(m_backend + u"-import.jsonl"_s);
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"T-imported\",\"repo\":\"acme/x\","
            "\"state\":\"completed\"}\n");
    f.close();
    QVERIFY(m_window->importFiles({file}));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->statusBar()->currentMessage().contains(u"1 ingested"_s),
                             timeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->runsModel()->totalCount(), before + 1, timeoutMs);
    SAME(u"status"_s, m_window->statusBar()->currentMessage().section(u" ("_s, 0, 0));
}

void TestAppViews::policies()
{
    QVERIFY(openWindow());
    auto *view = m_window->findChild<PolicyLibraryView *>();
    QVERIFY(view);
    tabs()->setCurrentWidget(view);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->model()->rowCount() > 0, timeoutMs);
    QString list;
    for (int row = 0; row < view->model()->rowCount(); ++row)
        list += rowsText(view->model(), 100, view->model()->index(row, 0)) + u'\n';
    SAME(u"library"_s, rowsText(view->model(), 100) + u'\n' + list);
    QVERIFY(view->showDocument(PolicyDocument::Kind::Template, u"deps-bump"_s, u"2"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->text().contains(u"deps-bump"_s),
                             timeoutMs);
    // The time it was loaded is when each database was ingested.
    static const QRegularExpression loaded(u" loaded [0-9T:-]+ "_s);
    SAME(u"document"_s, view->header().replace(loaded, u" loaded "_s) + u'\n' + view->text() +
                            u'\n' + view->changes());
}

// File > Export Report: the preview and the written report with its appendix.
void TestAppViews::exportedReport()
{
    QVERIFY(openWindow());
    QString error;
    const auto store = openStore(m_location.value(m_backend), &error);
    QVERIFY2(store, qPrintable(error));
    const QString head = QString::fromLatin1(store->evidenceHead());
    ExportDialog *dialog = m_window->exportReport();
    QVERIFY(dialog);
    const QString out = m_dir.filePath(m_backend + u"-report.md"_s);
    dialog->setFormat(ReportFormat::Markdown);
    dialog->setAppendix(true);
    dialog->setOutputPath(out);
    QSignalSpy previewed(dialog, &ExportDialog::previewRefreshed);
    dialog->refreshPreview();
    QTRY_VERIFY_WITH_TIMEOUT(!previewed.isEmpty() && !dialog->isLoading(), timeoutMs);
    // The chain's head as the store gives it (hex digits), not hex-encoded again.
    QString preview = dialog->previewHtml();
    QVERIFY2(preview.contains(u"<code>"_s + head + u"</code>"_s), qPrintable(preview.right(400)));
    SAME(u"preview"_s, preview.replace(head, u"<head>"_s));
    QSignalSpy finished(dialog->exporter(), &ReportExporter::finished);
    QVERIFY(dialog->canExport());
    QVERIFY(dialog->startExport());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), timeoutMs);
    QVERIFY2(finished.constFirst().at(0).toBool(),
             qPrintable(finished.constFirst().at(2).toString()));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.contains(u"Appendix"_s));
    text.replace(m_location.value(m_backend), u"<db>"_s);
    text.replace(head, u"<head>"_s);
    SAME(u"report"_s, text);
}

// File > Open Recent lists the database as it was given and opens it again.
void TestAppViews::reopensFromRecentDatabases()
{
    QVERIFY(openWindow());
    const QString location = m_location.value(m_backend);
    const QStringList recent = m_window->settings().recentDatabases.value();
    QVERIFY(!recent.isEmpty());
    if (m_backend == u"postgresql") {
        QCOMPARE(recent.constFirst(), location);
        QCOMPARE(m_window->settings().lastDatabase.value(), location);
    }
    QVERIFY(openAndWait(*m_window, recent.constFirst()));
    QVERIFY(runsIdle());
    SAME(u"count"_s, QString::number(m_window->runsModel()->totalCount()));
}

QTEST_MAIN(TestAppViews)
#include "tst_appviews.moc"
