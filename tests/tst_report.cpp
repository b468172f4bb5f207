// Reports on the seeded demo: golden files for CSV, Markdown and JSON, the --filter language,
// streaming with progress and cancellation, and `tasktrail-cli report`.
//
// Regenerating the goldens (tests/data/reports/) after an intended change:
//   TASKTRAIL_UPDATE_GOLDENS=1 ctest --test-dir build/dev -R tst_report$
// then review the diff with git.
#include "report/csvreportwriter.h"
#include "report/reportformat.h"
#include "report/reportrunner.h"
#include "reportfixture.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

const QString goldenDir = QStringLiteral(TASKTRAIL_TEST_DATA "/reports");
const QStringList csvTables{u"summary"_s,     u"skip-reasons"_s, u"findings-by-rule"_s,
                            u"review-load"_s, u"repos"_s,        u"skips"_s,
                            u"tasks"_s,       u"findings"_s,     u"chains"_s};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// What differs between two ingests of the same files: the evidence head (the chain records
// when things were stored) and when each task was checked.
QByteArray normalized(QByteArray bytes, const QByteArray &head)
{
    bytes.replace(head, "<evidence-head>");
    static const QRegularExpression checkedAt(u"\"checked_at\":\"[^\"]*\""_s);
    return QString::fromUtf8(bytes).replace(checkedAt, u"\"checked_at\":\"<time>\""_s).toUtf8();
}

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(TASKTRAIL_CLI), args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestReport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void goldenFiles_data();
    void goldenFiles();
    void aggregatesMatchTheRows();
    void filterExpressions_data();
    void filterExpressions();
    void filterErrorsNameTheTerm_data();
    void filterErrorsNameTheTerm();
    void progressAndCancellation();
    void csvFileNames();
    void cliWritesEveryCsvTable();
    void cliRejectsBadFilters();
    void triageStatesInEveryFormat();

private:
    std::unique_ptr<RecordStore> open();
    QTemporaryDir m_dir;
    QString m_db;
    QString m_campaign;
};

std::unique_ptr<RecordStore> TestReport::open()
{
    QString error;
    auto store = openStore(m_db, &error);
    if (!store)
        qWarning("%s", qPrintable(error));
    return store;
}

void TestReport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString error = ReportTest::buildDemoStore(m_dir.path());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_db = m_dir.filePath(u"demo.db"_s);
    auto store = open();
    QVERIFY(store);
    const QStringList campaigns = store->campaignIds();
    QVERIFY(!campaigns.isEmpty());
    m_campaign = campaigns.constFirst();
}

void TestReport::goldenFiles_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("appendix");
    QTest::newRow("campaign csv") << u"campaign"_s << u"campaign=cmp-0001"_s << u"csv"_s << true;
    QTest::newRow("campaign md") << u"campaign"_s << u"campaign=cmp-0001"_s << u"md"_s << true;
    QTest::newRow("campaign json, no appendix")
        << u"campaign"_s << u"campaign=cmp-0001"_s << u"json"_s << false;
    QTest::newRow("failed md") << u"failed"_s << u"state=failed"_s << u"md"_s << true;
    QTest::newRow("range json") << u"range"_s << u"from=2026-03-01 until=2026-10-31"_s << u"json"_s
                                << true;
}

void TestReport::goldenFiles()
{
    QFETCH(QString, name);
    QFETCH(QString, filter);
    QFETCH(QString, format);
    QFETCH(bool, appendix);
    QString error;
    const auto parsed = parseFilterExpression(filter, &error);
    QVERIFY2(parsed, qPrintable(error));
    ReportQuery query;
    query.filter = *parsed;
    query.appendix = appendix;
    query.generatedAt = QDateTime(QDate(2026, 12, 1), QTime(9, 0), Qt::UTC); // injected
    auto store = open();
    QVERIFY(store);
    const QByteArray head = store->evidenceHead();
    QVERIFY(!head.isEmpty());
    QTemporaryDir out;
    const QString path = out.filePath(name % u'.' % format);
    const auto fmt = reportFormatFromString(format);
    QVERIFY(fmt);
    auto writer = createReportWriter(*fmt, path);
    ReportRunner runner(*store);
    runner.setPageSize(7); // several pages even for the small demo
    QVERIFY2(runner.run(query, *writer), qPrintable(runner.errorString()));

    QStringList files;
    if (*fmt == ReportFormat::Csv) {
        for (const QString &t : csvTables)
            files << CsvReportWriter::tablePath(path, t);
    } else {
        files << path;
    }
    const bool update = qEnvironmentVariableIsSet("TASKTRAIL_UPDATE_GOLDENS");
    for (const QString &file : std::as_const(files)) {
        const QByteArray actual = readAll(file);
        QVERIFY2(!actual.isEmpty(), qPrintable(file));
        // The head is the store's, in the report itself.
        if (!file.endsWith(u"tasks.csv"_s) && !file.endsWith(u"findings.csv"_s) &&
            !file.endsWith(u"-skips.csv"_s) && !file.endsWith(u"repos.csv"_s) &&
            !file.contains(u"-skip-"_s) && !file.contains(u"-review-"_s) &&
            !file.contains(u"-findings-"_s) && !file.endsWith(u"-chains.csv"_s))
            QVERIFY2(actual.contains(head), qPrintable(file));
        const QString golden = goldenDir % u'/' % QFileInfo(file).fileName();
        if (update) {
            QFile g(golden);
            QVERIFY(g.open(QIODevice::WriteOnly));
            g.write(normalized(actual, head));
            continue;
        }
        const QByteArray expected = readAll(golden);
        QVERIFY2(!expected.isEmpty(), qPrintable(u"no golden "_s % golden));
        const QByteArray got = normalized(actual, head);
        if (got != expected) {
            const QList<QByteArray> a = got.split('\n');
            const QList<QByteArray> e = expected.split('\n');
            for (qsizetype i = 0; i < qMax(a.size(), e.size()); ++i) {
                if (a.value(i) != e.value(i))
                    QFAIL(qPrintable(u"%1 line %2:\n  got      %3\n  expected %4"_s.arg(
                        golden, QString::number(i + 1), QString::fromUtf8(a.value(i)),
                        QString::fromUtf8(e.value(i)))));
            }
        }
    }
}

void TestReport::aggregatesMatchTheRows()
{
    // The SQL aggregates say what counting the streamed rows says.
    auto store = open();
    QVERIFY(store);
    TaskFilter filter;
    filter.campaignId = m_campaign;
    const auto a = store->reportAggregates(filter);
    QVERIFY(a);
    const QList<ReportTaskRow> rows = store->reportTasks(filter, 0, 100000);
    QCOMPARE(qint64(rows.size()), a->tasks);
    QCOMPARE(store->taskCount(filter), a->tasks);
    qint64 completed = 0, merged = 0, retries = 0, findings = 0;
    for (const ReportTaskRow &r : rows) {
        completed += r.state == TaskState::Completed;
        merged += r.prOutcome == u"merged";
        retries += r.retries;
        findings += r.findings;
    }
    QCOMPARE(a->tasksByState.value(u"completed"_s), completed);
    QCOMPARE(a->prsMerged, merged);
    QCOMPARE(a->retries, retries);
    qint64 bySeverity = 0;
    for (const qint64 n : a->findingsBySeverity)
        bySeverity += n;
    QCOMPARE(bySeverity, findings);
    QVERIFY(findings > 0);
    const auto summary = store->campaign(m_campaign);
    QVERIFY(summary);
    QCOMPARE(a->skippedRepos, qint64(summary->skipped));
    QVERIFY(a->skippedRepos > 0);
    QVERIFY(a->medianToPrMs && *a->medianToPrMs > 0);
    QVERIFY(!a->reviewLoad.isEmpty());

    // A filter on a state other than skipped selects no skips.
    filter.state = u"failed"_s;
    const auto failed = store->reportAggregates(filter);
    QVERIFY(failed);
    QCOMPARE(failed->skippedRepos, 0);
    QCOMPARE(failed->tasks, failed->tasksByState.value(u"failed"_s));
}

void TestReport::filterExpressions_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<TaskFilter>("expected");
    TaskFilter f;
    f.state = u"failed"_s;
    f.repo = u"acme/web"_s;
    f.policyId = u"deps-fanout"_s;
    f.text = u"bump \"lodash\" now"_s;
    QTest::newRow("several terms, quoted text")
        << uR"(state=failed repo=acme/web policy=deps-fanout text="bump \"lodash\" now")"_s << f;
    TaskFilter range;
    range.from = QDateTime(QDate(2026, 6, 1), QTime(0, 0), Qt::UTC);
    range.to = QDateTime(QDate(2026, 7, 1), QTime(0, 0), Qt::UTC);
    QTest::newRow("until a date includes the day")
        << u"since=2026-06-01 until=2026-06-30"_s << range;
    TaskFilter kind;
    kind.identityKind = u"fine_grained_pat"_s;
    kind.campaignId = u"cmp 7"_s;
    QTest::newRow("kind and campaign")
        << u"  kind=fine_grained_pat   campaign=\"cmp 7\" "_s << kind;
    TaskFilter pr;
    pr.pullRequest = u"merged"_s;
    pr.pullRequestFrom = QDateTime(QDate(2026, 6, 1), QTime(0, 0), Qt::UTC);
    pr.pullRequestTo = QDateTime(QDate(2026, 6, 2), QTime(0, 0), Qt::UTC);
    pr.reviewTeam = u"acme/platform"_s;
    QTest::newRow("pull-request terms (the Overview's)")
        << u"pr=merged pr_from=2026-06-01 pr_to=2026-06-01 review_team=acme/platform"_s << pr;
    QTest::newRow("empty") << QString() << TaskFilter();
}

void TestReport::filterExpressions()
{
    QFETCH(QString, expression);
    QFETCH(TaskFilter, expected);
    QString error;
    const auto parsed = parseFilterExpression(expression, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->text, expected.text);
    QVERIFY(*parsed == expected);
    // And back: the report's provenance line reads as the same filter.
    const auto again = parseFilterExpression(filterExpression(*parsed), &error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(*again == expected);
}

void TestReport::filterErrorsNameTheTerm_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("named");
    QTest::newRow("unknown key") << u"state=failed colour=red"_s << u"'colour=red'"_s;
    QTest::newRow("not key=value") << u"repo=a/b failed"_s << u"'failed'"_s;
    QTest::newRow("unknown state") << u"state=exploded"_s << u"'state=exploded'"_s;
    QTest::newRow("bad date") << u"from=2026-13-01"_s << u"'from=2026-13-01'"_s;
    QTest::newRow("unknown kind") << u"kind=password"_s << u"'kind=password'"_s;
    QTest::newRow("unknown pull-request term") << u"pr=closed"_s << u"'pr=closed'"_s;
    QTest::newRow("open quote") << u"text=\"abc"_s << u"unterminated quote"_s;
    QTest::newRow("backwards range") << u"from=2026-02-01 to=2026-01-01"_s << u"ends"_s;
}

void TestReport::filterErrorsNameTheTerm()
{
    QFETCH(QString, expression);
    QFETCH(QString, named);
    QString error;
    QVERIFY(!parseFilterExpression(expression, &error));
    QVERIFY2(error.contains(named), qPrintable(error));
}

void TestReport::progressAndCancellation()
{
    auto store = open();
    QVERIFY(store);
    QTemporaryDir out;
    const QString path = out.filePath(u"r.json"_s);
    {
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("earlier report");
    }
    const qint64 tasks = store->taskCount({});
    ReportRunner runner(*store);
    runner.setPageSize(10);
    QList<qint64> seen;
    qint64 lastTotal = 0;
    runner.setProgressCallback([&](qint64 done, qint64 total) {
        seen << done;
        lastTotal = total;
    });
    // Cancelled after the first page: the earlier file is left as it was.
    int asked = 0;
    runner.setCancelCheck([&asked] { return ++asked > 1; });
    auto writer = createReportWriter(ReportFormat::Json, path);
    QVERIFY(!runner.run(ReportQuery{}, *writer));
    QVERIFY(runner.wasCancelled());
    QCOMPARE(readAll(path), QByteArray("earlier report"));
    QCOMPARE(seen, QList<qint64>{10});

    // Not cancelled: progress climbs to the total, tasks and then chains.
    seen.clear();
    runner.setCancelCheck({});
    writer = createReportWriter(ReportFormat::Json, path);
    QVERIFY2(runner.run(ReportQuery{}, *writer), qPrintable(runner.errorString()));
    QCOMPARE(lastTotal, 2 * tasks);
    QCOMPARE(seen.constLast(), 2 * tasks);
    QVERIFY(std::is_sorted(seen.cbegin(), seen.cend()));
    const QJsonObject doc = QJsonDocument::fromJson(readAll(path)).object();
    QCOMPARE(doc.value(u"tasks"_s).toArray().size(), tasks);
    QCOMPARE(doc.value(u"chains"_s).toArray().size(), tasks);
    QCOMPARE(doc.value(u"summary"_s).toObject().value(u"tasks"_s).toInteger(), tasks);
}

void TestReport::csvFileNames()
{
    QCOMPARE(CsvReportWriter::tablePath(u"/x/out.csv"_s, u"tasks"_s), u"/x/out-tasks.csv"_s);
    QCOMPARE(CsvReportWriter::tablePath(u"/x/out"_s, u"tasks"_s), u"/x/out-tasks.csv"_s);
    QCOMPARE(CsvReportWriter::tablePath(u"/x/dir/"_s, u"tasks"_s), u"/x/dir/tasks.csv"_s);
    QCOMPARE(CsvReportWriter::line({u"a"_s, u"b,c"_s, u"say \"hi\""_s, u"two\nlines"_s}),
             u"a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"_s);
    QCOMPARE(CsvReportWriter::cell(u"=HYPERLINK(\"x\")"_s), u"\"'=HYPERLINK(\"\"x\"\")\""_s);
    QCOMPARE(CsvReportWriter::cell(u"-12.5"_s), u"-12.5"_s);
}

void TestReport::cliWritesEveryCsvTable()
{
    QTemporaryDir out;
    const CliRun run = cli({u"report"_s, u"--db"_s, m_db, u"--campaign"_s, m_campaign,
                            u"--format"_s, u"csv"_s, u"-o"_s, out.filePath(u"out.csv"_s)});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    for (const QString &t : csvTables)
        QVERIFY2(QFile::exists(out.filePath(u"out-"_s % t % u".csv"_s)), qPrintable(t));
    // The whole result, not a page of it.
    const QByteArray tasks = readAll(out.filePath(u"out-tasks.csv"_s));
    auto store = open();
    TaskFilter f;
    f.campaignId = m_campaign;
    QCOMPARE(tasks.count("\r\n"), store->taskCount(f) + 1);

    const CliRun dir =
        cli({u"report"_s, u"--db"_s, m_db, u"--since"_s, u"2026-01-01"_s, u"--until"_s,
             u"2026-12-31"_s, u"--format"_s, u"csv"_s, u"-o"_s, out.filePath(u"all/"_s)});
    QVERIFY2(dir.exitCode == 0, qPrintable(dir.err));
    QVERIFY(QFile::exists(out.filePath(u"all/summary.csv"_s)));
}

void TestReport::cliRejectsBadFilters()
{
    QTemporaryDir out;
    const CliRun bad =
        cli({u"report"_s, u"--db"_s, m_db, u"--filter"_s, u"state=failed repo=acme/web owner=me"_s,
             u"-o"_s, out.filePath(u"r.md"_s)});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(u"'owner=me'"_s), qPrintable(bad.err));
    QVERIFY(!QFile::exists(out.filePath(u"r.md"_s)));
    const CliRun clash = cli({u"report"_s, u"--db"_s, m_db, u"--filter"_s, u"campaign=a"_s,
                              u"--campaign"_s, u"b"_s, u"-o"_s, out.filePath(u"r.md"_s)});
    QCOMPARE(clash.exitCode, 2);
    QVERIFY2(clash.err.contains(u"--campaign"_s), qPrintable(clash.err));
    const CliRun format = cli({u"report"_s, u"--db"_s, m_db, u"-o"_s, out.filePath(u"r.txt"_s)});
    QCOMPARE(format.exitCode, 2);
    QVERIFY2(format.err.contains(u"--format"_s), qPrintable(format.err));
}

// A finding triaged (not "new") is reported with its state, who set it, when and why: in
// Markdown, JSON and CSV, from the CLI, on a copy of the demo (the goldens stay untriaged).
void TestReport::triageStatesInEveryFormat()
{
    const QString db = m_dir.filePath(u"triaged.db"_s);
    QFile::remove(db);
    QVERIFY(QFile::copy(m_db, db));
    QString error;
    qint64 id = 0;
    {
        auto store = openStore(db, &error);
        QVERIFY2(store, qPrintable(error));
        TaskFilter filter;
        filter.campaignId = m_campaign;
        for (const TaskRow &t : store->tasks(filter, 0, 100'000)) {
            const QList<StoredFinding> stored = store->storedFindings(t.id);
            if (!stored.isEmpty() && id == 0)
                id = stored.constFirst().id;
        }
        QVERIFY(id > 0);
        FindingTriage triage;
        triage.state = TriageState::FalsePositive;
        triage.by = u"dana"_s;
        triage.at = QDateTime(QDate(2026, 12, 2), QTime(8, 0), Qt::UTC);
        triage.note = u"the mirror is ours"_s;
        QVERIFY2(store->triageFindings({id}, triage), qPrintable(store->errorString()));
    }
    const QString campaign = u"campaign="_s + m_campaign;
    const QString md = m_dir.filePath(u"triaged.md"_s);
    CliRun run = cli({u"report"_s, u"--db"_s, db, u"--filter"_s, campaign, u"-o"_s, md});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString markdown = QString::fromUtf8(readAll(md));
    QVERIFY2(markdown.contains(u"| false positive (dana, 2026-12-02: the mirror is ours) |"_s),
             qPrintable(markdown));

    const QString json = m_dir.filePath(u"triaged.json"_s);
    run = cli({u"report"_s, u"--db"_s, db, u"--filter"_s, campaign, u"-o"_s, json});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonArray tasks =
        QJsonDocument::fromJson(readAll(json)).object().value(u"tasks"_s).toArray();
    QVERIFY(!tasks.isEmpty());
    bool found = false;
    for (const QJsonValue &task : tasks) {
        for (const QJsonValue &f : task.toObject().value(u"findings"_s).toArray()) {
            if (f.toObject().value(u"id"_s).toInteger() != id)
                continue;
            const QJsonObject t = f.toObject().value(u"triage"_s).toObject();
            QCOMPARE(t.value(u"state"_s).toString(), u"false_positive"_s);
            QCOMPARE(t.value(u"by"_s).toString(), u"dana"_s);
            QCOMPARE(t.value(u"note"_s).toString(), u"the mirror is ours"_s);
            found = true;
        }
    }
    QVERIFY(found);

    const QString csv = m_dir.filePath(u"triaged.csv"_s);
    run = cli({u"report"_s, u"--db"_s, db, u"--filter"_s, campaign, u"-o"_s, csv});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    // Quoted: the field holds a comma.
    const QString findings = QString::fromUtf8(readAll(m_dir.filePath(u"triaged-findings.csv"_s)));
    QVERIFY2(findings.contains(u",\"false positive (dana, 2026-12-02: the mirror is ours)\","_s),
             qPrintable(findings));
}

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
