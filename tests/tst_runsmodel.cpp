#include "displaytext.h"
#include "runsfixture.h"
#include "runsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
namespace Fixture = Tasktrail::RunsFixture;

namespace {

TaskFilter textFilter(const QString &text)
{
    TaskFilter filter;
    filter.text = text;
    return filter;
}

} // namespace

class TestRunsModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void passesModelTesterWhileLoading();
    void rowCountIsTheWholeCountWithoutRows();
    void placeholderUntilThePageArrives();
    void knownRows_data();
    void knownRows();
    void startedIsIsoLocalTime();
    void durationText_data();
    void durationText();
    void headers();
    void filterReducesRows_data();
    void filterReducesRows();
    void textFilterPagesAreTheTasksTheWalkFound();
    void stateFilter();
    void cacheStaysBoundedWhileScrolling();
    void staleFilterResultsAreDropped();
    void locateTaskReadsOnlyItsPage();
    void resetsOnFilterAndDatabase();
    void missingDatabaseIsAnError();
    void facetValues();

private:
    static bool waitForCount(RunsModel &model);
    static bool loadRows(RunsModel &model, int first, int last);
    static QString text(const RunsModel &model, int row, int column);

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<RecordStore> m_store;
};

void TestRunsModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(u"runs.db"_s);
    QString error;
    m_store = openStore(m_path, &error);
    QVERIFY2(m_store, qPrintable(error));
    QVERIFY2(Fixture::write(*m_store), qPrintable(m_store->errorString()));
    QCOMPARE(m_store->taskCount({}), Fixture::taskCount);
}

bool TestRunsModel::waitForCount(RunsModel &model)
{
    return QTest::qWaitFor([&model] { return model.isIdle(); });
}

// Asks for the rows the way a view does, through data(), and waits until they are read.
bool TestRunsModel::loadRows(RunsModel &model, int first, int last)
{
    if (!waitForCount(model))
        return false;
    for (int row = first; row <= last; row += RunsModel::pageSize)
        model.index(row, 0).data();
    model.index(last, 0).data();
    return QTest::qWaitFor([&] {
        for (int row = first; row <= last; row += RunsModel::pageSize)
            if (!model.isRowLoaded(row))
                return false;
        return model.isRowLoaded(last);
    });
}

QString TestRunsModel::text(const RunsModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

void TestRunsModel::passesModelTesterWhileLoading()
{
    RunsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabasePath(m_path);
    QTRY_COMPARE(model.rowCount(), Fixture::taskCount);
    QVERIFY(loadRows(model, 0, Fixture::taskCount - 1));

    model.setFilter(textFilter(u"repo-7"_s));
    QTRY_COMPARE(model.rowCount(), Fixture::taskCount / Fixture::repoCount);
    QVERIFY(loadRows(model, 0, model.rowCount() - 1));

    model.setDatabasePath({});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.isIdle());
}

void TestRunsModel::rowCountIsTheWholeCountWithoutRows()
{
    RunsModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy totals(&model, &RunsModel::totalCountChanged);
    model.setDatabasePath(m_path);
    QCOMPARE(model.rowCount(), 0); // counting happens on the worker
    QVERIFY(!model.isIdle());

    QTRY_COMPARE(model.totalCount(), Fixture::taskCount);
    // Every row at once, in one insertion, and not one of them read yet.
    QCOMPARE(model.rowCount(), Fixture::taskCount);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.last().at(1).toInt(), 0);
    QCOMPARE(inserted.last().at(2).toInt(), Fixture::taskCount - 1);
    QCOMPARE(totals.last().at(0).toLongLong(), Fixture::taskCount);
    QCOMPARE(model.cachedPageCount(), 0);
    QVERIFY(!model.canFetchMore({}));
}

void TestRunsModel::placeholderUntilThePageArrives()
{
    RunsModel model;
    model.setDatabasePath(m_path);
    QVERIFY(waitForCount(model));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    const int row = 500; // on page 1: rows 256..511
    QCOMPARE(text(model, row, RunsModel::TaskColumn), RunsModel::placeholder());
    QCOMPARE(text(model, row, RunsModel::RepositoryColumn), RunsModel::placeholder());
    QVERIFY(!model.index(row, 0).data(RunsModel::TaskIdRole).isValid());
    QVERIFY(!model.isIdle());

    QTRY_VERIFY(model.isRowLoaded(row));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.last().at(0).toModelIndex(), model.index(256, 0));
    QCOMPARE(changed.last().at(1).toModelIndex(), model.index(511, RunsModel::ColumnCount - 1));
    QCOMPARE(text(model, row, RunsModel::TaskColumn),
             Fixture::taskId(Fixture::taskCount - 1 - row));
    QCOMPARE(model.cachedPageCount(), 1);
    QVERIFY(model.isIdle());
}

void TestRunsModel::knownRows_data()
{
    QTest::addColumn<int>("task");
    QTest::addColumn<TaskState>("state");
    QTest::addColumn<QString>("stateText");
    QTest::addColumn<QString>("prText");
    QTest::addColumn<QVariant>("prNumber");
    QTest::addColumn<bool>("merged");
    QTest::addColumn<QString>("durationText");

    QTest::newRow("completed, merged PR")
        << 996 << TaskState::Completed << u"Completed"_s << u"#997 (merged)"_s << QVariant(997)
        << true << u"18m 06s"_s;
    QTest::newRow("failed, open PR") << 993 << TaskState::Failed << u"Failed"_s << u"#994"_s
                                     << QVariant(994) << false << u"18m 03s"_s;
    QTest::newRow("running, no PR") << 998 << TaskState::InProgress << u"In progress"_s << QString()
                                    << QVariant() << false << QString();
    QTest::newRow("queued, last page")
        << 3 << TaskState::Queued << u"Queued"_s << u"#4"_s << QVariant(4) << false << QString();
    QTest::newRow("merged, first task") << 0 << TaskState::Completed << u"Completed"_s
                                        << u"#1 (merged)"_s << QVariant(1) << true << u"1m 30s"_s;
}

void TestRunsModel::knownRows()
{
    QFETCH(int, task);
    QFETCH(TaskState, state);
    QFETCH(QString, stateText);
    QFETCH(QString, prText);
    QFETCH(QVariant, prNumber);
    QFETCH(bool, merged);
    QFETCH(QString, durationText);

    RunsModel model;
    model.setDatabasePath(m_path);
    const int row = Fixture::rowOf(task);
    QVERIFY(loadRows(model, row, row));

    QCOMPARE(text(model, row, RunsModel::TaskColumn), Fixture::taskId(task));
    QCOMPARE(model.index(row, 0).data(RunsModel::TaskIdRole).toString(), Fixture::taskId(task));
    QCOMPARE(text(model, row, RunsModel::RepositoryColumn), Fixture::repo(task));
    QCOMPARE(text(model, row, RunsModel::RequesterColumn), Fixture::requester(task));
    QVERIFY(text(model, row, RunsModel::IdentityColumn).startsWith(Fixture::principal(task)));
    // Compared by name: the core's toString() overloads give QTest readable failures.
    QCOMPARE(toString(model.index(row, 0).data(RunsModel::IdentityKindRole).value<IdentityKind>()),
             toString(Fixture::identityKind(task)));
    QCOMPARE(text(model, row, RunsModel::PolicyColumn), u"default-policy@3"_s);

    QCOMPARE(text(model, row, RunsModel::StateColumn), stateText);
    QCOMPARE(
        toString(
            model.index(row, RunsModel::TaskColumn).data(RunsModel::StateRole).value<TaskState>()),
        toString(state));

    QCOMPARE(text(model, row, RunsModel::PullRequestColumn), prText);
    QCOMPARE(model.index(row, 0).data(RunsModel::PullRequestNumberRole), prNumber);
    QCOMPARE(model.index(row, 0).data(RunsModel::PullRequestMergedRole).toBool(), merged);

    QCOMPARE(text(model, row, RunsModel::DurationColumn), durationText);
    QCOMPARE(model.index(row, 0).data(RunsModel::DurationMsRole).isValid(),
             Fixture::finished(task));
}

void TestRunsModel::startedIsIsoLocalTime()
{
    RunsModel model;
    model.setDatabasePath(m_path);
    QVERIFY(loadRows(model, 0, Fixture::rowOf(996)));
    const int task = 996;
    const QModelIndex started = model.index(Fixture::rowOf(task), RunsModel::StartedColumn);

    QCOMPARE(started.data(RunsModel::StartedAtRole).toDateTime(), Fixture::startedAt(task));
    const QString shown = started.data().toString();
    // Readable back as the same instant, and written in the reader's own clock.
    QCOMPARE(QDateTime::fromString(shown, Qt::ISODate), Fixture::startedAt(task));
    QVERIFY2(
        shown.startsWith(Fixture::startedAt(task).toLocalTime().toString(u"yyyy-MM-ddTHH:mm:ss"_s)),
        qPrintable(shown));

    // A queued task has not started; the table shows when it was created instead.
    const QModelIndex queued = model.index(Fixture::rowOf(999), RunsModel::StartedColumn);
    QCOMPARE(queued.data(RunsModel::StartedAtRole).toDateTime(), Fixture::createdAt(999));
}

void TestRunsModel::durationText_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero") << qint64(0) << u"0 ms"_s;
    QTest::newRow("under a second") << qint64(850) << u"850 ms"_s;
    QTest::newRow("seconds") << qint64(42'000) << u"42s"_s;
    QTest::newRow("seconds round down") << qint64(59'999) << u"59s"_s;
    QTest::newRow("minutes pad seconds") << qint64(185'000) << u"3m 05s"_s;
    QTest::newRow("hours pad minutes") << qint64(2 * 3600'000 + 7 * 60'000) << u"2h 07m"_s;
    QTest::newRow("days") << qint64(3 * 86400'000LL + 4 * 3600'000) << u"3d 04h"_s;
    QTest::newRow("negative is hidden") << qint64(-5000) << QString();
}

void TestRunsModel::durationText()
{
    QFETCH(qint64, ms);
    QFETCH(QString, expected);
    QCOMPARE(DisplayText::duration(ms), expected);
}

void TestRunsModel::headers()
{
    RunsModel model;
    const QStringList expected{u"Task"_s,      u"Repository"_s, u"Campaign"_s, u"State"_s,
                               u"Requester"_s, u"Identity"_s,   u"Policy"_s,   u"PR"_s,
                               u"Started"_s,   u"Duration"_s};
    QCOMPARE(model.columnCount(), expected.size());
    for (int column = 0; column < model.columnCount(); ++column)
        QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), expected.at(column));
}

void TestRunsModel::filterReducesRows_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("everyRowContains");

    QTest::newRow("repository") << u"repo-7"_s << 50 << int(RunsModel::RepositoryColumn)
                                << u"acme/repo-7"_s;
    QTest::newRow("requester") << u"alice"_s << 500 << int(RunsModel::RequesterColumn)
                               << u"alice"_s;
    QTest::newRow("task id") << u"task-0042"_s << 1 << int(RunsModel::TaskColumn) << u"task-0042"_s;
    QTest::newRow("prompt") << u"<script>"_s << 1 << int(RunsModel::TaskColumn)
                            << Fixture::taskId(Fixture::hostileTask);
    QTest::newRow("no match") << u"no-such-task"_s << 0 << 0 << QString();
    QTest::newRow("SQL in the filter is text")
        << u"'; DROP TABLE task; --"_s << 0 << 0 << QString();
    QTest::newRow("percent is not a wildcard") << u"%"_s << 0 << 0 << QString();
    QTest::newRow("underscore is not a wildcard") << u"task_0042"_s << 0 << 0 << QString();
}

void TestRunsModel::filterReducesRows()
{
    QFETCH(QString, text);
    QFETCH(int, expected);
    QFETCH(int, column);
    QFETCH(QString, everyRowContains);

    RunsModel model;
    model.setDatabasePath(m_path);
    QVERIFY(waitForCount(model));
    QSignalSpy totals(&model, &RunsModel::totalCountChanged);
    model.setFilter(textFilter(text));
    QVERIFY(waitForCount(model));
    QCOMPARE(totals.last().at(0).toLongLong(), expected);
    QCOMPARE(model.totalCount(), expected);
    QCOMPARE(model.rowCount(), expected);
    if (expected > 0)
        QVERIFY(loadRows(model, 0, expected - 1));
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY2(TestRunsModel::text(model, row, column).contains(everyRowContains),
                 qPrintable(TestRunsModel::text(model, row, column)));

    // Newest first within the filter, as in the whole table.
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(model.index(row - 1, 0).data(RunsModel::StartedAtRole).toDateTime() >=
                model.index(row, 0).data(RunsModel::StartedAtRole).toDateTime());

    QCOMPARE(m_store->taskCount({}), Fixture::taskCount);
}

// A text filter can use no index, so it is tested on each task once, in the anchor walk, and a
// page is read by the row ids the walk kept: the tasks the count counted, not a second search.
void TestRunsModel::textFilterPagesAreTheTasksTheWalkFound()
{
    const QString path = m_dir.filePath(u"walked.db"_s);
    QString error;
    const std::unique_ptr<RecordStore> store = openStore(path, &error);
    QVERIFY2(store, qPrintable(error));
    QVERIFY2(Fixture::write(*store), qPrintable(store->errorString()));
    RunsModel model;
    model.setFilter(textFilter(u"alice"_s));
    model.setDatabasePath(path);
    QVERIFY(waitForCount(model)); // counted, and the anchors walked
    const int rows = Fixture::taskCount / 2;
    QCOMPARE(model.rowCount(), rows);
    QVERIFY(rows > RunsModel::pageSize);
    QCOMPARE(model.cachedPageCount(), 0);

    // The requests change hands after the walk: a page that tested the text again would find
    // none of its tasks.
    QVERIFY(store->beginBatch());
    for (int i = 0; i < Fixture::taskCount; i += 10) {
        if (Fixture::requester(i) == u"alice"_s)
            QVERIFY(store->writeRequest({Fixture::requestId(i), {}, u"carol"_s, {}, {}, {}}));
    }
    QVERIFY(store->commitBatch());
    QVERIFY(loadRows(model, 0, rows - 1));
    for (int row = 0; row < rows; ++row)
        QCOMPARE(text(model, row, RunsModel::RequesterColumn), u"carol"_s);
}

void TestRunsModel::stateFilter()
{
    RunsModel model;
    TaskFilter filter;
    filter.state = u"failed"_s;
    model.setFilter(filter);
    model.setDatabasePath(m_path);
    QVERIFY(loadRows(model, 0, Fixture::taskCount / 4 - 1));
    QCOMPARE(model.rowCount(), Fixture::taskCount / 4);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(toString(model.index(row, 0).data(RunsModel::StateRole).value<TaskState>()),
                 toString(TaskState::Failed));
}

void TestRunsModel::cacheStaysBoundedWhileScrolling()
{
    RunsModel model;
    QCOMPARE(model.maxCachedPages(), RunsModel::defaultMaxCachedPages);
    model.setMaxCachedPages(2); // the fixture has four pages
    model.setDatabasePath(m_path);
    QVERIFY(waitForCount(model));

    // Scroll through every row, a page at a time, as a view would.
    for (int row = 0; row < model.rowCount(); row += 50) {
        QVERIFY(loadRows(model, row, std::min(row + 49, model.rowCount() - 1)));
        QCOMPARE(text(model, row, RunsModel::TaskColumn),
                 Fixture::taskId(Fixture::taskCount - 1 - row));
        QVERIFY(model.cachedPageCount() <= 2);
    }
    QCOMPARE(model.peakCachedPageCount(), 2);
    // The first page was dropped on the way down and is read again when scrolled back to.
    QVERIFY(!model.isRowLoaded(0));
    QCOMPARE(text(model, 0, RunsModel::TaskColumn), RunsModel::placeholder());
    QTRY_COMPARE(text(model, 0, RunsModel::TaskColumn), Fixture::taskId(Fixture::taskCount - 1));
    QCOMPARE(model.cachedPageCount(), 2);
    // The least recently used page went, not the one just read.
    QVERIFY(model.isRowLoaded(Fixture::taskCount - 1));
    QVERIFY(!model.isRowLoaded(RunsModel::pageSize * 2));
}

void TestRunsModel::staleFilterResultsAreDropped()
{
    RunsModel model;
    QSignalSpy totals(&model, &RunsModel::totalCountChanged);
    model.setDatabasePath(m_path);
    model.setFilter(textFilter(u"repo-7"_s)); // before the first count arrives
    model.setFilter(textFilter(u"alice"_s));
    QVERIFY(waitForCount(model));
    QCOMPARE(model.totalCount(), 500);
    for (const QList<QVariant> &total : std::as_const(totals))
        QVERIFY(total.at(0).toLongLong() == 0 || total.at(0).toLongLong() == 500);

    // A page asked for under one filter never lands under the next.
    QCOMPARE(text(model, 0, RunsModel::TaskColumn), RunsModel::placeholder());
    model.setFilter(textFilter(u"repo-7"_s));
    QVERIFY(loadRows(model, 0, 49));
    QCOMPARE(model.rowCount(), 50);
    QCOMPARE(model.cachedPageCount(), 1);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.index(row, 0).data(RunsModel::RepositoryRole).toString(), u"acme/repo-7"_s);
    // The older filter's page may still be on its way: watch what lands until a request made
    // now has gone through the worker, which answers in order.
    QStringList landed;
    const auto watch =
        connect(&model, &QAbstractItemModel::dataChanged, this,
                [&](const QModelIndex &first, const QModelIndex &last) {
                    for (int row = first.row(); row <= last.row(); ++row) {
                        if (model.isRowLoaded(row))
                            landed
                                << model.index(row, 0).data(RunsModel::RepositoryRole).toString();
                    }
                });
    QSignalSpy located(&model, &RunsModel::taskLocated);
    model.locateTask(Fixture::taskId(7));
    QTRY_COMPARE(located.size(), 1);
    disconnect(watch);
    landed.removeAll(u"acme/repo-7"_s);
    QVERIFY2(landed.isEmpty(), qPrintable(landed.join(u", "_s)));
    QCOMPARE(model.index(0, 0).data(RunsModel::RepositoryRole).toString(), u"acme/repo-7"_s);
}

void TestRunsModel::locateTaskReadsOnlyItsPage()
{
    RunsModel model;
    model.setStore(m_store.get());
    QVERIFY(waitForCount(model));
    QCOMPARE(model.databasePath(), m_path);
    QCOMPARE(model.cachedPageCount(), 0);
    // The model answers from its cache alone; the worker finds a task not read yet.
    QCOMPARE(model.rowOfTask(Fixture::taskId(100)), -1);
    QSignalSpy located(&model, &RunsModel::taskLocated);
    model.locateTask(Fixture::taskId(100));
    QCOMPARE(located.size(), 0);
    QTRY_COMPARE(located.size(), 1);
    QCOMPARE(located.at(0).at(0).toString(), Fixture::taskId(100));
    QCOMPARE(located.at(0).at(1).toInt(), Fixture::rowOf(100));
    // Ready to select: the task's page, and only that, was read on the way.
    QCOMPARE(model.index(Fixture::rowOf(100), 0).data(RunsModel::TaskIdRole).toString(),
             Fixture::taskId(100));
    QCOMPARE(model.cachedPageCount(), 1);
    QCOMPARE(model.rowOfTask(Fixture::taskId(100)), Fixture::rowOf(100));
    model.locateTask(u"no-such-task"_s);
    QTRY_COMPARE(located.size(), 2);
    QCOMPARE(located.at(1).at(1).toInt(), -1);

    // An answer asked for before the filter changed is dropped.
    model.locateTask(Fixture::taskId(27));
    model.setFilter(textFilter(u"repo-7"_s));
    QVERIFY(waitForCount(model));
    model.locateTask(Fixture::taskId(8)); // acme/repo-8
    QTRY_COMPARE(located.size(), 3);
    QCOMPARE(located.at(2).at(0).toString(), Fixture::taskId(8));
    QCOMPARE(located.at(2).at(1).toInt(), -1);
    model.locateTask(Fixture::taskId(27));
    QTRY_COMPARE(located.size(), 4);
    const int row = located.at(3).at(1).toInt();
    QVERIFY(row >= 0);
    QCOMPARE(model.index(row, 0).data(RunsModel::TaskIdRole).toString(), Fixture::taskId(27));
    model.setStore(nullptr);
}

void TestRunsModel::resetsOnFilterAndDatabase()
{
    RunsModel model;
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setDatabasePath(m_path);
    QCOMPARE(resets.size(), 1);
    QVERIFY(loadRows(model, 0, 10));

    model.setFilter(textFilter(u"repo-3"_s));
    QCOMPARE(resets.size(), 2);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.cachedPageCount(), 0);
    QTRY_COMPARE(model.totalCount(), 50);

    model.setDatabasePath({});
    QCOMPARE(resets.size(), 3);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalCount(), 0);
    QVERIFY(model.isIdle());
    QVERIFY(!model.index(0, 0).isValid());
}

void TestRunsModel::missingDatabaseIsAnError()
{
    RunsModel model;
    QSignalSpy errors(&model, &RunsModel::errorOccurred);
    model.setDatabasePath(m_dir.filePath(u"no/such/dir/runs.db"_s));
    QTRY_COMPARE(errors.size(), 1);
    QVERIFY(waitForCount(model));
    QCOMPARE(model.rowCount(), 0);
}

void TestRunsModel::facetValues()
{
    RunsModel model;
    QSignalSpy facets(&model, &RunsModel::facetValuesChanged);
    model.setDatabasePath(m_path);
    QTRY_COMPARE(facets.size(), 5);

    QStringList states{toString(TaskState::Completed), toString(TaskState::Failed),
                       toString(TaskState::InProgress), toString(TaskState::Queued)};
    states.sort();
    QCOMPARE(model.facetValues(TaskFacet::State), states);
    QStringList repos;
    for (int i = 0; i < Fixture::repoCount; ++i)
        repos << Fixture::repo(i);
    repos.sort();
    QCOMPARE(model.facetValues(TaskFacet::Repository), repos);
    QStringList kinds{toString(IdentityKind::GitHubAppInstallationToken),
                      toString(IdentityKind::FineGrainedPat)};
    kinds.sort();
    QCOMPARE(model.facetValues(TaskFacet::IdentityKind), kinds);
    QCOMPARE(model.facetValues(TaskFacet::Policy), QStringList{u"default-policy"_s});
    QCOMPARE(model.facetValues(TaskFacet::Campaign), QStringList());

    // The store answers the same on the test's own connection.
    QCOMPARE(m_store->facetValues(TaskFacet::Repository), repos);
}

QTEST_GUILESS_MAIN(TestRunsModel)
#include "tst_runsmodel.moc"
