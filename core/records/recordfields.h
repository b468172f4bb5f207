#pragma once

#include "states.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <span>
#include <variant>

namespace Tasktrail {

// How a stored value meets a new write of the same record: records are merged, not replaced,
// so a field a record leaves empty keeps what an earlier record said.
enum class FieldMerge
{
    Latest, // a new value replaces the stored one
    First,  // the first value stored stays (which importer produced the record)
};

// One field of a record type: its name (the database column and the JSON key), how writes
// merge, and the member it lives in. A record's fields are listed once (taskFields() ...); the
// store's writes and reads and the JSON of the record are derived from that list, so a field is
// added in one place, and tests/tst_recordfields.cpp checks the list against the schema.
template<typename Record> struct RecordField
{
    using Member =
        std::variant<QString Record::*, QDateTime Record::*, std::optional<int> Record::*,
                     std::optional<qint64> Record::*, std::optional<double> Record::*,
                     QStringList Record::*, QJsonObject Record::*, TaskState Record::*>;
    const char *name;
    Member member;
    FieldMerge merge = FieldMerge::Latest;
};

struct TaskRecord;

// The task row's fields, the key (id) first.
std::span<const RecordField<TaskRecord>> taskFields();

} // namespace Tasktrail
