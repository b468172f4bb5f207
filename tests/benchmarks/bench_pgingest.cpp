// How log lines get into PostgreSQL fastest. Not a test: run it by hand, see README.md
// ("Benchmark").
//
//   bench_pgingest [--rows 200000] [--batch 5000] [--search]
//
// Starts a throwaway server (tests/pgfixture.h) and inserts the same log-line-shaped rows
// (id BIGINT key, ts BIGINT, text, ansi) into an empty table, one transaction per batch, by:
//   1. libpq, a prepared INSERT executed row by row;
//   2. libpq, the same prepared INSERT in pipeline mode (a batch's rows in one round trip);
//   3. libpq, COPY ... FROM STDIN per batch;
//   4. Qt Sql's QPSQL driver, a prepared QSqlQuery with execBatch() (when the driver is
//      installed: Debian's libqt6sql6-psql).
// --search adds the store's tsvector column and GIN index to the table.
#include "../pgfixture.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

#include <libpq-fe.h>

#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

void say(const QString &text)
{
    std::fputs(qUtf8Printable(text + u'\n'), stdout);
    std::fflush(stdout);
}

QByteArray lineText(qint64 i)
{
    return "2026-12-03T21:30:00.123Z npm info run build@1.0.0 step " + QByteArray::number(i) +
           ": compiled src/module" + QByteArray::number(i % 97) + ".ts in 12ms";
}

bool ok(PGresult *r)
{
    const ExecStatusType s = PQresultStatus(r);
    const bool good = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
    if (!good)
        say(u"error: "_s + QString::fromUtf8(PQresultErrorMessage(r)));
    PQclear(r);
    return good;
}

const char *const insertSql = "INSERT INTO log_line (id, ts, text, ansi) VALUES ($1, $2, $3, $4)";

bool preparedRows(PGconn *c, qint64 rows, qint64 batch)
{
    if (!ok(PQprepare(c, "ins", insertSql, 4, nullptr)))
        return false;
    for (qint64 start = 0; start < rows; start += batch) {
        if (!ok(PQexec(c, "BEGIN")))
            return false;
        for (qint64 i = start; i < qMin(rows, start + batch); ++i) {
            const QByteArray id = QByteArray::number(i + 1), ts = QByteArray::number(i),
                             text = lineText(i);
            const char *values[4] = {id.constData(), ts.constData(), text.constData(), nullptr};
            if (!ok(PQexecPrepared(c, "ins", 4, values, nullptr, nullptr, 0)))
                return false;
        }
        if (!ok(PQexec(c, "COMMIT")))
            return false;
    }
    return true;
}

bool pipelinedRows(PGconn *c, qint64 rows, qint64 batch)
{
    if (!ok(PQprepare(c, "ins", insertSql, 4, nullptr)) || PQenterPipelineMode(c) != 1)
        return false;
    for (qint64 start = 0; start < rows; start += batch) {
        PQsendQueryParams(c, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0);
        for (qint64 i = start; i < qMin(rows, start + batch); ++i) {
            const QByteArray id = QByteArray::number(i + 1), ts = QByteArray::number(i),
                             text = lineText(i);
            const char *values[4] = {id.constData(), ts.constData(), text.constData(), nullptr};
            if (PQsendQueryPrepared(c, "ins", 4, values, nullptr, nullptr, 0) != 1)
                return false;
        }
        PQsendQueryParams(c, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0);
        if (PQpipelineSync(c) != 1)
            return false;
        // Every statement's result, then the sync point.
        for (;;) {
            PGresult *r = PQgetResult(c);
            if (!r)
                continue; // the end of one statement's results
            const ExecStatusType s = PQresultStatus(r);
            PQclear(r);
            if (s == PGRES_PIPELINE_SYNC)
                break;
            if (s != PGRES_COMMAND_OK) {
                say(u"error: "_s + QString::fromUtf8(PQerrorMessage(c)));
                return false;
            }
        }
    }
    return PQexitPipelineMode(c) == 1;
}

bool copiedRows(PGconn *c, qint64 rows, qint64 batch)
{
    for (qint64 start = 0; start < rows; start += batch) {
        QByteArray data;
        for (qint64 i = start; i < qMin(rows, start + batch); ++i)
            data += QByteArray::number(i + 1) + '\t' + QByteArray::number(i) + '\t' + lineText(i) +
                    "\t\\N\n";
        if (!ok(PQexec(c, "BEGIN")))
            return false;
        PGresult *r = PQexec(c, "COPY log_line (id, ts, text, ansi) FROM STDIN");
        const bool copying = PQresultStatus(r) == PGRES_COPY_IN;
        PQclear(r);
        if (!copying || PQputCopyData(c, data.constData(), int(data.size())) != 1 ||
            PQputCopyEnd(c, nullptr) != 1 || !ok(PQgetResult(c)) || !ok(PQexec(c, "COMMIT")))
            return false;
    }
    return true;
}

bool qpsqlRows(const PgFixture::Server &server, const QString &db, qint64 rows, qint64 batch)
{
    QSqlDatabase sql = QSqlDatabase::addDatabase(u"QPSQL"_s, u"bench"_s);
    sql.setHostName(u"127.0.0.1"_s);
    sql.setPort(server.port());
    sql.setDatabaseName(db);
    sql.setUserName(PgFixture::Server::superuser());
    if (!sql.open()) {
        say(u"error: "_s + sql.lastError().text());
        return false;
    }
    QSqlQuery q(sql);
    if (!q.prepare(u"INSERT INTO log_line (id, ts, text, ansi) VALUES (?, ?, ?, ?)"_s))
        return false;
    for (qint64 start = 0; start < rows; start += batch) {
        QVariantList ids, tss, texts, ansis;
        for (qint64 i = start; i < qMin(rows, start + batch); ++i) {
            ids << i + 1;
            tss << i;
            texts << QString::fromUtf8(lineText(i));
            ansis << QVariant(QMetaType::fromType<QString>());
        }
        q.addBindValue(ids);
        q.addBindValue(tss);
        q.addBindValue(texts);
        q.addBindValue(ansis);
        if (!sql.transaction() || !q.execBatch() || !sql.commit()) {
            say(u"error: "_s + q.lastError().text());
            return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"rows"_s, u"Rows per method."_s, u"N"_s, u"200000"_s});
    parser.addOption({u"batch"_s, u"Rows per transaction."_s, u"N"_s, u"5000"_s});
    parser.addOption({u"search"_s, u"With the store's tsvector column and GIN index."_s});
    parser.process(app);
    const qint64 rows = parser.value(u"rows"_s).toLongLong();
    const qint64 batch = qMax<qint64>(1, parser.value(u"batch"_s).toLongLong());
    PgFixture::Server server;
    QString error;
    if (!server.start(&error)) {
        say(error);
        return 2;
    }
    const QString table =
        u"CREATE TABLE log_line (id BIGINT PRIMARY KEY, ts BIGINT, text TEXT NOT NULL, ansi "
        "TEXT%1)"_s.arg(parser.isSet(u"search"_s)
                            ? u", search tsvector GENERATED ALWAYS AS (to_tsvector('simple', "
                              "text)) STORED); CREATE INDEX ON log_line USING gin (search"_s
                            : QString());
    say(u"%1 rows, %2 per transaction%3, PostgreSQL in %4"_s.arg(rows)
            .arg(batch)
            .arg(parser.isSet(u"search"_s) ? u", with tsvector + GIN"_s : QString())
            .arg(server.binDir()));
    const QList<std::pair<QString, std::function<bool(PGconn *, const QString &)>>> methods{
        {u"libpq prepared INSERT"_s,
         [&](PGconn *c, const QString &) { return preparedRows(c, rows, batch); }},
        {u"libpq prepared INSERT, pipelined"_s,
         [&](PGconn *c, const QString &) { return pipelinedRows(c, rows, batch); }},
        {u"libpq COPY"_s, [&](PGconn *c, const QString &) { return copiedRows(c, rows, batch); }},
        {u"QPSQL execBatch"_s,
         [&](PGconn *, const QString &db) { return qpsqlRows(server, db, rows, batch); }},
    };
    int n = 0;
    for (const auto &[name, run] : methods) {
        if (name.startsWith(u"QPSQL"_s) && !QSqlDatabase::isDriverAvailable(u"QPSQL"_s)) {
            say(u"%1: the QPSQL driver is not installed (libqt6sql6-psql)"_s.arg(name));
            continue;
        }
        const QString db = u"bench%1"_s.arg(++n);
        QString out;
        if (!server.createDatabase(db, &error) || !server.psql(db, table, &out, &error)) {
            say(error);
            return 2;
        }
        PGconn *c = PQconnectdb(server.url(db).toUtf8().constData());
        QElapsedTimer timer;
        timer.start();
        const bool done = run(c, db);
        const qint64 ms = qMax<qint64>(1, timer.elapsed());
        PQfinish(c);
        if (!done)
            return 2;
        say(u"%1: %2 ms, %3 rows/s"_s.arg(name, -34).arg(ms, 7).arg(rows * 1000 / ms, 9));
    }
    return 0;
}
