// The PostgreSQL test server itself (tests/pgfixture.h): it starts, serves a database on its
// loopback port, does not run as root, and is gone after stop().
#include "pgfixture.h"

#include <QTest>

#include <libpq-fe.h>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

class TestPgFixture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void newestServerVersionIsUsed()
    {
        const QString bin = PgFixture::serverBinDir();
        QVERIFY2(!bin.isEmpty(), "no PostgreSQL under /usr/lib/postgresql");
        QCOMPARE(m_server.binDir(), bin);
        QString out;
        QString error;
        QVERIFY2(m_server.psql(u"postgres"_s, u"SHOW server_version_num"_s, &out, &error),
                 qPrintable(error));
        // The directory's version is the server's major version (15 on Debian 12, 17 on 13).
        const int major = bin.section(u'/', -2, -2).toInt();
        QCOMPARE(out.toInt() / 10000, major);
        QVERIFY(major >= 15);
    }

    void servesADatabaseOnLoopback()
    {
        QString error;
        QVERIFY2(m_server.createDatabase(u"fixture_check"_s, &error), qPrintable(error));
        PGconn *conn = PQconnectdb(m_server.url(u"fixture_check"_s).toUtf8().constData());
        QVERIFY(conn);
        const bool ok = PQstatus(conn) == CONNECTION_OK;
        const QByteArray message = PQerrorMessage(conn);
        QVERIFY2(ok, message.constData());
        PGresult *res = PQexec(conn, "SELECT current_database(), inet_server_port()");
        QCOMPARE(int(PQresultStatus(res)), int(PGRES_TUPLES_OK));
        QCOMPARE(QByteArray(PQgetvalue(res, 0, 0)), QByteArray("fixture_check"));
        QCOMPARE(QByteArray(PQgetvalue(res, 0, 1)).toInt(), int(m_server.port()));
        PQclear(res);
        PQfinish(conn);
        // The keyword form reaches the same server.
        conn = PQconnectdb(m_server.keywords(u"fixture_check"_s).toUtf8().constData());
        QCOMPARE(int(PQstatus(conn)), int(CONNECTION_OK));
        PQfinish(conn);
    }

    void clusterIsNotOwnedByRoot()
    {
        struct stat st = {};
        QCOMPARE(stat(QFile::encodeName(m_server.dataDir()).constData(), &st), 0);
        // PostgreSQL refuses root; as root the fixture must have handed the cluster to nobody.
        if (geteuid() == 0)
            QVERIFY(st.st_uid != 0);
        else
            QCOMPARE(st.st_uid, geteuid());
    }

    void stopShutsTheServerDown()
    {
        PgFixture::Server other;
        QString error;
        QVERIFY2(other.start(&error), qPrintable(error));
        const QByteArray url = other.url(u"postgres"_s).toUtf8();
        QCOMPARE(int(PQping(url.constData())), int(PQPING_OK));
        other.stop();
        QVERIFY(!other.isRunning());
        QCOMPARE(int(PQping(url.constData())), int(PQPING_NO_RESPONSE));
    }

private:
    PgFixture::Server m_server;
};

QTEST_GUILESS_MAIN(TestPgFixture)
#include "tst_pgfixture.moc"
