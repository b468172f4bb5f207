#pragma once

// Reads one number straight from a SQLite file with the C API, as a check independent of the
// store's own queries. -1 when the query returns no row.
#include <QString>
#include <QStringList>

#include <sqlite3.h>

namespace Tasktrail::SqlScalar {

// How many of the runs table's ten indexes (sqliteDeferredIndexes) a file has, named here
// apart from the store's list.
inline constexpr const char *runsIndexCount =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('task_started', "
    "'task_order', 'task_state', 'task_sort_repo', 'task_sort_campaign', 'task_sort_state', "
    "'task_sort_policy', 'task_sort_pr', 'task_sort_started', 'task_sort_duration')";

inline qint64 scalar(const QString &db, const char *sql)
{
    sqlite3 *h = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    qint64 v = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(h);
    return v;
}

// The first column of every row of a query, as text.
inline QStringList column(const QString &db, const char *sql)
{
    sqlite3 *h = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    QStringList out;
    if (sqlite3_prepare_v2(h, sql, -1, &stmt, nullptr) == SQLITE_OK) {
        while (sqlite3_step(stmt) == SQLITE_ROW)
            out << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(h);
    return out;
}

} // namespace Tasktrail::SqlScalar
