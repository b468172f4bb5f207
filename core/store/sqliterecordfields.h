#pragma once

#include "records/recordfields.h"
#include "sqlitestatement.h"

#include <QByteArray>
#include <QJsonDocument>

#include <type_traits>

namespace Tasktrail::SqliteFields {

// The ids of a pull request's check runs or suites (`table`): those of its number or of its
// head commit, given as SQL expressions. A union of two seeks, on (repo, pr_number) and on
// (repo, head_sha): one condition with OR makes SQLite read every row of the repository.
inline QByteArray checksOfPullRequest(const char *table, const char *repo, const char *number,
                                      const char *sha)
{
    return QByteArray("SELECT id FROM ") + table + " WHERE repo = " + repo +
           " AND pr_number = " + number + " UNION ALL SELECT id FROM " + table +
           " WHERE repo = " + repo + " AND head_sha = " + sha;
}

// The SQL and the binds of a record's row, derived from its field list
// (records/recordfields.h). Placeholders are ?1..?N in the list's order.

// INSERT of every field; on a conflict of the key fields each other field merges as its
// FieldMerge says, and a NULL (a field the record left unstated) keeps the stored value.
template<typename Record>
QByteArray upsert(const char *table, std::span<const RecordField<Record>> fields)
{
    QByteArray columns, values, updates, keys;
    for (int i = 0; i < int(fields.size()); ++i) {
        const QByteArray name(fields[i].name);
        const QByteArray param = '?' + QByteArray::number(i + 1);
        columns += (i ? ", " : "") + name;
        values += (i ? ", " : "") + param;
        QByteArray update;
        switch (fields[i].merge) {
        case FieldMerge::Key:
            keys += (keys.isEmpty() ? "" : ", ") + name;
            break;
        case FieldMerge::Latest:
            update = "coalesce(" + param + ", " + name + ')';
            break;
        case FieldMerge::First:
            update = "coalesce(" + name + ", " + param + ')';
            break;
        case FieldMerge::Always:
            update = param;
            break;
        case FieldMerge::Inserted:
            break;
        }
        if (!update.isEmpty())
            updates += (updates.isEmpty() ? "" : ", ") + name + " = " + update;
    }
    return "INSERT INTO " + QByteArray(table) + " (" + columns + ") VALUES (" + values +
           ") ON CONFLICT (" + keys + ") DO UPDATE SET " + updates;
}

// INSERT OR REPLACE of every field: a row written whole each time (the launch queue's
// entries), which no merge rule applies to.
template<typename Record>
QByteArray replace(const char *table, std::span<const RecordField<Record>> fields)
{
    QByteArray columns, values;
    for (int i = 0; i < int(fields.size()); ++i) {
        columns += (i ? ", " : "") + QByteArray(fields[i].name);
        values += (i ? ", ?" : "?") + QByteArray::number(i + 1);
    }
    return "INSERT OR REPLACE INTO " + QByteArray(table) + " (" + columns + ") VALUES (" + values +
           ')';
}

// SELECT of every field, in the list's order (each prefixed by `alias.` when given),
// followed by `rest`: more columns (", ...") or FROM ... WHERE ...
template<typename Record>
QByteArray select(std::span<const RecordField<Record>> fields, const QByteArray &rest,
                  const char *alias = nullptr)
{
    const QByteArray prefix = alias ? QByteArray(alias) + '.' : QByteArray();
    QByteArray columns;
    for (const auto &f : fields)
        columns += (columns.isEmpty() ? "" : ", ") + prefix + QByteArray(f.name);
    return "SELECT " + columns + (rest.startsWith(',') ? "" : " ") + rest;
}

template<typename Record>
void bind(SqliteStatement &stmt, const Record &record, std::span<const RecordField<Record>> fields)
{
    for (int i = 0; i < int(fields.size()); ++i) {
        const int index = i + 1;
        std::visit(
            [&](auto member) {
                const auto &value = record.*member;
                using V = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<V, QStringList>)
                    stmt.bindList(index, value);
                else if (isUnstated(fields[i], value))
                    stmt.bindNull(index);
                else if constexpr (std::is_same_v<V, QJsonObject>)
                    stmt.bind(index, QString::fromUtf8(
                                         QJsonDocument(value).toJson(QJsonDocument::Compact)));
                else if constexpr (std::is_enum_v<V>)
                    stmt.bind(index, toString(value));
                else if constexpr (std::is_same_v<V, bool>)
                    stmt.bind(index, value ? 1 : 0);
                else
                    stmt.bind(index, value);
            },
            fields[i].member);
    }
}

// Reads the fields from the current row, starting at column `first`.
template<typename Record>
void read(const SqliteStatement &stmt, Record &record, std::span<const RecordField<Record>> fields,
          int first = 0)
{
    for (int i = 0; i < int(fields.size()); ++i) {
        const int column = first + i;
        std::visit(
            [&](auto member) {
                auto &value = record.*member;
                using V = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<V, QString>)
                    value = stmt.text(column);
                else if constexpr (std::is_same_v<V, QDateTime>)
                    value = stmt.dateTime(column);
                else if constexpr (std::is_same_v<V, std::optional<int>>)
                    value = stmt.optionalInt(column);
                else if constexpr (std::is_same_v<V, std::optional<qint64>>)
                    value = stmt.isNull(column) ? std::nullopt
                                                : std::optional<qint64>(stmt.int64(column));
                else if constexpr (std::is_same_v<V, std::optional<double>>)
                    value = stmt.optionalReal(column);
                else if constexpr (std::is_same_v<V, QStringList>)
                    value = stmt.list(column);
                else if constexpr (std::is_same_v<V, QJsonObject>)
                    value = stmt.isNull(column)
                                ? QJsonObject()
                                : QJsonDocument::fromJson(stmt.bytes(column)).object();
                else if constexpr (std::is_enum_v<V>)
                    fromFieldText(stmt.text(column), value);
                else if constexpr (std::is_same_v<V, bool>)
                    value = stmt.int64(column) != 0;
                else if constexpr (std::is_same_v<V, int>)
                    value = int(stmt.int64(column));
                else if constexpr (std::is_same_v<V, qint64>)
                    value = stmt.int64(column);
                else
                    static_assert(std::is_same_v<V, void>, "a field type the store cannot read");
            },
            fields[i].member);
    }
}

} // namespace Tasktrail::SqliteFields
