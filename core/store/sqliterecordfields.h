#pragma once

#include "records/recordfields.h"
#include "sqlitestatement.h"

#include <QByteArray>
#include <QJsonDocument>

#include <type_traits>

namespace Tasktrail::SqliteFields {

// The SQL and the binds of a record's row, derived from its field list
// (records/recordfields.h). Placeholders are ?1..?N in the list's order.

// INSERT of every field; on a key conflict each field merges as its FieldMerge says, and a
// NULL (a field the record left empty) keeps the stored value.
template<typename Record>
QByteArray upsert(const char *table, std::span<const RecordField<Record>> fields, int keyFields)
{
    QByteArray columns, values, updates, keys;
    for (int i = 0; i < int(fields.size()); ++i) {
        const QByteArray name(fields[i].name);
        const QByteArray param = '?' + QByteArray::number(i + 1);
        columns += (i ? ", " : "") + name;
        values += (i ? ", " : "") + param;
        if (i < keyFields) {
            keys += (i ? ", " : "") + name;
            continue;
        }
        updates +=
            (updates.isEmpty() ? "" : ", ") + name + " = coalesce(" +
            (fields[i].merge == FieldMerge::First ? name + ", " + param : param + ", " + name) +
            ')';
    }
    return "INSERT INTO " + QByteArray(table) + " (" + columns + ") VALUES (" + values +
           ") ON CONFLICT (" + keys + ") DO UPDATE SET " + updates;
}

// SELECT of every field, in the list's order, followed by `rest` (FROM ... WHERE ...).
template<typename Record>
QByteArray select(std::span<const RecordField<Record>> fields, const char *rest)
{
    QByteArray columns;
    for (const auto &f : fields)
        columns += (columns.isEmpty() ? "" : ", ") + QByteArray(f.name);
    return "SELECT " + columns + ' ' + QByteArray(rest);
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
                else if constexpr (std::is_same_v<V, QJsonObject>)
                    value.isEmpty()
                        ? stmt.bindNull(index)
                        : stmt.bind(index, QString::fromUtf8(QJsonDocument(value).toJson(
                                               QJsonDocument::Compact)));
                else if constexpr (std::is_same_v<V, TaskState>)
                    value == TaskState::Unknown ? stmt.bindNull(index)
                                                : stmt.bind(index, toString(value));
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
                else if constexpr (std::is_same_v<V, TaskState>)
                    value = taskStateFromString(stmt.text(column));
                else
                    static_assert(std::is_same_v<V, void>, "a field type the store cannot read");
            },
            fields[i].member);
    }
}

} // namespace Tasktrail::SqliteFields
