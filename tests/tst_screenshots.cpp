// Screenshots of the main views, taken from the demo database on a real X server (Xvfb), in
// light and dark palettes and at 200% scale. The PNGs land in TASKTRAIL_SCREENSHOT_DIR;
// packaging/update-screenshots copies them to docs/screenshots for the README.
#include "alignedcommandsmodel.h"
#include "campaignview.h"
#include "chaindetail.h"
#include "compareview.h"
#include "demo/demogenerator.h"
#include "findingsmodel.h"
#include "findingsview.h"
#include "ingest/ingestor.h"
#include "logpanel.h"
#include "logview.h"
#include "mainwindow.h"
#include "openwait.h"
#include "overviewview.h"
#include "policy/storedspecs.h"
#include "policylibraryview.h"
#include "runsmodel.h"
#include "searchview.h"
#include "settings.h"
#include "store/recordstore.h"
#include "taskview.h"
#include "transcriptpanel.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QPalette>
#include <QSet>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// The same dark palette a desktop in dark mode hands to Fusion.
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8a, 0x8a));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xff));
    p.setColor(QPalette::Light, QColor(0x45, 0x45, 0x45));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::Mid, QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    return p;
}

// Mean lightness (0-255) of an image, sampled on a grid.
int meanLightness(const QImage &image)
{
    qint64 sum = 0;
    qint64 count = 0;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4) {
            sum += QColor(image.pixel(x, y)).lightness();
            ++count;
        }
    }
    return count ? int(sum / count) : 0;
}

// Distinct colours, sampled: a view that painted nothing (or only a background) has few.
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

class TestScreenshots final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void overview();
    void runs();
    void pullRequest();
    void campaign();
    void search();
    void transcript();
    void findings();
    void policies();
    void compare();
    void dark();
    void scaled();

private:
    QImage save(QWidget *widget, const QString &name);
    void showShowcaseTask();

    QTemporaryDir m_dir;
    QString m_dbPath;
    QString m_outDir;
    DemoSummary m_demo;
    std::unique_ptr<MainWindow> m_window;
};

void TestScreenshots::initTestCase()
{
    // Screenshots must come from a real display server, not from the offscreen platform.
    QCOMPARE(QGuiApplication::platformName(), u"xcb"_s);
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_dir.isValid());
    m_outDir = qEnvironmentVariable("TASKTRAIL_SCREENSHOT_DIR", m_dir.filePath(u"shots"_s));
    QVERIFY(QDir().mkpath(m_outDir));

    const QString demoDir = m_dir.filePath(u"demo"_s);
    DemoGenerator generator;
    QString error;
    QVERIFY2(generator.generate({demoDir, 0.2, 20261124}, &error), qPrintable(error));
    m_demo = generator.summary();
    m_dbPath = m_dir.filePath(u"demo.db"_s);
    std::unique_ptr<RecordStore> store = openStore(m_dbPath, &error);
    QVERIFY2(store, qPrintable(error));
    Ingestor ingestor(*store);
    // A coding agent's own session beside the demo's runs, for the Transcript card.
    QVERIFY2(ingestor.ingest({demoDir, QStringLiteral(TASKTRAIL_TEST_DATA) +
                                           u"/transcripts/claude-code-session.jsonl"_s}),
             qPrintable(ingestor.errorString()));
    QVERIFY2(checkAfterIngest(*store, ingestor.touchedTaskIds(), ingestor.newPolicyDocuments(),
                              nullptr, &error),
             qPrintable(error));
}

void TestScreenshots::init()
{
    m_window =
        std::make_unique<MainWindow>(std::make_unique<Settings>(m_dir.filePath(u"settings.ini"_s)));
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(openAndWait(*m_window, m_dbPath));
    QTRY_VERIFY(m_window->runsModel()->isIdle());
}

void TestScreenshots::cleanup()
{
    m_window.reset();
    QApplication::setPalette(QApplication::style()->standardPalette());
}

QImage TestScreenshots::save(QWidget *widget, const QString &name)
{
    // Deliver what is posted (a palette or style change, a relayout), then wait for the pages
    // the views asked for; grab() paints them itself.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    if (!QTest::qWaitFor([this] { return m_window->runsModel()->isIdle(); }, 10000))
        qWarning("the runs table was still loading when %s was taken", qPrintable(name));
    const QImage image = widget->grab().toImage();
    const QString path = QDir(m_outDir).filePath(name + u".png"_s);
    if (!image.save(path))
        qWarning("cannot write %s", qPrintable(path));
    return image;
}

void TestScreenshots::showShowcaseTask()
{
    m_window->selectTask(m_demo.showcaseTaskId);
    QTRY_VERIFY(m_window->runsModel()->isIdle());
    QTRY_VERIFY(!m_window->isLoadingChain());
    QCOMPARE(m_window->taskView()->taskId(), m_demo.showcaseTaskId);
}

void TestScreenshots::overview()
{
    auto *view = m_window->findChild<OverviewView *>();
    m_window->findChild<QTabWidget *>(u"viewTabs"_s)->setCurrentWidget(view);
    QTRY_VERIFY(!view->isLoading() && !view->data().runs.isEmpty());
    QVERIFY(distinctColours(save(m_window.get(), u"overview"_s)) > 50);
}

void TestScreenshots::runs()
{
    showShowcaseTask();
    m_window->taskView()->showCard(ChainStrip::Card::Commands);
    LogView *log = m_window->taskView()->logPanel()->logView();
    QVERIFY(log->lineCount() > 0);
    QTRY_VERIFY(log->isLineLoaded(log->firstVisibleLine())); // read off the GUI thread
    const QImage image = save(m_window.get(), u"runs"_s);
    QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
    QVERIFY2(distinctColours(image) > 50, "the window painted almost nothing");
}

void TestScreenshots::pullRequest()
{
    showShowcaseTask();
    m_window->taskView()->showCard(ChainStrip::Card::PullRequest);
    QVERIFY(m_window->taskView()->detail()->pageHtml(ChainStrip::Card::PullRequest).contains(u'#'));
    QVERIFY(distinctColours(save(m_window.get(), u"pull-request"_s)) > 50);
}

void TestScreenshots::campaign()
{
    auto *tabs = m_window->findChild<QTabWidget *>(u"viewTabs"_s);
    auto *view = m_window->findChild<CampaignView *>();
    tabs->setCurrentWidget(view);
    QTRY_VERIFY(!view->isLoading()); // the tab reads its campaigns when first shown
    QVERIFY(view->showCampaign(m_demo.showcaseCampaignId));
    QTRY_COMPARE(view->currentCampaignId(), m_demo.showcaseCampaignId);
    auto *skipped = view->findChild<QTreeView *>(u"skippedTree"_s);
    QVERIFY(skipped && skipped->isVisible());
    QVERIFY(distinctColours(save(m_window.get(), u"campaign"_s)) > 50);
}

void TestScreenshots::transcript()
{
    const QString task = u"0f3c2a9e-5d41-4b7a-9c1e-7a2b3c4d5e6f"_s;
    m_window->selectTask(task);
    QTRY_VERIFY(!m_window->isLoadingChain());
    QCOMPARE(m_window->taskView()->taskId(), task);
    TranscriptPanel *panel = m_window->taskView()->detail()->transcriptPanel();
    QSignalSpy shown(panel, &TranscriptPanel::entryShown);
    // The first shell call, unfolded under its result.
    m_window->taskView()->openLog(1);
    m_window->taskView()->showLogInTranscript();
    QTRY_COMPARE(shown.size(), 1);
    QTRY_VERIFY(!panel->isBusy());
    QVERIFY(distinctColours(save(m_window.get(), u"transcript"_s)) > 50);
}

void TestScreenshots::search()
{
    auto *view = m_window->findChild<SearchView *>();
    m_window->findChild<QTabWidget *>(u"viewTabs"_s)->setCurrentWidget(view);
    QSignalSpy finished(view, &SearchView::searchFinished);
    view->search(u"npm error"_s);
    QTRY_VERIFY(!finished.isEmpty());
    QVERIFY(finished.constLast().at(1).toInt() > 0);
    QVERIFY(distinctColours(save(m_window.get(), u"search"_s)) > 50);
}

void TestScreenshots::findings()
{
    auto *view = m_window->findChild<FindingsView *>();
    m_window->findChild<QTabWidget *>(u"viewTabs"_s)->setCurrentWidget(view);
    view->reload();
    // The demo's template and policy files make its planted anomalies findings.
    QTRY_VERIFY(!view->isLoading() && view->model()->rowCount() > 0);
    QVERIFY(distinctColours(save(m_window.get(), u"findings"_s)) > 50);
}

void TestScreenshots::policies()
{
    auto *view = m_window->findChild<PolicyLibraryView *>();
    m_window->findChild<QTabWidget *>(u"viewTabs"_s)->setCurrentWidget(view);
    QVERIFY(view->showDocument(PolicyDocument::Kind::Template, u"deps-bump"_s, u"3"_s));
    QTRY_VERIFY(!view->changes().isEmpty());
    QVERIFY(distinctColours(save(m_window.get(), u"policies"_s)) > 50);
}

void TestScreenshots::compare()
{
    // The showcase run beside a failed run of its campaign (another run when none failed),
    // with the diff of the first command whose row differs.
    QString error;
    const auto store = openStore(m_dbPath, &error);
    QVERIFY2(store, qPrintable(error));
    const auto campaign = store->campaign(m_demo.showcaseCampaignId);
    QVERIFY(campaign);
    QString other;
    for (const CampaignSummary::RepoOutcome &repo : campaign->repos) {
        if (repo.taskId.isEmpty() || repo.taskId == m_demo.showcaseTaskId)
            continue;
        if (other.isEmpty() || repo.state == TaskState::Failed)
            other = repo.taskId;
        if (repo.state == TaskState::Failed)
            break;
    }
    QVERIFY(!other.isEmpty());
    m_window->compareRuns(m_demo.showcaseTaskId, other);
    auto *view = m_window->findChild<CompareView *>();
    QVERIFY(view);
    view->resize(1280, 860);
    QVERIFY(QTest::qWaitForWindowExposed(view));
    QTRY_VERIFY(!view->isLoading());
    AlignedCommandsModel *rows = view->commandsModel();
    QVERIFY(rows->rowCount() > 0);
    int pick = 0;
    for (int row = 0; row < rows->rowCount(); ++row) {
        if (rows->index(row, 0).data(AlignedCommandsModel::MatchRole).toInt() !=
            int(RunComparison::Match::Same)) {
            pick = row;
            break;
        }
    }
    view->commandsView()->setCurrentIndex(rows->index(pick, 0));
    QTRY_VERIFY(!view->isLoadingLogDiff());
    QVERIFY(distinctColours(save(view, u"compare"_s)) > 50);
}

void TestScreenshots::dark()
{
    showShowcaseTask();
    m_window->taskView()->showCard(ChainStrip::Card::Commands);
    LogView *log = m_window->taskView()->logPanel()->logView();
    QTRY_VERIFY(log->isLineLoaded(log->firstVisibleLine()));
    const int lightLog = meanLightness(log->grab().toImage());
    const int lightStrip = meanLightness(m_window->taskView()->strip()->grab().toImage());

    // A palette change reaches every view, including the ones that paint themselves.
    QApplication::setPalette(darkPalette());
    const QImage image = save(m_window.get(), u"runs-dark"_s);
    const int darkLog = meanLightness(log->grab().toImage());
    const int darkStrip = meanLightness(m_window->taskView()->strip()->grab().toImage());
    QVERIFY2(lightLog > 160 && darkLog < 90,
             qPrintable(u"log lightness %1 -> %2"_s.arg(lightLog).arg(darkLog)));
    QVERIFY2(lightStrip > 160 && darkStrip < 90,
             qPrintable(u"strip lightness %1 -> %2"_s.arg(lightStrip).arg(darkStrip)));
    QVERIFY(meanLightness(image) < 90);
}

void TestScreenshots::scaled()
{
    if (qEnvironmentVariable("QT_SCALE_FACTOR") != u"2"_s)
        QSKIP("run with QT_SCALE_FACTOR=2 (the tst_screenshots_200 test does)");
    QCOMPARE(m_window->devicePixelRatio(), 2.0);
    showShowcaseTask();
    m_window->taskView()->showCard(ChainStrip::Card::Commands);
    // Every chain card still shows its whole first line: the strip is laid out in logical
    // pixels and only drawn at twice the density. The cards' new text asks for a layout that
    // runs from the event loop, so wait for it rather than reading the previous geometry.
    ChainStrip *strip = m_window->taskView()->strip();
    for (int i = 0; i < ChainStrip::cardCount; ++i) {
        QWidget *card = strip->cardWidget(ChainStrip::Card(i));
        QTRY_VERIFY2(card->height() >= card->sizeHint().height(),
                     qPrintable(u"card %1: height %2, wants %3"_s.arg(i)
                                    .arg(card->height())
                                    .arg(card->sizeHint().height())));
    }
    const QImage image = save(m_window.get(), u"runs-200"_s);
    QCOMPARE(image.size(), m_window->size() * 2);
    QVERIFY(distinctColours(image) > 50);
}

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
