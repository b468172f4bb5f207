#pragma once

#include "pgconnection.h"
#include "records/recordfields.h"
#include "text/jsonwriter.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

#include <type_traits>

namespace Tasktrail {

// Values of a row as SqliteStatement reads them.
inline QDateTime pgDateTime(const PgResult &r, int row, int column)
{
    if (r.isNull(row, column))
        return {};
    return QDateTime::fromMSecsSinceEpoch(r.int64(row, column), QTimeZone::utc());
}

inline std::optional<int> pgOptionalInt(const PgResult &r, int row, int column)
{
    if (r.isNull(row, column))
        return std::nullopt;
    return int(r.int64(row, column));
}

// A boolean or a number; NULL is false.
inline bool pgBool(const PgResult &r, int row, int column)
{
    const QByteArray v = r.utf8(row, column);
    return v == "t" || (v != "f" && v.toLongLong() != 0);
}

} // namespace Tasktrail

namespace Tasktrail::PgFields {

// The PostgreSQL twin of sqliterecordfields.h: a record's upsert and its bound values, derived
// from its field list (records/recordfields.h), with placeholders $1..$N in the list's order.
// The merge rules are SqliteFields::upsert's; the stored row's columns are named through the
// table, as PostgreSQL requires in ON CONFLICT ... DO UPDATE.
template<typename Record>
QByteArray upsert(const char *table, std::span<const RecordField<Record>> fields)
{
    const QByteArray t(table);
    QByteArray columns, values, updates, keys;
    for (int i = 0; i < int(fields.size()); ++i) {
        const QByteArray name(fields[i].name);
        const QByteArray param = '$' + QByteArray::number(i + 1);
        const QByteArray stored = t + '.' + name;
        columns += (i ? ", " : "") + name;
        values += (i ? ", " : "") + param;
        QByteArray update;
        switch (fields[i].merge) {
        case FieldMerge::Key:
            keys += (keys.isEmpty() ? "" : ", ") + name;
            break;
        case FieldMerge::Latest:
            update = "coalesce(" + param + ", " + stored + ')';
            break;
        case FieldMerge::First:
            update = "coalesce(" + stored + ", " + param + ')';
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
    return "INSERT INTO " + t + " (" + columns + ") VALUES (" + values + ") ON CONFLICT (" + keys +
           ") DO UPDATE SET " + updates;
}

// The values SqliteFields::bind binds, in the same representation (lists and objects as
// compact JSON, enums as their text, booleans as 0 and 1, times as epoch milliseconds).
template<typename Record>
PgParams params(const Record &record, std::span<const RecordField<Record>> fields)
{
    PgParams out;
    for (const auto &field : fields) {
        std::visit(
            [&](auto member) {
                const auto &value = record.*member;
                using V = std::decay_t<decltype(value)>;
                if (isUnstated(field, value))
                    out.addNull();
                else if constexpr (std::is_same_v<V, QStringList>)
                    out.addUtf8(JsonWriter::stringArray(value));
                else if constexpr (std::is_same_v<V, QJsonObject>)
                    out.addUtf8(QJsonDocument(value).toJson(QJsonDocument::Compact));
                else if constexpr (std::is_enum_v<V>)
                    out.add(toString(value));
                else if constexpr (std::is_same_v<V, bool>)
                    out.add(qint64(value ? 1 : 0));
                else if constexpr (std::is_same_v<V, int>)
                    out.add(qint64(value));
                else
                    out.add(value);
            },
            field.member);
    }
    return out;
}

// SELECT of every field, in the list's order (each prefixed by `alias.` when given), followed
// by `rest`, as SqliteFields::select.
template<typename Record>
QByteArray select(std::span<const RecordField<Record>> fields, const char *rest,
                  const char *alias = nullptr)
{
    const QByteArray prefix = alias ? QByteArray(alias) + '.' : QByteArray();
    QByteArray columns;
    for (const auto &f : fields)
        columns += (columns.isEmpty() ? "" : ", ") + prefix + QByteArray(f.name);
    const QByteArray tail(rest);
    return "SELECT " + columns + (tail.startsWith(',') ? "" : " ") + tail;
}

// Reads the fields of one row from column `first` on, as SqliteFields::read does.
template<typename Record>
void read(const PgResult &r, int row, Record &record, std::span<const RecordField<Record>> fields,
          int first = 0)
{
    for (int i = 0; i < int(fields.size()); ++i) {
        const int column = first + i;
        std::visit(
            [&](auto member) {
                auto &value = record.*member;
                using V = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<V, QString>)
                    value = r.text(row, column);
                else if constexpr (std::is_same_v<V, QDateTime>)
                    value = pgDateTime(r, row, column);
                else if constexpr (std::is_same_v<V, std::optional<int>>)
                    value = pgOptionalInt(r, row, column);
                else if constexpr (std::is_same_v<V, std::optional<qint64>>)
                    value = r.isNull(row, column) ? std::nullopt
                                                  : std::optional<qint64>(r.int64(row, column));
                else if constexpr (std::is_same_v<V, std::optional<double>>)
                    value = r.isNull(row, column)
                                ? std::nullopt
                                : std::optional<double>(r.utf8(row, column).toDouble());
                else if constexpr (std::is_same_v<V, QStringList>) {
                    value.clear();
                    const QJsonArray array = QJsonDocument::fromJson(r.utf8(row, column)).array();
                    for (const auto &item : array)
                        value << item.toString();
                } else if constexpr (std::is_same_v<V, QJsonObject>)
                    value = r.isNull(row, column)
                                ? QJsonObject()
                                : QJsonDocument::fromJson(r.utf8(row, column)).object();
                else if constexpr (std::is_enum_v<V>)
                    fromFieldText(r.text(row, column), value);
                else if constexpr (std::is_same_v<V, bool>)
                    value = pgBool(r, row, column);
                else if constexpr (std::is_same_v<V, int>)
                    value = int(r.int64(row, column));
                else if constexpr (std::is_same_v<V, qint64>)
                    value = r.int64(row, column);
                else
                    static_assert(std::is_same_v<V, void>, "a field type the store cannot read");
            },
            fields[i].member);
    }
}

} // namespace Tasktrail::PgFields
