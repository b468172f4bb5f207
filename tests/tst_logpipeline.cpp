// Command-log ingest on two threads (ingest/logreader.cpp; the queue between them is
// PreparedQueue, tst_preparedqueue): the redaction split across them, cancelling mid-file, and
// the log index's layout and settings (store/sqliteschema.h) on new files and on files made
// before.
#include "ingestfixture.h"
#include "records/summaries.h"
#include "store/recordredaction.h"
#include "store/sqliteschema.h"

#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace Tasktrail::IngestFixture;

namespace {

QByteArray header(const char *task, int command, int firstLine = 1)
{
    return "##[tasktrail] task=" + QByteArray(task) + " command=" + QByteArray::number(command) +
           " first_line=" + QByteArray::number(firstLine) + '\n';
}

qint64 scalar(const QString &dbPath, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(dbPath.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    qint64 value = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

QString text(const QString &dbPath, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(dbPath.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    QString value;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        value = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

bool exec(const QString &dbPath, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open(dbPath.toUtf8().constData(), &db);
    const bool ok = sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

QStringList describe(const QList<SearchHit> &hits)
{
    QStringList out;
    for (const SearchHit &hit : hits)
        out << u"%1/%2/%3: %4"_s.arg(hit.taskId).arg(hit.commandSeq).arg(hit.lineNo).arg(hit.text);
    return out;
}

} // namespace

class TestLogPipeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keyBlocksFollowTheirCommandAcrossChunks();
    void cancelMidFileLeavesTheCommittedBatches();
    void newFilesGetTheTunedIndex();
    void olderIndexLayoutSearchesTheSame();
    void phrasePageReadsPastLinesWithTheWordsApart();
};

// A private key block that spans a chunk boundary and is interrupted by another command's
// section is redacted as one LogRedaction following the file line by line redacts it.
void TestLogPipeline::keyBlocksFollowTheirCommandAcrossChunks()
{
    QByteArray file = header("T-key", 1);
    QList<QPair<int, QByteArray>> lines; // command, line as written
    auto add = [&](int command, const QByteArray &line) {
        file += line + '\n';
        lines.append({command, line});
    };
    for (int i = 0; i < 700; ++i)
        add(1, "step " + QByteArray::number(i) + " token=ghp_" + QByteArray(36, 'a' + i % 26));
    add(1, "-----BEGIN OPENSSH PRIVATE KEY-----");
    add(1, "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW");
    file += header("T-key", 2);
    add(2, "another command, not in a key block");
    add(2, "MIIEowIBAAKCAQEAzz is not a key here");
    file += header("T-key", 1, 703);
    add(1, "QyNTUxOQAAACDnvZ2Kp1ly8PwnSQ0XTJ0bGtqDMmPmyUd4mvEtBpV0fwAAAJgJ3lRyCd5U");
    add(1, "-----END OPENSSH PRIVATE KEY-----");
    add(1, "after the key");
    Scene scene;
    const Run run = scene.ingest({scene.write(u"key.log"_s, file)});
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.ingested, qint64(lines.size()));

    LogRedaction expected;
    QByteArrayList want1, want2;
    qint64 lineNo1 = 0, lineNo2 = 0;
    for (const auto &[command, text] : std::as_const(lines)) {
        LogLine line;
        line.lineNo = command == 1 ? ++lineNo1 : ++lineNo2;
        line.text = text;
        expected.redact(command, line);
        (command == 1 ? want1 : want2) << line.text;
    }
    const QByteArrayList got1 = scene.lines(u"T-key"_s, 1);
    QCOMPARE(got1, want1);
    QCOMPARE(scene.lines(u"T-key"_s, 2), want2);
    // The key's lines are the marker, on both sides of the other command's section.
    QCOMPARE(got1.at(701), QByteArray("[REDACTED:private-key]"));
    QCOMPARE(got1.at(702), QByteArray("[REDACTED:private-key]"));
    QCOMPARE(got1.at(703), QByteArray("[REDACTED:private-key]"));
    QCOMPARE(got1.at(704), QByteArray("after the key"));
    QVERIFY(!got1.at(0).contains("ghp_"));
}

void TestLogPipeline::cancelMidFileLeavesTheCommittedBatches()
{
    QByteArray file = header("T-cancel", 1);
    for (int i = 1; i <= 20000; ++i)
        file += "2026-03-02T00:15:23.859Z line " + QByteArray::number(i) + '\n';
    Scene scene;
    const QString path = scene.write(u"cancel.log"_s, file);
    IngestOptions options;
    options.logBatchLines = 100;
    int progress = 0;
    Ingestor *running = nullptr;
    Ingestor ingestor(scene.store());
    ingestor.setOptions(options);
    running = &ingestor;
    connect(&ingestor, &Ingestor::progress, &ingestor, [&] {
        if (++progress == 5)
            running->cancel();
    });
    QVERIFY(!ingestor.ingest({path}));
    QCOMPARE(ingestor.errorString(), u"cancelled"_s);
    // The batches committed when the cancel came are stored, whole and in order; the one
    // open then was rolled back.
    const QByteArrayList stored = scene.lines(u"T-cancel"_s, 1);
    QVERIFY(stored.size() >= 300 && stored.size() < 20000);
    QCOMPARE(stored.size() % 100, 0);
    QCOMPARE(stored.constLast(), "line " + QByteArray::number(stored.size()));
    const qsizetype committed = stored.size();

    // Ingested again, the rest is added, and a third time nothing changes.
    const Run again = scene.ingest({path}, options);
    QVERIFY2(again.ok, qPrintable(again.error));
    QCOMPARE(again.counts.ingested, qint64(20000 - committed));
    QCOMPARE(again.counts.duplicates, qint64(committed));
    QCOMPARE(again.counts.warnings, qint64(0));
    QCOMPARE(scene.lines(u"T-cancel"_s, 1).size(), 20000);
    const Run third = scene.ingest({path}, options);
    QVERIFY2(third.ok, qPrintable(third.error));
    QCOMPARE(third.counts.ingested, qint64(0));
}

void TestLogPipeline::newFilesGetTheTunedIndex()
{
    Scene scene;
    QVERIFY(scene.ingest({scene.write(u"a.log"_s, header("T-new", 1) + "hello world\n")}).ok);
    const QString db = scene.dbPath();
    // columnsize=0: no per-row sizes table.
    QCOMPARE(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'log_fts_docsize'"),
             qint64(0));
    for (const Fts5Setting &setting : logIndexSettings) {
        const QByteArray sql =
            "SELECT v FROM log_fts_config WHERE k = '" + QByteArray(setting.name) + "'";
        QCOMPARE(scalar(db, sql.constData()), qint64(setting.value));
    }
    QCOMPARE(scalar(db, "SELECT count(*) FROM log_fts WHERE log_fts MATCH 'hello'"), qint64(1));
}

// A file whose log index has the layout of before (with per-row sizes, positions and FTS5's
// default settings) is given the settings when opened to write, keeps its layout, and finds
// what a new file finds.
void TestLogPipeline::olderIndexLayoutSearchesTheSame()
{
    const QByteArray first =
        header("T-a", 1) + "npm warn deprecated inflight@1.0.6\nfound 0 vulnerabilities\n" +
        header("T-a", 2) + "Warning: Each child in a list\nconsole.warn deprecated thing\n";
    const QByteArray second = header("T-b", 1) +
                              "found 0 vulnerabilities again\nwarning: deprecated API\n" +
                              header("T-a", 1, 3) + "a third line with a warning\n";
    QTemporaryDir dir;
    const QString older = dir.filePath(u"older.db"_s);
    auto write = [&](const QString &name, const QByteArray &content) {
        const QString path = dir.filePath(name);
        QFile out(path);
        return out.open(QIODevice::WriteOnly) && out.write(content) == content.size() ? path
                                                                                      : QString();
    };
    const QString firstPath = write(u"first.log"_s, first);
    const QString secondPath = write(u"second.log"_s, second);
    {
        auto store = openStore(older, nullptr);
        QVERIFY(store);
        Ingestor ingestor(*store);
        QVERIFY(ingestor.ingest({firstPath}));
    }
    // Back to the layout and settings of before.
    QVERIFY(exec(older, "DROP TABLE log_fts; CREATE VIRTUAL TABLE log_fts USING fts5 (text, "
                        "content='log_line', content_rowid='id'); INSERT INTO log_fts (log_fts) "
                        "VALUES ('rebuild');"));
    QCOMPARE(scalar(older, "SELECT count(*) FROM log_fts_config WHERE k = 'hashsize'"), qint64(0));
    QCOMPARE(scalar(older, "SELECT count(*) FROM sqlite_schema WHERE name = 'log_fts_docsize'"),
             qint64(1));

    auto olderStore = openStore(older, nullptr);
    QVERIFY(olderStore);
    Ingestor more(*olderStore);
    QVERIFY(more.ingest({secondPath}));
    Scene fresh;
    QVERIFY(fresh.ingest({firstPath, secondPath}).ok);

    QCOMPARE(scalar(older, "SELECT v FROM log_fts_config WHERE k = 'hashsize'"),
             qint64(logIndexSettings[0].value));
    QCOMPARE(scalar(older, "SELECT count(*) FROM sqlite_schema WHERE name = 'log_fts_docsize'"),
             qint64(1));
    // The older index keeps positions and finds phrases itself; the new one keeps none, and
    // search checks phrases on the text: the same hits either way.
    const char *detailNone = "SELECT count(*) FROM sqlite_schema WHERE name = 'log_fts' AND "
                             "sql LIKE '%detail=none%'";
    QCOMPARE(scalar(older, detailNone), qint64(0));
    QCOMPARE(scalar(fresh.dbPath(), detailNone), qint64(1));
    for (const QString &query :
         {u"warning"_s, u"found 0 vulnerabilities"_s, u"deprecated"_s, u"third line"_s,
          u"\"found 0 vulnerabilities\""_s, u"\"third line\""_s, u"deprec*"_s, u"\"0 vuln*\""_s}) {
        const QStringList want = describe(fresh.store().search(query, 50));
        QVERIFY2(!want.isEmpty(), qPrintable(query));
        QCOMPARE(describe(olderStore->search(query, 50)), want);
    }
    // Every word is there, not as the phrase: no hit on either.
    for (const QString &query : {u"\"line third\""_s, u"\"found vulnerabilities\""_s}) {
        QVERIFY2(olderStore->search(query, 50).isEmpty(), qPrintable(query));
        QVERIFY2(fresh.store().search(query, 50).isEmpty(), qPrintable(query));
    }
    // FTS5's own syntax too, as far as an index without positions answers it: words, a
    // prefix, OR.
    for (const char *sql :
         {"SELECT group_concat(rowid) FROM (SELECT rowid FROM log_fts WHERE log_fts MATCH "
          "'found 0 vulnerabilities' ORDER BY rowid)",
          "SELECT group_concat(rowid) FROM (SELECT rowid FROM log_fts WHERE log_fts MATCH "
          "'deprec*' ORDER BY rowid DESC)",
          "SELECT group_concat(rowid) FROM (SELECT rowid FROM log_fts WHERE log_fts MATCH "
          "'warn* OR found' ORDER BY rowid)"}) {
        const QString want = text(fresh.dbPath(), sql);
        QVERIFY2(!want.isEmpty(), sql);
        QCOMPARE(text(older, sql), want);
    }
    QVERIFY(exec(older, "INSERT INTO log_fts (log_fts) VALUES ('integrity-check')"));
    QVERIFY(exec(fresh.dbPath(), "INSERT INTO log_fts (log_fts) VALUES ('integrity-check')"));

    // verify compares each index with a scratch one of the same detail: both agree with their
    // lines, and a line taken out of either index is named.
    const auto searchIndexProblems = [](const QString &path) {
        QString error;
        auto reader = openStore(path, &error, StoreAccess::ReadOnly);
        QStringList problems;
        if (!reader)
            return QStringList{error};
        const EvidenceReport report = reader->verifyEvidence({});
        for (const EvidenceProblem &problem : report.problems)
            if (problem.kind == u"log_fts")
                problems << problem.problem;
        return report.error.isEmpty() ? problems : problems << report.error;
    };
    for (const QString &path : {older, fresh.dbPath()}) {
        QCOMPARE(searchIndexProblems(path), QStringList());
        QVERIFY(exec(path, "INSERT INTO log_fts (log_fts, rowid, text) SELECT 'delete', id, text "
                           "FROM log_line ORDER BY id LIMIT 1"));
        const QStringList problems = searchIndexProblems(path);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().startsWith(u"the search index does not match the stored line"_s),
                 qPrintable(problems.first()));
    }
}

// The index finds every line that holds a phrase's words; search reads on past the newer lines
// that hold them apart, and past lines of no command, until the page is full.
void TestLogPipeline::phrasePageReadsPastLinesWithTheWordsApart()
{
    QByteArray log = header("T-a", 1) + "older: npm warn deprecated\nnpm warn again\n";
    for (int i = 0; i < 300; ++i)
        log += "warn: npm " + QByteArray::number(i) + '\n';
    log += header("T-a", 2) + "npm warn in the second\n";
    Scene scene;
    QVERIFY(scene.ingest({scene.write(u"apart.log"_s, log)}).ok);
    RecordStore &store = scene.store();
    const QString second = u"T-a/2/1: npm warn in the second"_s;
    const QString again = u"T-a/1/2: npm warn again"_s;
    const QString older = u"T-a/1/1: older: npm warn deprecated"_s;
    QCOMPARE(describe(store.search(u"\"npm warn\""_s, 2)), (QStringList{second, again}));
    QCOMPARE(describe(store.search(u"\"npm warn\""_s, 50)), (QStringList{second, again, older}));
    QCOMPARE(describe(store.search(u"\"npm warn\" older"_s, 50)), QStringList{older});
    QCOMPARE(describe(store.search(u"\"warn npm 7\""_s, 50)),
             QStringList{u"T-a/1/10: warn: npm 7"_s});
    QCOMPARE(store.search(u"npm warn"_s, 500).size(), 303);
    // A line whose command is gone is no hit, and takes no room on the page: with the text
    // checked or not.
    QVERIFY(exec(scene.dbPath(), "DELETE FROM command WHERE seq = 2"));
    QCOMPARE(describe(store.search(u"\"npm warn\""_s, 1)), QStringList{again});
    QCOMPARE(describe(store.search(u"warn"_s, 1)), QStringList{u"T-a/1/302: warn: npm 299"_s});
}

QTEST_GUILESS_MAIN(TestLogPipeline)
#include "tst_logpipeline.moc"
