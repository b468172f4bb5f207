// The import pipeline of the desktop app: ImportController running the Ingestor on its
// thread into a real SQLite file, ImportProgress bound to it, and the issues it reports
// landing in IssuesModel / IssuesPanel.
#include "importcontroller.h"
#include "importprogress.h"
#include "issuesmodel.h"
#include "issuespanel.h"
#include "store/recordstore.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

constexpr int importTimeoutMs = 120000;
constexpr int bigLogLines = 500000;

QString fixturePath(const QString &name)
{
    return QString::fromUtf8(TASKTRAIL_TEST_DATA) % u"/ingest/" % name;
}

struct Finished
{
    IngestCounts counts;
    bool cancelled = false;
    QString error;
};

Finished finishedArgs(const QSignalSpy &spy)
{
    const QList<QVariant> args = spy.constFirst();
    return {args.at(0).value<IngestCounts>(), args.at(1).toBool(), args.at(2).toString()};
}

} // namespace

class TestImport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void importsGoodAndBadFiles();
    void issuesPanelListsAndClears();
    void refusesSecondStartWhileRunning();
    void reportsUnopenableDatabase();
    void cancelKeepsWholeBatches();
    void destructorStopsRunningImport();
    void etaText_data();
    void etaText();

private:
    StoreStats statsOfDb();

    QTemporaryDir m_dir;
    QString m_db;
    QString m_bigLog;
    int m_dbCounter = 0;
};

void TestImport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_bigLog = m_dir.filePath(u"big.log"_s);
    QFile log(m_bigLog);
    QVERIFY(log.open(QIODevice::WriteOnly));
    QByteArray content = "##[tasktrail] task=T-big command=1\n";
    content.reserve(bigLogLines * 40);
    for (int i = 1; i <= bigLogLines; ++i)
        content += "compiling unit " + QByteArray::number(i) + " of the build\n";
    QCOMPARE(log.write(content), content.size());
}

void TestImport::init()
{
    // A fresh database per test: imports must not see each other's files as duplicates.
    m_db = m_dir.filePath(u"import-%1.db"_s.arg(++m_dbCounter));
}

StoreStats TestImport::statsOfDb()
{
    QString error;
    const std::unique_ptr<RecordStore> store = openStore(m_db, &error);
    if (!store)
        qFatal("cannot open %s: %s", qPrintable(m_db), qPrintable(error));
    return store->stats();
}

void TestImport::importsGoodAndBadFiles()
{
    ImportController controller;
    IssuesModel issues;
    QAbstractItemModelTester tester(&issues,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    connect(&controller, &ImportController::issueFound, &issues, &IssuesModel::append);
    QSignalSpy started(&controller, &ImportController::started);
    QSignalSpy progress(&controller, &ImportController::progress);
    QSignalSpy issueSpy(&controller, &ImportController::issueFound);
    QSignalSpy finished(&controller, &ImportController::finished);

    const QString bad = fixturePath(u"bad/truncated-json.jsonl"_s);
    QVERIFY(controller.start(m_db, {fixturePath(u"good.jsonl"_s), bad}));
    QCOMPARE(started.size(), 1);
    QVERIFY(controller.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, importTimeoutMs);
    QVERIFY(!controller.isRunning());

    const Finished result = finishedArgs(finished);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(!result.cancelled);
    QCOMPARE(result.counts.ingested, 12); // 10 records of good.jsonl, 2 around the bad line
    QCOMPARE(result.counts.rejected, 1);
    QCOMPARE(result.counts.duplicates, 0);
    QCOMPARE(result.counts.files, 2);

    // Progress: per mille, never backwards, at most one signal per step, ending at 1000.
    QVERIFY(!progress.isEmpty());
    QVERIFY(progress.size() <= 1001);
    int last = -1;
    for (const QList<QVariant> &args : std::as_const(progress)) {
        const int permille = args.at(0).toInt();
        QVERIFY2(permille > last, qPrintable(u"%1 after %2"_s.arg(permille).arg(last)));
        QVERIFY(permille <= 1000);
        last = permille;
    }
    QCOMPARE(last, 1000);

    // The bad line arrives as data, on this thread, and lands in the model.
    QCOMPARE(issueSpy.size(), 1);
    const auto issue = issueSpy.constFirst().at(0).value<IngestIssue>();
    QCOMPARE(issue.file, bad);
    QCOMPARE(issue.line, 2);
    QCOMPARE(issue.severity, IngestIssue::Severity::Error);
    QVERIFY2(issue.reason.contains(u"invalid JSON"_s), qPrintable(issue.reason));

    QCOMPARE(issues.count(), 1);
    QCOMPARE(issues.rowCount(), 1);
    QCOMPARE(issues.errorCount(), 1);
    QCOMPARE(issues.index(0, IssuesModel::SeverityColumn).data().toString(), u"Error"_s);
    QCOMPARE(issues.index(0, IssuesModel::FileColumn).data().toString(), u"truncated-json.jsonl"_s);
    QCOMPARE(issues.index(0, IssuesModel::LineColumn).data().toLongLong(), 2);
    QCOMPARE(issues.index(0, IssuesModel::ReasonColumn).data().toString(), issue.reason);
    QCOMPARE(issues.index(0, 0).data(IssuesModel::FilePathRole).toString(), bad);
    QCOMPARE(issues.index(0, 0).data(IssuesModel::IssueRole).value<IngestIssue>().reason,
             issue.reason);

    const StoreStats stats = statsOfDb();
    QCOMPARE(stats.tasks, 1);
    QCOMPARE(stats.requests, 3); // good.jsonl's and the two around the bad line
    QCOMPARE(stats.logLines, 3);
}

void TestImport::issuesPanelListsAndClears()
{
    IssuesPanel panel;
    QAbstractItemModelTester tester(panel.model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy activated(&panel, &IssuesPanel::issueActivated);
    QCOMPARE(panel.summary(), u"No issues"_s);

    panel.model()->append({IngestIssue::Severity::Warning, u"/logs/a.log"_s, 7, u"cut"_s});
    panel.model()->append({IngestIssue::Severity::Error, u"/logs/b.jsonl"_s, 0, u"bad"_s});
    QCOMPARE(panel.model()->count(), 2);
    QCOMPARE(panel.summary(), u"1 error, 1 warning"_s);
    // A whole-file issue has no line number to show.
    QVERIFY(!panel.model()->index(1, IssuesModel::LineColumn).data().isValid());

    auto *view = panel.findChild<QTreeView *>(u"issuesView"_s);
    QVERIFY(view);
    Q_EMIT view->activated(panel.model()->index(1, IssuesModel::ReasonColumn));
    QCOMPARE(activated.size(), 1);
    const auto issue = activated.constFirst().at(0).value<IngestIssue>();
    QCOMPARE(issue.file, u"/logs/b.jsonl"_s);
    QCOMPARE(issue.reason, u"bad"_s);

    auto *clear = panel.findChild<QAbstractButton *>(u"clearIssuesButton"_s);
    QVERIFY(clear);
    QVERIFY(clear->isEnabled());
    clear->click();
    QCOMPARE(panel.model()->count(), 0);
    QCOMPARE(panel.summary(), u"No issues"_s);
    QVERIFY(!clear->isEnabled());
}

void TestImport::refusesSecondStartWhileRunning()
{
    ImportController controller;
    QSignalSpy finished(&controller, &ImportController::finished);
    QVERIFY(controller.start(m_db, {fixturePath(u"good.jsonl"_s)}));
    QVERIFY(!controller.start(m_db, {fixturePath(u"good.jsonl"_s)}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, importTimeoutMs);
    QVERIFY(finishedArgs(finished).error.isEmpty());

    // Done: it starts again, and the same file is now a duplicate.
    QVERIFY(controller.start(m_db, {fixturePath(u"good.jsonl"_s)}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, importTimeoutMs);
    const IngestCounts again = finished.at(1).at(0).value<IngestCounts>();
    QCOMPARE(again.ingested, 0);
    QCOMPARE(again.duplicates, 10);
}

void TestImport::reportsUnopenableDatabase()
{
    ImportController controller;
    QSignalSpy finished(&controller, &ImportController::finished);
    QVERIFY(
        controller.start(m_dir.filePath(u"no/such/dir/x.db"_s), {fixturePath(u"good.jsonl"_s)}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, importTimeoutMs);
    const Finished result = finishedArgs(finished);
    QVERIFY(!result.error.isEmpty());
    QVERIFY(!result.cancelled);
    QVERIFY(!controller.isRunning());
}

void TestImport::cancelKeepsWholeBatches()
{
    ImportController controller;
    QVERIFY(controller.options().logBatchLines == 50000);
    ImportProgress progressWidget(&controller);
    QVERIFY(progressWidget.isHidden());
    auto *cancelButton = progressWidget.findChild<QToolButton *>(u"importCancelButton"_s);
    QVERIFY(cancelButton);
    QSignalSpy finished(&controller, &ImportController::finished);

    // Cancel as soon as the first batch has been committed: the bar has moved.
    bool clicked = false;
    connect(&controller, &ImportController::progress, this, [&](int permille) {
        if (permille > 0 && !clicked) {
            clicked = true;
            QVERIFY(!progressWidget.isHidden());
            QVERIFY(progressWidget.text().contains(u'%'));
            QCOMPARE(progressWidget.permille(), permille);
            cancelButton->click();
            QVERIFY(!cancelButton->isEnabled());
            QCOMPARE(progressWidget.text(), u"Cancelling…"_s);
        }
    });
    QVERIFY(controller.start(m_db, {m_bigLog}));
    QVERIFY(!progressWidget.isHidden());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, importTimeoutMs);
    QVERIFY(clicked);

    const Finished result = finishedArgs(finished);
    QVERIFY(result.cancelled);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(progressWidget.isHidden());

    // The batches committed before the cancel stay, the one in progress is gone.
    const qint64 lines = statsOfDb().logLines;
    QVERIFY2(lines >= 50000 && lines < bigLogLines, qPrintable(QString::number(lines)));
    QCOMPARE(lines % 50000, 0);

    // A cancel is for one run: the next one goes through.
    QVERIFY(controller.start(m_db, {fixturePath(u"good.jsonl"_s)}));
    QVERIFY(cancelButton->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, importTimeoutMs);
    QVERIFY(!finished.at(1).at(1).toBool());
    QCOMPARE(finished.at(1).at(0).value<IngestCounts>().ingested, 10);
}

void TestImport::destructorStopsRunningImport()
{
    auto controller = std::make_unique<ImportController>();
    QSignalSpy started(controller.get(), &ImportController::started);
    QVERIFY(controller->start(m_db, {m_bigLog}));
    QCOMPARE(started.size(), 1);
    controller.reset(); // must cancel and join, not hang or crash

    // Whatever committed is whole batches, and the database opens again.
    const qint64 lines = statsOfDb().logLines;
    QCOMPARE(lines % 50000, 0);
}

void TestImport::etaText_data()
{
    QTest::addColumn<qint64>("remainingMs");
    QTest::addColumn<QString>("expected");

    QTest::newRow("negative: no estimate") << qint64(-1) << QString();
    QTest::newRow("under a second reads as one") << qint64(10) << u"1s left"_s;
    QTest::newRow("rounded up to whole seconds") << qint64(41001) << u"42s left"_s;
    QTest::newRow("minutes") << qint64(185000) << u"3m 05s left"_s;
}

void TestImport::etaText()
{
    QFETCH(qint64, remainingMs);
    QFETCH(QString, expected);
    QCOMPARE(ImportController::etaText(remainingMs), expected);
}

QTEST_MAIN(TestImport)
#include "tst_import.moc"
