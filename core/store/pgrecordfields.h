#pragma once

#include "pgconnection.h"
#include "records/recordfields.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>

#include <type_traits>

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
                    out.addUtf8(QJsonDocument(QJsonArray::fromStringList(value))
                                    .toJson(QJsonDocument::Compact));
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

} // namespace Tasktrail::PgFields
