// The reviewer's desk walked end to end on the seeded demo, once in the app and once with the
// CLI: from the overview to a finding, its triage, a comparison of its run with a clean run of
// the same campaign, and a tasktrail:// link handed on that opens the same place.
#include "alignedcommandsmodel.h"
#include "campaignreposmodel.h"
#include "campaignview.h"
#include "clirun.h"
#include "compareview.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "mainwindow.h"
#include "openwait.h"
#include "overviewview.h"
#include "reportfixture.h"
#include "settings.h"
#include "store/recordstore.h"
#include "taskview.h"

#include <QAbstractBarSeries>
#include <QAction>
#include <QBarSet>
#include <QChartView>
#include <QClipboard>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::CliRun::cli;

namespace {

QJsonDocument json(const CliRun::Run &run)
{
    return QJsonDocument::fromJson(run.out.toUtf8());
}

// Every bar set of a chart.
QList<QBarSet *> barSetsOf(const QChartView *view)
{
    QList<QBarSet *> sets;
    for (QAbstractSeries *series : view->chart()->series())
        if (auto *bars = qobject_cast<QAbstractBarSeries *>(series))
            sets += bars->barSets();
    return sets;
}

int rowOfFinding(const FindingsModel &model, qint64 id)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.finding(row).id == id)
            return row;
    return -1;
}

} // namespace

class TestReviewWalk final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void inTheApp();
    void withTheCli();

private:
    // A finding of a campaign's run, and a run of the same campaign that completed without
    // findings, as the campaign lists them.
    struct Target
    {
        StoredFinding finding;
        QString campaign;
        QString cleanTask;
        QDate day; // the UTC day the finding's run started
    };
    std::optional<Target> findTarget(RecordStore &store) const;
    std::unique_ptr<MainWindow> openWindow(const QString &db, const QString &name) const;

    QTemporaryDir m_dir;
    QString m_appDb;
    QString m_cliDb;
};

void TestReviewWalk::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString error = ReportTest::buildDemoStore(m_dir.path());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // One database for each walk: each triages.
    m_appDb = m_dir.filePath(u"demo.db"_s);
    m_cliDb = m_dir.filePath(u"cli.db"_s);
    QVERIFY(QFile::copy(m_appDb, m_cliDb));
}

std::optional<TestReviewWalk::Target> TestReviewWalk::findTarget(RecordStore &store) const
{
    for (const QString &campaign : store.campaignIds()) {
        const auto summary = store.campaign(campaign);
        if (!summary)
            continue;
        QString clean;
        QList<StoredFinding> found;
        for (const CampaignSummary::RepoOutcome &o : summary->repos) {
            if (o.taskId.isEmpty())
                continue;
            const QList<StoredFinding> stored = store.storedFindings(o.taskId);
            if (stored.isEmpty() && o.state == TaskState::Completed && clean.isEmpty())
                clean = o.taskId;
            if (found.isEmpty())
                found = stored;
        }
        if (clean.isEmpty() || found.isEmpty())
            continue;
        const auto chain = store.taskChain(found.constFirst().finding.taskId);
        if (!chain || !chain->task.startedAt.isValid())
            continue;
        return Target{found.constFirst(), campaign, clean, chain->task.startedAt.toUTC().date()};
    }
    return std::nullopt;
}

std::unique_ptr<MainWindow> TestReviewWalk::openWindow(const QString &db, const QString &name) const
{
    auto window =
        std::make_unique<MainWindow>(std::make_unique<Settings>(m_dir.filePath(name + u".ini"_s)));
    window->resize(1280, 800);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()) || !openAndWait(*window, db))
        return {};
    return window;
}

// Overview bar -> the finding in Findings -> triage -> compare its run with a clean run of
// its campaign from Campaigns -> Copy Link -> a colleague's window opens the link at the
// finding's run.
void TestReviewWalk::inTheApp()
{
    QString error;
    auto store = openStore(m_appDb, &error, StoreAccess::ReadOnly);
    QVERIFY2(store, qPrintable(error));
    const auto target = findTarget(*store);
    QVERIFY2(target, "the demo has a campaign with a finding and a clean run");
    const Finding &finding = target->finding.finding;
    const qint64 findingId = target->finding.id;

    auto window = openWindow(m_appDb, u"app"_s);
    QVERIFY(window);
    auto *tabs = window->findChild<QTabWidget *>(u"viewTabs"_s);
    auto *overview = window->findChild<OverviewView *>();
    auto *findings = window->findChild<FindingsView *>();
    QVERIFY(tabs && overview && findings);

    // 1. The overview: a bar of the finding's rule opens the findings it counts.
    tabs->setCurrentWidget(overview);
    QTRY_VERIFY_WITH_TIMEOUT(!overview->isLoading() && overview->data().first.isValid(), 30'000);
    const auto *chart =
        overview->findChild<QChartView *>(QString::fromLatin1(OverviewView::ruleChart));
    QVERIFY(chart);
    int row = -1;
    for (QBarSet *set : barSetsOf(chart)) {
        if (set->label() != finding.rule)
            continue;
        for (int i = 0; i < set->count() && row < 0; ++i) {
            if (set->at(i) <= 0)
                continue;
            Q_EMIT set->clicked(i);
            QCOMPARE(tabs->currentWidget(), findings);
            QTRY_VERIFY_WITH_TIMEOUT(!findings->isLoading() && !findings->model()->hasMore() &&
                                         findings->model()->rowCount() == qint64(set->at(i)),
                                     30'000);
            row = rowOfFinding(*findings->model(), findingId);
        }
    }
    QVERIFY2(row >= 0, "a bar of the rule's chart opens the finding");

    // 2. Triage it: the state is stored, with an entry in the evidence chain.
    findings->table()->setCurrentIndex(findings->model()->index(row, FindingsModel::MessageColumn));
    findings->table()->selectRow(row);
    QCOMPARE(findings->selectedFindingIds(), QList<qint64>{findingId});
    QVERIFY(findings->triageSelected(TriageState::Acknowledged, u"seen in the walk"_s));
    QTRY_VERIFY_WITH_TIMEOUT(
        !findings->isLoading() && (row = rowOfFinding(*findings->model(), findingId)) >= 0 &&
            findings->model()->finding(row).triage.state == TriageState::Acknowledged,
        30'000);
    // Read on a connection of its own, opened after the change.
    auto after = openStore(m_appDb, &error, StoreAccess::ReadOnly);
    QVERIFY2(after, qPrintable(error));
    const QList<FindingTriage> history = after->triageHistory(findingId);
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.constLast().note, u"seen in the walk"_s);
    // The evidence entry of the database's first triage row.
    const auto entry = after->latestEvidence(u"triage"_s, u"1"_s);
    QVERIFY(entry);
    QCOMPARE(entry->stateHash, after->currentEvidenceState(u"triage"_s, u"1"_s));

    // 3. Compare the run with a clean run of its campaign, from the Campaigns tab.
    window->openLink({TasktrailLink::Kind::Campaign, target->campaign});
    auto *campaigns = window->findChild<CampaignView *>();
    QTRY_COMPARE_WITH_TIMEOUT(campaigns->currentCampaignId(), target->campaign, 30'000);
    auto *repos = campaigns->findChild<QTreeView *>(u"reposTable"_s);
    QVERIFY(repos);
    QModelIndex runRow, cleanRow;
    for (int r = 0; r < repos->model()->rowCount(); ++r) {
        const QModelIndex index = repos->model()->index(r, 0);
        const QString task = index.data(CampaignReposModel::TaskIdRole).toString();
        if (task == finding.taskId)
            runRow = index;
        else if (task == target->cleanTask)
            cleanRow = index;
    }
    QVERIFY(runRow.isValid() && cleanRow.isValid());
    repos->selectionModel()->setCurrentIndex(runRow, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    repos->selectionModel()->setCurrentIndex(cleanRow, QItemSelectionModel::Select |
                                                           QItemSelectionModel::Rows);
    auto *compareButton = campaigns->findChild<QPushButton *>(u"compareReposButton"_s);
    QVERIFY(compareButton && compareButton->isEnabled());
    compareButton->click();
    CompareView *compare = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (compare = window->findChild<CompareView *>()) != nullptr && !compare->isLoading(), 30'000);
    QCOMPARE(compare->taskA(), finding.taskId);
    QCOMPARE(compare->taskB(), target->cleanTask);
    QVERIFY(compare->commandsModel()->rowCount() > 0);
    QVERIFY(!compare->listsView()
                 ->findItems(finding.rule, Qt::MatchContains | Qt::MatchRecursive)
                 .isEmpty());
    compare->close();

    // 4. Copy the finding's link and hand it on: a colleague's window opens it.
    tabs->setCurrentWidget(findings);
    QTRY_VERIFY_WITH_TIMEOUT((row = rowOfFinding(*findings->model(), findingId)) >= 0, 30'000);
    findings->table()->setCurrentIndex(findings->model()->index(row, FindingsModel::RuleColumn));
    QGuiApplication::clipboard()->clear();
    window->findChild<QAction *>(u"editCopyLinkAction"_s)->trigger();
    const QString url = QGuiApplication::clipboard()->text();
    QCOMPARE(url, u"tasktrail://finding/%1"_s.arg(findingId));
    window.reset();

    auto colleague = openWindow(m_appDb, u"colleague"_s);
    QVERIFY(colleague);
    const auto link = parseTasktrailLink(url, &error);
    QVERIFY2(link, qPrintable(error));
    colleague->openLink(*link);
    QTRY_COMPARE_WITH_TIMEOUT(colleague->taskView()->taskId(), finding.taskId, 30'000);
}

// overview --format json -> findings of that bar (--rule, --from, --to) -> findings triage ->
// compare --format json with a clean run of the campaign -> show and findings print the links.
void TestReviewWalk::withTheCli()
{
    QString error;
    std::optional<Target> target;
    {
        auto store = openStore(m_cliDb, &error, StoreAccess::ReadOnly);
        QVERIFY2(store, qPrintable(error));
        target = findTarget(*store);
    }
    QVERIFY(target);
    const Finding &finding = target->finding.finding;
    const qint64 findingId = target->finding.id;
    const QString day = target->day.toString(Qt::ISODate);
    const QStringList db{u"--db"_s, m_cliDb};

    // 1. The overview's count of the finding's rule on its run's day...
    const auto overview = cli(QStringList{u"overview"_s, u"--format"_s, u"json"_s} + db);
    QCOMPARE(overview.exitCode, 0);
    qint64 count = -1;
    for (const QJsonValue &v : json(overview).object().value(u"findings_by_rule"_s).toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value(u"day"_s).toString() == day && c.value(u"key"_s).toString() == finding.rule)
            count = c.value(u"count"_s).toInteger();
    }
    QVERIFY2(count > 0, qPrintable(overview.out));

    // 2. ...is exactly the findings listed for that rule and day, the target among them.
    const auto listed = cli(QStringList{u"findings"_s, u"--rule"_s, finding.rule, u"--from"_s, day,
                                        u"--to"_s, day, u"--format"_s, u"json"_s} +
                            db);
    QCOMPARE(listed.exitCode, 0);
    const QJsonArray rows = json(listed).array();
    QCOMPARE(qint64(rows.size()), count);
    QJsonObject mine;
    for (const QJsonValue &v : rows)
        if (v.toObject().value(u"id"_s).toInteger() == findingId)
            mine = v.toObject();
    QVERIFY(!mine.isEmpty());
    QCOMPARE(mine.value(u"link"_s).toString(), u"tasktrail://finding/%1"_s.arg(findingId));

    // 3. Triage it.
    const auto triaged = cli(QStringList{u"findings"_s, u"triage"_s, QString::number(findingId),
                                         u"--state"_s, u"needs_follow_up"_s, u"--note"_s,
                                         u"compare with a clean run"_s, u"--by"_s, u"erin"_s} +
                             db);
    QVERIFY2(triaged.exitCode == 0, qPrintable(triaged.err));
    const auto followUps = cli(
        QStringList{u"findings"_s, u"--state"_s, u"needs_follow_up"_s, u"--format"_s, u"json"_s} +
        db);
    const QJsonArray open = json(followUps).array();
    QCOMPARE(open.size(), 1);
    const QJsonObject triage = open.at(0).toObject().value(u"triage"_s).toObject();
    QCOMPARE(triage.value(u"by"_s).toString(), u"erin"_s);
    QCOMPARE(triage.value(u"note"_s).toString(), u"compare with a clean run"_s);

    // 4. Compare the run with the clean run of its campaign.
    const auto compared =
        cli(QStringList{u"compare"_s, finding.taskId, target->cleanTask, u"--format"_s, u"json"_s} +
            db);
    QVERIFY2(compared.exitCode == 0, qPrintable(compared.err));
    const QJsonObject comparison = json(compared).object();
    const QJsonObject a = comparison.value(u"a"_s).toObject();
    const QJsonObject b = comparison.value(u"b"_s).toObject();
    QCOMPARE(a.value(u"task"_s).toString(), finding.taskId);
    QCOMPARE(b.value(u"task"_s).toString(), target->cleanTask);
    QVERIFY(b.value(u"findings"_s).toArray().isEmpty());
    bool withState = false;
    for (const QJsonValue &v : a.value(u"findings"_s).toArray())
        withState |= v.toObject().value(u"id"_s).toInteger() == findingId &&
                     v.toObject().value(u"triage"_s).toObject().value(u"state"_s).toString() ==
                         u"needs_follow_up"_s;
    QVERIFY2(withState, qPrintable(compared.out));

    // 5. The links to hand on: the run's from show, the campaign's from campaign.
    const auto show = cli(QStringList{u"show"_s, finding.taskId} + db);
    QCOMPARE(show.exitCode, 0);
    QVERIFY2(show.out.contains(taskLinkUrl(finding.taskId)), qPrintable(show.out));
    const auto campaign = cli(QStringList{u"campaign"_s, target->campaign} + db);
    QVERIFY2(campaign.out.contains(campaignLinkUrl(target->campaign)), qPrintable(campaign.out));
}

QTEST_MAIN(TestReviewWalk)
#include "tst_reviewwalk.moc"
