// Keyset paging of the runs table in the store: every sortable column both ways, with ties
// and missing values, under random filters, page by page at any depth, against the order
// the column's values and ids define and against what OFFSET returns; on both backends, with
// the same tasks.
#include "backends.h"
#include "sqlscalar.h"
#include "store/recordstore.h"
#include "store/sqliteschema.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <algorithm>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr int taskCount = 3000;
constexpr int pageSize = 64;
const QDateTime epoch(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());

// Few distinct values per column, so most rows tie with others, and some with none at all.
TaskRecord task(int i)
{
    TaskRecord t;
    t.id = u"t-%1"_s.arg((i * 7919) % taskCount, 5, 10, QLatin1Char('0'));
    t.repo = i % 11 == 0 ? QString() : u"acme/repo-%1"_s.arg(i % 6);
    t.campaignId = i % 3 == 0 ? QString() : u"camp-%1"_s.arg(i % 4);
    constexpr std::array states{TaskState::Completed, TaskState::Failed, TaskState::Queued,
                                TaskState::InProgress};
    if (i % 13 != 0)
        t.state = states[std::size_t(i) % states.size()];
    t.policyId = i % 5 == 0 ? QString() : u"policy-%1"_s.arg(i % 2);
    t.policyVersion = i % 4 == 0 ? QString() : u"%1"_s.arg(i % 3);
    if (i % 2 == 0)
        t.prNumber = 1 + i % 9;
    if (i % 17 != 0)
        t.createdAt = epoch.addSecs(60LL * (i % 40));
    if (i % 3 != 0 && t.createdAt.isValid())
        t.startedAt = t.createdAt.addSecs(5);
    if (i % 4 != 0 && t.createdAt.isValid())
        t.completedAt = t.createdAt.addSecs(60 + i % 7);
    t.prompt = u"change %1"_s.arg(i % 10);
    return t;
}

// The sorted column's value as the table orders it: a missing value first ascending.
QVariant sortValue(const TaskRecord &t, TaskSortColumn column)
{
    const qint64 none = std::numeric_limits<qint64>::min();
    const QDateTime key = t.startedAt.isValid() ? t.startedAt : t.createdAt;
    switch (column) {
    case TaskSortColumn::Task:
        return t.id;
    case TaskSortColumn::Repository:
        return t.repo;
    case TaskSortColumn::Campaign:
        return t.campaignId;
    case TaskSortColumn::State:
        return t.state == TaskState::Unknown ? u"unknown"_s : toString(t.state);
    case TaskSortColumn::Policy:
        return QString(t.policyId + u'@' + t.policyVersion);
    case TaskSortColumn::PullRequest:
        return t.prNumber ? qint64(*t.prNumber) : none;
    case TaskSortColumn::Started:
        return key.isValid() ? key.toMSecsSinceEpoch() : none;
    case TaskSortColumn::Duration:
        return key.isValid() && t.completedAt.isValid()
                   ? t.completedAt.toMSecsSinceEpoch() - key.toMSecsSinceEpoch()
                   : none;
    }
    return {};
}

bool before(const QVariant &a, const QVariant &b)
{
    if (a.typeId() == QMetaType::QString)
        return a.toString().toUtf8() < b.toString().toUtf8(); // SQLite's BINARY order
    return a.toLongLong() < b.toLongLong();
}

} // namespace

class TestTaskPaging final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pagesFollowTheColumnOrder_data();
    void pagesFollowTheColumnOrder();
    void defaultOrderPagesEqualOffsetPages_data();
    void defaultOrderPagesEqualOffsetPages();
    void olderDatabaseGetsTheSortIndexes();
    void olderDatabaseGetsTheLookupIndexes();
    void firstLoadBuildsTheRunsIndexesAtItsEnd();
    void stoppedFirstLoadReadsAndGetsItsIndexesBack();

private:
    // The ids under a filter (read with OFFSET, the old way) in the order the sort defines.
    QStringList expectedOrder(const TaskFilter &filter, const TaskSort &sort) const;
    // Every page of the filter, walked as the runs table's loader does: anchors in small
    // chunks, then one seek per page; and the last pages read backwards from the end.
    // Both ways to read: along the sort index, or as SQLite chooses (`follow`).
    void checkPages(const TaskFilter &filter, const TaskSort &sort, const QStringList &expected,
                    bool follow);
    TaskFilter randomFilter(QRandomGenerator &random) const;

    // The store of the running row's backend.
    void useBackend();

    QTemporaryDir m_dir;
    Backends::Fixture m_db;
    QHash<QString, std::shared_ptr<RecordStore>> m_stores;
    RecordStore *m_store = nullptr;
    QHash<QString, TaskRecord> m_tasks;
};

void TestTaskPaging::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
        std::shared_ptr<RecordStore> store = openStore(m_db.fresh(backend), &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->beginBatch());
        for (int i = 0; i < taskCount; ++i) {
            const TaskRecord t = task(i);
            QVERIFY2(store->writeTask(t), qPrintable(store->errorString()));
            m_tasks.insert(t.id, t);
        }
        QVERIFY2(store->commitBatch(), qPrintable(store->errorString()));
        QCOMPARE(store->taskCount({}), taskCount);
        m_stores.insert(backend, store);
    }
}

void TestTaskPaging::useBackend()
{
    QFETCH(QString, backend);
    m_store = m_stores.value(backend).get();
    QVERIFY(m_store);
}

QStringList TestTaskPaging::expectedOrder(const TaskFilter &filter, const TaskSort &sort) const
{
    QStringList ids;
    for (const TaskRow &row : m_store->tasks(filter, 0, taskCount + 1))
        ids << row.id;
    std::sort(ids.begin(), ids.end(), [&](const QString &a, const QString &b) {
        const QVariant va = sortValue(m_tasks.value(a), sort.column);
        const QVariant vb = sortValue(m_tasks.value(b), sort.column);
        const bool less = before(va, vb) || (!before(vb, va) && a < b);
        const bool greater = before(vb, va) || (!before(va, vb) && b < a);
        return sort.descending ? greater : less;
    });
    return ids;
}

void TestTaskPaging::checkPages(const TaskFilter &filter, const TaskSort &sort,
                                const QStringList &expected, bool follow)
{
    const auto ids = [](const QList<TaskRow> &rows) {
        QStringList out;
        for (const TaskRow &row : rows)
            out << row.id;
        return out;
    };
    QList<TaskKey> anchors;
    QList<qint64> rowids; // every task the walk passed, as a text filter's view keeps them
    for (;;) {
        const std::optional<TaskKey> from =
            anchors.isEmpty() ? std::nullopt : std::optional<TaskKey>(anchors.constLast());
        TaskPageRequest walk;
        walk.sort = sort;
        walk.from = from;
        walk.limit = 4 * pageSize;
        walk.followSortIndex = follow;
        QList<TaskKey> chunk = m_store->taskAnchors(filter, walk, pageSize, &rowids);
        const bool more = chunk.size() == 5;
        if (!anchors.isEmpty() && !chunk.isEmpty())
            chunk.removeFirst();
        anchors += chunk;
        if (!more)
            break;
    }
    const qsizetype pages = (expected.size() + pageSize - 1) / pageSize;
    QCOMPARE(anchors.size(), pages);
    for (qsizetype page = 0; page < pages; ++page) {
        TaskPageRequest request;
        request.sort = sort;
        request.limit = pageSize;
        request.followSortIndex = follow;
        if (page > 0)
            request.from = anchors.at(page);
        QCOMPARE(ids(m_store->taskPage(filter, request)), expected.mid(page * pageSize, pageSize));
        QCOMPARE(anchors.at(page).id, expected.at(page * pageSize));
        // The same page by the row ids the walk kept: no task twice, none left out.
        QCOMPARE(ids(m_store->taskRowsOf(rowids.mid(page * pageSize, pageSize))),
                 expected.mid(page * pageSize, pageSize));
    }
    QCOMPARE(rowids.size(), expected.size());
    // The last pages without anchors: backwards from the end, passing over the rows after.
    for (qsizetype page = std::max<qsizetype>(0, pages - 3); page < pages; ++page) {
        const qsizetype first = page * pageSize;
        const qsizetype end = std::min<qsizetype>(expected.size(), first + pageSize);
        TaskPageRequest request;
        request.sort = sort;
        request.followSortIndex = follow;
        request.backwards = true;
        request.skip = int(expected.size() - end);
        request.limit = int(end - first);
        QCOMPARE(ids(m_store->taskPage(filter, request)), expected.mid(first, end - first));
    }
    // The row of a task, and the rows just before it read backwards from its key.
    for (qsizetype row = 0; row < expected.size(); row += 97) {
        TaskKey key;
        QCOMPARE(m_store->taskRow(filter, sort, expected.at(row), &key), row);
        QCOMPARE(key.id, expected.at(row));
        TaskPageRequest back;
        back.sort = sort;
        back.from = key;
        back.backwards = true;
        back.limit = 5;
        QCOMPARE(ids(m_store->taskPage(filter, back)),
                 expected.mid(std::max<qsizetype>(0, row - 5), std::min<qsizetype>(row, 5)));
    }
}

TaskFilter TestTaskPaging::randomFilter(QRandomGenerator &random) const
{
    TaskFilter filter;
    switch (random.bounded(6)) {
    case 0:
        break;
    case 1:
        filter.state = random.bounded(2) ? u"failed"_s : u"unknown"_s;
        break;
    case 2:
        filter.repo = u"acme/repo-%1"_s.arg(random.bounded(6));
        break;
    case 3:
        filter.text = u"change %1"_s.arg(random.bounded(10));
        break;
    case 4:
        filter.campaignId = u"camp-%1"_s.arg(random.bounded(4));
        filter.state = u"completed"_s;
        break;
    default:
        filter.from = epoch.addSecs(60LL * random.bounded(20));
        filter.to = filter.from.addSecs(60LL * (5 + random.bounded(20)));
        break;
    }
    return filter;
}

void TestTaskPaging::pagesFollowTheColumnOrder_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("descending");
    const std::pair<const char *, TaskSortColumn> columns[] = {
        {"task", TaskSortColumn::Task},         {"repository", TaskSortColumn::Repository},
        {"campaign", TaskSortColumn::Campaign}, {"state", TaskSortColumn::State},
        {"policy", TaskSortColumn::Policy},     {"pull request", TaskSortColumn::PullRequest},
        {"started", TaskSortColumn::Started},   {"duration", TaskSortColumn::Duration},
    };
    for (const char *backend : {"sqlite", "postgresql"})
        for (const auto &[name, column] : columns)
            for (const bool descending : {false, true})
                QTest::addRow("%s %s %s", backend, name, descending ? "desc" : "asc")
                    << QString::fromLatin1(backend) << int(column) << descending;
}

void TestTaskPaging::pagesFollowTheColumnOrder()
{
    QFETCH(int, column);
    QFETCH(bool, descending);
    useBackend();
    const TaskSort sort{TaskSortColumn(column), descending};
    QRandomGenerator random(quint32(column * 2 + int(descending) + 1));
    for (int round = 0; round < 6; ++round) {
        const TaskFilter filter = round == 0 ? TaskFilter() : randomFilter(random);
        const QStringList expected = expectedOrder(filter, sort);
        if (round == 0)
            QCOMPARE(expected.size(), taskCount);
        checkPages(filter, sort, expected, round % 2 == 0);
        if (QTest::currentTestFailed())
            qWarning("filter: state '%s' repo '%s' text '%s' campaign '%s' from %s",
                     qPrintable(filter.state), qPrintable(filter.repo), qPrintable(filter.text),
                     qPrintable(filter.campaignId), qPrintable(filter.from.toString()));
    }
}

// The default order, newest first, against the OFFSET query it replaced, page by page; ties in
// time fall to the id, both ways.
void TestTaskPaging::defaultOrderPagesEqualOffsetPages_data()
{
    Backends::addBackendRows();
}

void TestTaskPaging::defaultOrderPagesEqualOffsetPages()
{
    useBackend();
    QRandomGenerator random(42);
    for (int round = 0; round < 8; ++round) {
        const TaskFilter filter = round == 0 ? TaskFilter() : randomFilter(random);
        const QStringList expected = expectedOrder(filter, TaskSort{});
        QStringList offsetOrder;
        for (const TaskRow &row : m_store->tasks(filter, 0, taskCount + 1))
            offsetOrder << row.id;
        // The OFFSET query breaks ties by id ascending, keyset paging by id in the sort's
        // direction: the same rows, the same times in the same places.
        QCOMPARE(offsetOrder.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(sortValue(m_tasks.value(offsetOrder.at(i)), TaskSortColumn::Started),
                     sortValue(m_tasks.value(expected.at(i)), TaskSortColumn::Started));
        checkPages(filter, TaskSort{}, expected, round % 2 == 1);
    }
}

// A schema 5 file (before the sort indexes) gets them when it is opened for writing.
void TestTaskPaging::olderDatabaseGetsTheSortIndexes()
{
    const QString path = m_dir.filePath(u"v5.db"_s);
    {
        QString error;
        const std::unique_ptr<RecordStore> store = openStore(path, &error);
        QVERIFY2(store, qPrintable(error));
    }
    const auto sql = [&path](const char *statement) { return SqlScalar::scalar(path, statement); };
    const char *countIndexes = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND "
                               "(name LIKE 'task_sort_%' OR name LIKE 'finding_sort_%')";
    QCOMPARE(sql(countIndexes), 10);
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db,
                          "DROP INDEX task_sort_repo; DROP INDEX task_sort_campaign; "
                          "DROP INDEX task_sort_state; DROP INDEX task_sort_policy; "
                          "DROP INDEX task_sort_pr; DROP INDEX task_sort_started; "
                          "DROP INDEX task_sort_duration; DROP INDEX finding_sort_severity; "
                          "DROP INDEX finding_sort_rule; DROP INDEX finding_sort_task; "
                          "PRAGMA user_version = 5;",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    QCOMPARE(sql(countIndexes), 0);
    {
        QString error;
        const std::unique_ptr<RecordStore> store = openStore(path, &error);
        QVERIFY2(store, qPrintable(error));
    }
    QCOMPARE(sql(countIndexes), 10);
    QCOMPARE(sql("PRAGMA user_version"), sqliteSchemaVersion);
}

// A file of the current version made before the lookup indexes (a pull request's checks by
// its number, the tasks that use a template or policy, a pull request by its database id) gets
// them when it is opened for writing, at the same version: a Tasktrail without them reads it
// as before.
void TestTaskPaging::olderDatabaseGetsTheLookupIndexes()
{
    const QString path = m_dir.filePath(u"lookup.db"_s);
    {
        QString error;
        const std::unique_ptr<RecordStore> store = openStore(path, &error);
        QVERIFY2(store, qPrintable(error));
    }
    const char *countIndexes =
        "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('check_run_pr', "
        "'check_suite_pr', 'task_template_use', 'task_policy_use', 'pull_request_github_id')";
    QCOMPARE(SqlScalar::scalar(path, countIndexes), 5);
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db,
                          "DROP INDEX check_run_pr; DROP INDEX check_suite_pr; "
                          "DROP INDEX task_template_use; DROP INDEX task_policy_use; "
                          "DROP INDEX pull_request_github_id;",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    QCOMPARE(SqlScalar::scalar(path, countIndexes), 0);
    {
        // A reader changes nothing.
        QString error;
        const std::unique_ptr<RecordStore> store = openStore(path, &error, StoreAccess::ReadOnly);
        QVERIFY2(store, qPrintable(error));
    }
    QCOMPARE(SqlScalar::scalar(path, countIndexes), 0);
    {
        QString error;
        const std::unique_ptr<RecordStore> store = openStore(path, &error);
        QVERIFY2(store, qPrintable(error));
    }
    QCOMPARE(SqlScalar::scalar(path, countIndexes), 5);
    QCOMPARE(SqlScalar::scalar(path, "PRAGMA user_version"), sqliteSchemaVersion);
    QVERIFY(QDir(m_dir.path()).entryList({u"lookup.db.v*"_s}).isEmpty()); // no upgrade, no copy
}

namespace {

// The tasks in two batches, as a load writes them.
bool writeTasks(RecordStore &store)
{
    for (int batch = 0; batch < 2; ++batch) {
        if (!store.beginBatch())
            return false;
        for (int i = batch * taskCount / 2; i < (batch + 1) * taskCount / 2; ++i) {
            if (!store.writeTask(task(i)))
                return false;
        }
        if (!store.commitBatch())
            return false;
    }
    return true;
}

// One more task, under another id, in a batch of its own.
bool writeOneTask(RecordStore &store, int i, const QString &id)
{
    TaskRecord more = task(i);
    more.id = id;
    return store.beginBatch() && store.writeTask(more) && store.commitBatch();
}

} // namespace

// A load into a file without tasks writes them without the runs table's indexes and builds
// them at its end; the runs table reads every order in between, and a file with tasks keeps
// its indexes through a load.
void TestTaskPaging::firstLoadBuildsTheRunsIndexesAtItsEnd()
{
    QCOMPARE(std::size(sqliteDeferredIndexes), std::size_t(deferredIndexCount));
    const QString path = m_dir.filePath(u"first-load.db"_s);
    QString error;
    const std::shared_ptr<RecordStore> store = openStore(path, &error);
    QVERIFY2(store, qPrintable(error));
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), deferredIndexCount);
    store->beginBulkLoad();
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), 0);
    QVERIFY2(writeTasks(*store), qPrintable(store->errorString()));
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), 0);
    // Pages that would follow a sort index follow the table instead, in the same order.
    m_store = store.get();
    for (const TaskSortColumn column :
         {TaskSortColumn::Task, TaskSortColumn::Repository, TaskSortColumn::State,
          TaskSortColumn::Policy, TaskSortColumn::Started, TaskSortColumn::Duration}) {
        const TaskSort sort{column, column == TaskSortColumn::Started};
        checkPages({}, sort, expectedOrder({}, sort), true);
        if (QTest::currentTestFailed())
            return;
    }
    store->endBulkLoad();
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), deferredIndexCount);
    const TaskSort byRepo{TaskSortColumn::Repository, true};
    checkPages({}, byRepo, expectedOrder({}, byRepo), true);

    // With tasks in the file, a load keeps every index.
    store->beginBulkLoad();
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), deferredIndexCount);
    QVERIFY2(writeOneTask(*store, 1, u"t-late"_s), qPrintable(store->errorString()));
    store->endBulkLoad();
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), deferredIndexCount);
    QCOMPARE(SqlScalar::scalar(path, "SELECT count(*) FROM task"), taskCount + 1);
    QVERIFY(store->verifyEvidence({}).problems.isEmpty());
}

// A first load stopped before its end (a killed process) leaves a file without the runs
// table's indexes: a reader pages it and reads its findings all the same, a writer's open
// leaves it as it is (another process's first load may be under way), and the next load
// builds them at its end.
void TestTaskPaging::stoppedFirstLoadReadsAndGetsItsIndexesBack()
{
    const QString path = m_dir.filePath(u"stopped-load.db"_s);
    {
        QString error;
        const std::shared_ptr<RecordStore> store = openStore(path, &error);
        QVERIFY2(store, qPrintable(error));
        store->beginBulkLoad();
        QVERIFY2(writeTasks(*store), qPrintable(store->errorString()));
        Finding finding;
        finding.taskId = task(5).id;
        finding.rule = u"host_not_allowed"_s;
        finding.severity = Severity::High;
        finding.message = u"contacted paste.example.net"_s;
        QVERIFY2(store->replaceFindings(finding.taskId, {finding}),
                 qPrintable(store->errorString()));
        // Closed without endBulkLoad(), as a killed process leaves it.
    }
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), 0);
    {
        QString error;
        const std::shared_ptr<RecordStore> reader = openStore(path, &error, StoreAccess::ReadOnly);
        QVERIFY2(reader, qPrintable(error));
        m_store = reader.get();
        const TaskSort byPr{TaskSortColumn::PullRequest, false};
        checkPages({}, byPr, expectedOrder({}, byPr), true);
        if (QTest::currentTestFailed())
            return;
        // The findings' default order walks task_order when the file has it.
        FindingFilter all;
        all.limit = 10;
        const QList<KeyedFinding> page = reader->findingPage(all, FindingSort{}, std::nullopt);
        QVERIFY2(reader->errorString().isEmpty(), qPrintable(reader->errorString()));
        QCOMPARE(page.size(), 1);
        QCOMPARE(page.constFirst().finding.taskId, task(5).id);
        QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), 0); // a reader changes nothing
    }
    QString error;
    const std::shared_ptr<RecordStore> writer = openStore(path, &error);
    QVERIFY2(writer, qPrintable(error));
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), 0);
    writer->beginBulkLoad();
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount),
             0); // the file has tasks: nothing dropped
    QVERIFY2(writeOneTask(*writer, 2, u"t-after-the-stop"_s), qPrintable(writer->errorString()));
    writer->endBulkLoad();
    QCOMPARE(SqlScalar::scalar(path, SqlScalar::runsIndexCount), deferredIndexCount);
}

QTEST_GUILESS_MAIN(TestTaskPaging)
#include "tst_taskpaging.moc"
