#pragma once

// The store's behaviour tests run on both backends: a data-driven test adds the rows
// "sqlite" and "postgresql" (addBackendRows()) and opens a fresh, empty database of the row's
// backend with Backends::fresh(). The PostgreSQL server is one per test executable
// (pgfixture.h): start it in initTestCase().
#include "pgfixture.h"

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

private:
    PgFixture::Server m_server;
    QTemporaryDir m_dir;
    int m_count = 0;
};

} // namespace Backends
