// tasktrail-cli end to end: a real binary, real files, a real SQLite database.
#include "clirun.h"
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail::CliRun;

namespace {

QJsonDocument json(const Run &run)
{
    return QJsonDocument::fromJson(run.out.toUtf8());
}

// Reads one integer with the plain C API, so the checks do not trust the code under test.
qint64 scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
        return -1;
    const qint64 v = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    return v;
}

QString text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
        return QString::fromUtf8(sqlite3_errmsg(db));
    QString v;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        v = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    return v;
}

bool ftsConsistent(sqlite3 *db)
{
    return sqlite3_exec(db, "INSERT INTO log_fts(log_fts) VALUES('integrity-check')", nullptr,
                        nullptr, nullptr) == SQLITE_OK;
}

const QRegularExpression summaryLine(u"^(\\d+) ingested, (\\d+) duplicates, (\\d+) rejected"_s,
                                     QRegularExpression::MultilineOption);

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void usageErrors_data();
    void usageErrors();
    void demoAnswers();
    void globalOptionsBeforeTheVerb_data();
    void globalOptionsBeforeTheVerb();
    void reingestChangesNothing();
    void rejectedInputExitsOne();
    void killedIngestKeepsCommittedBatches();
    void standardInputIsRead_data();
    void standardInputIsRead();
    void unreadableDirectoryExitsOne();
    void searchWordsMayStartWithADash_data();
    void searchWordsMayStartWithADash();
    void searchPhrasesAndPrefixes_data();
    void searchPhrasesAndPrefixes();

private:
    QTemporaryDir m_dir;
    QString m_db;
    QString m_demo;
    QString m_showcaseCampaign;
    QString m_showcaseTask;
    qint64 m_ingested = 0;
};

void TestCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = m_dir.filePath(u"demo.db"_s);
    m_demo = m_dir.filePath(u"demo"_s);
    const Run demo = cli({u"demo"_s, u"--out"_s, m_demo, u"--scale"_s, u"0.1"_s});
    QCOMPARE(demo.exitCode, 0);
    const auto m = QRegularExpression(u"showcase: campaign (\\S+), task (\\S+)"_s).match(demo.out);
    QVERIFY2(m.hasMatch(), qPrintable(demo.out));
    m_showcaseCampaign = m.captured(1);
    m_showcaseTask = m.captured(2);

    // The demo database every question below is asked of.
    const Run ingest = cli({u"ingest"_s, u"--db"_s, m_db, m_demo});
    QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.out + ingest.err));
    const auto counts = summaryLine.match(ingest.out);
    QVERIFY2(counts.hasMatch(), qPrintable(ingest.out));
    m_ingested = counts.captured(1).toLongLong();
    QVERIFY(m_ingested > 1000);
    QCOMPARE(counts.captured(2), u"0"_s);
    QCOMPARE(counts.captured(3), u"0"_s);
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no verb") << QStringList{} << u"Usage"_s;
    QTest::newRow("unknown verb") << QStringList{u"frobnicate"_s} << u"unknown verb"_s;
    QTest::newRow("show without task") << QStringList{u"show"_s} << u"wrong number"_s;
    QTest::newRow("bad format") << QStringList{u"stats"_s, u"--format"_s, u"xml"_s}
                                << u"--format must be text or json"_s;
    QTest::newRow("unknown option") << QStringList{u"stats"_s, u"--frob"_s} << u"frob"_s;
    QTest::newRow("demo without out") << QStringList{u"demo"_s} << u"--out"_s;
    QTest::newRow("missing task") << QStringList{u"show"_s, u"--db"_s, u"/nonexistent/x.db"_s,
                                                 u"T-1"_s}
                                  << u"cannot open"_s;
    const QString db = m_dir.filePath(u"usage.db"_s);
    QTest::newRow("command number past int")
        << QStringList{u"ingest"_s,    u"--db"_s,       db, u"--task"_s, u"T-1"_s,
                       u"--command"_s, u"4294967297"_s, db}
        << u"--command 4294967297: must be at most 2147483647"_s;
    QTest::newRow("command number 0")
        << QStringList{u"ingest"_s, u"--db"_s,      db,     u"--task"_s,
                       u"T-1"_s,    u"--command"_s, u"0"_s, db}
        << u"--command 0: must be at least 1"_s;
    QTest::newRow("search limit not a number")
        << QStringList{u"search"_s, u"--db"_s, db, u"--limit"_s, u"many"_s, u"word"_s}
        << u"--limit 'many': not a whole number"_s;
    QTest::newRow("option before the verb that is not global")
        << QStringList{u"--frob"_s, u"stats"_s} << u"'--frob' before the verb"_s;
    QTest::newRow("global option without its value")
        << QStringList{u"--db"_s} << u"needs a value"_s;
    QTest::newRow("global options only") << QStringList{u"--db"_s, db} << u"no verb"_s;
    QTest::newRow("--db before and after the verb, different")
        << QStringList{u"--db"_s, db, u"stats"_s, u"--db"_s, m_dir.filePath(u"other.db"_s)}
        << u"--db given twice with different values"_s;
    QTest::newRow("--format before a verb that has none")
        << QStringList{u"--format"_s, u"json"_s, u"demo"_s, u"--out"_s, db} << u"format"_s;
    QTest::newRow("search with a mistyped option")
        << QStringList{u"search"_s, u"--db"_s, db, u"--limt"_s, u"5"_s, u"word"_s} << u"limt"_s;
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run run = cli(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

void TestCli::demoAnswers()
{
    const QJsonObject stats =
        json(cli({u"stats"_s, u"--db"_s, m_db, u"--format"_s, u"json"_s})).object();
    QVERIFY(stats.value(u"tasks"_s).toInteger() >= 90);
    QVERIFY(stats.value(u"log_lines"_s).toInteger() > 1000);
    QVERIFY(stats.value(u"redactions"_s).toInteger() > 0);
    QVERIFY(stats.value(u"merged_pull_requests"_s).toInteger() > 0);

    // "Why were 3 of these 50 repositories skipped?"
    const QJsonObject campaign =
        json(cli({u"campaign"_s, u"--db"_s, m_db, m_showcaseCampaign, u"--format"_s, u"json"_s}))
            .object();
    QCOMPARE(campaign.value(u"targeted"_s).toInt(), 50);
    QCOMPARE(campaign.value(u"skipped"_s).toInt(), 3);
    const QJsonObject skips = campaign.value(u"skips_by_rule"_s).toObject();
    QCOMPARE(skips.keys().size(), 3);
    for (const QString &rule : skips.keys()) {
        const QJsonArray repos = skips.value(rule).toArray();
        QCOMPARE(repos.size(), 1);
        QVERIFY(!repos.at(0).toObject().value(u"reason"_s).toString().isEmpty());
    }
    const Run campaignText = cli({u"campaign"_s, u"--db"_s, m_db, m_showcaseCampaign});
    QVERIFY(campaignText.out.contains(u"Skipped (3)"_s));
    // The campaign's link, for a ticket or a pull-request comment.
    const QString campaignLink = u"tasktrail://campaign/"_s + m_showcaseCampaign;
    QCOMPARE(campaign.value(u"link"_s).toString(), campaignLink);
    QVERIFY2(campaignText.out.contains(u"link"_s) &&
                 campaignText.out.contains(u" "_s + campaignLink + u'\n'),
             qPrintable(campaignText.out));

    // The whole chain of one task.
    const QJsonObject chain =
        json(cli({u"show"_s, u"--db"_s, m_db, m_showcaseTask, u"--format"_s, u"json"_s})).object();
    QCOMPARE(chain.value(u"task"_s).toObject().value(u"id"_s).toString(), m_showcaseTask);
    QVERIFY(chain.contains(u"request"_s));
    QVERIFY(chain.value(u"identity"_s).toObject().contains(u"hashed_token"_s));
    QVERIFY(chain.contains(u"policy"_s));
    QVERIFY(!chain.value(u"commands"_s).toArray().isEmpty());
    // The reviewer's sentence leads both forms, built from the chain's own values.
    const QString summary = chain.value(u"summary"_s).toString();
    const QJsonObject task = chain.value(u"task"_s).toObject();
    const QJsonObject request = chain.value(u"request"_s).toObject();
    QVERIFY2(
        summary.contains(u"started task %1 for %2 from request %3"_s.arg(
            m_showcaseTask, task.value(u"repo"_s).toString(), request.value(u"id"_s).toString())),
        qPrintable(summary));
    QVERIFY2(summary.contains(u" commands ("_s) && summary.endsWith(u'.'), qPrintable(summary));
    const Run show = cli({u"show"_s, u"--db"_s, m_db, m_showcaseTask});
    QCOMPARE(show.exitCode, 0);
    QCOMPARE(show.out.section(u'\n', 0, 0), summary);
    for (const auto section : {u"Request", u"Identity", u"Policy", u"Commands", u"Pull request"})
        QVERIFY2(show.out.contains(section), qPrintable(show.out));
    // The commit message is one argument, quoted as a shell would need it.
    QVERIFY2(show.out.contains(u"git commit -m \""_s), qPrintable(show.out));
    // The link that opens the task in the app, under the task's line.
    QVERIFY2(show.out.contains(u"\n  link            tasktrail://task/"_s % m_showcaseTask % u'\n'),
             qPrintable(show.out));

    const QJsonArray hits = json(cli({u"search"_s, u"--db"_s, m_db, u"warning"_s, u"--limit"_s,
                                      u"7"_s, u"--format"_s, u"json"_s}))
                                .array();
    QCOMPARE(hits.size(), 7);
    for (const auto &hit : hits)
        QVERIFY(
            hit.toObject().value(u"text"_s).toString().contains(u"warning"_s, Qt::CaseInsensitive));

    QCOMPARE(cli({u"show"_s, u"--db"_s, m_db, u"no-such-task"_s}).exitCode, 2);
}

void TestCli::globalOptionsBeforeTheVerb_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("--db FILE before")
        << QStringList{u"--db"_s, m_db, u"stats"_s, u"--format"_s, u"json"_s};
    QTest::newRow("--db=FILE before")
        << QStringList{u"--db="_s + m_db, u"stats"_s, u"--format"_s, u"json"_s};
    QTest::newRow("both before") << QStringList{u"--format"_s, u"json"_s, u"--db"_s, m_db,
                                                u"stats"_s};
    QTest::newRow("--format=json before, --db after")
        << QStringList{u"--format=json"_s, u"stats"_s, u"--db"_s, m_db};
    QTest::newRow("the same --db before and after")
        << QStringList{u"--db"_s, m_db, u"stats"_s, u"--db"_s, m_db, u"--format"_s, u"json"_s};
}

void TestCli::globalOptionsBeforeTheVerb()
{
    QFETCH(QStringList, args);
    const Run expected = cli({u"stats"_s, u"--db"_s, m_db, u"--format"_s, u"json"_s});
    QCOMPARE(expected.exitCode, 0);
    QVERIFY(json(expected).object().value(u"tasks"_s).toInteger() > 0);
    const Run run = cli(args);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, expected.out);
}

void TestCli::reingestChangesNothing()
{
    const Run before = cli({u"stats"_s, u"--db"_s, m_db, u"--format"_s, u"json"_s});
    const Run again = cli({u"ingest"_s, u"--db"_s, m_db, m_demo});
    QCOMPARE(again.exitCode, 0);
    const auto m = summaryLine.match(again.out);
    QVERIFY(m.hasMatch());
    QCOMPARE(m.captured(1), u"0"_s);
    QCOMPARE(m.captured(2).toLongLong(), m_ingested);
    const Run after = cli({u"stats"_s, u"--db"_s, m_db, u"--format"_s, u"json"_s});
    QCOMPARE(after.out, before.out);
}

void TestCli::rejectedInputExitsOne()
{
    const QString bad = m_dir.filePath(u"bad.jsonl"_s);
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"tasktrail\":1,\"kind\":\"request\",\"id\":\"R-ok\",\"text\":\"fine\"}\n"
            "{\"tasktrail\":1,\"kind\":\"request\",\"id\":\n"
            "{\"tasktrail\":1,\"kind\":\"task\",\"id\":\"T-x\",\"repo\":\"o/"
            "r\",\"retries\":\"two\"}\n");
    f.close();
    const QString db = m_dir.filePath(u"bad.db"_s);
    const Run run = cli({u"ingest"_s, u"--db"_s, db, bad});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(bad + u":2: invalid JSON"_s), qPrintable(run.err));
    QCOMPARE(run.err.count(u":2: invalid JSON"_s), 1); // once, not again as a debug line
    QVERIFY2(run.err.contains(bad + u":3: field 'retries'"_s), qPrintable(run.err));
    QVERIFY(run.out.startsWith(u"1 ingested, 0 duplicates, 2 rejected"_s));
}

void TestCli::killedIngestKeepsCommittedBatches()
{
    // A log big enough that the kill lands mid-file, in small batches.
    const QString log = m_dir.filePath(u"big.log"_s);
    constexpr int lines = 400000;
    constexpr int batch = 1000;
    {
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray chunk;
        chunk += "##[tasktrail] task=T-kill command=1\n";
        for (int i = 1; i <= lines; ++i) {
            chunk += "2026-03-01T12:00:00.000Z step " + QByteArray::number(i) +
                     " compiling module alpha beta gamma\n";
            if (chunk.size() > (1 << 20)) {
                f.write(chunk);
                chunk.clear();
            }
        }
        f.write(chunk);
    }
    const QString db = m_dir.filePath(u"kill.db"_s);
    QProcess p;
    p.start(QStringLiteral(TASKTRAIL_CLI), {u"ingest"_s, u"--db"_s, db, u"--quiet"_s,
                                            u"--batch-lines"_s, QString::number(batch), log});
    QVERIFY(p.waitForStarted());
    // Wait for a few committed batches, then kill without warning.
    sqlite3 *watch = nullptr;
    qint64 seen = 0;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     if (!watch && QFile::exists(db))
                         sqlite3_open_v2(db.toUtf8().constData(), &watch, SQLITE_OPEN_READONLY,
                                         nullptr);
                     if (watch)
                         seen = scalar(watch, "SELECT count(*) FROM log_line");
                     return seen >= 5 * batch || p.state() == QProcess::NotRunning;
                 },
                 15000),
             "no batch committed within 15 s");
    QVERIFY2(p.state() == QProcess::Running, "the ingest ended before the kill");
    p.kill();
    p.waitForFinished();
    sqlite3_close(watch);
    QVERIFY2(seen > 0, "the ingest never committed a batch");

    sqlite3 *db3 = nullptr;
    QCOMPARE(sqlite3_open(db.toUtf8().constData(), &db3), SQLITE_OK);
    QCOMPARE(text(db3, "PRAGMA integrity_check"), u"ok"_s);
    QVERIFY(ftsConsistent(db3));
    const qint64 kept = scalar(db3, "SELECT count(*) FROM log_line");
    QVERIFY2(kept < lines, "the kill came too late to test anything");
    QCOMPARE(kept % batch, 0);                                                // whole batches only
    QCOMPARE(scalar(db3, "SELECT max(id & 4294967295) FROM log_line"), kept); // no gaps
    QCOMPARE(scalar(db3, "SELECT count(*) FROM ingested_file"), 0);
    sqlite3_close(db3);

    // Ingesting again completes the file and stores every line exactly once.
    const Run again = cli({u"ingest"_s, u"--db"_s, db, u"--quiet"_s, log});
    QCOMPARE(again.exitCode, 0);
    const auto m = summaryLine.match(again.out);
    QVERIFY(m.hasMatch());
    QCOMPARE(m.captured(1).toLongLong() + m.captured(2).toLongLong(), qint64(lines));
    QCOMPARE(m.captured(2).toLongLong(), kept);
    QCOMPARE(sqlite3_open(db.toUtf8().constData(), &db3), SQLITE_OK);
    QCOMPARE(scalar(db3, "SELECT count(*) FROM log_line"), qint64(lines));
    QCOMPARE(scalar(db3, "SELECT count(*) FROM log_fts WHERE log_fts MATCH 'gamma'"),
             qint64(lines));
    QVERIFY(ftsConsistent(db3));
    sqlite3_close(db3);
}

namespace {

// The CLI with `input` on its standard input (through a pipe).
Run cliWithInput(const QStringList &args, const QByteArray &input)
{
    QProcess p;
    p.start(QStringLiteral(TASKTRAIL_CLI), args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

void TestCli::standardInputIsRead_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("-") << u"-"_s;
    QTest::newRow("/dev/stdin") << u"/dev/stdin"_s;
}

void TestCli::standardInputIsRead()
{
    QFETCH(QString, path);
    const QString db = m_dir.filePath(path == u"-" ? u"stdin-dash.db"_s : u"stdin-dev.db"_s);
    const Run run = cliWithInput({u"ingest"_s, u"--db"_s, db, path},
                                 "##[tasktrail] task=T-in command=1\nfrom a pipe\nsecond\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.startsWith(u"2 ingested, 0 duplicates, 0 rejected"_s), qPrintable(run.out));
    // Qt's own complaints about seeking a pipe are not the user's business.
    QVERIFY2(!run.err.contains(u"QFile::"_s) && !run.err.contains(u"QIODevice::"_s),
             qPrintable(run.err));
    const Run search = cli({u"search"_s, u"--db"_s, db, u"pipe"_s});
    QVERIFY2(search.out.contains(u"from a pipe"_s), qPrintable(search.out));

    // Gzip data through the pipe is decoded.
    QProcess gzip;
    gzip.start(u"gzip"_s, {u"-c"_s});
    gzip.write("##[tasktrail] task=T-in command=2\ncompressed\n");
    gzip.closeWriteChannel();
    QVERIFY(gzip.waitForFinished());
    const Run packed =
        cliWithInput({u"ingest"_s, u"--db"_s, db, path}, gzip.readAllStandardOutput());
    QVERIFY2(packed.exitCode == 0, qPrintable(packed.out + packed.err));
    QVERIFY2(packed.out.startsWith(u"1 ingested"_s), qPrintable(packed.out));
}

void TestCli::unreadableDirectoryExitsOne()
{
    // Root reads every directory: the CLI runs as nobody then, as a user would.
    const bool asRoot = ::geteuid() == 0;
    const QString root = m_dir.filePath(u"perm"_s);
    QVERIFY(QDir().mkpath(root % u"/locked"_s));
    QFile::setPermissions(m_dir.path(), QFile::Permissions(0x7755));
    QFile::setPermissions(root, QFile::Permissions(0x7777));
    QFile log(root % u"/ok.log"_s);
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.write("##[tasktrail] task=T-ok command=1\nreadable\n");
    log.close();
    QFile::setPermissions(log.fileName(), QFile::Permissions(0x7744));
    QFile hidden(root % u"/locked/hidden.log"_s);
    QVERIFY(hidden.open(QIODevice::WriteOnly));
    hidden.write("##[tasktrail] task=T-hidden command=1\nnever seen\n");
    hidden.close();
    QVERIFY(QFile::setPermissions(root % u"/locked"_s, QFileDevice::Permissions()));

    const QString dbDir = m_dir.filePath(u"permdb"_s);
    QVERIFY(QDir().mkpath(dbDir));
    QFile::setPermissions(dbDir, QFile::Permissions(0x7777));
    QStringList args{u"ingest"_s, u"--db"_s, dbDir % u"/perm.db"_s, root};
    QProcess p;
    if (asRoot)
        p.start(u"setpriv"_s, QStringList{u"--reuid=65534"_s, u"--regid=65534"_s,
                                          u"--clear-groups"_s, QStringLiteral(TASKTRAIL_CLI)} +
                                  args);
    else
        p.start(QStringLiteral(TASKTRAIL_CLI), args);
    QVERIFY(p.waitForFinished(60000));
    QFile::setPermissions(root % u"/locked"_s, QFile::Permissions(0x7700));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(err.contains(root % u"/locked: cannot read the directory: permission denied"_s),
             qPrintable(err));
    QVERIFY2(out.startsWith(u"1 ingested, 0 duplicates, 1 rejected"_s), qPrintable(out));
}

void TestCli::searchWordsMayStartWithADash_data()
{
    QTest::addColumn<QStringList>("query");
    QTest::addColumn<QString>("found");

    QTest::newRow("-text:foo") << QStringList{u"-text:foo"_s} << u"text: foo bar"_s;
    QTest::newRow("word after the options")
        << QStringList{u"--limit"_s, u"5"_s, u"-bar"_s} << u"text: foo bar"_s;
    QTest::newRow("option after the word")
        << QStringList{u"-bar"_s, u"--limit=5"_s} << u"text: foo bar"_s;
    QTest::newRow("everything after --")
        << QStringList{u"--"_s, u"--dashes--"_s, u"--limit"_s} << u"--dashes-- --limit"_s;
}

void TestCli::searchWordsMayStartWithADash()
{
    QFETCH(QStringList, query);
    QFETCH(QString, found);

    const QString db = m_dir.filePath(u"dash.db"_s);
    const QString log = m_dir.filePath(u"dash.log"_s);
    QFile f(log);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("##[tasktrail] task=T-dash command=1\ntext: foo bar\n--dashes-- --limit\n");
    f.close();
    QVERIFY(cli({u"ingest"_s, u"--db"_s, db, log}).exitCode == 0);
    const Run run = cli(QStringList{u"search"_s, u"--db"_s, db} + query);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(found), qPrintable(run.out));
}

void TestCli::searchPhrasesAndPrefixes_data()
{
    QTest::addColumn<QStringList>("query");
    QTest::addColumn<QStringList>("found"); // the lines found, in this order

    const QString all = u"npm ci --force"_s;
    const QString apart = u"ci then npm"_s;
    const QString other = u"npmrc citation"_s;
    QTest::newRow("words in any order")
        << QStringList{u"npm"_s, u"ci"_s} << QStringList{apart, all};
    QTest::newRow("a phrase in one argument") << QStringList{u"\"npm ci\""_s} << QStringList{all};
    QTest::newRow("a phrase across arguments")
        << QStringList{u"\"npm"_s, u"ci\""_s} << QStringList{all};
    QTest::newRow("a phrase with an option after it")
        << QStringList{u"\"ci then\""_s, u"--limit"_s, u"5"_s} << QStringList{apart};
    QTest::newRow("an unbalanced quote") << QStringList{u"\"npm ci"_s} << QStringList{all};
    QTest::newRow("a prefix") << QStringList{u"npm*"_s} << QStringList{other, apart, all};
    QTest::newRow("a prefix and a word")
        << QStringList{u"cit*"_s, u"npmrc"_s} << QStringList{other};
    QTest::newRow("a prefix ending a phrase") << QStringList{u"\"npm ci*\""_s} << QStringList{all};
    QTest::newRow("a dash before a prefix") << QStringList{u"-forc*"_s} << QStringList{all};
    QTest::newRow("FTS5 operators are words")
        << QStringList{u"npm"_s, u"OR"_s, u"citation"_s} << QStringList{};
}

void TestCli::searchPhrasesAndPrefixes()
{
    QFETCH(QStringList, query);
    QFETCH(QStringList, found);

    const QString db = m_dir.filePath(u"phrase.db"_s);
    if (!QFile::exists(db)) {
        const QString log = m_dir.filePath(u"phrase.log"_s);
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("##[tasktrail] task=T-phrase command=1\nnpm ci --force\nci then npm\n"
                "npmrc citation\n");
        f.close();
        QCOMPARE(cli({u"ingest"_s, u"--db"_s, db, log}).exitCode, 0);
    }
    const Run run = cli(QStringList{u"search"_s, u"--db"_s, db, u"--format"_s, u"json"_s} + query);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QStringList lines;
    for (const auto &hit : QJsonDocument::fromJson(run.out.toUtf8()).array())
        lines << hit.toObject().value(u"text"_s).toString();
    QCOMPARE(lines, found);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
