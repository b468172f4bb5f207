// The conformance checker against a real SQLite file: findings stored, filtered, replaced on
// a re-check; the ingest run's touched tasks; the findings and check verbs of the real CLI.
// The store's part (findings written, filtered and counted per task, the tasks using a version,
// the `findings` verb's output) runs on SQLite and PostgreSQL alike: rows "sqlite" and
// "postgresql" (backends.h).
#include "backends.h"
#include "clirun.h"
#include "ingest/ingestor.h"
#include "policy/chainreadahead.h"
#include "policy/conformance.h"
#include "sqlscalar.h"
#include "store/recordstore.h"
#include "store/runkeys.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <sqlite3.h>

Q_DECLARE_METATYPE(Tasktrail::FindingFilter)

using namespace Qt::StringLiterals;
using namespace Tasktrail::SqlScalar;
using namespace Tasktrail::CliRun;
using namespace Tasktrail;

namespace {

QDateTime day(int d, int hour = 10)
{
    return QDateTime(QDate(2026, 4, d), QTime(hour, 0), QTimeZone::utc());
}

// A task of the given template and policy versions, in `repo`, started on April `d`.
TaskRecord task(const QString &id, const QString &repo, int d, const QString &templ,
                const QString &policy = u"agents@7"_s)
{
    TaskRecord t;
    t.id = id;
    t.repo = repo;
    t.identityId = u"I-bot"_s;
    t.requestId = u"R-1"_s;
    t.templateId = templ.section(u'@', 0, 0);
    t.templateVersion = templ.section(u'@', 1);
    t.policyId = policy.section(u'@', 0, 0);
    t.policyVersion = policy.section(u'@', 1);
    t.startedAt = day(d);
    t.commands = {{id, 1, {u"npm"_s, u"test"_s}, {}, 0, day(d), day(d, 11)}};
    return t;
}

std::optional<TemplateSpec> templates(const QString &id, const QString &version)
{
    if (id != u"deps-bump" || (version != u"3" && version != u"2"))
        return std::nullopt;
    TemplateSpec s;
    s.id = id;
    s.version = version;
    s.allowedCommands = {u"npm test"_s};
    s.allowedHosts = {u"registry.npmjs.org"_s};
    return s;
}

std::optional<PolicySpec> policies(const QString &id, const QString &version)
{
    if (id != u"agents" || version != u"7")
        return std::nullopt;
    PolicySpec p{id, version, {}, {}, {{{u"deps-*"_s, u"lint"_s}, {}, {}, {}, {}}}};
    return p;
}

QStringList rulesOf(const QList<Finding> &findings)
{
    QStringList out;
    for (const Finding &f : findings)
        out << f.taskId % u':' % f.rule;
    return out;
}

} // namespace

class TestConformance final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void checkerStoresFindings();
    void recheckReplacesFindings();
    void pagesEndingOnAWholePageCountOnce();
    void filters_data();
    void filters();
    void everyFieldRoundTrips_data() { Backends::addBackendRows(); }
    void everyFieldRoundTrips();
    void findingsPerTask_data() { Backends::addBackendRows(); }
    void findingsPerTask();
    void specsAreFetchedOncePerVersion();
    void chainsReadAheadGiveTheSameFindings_data() { Backends::addBackendRows(); }
    void chainsReadAheadGiveTheSameFindings();
    void releasedChainsAreFreedByTheReaders_data() { Backends::addBackendRows(); }
    void releasedChainsAreFreedByTheReaders();
    void taskIdsUsingInheritsTheCampaigns_data() { Backends::addBackendRows(); }
    void taskIdsUsingInheritsTheCampaigns();
    void checkTasksUsingPicksTheRightTasks();
    void ingestReportsTouchedTasks();
    void cliFindingsAndCheck();
    void cliFindingsSameOnBothBackends();

private:
    void writeTasks(const QList<TaskRecord> &tasks);
    void writeVersionedTasks();
    QTemporaryDir *m_dir = nullptr;
    QString m_db;
    std::unique_ptr<RecordStore> m_store;
    Backends::Fixture m_backends;
};

void TestConformance::initTestCase()
{
    QString error;
    QVERIFY2(m_backends.start(&error), qPrintable(error));
}

// A test's rows named "postgresql..." run on a new PostgreSQL database, the others on a new
// SQLite file.
void TestConformance::init()
{
    m_dir = new QTemporaryDir;
    QVERIFY(m_dir->isValid());
    const char *tag = QTest::currentDataTag();
    m_db = tag && QByteArray(tag).startsWith("postgresql") ? m_backends.fresh(u"postgresql"_s)
                                                           : m_dir->filePath(u"t.db"_s);
    QString error;
    m_store = openStore(m_db, &error);
    QVERIFY2(m_store, qPrintable(error));
    QVERIFY(m_store->beginBatch());
    QVERIFY(m_store->writeIdentity({u"I-bot"_s,
                                    IdentityKind::GitHubAppInstallationToken,
                                    u"svc[bot]"_s,
                                    u"alice"_s,
                                    {},
                                    {},
                                    {}}));
    QVERIFY(m_store->writeRequest({u"R-1"_s, u"bump"_s, u"alice"_s, {}, {}, day(1)}));
    QVERIFY(m_store->commitBatch());
}

void TestConformance::cleanup()
{
    m_store.reset();
    delete m_dir;
    m_dir = nullptr;
}

void TestConformance::writeTasks(const QList<TaskRecord> &tasks)
{
    QVERIFY(m_store->beginBatch());
    for (const TaskRecord &t : tasks)
        QVERIFY(m_store->writeTask(t));
    QVERIFY(m_store->commitBatch());
}

void TestConformance::checkerStoresFindings()
{
    TaskRecord curl = task(u"T-curl"_s, u"acme/web"_s, 3, u"deps-bump@3"_s);
    curl.commands << CommandRecord{curl.id, 2, {u"curl"_s, u"x.sh"_s}, {}, 0, day(3), day(3)};
    curl.contacts << ExternalContact{curl.id, u"pastebin.com"_s, u"curl"_s, {}, day(3)};
    writeTasks({task(u"T-clean"_s, u"acme/web"_s, 2, u"deps-bump@3"_s), curl,
                task(u"T-unknown"_s, u"acme/api"_s, 4, u"lint@1"_s, u"agents@9"_s)});

    ConformanceChecker checker(*m_store, templates, policies);
    QString error;
    QVERIFY2(checker.checkTasks({u"T-clean"_s, u"T-curl"_s, u"T-unknown"_s, u"T-none"_s}, &error),
             qPrintable(error));
    QCOMPARE(checker.counts().tasks, 3); // T-none does not exist
    QCOMPARE(checker.counts().findings, 4);
    QCOMPARE(checker.counts().bySeverity.value(Severity::High), 2);
    QCOMPARE(checker.counts().bySeverity.value(Severity::Medium), 2);
    QCOMPARE(checker.counts().toString(), u"checked 3 tasks: 4 findings (2 high, 2 medium)"_s);

    // Newest task first, most severe first.
    QCOMPARE(rulesOf(m_store->findings({})),
             (QStringList{u"T-unknown:template_unknown"_s, u"T-unknown:policy_unknown"_s,
                          u"T-curl:command_not_allowed"_s, u"T-curl:host_not_allowed"_s}));
    QCOMPARE(m_store->findingCount(u"T-curl"_s), 2);
    QVERIFY(m_store->worstFinding(u"T-curl"_s) == Severity::High);
    QVERIFY(!m_store->worstFinding(u"T-clean"_s));
    QCOMPARE(PolicyVerdict::of(*m_store, u"T-curl"_s).text(), u"2 findings, worst: high"_s);
    QCOMPARE(PolicyVerdict::of(*m_store, u"T-clean"_s).text(), u"conforms"_s);
    FindingFilter worstFirst;
    worstFirst.taskId = u"T-unknown"_s;
    worstFirst.minSeverity = Severity::Medium;
    worstFirst.limit = 1;
    QCOMPARE(PolicyVerdict::of(m_store->findings(worstFirst)).text(),
             u"1 finding, worst: medium"_s);
    QVERIFY(scalar(m_db, "SELECT min(checked_at) FROM finding") >=
            QDateTime::currentDateTimeUtc().addSecs(-600).toMSecsSinceEpoch());
}

void TestConformance::recheckReplacesFindings()
{
    TaskRecord t = task(u"T-1"_s, u"acme/web"_s, 3, u"deps-bump@3"_s);
    t.commands << CommandRecord{t.id, 2, {u"curl"_s, u"x.sh"_s}, {}, 0, day(3), day(3)};
    writeTasks({t, task(u"T-2"_s, u"acme/web"_s, 4, u"lint@9"_s)});
    ConformanceChecker checker(*m_store, templates, policies);
    checker.setBatchSize(1);
    QString error;
    QVERIFY(checker.checkAll(&error));
    QCOMPARE(checker.counts().tasks, 2);
    QCOMPARE(scalar(m_db, "SELECT count(*) FROM finding"), 2);
    QVERIFY(checker.checkAll(&error));
    QCOMPARE(scalar(m_db, "SELECT count(*) FROM finding"), 2);

    // The command's argv corrected: the finding goes, the other task's stays.
    QVERIFY(m_store->beginBatch());
    QVERIFY(m_store->writeCommand({t.id, 2, {u"npm"_s, u"test"_s}, {}, 0, day(3), day(3)}));
    QVERIFY(m_store->commitBatch());
    QVERIFY(checker.checkTasks({u"T-1"_s}, &error));
    QCOMPARE(rulesOf(m_store->findings({})), QStringList{u"T-2:template_unknown"_s});
}

// The check after an ingest reads the run's ids a page at a time (ConformanceChecker::
// checkPages over RunKeys, as checkAfterIngest does). A walk that ends on a whole page reads
// one more, empty page: it checks nothing and counts nothing.
void TestConformance::pagesEndingOnAWholePageCountOnce()
{
    writeTasks({task(u"T-1"_s, u"acme/web"_s, 3, u"deps-bump@3"_s),
                task(u"T-2"_s, u"acme/web"_s, 4, u"lint@9"_s),
                task(u"T-3"_s, u"acme/web"_s, 5, u"lint@9"_s),
                task(u"T-4"_s, u"acme/web"_s, 6, u"deps-bump@3"_s)});
    for (const int page : {1, 2, 3, 4, 5}) {
        RunKeys keys;
        keys.addTasks({u"T-4"_s, u"T-2"_s, u"T-1"_s, u"T-3"_s});
        ConformanceChecker checker(*m_store, templates, policies);
        checker.setIdPage(page);
        int reads = 0;
        RunKeys::TaskWalk walk;
        QString error;
        QVERIFY2(checker.checkPages(
                     [&](const QString &, int limit) {
                         ++reads;
                         return keys.nextTasks(walk, limit);
                     },
                     &error),
                 qPrintable(error));
        QCOMPARE(checker.counts().tasks, 4);
        // T-2 and T-3 name lint@9, which is not on file.
        QCOMPARE(checker.counts().findings, 2);
        QCOMPARE(reads, 4 / page + 1);
    }
}

void TestConformance::filters_data()
{
    QTest::addColumn<FindingFilter>("filter");
    QTest::addColumn<QStringList>("expected");
    const QStringList all{u"T-c:file_out_of_scope"_s, u"T-c:host_not_allowed"_s,
                          u"T-b:command_not_allowed"_s, u"T-a:pr_missing_label"_s};
    for (const char *backend : {"sqlite", "postgresql"}) {
        const auto row = [backend](const char *name) -> QTestData & {
            return QTest::addRow("%s: %s", backend, name);
        };
        row("none") << FindingFilter{} << all;
        FindingFilter f;
        f.taskId = u"T-b"_s;
        row("task") << f << QStringList{all[2]};
        f = {};
        f.minSeverity = Severity::High;
        row("severity high") << f << all.mid(0, 3);
        f.minSeverity = Severity::Critical;
        row("severity critical") << f << QStringList{all[0]};
        f = {};
        f.rule = u"host_not_allowed"_s;
        row("rule") << f << QStringList{all[1]};
        f = {};
        f.repo = u"acme/api"_s;
        row("repo") << f << all.mid(2);
        f = {};
        f.identityId = u"I-human"_s;
        row("identity") << f << all.mid(0, 2);
        f = {};
        f.policyId = u"agents"_s;
        row("policy") << f << all.mid(2);
        f = {};
        f.from = day(3);
        f.until = day(5);
        row("time") << f << QStringList{all[2]};
        f = {};
        f.limit = 3;
        row("limit") << f << all.mid(0, 3);
    }
}

void TestConformance::filters()
{
    QFETCH(FindingFilter, filter);
    QFETCH(QStringList, expected);
    TaskRecord a = task(u"T-a"_s, u"acme/api"_s, 2, u"deps-bump@3"_s);
    TaskRecord b = task(u"T-b"_s, u"acme/api"_s, 4, u"deps-bump@3"_s);
    TaskRecord c = task(u"T-c"_s, u"acme/web"_s, 6, u"deps-bump@3"_s, u"strict@1"_s);
    c.identityId = u"I-human"_s;
    writeTasks({a, b, c});
    const auto finding = [](const QString &taskId, const QString &rule, Severity s) {
        Finding f;
        f.taskId = taskId;
        f.rule = rule;
        f.severity = s;
        f.policyId = taskId == u"T-c" ? u"strict"_s : u"agents"_s;
        return f;
    };
    QVERIFY(m_store->beginBatch());
    QVERIFY(m_store->replaceFindings(u"T-a"_s,
                                     {finding(u"T-a"_s, u"pr_missing_label"_s, Severity::Low)}));
    QVERIFY(m_store->replaceFindings(
        u"T-b"_s, {finding(u"T-b"_s, u"command_not_allowed"_s, Severity::High)}));
    QVERIFY(m_store->replaceFindings(
        u"T-c"_s, {finding(u"T-c"_s, u"host_not_allowed"_s, Severity::High),
                   finding(u"T-c"_s, u"file_out_of_scope"_s, Severity::Critical)}));
    QVERIFY(m_store->commitBatch());
    QCOMPARE(rulesOf(m_store->findings(filter)), expected);
}

void TestConformance::everyFieldRoundTrips()
{
    writeTasks({task(u"T-1"_s, u"acme/web"_s, 3, u"deps-bump@3"_s)});
    Finding f;
    f.taskId = u"T-1"_s;
    f.rule = u"pushed_after_failing_test"_s;
    f.severity = Severity::High;
    f.message = u"Command 3 `git push` ran while required test unit/api was failing."_s;
    f.evidenceKind = EvidenceKind::LogLine;
    f.evidenceRef = u"git push"_s;
    f.commandSeq = 3;
    f.lineNo = 120;
    f.at = day(3, 12);
    f.templateId = u"deps-bump"_s;
    f.templateVersion = u"3"_s;
    f.policyId = u"agents"_s;
    f.policyVersion = u"7"_s;
    Finding bare;
    bare.taskId = u"T-1"_s;
    bare.rule = u"task_without_policy"_s;
    bare.severity = Severity::Info;
    QVERIFY(m_store->beginBatch());
    QVERIFY(m_store->replaceFindings(u"T-1"_s, {f, bare}));
    QVERIFY(m_store->commitBatch());
    QCOMPARE(m_store->findings({}), (QList<Finding>{f, bare}));
    QCOMPARE(m_backends.sql(m_db, u"SELECT count(*) FROM finding WHERE command_seq IS NULL"_s),
             u"1"_s);
}

// What the store answers per task: the count, the worst, when it was checked, the rows in id
// order; tasks never checked; the rules and identities to filter by. A second write replaces
// the task's findings and leaves the other task's.
void TestConformance::findingsPerTask()
{
    TaskRecord human = task(u"T-2"_s, u"acme/web"_s, 4, u"deps-bump@3"_s);
    human.identityId = u"I-human"_s;
    writeTasks({task(u"T-1"_s, u"acme/web"_s, 3, u"deps-bump@3"_s), human,
                task(u"T-3"_s, u"acme/web"_s, 5, u"deps-bump@3"_s)});
    QCOMPARE(m_store->uncheckedTaskIds({}, 100), (QStringList{u"T-1"_s, u"T-2"_s, u"T-3"_s}));
    // A page at a time, after the last id of the page before.
    QCOMPARE(m_store->uncheckedTaskIds({}, 2), (QStringList{u"T-1"_s, u"T-2"_s}));
    QCOMPARE(m_store->uncheckedTaskIds(u"T-2"_s, 2), QStringList{u"T-3"_s});
    QCOMPARE(m_store->uncheckedTaskIds(u"T-3"_s, 2), QStringList());
    QVERIFY(!m_store->checkedAt(u"T-1"_s));
    const auto finding = [](const QString &taskId, const QString &rule, Severity s) {
        Finding f;
        f.taskId = taskId;
        f.rule = rule;
        f.severity = s;
        f.message = rule + u" in "_s + taskId;
        return f;
    };
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    QVERIFY(m_store->beginBatch());
    QVERIFY(m_store->replaceFindings(u"T-1"_s, {finding(u"T-1"_s, u"b_rule"_s, Severity::Low),
                                                finding(u"T-1"_s, u"a_rule"_s, Severity::High)}));
    QVERIFY(m_store->replaceFindings(u"T-2"_s, {finding(u"T-2"_s, u"c_rule"_s, Severity::Medium)}));
    QVERIFY(m_store->commitBatch());
    QCOMPARE(m_store->uncheckedTaskIds({}, 100), QStringList{u"T-3"_s});
    QCOMPARE(m_store->uncheckedTaskIds({}, 1), QStringList{u"T-3"_s});
    QCOMPARE(m_store->findingCount(u"T-1"_s), 2);
    QCOMPARE(m_store->findingCount(u"T-3"_s), 0);
    QVERIFY(m_store->worstFinding(u"T-1"_s) == Severity::High);
    QVERIFY(!m_store->worstFinding(u"T-3"_s));
    const std::optional<QDateTime> checked = m_store->checkedAt(u"T-1"_s);
    QVERIFY(checked && *checked >= before && *checked <= QDateTime::currentDateTimeUtc());
    const QList<StoredFinding> stored = m_store->storedFindings(u"T-1"_s);
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored.at(0).finding.rule, u"b_rule"_s); // as written
    QVERIFY(stored.at(0).id < stored.at(1).id);
    // A tasktrail://finding/ID link names a finding by its row id.
    const std::optional<StoredFinding> byId = m_store->storedFinding(stored.at(1).id);
    QVERIFY(byId);
    QCOMPARE(byId->id, stored.at(1).id);
    QCOMPARE(byId->finding, stored.at(1).finding);
    QVERIFY(!m_store->storedFinding(stored.at(1).id + 1000));
    QCOMPARE(m_store->findingFacetValues(FindingFacet::Rule),
             (QStringList{u"a_rule"_s, u"b_rule"_s, u"c_rule"_s}));
    QCOMPARE(m_store->findingFacetValues(FindingFacet::Identity),
             (QStringList{u"I-bot"_s, u"I-human"_s}));

    // Checked again without findings: it conforms now, and stays checked.
    QVERIFY(m_store->beginBatch());
    QVERIFY(m_store->replaceFindings(u"T-1"_s, {}));
    QVERIFY(m_store->commitBatch());
    QCOMPARE(m_store->findingCount(u"T-1"_s), 0);
    QVERIFY(!m_store->storedFinding(stored.at(0).id));
    QVERIFY(m_store->checkedAt(u"T-1"_s));
    QCOMPARE(m_store->findingCount(u"T-2"_s), 1);
    QCOMPARE(m_store->findingFacetValues(FindingFacet::Rule), QStringList{u"c_rule"_s});
    QCOMPARE(m_store->uncheckedTaskIds({}, 100), QStringList{u"T-3"_s});
}

// A check whose chains are read ahead on other connections (readChainsAhead) stores what a
// check reading each batch on its own connection stores, for every task, batch by batch. Two
// sets of the same runs under other ids: one checked each way.
void TestConformance::chainsReadAheadGiveTheSameFindings()
{
    const auto runs = [](const QString &prefix) {
        QList<TaskRecord> tasks;
        for (int i = 0; i < 30; ++i) {
            const QString id = prefix % u"-"_s % QString::number(i).rightJustified(2, u'0');
            TaskRecord t = task(id, i % 3 ? u"acme/web"_s : u"acme/api"_s, 2 + i % 20,
                                i % 7 == 3 ? u"lint@1"_s : u"deps-bump@3"_s);
            if (i % 4 == 1)
                t.commands << CommandRecord{id,     2,     {u"curl"_s, QString::number(i)}, {}, 0,
                                            day(3), day(3)};
            if (i % 5 == 2)
                t.contacts << ExternalContact{id, u"pastebin.com"_s, u"curl"_s, {}, day(3)};
            tasks << t;
        }
        return tasks;
    };
    writeTasks(runs(u"A"_s));
    writeTasks(runs(u"B"_s));
    const auto ids = [](const QString &prefix) {
        QStringList out;
        for (int i = 0; i < 30; ++i)
            out << prefix % u"-"_s % QString::number(i).rightJustified(2, u'0');
        return out;
    };
    // Each task's findings as "<index>:<rule>:<message>", the ids' prefix left out.
    const auto stored = [this](const QString &prefix) {
        QStringList out;
        for (int i = 0; i < 30; ++i) {
            const QString id = prefix % u"-"_s % QString::number(i).rightJustified(2, u'0');
            for (const StoredFinding &f : m_store->storedFindings(id))
                out << QString::number(i) % u':' % f.finding.rule % u':' %
                           QString(f.finding.message).replace(id, u"<id>"_s);
        }
        return out;
    };

    ConformanceChecker alone(*m_store, templates, policies);
    alone.setBatchSize(4);
    QString error;
    QVERIFY2(alone.checkTasks(ids(u"A"_s), &error), qPrintable(error));
    QCOMPARE(alone.readBatches(), 0);

    ConformanceChecker ahead(*m_store, templates, policies);
    ahead.setBatchSize(4);
    ahead.setChainReaders([this] { return openReader(*m_store, nullptr); }, 2);
    QVERIFY2(ahead.checkTasks(ids(u"B"_s), &error), qPrintable(error));
    // Eight batches, all read by the readers (the checking thread reads only what no reader is
    // left to read, or what one could not read).
    QCOMPARE(ahead.readBatches(), 8);

    QCOMPARE(ahead.counts().tasks, 30);
    QCOMPARE(ahead.counts().findings, alone.counts().findings);
    QCOMPARE(ahead.counts().bySeverity, alone.counts().bySeverity);
    const QStringList findings = stored(u"A"_s);
    QVERIFY(findings.size() > 10);
    QCOMPARE(stored(u"B"_s), findings);

    // Without a second connection the checker reads every batch itself, with the same result.
    ConformanceChecker noReader(*m_store, templates, policies);
    noReader.setBatchSize(4);
    noReader.setChainReaders([] { return std::unique_ptr<RecordStore>(); }, 2);
    QVERIFY(m_store->beginBatch());
    for (const QString &id : ids(u"B"_s))
        QVERIFY(m_store->replaceFindings(id, {}));
    QVERIFY(m_store->commitBatch());
    QVERIFY2(noReader.checkTasks(ids(u"B"_s), &error), qPrintable(error));
    QCOMPARE(noReader.readBatches(), 0);
    QCOMPARE(stored(u"B"_s), findings);

    // Readers whose reads fail part-way (a copy of the file without the audit links, which a
    // check reads last): each batch they could not read is read again on the checking thread.
    if (m_db.startsWith(u"postgresql"_s))
        return;
    const QString broken = m_dir->filePath(u"broken.db"_s);
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(m_db.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    QVERIFY(QFile::copy(m_db, broken));
    QCOMPARE(sqlite3_open(broken.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "ALTER TABLE audit_link RENAME TO audit_link_gone", nullptr, nullptr,
                          nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    QVERIFY(m_store->beginBatch());
    for (const QString &id : ids(u"B"_s))
        QVERIFY(m_store->replaceFindings(id, {}));
    QVERIFY(m_store->commitBatch());
    ConformanceChecker failing(*m_store, templates, policies);
    failing.setBatchSize(4);
    int opened = 0;
    failing.setChainReaders(
        [&broken, &opened] {
            ++opened;
            return openStore(broken, nullptr, StoreAccess::ReadOnly);
        },
        2);
    QVERIFY2(failing.checkTasks(ids(u"B"_s), &error), qPrintable(error));
    QCOMPARE(opened, 2);
    QCOMPARE(failing.readBatches(), 0);
    QCOMPARE(failing.counts().tasks, 30);
    QCOMPARE(stored(u"B"_s), findings);
}

// The chains of a checked batch go back to the read-ahead, and a reader frees them, not the
// checking thread; the batches taken are those read on the store itself all the same.
void TestConformance::releasedChainsAreFreedByTheReaders()
{
    QList<TaskRecord> tasks;
    QStringList ids;
    for (int i = 0; i < 20; ++i) {
        ids << u"R-%1"_s.arg(i, 2, 10, QLatin1Char('0'));
        tasks << task(ids.last(), u"acme/web"_s, 2 + i % 5, u"deps-bump@3"_s);
    }
    writeTasks(tasks);
    const auto outline = [](const std::optional<TaskChain> &chain) {
        return chain ? chain->task.id % u'/' % QString::number(chain->commands.size()) : u"none"_s;
    };
    const auto take = [&](ChainReadAhead &reads) {
        QStringList taken;
        for (qsizetype batch = 0; batch < reads.batches(); ++batch) {
            ChainReadAhead::Chains chains = reads.take(batch);
            for (const std::optional<TaskChain> &chain : std::as_const(chains))
                taken << outline(chain);
            reads.release(std::move(chains));
        }
        return taken;
    };
    QStringList expected;
    for (const std::optional<TaskChain> &chain :
         m_store->taskChainOutlines(ids, TaskQueries::OutlineScope::Check))
        expected << outline(chain);
    QCOMPARE(expected.size(), 20);
    QVERIFY(!expected.contains(u"none"_s));

    ChainReadAhead ahead(
        *m_store, ids, 3, [this] { return openReader(*m_store, nullptr); }, 2);
    QCOMPARE(ahead.batches(), 7);
    QCOMPARE(take(ahead), expected);
    QCOMPARE(ahead.readByReaders(), 7);
    // Every batch released while a batch was left to claim: the readers claim batches 4, 5 and
    // 6 only once batches 0, 1 and 2 are released. Those released later are freed here; the
    // last one always is, since it is read only once claimed.
    QVERIFY2(ahead.freedByReaders() >= 3, qPrintable(QString::number(ahead.freedByReaders())));
    QVERIFY2(ahead.freedByReaders() <= 6, qPrintable(QString::number(ahead.freedByReaders())));

    ChainReadAhead alone(*m_store, ids, 3, {}, 2);
    QCOMPARE(take(alone), expected);
    QCOMPARE(alone.freedByReaders(), 0);
}

void TestConformance::specsAreFetchedOncePerVersion()
{
    QList<TaskRecord> tasks;
    for (int i = 0; i < 5; ++i)
        tasks << task(u"T-%1"_s.arg(i), u"acme/web"_s, 3, u"deps-bump@3"_s);
    tasks << task(u"T-old"_s, u"acme/web"_s, 3, u"deps-bump@2"_s);
    tasks << task(u"T-gone"_s, u"acme/web"_s, 3, u"gone@1"_s);
    tasks << task(u"T-gone2"_s, u"acme/web"_s, 3, u"gone@1"_s);
    writeTasks(tasks);
    QStringList asked;
    ConformanceChecker checker(
        *m_store,
        [&asked](const QString &id, const QString &version) {
            asked << id % u'@' % version;
            return templates(id, version);
        },
        policies);
    checker.setBatchSize(2);
    QString error;
    QVERIFY(checker.checkAll(&error));
    QCOMPARE(checker.counts().tasks, 8);
    asked.sort();
    QCOMPARE(asked, (QStringList{u"deps-bump@2"_s, u"deps-bump@3"_s, u"gone@1"_s}));
}

// Tasks of deps-bump@3, @2 and lint@1, and one that inherits deps-bump@3 and agents@7 from its
// campaign.
void TestConformance::writeVersionedTasks()
{
    TaskRecord inherits = task(u"T-camp"_s, u"acme/web"_s, 3, {}, {});
    inherits.campaignId = u"C-1"_s;
    writeTasks({task(u"T-v3"_s, u"acme/web"_s, 3, u"deps-bump@3"_s),
                task(u"T-v2"_s, u"acme/web"_s, 3, u"deps-bump@2"_s, u"agents@6"_s),
                task(u"T-lint"_s, u"acme/web"_s, 3, u"lint@1"_s), inherits});
    QVERIFY(m_store->beginBatch());
    QVERIFY(m_store->writeCampaign(
        {u"C-1"_s, u"R-1"_s, u"bump"_s, u"deps-bump"_s, u"3"_s, u"agents"_s, u"7"_s, day(3), {}}));
    QVERIFY(m_store->commitBatch());
}

void TestConformance::taskIdsUsingInheritsTheCampaigns()
{
    writeVersionedTasks();
    const auto using_ = [this](const QString &id, const QString &version, bool isTemplate) {
        return m_store->taskIdsUsing(id, version, isTemplate, {}, 100);
    };
    QCOMPARE(using_(u"deps-bump"_s, u"3"_s, true), (QStringList{u"T-camp"_s, u"T-v3"_s}));
    QCOMPARE(using_(u"deps-bump"_s, {}, true), (QStringList{u"T-camp"_s, u"T-v2"_s, u"T-v3"_s}));
    QCOMPARE(using_(u"agents"_s, u"7"_s, false),
             (QStringList{u"T-camp"_s, u"T-lint"_s, u"T-v3"_s}));
    QCOMPARE(using_(u"deps-bump"_s, u"3"_s, false), QStringList());
    QCOMPARE(using_(u"nothing"_s, {}, true), QStringList());
    // A page at a time: both the tasks that name the document and those that inherit it from
    // their campaign (T-camp) start after the last id of the page before.
    QCOMPARE(m_store->taskIdsUsing(u"deps-bump"_s, {}, true, {}, 2),
             (QStringList{u"T-camp"_s, u"T-v2"_s}));
    QCOMPARE(m_store->taskIdsUsing(u"deps-bump"_s, {}, true, u"T-v2"_s, 2), QStringList{u"T-v3"_s});
    QCOMPARE(m_store->taskIdsUsing(u"deps-bump"_s, {}, true, u"T-b"_s, 1),
             QStringList{u"T-camp"_s});
    QCOMPARE(m_store->taskIdsUsing(u"deps-bump"_s, {}, true, u"T-camp"_s, 5),
             (QStringList{u"T-v2"_s, u"T-v3"_s}));
}

void TestConformance::checkTasksUsingPicksTheRightTasks()
{
    writeVersionedTasks();
    QCOMPARE(m_store->taskIds(1, 2), (QStringList{u"T-lint"_s, u"T-v2"_s}));

    // Only deps-bump@2's task is checked: its policy version is not on file.
    ConformanceChecker checker(*m_store, templates, policies);
    QString error;
    QVERIFY(
        checker.checkTasksUsing(PolicyDocument::Kind::Template, u"deps-bump"_s, u"2"_s, &error));
    QCOMPARE(checker.counts().tasks, 1);
    QCOMPARE(rulesOf(m_store->findings({})), QStringList{u"T-v2:policy_unknown"_s});
    QVERIFY(checker.checkTasksUsing(PolicyDocument::Kind::Policy, u"agents"_s, u"7"_s, &error));
    QCOMPARE(checker.counts().tasks, 3);
    FindingFilter campaignTask;
    campaignTask.taskId = u"T-camp"_s;
    // Checked against the campaign's deps-bump@3 and agents@7, which it keeps.
    QCOMPARE(m_store->findings(campaignTask).size(), 0);
}

void TestConformance::ingestReportsTouchedTasks()
{
    const auto write = [this](const QString &name, const QByteArray &content) {
        QFile f(m_dir->filePath(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(content);
        return f.fileName();
    };
    const QString tasks =
        write(u"tasks.jsonl"_s,
              "{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"T-1\",\"repo\":\"acme/web\","
              "\"head_ref\":\"agent/one\"}\n"
              "{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"T-2\",\"repo\":\"acme/web\","
              "\"head_ref\":\"agent/two\"}\n"
              "{\"tasktrail\":1,\"kind\":\"test\",\"task_id\":\"T-3\",\"name\":\"unit\","
              "\"outcome\":\"passed\"}\n");
    const QString review =
        write(u"review.jsonl"_s,
              "{\"tasktrail\":1,\"kind\":\"pull_request\",\"repo\":\"acme/web\",\"number\":5,"
              "\"head_ref\":\"agent/two\"}\n"
              "{\"tasktrail\":1,\"kind\":\"review\",\"id\":9,\"repo\":\"acme/web\","
              "\"pr_number\":5,\"reviewer\":\"bob\",\"state\":\"APPROVED\"}\n");
    Ingestor ingestor(*m_store);
    QVERIFY(ingestor.ingest({tasks}));
    QCOMPARE(ingestor.touchedTaskIds(), (QStringList{u"T-1"_s, u"T-2"_s, u"T-3"_s}));
    QVERIFY(ingestor.ingest({review}));
    QCOMPARE(ingestor.touchedTaskIds(), QStringList{u"T-2"_s});
    QVERIFY(ingestor.ingest({tasks, review})); // nothing new
    QCOMPARE(ingestor.touchedTaskIds(), QStringList());
}

void TestConformance::cliFindingsAndCheck()
{
    const QString input = m_dir->filePath(u"cli.jsonl"_s);
    {
        QFile f(input);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"tasktrail\":1,\"kind\":\"request\",\"id\":\"R-9\",\"requester\":\"alice\"}\n"
                "{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"T-9\",\"repo\":\"acme/web\","
                "\"request_id\":\"R-9\",\"head_ref\":\"agent/x\",\"template_id\":\"deps-bump\","
                "\"template_version\":\"3\",\"policy_id\":\"agents\",\"policy_version\":\"7\","
                "\"started_at\":\"2026-04-02T10:00:00Z\"}\n"
                "{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"T-8\",\"repo\":\"other/x\","
                "\"started_at\":\"2026-04-01T10:00:00Z\"}\n"
                "{\"tasktrail\":1,\"kind\":\"pull_request\",\"repo\":\"acme/web\",\"number\":7,"
                "\"head_ref\":\"agent/x\"}\n"
                "{\"tasktrail\":1,\"kind\":\"review\",\"id\":1,\"repo\":\"acme/web\","
                "\"pr_number\":7,\"reviewer\":\"alice\",\"state\":\"APPROVED\"}\n");
    }
    const QString db = m_dir->filePath(u"cli.db"_s);
    const Run ingest = cli({u"ingest"_s, u"--db"_s, db, input});
    QCOMPARE(ingest.exitCode, 0);
    QVERIFY2(ingest.out.contains(u"\nchecked 2 tasks: 5 findings (1 high, 2 medium, 2 low)\n"_s),
             qPrintable(ingest.out));

    const QJsonArray all =
        QJsonDocument::fromJson(
            cli({u"findings"_s, u"--db"_s, db, u"--format"_s, u"json"_s}).out.toUtf8())
            .array();
    QCOMPARE(all.size(), 5);
    const QJsonObject first = all.at(0).toObject();
    QCOMPARE(first.keys().size(), 16);
    QCOMPARE(first.value(u"link"_s).toString(),
             u"tasktrail://finding/"_s + QString::number(first.value(u"id"_s).toInteger()));
    QCOMPARE(first.value(u"triage"_s).toObject().value(u"state"_s).toString(), u"new"_s);
    QCOMPARE(first.value(u"task_id"_s).toString(), u"T-9"_s);
    QCOMPARE(first.value(u"severity"_s).toString(), u"high"_s);
    QCOMPARE(first.value(u"rule"_s).toString(), u"self_approved"_s);
    QCOMPARE(first.value(u"evidence_kind"_s).toString(), u"review"_s);
    QCOMPARE(first.value(u"evidence_ref"_s).toString(), u"alice"_s);
    QCOMPARE(first.value(u"template_id"_s).toString(), u"deps-bump"_s);
    QCOMPARE(first.value(u"policy_version"_s).toString(), u"7"_s);
    QVERIFY(first.value(u"at"_s).isNull());

    const Run high = cli({u"findings"_s, u"--db"_s, db, u"--severity"_s, u"high"_s});
    QCOMPARE(high.exitCode, 0);
    QCOMPARE(high.out.count(u'\n'), 1);
    QVERIFY2(QStringView(high.out).mid(6).startsWith(u"  T-9  high    self_approved"_s),
             qPrintable(high.out));
    const Run byRepo = cli({u"findings"_s, u"--db"_s, db, u"--repo"_s, u"other/x"_s, u"--rule"_s,
                            u"task_without_policy"_s});
    QVERIFY2(QStringView(byRepo.out).mid(6).startsWith(u"  T-8  low     task_without_policy"_s),
             qPrintable(byRepo.out));
    QCOMPARE(byRepo.out.count(u'\n'), 1);
    QCOMPARE(
        cli({u"findings"_s, u"--db"_s, db, u"--task"_s, u"T-8"_s, u"--severity"_s, u"critical"_s})
            .out,
        u"no findings\n"_s);
    QCOMPARE(cli({u"findings"_s, u"--db"_s, db, u"--limit"_s, u"2"_s}).out.count(u'\n'), 2);
    const Run badSeverity = cli({u"findings"_s, u"--db"_s, db, u"--severity"_s, u"urgent"_s});
    QCOMPARE(badSeverity.exitCode, 2);
    QVERIFY(badSeverity.err.contains(u"--severity must be"_s));

    // A later review of the PR re-checks the PR's task only.
    const QString later = m_dir->filePath(u"later.jsonl"_s);
    {
        QFile f(later);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"tasktrail\":1,\"kind\":\"review\",\"id\":2,\"repo\":\"acme/web\","
                "\"pr_number\":7,\"reviewer\":\"bob\",\"state\":\"COMMENTED\"}\n");
    }
    QVERIFY(cli({u"ingest"_s, u"--db"_s, db, later})
                .out.contains(u"\nchecked 1 task: 3 findings (1 high, 2 medium)\n"_s));

    const Run one = cli({u"check"_s, u"--db"_s, db, u"--task"_s, u"T-8"_s});
    QCOMPARE(one.exitCode, 0);
    QCOMPARE(one.out, u"checked 1 task: 2 findings (2 low)\n"_s);
    const Run every = cli({u"check"_s, u"--db"_s, db, u"--format"_s, u"json"_s});
    QCOMPARE(every.exitCode, 0);
    const QJsonObject counts = QJsonDocument::fromJson(every.out.toUtf8()).object();
    QCOMPARE(counts.value(u"tasks"_s).toInt(), 2);
    QCOMPARE(counts.value(u"findings"_s).toInt(), 5);
    QCOMPARE(counts.value(u"by_severity"_s).toObject().value(u"medium"_s).toInt(), 2);
    QCOMPARE(scalar(db, "SELECT count(*) FROM finding"), 5);
    const Run missing = cli({u"check"_s, u"--db"_s, db, u"--task"_s, u"T-404"_s});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.contains(u"no task 'T-404'"_s));

    // `show` carries the review: the verdict and each finding, in text and in JSON.
    const Run show = cli({u"show"_s, u"--db"_s, db, u"T-8"_s});
    QVERIFY2(show.out.contains(u"\nReview: 2 findings, worst: low\n"_s), qPrintable(show.out));
    QVERIFY(show.out.contains(u"task_without_policy"_s));
    const QJsonObject shown =
        QJsonDocument::fromJson(
            cli({u"show"_s, u"--db"_s, db, u"--format"_s, u"json"_s, u"T-8"_s}).out.toUtf8())
            .object();
    const QJsonObject review = shown.value(u"review"_s).toObject();
    QCOMPARE(review.value(u"verdict"_s).toString(), u"2 findings, worst: low"_s);
    QCOMPARE(review.value(u"findings"_s).toArray().size(), 2);
    QVERIFY(!review.value(u"checked_at"_s).toString().isEmpty());
}

// The same tasks and findings in an SQLite file and a PostgreSQL database: `findings` prints
// the same, in JSON and in text, under every filter it takes.
void TestConformance::cliFindingsSameOnBothBackends()
{
    const QString lite = m_backends.fresh(u"sqlite"_s);
    const QString pg = m_backends.fresh(u"postgresql"_s);
    for (const QString &location : {lite, pg}) {
        QString error;
        auto store = openStore(location, &error);
        QVERIFY2(store, qPrintable(error));
        TaskRecord human = task(u"T-h"_s, u"acme/api"_s, 4, u"deps-bump@3"_s);
        human.identityId = u"I-human"_s;
        TaskRecord untimed = task(u"T-u"_s, u"acme/web"_s, 1, u"deps-bump@3"_s);
        untimed.startedAt = {};
        QVERIFY(store->beginBatch());
        for (const TaskRecord &t :
             {task(u"T-a"_s, u"acme/web"_s, 2, u"deps-bump@3"_s),
              task(u"T-b"_s, u"acme/web"_s, 4, u"deps-bump@3"_s), human, untimed})
            QVERIFY(store->writeTask(t));
        int n = 0;
        for (const QString &id : {u"T-a"_s, u"T-b"_s, u"T-h"_s, u"T-u"_s}) {
            QList<Finding> findings;
            for (const Severity s : {Severity::Low, Severity::Critical, Severity::Medium}) {
                Finding f;
                f.taskId = id;
                f.rule = u"rule_%1"_s.arg(++n % 4);
                f.severity = s;
                f.message = u"token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 in %1"_s.arg(id);
                f.evidenceKind = EvidenceKind::Command;
                f.evidenceRef = u"curl"_s;
                f.commandSeq = n;
                f.lineNo = 10 * n;
                f.at = day(4, n % 24);
                f.templateId = u"deps-bump"_s;
                f.templateVersion = u"3"_s;
                f.policyId = u"agents"_s;
                f.policyVersion = u"7"_s;
                findings << f;
            }
            QVERIFY(store->replaceFindings(id, findings));
        }
        QVERIFY2(store->commitBatch(), qPrintable(store->errorString()));
    }
    const QList<QStringList> variants{{},
                                      {u"--severity"_s, u"medium"_s},
                                      {u"--repo"_s, u"acme/web"_s, u"--limit"_s, u"5"_s},
                                      {u"--rule"_s, u"rule_2"_s},
                                      {u"--task"_s, u"T-h"_s}};
    for (const QStringList &options : variants) {
        for (const QStringList &format : {QStringList{u"--format"_s, u"json"_s}, QStringList{}}) {
            const QStringList args = QStringList{u"findings"_s} + options + format;
            const Run a = cli(args + QStringList{u"--db"_s, lite});
            const Run b = cli(args + QStringList{u"--db"_s, pg});
            QVERIFY2(a.exitCode == 0 && b.exitCode == 0, qPrintable(a.err + b.err));
            QVERIFY2(!a.out.contains(u"ghp_"_s), qPrintable(a.out));
            QVERIFY(a.out.count(u'\n') > 0);
            QCOMPARE(b.out, a.out);
        }
    }
}

QTEST_GUILESS_MAIN(TestConformance)
#include "tst_conformance.moc"
