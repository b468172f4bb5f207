// Writers of a team database (docs/team-database.md, "Ingest, batches and the evidence
// chain"): two `tasktrail-cli ingest` processes at once, over different and overlapping files,
// store everything exactly once (what one ingest of all the files into SQLite stores) in one
// chain that verifies; an ingest killed with SIGKILL leaves its committed batches, which
// verify, and the same ingest again completes them.
#include "backends.h"
#include "clirun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace Tasktrail::CliRun;

namespace {

// What an ingest stores of each kind, counted on either backend.
const QStringList countedTables{
    u"request"_s,       u"campaign"_s,         u"task"_s,        u"task_session"_s,
    u"command"_s,       u"log_line"_s,         u"test_result"_s, u"pull_request"_s,
    u"review"_s,        u"check_run"_s,        u"record_text"_s, u"record_seen"_s,
    u"ingested_file"_s, u"transcript_entry"_s, u"audit_event"_s, u"audit_link"_s};

// An ingest that stored all it read and linked its audit events: nothing may go wrong.
QString ingestProblem(const Run &run)
{
    if (run.exitCode == 0)
        return {};
    return u"exit %1: %2 %3"_s.arg(run.exitCode).arg(run.out, run.err);
}

} // namespace

class TestPgWriters : public QObject
{
    Q_OBJECT

private:
    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QString m_records, m_logs, m_github;
    QString m_reference; // all three ingested into SQLite by one ingest

    // Both databases hold the same rows of every counted table, the same tasks, and a chain
    // that verifies.
    void compareWithReference(const QString &location)
    {
        for (const QString &table : countedTables) {
            const QString sql = u"SELECT count(*) FROM "_s + table;
            QCOMPARE(table + u' ' + m_db.sql(location, sql),
                     table + u' ' + m_db.sql(m_reference, sql));
        }
        const QString ids = u"SELECT string_agg(id, ',' ORDER BY id) FROM task"_s;
        QCOMPARE(m_db.sql(location, ids),
                 m_db.sql(m_reference, u"SELECT group_concat(id, ',') FROM "
                                       "(SELECT id FROM task ORDER BY id)"_s));
        QCOMPARE(m_db.sql(location, u"SELECT count(DISTINCT seq) = max(seq) FROM evidence"_s),
                 u"t"_s);
        const Run verify = cli({u"verify"_s, u"--db"_s, location});
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.out.right(2000) + verify.err));
        QVERIFY(verify.out.endsWith(u"intact\n"_s));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
        const QString demo = m_dir.filePath(u"demo"_s);
        const Run made =
            cli({u"demo"_s, u"--out"_s, demo, u"--scale"_s, u"0.05"_s, u"--seed"_s, u"4"_s});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        m_records = demo + u"/records"_s;
        m_logs = demo + u"/logs"_s;
        m_github = demo + u"/github"_s;
        m_reference = m_dir.filePath(u"reference.db"_s);
        const Run all = cli({u"ingest"_s, u"--db"_s, m_reference, m_records, m_logs, m_github});
        QVERIFY2(all.exitCode == 0, qPrintable(all.err));
        QVERIFY(m_db.sql(m_reference, u"SELECT count(*) FROM log_line"_s).toInt() > 1000);
    }

    // Two ingests at once, the log files in both: every record once, one chain.
    void twoIngestsAtOnce()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        QProcess one;
        QProcess two;
        one.start(QStringLiteral(TASKTRAIL_CLI), {u"ingest"_s, u"--db"_s, location,
                                                  u"--batch-lines"_s, u"200"_s, m_records, m_logs});
        two.start(QStringLiteral(TASKTRAIL_CLI), {u"ingest"_s, u"--db"_s, location,
                                                  u"--batch-lines"_s, u"200"_s, m_logs, m_github});
        for (QProcess *p : {&one, &two}) {
            QVERIFY(p->waitForFinished(300000));
            const Run run{p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1,
                          QString::fromUtf8(p->readAllStandardOutput()),
                          QString::fromUtf8(p->readAllStandardError())};
            QVERIFY2(ingestProblem(run).isEmpty(), qPrintable(ingestProblem(run)));
        }
        compareWithReference(location);
    }

    // SIGKILL mid-ingest: what committed verifies on its own (no half batch), and the same
    // ingest again stores the rest.
    void killedIngestLeavesItsCommittedBatches()
    {
        const QString location = m_db.fresh(u"postgresql"_s);
        QProcess ingest;
        ingest.start(QStringLiteral(TASKTRAIL_CLI),
                     {u"ingest"_s, u"--db"_s, location, u"--quiet"_s, u"--batch-lines"_s, u"10"_s,
                      m_records, m_logs, m_github});
        QVERIFY(ingest.waitForStarted());
        const auto committedLines = [&] {
            return m_db.sql(location, u"SELECT count(*) FROM log_line"_s).toLongLong();
        };
        QVERIFY(QTest::qWaitFor(
            [&] { return ingest.state() != QProcess::Running || committedLines() >= 100; },
            120000));
        const bool running = ingest.state() == QProcess::Running;
        ::kill(pid_t(ingest.processId()), SIGKILL);
        QVERIFY(ingest.waitForFinished());
        QVERIFY2(running, "the ingest finished before it could be killed");
        const qint64 lines = committedLines();
        QVERIFY(lines >= 100);
        QVERIFY(lines < m_db.sql(m_reference, u"SELECT count(*) FROM log_line"_s).toLongLong());
        // The chain and every committed record verify; the one thing verify names is a task
        // the killed ingest stored but had not yet checked (the next ingest checks it).
        const Run verify = cli({u"verify"_s, u"--db"_s, location, u"--format"_s, u"json"_s});
        const QJsonObject report = QJsonDocument::fromJson(verify.out.toUtf8()).object();
        QVERIFY2(!report.isEmpty(), qPrintable(verify.out.right(2000) + verify.err));
        for (const QJsonValue &problem : report.value(u"problems"_s).toArray()) {
            const QJsonObject p = problem.toObject();
            QVERIFY2(p.value(u"kind"_s) == u"task"_s &&
                         p.value(u"problem"_s).toString().startsWith(u"never checked"_s),
                     QJsonDocument(p).toJson().constData());
        }

        const Run again = cli({u"ingest"_s, u"--db"_s, location, m_records, m_logs, m_github});
        QVERIFY2(ingestProblem(again).isEmpty(), qPrintable(ingestProblem(again)));
        // A log line read again is compared with the stored one (logLines()): each is stored
        // once, and every file is recorded as ingested.
        compareWithReference(location);
    }
};

QTEST_GUILESS_MAIN(TestPgWriters)
#include "tst_pgwriters.moc"
