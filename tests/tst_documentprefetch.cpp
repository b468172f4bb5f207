// A GitHub document is read and taken apart while the file before it is written
// (DocumentPrefetch). An ingest of many files must report and store exactly what ingesting them
// one at a time does: the same issues in the same order, the same counts and the same rows.
#include "ingestfixture.h"
#include "tabledigests.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::IngestFixture::pullRequest;
using Tasktrail::IngestFixture::Run;
using Tasktrail::IngestFixture::Scene;

namespace {

QString describeCounts(const IngestCounts &c)
{
    return u"ingested %1, duplicates %2, rejected %3, warnings %4, redactions %5, files %6"_s
        .arg(c.ingested)
        .arg(c.duplicates)
        .arg(c.rejected)
        .arg(c.warnings)
        .arg(c.redactions)
        .arg(c.files);
}

// The tables whose rows differ between two databases; empty when none does.
QStringList differingTables(const QString &a, const QString &b)
{
    const auto left = TableDigests::digests(a);
    const auto right = TableDigests::digests(b);
    QStringList tables;
    for (auto it = left.cbegin(); it != left.cend(); ++it) {
        if (!(right.value(it.key()) == it.value()))
            tables << it.key();
    }
    for (auto it = right.cbegin(); it != right.cend(); ++it) {
        if (!left.contains(it.key()))
            tables << it.key();
    }
    return tables;
}

} // namespace

class TestDocumentPrefetch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void manyFilesIngestAsOneAtATime();
    void secondRunChangesNothing();
    void cancelWhileReadingAheadLeavesARunToFinish();

private:
    QString write(const QString &name, const QByteArray &content);
    Run oneAtATime(Scene &scene);

    QTemporaryDir m_dir;
    QStringList m_files; // in the order a directory is read: by name
    int m_sequence = 0;
};

QString TestDocumentPrefetch::write(const QString &name, const QByteArray &content)
{
    // A number first keeps the files in the order they were written when the directory is read.
    const QString path =
        m_dir.filePath(u"in/%1-%2"_s.arg(++m_sequence, 2, 10, QChar(u'0')).arg(name));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    m_files << path;
    return path;
}

void TestDocumentPrefetch::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir(m_dir.path()).mkdir(u"in"_s));
    // Every GitHub fixture (agent tasks, PRs, reviews, check runs and suites, webhooks, a list
    // cut off, wrong types, invalid UTF-8, a document of no kind read), with other inputs
    // between them: a command log, an empty file, a list with a bad element, an object of no
    // kind Tasktrail reads, a repository list and the same document twice.
    const QDir data(QStringLiteral(TASKTRAIL_GITHUB_DATA));
    const QStringList fixtures = data.entryList({u"*.json"_s}, QDir::Files, QDir::Name);
    QVERIFY(fixtures.size() > 10);
    for (qsizetype i = 0; i < fixtures.size(); ++i) {
        QFile in(data.filePath(fixtures.at(i)));
        QVERIFY(in.open(QIODevice::ReadOnly));
        write(fixtures.at(i), in.readAll());
        if (i == 2)
            write(u"build.log"_s, "##[tasktrail] task=T-1 command=1 argv=[\"make\"]\n"
                                  "[INFO] building\nerror: it broke\n");
        if (i == 3) {
            // A token in a title: redacted on the thread that reads ahead, counted as here.
            const QByteArray title = "ghp_" + QByteArray(36, 'A') + " in a title";
            write(u"token.json"_s, "[\n" + pullRequest(44, title.constData()) + "\n]\n");
        }
        if (i == 4)
            write(u"nothing.json"_s, {});
        if (i == 6)
            write(u"pulls.json"_s, "[\n" + pullRequest(41, "one", "b41") +
                                       ",\n  {\"number\": 42, \"title\": },\n" +
                                       pullRequest(43, "three", "b43") + "\n]\n");
        if (i == 8)
            write(u"other.json"_s, "{\"kind\": \"nothing Tasktrail reads\"}\n");
        if (i == 10)
            write(u"repos.json"_s, "[\n  {\"full_name\": \"acme/web\", \"default_branch\": "
                                   "\"main\", \"archived\": false, \"updated_at\": "
                                   "\"2026-03-01T12:00:00Z\"}\n]\n");
        if (i == 12)
            write(u"again.json"_s, "[\n" + pullRequest(41, "one", "b41") + "\n]\n");
    }
}

Run TestDocumentPrefetch::oneAtATime(Scene &scene)
{
    Run all;
    all.ok = true;
    for (const QString &file : std::as_const(m_files)) {
        const Run run = scene.ingest({file});
        all.ok = all.ok && run.ok;
        all.counts += run.counts;
        all.issues += run.issues;
    }
    return all;
}

void TestDocumentPrefetch::manyFilesIngestAsOneAtATime()
{
    Scene ahead;
    const Run run = ahead.ingest({m_dir.filePath(u"in"_s)});
    QVERIFY2(run.ok, qPrintable(run.error));

    // The same run without reading ahead stores the same rows and the same evidence chain.
    Scene inTurn;
    IngestOptions noReadAhead;
    noReadAhead.readAhead = false;
    const Run plain = inTurn.ingest({m_dir.filePath(u"in"_s)}, noReadAhead);
    QVERIFY2(plain.ok, qPrintable(plain.error));
    QCOMPARE(differingTables(ahead.dbPath(), inTurn.dbPath()).join(u", "), QString());

    // Ingested one file per run (nothing to read ahead), the files give the same issues in the
    // same order and the same counts.
    Scene apart;
    const Run expected = oneAtATime(apart);
    QVERIFY(expected.ok);
    // The inputs hold records, rejections and warnings, so the comparison means something.
    QVERIFY2(run.counts.ingested > 20, qPrintable(describeCounts(run.counts)));
    QVERIFY2(run.counts.rejected >= 4, qPrintable(describeCounts(run.counts)));
    QVERIFY2(run.counts.redactions >= 1, qPrintable(describeCounts(run.counts)));
    QCOMPARE(describeCounts(run.counts), describeCounts(expected.counts));
    QCOMPARE(run.describe(), expected.describe());
    QCOMPARE(describeCounts(plain.counts), describeCounts(run.counts));
    QCOMPARE(plain.describe(), run.describe());
}

void TestDocumentPrefetch::secondRunChangesNothing()
{
    Scene scene;
    const Run first = scene.ingest({m_dir.filePath(u"in"_s)});
    QVERIFY2(first.ok, qPrintable(first.error));
    const auto before = TableDigests::digests(scene.dbPath());

    const Run second = scene.ingest({m_dir.filePath(u"in"_s)});
    QVERIFY2(second.ok, qPrintable(second.error));
    QCOMPARE(second.counts.ingested, 0);
    // Every file is recognised as read before, whether it was read ahead or not.
    QCOMPARE(second.counts.files, first.counts.files);
    QCOMPARE(second.counts.duplicates, first.counts.ingested + first.counts.duplicates);
    QCOMPARE(TableDigests::digests(scene.dbPath()), before);
}

void TestDocumentPrefetch::cancelWhileReadingAheadLeavesARunToFinish()
{
    Scene scene;
    // Cancelled as the first file makes progress: the next one is being read ahead then.
    Ingestor *running = nullptr;
    Run stopped;
    {
        Ingestor ingestor(scene.store());
        running = &ingestor;
        QObject::connect(&ingestor, &Ingestor::progress, &ingestor, [&running] {
            if (running)
                running->cancel();
        });
        stopped.ok = ingestor.ingest({m_dir.filePath(u"in"_s)});
        stopped.counts = ingestor.counts();
        running = nullptr;
    }
    QVERIFY(!stopped.ok);
    QVERIFY2(stopped.counts.files < m_files.size() - 2, qPrintable(describeCounts(stopped.counts)));

    // The next run reads what the stopped one did not, and the result is the same as a clean
    // ingest of everything.
    const Run rest = scene.ingest({m_dir.filePath(u"in"_s)});
    QVERIFY2(rest.ok, qPrintable(rest.error));
    Scene clean;
    QVERIFY(clean.ingest({m_dir.filePath(u"in"_s)}).ok);
    QCOMPARE(differingTables(scene.dbPath(), clean.dbPath()).join(u", "), QString());
}

QTEST_GUILESS_MAIN(TestDocumentPrefetch)
#include "tst_documentprefetch.moc"
