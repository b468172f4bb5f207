// verify and the data derived from the records: findings and their checks, audit links and
// the search index. A demo ingested by the real CLI (so its runs are checked and its audit
// events linked), then changed behind Tasktrail's back with the plain C API.
#include "clirun.h"
#include "demo/demogenerator.h"
#include "evidencefixture.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace Tasktrail::CliRun;
using namespace EvidenceFixture;

namespace {

// One value of the first row, read with the plain C API.
QString value(const QString &dbPath, const QByteArray &sql)
{
    sqlite3 *db = nullptr;
    QString out;
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_open_v2(dbPath.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) ==
            SQLITE_OK &&
        sqlite3_prepare_v2(db, sql.constData(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        out = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
}

QJsonObject verifyJson(const QString &dbPath, int *exitCode)
{
    const Run run = cli({u"verify"_s, u"--db"_s, dbPath, u"--format"_s, u"json"_s});
    *exitCode = run.exitCode;
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

// The problems as "kind|ref|problem" lines, for matching and for failure messages.
QStringList problemLines(const QJsonObject &report)
{
    QStringList lines;
    for (const QJsonValue &v : report.value(u"problems"_s).toArray()) {
        const QJsonObject p = v.toObject();
        lines << p.value(u"kind"_s).toString() % u'|' % p.value(u"ref"_s).toString() % u'|' %
                     p.value(u"problem"_s).toString();
    }
    return lines;
}

} // namespace

class TestVerifyDerived final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void untouchedDemoIsIntact();
    void tampering_data();
    void tampering();
    void decisionTaskAndEmptyTextKeepTheIndexEqual();

private:
    QString copyOfClean(const QString &name);

    QTemporaryDir m_dir;
    QString m_clean;
};

void TestVerifyDerived::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString demo = m_dir.filePath(u"demo"_s);
    m_clean = m_dir.filePath(u"clean.db"_s);
    Tasktrail::DemoGenerator generator;
    QString error;
    QVERIFY2(generator.generate({demo, 0.05, 20261124}, &error), qPrintable(error));
    const Run ingest = cli({u"ingest"_s, u"--db"_s, m_clean, u"--quiet"_s, demo});
    QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.err));
    // The demo plants what each row below needs.
    QVERIFY(value(m_clean, "SELECT count(*) FROM finding WHERE severity >= 3").toInt() > 0);
    QVERIFY(value(m_clean, "SELECT count(*) FROM audit_link").toInt() > 0);
    QVERIFY(value(m_clean, "SELECT count(*) FROM record_text WHERE kind = 'task'").toInt() > 0);
}

QString TestVerifyDerived::copyOfClean(const QString &name)
{
    const QString path = m_dir.filePath(name);
    if (!copyDatabase(m_clean, path))
        qFatal("cannot copy the database to %s", qPrintable(path));
    return path;
}

void TestVerifyDerived::untouchedDemoIsIntact()
{
    int code = -1;
    const QJsonObject report = verifyJson(m_clean, &code);
    QVERIFY2(code == 0, qPrintable(problemLines(report).join(u'\n')));
    QCOMPARE(report.value(u"intact"_s).toBool(), true);
    // It says what it checked, with counts, and what it does not.
    QStringList covered;
    for (const QJsonValue &c : report.value(u"covered"_s).toArray()) {
        covered << c.toObject().value(u"what"_s).toString();
        QVERIFY(c.toObject().value(u"count"_s).toInteger() > 0);
    }
    QCOMPARE(covered,
             (QStringList{u"records and log lines"_s, u"audit links"_s, u"searchable record text"_s,
                          u"record search index"_s, u"log search index"_s, u"findings"_s}));
    QVERIFY(!report.value(u"not_covered"_s).toArray().isEmpty());
}

void TestVerifyDerived::tampering_data()
{
    // The SQL that tampers (with {T}: a task with a high finding, {F}: that finding's id, {R}:
    // its rule, {E} {L}: one of its audit links, {N}: a log line id), the kind and ref of the
    // problem expected ({T}, {E}, {N} filled in) and words of it.
    QTest::addColumn<QByteArray>("sql");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("ref");
    QTest::addColumn<QString>("words");

    QTest::newRow("high findings deleted")
        << QByteArray("DELETE FROM finding WHERE severity >= 3") << u"finding"_s << u"{T}"_s
        << u"high {R} (%: missing: a check of the run gives it"_s;
    QTest::newRow("severity lowered")
        << QByteArray("UPDATE finding SET severity = 1 WHERE id = {F}") << u"finding"_s << u"{T}"_s
        << u"row {F}, low {R} (%: edited after the check: severity: stored 'low', a "
           "check gives 'high'"_s;
    QTest::newRow("finding forged")
        << QByteArray("INSERT INTO finding (task_id, rule, severity, message, evidence_kind) "
                      "VALUES ('{T}', 'forged_rule', 0, 'x', 'task')")
        << u"finding"_s << u"{T}"_s << u"info forged_rule (task): stored, but a check"_s;
    QTest::newRow("findings and check deleted")
        << QByteArray("DELETE FROM finding WHERE task_id = '{T}'; DELETE FROM task_check WHERE "
                      "task_id = '{T}'")
        << u"task"_s << u"{T}"_s << u"never checked, but a check gives"_s;
    QTest::newRow("finding of a task that is not stored")
        << QByteArray("UPDATE finding SET task_id = 'T-none' WHERE id = {F}") << u"finding"_s
        << u"T-none"_s << u"row {F}: a finding of a task that is not stored"_s;
    QTest::newRow("audit link deleted")
        << QByteArray("DELETE FROM audit_link WHERE event_id = '{E}' AND task_id = '{L}'")
        << u"audit_link"_s << u"{E}/{L}"_s << u"missing: the audit log links the event"_s;
    QTest::newRow("audit link match edited")
        << QByteArray("UPDATE audit_link SET match = 'token_id' WHERE event_id = '{E}' AND "
                      "task_id = '{L}'")
        << u"audit_link"_s << u"{E}/{L}"_s << u"stored as a token_id match, correlation gives"_s;
    QTest::newRow("audit link forged")
        << QByteArray("INSERT INTO audit_link VALUES ('{E}', '{T}x', 'hashed_token')")
        << u"audit_link"_s << u"{E}/{T}x"_s << u"stored, but no correlation"_s;
    QTest::newRow("record_text edited")
        << QByteArray("UPDATE record_text SET text = 'harmless cleanup' WHERE kind = 'task' AND "
                      "ref = '{T}'")
        << u"record_text"_s << u"task {T}"_s << u"text differs from the task's"_s;
    QTest::newRow("record_text deleted")
        << QByteArray("DELETE FROM record_text WHERE kind = 'task' AND ref = '{T}'")
        << u"record_text"_s << u"task {T}"_s << u"not searchable"_s;
    QTest::newRow("record index forged")
        << QByteArray("INSERT INTO record_fts (rowid, text) VALUES (987654, 'forged')")
        << u"record_fts"_s << u"987654"_s << u"holds text (row 987654) that no record has"_s;
    QTest::newRow("log index edited")
        << QByteArray("UPDATE log_fts SET text = 'all tests passed' WHERE rowid = {N}")
        << u"log_fts"_s << u"{NREF}"_s << u"does not match the stored line"_s;
    QTest::newRow("log line hidden from search")
        << QByteArray("INSERT INTO log_fts (log_fts, rowid, text) SELECT 'delete', id, text "
                      "FROM log_line WHERE id = {N}")
        << u"log_fts"_s << u"{NREF}"_s << u"does not match the stored line"_s;
    QTest::newRow("log index row forged")
        << QByteArray("INSERT INTO log_fts (rowid, text) VALUES ({N} + 4000000, 'forged')")
        << u"log_fts"_s << u"{FORGEDREF}"_s << u"holds a line that is not stored"_s;
}

void TestVerifyDerived::tampering()
{
    QFETCH(QByteArray, sql);
    QFETCH(QString, kind);
    QFETCH(QString, ref);
    QFETCH(QString, words);
    const QString task = value(m_clean, "SELECT task_id FROM finding WHERE severity = 3 "
                                        "ORDER BY id LIMIT 1");
    const QString findingId =
        value(m_clean, "SELECT id FROM finding WHERE severity = 3 ORDER BY id LIMIT 1");
    const QString rule =
        value(m_clean, "SELECT rule FROM finding WHERE id = " + findingId.toUtf8());
    const QString event =
        value(m_clean, "SELECT event_id FROM audit_link WHERE match = 'hashed_token' "
                       "ORDER BY event_id, task_id LIMIT 1");
    const QString linked = value(m_clean, "SELECT task_id FROM audit_link WHERE event_id = '" +
                                              event.toUtf8() + "' ORDER BY task_id LIMIT 1");
    const qint64 line = value(m_clean, "SELECT id FROM log_line WHERE text LIKE '% %' "
                                       "ORDER BY id LIMIT 1 OFFSET 7")
                            .toLongLong();
    QVERIFY(!task.isEmpty() && !event.isEmpty() && line > 0);
    const auto logRef = [](qint64 id) {
        const qint64 n = id & 0xffffffff;
        return u"%1:%2-%2"_s.arg(id >> 32).arg(n);
    };
    const auto fill = [&](QString text) {
        return text.replace(u"{T}"_s, task)
            .replace(u"{F}"_s, findingId)
            .replace(u"{R}"_s, rule)
            .replace(u"{E}"_s, event)
            .replace(u"{L}"_s, linked)
            .replace(u"{NREF}"_s, logRef(line))
            .replace(u"{FORGEDREF}"_s, logRef(line + 4000000))
            .replace(u"{N}"_s, QString::number(line));
    };

    const QString path = copyOfClean(u"tampered.db"_s);
    QCOMPARE(tamper(path, fill(QString::fromUtf8(sql)).toUtf8()), QString());
    int code = -1;
    const QJsonObject report = verifyJson(path, &code);
    QCOMPARE(code, 1);
    QCOMPARE(report.value(u"intact"_s).toBool(true), false);
    const QStringList lines = problemLines(report);
    const QString prefix = kind % u'|' % fill(ref) % u'|';
    // The words occur in the problem in this order; "%" stands for any text.
    const QStringList parts = fill(words).split(u'%');
    const bool found = std::any_of(lines.cbegin(), lines.cend(), [&](const QString &reported) {
        if (!reported.startsWith(prefix))
            return false;
        qsizetype at = prefix.size();
        for (const QString &part : parts) {
            at = reported.indexOf(part, at);
            if (at < 0)
                return false;
            at += part.size();
        }
        return true;
    });
    QVERIFY2(found, qPrintable(u"expected: "_s % prefix % fill(words) % u"\nreported:\n"_s %
                               lines.join(u'\n')));
}

// The searchable text follows the stored row: a decision that learns its task later names that
// task in the index, and a prompt overwritten with an empty one is no longer searchable.
void TestVerifyDerived::decisionTaskAndEmptyTextKeepTheIndexEqual()
{
    const QString dir = m_dir.filePath(u"later"_s);
    QDir().mkpath(dir);
    const QByteArray first =
        R"({"tasktrail":1,"kind":"campaign","id":"C-9","title":"rename","decisions":[)"
        R"({"repo":"acme/web","verdict":"skipped","rule":"archived","reason":"archived repo"}]})"
        "\n"
        R"({"tasktrail":1,"kind":"task","id":"T-9","repo":"acme/web","prompt":"rename the)"
        R"( thing"})"
        "\n";
    const QByteArray second =
        R"({"tasktrail":1,"kind":"campaign","id":"C-9","decisions":[{"repo":"acme/web",)"
        R"("verdict":"skipped","reason":"archived repo","task_id":"T-9"}]})"
        "\n"
        R"({"tasktrail":1,"kind":"task","id":"T-9","repo":"acme/web","prompt":""})"
        "\n";
    QVERIFY(writeFile(dir + u"/a.jsonl"_s, first));
    QVERIFY(writeFile(dir + u"/b.jsonl"_s, second));
    const QString db = m_dir.filePath(u"later.db"_s);
    QCOMPARE(cli({u"ingest"_s, u"--db"_s, db, u"--quiet"_s, dir + u"/a.jsonl"_s}).exitCode, 0);
    QCOMPARE(cli({u"ingest"_s, u"--db"_s, db, u"--quiet"_s, dir + u"/b.jsonl"_s}).exitCode, 0);
    QCOMPARE(value(db, "SELECT task_id FROM repo_decision WHERE campaign_id = 'C-9'"), u"T-9"_s);
    QCOMPARE(value(db, "SELECT task_id FROM record_text WHERE kind = 'decision'"), u"T-9"_s);
    QCOMPARE(value(db, "SELECT count(*) FROM record_text WHERE kind = 'task'"), u"0"_s);
    int code = -1;
    const QJsonObject report = verifyJson(db, &code);
    QVERIFY2(code == 0, qPrintable(problemLines(report).join(u'\n')));
}

QTEST_GUILESS_MAIN(TestVerifyDerived)
#include "tst_verifyderived.moc"
