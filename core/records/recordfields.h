#pragma once

#include "launchrecords.h"
#include "states.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <span>
#include <type_traits>
#include <variant>

namespace Tasktrail {

// How a stored value meets a new write of the same record: records are merged, not replaced,
// so a field a record leaves empty keeps what an earlier record said.
enum class FieldMerge
{
    Key,      // part of the row's key: written as is, never updated
    Latest,   // a new value replaces the stored one; an empty one keeps it
    First,    // the first value stored stays (which importer produced the record)
    Always,   // every write states it whole (a flag, a list): even an empty value replaces
    Inserted, // written when the row is created, never changed (the task a session belongs to)
};

// One field of a record type: its name (the database column and the JSON key), the label a
// person reads (translated in the "RecordField" context), the member it lives in and how
// writes merge. A record's fields are listed once (taskFields() ...); the store's writes and
// reads, the record's JSON and the rows that show it are derived from that list, so a field
// is added in one place, and tests/tst_recordfields.cpp checks each list against the schema.
template<typename Record> struct RecordField
{
    using Member =
        std::variant<QString Record::*, QDateTime Record::*, std::optional<int> Record::*,
                     std::optional<qint64> Record::*, std::optional<double> Record::*,
                     QStringList Record::*, QJsonObject Record::*, TaskState Record::*,
                     int Record::*, qint64 Record::*, bool Record::*, IdentityKind Record::*,
                     RepoVerdict Record::*, QueueState Record::*>;
    const char *name;
    const char *label; // QT_TRANSLATE_NOOP("RecordField", ...)
    Member member;
    FieldMerge merge = FieldMerge::Latest;
    // A plain number below 1 (attempts, sequence numbers, GitHub ids count from 1) means "not
    // known" and is stored as NULL, unless it is a key or this says the record states it.
    bool zeroIsValue = false;
};

// Whether a field's value is "not stated": the store writes NULL, so the stored value stays,
// and the JSON leaves the key out. A key is always stated.
template<typename Record, typename V>
bool isUnstated(const RecordField<Record> &field, const V &value)
{
    if constexpr (std::is_same_v<V, QString>)
        return value.isNull();
    else if constexpr (std::is_same_v<V, QDateTime>)
        return !value.isValid();
    else if constexpr (std::is_same_v<V, QStringList> || std::is_same_v<V, QJsonObject>)
        return value.isEmpty();
    else if constexpr (std::is_same_v<V, TaskState>)
        return value == TaskState::Unknown;
    else if constexpr (std::is_same_v<V, IdentityKind>)
        return value == IdentityKind::Unknown;
    else if constexpr (std::is_same_v<V, int> || std::is_same_v<V, qint64>)
        return value <= 0 && field.merge != FieldMerge::Key && !field.zeroIsValue;
    else if constexpr (std::is_same_v<V, bool> || std::is_same_v<V, RepoVerdict> ||
                       std::is_same_v<V, QueueState>)
        return false; // always stated
    else
        return !value.has_value();
}

// The stored text of an enum field, and back.
inline void fromFieldText(QStringView text, TaskState &value)
{
    value = taskStateFromString(text);
}
inline void fromFieldText(QStringView text, IdentityKind &value)
{
    value = identityKindFromString(text);
}
inline void fromFieldText(QStringView text, RepoVerdict &value)
{
    value = repoVerdictFromString(text);
}
// A state this version does not know was written by a newer one: the entry is not started.
inline void fromFieldText(QStringView text, QueueState &value)
{
    value = queueStateFromString(text).value_or(QueueState::Failed);
}

// A field's label in the reader's language.
template<typename Record> QString fieldLabel(const RecordField<Record> &field)
{
    return QCoreApplication::translate("RecordField", field.label);
}

// A field's value as a person reads it; empty where the record does not state it. `format`
// has the first say for the types it takes (times, enums): each view writes those its way.
template<typename Record, typename Format>
QString fieldText(const Record &record, const RecordField<Record> &field, const Format &format)
{
    return std::visit(
        [&](auto member) -> QString {
            const auto &value = record.*member;
            using V = std::decay_t<decltype(value)>;
            if (isUnstated(field, value))
                return {};
            if constexpr (std::is_invocable_r_v<QString, const Format &, const V &>)
                return format(value);
            else if constexpr (std::is_same_v<V, QString>)
                return value;
            else if constexpr (std::is_same_v<V, QDateTime>)
                return value.toUTC().toString(Qt::ISODateWithMs);
            else if constexpr (std::is_same_v<V, QStringList>)
                return value.join(QStringLiteral(", "));
            else if constexpr (std::is_same_v<V, QJsonObject>)
                return QString::fromUtf8(QJsonDocument(value).toJson(QJsonDocument::Compact));
            else if constexpr (std::is_enum_v<V>)
                return toString(value);
            else if constexpr (std::is_same_v<V, bool>)
                return value ? QCoreApplication::translate("RecordField", "yes")
                             : QCoreApplication::translate("RecordField", "no");
            else if constexpr (std::is_same_v<V, int> || std::is_same_v<V, qint64>)
                return QString::number(value);
            else
                return QString::number(*value);
        },
        field.member);
}

struct TaskRecord;
struct SessionRecord;
struct CommandRecord;
struct TestResult;
struct RequestRecord;
struct CampaignRecord;
struct RepoDecision;
struct IdentityRecord;
struct PolicyRecord;
struct TemplateRecord;
struct PullRequestRecord;
struct ReviewRecord;
struct CheckRunRecord;
struct CheckSuiteRecord;
struct FileChange;
struct ExternalContact;
struct FailureRecord;

// Each row's fields, the key first, in the order writes have always bound them.
std::span<const RecordField<TaskRecord>> taskFields();
std::span<const RecordField<SessionRecord>> sessionFields();
std::span<const RecordField<CommandRecord>> commandFields();
std::span<const RecordField<TestResult>> testFields();
std::span<const RecordField<RequestRecord>> requestFields();
std::span<const RecordField<CampaignRecord>> campaignFields();
std::span<const RecordField<RepoDecision>> decisionFields();
std::span<const RecordField<IdentityRecord>> identityFields();
std::span<const RecordField<PolicyRecord>> policyFields();
std::span<const RecordField<TemplateRecord>> templateFields();
std::span<const RecordField<PullRequestRecord>> pullRequestFields();
std::span<const RecordField<ReviewRecord>> reviewFields();
std::span<const RecordField<CheckRunRecord>> checkRunFields();
std::span<const RecordField<CheckSuiteRecord>> checkSuiteFields();
std::span<const RecordField<FileChange>> fileChangeFields();
std::span<const RecordField<ExternalContact>> contactFields();
std::span<const RecordField<FailureRecord>> failureFields();
// Every field of a queue entry is written whole: an entry is replaced, never merged.
std::span<const RecordField<QueueEntry>> queueEntryFields();

} // namespace Tasktrail
