// Ids that hold a secret: redaction must not make two records one. Task ids, a log header's
// task and the refs records are matched by are redacted with a marker that carries a tag of the
// whole original value ("[REDACTED:<kind>#<12 hex>]"), so that ids differing only in their
// secret stay distinct, ingesting the same input again changes nothing, and neither the
// secret nor anything it can be read back from is stored. On both backends.
#include "backends.h"
#include "clirun.h"
#include "evidencefixture.h"

#include "text/redactor.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace Tasktrail::CliRun;

namespace {

// Two GitHub tokens that differ in every character after the prefix.
const QString tokenA = u"ghp_"_s + QString(36, u'A');
const QString tokenB = u"ghp_"_s + QString(36, u'B');
const QString idA = u"T-"_s + tokenA;
const QString idB = u"T-"_s + tokenB;

bool write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray taskRecord(const QString &id, const char *prompt, const QString &headRef)
{
    return R"({"tasktrail":1,"kind":"task","id":")" + id.toUtf8() +
           R"(","repo":"acme/web","head_ref":")" + headRef.toUtf8() + R"(","prompt":")" + prompt +
           "\"}\n";
}

} // namespace

class TestKeyRedaction final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void keyMarkerNamesTheValueNotTheSecret();
    void jsonMembersNamedAsKeys();
    void idsDifferingOnlyInTheirSecretStayTwo_data();
    void idsDifferingOnlyInTheirSecretStayTwo();

private:
    Backends::Fixture m_db;
    QTemporaryDir m_dir;
};

void TestKeyRedaction::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
}

void TestKeyRedaction::keyMarkerNamesTheValueNotTheSecret()
{
    QString a = idA;
    QString b = idB;
    QCOMPARE(Redactor::redactKey(a), 1);
    QCOMPARE(Redactor::redactKey(b), 1);
    QVERIFY(a != b);
    QCOMPARE(a, u"T-[REDACTED:github-token#%1]"_s.arg(Redactor::keyTag(idA)));
    QCOMPARE(
        Redactor::keyTag(idA),
        QString::fromLatin1(
            QCryptographicHash::hash((idA).toUtf8(), QCryptographicHash::Sha256).toHex().left(12)));
    QVERIFY(!a.contains(tokenA) && !a.contains(u"AAAA"_s));

    // The same value always redacts the same way; what was redacted is not redacted again,
    // by either step.
    QString again = idA;
    Redactor::redactKey(again);
    QCOMPARE(again, a);
    QString twice = a;
    QCOMPARE(Redactor::redactKey(twice), 0);
    QCOMPARE(twice, a);
    QCOMPARE(Redactor::redactText(twice), 0);
    QCOMPARE(twice, a);

    // Free text keeps the plain marker.
    QString text = u"token "_s + tokenA;
    QCOMPARE(Redactor::redactText(text), 1);
    QCOMPARE(text, u"token [REDACTED:github-token]"_s);
}

void TestKeyRedaction::jsonMembersNamedAsKeys()
{
    for (const QString &key :
         {u"id"_s, u"task_id"_s, u"head_ref"_s, u"repo"_s, u"template_version"_s})
        QVERIFY2(Redactor::isKeyName(key), qPrintable(key));
    for (const QString &key : {u"prompt"_s, u"message"_s, u"valid"_s, u"AccessKeyId"_s})
        QVERIFY2(!Redactor::isKeyName(key), qPrintable(key));

    QJsonObject object;
    object.insert(u"task_id"_s, idA);
    object.insert(u"message"_s, idA);
    QJsonValue value = object;
    QCOMPARE(Redactor::redactJson(value), 2);
    QCOMPARE(value[u"task_id"_s].toString(),
             u"T-[REDACTED:github-token#%1]"_s.arg(Redactor::keyTag(idA)));
    QCOMPARE(value[u"message"_s].toString(), u"T-[REDACTED:github-token]"_s);
}

void TestKeyRedaction::idsDifferingOnlyInTheirSecretStayTwo_data()
{
    Backends::addBackendRows();
}

// Two task records, and two log headers, whose task ids differ only in the token in them.
void TestKeyRedaction::idsDifferingOnlyInTheirSecretStayTwo()
{
    QFETCH(QString, backend);
    const QString location = m_db.fresh(backend);
    const QString dir = m_dir.filePath(backend);
    QVERIFY(QDir().mkpath(dir));
    const QString records = dir + u"/tasks.jsonl"_s;
    const QString logA = dir + u"/a.log"_s;
    const QString logB = dir + u"/b.log"_s;
    QVERIFY(write(records, taskRecord(idA, "first", u"feature/"_s + tokenA) +
                               taskRecord(idB, "second", u"feature/"_s + tokenB)));
    QVERIFY(write(logA, "##[tasktrail] task=" + idA.toUtf8() + " command=1\nalpha line\n"));
    QVERIFY(write(logB, "##[tasktrail] task=" + idB.toUtf8() + " command=1\nbeta line\n"));

    const Run first = cli({u"ingest"_s, u"--db"_s, location, records, logA, logB});
    QVERIFY2(first.exitCode == 0, qPrintable(first.out + first.err));
    QVERIFY2(!first.err.contains(u"duplicate"_s), qPrintable(first.err));

    const auto count = [&](const QString &sql) { return m_db.sql(location, sql).toInt(); };
    QCOMPARE(count(u"SELECT count(*) FROM task"_s), 2);
    QCOMPARE(count(u"SELECT count(*) FROM task WHERE prompt IN ('first', 'second')"_s), 2);
    QCOMPARE(count(u"SELECT count(DISTINCT head_ref) FROM task"_s), 2);
    QCOMPARE(count(u"SELECT count(*) FROM task WHERE id LIKE 'T-[REDACTED:github-token#%'"_s), 2);
    QCOMPARE(count(u"SELECT count(DISTINCT task_id) FROM command"_s), 2);
    QCOMPARE(count(u"SELECT count(*) FROM log_line"_s), 2);
    const QString expectedA =
        u"T-[REDACTED:github-token#%1]"_s.arg(Redactor::keyTag(idA)).replace(u"'"_s, u"''"_s);
    QCOMPARE(m_db.sql(location, u"SELECT prompt FROM task WHERE id = '%1'"_s.arg(expectedA)),
             u"first"_s);
    // Each header's lines are under its own task's command.
    QCOMPARE(m_db.sql(location, u"SELECT l.text FROM log_line l JOIN command c ON c.key = "
                                "(l.id >> 32) WHERE c.task_id = '%1'"_s.arg(expectedA)),
             u"alpha line"_s);

    // The same input again changes nothing.
    const Run second = cli({u"ingest"_s, u"--db"_s, location, records, logA, logB});
    QVERIFY2(second.exitCode == 0, qPrintable(second.out + second.err));
    QVERIFY2(second.out.startsWith(u"0 ingested"_s), qPrintable(second.out));
    QCOMPARE(count(u"SELECT count(*) FROM task"_s), 2);
    QCOMPARE(count(u"SELECT count(*) FROM command"_s), 2);
    QCOMPARE(count(u"SELECT count(*) FROM log_line"_s), 2);

    const Run verify = cli({u"verify"_s, u"--db"_s, location});
    QVERIFY2(verify.exitCode == 0, qPrintable(verify.out + verify.err));
    const Run scan = cli({u"scan"_s, u"--dry-run"_s, u"--db"_s, location});
    QVERIFY2(scan.exitCode == 0 && scan.out.contains(u" 0 secrets found"_s),
             qPrintable(scan.out + scan.err));

    // Neither token is anywhere in the database.
    QCOMPARE(count(u"SELECT count(*) FROM task WHERE id LIKE '%AAAA%' OR id LIKE '%BBBB%' OR "
                   "head_ref LIKE '%AAAA%' OR head_ref LIKE '%BBBB%'"_s),
             0);
    if (backend == u"sqlite") {
        const QByteArray bytes = EvidenceFixture::databaseBytes(location);
        QVERIFY(!bytes.contains(tokenA.toUtf8()) && !bytes.contains(tokenB.toUtf8()));
    }
}

QTEST_GUILESS_MAIN(TestKeyRedaction)
#include "tst_keyredaction.moc"
