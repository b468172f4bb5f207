// PDF reports read back with poppler-utils: pdftoppm renders every page, pdftotext finds the
// figures, the header and the numbered footer; the same report from a worker thread with its
// own store connection, and through `tasktrail-cli report --format pdf`.
#include "report/pdfreportwriter.h"
#include "report/reportformat.h"
#include "report/reportrunner.h"
#include "reportfixture.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

QString run(const QString &program, const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    p.start(program, args);
    p.waitForFinished(300000);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAllStandardOutput());
}

} // namespace

class TestReportPdf final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pagesFiguresAndFooters();
    void fromAWorkerThread();
    void fromTheCli();
    void triageStatesStayWhole();

private:
    bool writePdf(const QString &path, QString *error);
    void checkPdf(const QString &path);

    QTemporaryDir m_dir;
    QString m_db;
    QString m_pdftotext;
    QString m_pdftoppm;
    qint64 m_tasks = 0;
};

void TestReportPdf::initTestCase()
{
    m_pdftotext = QStandardPaths::findExecutable(u"pdftotext"_s);
    m_pdftoppm = QStandardPaths::findExecutable(u"pdftoppm"_s);
    if (m_pdftotext.isEmpty() || m_pdftoppm.isEmpty())
        QSKIP("poppler-utils (pdftotext, pdftoppm) not installed");
    QVERIFY(m_dir.isValid());
    const QString error = ReportTest::buildDemoStore(m_dir.path());
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_db = m_dir.filePath(u"demo.db"_s);
    QString openError;
    auto store = openStore(m_db, &openError);
    QVERIFY(store);
    TaskFilter f;
    f.campaignId = u"cmp-0001"_s;
    m_tasks = store->taskCount(f);
    QVERIFY(m_tasks > 10);
}

bool TestReportPdf::writePdf(const QString &path, QString *error)
{
    auto store = openStore(m_db, error);
    if (!store)
        return false;
    auto writer = createReportWriter(ReportFormat::Pdf, path);
    ReportRunner runner(*store);
    if (runner.run(ReportQuery::forCampaign(u"cmp-0001"_s), *writer))
        return true;
    *error = runner.errorString();
    return false;
}

void TestReportPdf::checkPdf(const QString &path)
{
    QVERIFY(QFileInfo(path).size() > 1000);
    int code = -1;
    const QString layout = run(m_pdftotext, {u"-layout"_s, path, u"-"_s}, &code);
    QCOMPARE(code, 0);
    const QStringList pages = layout.split(u'\f', Qt::SkipEmptyParts);
    QVERIFY2(pages.size() > 3, qPrintable(QString::number(pages.size())));
    // Every page rendered: one image per page.
    QTemporaryDir images;
    run(m_pdftoppm, {u"-r"_s, u"20"_s, u"-png"_s, path, images.filePath(u"p"_s)}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(QDir(images.path()).entryList({u"*.png"_s}).size(), pages.size());
    // Header and numbered footer on each page.
    for (qsizetype i = 0; i < pages.size(); ++i) {
        QVERIFY2(pages[i].contains(u"Campaign report: cmp-0001"_s), qPrintable(pages[i]));
        QVERIFY(pages[i].contains(u"Page %1"_s.arg(i + 1)));
        QVERIFY(pages[i].contains(u"Evidence chain head"_s));
    }
    // Key figures.
    QVERIFY(QRegularExpression(u"\\bTasks\\s+%1\\b"_s.arg(m_tasks)).match(layout).hasMatch());
    QVERIFY(QRegularExpression(u"Repositories skipped\\s+3\\b"_s).match(layout).hasMatch());
    QVERIFY(layout.contains(u"Appendix: task chains"_s));
    // Each chain opens with its one-sentence summary (wrapped, so compared without the breaks;
    // a font may turn the "fl" of "workflow" into a ligature).
    QVERIFY(QRegularExpression(u"The migration-script work(fl|\uFB02)ow started task [0-9a-f-]+ "
                               "for acme-"_s)
                .match(layout.simplified())
                .hasMatch());
    QVERIFY(layout.contains(u"Outcomes over time"_s));
    QVERIFY(layout.contains(u"Task durations"_s));
}

void TestReportPdf::pagesFiguresAndFooters()
{
    const QString path = m_dir.filePath(u"r.pdf"_s);
    QString error;
    QVERIFY2(writePdf(path, &error), qPrintable(error));
    checkPdf(path);
}

void TestReportPdf::fromAWorkerThread()
{
    // What the Export dialog does: the report on a worker with its own connection.
    const QString path = m_dir.filePath(u"worker.pdf"_s);
    QString error;
    bool ok = false;
    QThread *worker = QThread::create([&] { ok = writePdf(path, &error); });
    worker->start();
    // The charts are drawn on the worker too: nothing here needs to turn the event loop.
    QVERIFY(worker->wait(QDeadlineTimer(300000)));
    delete worker;
    QVERIFY2(ok, qPrintable(error));
    checkPdf(path);
}

void TestReportPdf::fromTheCli()
{
    const QString path = m_dir.filePath(u"cli.pdf"_s);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DISPLAY"_s); // the CLI picks the offscreen platform itself
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.remove(u"QT_QPA_PLATFORM"_s);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(TASKTRAIL_CLI),
            {u"report"_s, u"--db"_s, m_db, u"--campaign"_s, u"cmp-0001"_s, u"-o"_s, path});
    QVERIFY(p.waitForFinished(300000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    checkPdf(path);
}

// The findings of the chains in the appendix: a triage state is never cut, however long the
// message and the note beside it ("false positive", not "false pos…"). Every finding is
// triaged, so each row's state is looked for.
void TestReportPdf::triageStatesStayWhole()
{
    const QString db = m_dir.filePath(u"triaged.db"_s);
    QVERIFY(QFile::copy(m_db, db));
    QString error;
    auto store = openStore(db, &error);
    QVERIFY2(store, qPrintable(error));
    QList<qint64> ids;
    for (const TaskRow &t : store->tasks({}, 0, 100'000))
        for (const StoredFinding &f : store->storedFindings(t.id))
            ids << f.id;
    QVERIFY(ids.size() >= 4);
    FindingTriage triage;
    triage.by = u"dana"_s;
    triage.at = QDateTime(QDate(2026, 12, 2), QTime(8, 0), Qt::UTC);
    // Without a note the state's cell is short, and was narrowed with the rest.
    triage.state = TriageState::FalsePositive;
    QVERIFY(store->triageFindings(ids.mid(1), triage));
    triage.note = u"a long note on why this finding is what it is, so the column is pressed"_s;
    triage.state = TriageState::NeedsFollowUp;
    QVERIFY(store->triageFindings({ids.constFirst()}, triage));

    const QString path = m_dir.filePath(u"triaged.pdf"_s);
    auto writer = createReportWriter(ReportFormat::Pdf, path);
    ReportRunner runner(*store);
    QVERIFY2(runner.run(ReportQuery{}, *writer), qPrintable(runner.errorString()));
    int code = -1;
    const QString text = run(m_pdftotext, {u"-layout"_s, path, u"-"_s}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(text.count(u"false positive"_s), ids.size() - 1);
    QCOMPARE(text.count(u"needs follow-up"_s), 1);
}

QTEST_MAIN(TestReportPdf)
#include "tst_reportpdf.moc"
