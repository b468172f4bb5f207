// `tasktrail-cli findings` and `overview` as text and JSON on a crafted database: every
// finding carries its tasktrail:// link, columns stay apart whatever the length of a rule, a
// team or a state, and --from/--to select the findings of exactly those UTC days of their
// run, as the Overview counts and the app's click opens them.
#include "clirun.h"
#include "records/request.h"
#include "store/recordstore.h"
#include "text/tasktraillink.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::CliRun::cli;

namespace {

// Longer than every column it is printed in.
const QString longRule = u"a_rule_whose_name_runs_well_past_its_column"_s;
const QString longTeam = u"acme/a-review-team-with-a-long-name"_s;

QDateTime day(int d, int hour = 10)
{
    return QDateTime(QDate(2026, 4, d), QTime(hour, 0), QTimeZone::utc());
}

TaskRecord task(const QString &id, int d, TaskState state, int hour = 10)
{
    TaskRecord t;
    t.id = id;
    t.repo = u"acme/web"_s;
    t.templateId = u"deps-bump"_s;
    t.templateVersion = u"3"_s;
    t.policyId = u"agents"_s;
    t.policyVersion = u"7"_s;
    t.state = state;
    t.startedAt = day(d, hour);
    return t;
}

Finding finding(const QString &taskId, const QString &rule, Severity severity)
{
    Finding f;
    f.taskId = taskId;
    f.rule = rule;
    f.severity = severity;
    f.message = u"%1 in %2"_s.arg(rule, taskId);
    f.evidenceKind = EvidenceKind::Task;
    return f;
}

// The lines of a `findings` listing that are findings (a triaged one has a line after it).
QStringList findingLines(const QString &out)
{
    static const QRegularExpression startsWithId(u"^ *\\d+  "_s);
    QStringList lines;
    for (const QString &l : out.split(u'\n', Qt::SkipEmptyParts))
        if (startsWithId.match(l).hasMatch())
            lines << l;
    return lines;
}

QJsonArray jsonArray(const CliRun::Run &run)
{
    return QJsonDocument::fromJson(run.out.toUtf8()).array();
}

} // namespace

class TestFindingsCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void findingsCarryTheirLinks();
    void findingColumnsStayApart();
    void overviewColumnsStayApart();
    void fromAndToSelectTheDaysOfTheRun_data();
    void fromAndToSelectTheDaysOfTheRun();
    void badDaysAreRefused_data();
    void badDaysAreRefused();

private:
    QStringList findingsArgs(const QStringList &more) const
    {
        return QStringList{u"findings"_s, u"--db"_s, m_db} + more;
    }

    QTemporaryDir m_dir;
    QString m_db;
};

// T-1 (1 April, 23:00 UTC) a critical finding of a long rule, triaged "needs follow-up";
// T-2 (2 April) two; T-3 (3 April, 00:00 UTC) one, in a campaign waiting for its user, with a
// pull request whose reviewer team has no capacity on file.
void TestFindingsCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(u"findings.db"_s);
    QString error;
    auto store = openStore(m_db, &error);
    QVERIFY2(store, qPrintable(error));
    CampaignRecord campaign;
    campaign.id = u"cmp-1"_s;
    campaign.title = u"Bump lodash"_s;
    campaign.createdAt = day(3, 0);
    TaskRecord waiting = task(u"T-3"_s, 3, TaskState::WaitingForUser, 0);
    waiting.campaignId = campaign.id;
    waiting.prNumber = 7;
    PullRequestRecord pr;
    pr.repo = waiting.repo;
    pr.number = 7;
    pr.title = u"Bump lodash"_s;
    pr.state = u"open"_s;
    pr.requestedTeams = {longTeam};
    pr.createdAt = day(3, 1);
    QVERIFY(store->beginBatch());
    QVERIFY(store->writeCampaign(campaign));
    QVERIFY(store->writeTask(task(u"T-1"_s, 1, TaskState::Completed, 23)));
    QVERIFY(store->writeTask(task(u"T-2"_s, 2, TaskState::Failed)));
    QVERIFY(store->writeTask(waiting));
    QVERIFY(store->writePullRequest(pr));
    QVERIFY(store->replaceFindings(u"T-1"_s, {finding(u"T-1"_s, longRule, Severity::Critical)}));
    QVERIFY(store->replaceFindings(u"T-2"_s,
                                   {finding(u"T-2"_s, u"host_not_allowed"_s, Severity::High),
                                    finding(u"T-2"_s, u"pr_missing_label"_s, Severity::Low)}));
    QVERIFY(store->replaceFindings(u"T-3"_s,
                                   {finding(u"T-3"_s, u"file_out_of_scope"_s, Severity::Medium)}));
    QVERIFY2(store->commitBatch(), qPrintable(store->errorString()));
    const QList<StoredFinding> first = store->storedFindings(u"T-1"_s);
    QCOMPARE(first.size(), 1);
    FindingTriage triage;
    triage.state = TriageState::NeedsFollowUp;
    triage.by = u"dana"_s;
    triage.at = day(4);
    QVERIFY2(store->triageFindings({first.constFirst().id}, triage),
             qPrintable(store->errorString()));
}

// Text: each line ends with the link of the id it starts with. JSON: `link` of each `id`.
void TestFindingsCli::findingsCarryTheirLinks()
{
    const auto text = cli(findingsArgs({}));
    QCOMPARE(text.exitCode, 0);
    const QStringList lines = findingLines(text.out);
    QCOMPARE(lines.size(), 4);
    QVERIFY2(text.out.contains(u"        triaged by dana at 2026-04-04T10:00:00Z\n"_s),
             qPrintable(text.out));
    static const QRegularExpression line(u"^ *(\\d+)  .*\\]  (tasktrail://finding/(\\d+))$"_s);
    for (const QString &l : lines) {
        const auto m = line.match(l);
        QVERIFY2(m.hasMatch(), qPrintable(l));
        QCOMPARE(m.captured(3), m.captured(1));
        QCOMPARE(m.captured(2), findingLinkUrl(m.captured(1).toLongLong()));
    }
    const QJsonArray json = jsonArray(cli(findingsArgs({u"--format"_s, u"json"_s})));
    QCOMPARE(json.size(), 4);
    for (const QJsonValue &v : json) {
        const QJsonObject f = v.toObject();
        const qint64 id = f.value(u"id"_s).toInteger();
        QVERIFY(id > 0);
        QCOMPARE(f.value(u"link"_s).toString(), u"tasktrail://finding/%1"_s.arg(id));
        const auto link = parseTasktrailLink(f.value(u"link"_s).toString());
        QVERIFY(link);
        QCOMPARE(link->kind, TasktrailLink::Kind::Finding);
    }
}

// A rule longer than its column, after the longest severity, before the longest state: each
// is followed by two spaces at least.
void TestFindingsCli::findingColumnsStayApart()
{
    const auto run = cli(findingsArgs({u"--task"_s, u"T-1"_s}));
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(u"  T-1  critical  "_s + longRule + u"  needs follow-up  "_s),
             qPrintable(run.out));
    QVERIFY(!run.out.contains(longRule + u"needs"_s));
    // Every line of a listing has its columns where its other lines have them.
    const QStringList lines = findingLines(cli(findingsArgs({})).out);
    QCOMPARE(lines.size(), 4);
    const qsizetype stateAt = lines.constLast().indexOf(u"needs follow-up"_s);
    QVERIFY(stateAt > 0);
    for (const QString &l : lines)
        QVERIFY2(l.at(stateAt - 1) == u' ' && l.at(stateAt - 2) == u' ' && l.at(stateAt) != u' ',
                 qPrintable(l));
}

void TestFindingsCli::overviewColumnsStayApart()
{
    const auto run = cli({u"overview"_s, u"--db"_s, m_db});
    QCOMPARE(run.exitCode, 0);
    const QString &out = run.out;
    QVERIFY2(out.contains(u"  2026-04-01  "_s + longRule + u"  1\n"_s), qPrintable(out));
    QVERIFY2(out.contains(u"  cmp-1  waiting_for_user  1  Bump lodash\n"_s), qPrintable(out));
    // The team's capacity is not on file: said in words, not as a '?'.
    QVERIFY2(out.contains(u"  2026-04-03  "_s + longTeam + u"  1 / capacity unknown\n"_s),
             qPrintable(out));
    QVERIFY(!out.contains(u" / ?"_s));
}

void TestFindingsCli::fromAndToSelectTheDaysOfTheRun_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("tasks");
    QTest::newRow("one day") << QStringList{u"--from"_s, u"2026-04-02"_s, u"--to"_s,
                                            u"2026-04-02"_s}
                             << QStringList{u"T-2"_s, u"T-2"_s};
    // 23:00 on the 1st is the 1st; midnight on the 3rd is the 3rd.
    QTest::newRow("edges of a day")
        << QStringList{u"--from"_s, u"2026-04-01"_s, u"--to"_s, u"2026-04-01"_s}
        << QStringList{u"T-1"_s};
    QTest::newRow("from only") << QStringList{u"--from"_s, u"2026-04-03"_s}
                               << QStringList{u"T-3"_s};
    QTest::newRow("to only") << QStringList{u"--to"_s, u"2026-04-02"_s}
                             << QStringList{u"T-2"_s, u"T-2"_s, u"T-1"_s};
    QTest::newRow("with a rule") << QStringList{u"--from"_s,     u"2026-04-01"_s, u"--to"_s,
                                                u"2026-04-03"_s, u"--rule"_s,     longRule}
                                 << QStringList{u"T-1"_s};
    QTest::newRow("no day of a run") << QStringList{u"--from"_s, u"2026-04-04"_s} << QStringList{};
}

void TestFindingsCli::fromAndToSelectTheDaysOfTheRun()
{
    QFETCH(QStringList, options);
    QFETCH(QStringList, tasks);
    const auto run = cli(findingsArgs(options + QStringList{u"--format"_s, u"json"_s}));
    QCOMPARE(run.exitCode, 0);
    QStringList got;
    for (const QJsonValue &v : jsonArray(run))
        got << v.toObject().value(u"task_id"_s).toString();
    QCOMPARE(got, tasks);
}

void TestFindingsCli::badDaysAreRefused_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("message");
    QTest::newRow("not a day") << QStringList{u"--from"_s, u"April"_s}
                               << u"--from must be a day (YYYY-MM-DD), not 'April'"_s;
    QTest::newRow("no such day") << QStringList{u"--to"_s, u"2026-02-30"_s}
                                 << u"--to must be a day (YYYY-MM-DD), not '2026-02-30'"_s;
    QTest::newRow("to before from")
        << QStringList{u"--from"_s, u"2026-04-03"_s, u"--to"_s, u"2026-04-01"_s}
        << u"--to (2026-04-01) is before --from (2026-04-03)"_s;
}

void TestFindingsCli::badDaysAreRefused()
{
    QFETCH(QStringList, options);
    QFETCH(QString, message);
    const auto run = cli(findingsArgs(options));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

QTEST_MAIN(TestFindingsCli)
#include "tst_findingscli.moc"
