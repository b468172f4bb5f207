// `tasktrail-cli compare` on SQLite and PostgreSQL: the crafted pair of runs in
// tests/data/compare/ (one command only in A, one only in B, one whose exit code differs, two
// swapped) is compared the same way on both, in text and in JSON, with the log diff of a row.
#include "backends.h"
#include "clirun.h"

#include "query/runcomparison.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace Tasktrail::CliRun;

namespace {

QString data(const QString &path)
{
    return QStringLiteral(TASKTRAIL_TEST_DATA) + u"/compare/"_s + path;
}

// The rows of the crafted pair, as "match A-seq B-seq" (0 for none).
const QStringList expectedRows{
    u"same 1 1"_s,   u"only_b 0 2"_s, u"same 2 3"_s, u"exit_differs 3 4"_s,
    u"only_a 4 0"_s, u"only_a 5 0"_s, u"same 6 5"_s, u"only_b 0 6"_s,
};

} // namespace

class TestCompareCli final : public QObject
{
    Q_OBJECT

    Backends::Fixture m_db;
    QHash<QString, QString> m_location; // per backend, ingested once

    QString ingested(const QString &backend)
    {
        if (m_location.contains(backend))
            return m_location.value(backend);
        const QString location = m_db.fresh(backend);
        const Run run =
            cli({u"ingest"_s, u"--db"_s, location, data(u"pair.jsonl"_s), data(u"pair.log"_s)});
        if (run.exitCode != 0)
            qWarning("ingest: %s", qPrintable(run.err));
        m_location.insert(backend, location);
        return location;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
    }

    void json_data() { Backends::addBackendRows(); }
    void json()
    {
        QFETCH(QString, backend);
        const QString db = ingested(backend);
        const Run run = cli({u"compare"_s, u"--db"_s, db, u"T-cmp-a"_s, u"T-cmp-b"_s, u"--format"_s,
                             u"json"_s, u"--command"_s, u"4"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject out = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(out.value(u"a"_s).toObject().value(u"task"_s).toString(), u"T-cmp-a"_s);
        QCOMPARE(out.value(u"b"_s).toObject().value(u"state"_s).toString(), u"completed"_s);
        QCOMPARE(out.value(u"a"_s).toObject().value(u"duration_ms"_s).toInt(), 570000);
        QCOMPARE(out.value(u"a"_s).toObject().value(u"policy"_s).toString(), u"P-deps@3"_s);
        QVERIFY(out.value(u"a"_s).toObject().value(u"pull_request"_s).isNull());
        QVERIFY(out.value(u"a"_s)
                    .toObject()
                    .value(u"sentence"_s)
                    .toString()
                    .contains(u"it ran 6 commands (1 failed)"_s));
        QStringList rows;
        for (const QJsonValue &row : out.value(u"commands"_s).toArray()) {
            const QJsonObject r = row.toObject();
            rows << u"%1 %2 %3"_s.arg(r.value(u"match"_s).toString())
                        .arg(r.value(u"a"_s).toObject().value(u"seq"_s).toInt())
                        .arg(r.value(u"b"_s).toObject().value(u"seq"_s).toInt());
        }
        QCOMPARE(rows, expectedRows);
        const QJsonObject hosts = out.value(u"hosts"_s).toObject();
        QCOMPARE(hosts.value(u"only_b"_s).toArray(), QJsonArray{u"telemetry.example.net"_s});
        QCOMPARE(hosts.value(u"both"_s).toArray(), QJsonArray{u"github.com"_s});
        const QJsonObject files = out.value(u"files"_s).toObject();
        QCOMPARE(files.value(u"only_a"_s).toArray(), QJsonArray{u"README.md"_s});
        const QJsonArray tests = out.value(u"tests"_s).toArray();
        QCOMPARE(tests.size(), 2);
        QCOMPARE(tests.at(0).toObject().value(u"a"_s).toString(), u"failed"_s);
        QCOMPARE(tests.at(0).toObject().value(u"b"_s).toString(), u"passed"_s);
        // The log diff of row 4 (npm test): the shared lines, then A's failure, then B's pass.
        const QJsonObject diff = out.value(u"log_diff"_s).toObject();
        QCOMPARE(diff.value(u"lines_a"_s).toInt(), 5);
        QCOMPARE(diff.value(u"lines_b"_s).toInt(), 4);
        QCOMPARE(diff.value(u"truncated"_s).toBool(), false);
        QStringList ops;
        for (const QJsonValue &line : diff.value(u"lines"_s).toArray())
            ops << line.toObject().value(u"op"_s).toString() % u':' %
                       line.toObject().value(u"text"_s).toString();
        QCOMPARE(ops, (QStringList{
                          u"same:> web@1.0.0 test"_s, u"same:PASS src/checkout.test.ts"_s,
                          u"only_a:FAIL src/cart.test.ts"_s, u"only_a:  expected 30 to equal 31"_s,
                          u"only_a:Tests: 1 failed, 1 passed"_s, u"only_b:PASS src/cart.test.ts"_s,
                          u"only_b:Tests: 2 passed"_s}));
    }

    void text_data() { Backends::addBackendRows(); }
    void text()
    {
        QFETCH(QString, backend);
        const QString db = ingested(backend);
        const Run run =
            cli({u"compare"_s, u"--db"_s, db, u"T-cmp-a"_s, u"T-cmp-b"_s, u"--command"_s, u"4"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.startsWith(u"A: The dev-portal workflow started task T-cmp-a"_s),
                 qPrintable(run.out));
        QVERIFY(run.out.contains(u"\nB: The dev-portal workflow started task T-cmp-b"_s));
        QVERIFY(run.out.contains(u"Commands (8 rows"_s));
        QVERIFY2(
            run.out.contains(QRegularExpression(u"\\n +4  exit differs +3:1 +4:0 +npm test\\n"_s)),
            qPrintable(run.out));
        QVERIFY(run.out.contains(QRegularExpression(u"\\n +2  only in B +- +2:0 +npm install"_s)));
        QVERIFY(run.out.contains(u"  only in B  telemetry.example.net\n"_s));
        QVERIFY(run.out.contains(u"\n-FAIL src/cart.test.ts\n"_s));
        QVERIFY(run.out.contains(u"\n+Tests: 2 passed\n"_s));
        QVERIFY(run.out.contains(u"\n PASS src/checkout.test.ts\n"_s));
        // The same answer on both backends.
        if (backend == u"postgresql") {
            const Run lite = cli({u"compare"_s, u"--db"_s, ingested(u"sqlite"_s), u"T-cmp-a"_s,
                                  u"T-cmp-b"_s, u"--command"_s, u"4"_s});
            QCOMPARE(run.out, lite.out);
        }
    }

    // A log longer than a diff reads: the first LogDiff::defaultLineLimit lines are compared,
    // and the answer says the log was longer.
    void logDiffIsBounded_data() { Backends::addBackendRows(); }
    void logDiffIsBounded()
    {
        QFETCH(QString, backend);
        const QString db = m_db.fresh(backend);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile log(dir.filePath(u"audit.log"_s));
        QVERIFY(log.open(QIODevice::WriteOnly));
        log.write("##[tasktrail] task=T-cmp-a command=4\n");
        constexpr int lines = LogDiff::defaultLineLimit + 500;
        for (int n = 1; n <= lines; ++n)
            log.write("audited package " + QByteArray::number(n) + "\n");
        log.close();
        const Run ingest = cli({u"ingest"_s, u"--db"_s, db, data(u"pair.jsonl"_s),
                                data(u"pair.log"_s), log.fileName()});
        QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.err));
        // Row 5 is npm audit, which only A ran.
        const Run run = cli({u"compare"_s, u"--db"_s, db, u"T-cmp-a"_s, u"T-cmp-b"_s, u"--format"_s,
                             u"json"_s, u"--command"_s, u"5"_s});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject diff =
            QJsonDocument::fromJson(run.out.toUtf8()).object().value(u"log_diff"_s).toObject();
        QCOMPARE(diff.value(u"lines_a"_s).toInt(), lines);
        QCOMPARE(diff.value(u"lines_b"_s).toInt(), 0);
        QCOMPARE(diff.value(u"truncated"_s).toBool(), true);
        const QJsonArray shown = diff.value(u"lines"_s).toArray();
        QCOMPARE(shown.size(), LogDiff::defaultLineLimit);
        QCOMPARE(shown.last().toObject().value(u"line_a"_s).toInt(), LogDiff::defaultLineLimit);
        QCOMPARE(shown.last().toObject().value(u"op"_s).toString(), u"only_a"_s);
        const Run text =
            cli({u"compare"_s, u"--db"_s, db, u"T-cmp-a"_s, u"T-cmp-b"_s, u"--command"_s, u"5"_s});
        QVERIFY(text.out.contains(u"(only the first 2000 lines of each log were compared)"_s));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown task")
            << QStringList{u"T-cmp-a"_s, u"T-none"_s} << u"no task 'T-none'"_s;
        QTest::newRow("row past the end")
            << QStringList{u"T-cmp-a"_s, u"T-cmp-b"_s, u"--command"_s, u"9"_s}
            << u"--command 9: the comparison has 8 rows"_s;
        QTest::newRow("row zero") << QStringList{u"T-cmp-a"_s, u"T-cmp-b"_s, u"--command"_s, u"0"_s}
                                  << u"--command 0"_s;
        QTest::newRow("one task") << QStringList{u"T-cmp-a"_s} << QString();
    }
    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run run = cli(QStringList{u"compare"_s, u"--db"_s, ingested(u"sqlite"_s)} + args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestCompareCli)
#include "tst_comparecli.moc"
