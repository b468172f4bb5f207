#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace Tasktrail {

// A prepared statement with bound values. Owns the sqlite3_stmt; reset() makes it ready for
// the next set of values so hot statements are prepared once per connection.
// A statement that failed to prepare (a syntax error, or sqlite3_interrupt() from another
// thread while it was prepared) is invalid: it binds nothing, next() and exec() return false
// with the prepare's result in lastResult(), and reset() does nothing. prepare() tries again.
class SqliteStatement final
{
public:
    SqliteStatement(sqlite3 *db, const char *sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }
    // Prepares `sql` when the statement is not valid; a valid one stays as it is. The
    // statement's object stays the same, so references to it stay good.
    bool prepare(sqlite3 *db, const char *sql);

    void bindNull(int index);
    void bind(int index, const QString &value);        // a null QString binds NULL
    void bindText(int index, const QByteArray &utf8);  // a null QByteArray binds NULL; no copy
    void bindBlob(int index, const QByteArray &bytes); // no copy
    void bind(int index, qint64 value);
    void bind(int index, int value) { bind(index, qint64(value)); }
    void bind(int index, double value);
    void bind(int index, std::optional<int> value);
    void bind(int index, std::optional<qint64> value);
    void bind(int index, std::optional<double> value);
    void bind(int index, const QDateTime &value);        // milliseconds since the epoch, UTC
    void bindList(int index, const QStringList &values); // as a JSON array; empty binds NULL

    // sqlite3_step: true while a row is available. done() says whether it finished cleanly.
    bool next();
    bool done() const; // the last step finished the statement (no error)
    bool exec();       // steps to completion; false on error
    void reset();

    bool isNull(int column) const;
    QString text(int column) const;
    QByteArray bytes(int column) const;
    qint64 int64(int column) const;
    double real(int column) const;
    std::optional<int> optionalInt(int column) const;
    std::optional<double> optionalReal(int column) const;
    QDateTime dateTime(int column) const;
    QStringList list(int column) const;
    // The shape of the current row, for code that reads any table (the evidence hashes).
    int columnCount() const;
    int columnType(int column) const; // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, ...
    // A text or blob column's bytes without a copy; valid until the next step or reset.
    QByteArrayView view(int column) const;
    // The SQL with the values bound now written in: what a write actually wrote.
    QByteArray expandedSql() const;

    int lastResult() const { return m_lastResult; }

private:
    sqlite3_stmt *m_stmt = nullptr;
    int m_lastResult = 0;
};

std::optional<qint64> toEpochMs(const QDateTime &value);

// Whether the file has the index: a query names one with INDEXED BY only while it is there
// (a first load builds the runs table's indexes at its end, sqliteschema.h).
bool hasIndex(sqlite3 *db, const char *name);

} // namespace Tasktrail
