#include "sqlitestatement.h"

#include "text/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

#include <sqlite3.h>

namespace Tasktrail {

SqliteStatement::SqliteStatement(sqlite3 *db, const char *sql)
{
    prepare(db, sql);
}

bool SqliteStatement::prepare(sqlite3 *db, const char *sql)
{
    if (m_stmt)
        return true;
    m_lastResult = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (m_lastResult != SQLITE_OK) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
    return m_stmt != nullptr;
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void SqliteStatement::bind(int index, const QString &value)
{
    if (value.isNull()) {
        bindNull(index);
        return;
    }
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::bindText(int index, const QByteArray &utf8)
{
    if (utf8.isNull()) {
        bindNull(index);
        return;
    }
    // The caller keeps the bytes alive until the statement has been stepped.
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
}

void SqliteStatement::bindBlob(int index, const QByteArray &bytes)
{
    sqlite3_bind_blob(m_stmt, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
}

void SqliteStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

void SqliteStatement::bind(int index, std::optional<int> value)
{
    value ? bind(index, qint64(*value)) : bindNull(index);
}

void SqliteStatement::bind(int index, std::optional<qint64> value)
{
    value ? bind(index, *value) : bindNull(index);
}

void SqliteStatement::bind(int index, std::optional<double> value)
{
    value ? bind(index, *value) : bindNull(index);
}

void SqliteStatement::bind(int index, const QDateTime &value)
{
    bind(index, toEpochMs(value));
}

void SqliteStatement::bindList(int index, const QStringList &values)
{
    if (values.isEmpty()) {
        bindNull(index);
        return;
    }
    const QByteArray json = JsonWriter::stringArray(values);
    sqlite3_bind_text(m_stmt, index, json.constData(), int(json.size()), SQLITE_TRANSIENT);
}

bool SqliteStatement::next()
{
    if (!m_stmt)
        return false; // lastResult() is still what the prepare said
    m_lastResult = sqlite3_step(m_stmt);
    return m_lastResult == SQLITE_ROW;
}

bool SqliteStatement::done() const
{
    return m_lastResult == SQLITE_DONE;
}

bool SqliteStatement::exec()
{
    while (next()) {
    }
    const bool ok = m_lastResult == SQLITE_DONE;
    reset();
    return ok;
}

void SqliteStatement::reset()
{
    // sqlite3_clear_bindings() does not accept a null statement.
    if (!m_stmt)
        return;
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

QString SqliteStatement::text(int column) const
{
    if (isNull(column))
        return {};
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

QByteArray SqliteStatement::bytes(int column) const
{
    if (isNull(column))
        return {};
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return QByteArray(data, sqlite3_column_bytes(m_stmt, column));
}

qint64 SqliteStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqliteStatement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::optional<int> SqliteStatement::optionalInt(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return int(int64(column));
}

std::optional<double> SqliteStatement::optionalReal(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return real(column);
}

QDateTime SqliteStatement::dateTime(int column) const
{
    if (isNull(column))
        return {};
    return QDateTime::fromMSecsSinceEpoch(int64(column), QTimeZone::utc());
}

QStringList SqliteStatement::list(int column) const
{
    if (isNull(column))
        return {};
    QStringList out;
    const QJsonArray array = QJsonDocument::fromJson(bytes(column)).array();
    for (const auto &value : array)
        out << value.toString();
    return out;
}

int SqliteStatement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

int SqliteStatement::columnType(int column) const
{
    return sqlite3_column_type(m_stmt, column);
}

QByteArrayView SqliteStatement::view(int column) const
{
    // sqlite3_column_blob before sqlite3_column_bytes: the order SQLite documents.
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return QByteArrayView(data, sqlite3_column_bytes(m_stmt, column));
}

QByteArray SqliteStatement::expandedSql() const
{
    char *sql = sqlite3_expanded_sql(m_stmt);
    const QByteArray out(sql);
    sqlite3_free(sql);
    return out;
}

std::optional<qint64> toEpochMs(const QDateTime &value)
{
    if (!value.isValid())
        return std::nullopt;
    return value.toMSecsSinceEpoch();
}

bool hasIndex(sqlite3 *db, const char *name)
{
    SqliteStatement stmt(db, "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?");
    stmt.bind(1, QString::fromLatin1(name));
    return stmt.next();
}

} // namespace Tasktrail
