// Runs table benchmark. Not a test: run it by hand.
//
//   bench_runsmodel [--tasks 1000000] [--work DIR] [--keep] [--db FILE]
//
// Writes the tasks through the store in large batches, then measures with the real model and
// its worker thread: opening the database until the first rows are visible, a page at the
// top, middle and end of the table, locating a task deep in the table, the facet queries, and
// the most pages the cache held while every page was read once.
//
// BEFORE is the OFFSET query the model used to page with (TaskQueries::tasks, still what
// reports walk), timed on the same database in the same run; AFTER is the model's keyset
// paging, for the default order, every sortable column both ways, and filters.
#include "runsloader.h"
#include "runsmodel.h"
#include "store/recordstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

void say(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

QString ms(qint64 nanoseconds)
{
    return QString::number(double(nanoseconds) / 1e6, 'f', 1) + u" ms"_s;
}

TaskRecord task(int i)
{
    static const QDateTime epoch(QDate(2025, 1, 1), QTime(0, 0), QTimeZone::utc());
    TaskRecord t;
    t.id = u"task-%1"_s.arg(i, 7, 10, QLatin1Char('0'));
    t.repo = u"acme/repo-%1"_s.arg(i % 500);
    t.campaignId = u"campaign-%1"_s.arg(i / 5000);
    t.identityId = u"identity-%1"_s.arg(i % 7);
    t.policyId = u"default-policy"_s;
    t.policyVersion = u"3"_s;
    t.state = i % 4 == 0 ? TaskState::Failed : TaskState::Completed;
    t.prompt = u"Bump the logging library in %1"_s.arg(t.repo);
    t.source = u"tasktrail"_s;
    t.createdAt = epoch.addSecs(30LL * i);
    t.startedAt = t.createdAt.addSecs(5);
    t.completedAt = t.startedAt.addSecs(60 + i % 600);
    return t;
}

bool writeTasks(RecordStore &store, int count)
{
    constexpr int batch = 50'000;
    for (int first = 0; first < count; first += batch) {
        if (!store.beginBatch())
            return false;
        for (int i = first; i < std::min(first + batch, count); ++i)
            if (!store.writeTask(task(i))) {
                store.rollbackBatch();
                return false;
            }
        if (!store.commitBatch())
            return false;
    }
    return true;
}

// Reads one page the way a view does (data() on a row of it) and waits until it arrives.
bool settle(RunsModel &model)
{
    return QTest::qWaitFor([&model] { return model.isIdle(); }, 60'000);
}

// The old way to a page: LIMIT/OFFSET on the newest-first order.
qint64 timeOffsetPage(RecordStore &store, const TaskFilter &filter, int row)
{
    QElapsedTimer timer;
    timer.start();
    const int offset = row / RunsModel::pageSize * RunsModel::pageSize;
    if (store.tasks(filter, offset, RunsModel::pageSize).isEmpty())
        return -1;
    return timer.nsecsElapsed();
}

qint64 timePage(RunsModel &model, int row)
{
    QElapsedTimer timer;
    timer.start();
    model.index(row, 0).data();
    // Woken by the page's arrival itself, not by a polling interval.
    while (!model.isRowLoaded(row)) {
        if (timer.elapsed() > 60'000)
            return -1;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    }
    return timer.nsecsElapsed();
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption tasksOption(u"tasks"_s, u"Tasks to write."_s, u"n"_s, u"1000000"_s);
    const QCommandLineOption workOption(u"work"_s, u"Working directory."_s, u"dir"_s);
    const QCommandLineOption keepOption(u"keep"_s, u"Keep the database."_s);
    const QCommandLineOption dbOption(u"db"_s, u"Measure a database written before."_s, u"file"_s);
    parser.addOptions({tasksOption, workOption, keepOption, dbOption});
    parser.process(app);
    const int count = parser.value(tasksOption).toInt();

    QTemporaryDir temp(parser.isSet(workOption) ? parser.value(workOption) + u"/bench-XXXXXX"_s
                                                : QString());
    temp.setAutoRemove(!parser.isSet(keepOption));
    if (!parser.isSet(dbOption) && !temp.isValid()) {
        say(u"cannot make a directory in '%1': %2"_s.arg(parser.value(workOption),
                                                         temp.errorString()));
        return 1;
    }
    const QString path =
        parser.isSet(dbOption) ? parser.value(dbOption) : temp.filePath(u"runs.db"_s);

    QElapsedTimer timer;
    timer.start();
    if (!parser.isSet(dbOption)) {
        QString error;
        const std::unique_ptr<RecordStore> store = openStore(path, &error);
        if (!store || !writeTasks(*store, count)) {
            say(u"cannot write %1: %2"_s.arg(path, store ? store->errorString() : error));
            return 1;
        }
        say(u"wrote %L1 tasks to %2 in %3"_s.arg(count).arg(path, ms(timer.nsecsElapsed())));
    }

    RunsModel model;
    timer.restart();
    model.setDatabasePath(path);
    if (!QTest::qWaitFor([&] { return model.isIdle() && model.rowCount() > 0; }, 60'000)) {
        say(u"the count never arrived"_s);
        return 1;
    }
    const qint64 counted = timer.nsecsElapsed();
    const qint64 firstPage = timePage(model, 0);
    say(u"open + count (%L1 rows): %2; first rows visible: %3"_s.arg(model.rowCount())
            .arg(ms(counted), ms(counted + firstPage)));

    TaskFilter failed;
    failed.state = u"failed"_s;
    TaskFilter oneRepo;
    oneRepo.repo = u"acme/repo-7"_s;
    TaskFilter text;
    text.text = u"repo-42"_s;
    {
        QString error;
        const std::unique_ptr<RecordStore> store = openStore(path, &error);
        if (!store)
            return 1;
        const qint64 failedCount = store->taskCount(failed);
        for (const int row : {0, count / 2, count - 1000, count - 1})
            say(u"BEFORE (OFFSET) page at row %L1: %2"_s.arg(row).arg(
                ms(timeOffsetPage(*store, {}, row))));
        say(u"BEFORE (OFFSET) state filter, last page: %1"_s.arg(
            ms(timeOffsetPage(*store, failed, int(failedCount) - 1))));
    }

    // Fresh model per position so the cache never helps.
    for (const int row : {0, count / 2, count - 1000, count - 1}) {
        RunsModel fresh;
        fresh.setDatabasePath(path);
        if (!settle(fresh))
            return 1;
        const qint64 first = timePage(fresh, row);
        fresh.setFilter({});
        if (!settle(fresh))
            return 1;
        const qint64 again = timePage(fresh, row);
        say(u"AFTER (keyset) page at row %L1: %2 (warm connection: %3)"_s.arg(row).arg(ms(first),
                                                                                       ms(again)));
    }

    // Ctrl+End as soon as the count is shown, before the anchors are walked.
    {
        RunsModel fresh;
        timer.restart();
        fresh.setDatabasePath(path);
        if (!QTest::qWaitFor([&] { return !fresh.isCounting() && fresh.rowCount() > 0; }, 60'000))
            return 1;
        const qint64 countedIn = timer.nsecsElapsed();
        const qint64 last = timePage(fresh, fresh.rowCount() - 1);
        timer.restart();
        if (!settle(fresh))
            return 1;
        say(u"AFTER count %1; last page right after it: %2; anchors done %3 later"_s.arg(
            ms(countedIn), ms(last), ms(timer.nsecsElapsed())));
    }

    // Every sortable column both ways: a page at the top, the middle and the end.
    for (int section = 0; section < RunsModel::ColumnCount; ++section) {
        if (!RunsModel::sortColumnOf(section))
            continue;
        for (const bool descending : {false, true}) {
            RunsModel sorted;
            sorted.setTaskSort({*RunsModel::sortColumnOf(section), descending});
            timer.restart();
            sorted.setDatabasePath(path);
            if (!settle(sorted))
                return 1;
            const qint64 ready = timer.nsecsElapsed();
            QStringList pages;
            qint64 worst = 0;
            for (const int row : {0, count / 2, count - 1}) {
                const qint64 t = timePage(sorted, row);
                worst = std::max(worst, t);
                pages << ms(t);
            }
            say(u"AFTER sort %1 %2: pages %3 (worst %4); count + anchors %5"_s.arg(
                RunsModel().headerData(section, Qt::Horizontal).toString(),
                descending ? u"desc"_s : u"asc"_s, pages.join(u", "_s), ms(worst), ms(ready)));
        }
    }

    // Filters: the last page, and one in the middle, of each.
    for (const auto &[name, filter] :
         {std::pair{u"state=failed"_s, failed}, std::pair{u"repo=acme/repo-7"_s, oneRepo},
          std::pair{u"text 'repo-42'"_s, text}}) {
        for (const TaskSort sort : {TaskSort{}, TaskSort{TaskSortColumn::Repository, false}}) {
            RunsModel filtered;
            filtered.setTaskSort(sort);
            filtered.setFilter(filter);
            timer.restart();
            filtered.setDatabasePath(path);
            if (!settle(filtered))
                return 1;
            const qint64 ready = timer.nsecsElapsed();
            const qint64 mid = timePage(filtered, filtered.rowCount() / 2);
            const qint64 last = timePage(filtered, filtered.rowCount() - 1);
            say(u"AFTER filter %1, sort %2: %L3 rows, middle page %4, last page %5; count + "
                "anchors %6"_s.arg(name)
                    .arg(sort.column == TaskSortColumn::Started ? u"started"_s : u"repository"_s)
                    .arg(filtered.rowCount())
                    .arg(ms(mid), ms(last), ms(ready)));
        }
    }

    // The text filter, ten pages spread over it. BEFORE: the page read from its anchor, which
    // tests the text on each task again up to the page's last row (what the model did before
    // it kept the walk's row ids); AFTER: the same page by those row ids, on the store and
    // through the model.
    {
        QString error;
        const std::unique_ptr<RecordStore> store = openStore(path, &error);
        if (!store)
            return 1;
        const qint64 matching = store->taskCount(text);
        TaskPageRequest walk;
        walk.limit = RunsLoader::anchorChunkRows;
        walk.followSortIndex = matching * RunsLoader::followShare >= store->taskCount({});
        QList<TaskKey> anchors;
        QList<qint64> rowids;
        timer.restart();
        for (;;) {
            walk.from = anchors.isEmpty() ? std::nullopt : std::optional(anchors.constLast());
            QList<TaskKey> chunk = store->taskAnchors(text, walk, RunsModel::pageSize, &rowids);
            const bool more = chunk.size() == RunsLoader::anchorChunkRows / RunsModel::pageSize + 1;
            if (!anchors.isEmpty() && !chunk.isEmpty())
                chunk.removeFirst();
            anchors += chunk;
            if (!more)
                break;
        }
        const qint64 walked = timer.nsecsElapsed();
        RunsModel textModel;
        textModel.setFilter(text);
        textModel.setDatabasePath(path);
        if (!settle(textModel))
            return 1;
        qint64 worstBefore = 0, worstStore = 0, worstModel = 0, sumBefore = 0, sumStore = 0,
               sumModel = 0;
        const qsizetype pages = anchors.size();
        for (int i = 0; i < 10; ++i) {
            const qsizetype page = (pages - 1) * i / 9; // the first to the last
            TaskPageRequest read;
            read.followSortIndex = walk.followSortIndex;
            read.limit = RunsModel::pageSize;
            if (page > 0)
                read.from = anchors.at(page);
            timer.restart();
            store->taskPage(text, read);
            const qint64 before = timer.nsecsElapsed();
            timer.restart();
            store->taskRowsOf(rowids.mid(page * RunsModel::pageSize, RunsModel::pageSize));
            const qint64 byRowid = timer.nsecsElapsed();
            const qint64 viaModel = timePage(textModel, int(page) * RunsModel::pageSize);
            worstBefore = std::max(worstBefore, before);
            worstStore = std::max(worstStore, byRowid);
            worstModel = std::max(worstModel, viaModel);
            sumBefore += before;
            sumStore += byRowid;
            sumModel += viaModel;
        }
        say(u"text filter %1 (%L2 rows, %3 pages, walk %4): BEFORE (anchored page) mean %5 worst "
            "%6; AFTER (row ids) store mean %7 worst %8, model mean %9 worst %10"_s.arg(text.text)
                .arg(matching)
                .arg(pages)
                .arg(ms(walked), ms(sumBefore / 10), ms(worstBefore), ms(sumStore / 10),
                     ms(worstStore), ms(sumModel / 10), ms(worstModel)));
    }

    // A filter change while a million rows are still being counted: how soon the worker is
    // free for the new filter (the old count is interrupted, not run to its end).
    {
        RunsModel switching;
        switching.setFilter(text);
        switching.setDatabasePath(path);
        // The count is under way before the filter changes.
        if (!QTest::qWaitFor([&switching] { return switching.isCounting(); }, 10000)) {
            say(u"the count never started"_s);
            return 1;
        }
        timer.restart();
        switching.setFilter(failed);
        if (!settle(switching))
            return 1;
        say(u"AFTER filter changed during a count: new count and anchors in %1"_s.arg(
            ms(timer.nsecsElapsed())));
    }

    {
        QString error;
        const std::unique_ptr<RecordStore> store = openStore(path, &error);
        model.setStore(store.get());
        if (!settle(model))
            return 1;
        // Found on the worker, the row's page read on the way: from the ask to the answer.
        int row = -2;
        const QMetaObject::Connection located = QObject::connect(
            &model, &RunsModel::taskLocated, [&row](const QString &, int at) { row = at; });
        timer.restart();
        model.locateTask(task(count / 3).id);
        if (!QTest::qWaitFor([&row] { return row != -2; }, 60'000))
            return 1;
        QObject::disconnect(located);
        say(u"locateTask deep in the table (row %L1): %2"_s.arg(row).arg(ms(timer.nsecsElapsed())));
        for (const TaskFacet facet :
             {TaskFacet::State, TaskFacet::Repository, TaskFacet::IdentityKind, TaskFacet::Policy,
              TaskFacet::Campaign}) {
            timer.restart();
            const qsizetype values = store->facetValues(facet).size();
            say(u"facet %1: %2 values in %3"_s.arg(int(facet))
                    .arg(values)
                    .arg(ms(timer.nsecsElapsed())));
        }
        model.setStore(nullptr);
    }

    // Every page once, top to bottom, as a long scroll does.
    model.setDatabasePath(path);
    if (!settle(model))
        return 1;
    timer.restart();
    const int pages = (model.rowCount() + RunsModel::pageSize - 1) / RunsModel::pageSize;
    for (int page = 0; page < pages; page += 16)
        if (timePage(model, page * RunsModel::pageSize) < 0)
            return 1;
    say(u"read every 16th page (%L1 pages) in %2; peak cache %3 pages (limit %4), now %5"_s
            .arg(pages / 16 + 1)
            .arg(ms(timer.nsecsElapsed()))
            .arg(model.peakCachedPageCount())
            .arg(model.maxCachedPages())
            .arg(model.cachedPageCount()));
    return 0;
}
