// The Export Report dialog over the demo database: the preview follows the scope and escapes
// record text, a bad filter expression blocks the export and names the term, and exports from
// the dialog's worker write what ReportRunner writes directly, report progress to the total,
// leave an existing file alone when cancelled and write PDF while the GUI thread keeps running.
#include "exportdialog.h"
#include "mainwindow.h"
#include "openwait.h"
#include "report/reportformat.h"
#include "report/reportrunner.h"
#include "reportexporter.h"
#include "reportfixture.h"
#include "runsmodel.h"
#include "settings.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextDocument>
#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

const QString campaignId = u"cmp-0001"_s;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString tasksRow(qint64 n)
{
    return u"Tasks</td><td align=\"right\">%1</td>"_s.arg(n);
}

// Reads the preview now and waits until it is shown.
bool refreshed(ExportDialog &dialog)
{
    QSignalSpy shown(&dialog, &ExportDialog::previewRefreshed);
    dialog.refreshPreview();
    return !shown.isEmpty() || shown.wait(30000);
}

} // namespace

class TestExportDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void previewFollowsScope();
    void previewEscapesText();
    void invalidFilterBlocksExport();
    void exportMatchesRunner_data();
    void exportMatchesRunner();
    void cancelKeepsExistingFile();
    void pdfWithoutBlocking();
    void fromTheMainWindow();

private:
    ReportData readData(const ReportQuery &query);
    QString writeDirect(const ReportQuery &query, ReportFormat format, const QString &path);

    QTemporaryDir m_dir;
    QString m_db;
};

void TestExportDialog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString error = ReportTest::buildDemoStore(m_dir.path());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_db = m_dir.filePath(u"demo.db"_s);
}

ReportData TestExportDialog::readData(const ReportQuery &query)
{
    QString error;
    auto store = openStore(m_db, &error);
    if (!store)
        return {};
    return ReportRunner(*store).readData(query).value_or(ReportData());
}

QString TestExportDialog::writeDirect(const ReportQuery &query, ReportFormat format,
                                      const QString &path)
{
    QString error;
    auto store = openStore(m_db, &error);
    if (!store)
        return error;
    auto writer = createReportWriter(format, path);
    ReportRunner runner(*store);
    return runner.run(query, *writer) ? QString() : runner.errorString();
}

void TestExportDialog::previewFollowsScope()
{
    TaskFilter failed;
    failed.state = u"failed"_s;
    ReportQuery failedQuery;
    failedQuery.filter = failed;
    const ReportData failedData = readData(failedQuery);
    const ReportData campaignData = readData(ReportQuery::forCampaign(campaignId));
    QVERIFY(failedData.taskCount > 0);
    QVERIFY(campaignData.taskCount > 0);
    QVERIFY(failedData.taskCount != campaignData.taskCount);

    ExportDialog dialog(m_db, failed);
    QVERIFY(refreshed(dialog));
    QVERIFY2(dialog.previewHtml().contains(tasksRow(failedData.taskCount)),
             qPrintable(dialog.previewHtml()));
    QVERIFY(dialog.previewHtml().contains(u"state=failed"_s));

    // The scope change refreshes the preview after the debounce.
    QSignalSpy refreshed(&dialog, &ExportDialog::previewRefreshed);
    dialog.setScope(ExportDialog::Scope::Campaign);
    dialog.setCampaign(campaignId);
    QVERIFY(refreshed.wait(5000));
    QTRY_VERIFY(dialog.previewHtml().contains(tasksRow(campaignData.taskCount)));
    const QString prs =
        u"Pull requests</td><td align=\"right\">%1</td>"_s.arg(campaignData.aggregates.prsOpened);
    QVERIFY(dialog.previewHtml().contains(prs));
    QVERIFY(dialog.previewHtml().contains(campaignId));
    if (!campaignData.evidenceHead.isEmpty())
        QVERIFY(dialog.previewHtml().contains(
            u"<code>"_s + QString::fromLatin1(campaignData.evidenceHead) + u"</code>"_s));
    QVERIFY(dialog.previewHtml().contains(u"<img src=\"tasktrail-preview:chart\">"_s));
    const QVariant chart = dialog.findChild<QTextBrowser *>()->document()->resource(
        QTextDocument::ImageResource, QUrl(u"tasktrail-preview:chart"_s));
    QVERIFY(!chart.value<QImage>().isNull());
}

void TestExportDialog::previewEscapesText()
{
    ExportDialog dialog(m_db, TaskFilter{});
    dialog.setFilterExpression(u"text=\"<b>bold</b> & <script>x()</script>\""_s);
    QVERIFY2(dialog.filterError().isEmpty(), qPrintable(dialog.filterError()));
    QVERIFY(refreshed(dialog));
    const QString html = dialog.previewHtml();
    QVERIFY(!html.contains(u"<b>bold"_s));
    QVERIFY(!html.contains(u"<script>"_s));
    QVERIFY(html.contains(u"&lt;b&gt;bold&lt;/b&gt;"_s));
    // Shown as text, not markup.
    const QString shown = dialog.findChild<QTextBrowser *>()->toPlainText();
    QVERIFY2(shown.contains(u"<b>bold</b> & <script>x()</script>"_s), qPrintable(shown));
}

void TestExportDialog::invalidFilterBlocksExport()
{
    ExportDialog dialog(m_db, TaskFilter{});
    QTRY_VERIFY(!dialog.isLoading());
    dialog.setOutputPath(m_dir.filePath(u"never.json"_s));
    auto *exportButton = dialog.findChild<QPushButton *>(u"exportButton"_s);
    QVERIFY(exportButton);
    QVERIFY(exportButton->isEnabled());

    dialog.setFilterExpression(u"state=failed colour=red"_s);
    QVERIFY(!dialog.query());
    QVERIFY(!exportButton->isEnabled());
    QVERIFY2(dialog.filterError().contains(u"colour=red"_s), qPrintable(dialog.filterError()));
    QCOMPARE(dialog.findChild<QLabel *>(u"filterError"_s)->text(), dialog.filterError());
    QVERIFY(!dialog.startExport());

    // A key the scope sets already must agree with it.
    dialog.setScope(ExportDialog::Scope::Campaign);
    dialog.setCampaign(campaignId);
    dialog.setFilterExpression(u"campaign=cmp-9999"_s);
    QVERIFY(!exportButton->isEnabled());
    QVERIFY2(dialog.filterError().contains(u"'campaign'"_s), qPrintable(dialog.filterError()));

    dialog.setFilterExpression(u"state=failed"_s);
    QVERIFY(dialog.filterError().isEmpty());
    QVERIFY(exportButton->isEnabled());
    QCOMPARE(dialog.query()->filter.campaignId, campaignId);
    QCOMPARE(dialog.query()->filter.state, u"failed"_s);
    QVERIFY(!QFile::exists(m_dir.filePath(u"never.json"_s)));
}

void TestExportDialog::exportMatchesRunner_data()
{
    QTest::addColumn<ReportFormat>("format");
    QTest::addColumn<bool>("appendix");
    QTest::newRow("json") << ReportFormat::Json << true;
    QTest::newRow("markdown") << ReportFormat::Markdown << true;
    QTest::newRow("markdown-no-appendix") << ReportFormat::Markdown << false;
}

void TestExportDialog::exportMatchesRunner()
{
    QFETCH(ReportFormat, format);
    QFETCH(bool, appendix);
    const QString tag = QString::fromLatin1(QTest::currentDataTag());
    const QString path = m_dir.filePath(tag + u"-dialog."_s + toString(format));
    const QString direct = m_dir.filePath(tag + u"-direct."_s + toString(format));

    ExportDialog dialog(m_db, TaskFilter{});
    dialog.setScope(ExportDialog::Scope::Campaign);
    dialog.setCampaign(campaignId);
    QVERIFY(!dialog.canExport()); // the campaigns are being read
    QTRY_VERIFY(!dialog.isLoading());
    dialog.setFormat(format);
    dialog.setAppendix(appendix);
    dialog.setOutputPath(path);
    QSignalSpy progress(dialog.exporter(), &ReportExporter::progress);
    QSignalSpy finished(dialog.exporter(), &ReportExporter::finished);
    QVERIFY(dialog.startExport());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY2(dialog.statusText().contains(path), qPrintable(dialog.statusText()));

    const auto query = dialog.query();
    QVERIFY(query);
    QCOMPARE(query->appendix, appendix);
    const QString error = writeDirect(*query, format, direct);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QByteArray written = readAll(path);
    QVERIFY(written.size() > 100);
    QCOMPARE(written, readAll(direct));

    QVERIFY(!progress.isEmpty());
    const qint64 tasks = readData(*query).taskCount;
    const QList<QVariant> last = progress.constLast();
    QCOMPARE(last.at(1).toLongLong(), appendix ? 2 * tasks : tasks);
    QCOMPARE(last.at(0).toLongLong(), last.at(1).toLongLong());
    QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
}

void TestExportDialog::cancelKeepsExistingFile()
{
    const QString path = m_dir.filePath(u"existing.json"_s);
    const QByteArray original = QByteArrayLiteral("{\"an earlier report\": true}\n");
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(original);
    }
    ExportDialog dialog(m_db, TaskFilter{});
    dialog.setFormat(ReportFormat::Json);
    dialog.setOutputPath(path);
    QSignalSpy finished(dialog.exporter(), &ReportExporter::finished);
    QVERIFY(dialog.startExport());
    dialog.cancelExport();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), false); // ok
    QCOMPARE(finished.at(0).at(1).toBool(), true);  // cancelled
    QCOMPARE(readAll(path), original);
    QVERIFY(dialog.statusText().contains(u"Cancelled"_s));
    QVERIFY(dialog.findChild<QPushButton *>(u"exportButton"_s)->isEnabled());
}

void TestExportDialog::pdfWithoutBlocking()
{
    const QString path = m_dir.filePath(u"campaign.pdf"_s);
    ExportDialog dialog(m_db, TaskFilter{});
    dialog.setScope(ExportDialog::Scope::Campaign);
    dialog.setCampaign(campaignId);
    QTRY_VERIFY(!dialog.isLoading());
    dialog.setFormat(ReportFormat::Pdf);
    dialog.setOutputPath(path);
    QSignalSpy finished(dialog.exporter(), &ReportExporter::finished);
    // The GUI thread keeps turning while the worker writes.
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
    ticker.start(1);
    QVERIFY(dialog.startExport());
    QVERIFY(dialog.exporter()->isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
    QVERIFY(ticks > 0);
    QVERIFY(readAll(path).startsWith("%PDF"));

    // Closing the dialog mid-export cancels it and leaves no file behind.
    const QString abandoned = m_dir.filePath(u"abandoned.pdf"_s);
    {
        ExportDialog second(m_db, TaskFilter{});
        second.setFormat(ReportFormat::Pdf);
        second.setOutputPath(abandoned);
        QVERIFY(second.startExport());
        QVERIFY(second.exporter()->isRunning());
    }
    QVERIFY(!QFile::exists(abandoned));
}

void TestExportDialog::fromTheMainWindow()
{
    MainWindow window(std::make_unique<Settings>(m_dir.filePath(u"settings.ini"_s)));
    auto *action = window.findChild<QAction *>(u"exportReportAction"_s);
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    QVERIFY(!window.exportReport()); // no database yet
    QVERIFY(openAndWait(window, m_db));
    TaskFilter failed;
    failed.state = u"failed"_s;
    window.runsModel()->setFilter(failed);
    action->trigger();
    auto *dialog = window.findChild<ExportDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->scope(), ExportDialog::Scope::RunsFilter);
    QCOMPARE(dialog->query()->filter, failed);
    dialog->close();
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
