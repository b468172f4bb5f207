// The Overview tab on the demo data: every bar of every chart counts what an independent SQL
// count of the same rows gives (read from the SQLite file with QSqlQuery), the store's
// overview gives the same counts on SQLite and PostgreSQL, each count is what the filter a bar
// opens selects, and clicking a bar in the app shows exactly that many runs or findings.
#include "backends.h"
#include "clirun.h"
#include "demo/demogenerator.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "ingest/ingestor.h"
#include "mainwindow.h"
#include "openwait.h"
#include "overviewview.h"
#include "policy/storedspecs.h"
#include "runsmodel.h"
#include "settings.h"
#include "store/recordstore.h"

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTest>
#include <QTimeZone>

#include <variant>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr double demoScale = 0.2;

using Opened = std::variant<TaskFilter, FindingFilter>;

// A bar of a chart: its set's label, its category and its height.
struct Bar
{
    QBarSet *set = nullptr;
    int index = 0;
    QString category;
    qint64 value = 0;
};

QList<Bar> barsOf(const QChartView *view)
{
    QList<Bar> bars;
    for (QAbstractSeries *series : view->chart()->series()) {
        auto *barSeries = qobject_cast<QAbstractBarSeries *>(series);
        if (!barSeries)
            continue;
        const auto axes = view->chart()->axes();
        QStringList categories;
        for (QAbstractAxis *axis : axes)
            if (auto *c = qobject_cast<QBarCategoryAxis *>(axis))
                categories = c->categories();
        for (QBarSet *set : barSeries->barSets())
            for (int i = 0; i < set->count(); ++i)
                if (set->at(i) > 0)
                    bars << Bar{set, i, categories.value(i), qint64(set->at(i))};
    }
    return bars;
}

QStringList lines(const OverviewData &o)
{
    QStringList out{o.first.toString(Qt::ISODate) + u' ' + o.last.toString(Qt::ISODate)};
    const auto add = [&out](const char *chart, const QList<OverviewCount> &counts) {
        for (const OverviewCount &c : counts)
            out << u"%1 %2 %3 %4"_s
                       .arg(QLatin1StringView(chart), c.day.toString(Qt::ISODate), c.key)
                       .arg(c.count);
    };
    add("runs", o.runs);
    add("prs", o.pullRequests);
    add("severity", o.findingsBySeverity);
    add("rule", o.findingsByRule);
    for (const ReviewLoadEntry &e : o.reviewLoad)
        out << u"review %1 %2 %3@%4 %5"_s
                   .arg(e.team, e.day.toString(Qt::ISODate), e.templateId, e.templateVersion)
                   .arg(e.pullRequests);
    for (const CampaignStateCount &c : o.campaigns)
        out << u"campaign %1 %2 %3 %4"_s.arg(c.campaignId, c.title, c.state).arg(c.count);
    return out;
}

} // namespace

class TestOverview final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void storeCountsAreWhatTheirFiltersSelect_data() { Backends::addBackendRows(); }
    void storeCountsAreWhatTheirFiltersSelect();
    void backendsGiveTheSameOverview();
    void rangeLimitsTheDays_data() { Backends::addBackendRows(); }
    void rangeLimitsTheDays();
    void chartBarsAreSqlCounts_data();
    void chartBarsAreSqlCounts();
    void reviewLoadShowsTheTemplateCapacity();
    void cliPrintsTheSameCounts();
    void anImportIsCountedAgain();
    void clickingABarOpensExactlyThoseRows_data();
    void clickingABarOpensExactlyThoseRows();

private:
    void ingest(RecordStore &store);
    RecordStore *store(const QString &backend)
    {
        return backend == u"postgresql" ? m_pgStore.get() : m_store.get();
    }
    qint64 sqlCount(const QString &sql, const QVariantList &values = {});
    qint64 countOf(RecordStore &store, const Opened &opened);
    qint64 sqlCountOf(const Opened &opened, const QString &label);
    // Waits for a fresh view on the demo file to count.
    std::unique_ptr<OverviewView> loadedView();

    QTemporaryDir m_dir;
    QString m_dbPath;
    std::unique_ptr<RecordStore> m_store;
    Backends::Fixture m_backends;
    std::unique_ptr<RecordStore> m_pgStore;
    QSqlDatabase m_sql;
};

void TestOverview::ingest(RecordStore &store)
{
    Ingestor ingestor(store);
    QVERIFY2(ingestor.ingest({m_dir.filePath(u"demo"_s)}), qPrintable(ingestor.errorString()));
    QString error;
    CheckCounts counts;
    QVERIFY2(checkAfterIngest(store, ingestor.touchedTaskIds(), ingestor.newPolicyDocuments(),
                              &counts, &error),
             qPrintable(error));
    QVERIFY(counts.findings > 0);
}

void TestOverview::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    DemoGenerator generator;
    QVERIFY2(generator.generate({m_dir.filePath(u"demo"_s), demoScale}, &error), qPrintable(error));
    m_dbPath = m_dir.filePath(u"demo.db"_s);
    m_store = openStore(m_dbPath, &error);
    QVERIFY2(m_store, qPrintable(error));
    ingest(*m_store);
    QVERIFY2(m_backends.start(&error), qPrintable(error));
    m_pgStore = openStore(m_backends.fresh(u"postgresql"_s), &error);
    QVERIFY2(m_pgStore, qPrintable(error));
    ingest(*m_pgStore);

    m_sql = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"overview"_s);
    m_sql.setDatabaseName(m_dbPath);
    m_sql.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
    QVERIFY2(m_sql.open(), qPrintable(m_sql.lastError().text()));
}

qint64 TestOverview::sqlCount(const QString &sql, const QVariantList &values)
{
    QSqlQuery q(m_sql);
    if (!q.prepare(sql))
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    return q.value(0).toLongLong();
}

qint64 TestOverview::countOf(RecordStore &store, const Opened &opened)
{
    if (const auto *runs = std::get_if<TaskFilter>(&opened))
        return store.taskCount(*runs);
    FindingFilter f = std::get<FindingFilter>(opened);
    f.limit = 1000000;
    return store.findings(f).size();
}

// Each count of the store's overview is the number of rows its bar's filter selects, on
// either backend, and together they count every run and finding of the span.
void TestOverview::storeCountsAreWhatTheirFiltersSelect()
{
    QFETCH(QString, backend);
    RecordStore &s = *store(backend);
    const std::optional<OverviewData> o = s.overview({});
    QVERIFY2(o, qPrintable(s.errorString()));
    QVERIFY(o->first.isValid() && o->first < o->last);
    const auto dayRange = [](QDate day) {
        return std::pair{QDateTime(day, QTime(0, 0), QTimeZone::utc()),
                         QDateTime(day.addDays(1), QTime(0, 0), QTimeZone::utc())};
    };
    qint64 runs = 0;
    for (const OverviewCount &c : o->runs) {
        TaskFilter f;
        f.state = c.key;
        std::tie(f.from, f.to) = dayRange(c.day);
        QCOMPARE(countOf(s, f), c.count);
        runs += c.count;
    }
    QCOMPARE(runs, s.taskCount({}));
    QSet<QString> kinds;
    for (const OverviewCount &c : o->pullRequests) {
        TaskFilter f;
        f.pullRequest = c.key;
        std::tie(f.pullRequestFrom, f.pullRequestTo) = dayRange(c.day);
        QCOMPARE(countOf(s, f), c.count);
        kinds.insert(c.key);
    }
    QCOMPARE(kinds, (QSet<QString>{u"opened"_s, u"merged"_s, u"awaiting_review"_s}));
    QVERIFY(!o->reviewLoad.isEmpty());
    for (const ReviewLoadEntry &e : o->reviewLoad) {
        TaskFilter f;
        f.reviewTeam = e.team;
        std::tie(f.pullRequestFrom, f.pullRequestTo) = dayRange(e.day);
        // One template per team and day in the demo: the whole day's count.
        qint64 day = 0;
        for (const ReviewLoadEntry &other : o->reviewLoad)
            if (other.team == e.team && other.day == e.day)
                day += other.pullRequests;
        QCOMPARE(countOf(s, f), day);
    }
    qint64 findings = 0;
    for (const OverviewCount &c : o->findingsBySeverity) {
        FindingFilter f;
        f.severity = severityFromString(c.key);
        std::tie(f.from, f.until) = dayRange(c.day);
        QCOMPARE(countOf(s, f), c.count);
        findings += c.count;
    }
    FindingFilter all;
    QCOMPARE(findings, countOf(s, all));
    for (const OverviewCount &c : o->findingsByRule) {
        FindingFilter f;
        f.rule = c.key;
        std::tie(f.from, f.until) = dayRange(c.day);
        QCOMPARE(countOf(s, f), c.count);
    }
    QVERIFY(!o->campaigns.isEmpty());
    for (const CampaignStateCount &c : o->campaigns) {
        TaskFilter f;
        f.campaignId = c.campaignId;
        f.state = c.state;
        QCOMPARE(countOf(s, f), c.count);
    }
}

void TestOverview::backendsGiveTheSameOverview()
{
    const auto sqlite = m_store->overview({});
    const auto pg = m_pgStore->overview({});
    QVERIFY2(sqlite, qPrintable(m_store->errorString()));
    QVERIFY2(pg, qPrintable(m_pgStore->errorString()));
    QCOMPARE(lines(*pg), lines(*sqlite));
}

// A range counts only its days, on both backends alike; an empty database has no span.
void TestOverview::rangeLimitsTheDays()
{
    QFETCH(QString, backend);
    RecordStore &s = *store(backend);
    const auto whole = s.overview({});
    QVERIFY(whole);
    const QDate first = whole->runs.at(whole->runs.size() / 2).day;
    const QDate last = first.addDays(6);
    const auto week = s.overview({first, last});
    QVERIFY(week);
    QCOMPARE(week->first, first);
    QCOMPARE(week->last, last);
    QList<OverviewCount> expected;
    for (const OverviewCount &c : whole->runs)
        if (c.day >= first && c.day <= last)
            expected << c;
    QVERIFY(!expected.isEmpty());
    QCOMPARE(week->runs, expected);
    for (const OverviewCount &c : week->findingsByRule)
        QVERIFY(c.day >= first && c.day <= last);

    QString error;
    const auto empty = openStore(m_backends.fresh(backend), &error);
    QVERIFY2(empty, qPrintable(error));
    const auto nothing = empty->overview({});
    QVERIFY2(nothing, qPrintable(empty->errorString()));
    QVERIFY(!nothing->first.isValid());
    QVERIFY(nothing->runs.isEmpty() && nothing->campaigns.isEmpty());
}

std::unique_ptr<OverviewView> TestOverview::loadedView()
{
    auto view = std::make_unique<OverviewView>();
    QSignalSpy loaded(view.get(), &OverviewView::loaded);
    view->setStore(m_store.get());
    if (!loaded.wait(30000) && loaded.isEmpty())
        return {};
    return view;
}

void TestOverview::chartBarsAreSqlCounts_data()
{
    QTest::addColumn<QString>("chart");
    QTest::addColumn<QString>("total"); // SQL counting every row the chart's bars count
    const QString task = u"FROM task t JOIN pull_request p ON p.repo = t.repo AND p.number = "
                         "t.pr_number "_s;
    QTest::newRow("runs by state")
        << QString::fromLatin1(OverviewView::runsChart) << u"SELECT count(*) FROM task"_s;
    QTest::newRow("pull requests")
        << QString::fromLatin1(OverviewView::pullRequestsChart)
        << u"SELECT (SELECT count(*) "_s + task + u") + (SELECT count(*) "_s + task +
               u"WHERE p.merged_at IS NOT NULL) + (SELECT count(*) "_s + task +
               u"WHERE p.state = 'open' AND p.merged_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
               "review r WHERE r.repo = p.repo AND r.pr_number = p.number))"_s;
    QTest::newRow("reviewer load")
        << QString::fromLatin1(OverviewView::reviewLoadChart)
        << u"SELECT count(*) "_s + task + u", json_each(p.requested_teams)"_s;
    QTest::newRow("findings by severity")
        << QString::fromLatin1(OverviewView::severityChart) << u"SELECT count(*) FROM finding"_s;
    QTest::newRow("findings by rule")
        << QString::fromLatin1(OverviewView::ruleChart) << u"SELECT count(*) FROM finding"_s;
    QTest::newRow("campaigns") << QString::fromLatin1(OverviewView::campaignsChart)
                               << u"SELECT count(*) FROM task WHERE campaign_id IS NOT NULL"_s;
}

// Every bar's height is an SQL count written here of the rows the bar stands for (its days and
// key read from the filter its click opens), which the store's filter selects too; the bars
// together (of every reviewer team) count every row.
void TestOverview::chartBarsAreSqlCounts()
{
    QFETCH(QString, chart);
    QFETCH(QString, total);
    const auto view = loadedView();
    QVERIFY(view);
    const auto *chartView = view->findChild<QChartView *>(chart);
    QVERIFY(chartView);
    auto *teams = view->findChild<QComboBox *>(u"reviewTeam"_s);
    QVERIFY(teams && teams->count() > 0);
    const bool byTeam = chart == QLatin1StringView(OverviewView::reviewLoadChart);
    QSignalSpy runs(view.get(), &OverviewView::runsRequested);
    QSignalSpy findings(view.get(), &OverviewView::findingsRequested);
    qint64 sum = 0;
    for (int team = 0; team < (byTeam ? teams->count() : 1); ++team) {
        teams->setCurrentIndex(team);
        const QList<Bar> bars = barsOf(chartView);
        QVERIFY(!bars.isEmpty());
        for (const Bar &bar : bars) {
            Q_EMIT bar.set->clicked(bar.index);
            QCOMPARE(runs.size() + findings.size(), 1);
            const Opened opened = !runs.isEmpty()
                                      ? Opened(runs.takeFirst().at(0).value<TaskFilter>())
                                      : Opened(findings.takeFirst().at(0).value<FindingFilter>());
            QCOMPARE(sqlCountOf(opened, bar.category), bar.value);
            QCOMPARE(countOf(*m_store, opened), bar.value);
            sum += bar.value;
        }
    }
    QCOMPARE(sum, sqlCount(total));
}

// The rows a bar's filter stands for, counted in SQL written here; its first day is the bar's
// label.
qint64 TestOverview::sqlCountOf(const Opened &opened, const QString &label)
{
    const auto days = [&label](const QDateTime &from, const QDateTime &to) {
        const QDate first = from.toUTC().date();
        if (from.toUTC().time() != QTime(0, 0) || to.toUTC().time() != QTime(0, 0) ||
            first.toString(u"MM-dd"_s) != label || to <= from)
            qFatal("a bar labelled %s opens %s .. %s", qPrintable(label),
                   qPrintable(from.toString(Qt::ISODate)), qPrintable(to.toString(Qt::ISODate)));
        return QVariantList{first.toString(Qt::ISODate), to.toUTC().date().toString(Qt::ISODate)};
    };
    const QString taskDay = u"date(coalesce(t.started_at, t.created_at) / 1000, 'unixepoch')"_s;
    if (const auto *f = std::get_if<FindingFilter>(&opened)) {
        const QString sql = u"SELECT count(*) FROM finding f JOIN task t ON t.id = f.task_id "
                            "WHERE "_s +
                            taskDay + u" >= ? AND "_s + taskDay + u" < ? AND "_s;
        return f->severity ? sqlCount(sql + u"f.severity = ?"_s, days(f->from, f->until)
                                                                     << int(*f->severity))
                           : sqlCount(sql + u"f.rule = ?"_s, days(f->from, f->until) << f->rule);
    }
    const TaskFilter &f = std::get<TaskFilter>(opened);
    if (!f.campaignId.isEmpty())
        return sqlCount(u"SELECT count(*) FROM task WHERE campaign_id = ? AND "
                        "coalesce(state, 'unknown') = ?"_s,
                        {f.campaignId, f.state});
    if (!f.state.isEmpty())
        return sqlCount(u"SELECT count(*) FROM task t WHERE coalesce(t.state, 'unknown') = ? "
                        "AND "_s +
                            taskDay + u" >= ? AND "_s + taskDay + u" < ?"_s,
                        QVariantList{f.state} << days(f.from, f.to));
    const QString day = u"date(%1 / 1000, 'unixepoch')"_s.arg(
        f.pullRequest == u"merged" ? u"p.merged_at"_s : u"p.created_at"_s);
    QString sql = u"SELECT count(*) FROM task t JOIN pull_request p ON p.repo = t.repo AND "
                  "p.number = t.pr_number "_s;
    QVariantList values;
    if (!f.reviewTeam.isEmpty()) {
        sql += u", json_each(p.requested_teams) j WHERE j.value = ? AND "_s;
        values << f.reviewTeam;
    } else {
        sql += u"WHERE "_s;
    }
    if (f.pullRequest == u"awaiting_review")
        sql += u"p.state = 'open' AND p.merged_at IS NULL AND (SELECT count(*) FROM review r "
               "WHERE r.repo = p.repo AND r.pr_number = p.number) = 0 AND "_s;
    return sqlCount(sql + day + u" >= ? AND "_s + day + u" < ?"_s,
                    values << days(f.pullRequestFrom, f.pullRequestTo));
}

// Each team's load is drawn against the reviews_per_day of the template its runs came from:
// 8 in every demo template that sets one.
void TestOverview::reviewLoadShowsTheTemplateCapacity()
{
    const auto view = loadedView();
    QVERIFY(view);
    const auto *chartView =
        view->findChild<QChartView *>(QString::fromLatin1(OverviewView::reviewLoadChart));
    auto *teams = view->findChild<QComboBox *>(u"reviewTeam"_s);
    QVERIFY(chartView && teams);
    QCOMPARE(teams->count(),
             int(sqlCount(u"SELECT count(DISTINCT j.value) FROM task t JOIN pull_request p ON "
                          "p.repo = t.repo AND p.number = t.pr_number, "
                          "json_each(p.requested_teams) j"_s)));
    QVERIFY(sqlCount(u"SELECT count(*) FROM policy_document WHERE kind = 'template' AND text "
                     "LIKE '%reviews_per_day = 8%'"_s) > 0);
    int withCapacity = 0;
    for (int team = 0; team < teams->count(); ++team) {
        teams->setCurrentIndex(team);
        QVERIFY(chartView->chart()->title().contains(teams->currentText()));
        for (QAbstractSeries *s : chartView->chart()->series()) {
            const auto *line = qobject_cast<QLineSeries *>(s);
            if (!line)
                continue;
            ++withCapacity;
            QVERIFY(line->count() > 0);
            for (const QPointF &p : line->points())
                QCOMPARE(p.y(), 8.0);
        }
    }
    QVERIFY(withCapacity > 0);
}

// `tasktrail-cli overview` prints the store's counts, the same from the file and from the team
// database; a day it cannot read stops it.
void TestOverview::cliPrintsTheSameCounts()
{
    using Tasktrail::CliRun::cli;
    const auto file = cli({u"overview"_s, u"--db"_s, m_dbPath, u"--format"_s, u"json"_s});
    QCOMPARE(file.exitCode, 0);
    const auto team =
        cli({u"overview"_s, u"--db"_s, m_pgStore->location(), u"--format"_s, u"json"_s});
    QCOMPARE(team.exitCode, 0);
    QCOMPARE(team.out, file.out);
    const QJsonObject o = QJsonDocument::fromJson(file.out.toUtf8()).object();
    const auto whole = m_store->overview({});
    QVERIFY(whole);
    QCOMPARE(o.value("first"_L1).toString(), whole->first.toString(Qt::ISODate));
    qint64 runs = 0;
    for (const QJsonValue &v : o.value("runs"_L1).toArray())
        runs += v.toObject().value("count"_L1).toInteger();
    QCOMPARE(runs, m_store->taskCount({}));
    qint64 reviewed = 0;
    qint64 expected = 0;
    for (const QJsonValue &v : o.value("review_load"_L1).toArray())
        reviewed += v.toObject().value("pull_requests"_L1).toInteger();
    for (const ReviewLoadEntry &e : whole->reviewLoad)
        expected += e.pullRequests;
    QVERIFY(expected > 0);
    QCOMPARE(reviewed, expected);
    const auto bad = cli({u"overview"_s, u"--db"_s, m_dbPath, u"--from"_s, u"2026-13-01"_s,
                          u"--to"_s, u"2026-12-01"_s});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(u"--from must be a day (YYYY-MM-DD), not '2026-13-01'"_s),
             qPrintable(bad.err));
}

// The Overview on screen counts again after File > Import: a run of a new day appears.
void TestOverview::anImportIsCountedAgain()
{
    const QString db = m_dir.filePath(u"import.db"_s);
    const QString first = m_dir.filePath(u"first.jsonl"_s);
    const QString second = m_dir.filePath(u"second.jsonl"_s);
    const auto write = [](const QString &path, const char *day) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(QByteArray(R"({"tasktrail":1,"kind":"task","id":"T-)") + day +
                R"(","repo":"acme/widgets","state":"failed","started_at":")" + day +
                "T09:00:00Z\"}\n");
        return true;
    };
    QVERIFY(write(first, "2026-05-01") && write(second, "2026-05-03"));
    {
        QString error;
        auto store = openStore(db, &error);
        QVERIFY2(store, qPrintable(error));
        Ingestor ingestor(*store);
        QVERIFY2(ingestor.ingest({first}), qPrintable(ingestor.errorString()));
    }
    MainWindow window(std::make_unique<Settings>(m_dir.filePath(u"import.ini"_s)));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, db));
    auto *overview = window.findChild<OverviewView *>();
    window.findChild<QTabWidget *>(u"viewTabs"_s)->setCurrentWidget(overview);
    QTRY_COMPARE(overview->data().runs,
                 (QList<OverviewCount>{{QDate(2026, 5, 1), u"failed"_s, 1}}));
    QVERIFY(window.importFiles({second}));
    QTRY_COMPARE_WITH_TIMEOUT(overview->data().runs,
                              (QList<OverviewCount>{{QDate(2026, 5, 1), u"failed"_s, 1},
                                                    {QDate(2026, 5, 3), u"failed"_s, 1}}),
                              30000);
    QCOMPARE(overview->data().last, QDate(2026, 5, 3));
}

void TestOverview::clickingABarOpensExactlyThoseRows_data()
{
    QTest::addColumn<QString>("chart");
    QTest::addColumn<bool>("findings");
    QTest::newRow("runs") << QString::fromLatin1(OverviewView::runsChart) << false;
    QTest::newRow("pull requests") << QString::fromLatin1(OverviewView::pullRequestsChart) << false;
    QTest::newRow("reviewer load") << QString::fromLatin1(OverviewView::reviewLoadChart) << false;
    QTest::newRow("campaigns") << QString::fromLatin1(OverviewView::campaignsChart) << false;
    QTest::newRow("severity") << QString::fromLatin1(OverviewView::severityChart) << true;
    QTest::newRow("rule") << QString::fromLatin1(OverviewView::ruleChart) << true;
}

// In the app: the tallest bar of a chart opens the Runs or Findings tab holding exactly the
// bar's rows.
void TestOverview::clickingABarOpensExactlyThoseRows()
{
    QFETCH(QString, chart);
    QFETCH(bool, findings);
    MainWindow window(std::make_unique<Settings>(m_dir.filePath(u"settings.ini"_s)));
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, m_dbPath));
    auto *tabs = window.findChild<QTabWidget *>(u"viewTabs"_s);
    auto *overview = window.findChild<OverviewView *>();
    QVERIFY(tabs && overview);
    QCOMPARE(tabs->indexOf(overview), 0);
    tabs->setCurrentWidget(overview);
    QTRY_VERIFY_WITH_TIMEOUT(!overview->isLoading() && overview->data().first.isValid(), 30000);

    QList<Bar> bars = barsOf(overview->findChild<QChartView *>(chart));
    QVERIFY(!bars.isEmpty());
    const Bar tallest = *std::max_element(
        bars.cbegin(), bars.cend(), [](const Bar &a, const Bar &b) { return a.value < b.value; });
    Q_EMIT tallest.set->clicked(tallest.index);
    if (findings) {
        auto *view = window.findChild<FindingsView *>();
        QCOMPARE(tabs->currentWidget(), view);
        QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && !view->model()->hasMore() &&
                                     view->model()->rowCount() == tallest.value,
                                 30000);
    } else {
        QCOMPARE(tabs->currentIndex(), 1);
        RunsModel *model = window.runsModel();
        QVERIFY(tallest.value != m_store->taskCount({}));
        QTRY_VERIFY_WITH_TIMEOUT(!model->isCounting() && model->totalCount() == tallest.value,
                                 30000);
    }
}

QTEST_MAIN(TestOverview)
#include "tst_overview.moc"
