// What the ingest reads and how it says what it cannot: lists read element by element, a
// byte order mark, gzip, FIFOs, directories it cannot read, links that lead nowhere, files in
// other encodings or not text at all, logs whose lines changed, a file rewritten while it is
// read and a batch that fails. Nothing is passed over without a word.
#include "ingest/inputfile.h"
#include "ingestfixture.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

#include <sqlite3.h>

#include <sys/stat.h>
#include <thread>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::IngestFixture::pullRequest;
using Tasktrail::IngestFixture::Run;
using Tasktrail::IngestFixture::Scene;

namespace {

QByteArray auditEvent(int i)
{
    return R"(  {"action": "git.clone", "actor": "bot", "@timestamp": )" +
           QByteArray::number(1772366400000 + i) + R"(, "_document_id": "ev-)" +
           QByteArray::number(i) + R"("})";
}

QByteArray gzip(const QByteArray &data)
{
    QProcess p;
    p.start(u"gzip"_s, {u"-c"_s, u"-n"_s});
    p.write(data);
    p.closeWriteChannel();
    if (!p.waitForFinished() || p.exitCode() != 0)
        qFatal("gzip failed");
    return p.readAllStandardOutput();
}

QByteArray utf16le(const QString &text, bool bom)
{
    QByteArray out = bom ? QByteArray("\xFF\xFE", 2) : QByteArray();
    for (const QChar c : text) {
        out.append(char(c.unicode() & 0xff));
        out.append(char(c.unicode() >> 8));
    }
    return out;
}

// Runs SQL on the database through a second connection, as another program would.
bool execute(const QString &db, const char *sql)
{
    sqlite3 *handle = nullptr;
    if (sqlite3_open(db.toUtf8().constData(), &handle) != SQLITE_OK)
        return false;
    const bool ok = sqlite3_exec(handle, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(handle);
    return ok;
}

} // namespace

class TestIngestInputs final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsAreReadElementByElement_data();
    void listsAreReadElementByElement();
    void byteOrderMarkBeforeAHeader_data();
    void byteOrderMarkBeforeAHeader();
    void gzipInput_data();
    void gzipInput();
    void fifoIsRead();
    void documentsAreReadIntoTheirSize_data();
    void documentsAreReadIntoTheirSize();
    void pathProblemsAreReported_data();
    void pathProblemsAreReported();
    void specialFilesInADirectoryAreNamed();
    void unreadableFiles_data();
    void unreadableFiles();
    void changedLogLinesAreWarnedAbout();
    void fileRewrittenWhileReadIsReported();
    void countsOnlyCommittedBatches();
};

// A list with one malformed element keeps every other element; the malformed one is reported
// at its line.
void TestIngestInputs::listsAreReadElementByElement_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("ingested");
    QTest::addColumn<QStringList>("issues"); // "line: reason"

    QTest::newRow("pull requests, one with a syntax error")
        << u"pulls.json"_s
        << QByteArray("[\n" + pullRequest(1, "one") + ",\n  {\"number\": 2, \"title\": },\n" +
                      pullRequest(3, "three") + "\n]\n")
        << 2 << QStringList{u"3: JSON syntax error: object is missing after a comma"_s};
    QTest::newRow("pull requests cut off in the third")
        << u"pulls.json"_s
        << QByteArray("[\n" + pullRequest(1, "one") + ",\n" + pullRequest(2, "two") +
                      ",\n  {\"number\": 3, \"tit")
        << 2 << QStringList{u"4: the document ends inside this element: the list is cut off"_s};
    QTest::newRow("pull requests without the closing bracket")
        << u"pulls.json"_s
        << QByteArray("[\n" + pullRequest(1, "one") + ",\n" + pullRequest(2, "two") + "\n") << 2
        << QStringList{u"3: the list is not closed: the document ends before its ']'"_s};
    QTest::newRow("agent task list wrapper with a missing quote")
        << u"tasks.json"_s
        << QByteArray("{\"tasks\": [\n"
                      "  {\"id\": \"t1\", \"state\": \"completed\", \"created_at\": "
                      "\"2026-03-01T12:00:00Z\", \"session_count\": 1, \"url\": "
                      "\"https://api.github.com/agents/repos/acme/web/tasks/t1\"},\n"
                      "  {\"id\": \"t2, \"state\": \"completed\"},\n"
                      "  {\"id\": \"t3\", \"state\": \"completed\", \"created_at\": "
                      "\"2026-03-01T12:00:00Z\", \"session_count\": 1, \"url\": "
                      "\"https://api.github.com/agents/repos/acme/web/tasks/t3\"}\n"
                      "]}\n")
        << 2 << QStringList{u"3: JSON syntax error: unterminated object"_s};
    QTest::newRow("audit-log array with a bad element")
        << u"audit.json"_s
        << QByteArray("[\n" + auditEvent(1) +
                      ",\n  {\"action\": \"git.push\", \"actor\" \"x\"},\n" + auditEvent(3) +
                      "\n]\n")
        << 2 << QStringList{u"3: JSON syntax error: missing name separator"_s};
    QTest::newRow("audit-log array cut off")
        << u"audit.json"_s
        << QByteArray("[\n" + auditEvent(1) + ",\n" + auditEvent(2) + ",\n  {\"action\": \"gi") << 2
        << QStringList{u"4: the document ends inside this element: the list is cut off"_s};
    QTest::newRow("check suites with a bad element")
        << u"suites.json"_s
        << QByteArray("{\"total_count\": 3, \"check_suites\": [\n"
                      "  {\"id\": 1, \"head_sha\": \"a1\", \"status\": \"completed\", "
                      "\"url\": \"https://api.github.com/repos/acme/web/check-suites/1\"},\n"
                      "  {\"id\": \"two\", \"head_sha\": \"a2\", \"status\": \"queued\"},\n"
                      "  {\"id\": 3, \"head_sha\": \"a3\", \"status\": \"queued\", "
                      "\"repository\": {\"full_name\": \"acme/web\"}}\n]}\n")
        << 2 << QStringList{u"3: field 'id': expected integer"_s};
    QTest::newRow("check_suite webhooks, one per line, cut off in the second")
        << u"suites.json"_s
        << QByteArray("[\n {\"action\": \"completed\", \"check_suite\": {\"id\": 7, "
                      "\"head_sha\": \"b7\", \"status\": \"completed\"}, \"repository\": "
                      "{\"full_name\": \"acme/web\"}},\n {\"action\": \"requ")
        << 1 << QStringList{u"3: the document ends inside this element: the list is cut off"_s};
    QTest::newRow("repository list with a bad element")
        << u"repos.json"_s
        << QByteArray("[\n  {\"full_name\": \"acme/web\", \"default_branch\": \"main\", "
                      "\"archived\": false},\n  {\"full_name\": \"acme/api\", "
                      "\"default_branch\": main, \"archived\": false},\n"
                      "  {\"full_name\": \"acme/docs\", \"default_branch\": \"main\", "
                      "\"archived\": true}\n]\n")
        << 2 << QStringList{u"3: JSON syntax error: illegal number"_s};
}

void TestIngestInputs::listsAreReadElementByElement()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(int, ingested);
    QFETCH(QStringList, issues);

    Scene scene;
    const QString file = scene.write(fileName, content);
    const Run run = scene.ingest({file});
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.ingested, ingested);
    QStringList expected;
    for (const QString &issue : issues)
        expected << file % u':' % issue;
    QCOMPARE(run.describe(), expected);
    QCOMPARE(run.counts.rejected, issues.size());
}

void TestIngestInputs::byteOrderMarkBeforeAHeader_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");

    QTest::newRow("command log") << u"bom.log"_s
                                 << QByteArray("\xEF\xBB\xBF##[tasktrail] task=T-1 command=1\r\n"
                                               "npm ci\r\nadded 3 packages\r\n");
    QTest::newRow("log record") << u"bom.jsonl"_s
                                << QByteArray("\xEF\xBB\xBF{\"tasktrail\":1,\"kind\":\"log\","
                                              "\"task_id\":\"T-1\",\"command_seq\":1,"
                                              "\"lines\":[\"npm ci\",\"added 3 packages\"]}\n");
}

void TestIngestInputs::byteOrderMarkBeforeAHeader()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);

    Scene scene;
    const Run run = scene.ingest({scene.write(fileName, content)});
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), qPrintable(run.describe().join(u'\n')));
    QCOMPARE(scene.lines(u"T-1"_s, 1), QByteArrayList({"npm ci", "added 3 packages"}));
}

void TestIngestInputs::gzipInput_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QByteArrayList>("stored");
    QTest::addColumn<QString>("issue"); // empty: none

    const QByteArray log = "##[tasktrail] task=T-1 command=1\nnpm ci\nadded 3 packages\n";
    const QByteArray packed = gzip(log);
    QTest::newRow("a compressed log")
        << packed << QByteArrayList{"npm ci", "added 3 packages"} << QString();
    QTest::newRow("two members, as cat a.gz b.gz writes them")
        << QByteArray(gzip("##[tasktrail] task=T-1 command=1\nnpm ci\n") + gzip("more\n"))
        << QByteArrayList{"npm ci", "more"} << QString();
    QByteArray bigLog = "##[tasktrail] task=T-1 command=1\n";
    for (int i = 0; i < 200000; ++i)
        bigLog += "line " + QByteArray::number(i) + '\n';
    const QByteArray bigPacked = gzip(bigLog);
    QTest::newRow("cut off") << bigPacked.left(bigPacked.size() / 2) << QByteArrayList{}
                             << u"cannot read it to the end: the gzip data ends in the middle: "
                                "the file is cut off; what was read before is kept"_s;
    QByteArray corrupt = bigPacked;
    for (qsizetype i = corrupt.size() / 2; i < corrupt.size() / 2 + 64; ++i)
        corrupt[i] = char(~corrupt.at(i));
    QTest::newRow("corrupt") << corrupt << QByteArrayList{}
                             << u"cannot read it to the end: corrupt gzip data"_s;
}

void TestIngestInputs::gzipInput()
{
    QFETCH(QByteArray, content);
    QFETCH(QByteArrayList, stored);
    QFETCH(QString, issue);

    Scene scene;
    const QString file = scene.write(u"log.gz"_s, content);
    const Run run = scene.ingest({file});
    QVERIFY2(run.ok, qPrintable(run.error));
    if (issue.isEmpty()) {
        QVERIFY2(run.issues.isEmpty(), qPrintable(run.describe().join(u'\n')));
        QCOMPARE(scene.lines(u"T-1"_s, 1), stored);
        // Read once more: the same content is nothing new.
        const Run again = scene.ingest({file});
        QCOMPARE(again.counts.ingested, 0);
        QCOMPARE(again.counts.duplicates, stored.size());
        return;
    }
    QVERIFY2(run.issueContaining(issue).startsWith(file % u": "_s),
             qPrintable(run.describe().join(u'\n')));
    QCOMPARE(run.counts.rejected, 1);
    QCOMPARE(scene.store().stats().ingestedFiles, 0); // read again next time
    // What came before the damage is kept; a cut-off file's unfinished last line is not.
    const QByteArrayList lines = scene.lines(u"T-1"_s, 1);
    QVERIFY(!lines.isEmpty());
    QVERIFY(lines.size() < 200000);
    if (QByteArray(QTest::currentDataTag()) == "cut off") {
        for (qsizetype i = 0; i < lines.size(); ++i)
            QCOMPARE(lines.at(i), QByteArray("line " + QByteArray::number(i)));
    }
}

void TestIngestInputs::fifoIsRead()
{
    // Not even Qt's own complaints about seeking a pipe.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
    Scene scene;
    const QString fifo = scene.path(u"pipe"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    std::thread writer([fifo] {
        QFile out(fifo);
        if (out.open(QIODevice::WriteOnly)) {
            out.write("##[tasktrail] task=T-1 command=1\n");
            out.flush();
            out.write("through a pipe\n");
        }
    });
    const Run run = scene.ingest({fifo});
    writer.join();
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), qPrintable(run.describe().join(u'\n')));
    QCOMPARE(run.counts.ingested, 1);
    QCOMPARE(scene.lines(u"T-1"_s, 1), QByteArrayList({"through a pipe"}));
}

void TestIngestInputs::documentsAreReadIntoTheirSize_data()
{
    QTest::addColumn<bool>("compressed");
    QTest::addColumn<qsizetype>("size");
    QTest::newRow("a file a little past 4 MiB") << false << qsizetype(4 * 1024 * 1024 + 200000);
    QTest::newRow("an empty file") << false << qsizetype(0);
    QTest::newRow("gzip data, its size known only once read")
        << true << qsizetype(4 * 1024 * 1024 + 200000);
}

// A document read whole (GitHub and audit-log JSON) takes the memory of its size, not of the
// chunks it was read in, and one past the limit is refused.
void TestIngestInputs::documentsAreReadIntoTheirSize()
{
    QFETCH(bool, compressed);
    QFETCH(qsizetype, size);
    QByteArray content(size, 'x');
    for (qsizetype i = 0; i < size; i += 64)
        content[i] = char('a' + (i / 64) % 26);
    Scene scene;
    const QString file = scene.write(compressed ? u"doc.json.gz"_s : u"doc.json"_s,
                                     compressed ? gzip(content) : content);
    const auto read = [&file](qint64 limit, QByteArray *out, QString *error) {
        const std::unique_ptr<InputFile> input = InputFile::open(file, 1024, error);
        return input && input->readAll(limit, out, error);
    };
    QByteArray out;
    QString error;
    QVERIFY2(read(size, &out, &error), qPrintable(error));
    QVERIFY(out == content);
    // Within a quarter of a read chunk (1 MiB) of its size: 4 MiB chunks left this in 8 MiB.
    QVERIFY2(out.capacity() - out.size() <= 1024 * 1024,
             qPrintable(u"%1 bytes held for %2"_s.arg(out.capacity()).arg(out.size())));
    if (size == 0)
        return;
    QVERIFY(!read(size - 1, &out, &error));
    QCOMPARE(error, u"JSON document larger than the %1 byte limit"_s.arg(size - 1));
}

void TestIngestInputs::pathProblemsAreReported_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason");

    QTest::newRow("missing") << u"missing"_s << u"no such file or directory"_s;
    QTest::newRow("symbolic link loop")
        << u"loop"_s << u"a symbolic link loop (too many levels of symbolic links)"_s;
    QTest::newRow("dangling symbolic link") << u"dangling"_s << u"a dangling symbolic link to "_s;
}

void TestIngestInputs::pathProblemsAreReported()
{
    QFETCH(QString, kind);
    QFETCH(QString, reason);

    Scene scene;
    QVERIFY(QDir().mkpath(scene.path(u"in"_s)));
    const QString path = scene.path(u"in/"_s % kind);
    if (kind == u"loop") {
        QVERIFY(QFile::link(path, scene.path(u"loop2"_s)));
        QVERIFY(QFile::link(scene.path(u"loop2"_s), path));
    } else if (kind == u"dangling") {
        QVERIFY(QFile::link(scene.path(u"gone"_s), path));
    }
    // Named directly, and found in a directory.
    const QStringList named{path, scene.path(u"in"_s)};
    for (const QString &input : named) {
        if (input != path && kind == u"missing")
            continue;
        const Run run = scene.ingest({input});
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.rejected, 1);
        QCOMPARE(run.issues.size(), 1);
        QVERIFY2(run.issues.constFirst().toString().startsWith(path % u": "_s % reason),
                 qPrintable(run.describe().join(u'\n')));
    }
}

void TestIngestInputs::specialFilesInADirectoryAreNamed()
{
    Scene scene;
    QDir().mkpath(scene.path(u"in"_s));
    const QString fifo = scene.path(u"in/pipe"_s);
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    scene.write(u"in/a.log"_s, "##[tasktrail] task=T-1 command=1\nhello\n");
    // A FIFO in a directory would wait for a writer: it is named, not read.
    const Run run = scene.ingest({scene.path(u"in"_s)});
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.ingested, 1);
    QCOMPARE(run.counts.warnings, 1);
    QCOMPARE(run.describe(),
             QStringList{fifo % u": warning: a FIFO in a directory is not read; name it to read "
                                "it"_s});
}

// Files that are not text Tasktrail reads: the message says what they look like and what is
// read, never "log line before any ##[tasktrail] header".
void TestIngestInputs::unreadableFiles_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("reason");

    const QString header = u"##[tasktrail] task=T-1 command=1\nnpm ci\n"_s;
    QTest::newRow("UTF-16 with a BOM")
        << u"log.txt"_s << utf16le(header, true)
        << u"UTF-16 (little-endian) text; Tasktrail reads UTF-8 text; convert it first, e.g. "
           "with iconv -f UTF-16 -t UTF-8"_s;
    QTest::newRow("UTF-16 without a BOM")
        << u"log.txt"_s << utf16le(header, false)
        << u"UTF-16 (little-endian) text without a byte order mark; Tasktrail reads UTF-8 text; "
           "convert it first, e.g. with iconv -f UTF-16LE -t UTF-8"_s;
    QByteArray utf32;
    for (const QChar c : header)
        utf32.append(char(c.unicode())).append(3, '\0');
    QTest::newRow("UTF-32 with a BOM")
        << u"log.txt"_s << QByteArray(QByteArray("\xFF\xFE\0\0", 4) + utf32)
        << u"UTF-32 (little-endian) text; Tasktrail reads UTF-8 text"_s;
    QByteArray binary(4096, '\0');
    for (int i = 0; i < binary.size(); ++i)
        binary[i] = char((i * 7919) % 251);
    QTest::newRow("binary data") << u"data.bin"_s << binary
                                 << u"binary data (a NUL byte at offset 0); Tasktrail reads "
                                    "UTF-8 text (with or without a BOM)"_s;
    QTest::newRow("a SQLite database")
        << u"other.db"_s << QByteArray("SQLite format 3\0\x10\0", 19)
        << u"a SQLite database (open it with --db; it is not ingested)"_s;
    QTest::newRow("xz data") << u"log.xz"_s
                             << QByteArray("\xFD"
                                           "7zXZ\0\0\x04",
                                           8)
                             << u"xz-compressed data (decompress it first: xz -d)"_s;
    QTest::newRow(".json holding null")
        << u"answer.json"_s << QByteArray("null\n")
        << u"a JSON document holding null; a JSON file must hold an object, an array of objects "
           "or one object per line"_s;
    QTest::newRow(".json holding a number")
        << u"answer.json"_s << QByteArray("42")
        << u"a JSON document holding a number; a JSON file must hold"_s;
}

void TestIngestInputs::unreadableFiles()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);

    Scene scene;
    const QString file = scene.write(fileName, content);
    const Run run = scene.ingest({file});
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.rejected, 1);
    QCOMPARE(run.counts.ingested, 0);
    QCOMPARE(run.issues.size(), 1);
    QVERIFY2(run.issues.constFirst().toString().startsWith(file % u": "_s % reason),
             qPrintable(run.describe().join(u'\n')));
    QVERIFY(!run.issues.constFirst().reason.contains(u"header"_s));
}

void TestIngestInputs::changedLogLinesAreWarnedAbout()
{
    Scene scene;
    const QString first = scene.write(
        u"first.log"_s, "##[tasktrail] task=T-1 command=1\nnpm ci\nall 12 tests passed\n");
    QVERIFY(scene.ingest({first}).ok);

    const QString changed = scene.write(
        u"changed.log"_s, "##[tasktrail] task=T-1 command=1\nnpm ci\n3 of 12 tests failed\n");
    for (int round = 0; round < 2; ++round) {
        const Run run = scene.ingest({changed});
        QVERIFY2(run.ok, qPrintable(run.error));
        QCOMPARE(run.counts.ingested, 0);
        QCOMPARE(run.counts.duplicates, 2);
        QCOMPARE(run.counts.warnings, 1);
        // Every ingest says so again: the file is not remembered as ingested.
        QCOMPARE(run.describe(),
                 QStringList{changed % u":3: warning: log line 2 differs from the line 2 stored "
                                       "before for this command; the stored line is kept"_s});
    }
    QCOMPARE(scene.lines(u"T-1"_s, 1), QByteArrayList({"npm ci", "all 12 tests passed"}));
}

void TestIngestInputs::fileRewrittenWhileReadIsReported()
{
    Scene scene;
    QByteArray log = "##[tasktrail] task=T-1 command=1\n";
    for (int i = 1; i <= 100; ++i)
        log += "line " + QByteArray::number(i) + '\n';
    const QString file = scene.write(u"growing.log"_s, log);
    IngestOptions options;
    options.logBatchLines = 10;
    bool rewritten = false;
    const Run run = scene.ingest({file}, options, [&] {
        if (rewritten)
            return;
        rewritten = true;
        QFile out(file);
        if (out.open(QIODevice::WriteOnly | QIODevice::Truncate))
            out.write("##[tasktrail] task=T-1 command=1\nsomething else entirely\n");
    });
    QVERIFY(rewritten);
    QVERIFY2(run.ok, qPrintable(run.error));
    const QString issue = run.issueContaining(u"the file changed while it was read"_s);
    QVERIFY2(issue.startsWith(file % u": the file changed while it was read (it was "_s),
             qPrintable(run.describe().join(u'\n')));
    QCOMPARE(run.counts.rejected, 1);
    QCOMPARE(scene.store().stats().ingestedFiles, 0); // read again next time
}

void TestIngestInputs::countsOnlyCommittedBatches()
{
    Scene scene;
    // The 55th line fails to store, as a full disk would fail it.
    QVERIFY(execute(scene.dbPath(),
                    "CREATE TRIGGER full_disk BEFORE INSERT ON log_line "
                    "WHEN NEW.text = 'line 55' BEGIN SELECT RAISE(ABORT, 'disk full'); END"));
    QByteArray log = "##[tasktrail] task=T-1 command=1\n";
    for (int i = 1; i <= 100; ++i)
        log += "line " + QByteArray::number(i) + '\n';
    IngestOptions options;
    options.logBatchLines = 10;
    const Run run = scene.ingest({scene.write(u"big.log"_s, log)}, options);
    QVERIFY(!run.ok);
    QVERIFY2(run.error.contains(u"disk full"_s), qPrintable(run.error));
    QCOMPARE(scene.store().stats().logLines, 50);
    QCOMPARE(run.counts.ingested, 50);
}

QTEST_GUILESS_MAIN(TestIngestInputs)
#include "tst_ingestinputs.moc"
