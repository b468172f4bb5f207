// verify and the data derived from the records: findings and their checks, audit links and
// the search index. A demo ingested by the real CLI (so its runs are checked and its audit
// events linked), then changed behind Tasktrail's back with the plain C API.
#include "backends.h"
#include "clirun.h"
#include "demo/demogenerator.h"
#include "evidencefixture.h"
#include "store/evidencehash.h"
#include "store/recordstore.h"

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
    void searchDataOnBothBackends_data();
    void searchDataOnBothBackends();
    void auditLinksOnPostgresql_data();
    void auditLinksOnPostgresql();
    void findingsOnPostgresql_data();
    void findingsOnPostgresql();

private:
    QString copyOfClean(const QString &name);
    // A fresh PostgreSQL database with the demo ingested; empty (with *error) when the ingest
    // failed.
    QString demoOnPostgresql(QString *error);

    Backends::Fixture m_backends;

    QTemporaryDir m_dir;
    QString m_clean;
};

QString TestVerifyDerived::demoOnPostgresql(QString *error)
{
    const QString location = m_backends.fresh(u"postgresql"_s);
    const Run ingest =
        cli({u"ingest"_s, u"--db"_s, location, u"--quiet"_s, m_dir.filePath(u"demo"_s)});
    if (ingest.exitCode != 0) {
        *error = ingest.err;
        return {};
    }
    return location;
}

void TestVerifyDerived::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString started;
    QVERIFY2(m_backends.start(&started), qPrintable(started));
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

namespace {

// A request, a task with its prompt and one command with three log lines, through the store.
bool writeSearchable(Tasktrail::RecordStore &store, qint64 *secondLine)
{
    using namespace Tasktrail;
    const auto seen = [&store](const QByteArray &what) {
        bool isNew = false;
        return store.markRecordSeen(Sha256::of(what), &isNew);
    };
    RequestRecord request;
    request.id = u"R-1"_s;
    request.text = u"rotate the deploy key"_s;
    TaskRecord task;
    task.id = u"T-1"_s;
    task.requestId = request.id;
    task.prompt = u"update dependencies"_s;
    CommandRecord command;
    command.seq = 1;
    command.argv = {u"npm"_s, u"test"_s};
    task.commands << command;
    if (!store.beginBatch() || !seen("R-1") || !store.writeRequest(request) || !seen("T-1") ||
        !store.writeTask(task))
        return false;
    const std::optional<qint64> key = store.commandKey(u"T-1"_s, 1);
    if (!key || !seen("log"))
        return false;
    const QList<QByteArray> lines = {"npm test", "PASS api.github.com client", "done"};
    for (qsizetype i = 0; i < lines.size(); ++i) {
        bool inserted = false;
        if (!store.appendLogLine(*key, LogLine{i + 1, 0, lines.at(i), {}}, &inserted))
            return false;
    }
    *secondLine = (*key << 32) | 2;
    return store.commitBatch();
}

} // namespace

// verify recomputes the search data on both backends: record_text from the records, and the
// index (SQLite's FTS5 tables, PostgreSQL's search columns) from the text it indexes.
void TestVerifyDerived::searchDataOnBothBackends_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("sql");     // {N}: the second log line's id
    QTest::addColumn<QString>("problem"); // "kind|ref|problem", empty: intact
    struct Case
    {
        const char *name;
        QString sqlite;
        QString postgresql;
        QString sqliteProblem;
        QString postgresqlProblem;
    };
    const QString edited = u"record_text|task T-1|row {ROW}: text differs from the task's: search "
                           "shows text it does not have"_s;
    const QList<Case> cases = {
        {"untouched", {}, {}, {}, {}},
        {"record_text edited",
         u"UPDATE record_text SET text = 'harmless cleanup' WHERE kind = 'task'"_s,
         u"UPDATE record_text SET text = 'harmless cleanup' WHERE kind = 'task'"_s, edited, edited},
        {"record_text deleted", u"DELETE FROM record_text WHERE kind = 'task'"_s,
         u"DELETE FROM record_text WHERE kind = 'task'"_s,
         u"record_text|task T-1|not searchable: the task's text is missing from the index"_s,
         u"record_text|task T-1|not searchable: the task's text is missing from the index"_s},
        {"record index edited",
         u"INSERT INTO record_fts (record_fts, rowid, text) SELECT 'delete', id, text FROM "
         "record_text WHERE kind = 'task'"_s,
         u"UPDATE record_text SET search = 'forged' WHERE kind = 'task'"_s,
         u"record_fts|task T-1|the search index does not match the record's searchable text"_s,
         u"record_text.search|task T-1|the search index does not match the record's "
         "searchable text"_s},
        {"log line hidden from search",
         u"INSERT INTO log_fts (log_fts, rowid, text) SELECT 'delete', id, text FROM log_line "
         "WHERE id = {N}"_s,
         u"UPDATE log_line SET search = NULL WHERE id = {N}"_s,
         u"log_fts|{REF}|the search index does not match the stored line (task T-1 command 1 "
         "line 2)"_s,
         u"log_line.search|{REF}|the search index does not match the stored line (task T-1 "
         "command 1 line 2)"_s},
        {"log line's words edited", u"UPDATE log_fts SET text = 'FAIL' WHERE rowid = {N}"_s,
         u"UPDATE log_line SET search = 'fail' WHERE id = {N}"_s,
         u"log_fts|{REF}|the search index does not match the stored line (task T-1 command 1 "
         "line 2)"_s,
         u"log_line.search|{REF}|the search index does not match the stored line (task T-1 "
         "command 1 line 2)"_s},
    };
    for (const Case &c : cases) {
        QTest::addRow("sqlite: %s", c.name) << u"sqlite"_s << c.sqlite << c.sqliteProblem;
        QTest::addRow("postgresql: %s", c.name)
            << u"postgresql"_s << c.postgresql << c.postgresqlProblem;
    }
}

void TestVerifyDerived::searchDataOnBothBackends()
{
    QFETCH(QString, backend);
    QFETCH(QString, sql);
    QFETCH(QString, problem);
    const QString location = m_backends.fresh(backend);
    QString error;
    qint64 line = 0;
    {
        auto store = Tasktrail::openStore(location, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY2(writeSearchable(*store, &line), qPrintable(store->errorString()));
    }
    const QString row = m_backends.sql(location, u"SELECT id FROM record_text WHERE kind = "
                                                 "'task'"_s);
    const QString ref = u"%1:2-2"_s.arg(line >> 32);
    if (!sql.isEmpty()) {
        m_backends.sql(location, QString(sql).replace(u"{N}"_s, QString::number(line)), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    auto store = Tasktrail::openStore(location, &error, Tasktrail::StoreAccess::ReadOnly);
    QVERIFY2(store, qPrintable(error));
    const Tasktrail::EvidenceReport report = store->verifyEvidence({});
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QStringList lines;
    for (const Tasktrail::EvidenceProblem &p : report.problems)
        lines << p.kind % u'|' % p.ref % u'|' % p.problem;
    if (problem.isEmpty()) {
        QCOMPARE(lines, QStringList());
        QStringList covered;
        for (const Tasktrail::EvidenceCoverage &c : report.covered)
            covered << c.what % u' ' % QString::number(c.count);
        for (const QString &expected :
             {u"searchable record text 2"_s, u"record search index 2"_s, u"log search index 3"_s})
            QVERIFY2(covered.contains(expected), qPrintable(covered.join(u", "_s)));
        return;
    }
    const QString expected = QString(problem).replace(u"{ROW}"_s, row).replace(u"{REF}"_s, ref);
    QVERIFY2(lines.contains(expected),
             qPrintable(u"expected: "_s % expected % u"\nreported:\n"_s % lines.join(u'\n')));
}

// verify recomputes the audit links on PostgreSQL too: the demo ingested there links what the
// file links, and each kind of tampering is named as on SQLite (tampering() above).
void TestVerifyDerived::auditLinksOnPostgresql_data()
{
    QTest::addColumn<QString>("sql");     // {E}: an event with a hashed_token link to {L}
    QTest::addColumn<QString>("problem"); // "ref|words", empty: intact
    QTest::newRow("untouched") << QString() << QString();
    QTest::newRow("deleted") << u"DELETE FROM audit_link WHERE event_id = '{E}' AND task_id = "
                                "'{L}'"_s
                             << u"{E}/{L}|missing: the audit log links the event"_s;
    QTest::newRow("match edited")
        << u"UPDATE audit_link SET match = 'token_id' WHERE event_id = '{E}' AND task_id = '{L}'"_s
        << u"{E}/{L}|stored as a token_id match, correlation gives"_s;
    QTest::newRow("forged") << u"INSERT INTO audit_link VALUES ('{E}', '{L}x', 'hashed_token')"_s
                            << u"{E}/{L}x|stored, but no correlation"_s;
}

void TestVerifyDerived::auditLinksOnPostgresql()
{
    QFETCH(QString, sql);
    QFETCH(QString, problem);
    QString ingestError;
    const QString location = demoOnPostgresql(&ingestError);
    QVERIFY2(!location.isEmpty(), qPrintable(ingestError));
    const QString links = u"SELECT count(*) FROM audit_link"_s;
    QCOMPARE(m_backends.sql(location, links), value(m_clean, links.toUtf8()));
    const QString event =
        m_backends.sql(location, u"SELECT min(event_id) FROM audit_link WHERE match = "
                                 "'hashed_token'"_s);
    const QString linked = m_backends.sql(
        location, u"SELECT min(task_id) FROM audit_link WHERE match = 'hashed_token' AND "
                  "event_id = '"_s %
                      event % u"'"_s);
    QVERIFY(!event.isEmpty() && !linked.isEmpty());
    const auto fill = [&](QString text) {
        return text.replace(u"{E}"_s, event).replace(u"{L}"_s, linked);
    };
    QString error;
    if (!sql.isEmpty()) {
        m_backends.sql(location, fill(sql), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    auto store = Tasktrail::openStore(location, &error, Tasktrail::StoreAccess::ReadOnly);
    QVERIFY2(store, qPrintable(error));
    const Tasktrail::EvidenceReport report = store->verifyEvidence({});
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QStringList lines;
    for (const Tasktrail::EvidenceProblem &p : report.problems)
        lines << p.kind % u'|' % p.ref % u'|' % p.problem;
    if (problem.isEmpty()) {
        QCOMPARE(lines, QStringList());
        const bool counted =
            std::any_of(report.covered.cbegin(), report.covered.cend(),
                        [](const auto &c) { return c.what == u"audit links"_s && c.count > 0; });
        QVERIFY(counted);
        return;
    }
    const QString expected = u"audit_link|"_s % fill(problem);
    const bool found = std::any_of(lines.cbegin(), lines.cend(), [&](const QString &line) {
        return line.startsWith(expected.section(u'|', 0, 1) % u'|') &&
               line.contains(expected.section(u'|', 2));
    });
    QVERIFY2(found,
             qPrintable(u"expected: "_s % expected % u"\nreported:\n"_s % lines.join(u'\n')));
}

// verify recomputes the findings on PostgreSQL too: each kind of tampering with findings and
// their checks is named as on SQLite (tampering() above).
void TestVerifyDerived::findingsOnPostgresql_data()
{
    QTest::addColumn<QString>("sql");     // {T}: a task with a high finding, {F}: its id
    QTest::addColumn<QString>("problem"); // "kind|ref|words", empty: intact
    QTest::newRow("untouched") << QString() << QString();
    QTest::newRow("high findings deleted") << u"DELETE FROM finding WHERE severity >= 3"_s
                                           << u"finding|{T}|missing: a check of the run gives it"_s;
    QTest::newRow("severity lowered")
        << u"UPDATE finding SET severity = 1 WHERE id = {F}"_s
        << u"finding|{T}|edited after the check: severity: stored 'low', a check gives 'high'"_s;
    QTest::newRow("finding forged")
        << u"INSERT INTO finding (task_id, rule, severity, message, evidence_kind) VALUES "
           "('{T}', 'forged_rule', 0, 'x', 'task')"_s
        << u"finding|{T}|stored, but a check"_s;
    QTest::newRow("findings and check deleted")
        << u"DELETE FROM finding WHERE task_id = '{T}'; DELETE FROM task_check WHERE task_id = "
           "'{T}'"_s
        << u"task|{T}|never checked, but a check gives"_s;
}

void TestVerifyDerived::findingsOnPostgresql()
{
    QFETCH(QString, sql);
    QFETCH(QString, problem);
    QString ingestError;
    const QString location = demoOnPostgresql(&ingestError);
    QVERIFY2(!location.isEmpty(), qPrintable(ingestError));
    const QString high = u"SELECT count(*) FROM finding WHERE severity >= 3"_s;
    QCOMPARE(m_backends.sql(location, high), value(m_clean, high.toUtf8()));
    const QString finding =
        m_backends.sql(location, u"SELECT min(id) FROM finding WHERE severity = 3"_s);
    const QString task =
        m_backends.sql(location, u"SELECT task_id FROM finding WHERE id = "_s % finding);
    QVERIFY(!finding.isEmpty() && !task.isEmpty());
    const auto fill = [&](QString text) {
        return text.replace(u"{T}"_s, task).replace(u"{F}"_s, finding);
    };
    QString error;
    if (!sql.isEmpty()) {
        m_backends.sql(location, fill(sql), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    int code = -1;
    const QJsonObject report = verifyJson(location, &code);
    const QStringList lines = problemLines(report);
    if (problem.isEmpty()) {
        QVERIFY2(code == 0, qPrintable(lines.join(u'\n')));
        QCOMPARE(report.value(u"intact"_s).toBool(), true);
        return;
    }
    QCOMPARE(code, 1);
    const QString expected = fill(problem);
    const QString prefix = expected.section(u'|', 0, 1) % u'|';
    const bool found = std::any_of(lines.cbegin(), lines.cend(), [&](const QString &line) {
        return line.startsWith(prefix) && line.contains(expected.section(u'|', 2));
    });
    QVERIFY2(found,
             qPrintable(u"expected: "_s % expected % u"\nreported:\n"_s % lines.join(u'\n')));
}

QTEST_GUILESS_MAIN(TestVerifyDerived)
#include "tst_verifyderived.moc"
