// What the runs table, campaigns, `stats` and `report` read gives the same answers on SQLite
// and PostgreSQL: the same demo files ingested into a file and into a database, then the CLI's
// output of each compared character for character, and the store's campaign and report
// queries compared value for value.
#include "backends.h"
#include "clirun.h"
#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "store/recordstore.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::CliRun::cli;

namespace {

// Findings as a check would store them (the check is not part of this test), the same rows in
// both databases: two tasks with several, ties in severity and rule broken by id.
QString findingRows(const QStringList &taskIds)
{
    QString sql = u"INSERT INTO finding (task_id, rule, severity, message, evidence_kind, "
                  "evidence_ref, command_seq, line_no, at) VALUES "_s;
    const QStringList rules{u"net/host"_s, u"Template/step"_s, u"_policy"_s};
    int n = 0;
    for (const QString &id : taskIds) {
        for (int i = 0; i < 4; ++i, ++n)
            sql += u"%1('%2', '%3', %4, 'finding %5', 'command', 'c%5', %6, %7, %8)"_s
                       .arg(n ? u", "_s : QString(), id, rules.at(n % 3))
                       .arg(n % 5)
                       .arg(n)
                       .arg(1 + i)
                       .arg(10 * i)
                       .arg(1767225600000LL + n);
    }
    return sql;
}

} // namespace

class TestPgQueries final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cliOutputIsTheSame_data();
    void cliOutputIsTheSame();
    void reportCsvTablesAreTheSame();
    void textSortsAsOnSqlite_data();
    void textSortsAsOnSqlite();

private:
    QString ingest(const QString &backend);

    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QHash<QString, QString> m_location;
    // Each chain's head: the entries carry the time of their batch, so the heads differ.
    QHash<QString, QString> m_head;
    QString m_campaign;
    QString m_task; // the first task of the runs table, with a pull request
};

QString TestPgQueries::ingest(const QString &backend)
{
    QString error;
    const QString location = m_db.fresh(backend);
    auto store = openStore(location, &error);
    if (!store)
        qFatal("%s", qPrintable(error));
    Ingestor ingestor(*store);
    // Records, logs and GitHub's JSON; not the policy files or the audit log, which this test
    // does not read.
    if (!ingestor.ingest({m_dir.filePath(u"demo/records"_s), m_dir.filePath(u"demo/logs"_s),
                          m_dir.filePath(u"demo/github"_s)}))
        qFatal("%s: %s", qPrintable(backend), qPrintable(ingestor.errorString()));
    QStringList ids;
    for (const TaskRow &row : store->tasks({}, 0, 2))
        ids << row.id;
    if (ids.size() != 2)
        qFatal("%s: the demo has no tasks", qPrintable(backend));
    m_db.sql(location, findingRows(ids), &error);
    if (!error.isEmpty())
        qFatal("%s", qPrintable(error));
    return location;
}

void TestPgQueries::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
    DemoGenerator generator;
    QVERIFY2(generator.generate({m_dir.filePath(u"demo"_s), 0.05, 7}, &error), qPrintable(error));
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
        m_location.insert(backend, ingest(backend));
        const auto store = openStore(m_location.value(backend), &error);
        QVERIFY2(store, qPrintable(error));
        m_head.insert(backend, QString::fromLatin1(store->evidenceHead()));
        QVERIFY(!m_head.value(backend).isEmpty());
        QCOMPARE(store->campaignIds().size(), 1);
        m_campaign = store->campaignIds().constFirst();
        m_task = m_db.sql(m_location.value(backend),
                          u"SELECT min(id) FROM task WHERE pr_number IS NOT NULL"_s);
        QVERIFY(!m_task.isEmpty());
    }
}

void TestPgQueries::cliOutputIsTheSame_data()
{
    QTest::addColumn<QStringList>("args");
    const QStringList report{u"report"_s, u"--no-appendix"_s, u"--quiet"_s, u"--generated-at"_s,
                             u"2026-06-01T12:00:00Z"_s};
    QTest::newRow("stats") << QStringList{u"stats"_s};
    QTest::newRow("stats json") << QStringList{u"stats"_s, u"--format"_s, u"json"_s};
    QTest::newRow("campaigns") << QStringList{u"campaign"_s};
    QTest::newRow("campaigns json") << QStringList{u"campaign"_s, u"--format"_s, u"json"_s};
    QTest::newRow("campaign") << QStringList{u"campaign"_s, m_campaign};
    QTest::newRow("campaign json")
        << QStringList{u"campaign"_s, m_campaign, u"--format"_s, u"json"_s};
    QTest::newRow("report campaign md")
        << report + QStringList{u"--campaign"_s, m_campaign, u"--format"_s, u"md"_s};
    QTest::newRow("report json") << report + QStringList{u"--format"_s, u"json"_s};
    QTest::newRow("report md") << report + QStringList{u"--format"_s, u"md"_s};
    QTest::newRow("report failed md")
        << report + QStringList{u"--filter"_s, u"state=failed"_s, u"--format"_s, u"md"_s};
    QTest::newRow("report text json")
        << report + QStringList{u"--filter"_s, u"text=ACME"_s, u"--format"_s, u"json"_s};
    QTest::newRow("report repo md")
        << report +
               QStringList{u"--filter"_s, u"repo=acme-data/audit-app"_s, u"--format"_s, u"md"_s};
    QTest::newRow("report policy kind json")
        << report + QStringList{u"--filter"_s, u"policy=deps-fanout kind=github_app_user_token"_s,
                                u"--format"_s, u"json"_s};
    QTest::newRow("report skipped json")
        << report + QStringList{u"--filter"_s, u"state=skipped"_s, u"--format"_s, u"json"_s};
    // With the appendix: every task's chain as `show` prints it.
    const QStringList full{u"report"_s, u"--quiet"_s, u"--generated-at"_s,
                           u"2026-06-01T12:00:00Z"_s};
    QTest::newRow("report appendix md") << full + QStringList{u"--format"_s, u"md"_s};
    QTest::newRow("report appendix json") << full + QStringList{u"--format"_s, u"json"_s};
    QTest::newRow("report appendix html") << full + QStringList{u"--format"_s, u"html"_s};
    QTest::newRow("report appendix campaign md")
        << full + QStringList{u"--campaign"_s, m_campaign, u"--format"_s, u"md"_s};
    // A task's provenance statement: its records' digests and its evidence entry.
    QTest::newRow("attest") << QStringList{u"attest"_s, m_task};
    QTest::newRow("report range json")
        << report + QStringList{u"--since"_s,    u"2026-01-01"_s, u"--until"_s,
                                u"2026-12-31"_s, u"--format"_s,   u"json"_s};
}

void TestPgQueries::cliOutputIsTheSame()
{
    QFETCH(QStringList, args);
    QHash<QString, QString> out;
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
        QStringList full = args;
        full << u"--db"_s << m_location.value(backend);
        if (args.constFirst() == u"report")
            full << u"-o"_s << m_dir.filePath(backend + u".out"_s);
        const CliRun::Run run = cli(full);
        QVERIFY2(run.exitCode == 0, qPrintable(backend + u": "_s + run.err));
        QString text = run.out;
        if (args.constFirst() == u"report") {
            QFile file(m_dir.filePath(backend + u".out"_s));
            QVERIFY(file.open(QIODevice::ReadOnly));
            text = QString::fromUtf8(file.readAll());
        }
        text.replace(m_location.value(backend), u"<db>"_s);
        out.insert(backend, text.replace(m_head.value(backend), u"<head>"_s));
    }
    QVERIFY(!out.value(u"sqlite"_s).isEmpty());
    if (out.value(u"postgresql"_s) != out.value(u"sqlite"_s)) {
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
            QFile file(m_dir.filePath(u"diff-"_s + backend));
            if (file.open(QIODevice::WriteOnly))
                file.write(out.value(backend).toUtf8());
        }
        m_dir.setAutoRemove(false);
        qWarning("outputs kept in %s/diff-*", qPrintable(m_dir.path()));
    }
    QCOMPARE(out.value(u"postgresql"_s), out.value(u"sqlite"_s));
}

// Every table of a CSV report, file by file.
void TestPgQueries::reportCsvTablesAreTheSame()
{
    QHash<QString, QStringList> files;
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
        const QString dir = m_dir.filePath(u"csv-"_s + backend + u'/');
        const CliRun::Run run =
            cli({u"report"_s, u"--db"_s, m_location.value(backend), u"--no-appendix"_s,
                 u"--quiet"_s, u"--generated-at"_s, u"2026-06-01T12:00:00Z"_s, u"--format"_s,
                 u"csv"_s, u"-o"_s, dir});
        QVERIFY2(run.exitCode == 0, qPrintable(backend + u": "_s + run.err));
        files.insert(backend, QDir(dir).entryList(QDir::Files, QDir::Name));
    }
    QVERIFY(files.value(u"sqlite"_s).contains(u"tasks.csv"_s));
    QCOMPARE(files.value(u"postgresql"_s), files.value(u"sqlite"_s));
    for (const QString &name : files.value(u"sqlite"_s)) {
        QHash<QString, QByteArray> text;
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
            QFile file(m_dir.filePath(u"csv-"_s + backend + u'/' + name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            text.insert(backend,
                        file.readAll().replace(m_head.value(backend).toLatin1(), "<head>"));
        }
        QVERIFY2(text.value(u"postgresql"_s) == text.value(u"sqlite"_s), qPrintable(name));
    }
}

void TestPgQueries::textSortsAsOnSqlite_data()
{
    Backends::addBackendRows();
}

// Text sorts byte by byte (SQLite's BINARY collation) and the text filter ignores the case of
// ASCII letters only (SQLite's LIKE), also in a database whose own collation sorts otherwise;
// a missing value sorts where SQLite puts NULL.
void TestPgQueries::textSortsAsOnSqlite()
{
    QFETCH(QString, backend);
    QString location = m_db.fresh(backend);
    if (backend == u"postgresql") {
        QString error;
        QVERIFY2(m_db.server().psql(u"postgres"_s,
                                    u"CREATE DATABASE icu TEMPLATE template0 LOCALE_PROVIDER icu "
                                    "ICU_LOCALE 'en-US'"_s,
                                    nullptr, &error),
                 qPrintable(error));
        location = m_db.server().url(u"icu"_s);
        // The database's own order is not SQLite's: the test would prove nothing otherwise.
        QCOMPARE(m_db.sql(location, u"SELECT 'Zeta' < 'alpha'"_s, &error), u"f"_s);
    }
    QString error;
    auto store = openStore(location, &error);
    QVERIFY2(store, qPrintable(error));
    const QStringList repos{
        u"Zeta/a"_s, u"alpha/b"_s,           u"_x/c"_s, u"beta/D"_s, u"Beta/d"_s,
        u"e/y"_s,    u"\u00e9b\u00e8ne/x"_s, u"a b/z"_s};
    QVERIFY(store->beginBatch());
    for (int i = 0; i < repos.size(); ++i) {
        TaskRecord t;
        t.id = u"T-%1"_s.arg(i);
        t.repo = repos.at(i);
        // One task without a time: last, newest first.
        if (i != 3)
            t.createdAt =
                QDateTime::fromMSecsSinceEpoch(1767225600000LL + i * 1000, QTimeZone::utc());
        QVERIFY2(store->writeTask(t), qPrintable(store->errorString()));
    }
    for (const QString &id : {u"c-late"_s, u"c-none"_s, u"c-early"_s}) {
        CampaignRecord c;
        c.id = id;
        if (id != u"c-none")
            c.createdAt =
                QDateTime::fromMSecsSinceEpoch(id == u"c-late" ? 2000 : 1000, QTimeZone::utc());
        QVERIFY2(store->writeCampaign(c), qPrintable(store->errorString()));
    }
    QVERIFY2(store->commitBatch(), qPrintable(store->errorString()));

    QStringList bytewise = repos;
    std::sort(bytewise.begin(), bytewise.end(),
              [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
    QCOMPARE(store->facetValues(TaskFacet::Repository), bytewise);
    TaskPageRequest request;
    request.sort = {TaskSortColumn::Repository, false};
    request.limit = 100;
    QStringList paged;
    for (const TaskRow &row : store->taskPage({}, request))
        paged << row.repo;
    QCOMPARE(paged, bytewise);
    for (qsizetype i = 0; i < bytewise.size(); ++i)
        QCOMPARE(
            store->taskRow({}, request.sort, u"T-%1"_s.arg(repos.indexOf(bytewise.at(i))), nullptr),
            i);

    const auto matching = [&store](const QString &text) {
        TaskFilter filter;
        filter.text = text;
        QStringList out;
        for (const TaskRow &row : store->tasks(filter, 0, 100))
            out << row.repo;
        out.sort();
        return out;
    };
    QCOMPARE(matching(u"BETA/"_s), (QStringList{u"Beta/d"_s, u"beta/D"_s}));
    QCOMPARE(matching(u"\u00c9B\u00c8NE"_s), QStringList());
    QCOMPARE(matching(u"\u00e9b\u00e8ne"_s), QStringList{u"\u00e9b\u00e8ne/x"_s});
    QCOMPARE(matching(u"_"_s), QStringList{u"_x/c"_s}); // literally, not any one character
    QCOMPARE(store->tasks({}, 0, 100).constLast().id, u"T-3"_s);
    QCOMPARE(store->campaignIds(), (QStringList{u"c-none"_s, u"c-early"_s, u"c-late"_s}));
}

QTEST_GUILESS_MAIN(TestPgQueries)
#include "tst_pgqueries.moc"
