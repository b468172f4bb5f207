#pragma once

// The store's behaviour tests run on both backends: a data-driven test adds the rows
// "sqlite" and "postgresql" (addBackendRows()) and opens a fresh, empty database of the row's
// backend with Backends::fresh(). The PostgreSQL server is one per test executable
// (pgfixture.h): start it in initTestCase().
#include "pgfixture.h"

#include <QFile>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

namespace Backends {

using namespace Qt::StringLiterals;

inline void addBackendRows()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << u"sqlite"_s;
    QTest::newRow("postgresql") << u"postgresql"_s;
}

// For a test with rows of its own: the "backend" column goes first (QTest::addColumn), then the
// test's columns; `rows` adds the test's rows through the function it is given, once for each
// backend, as "sqlite: NAME" and "postgresql: NAME" with the backend already in its column.
template<typename Rows> void forEachBackend(Rows rows)
{
    for (const char *backend : {"sqlite", "postgresql"}) {
        rows([backend](const char *name) -> QTestData & {
            return QTest::addRow("%s: %s", backend, name) << QString::fromLatin1(backend);
        });
    }
}

class Fixture
{
public:
    bool start(QString *error) { return m_server.start(error); }
    PgFixture::Server &server() { return m_server; }

    // A location no database is at yet: a file path or a new PostgreSQL database's URL.
    QString fresh(const QString &backend)
    {
        const QString name = u"db%1"_s.arg(++m_count);
        if (backend == u"sqlite")
            return m_dir.filePath(name + u".db"_s);
        QString error;
        if (!m_server.createDatabase(name, &error))
            qFatal("cannot create database %s: %s", qPrintable(name), qPrintable(error));
        return m_server.url(name);
    }

    // A copy of the database at `location`, at a new location of the same backend: the file
    // (with its write-ahead log) copied, or a new PostgreSQL database made from it as a
    // template. Nothing may be connected to a PostgreSQL database being copied.
    QString copyOf(const QString &location)
    {
        const QString name = u"db%1"_s.arg(++m_count);
        if (location.startsWith(u"postgresql://"_s)) {
            QString error;
            if (!m_server.copyDatabase(location.section(u'/', -1), name, &error))
                qFatal("cannot copy %s: %s", qPrintable(location), qPrintable(error));
            return m_server.url(name);
        }
        const QString path = m_dir.filePath(name + u".db"_s);
        if (!QFile::copy(location, path) || (QFile::exists(location + u"-wal"_s) &&
                                             !QFile::copy(location + u"-wal"_s, path + u"-wal"_s)))
            qFatal("cannot copy %s to %s", qPrintable(location), qPrintable(path));
        return path;
    }

    // Runs SQL on the database at `location` directly (not through the store); the first
    // column of the first row, or empty (and *error) when the SQL fails.
    QString sql(const QString &location, const QString &statement, QString *error = nullptr,
                const QString &user = PgFixture::Server::superuser())
    {
        if (location.startsWith(u"postgresql://"_s)) {
            QString out;
            QString err;
            const QString db = location.section(u'/', -1);
            if (!m_server.psql(db, statement, &out, &err, user)) {
                if (error)
                    *error = err;
                return {};
            }
            return out.section(u'\n', 0, 0).section(u'|', 0, 0);
        }
        sqlite3 *db = nullptr;
        QString out;
        if (sqlite3_open(location.toUtf8().constData(), &db) == SQLITE_OK) {
            char *message = nullptr;
            const auto first = [](void *target, int, char **values, char **) {
                auto *text = static_cast<QString *>(target);
                if (text->isNull())
                    *text = QString::fromUtf8(values[0] ? values[0] : "");
                return 0;
            };
            if (sqlite3_exec(db, statement.toUtf8().constData(), first, &out, &message) !=
                    SQLITE_OK &&
                error)
                *error = QString::fromUtf8(message);
            sqlite3_free(message);
        }
        sqlite3_close(db);
        return out;
    }

    // The bytes the database at `location` holds: a SQLite file with its write-ahead log, or
    // a PostgreSQL database as pg_dump writes it (every row, in plain text).
    QByteArray storedBytes(const QString &location)
    {
        if (location.startsWith(u"postgresql://"_s)) {
            QByteArray out;
            QString error;
            if (!m_server.dump(location.section(u'/', -1), &out, &error))
                qFatal("cannot dump %s: %s", qPrintable(location), qPrintable(error));
            return out;
        }
        QByteArray bytes;
        for (const QString &suffix : {u""_s, u"-wal"_s}) {
            QFile file(location + suffix);
            if (file.open(QIODevice::ReadOnly))
                bytes += file.readAll();
        }
        return bytes;
    }

    // The number of rows of every table of the database at `location`, counted on a
    // connection of its own (not through the store).
    QMap<QString, qint64> tableRows(const QString &location)
    {
        QMap<QString, qint64> rows;
        if (location.startsWith(u"postgresql://"_s)) {
            // Table names come from the catalogue, quoted by format(%I), not from input.
            QString out;
            QString error;
            if (!m_server.psql(location.section(u'/', -1),
                               u"SELECT table_name, (xpath('/row/c/text()', query_to_xml("
                               "format('SELECT count(*) AS c FROM %I.%I', table_schema, "
                               "table_name), false, true, '')))[1]::text FROM "
                               "information_schema.tables WHERE table_schema = current_schema() "
                               "AND table_type = 'BASE TABLE'"_s,
                               &out, &error))
                qFatal("cannot count rows of %s: %s", qPrintable(location), qPrintable(error));
            const QStringList lines = out.split(u'\n', Qt::SkipEmptyParts);
            for (const QString &line : lines)
                rows.insert(line.section(u'|', 0, 0), line.section(u'|', 1, 1).toLongLong());
            return rows;
        }
        sqlite3 *db = nullptr;
        if (sqlite3_open_v2(location.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) !=
            SQLITE_OK) {
            sqlite3_close(db);
            return rows;
        }
        QStringList tables;
        sqlite3_stmt *list = nullptr;
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &list,
                           nullptr);
        while (sqlite3_step(list) == SQLITE_ROW)
            tables << QString::fromUtf8(
                reinterpret_cast<const char *>(sqlite3_column_text(list, 0)));
        sqlite3_finalize(list);
        for (const QString &table : std::as_const(tables)) {
            // Table names come from the schema itself, not from input.
            const QByteArray sql = "SELECT count(*) FROM \"" + table.toUtf8() + '"';
            sqlite3_stmt *count = nullptr;
            sqlite3_prepare_v2(db, sql.constData(), -1, &count, nullptr);
            if (sqlite3_step(count) == SQLITE_ROW)
                rows.insert(table, sqlite3_column_int64(count, 0));
            sqlite3_finalize(count);
        }
        sqlite3_close(db);
        return rows;
    }

private:
    PgFixture::Server m_server;
    QTemporaryDir m_dir;
    int m_count = 0;
};

} // namespace Backends
