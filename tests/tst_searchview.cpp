#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "searchresultsmodel.h"
#include "searchview.h"
#include "store/recordstore.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr int searchTimeoutMs = 20000;

// Every hit sits under the row of its own task, and each task has one row.
void verifyGroupedByTask(const SearchResultsModel &model)
{
    QSet<QString> tasks;
    for (int t = 0; t < model.rowCount(); ++t) {
        const QModelIndex task = model.index(t, 0);
        QVERIFY(model.data(task, SearchResultsModel::IsTaskRole).toBool());
        const QString taskId = task.data(SearchResultsModel::TaskIdRole).toString();
        QVERIFY2(!tasks.contains(taskId), qPrintable(taskId));
        tasks.insert(taskId);
        QVERIFY(model.rowCount(task) > 0);
        QCOMPARE(task.data(SearchResultsModel::HitCountRole).toInt(), model.rowCount(task));
        for (int h = 0; h < model.rowCount(task); ++h) {
            const QModelIndex hit = model.index(h, 0, task);
            QCOMPARE(hit.parent(), task);
            QVERIFY(!model.data(hit, SearchResultsModel::IsTaskRole).toBool());
            QCOMPARE(hit.data(SearchResultsModel::TaskIdRole).toString(), taskId);
        }
    }
}

} // namespace

class TestSearchView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void groupByTaskKeepsFirstSeenOrder();
    void logHitsAreGroupedUnderTheirTask();
    void recordHitsAreFound();
    void staleResultsAreDropped();
    void activatingAHitEmitsItsLine();
    void emptyQueryClearsResults();
    void noDatabaseSaysSo();
    void typingSearchesAfterAPause();
    void phrasesAndPrefixesFromTheBox_data();
    void phrasesAndPrefixesFromTheBox();

private:
    QTemporaryDir m_dir;
    QString m_dbPath;
    std::unique_ptr<RecordStore> m_store;
};

void TestSearchView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString demoDir = m_dir.filePath(u"demo"_s);
    QString error;
    QVERIFY2(DemoGenerator().generate({demoDir, 0.1, 20261124}, &error), qPrintable(error));
    m_dbPath = m_dir.filePath(u"tasktrail.db"_s);
    m_store = openStore(m_dbPath, &error);
    QVERIFY2(m_store, qPrintable(error));
    Ingestor ingestor(*m_store);
    QVERIFY2(ingestor.ingest({demoDir}), qPrintable(ingestor.errorString()));
}

void TestSearchView::groupByTaskKeepsFirstSeenOrder()
{
    auto hit = [](const QString &task, int seq, qint64 line) {
        SearchHit h;
        h.taskId = task;
        h.commandSeq = seq;
        h.lineNo = line;
        h.text = u"text"_s;
        return h;
    };
    SearchHit request;
    request.kind = SearchHit::Kind::Record;
    request.recordKind = u"request"_s;
    request.text = u"request req-1: upgrade"_s;
    const QList<SearchTaskGroup> groups = SearchResultsModel::groupByTask(
        {hit(u"b"_s, 1, 2), request, hit(u"a"_s, 3, 17), hit(u"b"_s, 2, 5)});
    QCOMPARE(groups.size(), 3);
    QCOMPARE(groups.at(0).taskId, u"b"_s);
    QCOMPARE(groups.at(0).hits.size(), 2);
    QCOMPARE(groups.at(1).taskId, u"a"_s);
    QVERIFY(groups.at(2).taskId.isEmpty()); // hits without a task come last
    QCOMPARE(SearchResultsModel::hitText(groups.at(1).hits.at(0)), u"command 3 line 17: text"_s);
    QCOMPARE(SearchResultsModel::hitText(request), request.text);

    SearchResultsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setGroups(groups);
    QCOMPARE(model.hitCount(), 4);
    verifyGroupedByTask(model);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestSearchView::logHitsAreGroupedUnderTheirTask()
{
    SearchView view;
    QAbstractItemModelTester tester(view.resultsModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&view, &SearchView::searchFinished);
    view.setDatabasePath(m_dbPath);
    view.search(u"deprecated"_s);
    QVERIFY(view.isSearching());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, searchTimeoutMs);
    QVERIFY(!view.isSearching());
    const SearchResultsModel *model = view.resultsModel();
    QVERIFY(model->rowCount() > 1);
    QCOMPARE(finished.at(0).at(1).toInt(), model->hitCount());
    verifyGroupedByTask(*model);
    const QModelIndex firstTask = model->index(0, 0);
    QVERIFY(!firstTask.data(SearchResultsModel::RepoRole).toString().isEmpty());
    QVERIFY(firstTask.data().toString().contains(
        firstTask.data(SearchResultsModel::TaskIdRole).toString()));
    const QModelIndex firstHit = model->index(0, 0, firstTask);
    QVERIFY(firstHit.data().toString().startsWith(u"command "_s));
    QVERIFY(firstHit.data().toString().contains(u"deprecated"_s, Qt::CaseInsensitive));
    QVERIFY(view.findChild<QTreeView *>(u"searchResults"_s)->isExpanded(firstTask));
    QVERIFY(view.statusText().contains(QString::number(model->hitCount())));
}

void TestSearchView::recordHitsAreFound()
{
    SearchView view;
    QSignalSpy finished(&view, &SearchView::searchFinished);
    view.setDatabasePath(m_dbPath);
    view.search(u"release freeze"_s); // the showcase campaign's skip reason
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, searchTimeoutMs);
    const SearchResultsModel *model = view.resultsModel();
    bool sawRecord = false;
    for (int t = 0; t < model->rowCount(); ++t) {
        const QModelIndex task = model->index(t, 0);
        for (int h = 0; h < model->rowCount(task); ++h) {
            const QModelIndex hit = model->index(h, 0, task);
            if (hit.data(SearchResultsModel::HitKindRole).toInt() == int(SearchHit::Kind::Record)) {
                sawRecord = true;
                QCOMPARE(hit.data(SearchResultsModel::CommandSeqRole).toInt(), 0);
                QCOMPARE(hit.data(SearchResultsModel::LineNoRole).toLongLong(), 0);
            }
        }
    }
    QVERIFY(sawRecord);
}

void TestSearchView::staleResultsAreDropped()
{
    SearchView view;
    QSignalSpy finished(&view, &SearchView::searchFinished);
    view.setDatabasePath(m_dbPath);
    view.search(u"deprecated"_s);
    view.search(u"Cloning"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, searchTimeoutMs);
    QCOMPARE(finished.at(0).at(0).toString(), u"Cloning"_s);
    const SearchResultsModel *model = view.resultsModel();
    QVERIFY(model->hitCount() > 0);
    for (int t = 0; t < model->rowCount(); ++t) {
        const QModelIndex task = model->index(t, 0);
        for (int h = 0; h < model->rowCount(task); ++h) {
            const QString text = model->index(h, 0, task).data().toString();
            QVERIFY2(text.contains(u"cloning"_s, Qt::CaseInsensitive), qPrintable(text));
        }
    }
    // The searches run one after another on one thread: once a later search has answered,
    // the first one cannot arrive any more, and it never did.
    view.search(u"warning"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, searchTimeoutMs);
    QCOMPARE(finished.at(1).at(0).toString(), u"warning"_s);
}

void TestSearchView::activatingAHitEmitsItsLine()
{
    SearchView view;
    QSignalSpy finished(&view, &SearchView::searchFinished);
    view.setDatabasePath(m_dbPath);
    view.search(u"deprecated"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, searchTimeoutMs);
    const SearchResultsModel *model = view.resultsModel();
    const QModelIndex task = model->index(model->rowCount() > 1 ? 1 : 0, 0);
    const QModelIndex hit = model->index(model->rowCount(task) - 1, 0, task);
    QVERIFY(hit.isValid());
    const QString taskId = hit.data(SearchResultsModel::TaskIdRole).toString();
    const int seq = hit.data(SearchResultsModel::CommandSeqRole).toInt();
    const qint64 lineNo = hit.data(SearchResultsModel::LineNoRole).toLongLong();
    QVERIFY(seq > 0);
    QVERIFY(lineNo > 0);

    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *tree = view.findChild<QTreeView *>(u"searchResults"_s);
    tree->scrollTo(hit);
    QSignalSpy activated(&view, &SearchView::hitActivated);
    // The first click of a double-click selects the row, as it does for a person.
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(hit).center());
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(hit).center());
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), taskId);
    QCOMPARE(activated.at(0).at(1).toInt(), seq);
    QCOMPARE(activated.at(0).at(2).toLongLong(), lineNo);

    // The emitted position is the line that matched.
    const std::optional<qint64> key = m_store->commandKey(taskId, seq);
    QVERIFY(key);
    const QList<LogLine> lines = m_store->logLines(*key, lineNo, 1);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.at(0).lineNo, lineNo);
    QVERIFY(QString::fromUtf8(lines.at(0).text).contains(u"deprecated"_s, Qt::CaseInsensitive));
}

void TestSearchView::emptyQueryClearsResults()
{
    SearchView view;
    QSignalSpy finished(&view, &SearchView::searchFinished);
    view.setDatabasePath(m_dbPath);
    view.search(u"deprecated"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, searchTimeoutMs);
    QVERIFY(view.resultsModel()->rowCount() > 0);
    view.search(u"   "_s);
    QCOMPARE(view.resultsModel()->rowCount(), 0);
    QVERIFY(!view.isSearching());
    view.search(u"zzzqqqnotaword"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, searchTimeoutMs);
    QCOMPARE(view.resultsModel()->rowCount(), 0);
    QVERIFY(view.statusText().contains(u"zzzqqqnotaword"_s));
}

void TestSearchView::noDatabaseSaysSo()
{
    SearchView view;
    QSignalSpy finished(&view, &SearchView::searchFinished);
    view.search(u"deprecated"_s);
    QVERIFY(!view.isSearching());
    QCOMPARE(view.resultsModel()->rowCount(), 0);
    QVERIFY(!view.statusText().isEmpty());
    // Opening a database repeats the search on it.
    view.setDatabasePath(m_dbPath);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, searchTimeoutMs);
    QVERIFY(view.resultsModel()->rowCount() > 0);
}

void TestSearchView::typingSearchesAfterAPause()
{
    SearchView view;
    view.setDatabasePath(m_dbPath);
    QSignalSpy finished(&view, &SearchView::searchFinished);
    auto *box = view.findChild<QLineEdit *>(u"searchBox"_s);
    QVERIFY(box);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    box->setFocus();
    QTest::keyClicks(box, u"Cloning"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, searchTimeoutMs);
    QCOMPARE(finished.at(0).at(0).toString(), u"Cloning"_s);
}

void TestSearchView::phrasesAndPrefixesFromTheBox_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("everyHitHas"); // a pattern, case-insensitive
    QTest::newRow("prefix") << u"deprec*"_s << u"\\bdeprec"_s;
    QTest::newRow("phrase") << u"\"found 0 vulnerabilities\""_s
                            << u"\\bfound 0 vulnerabilities\\b"_s;
    QTest::newRow("unbalanced quote") << u"\"found 0 vuln*"_s << u"\\bfound 0 vuln"_s;
}

// What is typed into the box is read as the store reads it: a prefix finds every word it
// starts, a phrase only its words adjacent and in order.
void TestSearchView::phrasesAndPrefixesFromTheBox()
{
    QFETCH(QString, typed);
    QFETCH(QString, everyHitHas);
    SearchView view;
    view.setDatabasePath(m_dbPath);
    QSignalSpy finished(&view, &SearchView::searchFinished);
    auto *box = view.findChild<QLineEdit *>(u"searchBox"_s);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    box->setFocus();
    QTest::keyClicks(box, typed);
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), searchTimeoutMs);
    QCOMPARE(finished.last().at(0).toString(), typed);
    const SearchResultsModel *model = view.resultsModel();
    QVERIFY(model->hitCount() > 0);
    const QRegularExpression pattern(everyHitHas, QRegularExpression::CaseInsensitiveOption);
    for (int t = 0; t < model->rowCount(); ++t) {
        const QModelIndex task = model->index(t, 0);
        for (int h = 0; h < model->rowCount(task); ++h) {
            const QString text = model->index(h, 0, task).data().toString();
            QVERIFY2(pattern.match(text).hasMatch(), qPrintable(text));
        }
    }
}

QTEST_MAIN(TestSearchView)
#include "tst_searchview.moc"
