#include "displaytext.h"
#include "runsfixture.h"
#include "runsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

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
    void passesModelTesterWhileFetching();
    void loadsOnePageAtATime();
    void knownRows_data();
    void knownRows();
    void startedIsIsoLocalTime();
    void durationText_data();
    void durationText();
    void headers();
    void filterReducesRows_data();
    void filterReducesRows();
    void stateFilter();
    void findsLoadedTasksOnly();
    void resetsOnFilterAndStore();
    void listenersCannotFetchMidChange();

private:
    static void fetchAll(RunsModel &model);
    static QString text(const RunsModel &model, int row, int column);

    QTemporaryDir m_dir;
    std::unique_ptr<RecordStore> m_store;
};

void TestRunsModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_store = openStore(m_dir.filePath(u"runs.db"_s), &error);
    QVERIFY2(m_store, qPrintable(error));
    QVERIFY2(Fixture::write(*m_store), qPrintable(m_store->errorString()));
    QCOMPARE(m_store->taskCount({}), Fixture::taskCount);
}

void TestRunsModel::fetchAll(RunsModel &model)
{
    while (model.canFetchMore({}))
        model.fetchMore({});
}

QString TestRunsModel::text(const RunsModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

void TestRunsModel::passesModelTesterWhileFetching()
{
    RunsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStore(m_store.get());
    fetchAll(model);
    QCOMPARE(model.rowCount(), Fixture::taskCount);

    model.setFilter(textFilter(u"repo-7"_s));
    fetchAll(model);
    QCOMPARE(model.rowCount(), Fixture::taskCount / Fixture::repoCount);

    model.setStore(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestRunsModel::loadsOnePageAtATime()
{
    RunsModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setStore(m_store.get());

    // Opening costs a count, not rows.
    QCOMPARE(model.totalCount(), Fixture::taskCount);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.canFetchMore({}));

    int expected = 0;
    while (model.canFetchMore({})) {
        model.fetchMore({});
        const int before = expected;
        expected = std::min(expected + RunsModel::pageSize, Fixture::taskCount);
        QCOMPARE(model.rowCount(), expected);
        QCOMPARE(inserted.last().at(1).toInt(), before);
        QCOMPARE(inserted.last().at(2).toInt(), expected - 1);
    }
    const int pages = (Fixture::taskCount + RunsModel::pageSize - 1) / RunsModel::pageSize;
    QCOMPARE(inserted.size(), pages);
    QCOMPARE(model.rowCount(), Fixture::taskCount);

    // Nothing left: another fetch inserts nothing.
    model.fetchMore({});
    QCOMPARE(inserted.size(), pages);
    QCOMPARE(model.totalCount(), Fixture::taskCount);
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
    model.setStore(m_store.get());
    fetchAll(model);
    const int row = Fixture::rowOf(task);

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
    model.setStore(m_store.get());
    model.fetchMore({});
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
    model.setStore(m_store.get());
    QSignalSpy totals(&model, &RunsModel::totalCountChanged);
    model.setFilter(textFilter(text));
    QCOMPARE(totals.size(), 1);
    QCOMPARE(totals.last().at(0).toLongLong(), expected);
    QCOMPARE(model.totalCount(), expected);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.canFetchMore({}), expected > 0);

    fetchAll(model);
    QCOMPARE(model.rowCount(), expected);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY2(TestRunsModel::text(model, row, column).contains(everyRowContains),
                 qPrintable(TestRunsModel::text(model, row, column)));

    // Newest first within the filter, as in the whole table.
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(model.index(row - 1, 0).data(RunsModel::StartedAtRole).toDateTime() >=
                model.index(row, 0).data(RunsModel::StartedAtRole).toDateTime());

    QCOMPARE(m_store->taskCount({}), Fixture::taskCount);
}

void TestRunsModel::stateFilter()
{
    RunsModel model;
    model.setStore(m_store.get());
    TaskFilter filter;
    filter.state = u"failed"_s;
    model.setFilter(filter);
    fetchAll(model);
    QCOMPARE(model.rowCount(), Fixture::taskCount / 4);
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(toString(model.index(row, 0).data(RunsModel::StateRole).value<TaskState>()),
                 toString(TaskState::Failed));
}

void TestRunsModel::findsLoadedTasksOnly()
{
    RunsModel model;
    model.setStore(m_store.get());
    model.fetchMore({});
    QCOMPARE(model.rowOfTask(Fixture::taskId(999)), 0);
    QCOMPARE(model.rowOfTask(Fixture::taskId(100)), -1); // not loaded yet
    fetchAll(model);
    QCOMPARE(model.rowOfTask(Fixture::taskId(100)), Fixture::rowOf(100));
    QCOMPARE(model.rowOfTask(u"no-such-task"_s), -1);
}

void TestRunsModel::resetsOnFilterAndStore()
{
    RunsModel model;
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setStore(m_store.get());
    QCOMPARE(resets.size(), 1);
    fetchAll(model);

    model.setFilter(textFilter(u"repo-3"_s));
    QCOMPARE(resets.size(), 2);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalCount(), 50);

    model.setStore(nullptr);
    QCOMPARE(resets.size(), 3);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    model.fetchMore({}); // harmless without a store
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.index(0, 0).isValid());
}

void TestRunsModel::listenersCannotFetchMidChange()
{
    // A listener that fetches while a change is announced would insert rows that later
    // listeners hear about before the change itself.
    RunsModel model;
    int nestedInsertions = 0;
    bool inChange = false;
    int listenerFetches = 0;
    const auto fetchFromListener = [&model, &listenerFetches] {
        if (++listenerFetches < 16) // bounded, so a model without the guard fails, not hangs
            model.fetchMore({});
    };
    connect(&model, &QAbstractItemModel::modelReset, this, fetchFromListener);
    connect(&model, &QAbstractItemModel::rowsAboutToBeInserted, this, [&] {
        if (inChange)
            ++nestedInsertions;
        inChange = true;
        fetchFromListener();
    });
    connect(&model, &QAbstractItemModel::rowsInserted, this, [&] {
        inChange = false;
        fetchFromListener();
    });

    model.setStore(m_store.get());
    QCOMPARE(model.rowCount(), 0);
    model.fetchMore({});
    QCOMPARE(model.rowCount(), RunsModel::pageSize);
    QCOMPARE(nestedInsertions, 0);
    QVERIFY(model.canFetchMore({})); // and the next page comes when asked outside
}

QTEST_GUILESS_MAIN(TestRunsModel)
#include "tst_runsmodel.moc"
