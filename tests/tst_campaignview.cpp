#include "campaignlistmodel.h"
#include "campaignreposmodel.h"
#include "campaignview.h"
#include "demo/demogenerator.h"
#include "guiwatchdog.h"
#include "ingest/ingestor.h"
#include "largestore.h"
#include "skippedreposmodel.h"
#include "store/recordstore.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using TestSupport::GuiWatchdog;

namespace {

// The tasks of the large store; TASKTRAIL_LARGE_TASKS overrides it (bench_runsmodel's store
// has 1,000,000).
int largeTaskCount()
{
    bool ok = false;
    const int n = qEnvironmentVariableIntValue("TASKTRAIL_LARGE_TASKS", &ok);
    return ok && n > 0 ? n : 200'000;
}

} // namespace

class TestCampaignView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listsEveryCampaign();
    void oneClickShowsTheShowcaseCounts();
    void skippedReposAreGroupedByRuleAndExpanded();
    void modelsPassTheTester();
    void activatingARepoWithATaskEmitsIt();
    void skippedRepoHasNoTaskToActivate();
    void unknownCampaignIsRefused();
    void noStoreClearsTheView();
    void guiThreadNeverWaitsOnALargeStore();

private:
    // Shows the view and clicks the showcase campaign in its list.
    void clickShowcase(CampaignView &view);
    static QString countText(const CampaignView &view, const QString &name);

    QTemporaryDir m_dir;
    DemoSummary m_demo;
    std::unique_ptr<RecordStore> m_store;
    std::unique_ptr<RecordStore> m_large;
};

void TestCampaignView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString demoDir = m_dir.filePath(u"demo"_s);
    DemoGenerator generator;
    QString error;
    QVERIFY2(generator.generate({demoDir, 0.1, 20261124}, &error), qPrintable(error));
    m_demo = generator.summary();
    m_store = openStore(m_dir.filePath(u"tasktrail.db"_s), &error);
    QVERIFY2(m_store, qPrintable(error));
    Ingestor ingestor(*m_store);
    QVERIFY2(ingestor.ingest({demoDir}), qPrintable(ingestor.errorString()));
    QCOMPARE(m_demo.showcaseCampaignId, u"cmp-0001"_s);

    QElapsedTimer timer;
    timer.start();
    m_large = openStore(m_dir.filePath(u"large.db"_s), &error);
    QVERIFY2(m_large, qPrintable(error));
    QVERIFY2(LargeStore::write(*m_large, largeTaskCount()), qPrintable(m_large->errorString()));
    qInfo("wrote %d tasks with campaigns and queue entries in %lld ms", largeTaskCount(),
          timer.elapsed());
}

void TestCampaignView::clickShowcase(CampaignView &view)
{
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *list = view.findChild<QTreeView *>(u"campaignList"_s);
    QVERIFY(list);
    const int row = view.campaignsModel()->rowOfId(m_demo.showcaseCampaignId);
    QVERIFY(row >= 0);
    const QModelIndex index = view.campaignsModel()->index(row, CampaignListModel::IdColumn);
    list->scrollTo(index);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
    QTRY_COMPARE(view.currentCampaignId(), m_demo.showcaseCampaignId);
}

QString TestCampaignView::countText(const CampaignView &view, const QString &name)
{
    const auto *label = view.findChild<QLabel *>(name);
    return label ? label->text() : u"(no label %1)"_s.arg(name);
}

void TestCampaignView::listsEveryCampaign()
{
    CampaignView view;
    view.setStore(m_store.get());
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.campaignsModel()->rowCount(), int(m_demo.campaigns));
    QCOMPARE(view.campaignsModel()->rowCount(), int(m_store->campaignIds().size()));
    const QModelIndex first = view.campaignsModel()->index(0, CampaignListModel::TitleColumn);
    QVERIFY(!first.data().toString().isEmpty());
    QVERIFY(view.currentCampaignId().isEmpty()); // nothing is shown before a click
}

void TestCampaignView::oneClickShowsTheShowcaseCounts()
{
    CampaignView view;
    view.setStore(m_store.get());
    QTRY_VERIFY(!view.isLoading());
    clickShowcase(view);
    QCOMPARE(countText(view, u"count-targeted"_s), u"50"_s);
    QCOMPARE(countText(view, u"count-skipped"_s), u"3"_s);
    const std::optional<CampaignSummary> summary = m_store->campaign(m_demo.showcaseCampaignId);
    QVERIFY(summary);
    QCOMPARE(countText(view, u"count-prs-opened"_s), QString::number(summary->prsOpened));
    QCOMPARE(countText(view, u"count-merged"_s), QString::number(summary->prsMerged));
    QCOMPARE(countText(view, u"count-failed"_s), QString::number(summary->failed));
    QCOMPARE(countText(view, u"count-retried"_s), QString::number(summary->retried));
    QVERIFY(summary->prsMerged > 0); // the showcase has a merged PR
    QCOMPARE(view.reposModel()->rowCount(), 50);
    auto *title = view.findChild<QLabel *>(u"campaignTitle"_s);
    QVERIFY(title->text().contains(m_demo.showcaseCampaignId));
}

void TestCampaignView::skippedReposAreGroupedByRuleAndExpanded()
{
    CampaignView view;
    view.setStore(m_store.get());
    QTRY_VERIFY(!view.isLoading());
    clickShowcase(view);
    const SkippedReposModel *model = view.skippedModel();
    auto *tree = view.findChild<QTreeView *>(u"skippedTree"_s);
    QVERIFY(tree);
    QCOMPARE(model->rowCount(), 3);
    QStringList rules;
    QStringList repos;
    for (int g = 0; g < model->rowCount(); ++g) {
        const QModelIndex group = model->index(g, 0);
        QVERIFY(model->data(group, SkippedReposModel::IsGroupRole).toBool());
        const QString rule = model->data(group, SkippedReposModel::RuleRole).toString();
        rules << rule;
        QCOMPARE(model->rowCount(group), 1);
        QCOMPARE(group.data().toString(), u"%1 (1)"_s.arg(rule));
        QVERIFY2(tree->isExpanded(group), qPrintable(rule));
        const QModelIndex repo = model->index(0, SkippedReposModel::NameColumn, group);
        const QModelIndex reason = model->index(0, SkippedReposModel::ReasonColumn, group);
        const QModelIndex evidence = model->index(0, SkippedReposModel::EvidenceColumn, group);
        repos << repo.data().toString();
        QVERIFY2(!reason.data().toString().isEmpty(), qPrintable(rule));
        QVERIFY2(!evidence.data().toString().isEmpty(), qPrintable(rule));
        QCOMPARE(repo.data(SkippedReposModel::RuleRole).toString(), rule);
        QVERIFY(tree->visualRect(reason).isValid()); // on screen without another click
    }
    rules.sort();
    QCOMPARE(rules, (QStringList{u"archived"_s, u"not_eligible"_s, u"release_freeze"_s}));
    repos.sort();
    QStringList expected = m_demo.showcaseSkippedRepos;
    expected.sort();
    QCOMPARE(repos, expected);
}

void TestCampaignView::modelsPassTheTester()
{
    CampaignView view;
    QAbstractItemModelTester listTester(view.campaignsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester reposTester(view.reposModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester skippedTester(view.skippedModel(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setStore(m_store.get());
    QTRY_VERIFY(!view.isLoading());
    const QStringList ids = m_store->campaignIds();
    for (const QString &id : ids)
        QVERIFY(view.showCampaign(id));
    QVERIFY(view.showCampaign(m_demo.showcaseCampaignId));
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.reposModel()->rowCount(), 50);
    const QModelIndex pr = view.reposModel()->index(0, CampaignReposModel::PullRequestColumn);
    QVERIFY(pr.data().canConvert<QString>());
    view.setStore(nullptr);
    QCOMPARE(view.reposModel()->rowCount(), 0);
}

void TestCampaignView::activatingARepoWithATaskEmitsIt()
{
    CampaignView view;
    view.setStore(m_store.get());
    QTRY_VERIFY(!view.isLoading());
    clickShowcase(view);
    const CampaignReposModel *model = view.reposModel();
    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r)
        if (!model->repo(r).taskId.isEmpty())
            row = r;
    QVERIFY(row >= 0);
    const QString taskId = model->repo(row).taskId;
    auto *table = view.findChild<QTreeView *>(u"reposTable"_s);
    QVERIFY(table);
    const QModelIndex index = model->index(row, CampaignReposModel::RepoColumn);
    table->scrollTo(index);
    QSignalSpy spy(&view, &CampaignView::taskActivated);
    // The first click of a double-click selects the row, as it does for a person.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), taskId);
    QCOMPARE(index.data(CampaignReposModel::TaskIdRole).toString(), taskId);
}

void TestCampaignView::skippedRepoHasNoTaskToActivate()
{
    CampaignView view;
    view.setStore(m_store.get());
    QTRY_VERIFY(!view.isLoading());
    QVERIFY(view.showCampaign(m_demo.showcaseCampaignId));
    QTRY_VERIFY(!view.isLoading());
    const CampaignReposModel *model = view.reposModel();
    auto *table = view.findChild<QTreeView *>(u"reposTable"_s);
    QSignalSpy spy(&view, &CampaignView::taskActivated);
    int skipped = 0;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex index = model->index(r, CampaignReposModel::DecisionColumn);
        if (!index.data(CampaignReposModel::SkippedRole).toBool())
            continue;
        ++skipped;
        QVERIFY(
            index.data().toString().contains(index.data(CampaignReposModel::RuleRole).toString()));
        Q_EMIT table->activated(index);
    }
    QCOMPARE(skipped, 3);
    QCOMPARE(spy.count(), 0);
}

void TestCampaignView::unknownCampaignIsRefused()
{
    CampaignView view;
    view.setStore(m_store.get());
    QTRY_VERIFY(!view.isLoading());
    QVERIFY(view.showCampaign(m_demo.showcaseCampaignId));
    QTRY_VERIFY(!view.isLoading());
    QVERIFY(!view.showCampaign(u"cmp-does-not-exist"_s));
    QCOMPARE(view.currentCampaignId(), m_demo.showcaseCampaignId); // still showing the last
}

void TestCampaignView::noStoreClearsTheView()
{
    CampaignView view;
    view.setStore(m_store.get());
    QTRY_VERIFY(!view.isLoading());
    QVERIFY(view.showCampaign(m_demo.showcaseCampaignId));
    QTRY_VERIFY(!view.isLoading());
    view.setStore(nullptr);
    QCOMPARE(view.campaignsModel()->rowCount(), 0);
    QCOMPARE(view.skippedModel()->rowCount(), 0);
    QVERIFY(view.currentCampaignId().isEmpty());
    QVERIFY(!view.showCampaign(m_demo.showcaseCampaignId));
}

void TestCampaignView::guiThreadNeverWaitsOnALargeStore()
{
    const QString first = LargeStore::campaignId(0);
    const QString last = LargeStore::campaignId(largeTaskCount() - 1);
    // What the view used to do on the GUI thread for the steps below: read the list, then
    // each campaign it was moved to. The watchdog must see that, or it could not tell the view
    // apart from the old one.
    {
        GuiWatchdog watchdog;
        watchdog.arm();
        watchdog.setStep(u"reading the campaigns on the GUI thread"_s);
        const QList<CampaignRecord> campaigns = m_large->campaigns();
        QVERIFY(!campaigns.isEmpty());
        for (const CampaignRecord &c : campaigns)
            QVERIFY(m_large->campaign(c.id));
        watchdog.disarm();
        QVERIFY2(watchdog.stalled(), qPrintable(watchdog.report()));
    }

    CampaignView view;
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    GuiWatchdog watchdog;
    watchdog.arm();
    watchdog.setStep(u"opening the large database"_s);
    view.setStore(m_large.get());
    QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading(), 30000);
    QCOMPARE(view.campaignsModel()->rowCount(),
             (largeTaskCount() + LargeStore::tasksPerCampaign - 1) / LargeStore::tasksPerCampaign);
    watchdog.setStep(u"clicking a campaign"_s);
    auto *list = view.findChild<QTreeView *>(u"campaignList"_s);
    const QModelIndex index =
        view.campaignsModel()->index(view.campaignsModel()->rowOfId(first), 0);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
    QTRY_COMPARE_WITH_TIMEOUT(view.currentCampaignId(), first, 30000);
    QCOMPARE(view.reposModel()->rowCount(),
             std::min(largeTaskCount(), LargeStore::tasksPerCampaign));
    watchdog.setStep(u"moving through the list faster than campaigns load"_s);
    for (int row = 0; row < view.campaignsModel()->rowCount(); ++row)
        QVERIFY(view.showCampaign(view.campaignsModel()->campaign(row).id));
    QTRY_COMPARE_WITH_TIMEOUT(view.currentCampaignId(), last, 30000);
    watchdog.setStep(u"reloading"_s);
    view.reload();
    QTRY_VERIFY_WITH_TIMEOUT(!view.isLoading(), 30000);
    QCOMPARE(view.currentCampaignId(), last);
    watchdog.disarm();
    qInfo("%s", qPrintable(watchdog.report()));
    QVERIFY2(!watchdog.stalled(), qPrintable(watchdog.report()));
}

QTEST_MAIN(TestCampaignView)
#include "tst_campaignview.moc"
