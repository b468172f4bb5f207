// Archived evidence on read-only media: every verb that only reads works on a database it
// cannot write, and leaves it as it was, byte for byte, without -wal or -shm files.
//
// Tests may run as root, whom file modes do not stop. So the byte-for-byte check is made on
// every run, and the real thing, a directory the process cannot write, is tried as an
// unprivileged user (setpriv to nobody) when running as root.
//
// SQLite only: every case is about the database file (its bytes, its directory's modes, a
// write-ahead log left beside it, a file not there yet). PostgreSQL has no such file; what a
// role that may only read can do there is tst_pgstore's, tst_roleui's and tst_triage's.
#include "clirun.h"
#include "demo/demogenerator.h"
#include "evidencefixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail::CliRun;
using namespace EvidenceFixture;

namespace {

constexpr QFileDevice::Permissions readOnlyFile =
    QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther;
constexpr QFileDevice::Permissions readOnlyDir =
    readOnlyFile | QFileDevice::ExeOwner | QFileDevice::ExeGroup | QFileDevice::ExeOther;
constexpr QFileDevice::Permissions writableDir = readOnlyDir | QFileDevice::WriteOwner;

// A database file in a directory of its own, both made read-only.
struct ReadOnlyCopy
{
    QString dir;
    QString db;

    bool make(const QString &from, const QString &parent, const QString &name, bool withLog = false)
    {
        dir = parent % u'/' % name;
        db = dir % u"/archive.db"_s;
        if (!QDir().mkpath(dir) || !QFile::copy(from, db))
            return false;
        if (withLog && !(QFile::copy(from + u"-wal"_s, db + u"-wal"_s) &&
                         QFile::copy(from + u"-shm"_s, db + u"-shm"_s)))
            return false;
        for (const QString &f : QDir(dir).entryList(QDir::Files))
            QFile::setPermissions(dir % u'/' % f, readOnlyFile);
        return QFile::setPermissions(dir, readOnlyDir);
    }
    void release() const { QFile::setPermissions(dir, writableDir); }
};

// A dry run only reads, even of a verb that otherwise writes.
void addDryRunRows()
{
    QTest::newRow("scan dry run") << QStringList{u"scan"_s, u"--dry-run"_s} << u"0 secrets found"_s;
    QTest::newRow("launch dry run") << QStringList{u"launch"_s,
                                                   u"--template"_s,
                                                   u"deps-bump"_s,
                                                   u"--policy"_s,
                                                   u"deps-fanout@5"_s,
                                                   u"--repos"_s,
                                                   u"acme-web/cart"_s,
                                                   u"--requester"_s,
                                                   u"mgarcia"_s,
                                                   u"--identity"_s,
                                                   u"svc-deps"_s,
                                                   u"--identity-kind"_s,
                                                   u"github_app_user_token"_s,
                                                   u"--dry-run"_s}
                                    << u"template deps-bump"_s;
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files, QDir::Name);
}

} // namespace

class TestReadOnlyDb final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readVerbsWriteNothing_data();
    void readVerbsWriteNothing();
    void unwritableDirectory_data();
    void unwritableDirectory();
    void dryRunsReadAnUnwritableDatabase_data();
    void dryRunsReadAnUnwritableDatabase();
    void writeVerbsStillCreate();

private:
    // The command line that runs the CLI as a user who cannot write the copies: as root,
    // nobody through setpriv; otherwise the user itself.
    QStringList unprivileged(const QStringList &args) const;

    QTemporaryDir m_dir;
    QString m_db;
    QString m_task;
    QString m_campaign;
    QString m_setpriv;
};

void TestReadOnlyDb::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Others may enter it: the unprivileged runs read the copies below.
    QVERIFY(QFile::setPermissions(m_dir.path(), writableDir));
    const QString demo = m_dir.filePath(u"demo"_s);
    m_db = m_dir.filePath(u"demo.db"_s);
    Tasktrail::DemoGenerator generator;
    QString error;
    QVERIFY2(generator.generate({demo, 0.02, 7}, &error), qPrintable(error));
    const Run ingest = cli({u"ingest"_s, u"--db"_s, m_db, u"--quiet"_s, demo});
    QVERIFY2(ingest.exitCode == 0, qPrintable(ingest.err));
    // The CLI closed the database: everything is in the file, no write-ahead log beside it.
    QVERIFY(!QFile::exists(m_db + u"-wal"_s));
    const Run campaigns = cli({u"campaign"_s, u"--db"_s, m_db, u"--format"_s, u"json"_s});
    m_campaign = QJsonDocument::fromJson(campaigns.out.toUtf8()).array().at(0).toString();
    QVERIFY(!m_campaign.isEmpty());
    const Run findings = cli({u"findings"_s, u"--db"_s, m_db, u"--format"_s, u"json"_s});
    const auto m = QRegularExpression(u"\"task_id\": \"([^\"]+)\""_s).match(findings.out);
    QVERIFY2(m.hasMatch(), qPrintable(findings.out.left(400)));
    m_task = m.captured(1);
    if (geteuid() == 0) {
        m_setpriv = QStandardPaths::findExecutable(u"setpriv"_s);
        // nobody must be able to run this build's CLI (a build under /root is out of reach).
        QProcess probe;
        if (!m_setpriv.isEmpty())
            probe.start(m_setpriv, unprivileged({u"--help"_s}));
        if (m_setpriv.isEmpty() || !probe.waitForFinished(60000) || probe.exitCode() != 0)
            m_setpriv.clear();
    }
}

QStringList TestReadOnlyDb::unprivileged(const QStringList &args) const
{
    if (geteuid() != 0)
        return args;
    return QStringList{u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, u"--"_s,
                       QStringLiteral(TASKTRAIL_CLI)} +
           args;
}

void TestReadOnlyDb::readVerbsWriteNothing_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("output");
    QTest::newRow("stats") << QStringList{u"stats"_s} << u"evidence"_s;
    QTest::newRow("search") << QStringList{u"search"_s, u"npm"_s} << QString();
    QTest::newRow("show") << QStringList{u"show"_s, u"{task}"_s} << u"{task}"_s;
    QTest::newRow("verify") << QStringList{u"verify"_s} << u"intact"_s;
    QTest::newRow("findings") << QStringList{u"findings"_s} << u"{task}"_s;
    QTest::newRow("campaign list") << QStringList{u"campaign"_s} << u"{campaign}"_s;
    QTest::newRow("campaign") << QStringList{u"campaign"_s, u"{campaign}"_s} << u"{campaign}"_s;
    QTest::newRow("attest") << QStringList{u"attest"_s, u"{task}"_s} << u"in-toto"_s;
    QTest::newRow("report") << QStringList{u"report"_s, u"--output"_s, u"{out}/report.json"_s}
                            << u"wrote a"_s;
    QTest::newRow("policy list") << QStringList{u"policy"_s, u"list"_s} << u"template"_s;
    QTest::newRow("queue list") << QStringList{u"queue"_s, u"list"_s} << QString();
    QTest::newRow("repos list") << QStringList{u"repos"_s, u"list"_s} << QString();
    addDryRunRows();
}

void TestReadOnlyDb::readVerbsWriteNothing()
{
    QFETCH(QStringList, args);
    QFETCH(QString, output);
    ReadOnlyCopy copy;
    QVERIFY(copy.make(m_db, m_dir.path(),
                      QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-')));
    const QByteArray before = readFile(copy.db);
    for (QString &a : args)
        a.replace(u"{task}"_s, m_task)
            .replace(u"{campaign}"_s, m_campaign)
            .replace(u"{out}"_s, m_dir.path());
    const Run run = cli(args + QStringList{u"--db"_s, copy.db});
    copy.release();
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(!run.err.contains(u"readonly"_s), qPrintable(run.err));
    if (!output.isEmpty())
        QVERIFY2(run.out.contains(
                     output.replace(u"{task}"_s, m_task).replace(u"{campaign}"_s, m_campaign)),
                 qPrintable(run.out.left(600)));
    QVERIFY(readFile(copy.db) == before);
    QCOMPARE(filesIn(copy.dir), QStringList{u"archive.db"_s}); // no -wal, no -shm
}

void TestReadOnlyDb::unwritableDirectory_data()
{
    QTest::addColumn<bool>("withLog");
    QTest::addColumn<bool>("withShm");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("closed database") << false << false << 0;
    QTest::newRow("left with its -wal and -shm") << true << true << 0;
    QTest::newRow("a -wal without -shm") << true << false << 2;
}

void TestReadOnlyDb::unwritableDirectory()
{
    QFETCH(bool, withLog);
    QFETCH(bool, withShm);
    QFETCH(int, exitCode);
    if (geteuid() == 0 && m_setpriv.isEmpty())
        QSKIP("running as root, and nobody cannot run this build's CLI through setpriv: no "
              "user whom file modes stop");
    // A database left by a writer that stopped without checkpointing: the request R-wal is
    // only in the -wal file.
    const QString source = m_dir.filePath(u"left.db"_s);
    if (withLog && !QFile::exists(source)) {
        QVERIFY(QFile::copy(m_db, source));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(source.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db,
                              "PRAGMA journal_mode=WAL; INSERT INTO request (id, text) "
                              "VALUES ('R-wal', 'only in the log')",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close(db);
        QVERIFY(QFile::exists(source + u"-wal"_s));
    }
    ReadOnlyCopy copy;
    QVERIFY(copy.make(withLog ? source : m_db, m_dir.path(),
                      u"unwritable-"_s %
                          QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'),
                      withLog));
    if (withLog && !withShm) {
        copy.release();
        QVERIFY(QFile::remove(copy.db + u"-shm"_s));
        QVERIFY(QFile::setPermissions(copy.dir, readOnlyDir));
    }
    const QStringList before = filesIn(copy.dir);
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice());
    const QStringList stats = {u"stats"_s, u"--db"_s, copy.db, u"--format"_s, u"json"_s};
    if (geteuid() == 0)
        p.start(m_setpriv, unprivileged(stats));
    else
        p.start(QStringLiteral(TASKTRAIL_CLI), stats);
    QVERIFY(p.waitForFinished(60000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    copy.release();
    QVERIFY2(p.exitCode() == exitCode, qPrintable(err));
    QCOMPARE(filesIn(copy.dir), before);
    if (exitCode != 0) {
        QVERIFY2(err.contains(u"write-ahead log"_s) && err.contains(u"copy the database"_s),
                 qPrintable(err));
        return;
    }
    // The commit only the -wal holds is read.
    const qint64 requests =
        QJsonDocument::fromJson(out.toUtf8()).object().value(u"requests"_s).toInteger();
    const Run original = cli({u"stats"_s, u"--db"_s, m_db, u"--format"_s, u"json"_s});
    const qint64 expected =
        QJsonDocument::fromJson(original.out.toUtf8()).object().value(u"requests"_s).toInteger();
    QCOMPARE(requests, expected + (withLog ? 1 : 0));
}

void TestReadOnlyDb::dryRunsReadAnUnwritableDatabase_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("output");
    addDryRunRows();
}

// Run by a user whom the file modes stop (as root: nobody, through setpriv), a dry run of a verb
// that otherwise writes opens the archive read-only and works.
void TestReadOnlyDb::dryRunsReadAnUnwritableDatabase()
{
    QFETCH(QStringList, args);
    QFETCH(QString, output);
    if (geteuid() == 0 && m_setpriv.isEmpty())
        QSKIP("running as root, and nobody cannot run this build's CLI through setpriv: no "
              "user whom file modes stop");
    ReadOnlyCopy copy;
    QVERIFY(copy.make(m_db, m_dir.path(),
                      u"unwritable-"_s %
                          QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-')));
    args << u"--db"_s << copy.db;
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice());
    if (geteuid() == 0)
        p.start(m_setpriv, unprivileged(args));
    else
        p.start(QStringLiteral(TASKTRAIL_CLI), args);
    QVERIFY(p.waitForFinished(60000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    copy.release();
    QVERIFY2(p.exitCode() == 0, qPrintable(err));
    QVERIFY2(out.contains(output), qPrintable(out.left(600)));
    QCOMPARE(filesIn(copy.dir), QStringList{u"archive.db"_s});
}

// Verbs that write still create a database that is not there; a read-only verb does not.
void TestReadOnlyDb::writeVerbsStillCreate()
{
    const QString fresh = m_dir.filePath(u"fresh.db"_s);
    const Run stats = cli({u"stats"_s, u"--db"_s, fresh});
    QCOMPARE(stats.exitCode, 2);
    QVERIFY2(stats.err.contains(u"cannot open database"_s) && stats.err.contains(u"no such file"_s),
             qPrintable(stats.err));
    QVERIFY(!QFile::exists(fresh));
    QCOMPARE(cli({u"check"_s, u"--db"_s, fresh}).exitCode, 0);
    QVERIFY(QFile::exists(fresh));
    QCOMPARE(cli({u"stats"_s, u"--db"_s, fresh}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestReadOnlyDb)
#include "tst_readonlydb.moc"
