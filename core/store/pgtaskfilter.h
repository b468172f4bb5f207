#pragma once

#include "pgconnection.h"
#include "records/recordfields.h"
#include "records/summaries.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

#include <type_traits>

namespace Tasktrail {

// A TaskFilter as PostgreSQL over `task t`: the twin of sqlitetaskfilter.h, selecting the same
// tasks. The WHERE clause is assembled only from fixed fragments; every value a person typed is
// bound ($1, $2, ... in `params`), never spliced into the SQL. A statement adds its own values
// after these, from $<next()> on.
//
// The text filter is ILIKE over columns whose collation is "C" (schema version 4): like
// SQLite's LIKE it ignores the case of ASCII letters only.
struct PgTaskFilter
{
    QByteArray sql; // " WHERE ..." or empty
    PgParams params;
    bool joinsIdentity = false;

    // The tables the filter needs besides task.
    QByteArray from() const;
    // " WHERE " when the filter has no terms, " AND " after them.
    QByteArray joiner() const { return sql.isEmpty() ? " WHERE " : " AND "; }
    int next() const { return params.count() + 1; }
    void add(const char *fragment, const QString &value);
    void add(const char *fragment, const QDateTime &value);
};

PgTaskFilter pgTaskFilter(const TaskFilter &filter);

// "$<index>"
QByteArray pgParam(int index);

// A TaskSort as PostgreSQL: the sorted column as the expression of its task_sort_* index
// (sqlitetasksort.h gives the same keys on SQLite).
struct PgTaskSort
{
    QByteArray key;
    bool keyIsId = false;
    bool keyIsText = true;
    bool descending = false;
};

PgTaskSort pgTaskSort(const TaskSort &sort);

// A key's value as bound and as read, in the representation its column has.
void addKeyValue(PgParams &params, const QVariant &value, bool isText);
QVariant pgKeyValue(const PgResult &r, int row, int column, bool isText);

// The runs table's columns, in the order pgTaskRowAt() reads them; `t` is the task, `r` its
// request and `i` its identity.
#define TASKTRAIL_PG_TASK_ROW_COLUMNS                                                              \
    "t.id, t.repo, t.campaign_id, t.state, r.requester, i.principal, i.kind, t.policy_id, "        \
    "t.policy_version, t.pr_number, (SELECT p.merged_at IS NOT NULL FROM pull_request p WHERE "    \
    "p.repo = t.repo AND p.number = t.pr_number), coalesce(t.started_at, t.created_at), "          \
    "t.completed_at"
TaskRow pgTaskRowAt(const PgResult &r, int row);

// Values of a row as SqliteStatement reads them.
QDateTime pgDateTime(const PgResult &r, int row, int column);
std::optional<int> pgOptionalInt(const PgResult &r, int row, int column);
bool pgBool(const PgResult &r, int row, int column); // a boolean or a number, NULL is false

namespace PgFields {

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

} // namespace PgFields

} // namespace Tasktrail
