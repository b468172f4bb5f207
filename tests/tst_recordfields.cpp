// A record's fields are listed once (records/recordfields.h); the store's write and read and
// the record's JSON come from that list (the launch queue's entries included, though they are
// read from the queue, not the chain). These tests fail when a column is added to the schema
// but not to a list, when a field is written and not read back or left out of the JSON, when a
// merge rule changes, and when a write's statement changes (its evidence hash would). The
// store's side runs on both backends (rows sqlite and postgresql).
#include "backends.h"
#include "query/recordjson.h"
#include "records/recordfields.h"
#include "records/taskchain.h"
#include "store/recordstore.h"
#include "store/sqliterecordfields.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// The three writes of one record: every field set, then only its key (every other field
// unstated), then every field set to another value.
enum class Version
{
    First,
    KeyOnly,
    Later
};

// The task and pull request the records hang off, so that the chain reads them back.
const QString taskId = u"T-1"_s;
const QString repo = u"octo/app"_s;
constexpr int prNumber = 7;

template<typename Record> void set(Record &r, const RecordField<Record> &f, int n, int v)
{
    std::visit(
        [&](auto member) {
            auto &value = r.*member;
            using V = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<V, QString>)
                value = QString::fromLatin1(f.name) % (v == 1 ? u"-value"_s : u"-later"_s);
            else if constexpr (std::is_same_v<V, QDateTime>)
                value = QDateTime(QDate(2026, 3, n % 28 + 1), QTime(9 + v, n, 7, 250), Qt::UTC);
            else if constexpr (std::is_same_v<V, std::optional<int>> || std::is_same_v<V, int>)
                value = 1000 + n + 100 * v;
            else if constexpr (std::is_same_v<V, std::optional<qint64>> ||
                               std::is_same_v<V, qint64>)
                value = qint64(5'000'000'000) + n + 100 * v; // past 32 bits
            else if constexpr (std::is_same_v<V, std::optional<double>>)
                value = v == 1 ? 0.25 : 0.75;
            else if constexpr (std::is_same_v<V, QStringList>)
                value = QStringList{QString::fromLatin1(f.name) % u" one"_s,
                                    QString::number(v) % u" two"_s};
            else if constexpr (std::is_same_v<V, QJsonObject>)
                value = QJsonObject{{u"premium_requests"_s, v}, {u"model"_s, u"m-1"_s}};
            else if constexpr (std::is_same_v<V, bool>)
                value = v == 1; // the first write states the value no default has
            else if constexpr (std::is_same_v<V, TaskState>)
                value = v == 1 ? TaskState::WaitingForUser : TaskState::Completed;
            else if constexpr (std::is_same_v<V, IdentityKind>)
                value = v == 1 ? IdentityKind::FineGrainedPat : IdentityKind::GitHubAppUserToken;
            else if constexpr (std::is_same_v<V, RepoVerdict>)
                value = v == 1 ? RepoVerdict::Skipped : RepoVerdict::Eligible;
            else if constexpr (std::is_same_v<V, QueueState>)
                value = v == 1 ? QueueState::NeedsConfirmation : QueueState::RetryWait;
            else
                static_assert(std::is_same_v<V, void>, "a field type the test cannot set");
        },
        f.member);
}

template<typename Record> QString shown(const Record &r, const RecordField<Record> &f)
{
    return std::visit(
        [&](auto member) -> QString {
            const auto &value = r.*member;
            using V = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<V, QString>)
                return value.isNull() ? u"(null)"_s : value;
            else if constexpr (std::is_same_v<V, QDateTime>)
                return value.toUTC().toString(Qt::ISODateWithMs);
            else if constexpr (std::is_same_v<V, QStringList>)
                return value.join(u'|');
            else if constexpr (std::is_same_v<V, QJsonObject>)
                return QString::fromUtf8(QJsonDocument(value).toJson(QJsonDocument::Compact));
            else if constexpr (std::is_enum_v<V>)
                return toString(value);
            else if constexpr (std::is_same_v<V, bool>)
                return value ? u"true"_s : u"false"_s;
            else if constexpr (std::is_same_v<V, int> || std::is_same_v<V, qint64>)
                return QString::number(value);
            else
                return value ? QString::number(*value) : u"(none)"_s;
        },
        f.member);
}

// A JSON value as shown() writes the field, given the field's type.
template<typename Record> QString shownJson(const QJsonValue &v, const RecordField<Record> &f)
{
    if (v.isArray()) {
        QStringList items;
        for (const QJsonValue &item : v.toArray())
            items << item.toString();
        return items.join(u'|');
    }
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    if (v.isDouble())
        return std::holds_alternative<std::optional<double> Record::*>(f.member)
                   ? QString::number(v.toDouble())
                   : QString::number(qint64(v.toDouble()));
    return v.toString();
}

// What the store keeps after `incoming` is written over `stored`, as the field's merge says.
template<typename Record>
Record merged(const Record &stored, const Record &incoming,
              std::span<const RecordField<Record>> fields)
{
    Record out = stored;
    for (const auto &f : fields) {
        std::visit(
            [&](auto member) {
                const auto &old = stored.*member;
                const auto &now = incoming.*member;
                auto &result = out.*member;
                switch (f.merge) {
                case FieldMerge::Key:
                case FieldMerge::Inserted:
                    break;
                case FieldMerge::Latest:
                    if (!isUnstated(f, now))
                        result = now;
                    break;
                case FieldMerge::First:
                    if (isUnstated(f, old))
                        result = now;
                    break;
                case FieldMerge::Always:
                    result = now;
                    break;
                }
            },
            f.member);
    }
    return out;
}

// One record type, as the data-driven tests see it.
class Case
{
public:
    virtual ~Case() = default;
    QByteArray name;
    const char *table = nullptr;
    QStringList storeColumns; // columns the store fills itself, not the record
    // Columns only PostgreSQL's table has: the store's own row key, where SQLite's table has
    // its implicit rowid.
    QStringList pgStoreColumns;
    bool onTask = true;         // needs the task T-1 to be read back
    bool onPullRequest = false; // needs pull request #7 of the task's repository
    bool replaced = false;      // written whole (INSERT OR REPLACE), not merged
    // Fields the JSON leaves out on purpose: the task's id of a record listed inside the task.
    QStringList notInJson;
    virtual QStringList names() const = 0;
    virtual QStringList labels() const = 0;
    virtual QByteArray upsert() const = 0;
    virtual bool write(RecordStore &store, Version v) const = 0;
    // "name=value" of each field: as read back from the store, as expected after the given
    // writes, as in the record's JSON ("(missing)" where it is not).
    virtual std::optional<QStringList> read(RecordStore &store) const = 0;
    virtual QStringList expected(QList<Version> writes) const = 0;
    virtual std::optional<QStringList> json(RecordStore &store) const = 0;
};

template<typename Record> class RecordCase final : public Case
{
public:
    std::span<const RecordField<Record>> fields;
    std::function<void(Record &)> link; // the fields that tie it to the task
    std::function<bool(RecordStore &, const Record &)> writer;
    // Where the record is read back: from the task's chain and its JSON, or (a record that is
    // not part of a chain) from the store itself and its own JSON.
    std::function<std::optional<Record>(const TaskChain &)> pick;
    std::function<QJsonValue(const QJsonObject &)> pickJson;
    std::function<std::optional<Record>(RecordStore &)> pickStored;
    std::function<QJsonObject(const Record &)> toJson;

    QStringList names() const override
    {
        QStringList out;
        for (const auto &f : fields)
            out << QString::fromLatin1(f.name);
        return out;
    }
    QStringList labels() const override
    {
        QStringList out;
        for (const auto &f : fields)
            out << QString::fromLatin1(f.label ? f.label : "");
        return out;
    }
    QByteArray upsert() const override;
    Record make(Version v) const
    {
        Record r;
        int n = 0;
        for (const auto &f : fields) {
            ++n;
            if (v != Version::KeyOnly || f.merge == FieldMerge::Key)
                set(r, f, n, 1); // the key is the first write's in every version
            if (v == Version::Later && f.merge != FieldMerge::Key)
                set(r, f, n, 2);
        }
        link(r);
        return r;
    }
    QStringList pairs(const Record &r) const
    {
        QStringList out;
        for (const auto &f : fields)
            out << QString::fromLatin1(f.name) % u'=' % shown(r, f);
        return out;
    }
    bool write(RecordStore &store, Version v) const override { return writer(store, make(v)); }
    std::optional<Record> stored(RecordStore &store) const
    {
        if (pickStored)
            return pickStored(store);
        const std::optional<TaskChain> chain = store.taskChain(taskId);
        return chain ? pick(*chain) : std::nullopt;
    }
    std::optional<QStringList> read(RecordStore &store) const override
    {
        const std::optional<Record> r = stored(store);
        return r ? std::optional(pairs(*r)) : std::nullopt;
    }
    QStringList expected(QList<Version> writes) const override
    {
        Record stored = make(writes.takeFirst());
        for (Version v : writes)
            stored = merged(stored, make(v), fields);
        return pairs(stored);
    }
    std::optional<QStringList> json(RecordStore &store) const override
    {
        QJsonValue value;
        if (toJson) {
            if (const std::optional<Record> r = stored(store))
                value = toJson(*r);
        } else if (const std::optional<TaskChain> chain = store.taskChain(taskId)) {
            value = pickJson(RecordJson::chain(*chain));
        }
        if (!value.isObject())
            return std::nullopt;
        const QJsonObject o = value.toObject();
        QStringList out;
        for (const auto &f : fields) {
            const QString key = QString::fromLatin1(f.name);
            out << key % u'=' % (o.contains(key) ? shownJson(o.value(key), f) : u"(missing)"_s);
        }
        return out;
    }
};

template<typename Record> QByteArray RecordCase<Record>::upsert() const
{
    return replaced ? SqliteFields::replace(table, fields) : SqliteFields::upsert(table, fields);
}

template<typename Record> RecordCase<Record> &add(std::vector<std::unique_ptr<Case>> &cases)
{
    auto c = std::make_unique<RecordCase<Record>>();
    auto &ref = *c;
    cases.push_back(std::move(c));
    return ref;
}

QJsonValue at(const QJsonObject &o, const QString &key, const QString &list = {})
{
    const QJsonValue v = o.value(key);
    return list.isEmpty() ? v : v.toObject().value(list).toArray().first();
}

std::vector<std::unique_ptr<Case>> makeCases()
{
    std::vector<std::unique_ptr<Case>> all;
    {
        auto &c = add<TaskRecord>(all);
        c.name = "task";
        c.table = "task";
        c.onTask = false;
        c.pgStoreColumns = {u"key"_s};
        c.fields = taskFields();
        c.link = [](TaskRecord &t) { t.id = taskId; };
        c.writer = [](IngestWriter &s, const TaskRecord &t) { return s.writeTask(t); };
        c.pick = [](const TaskChain &ch) { return std::optional(ch.task); };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"task"_s); };
    }
    {
        auto &c = add<RequestRecord>(all);
        c.name = "request";
        c.table = "request";
        c.fields = requestFields();
        c.link = [](RequestRecord &r) { r.id = u"req-1"_s; };
        c.writer = [](IngestWriter &s, const RequestRecord &r) { return s.writeRequest(r); };
        c.pick = [](const TaskChain &ch) { return ch.request; };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"request"_s); };
    }
    {
        auto &c = add<CampaignRecord>(all);
        c.name = "campaign";
        c.table = "campaign";
        c.fields = campaignFields();
        c.link = [](CampaignRecord &r) { r.id = u"camp-1"_s; };
        c.writer = [](IngestWriter &s, const CampaignRecord &r) { return s.writeCampaign(r); };
        c.pick = [](const TaskChain &ch) { return ch.campaign; };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"campaign"_s); };
    }
    {
        auto &c = add<RepoDecision>(all);
        c.name = "decision";
        c.table = "repo_decision";
        c.fields = decisionFields();
        c.link = [](RepoDecision &d) {
            d.campaignId = u"camp-1"_s;
            d.repo = repo;
        };
        c.writer = [](IngestWriter &s, const RepoDecision &d) { return s.writeDecision(d); };
        c.pick = [](const TaskChain &ch) { return ch.decision; };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"decision"_s); };
    }
    {
        auto &c = add<IdentityRecord>(all);
        c.name = "identity";
        c.table = "identity";
        c.fields = identityFields();
        c.link = [](IdentityRecord &i) { i.id = u"ident-1"_s; };
        c.writer = [](IngestWriter &s, const IdentityRecord &i) { return s.writeIdentity(i); };
        c.pick = [](const TaskChain &ch) { return ch.identity; };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"identity"_s); };
    }
    {
        auto &c = add<PolicyRecord>(all);
        c.name = "policy";
        c.table = "policy";
        c.fields = policyFields();
        c.link = [](PolicyRecord &p) {
            p.id = u"pol-1"_s;
            p.version = u"v1"_s;
        };
        c.writer = [](IngestWriter &s, const PolicyRecord &p) { return s.writePolicy(p); };
        c.pick = [](const TaskChain &ch) { return ch.policy; };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"policy"_s); };
    }
    {
        auto &c = add<TemplateRecord>(all);
        c.name = "template";
        c.table = "task_template";
        c.fields = templateFields();
        c.link = [](TemplateRecord &t) {
            t.id = u"tpl-1"_s;
            t.version = u"v2"_s;
        };
        c.writer = [](IngestWriter &s, const TemplateRecord &t) { return s.writeTemplate(t); };
        c.pick = [](const TaskChain &ch) { return ch.taskTemplate; };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"template"_s); };
    }
    {
        auto &c = add<SessionRecord>(all);
        c.name = "session";
        c.table = "task_session";
        c.fields = sessionFields();
        c.link = [](SessionRecord &s) { s.taskId = taskId; };
        c.writer = [](IngestWriter &s, const SessionRecord &r) { return s.writeSession(r); };
        c.pick = [](const TaskChain &ch) {
            return ch.task.sessions.isEmpty() ? std::nullopt
                                              : std::optional(ch.task.sessions.first());
        };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"task"_s, u"sessions"_s); };
    }
    {
        auto &c = add<CommandRecord>(all);
        c.name = "command";
        c.table = "command";
        c.storeColumns = {u"key"_s}; // the store's own key for the command's log lines
        c.fields = commandFields();
        c.link = [](CommandRecord &r) { r.taskId = taskId; };
        c.writer = [](IngestWriter &s, const CommandRecord &r) { return s.writeCommand(r); };
        c.pick = [](const TaskChain &ch) {
            return ch.commands.isEmpty() ? std::nullopt : std::optional(ch.commands.first().record);
        };
        c.pickJson = [](const QJsonObject &o) { return o.value(u"commands"_s).toArray().first(); };
    }
    {
        auto &c = add<TestResult>(all);
        c.name = "test";
        c.table = "test_result";
        c.fields = testFields();
        c.link = [](TestResult &r) { r.taskId = taskId; };
        c.writer = [](IngestWriter &s, const TestResult &r) { return s.writeTest(r); };
        c.pick = [](const TaskChain &ch) {
            return ch.task.tests.isEmpty() ? std::nullopt : std::optional(ch.task.tests.first());
        };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"task"_s, u"tests"_s); };
    }
    {
        auto &c = add<PullRequestRecord>(all);
        c.name = "pull request";
        c.table = "pull_request";
        c.fields = pullRequestFields();
        c.link = [](PullRequestRecord &p) {
            p.repo = repo;
            p.number = prNumber;
        };
        c.writer = [](IngestWriter &s, const PullRequestRecord &p) {
            return s.writePullRequest(p);
        };
        c.pick = [](const TaskChain &ch) { return ch.pullRequest; };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"pull_request"_s); };
    }
    {
        auto &c = add<ReviewRecord>(all);
        c.name = "review";
        c.table = "review";
        c.onPullRequest = true;
        c.fields = reviewFields();
        c.link = [](ReviewRecord &r) {
            r.repo = repo;
            r.prNumber = prNumber;
        };
        c.writer = [](IngestWriter &s, const ReviewRecord &r) { return s.writeReview(r); };
        c.pick = [](const TaskChain &ch) {
            return ch.reviews.isEmpty() ? std::nullopt : std::optional(ch.reviews.first());
        };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"pull_request"_s, u"reviews"_s); };
    }
    {
        auto &c = add<CheckRunRecord>(all);
        c.name = "check run";
        c.table = "check_run";
        c.onPullRequest = true;
        c.fields = checkRunFields();
        c.link = [](CheckRunRecord &r) {
            r.repo = repo;
            r.prNumber = prNumber;
        };
        c.writer = [](IngestWriter &s, const CheckRunRecord &r) { return s.writeCheckRun(r); };
        c.pick = [](const TaskChain &ch) {
            return ch.checkRuns.isEmpty() ? std::nullopt : std::optional(ch.checkRuns.first());
        };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"pull_request"_s, u"check_runs"_s); };
    }
    {
        auto &c = add<CheckSuiteRecord>(all);
        c.name = "check suite";
        c.table = "check_suite";
        c.onPullRequest = true;
        c.fields = checkSuiteFields();
        c.link = [](CheckSuiteRecord &r) {
            r.repo = repo;
            r.prNumber = prNumber;
        };
        c.writer = [](IngestWriter &s, const CheckSuiteRecord &r) { return s.writeCheckSuite(r); };
        c.pick = [](const TaskChain &ch) {
            return ch.checkSuites.isEmpty() ? std::nullopt : std::optional(ch.checkSuites.first());
        };
        c.pickJson = [](const QJsonObject &o) {
            return at(o, u"pull_request"_s, u"check_suites"_s);
        };
    }
    {
        auto &c = add<FileChange>(all);
        c.name = "file change";
        c.table = "file_change";
        c.notInJson = {u"task_id"_s};
        c.fields = fileChangeFields();
        c.link = [](FileChange &f) { f.taskId = taskId; };
        c.writer = [](RecordStore &s, const FileChange &f) { return s.writeFileChange(f); };
        c.pick = [](const TaskChain &ch) {
            return ch.task.filesChanged.isEmpty() ? std::nullopt
                                                  : std::optional(ch.task.filesChanged.first());
        };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"task"_s, u"files_changed"_s); };
    }
    {
        auto &c = add<ExternalContact>(all);
        c.name = "contact";
        c.table = "contact";
        c.notInJson = {u"task_id"_s};
        c.fields = contactFields();
        c.link = [](ExternalContact &e) { e.taskId = taskId; };
        c.writer = [](RecordStore &s, const ExternalContact &e) { return s.writeContact(e); };
        c.pick = [](const TaskChain &ch) {
            return ch.task.contacts.isEmpty() ? std::nullopt
                                              : std::optional(ch.task.contacts.first());
        };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"task"_s, u"contacts"_s); };
    }
    {
        auto &c = add<FailureRecord>(all);
        c.name = "failure";
        c.table = "failure";
        c.notInJson = {u"task_id"_s};
        c.fields = failureFields();
        c.link = [](FailureRecord &f) { f.taskId = taskId; };
        c.writer = [](RecordStore &s, const FailureRecord &f) { return s.writeFailure(f); };
        c.pick = [](const TaskChain &ch) {
            return ch.task.failures.isEmpty() ? std::nullopt
                                              : std::optional(ch.task.failures.first());
        };
        c.pickJson = [](const QJsonObject &o) { return at(o, u"task"_s, u"failures"_s); };
    }
    {
        auto &c = add<QueueEntry>(all);
        c.name = "queue entry";
        c.table = "launch_queue";
        c.onTask = false;
        c.replaced = true;
        c.notInJson = {u"spec"_s}; // `queue list` shows the entry's state, not what it launches
        c.fields = queueEntryFields();
        c.link = [](QueueEntry &e) { e.taskId = taskId; };
        c.writer = [](RecordStore &s, const QueueEntry &e) { return s.writeQueueEntry(e); };
        c.pickStored = [](RecordStore &s) { return s.queueEntry(taskId); };
        c.toJson = [](const QueueEntry &e) { return RecordJson::queueEntry(e); };
    }
    return all;
}

const std::vector<std::unique_ptr<Case>> &cases()
{
    static const std::vector<std::unique_ptr<Case>> all = makeCases();
    return all;
}

} // namespace

class TestRecordFields final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void listMatchesTheSchema_data() { rows(); }
    void listMatchesTheSchema();
    // SQLite only: upserts.sql holds the statements SQLite's store has always bound (their
    // text is part of the evidence hash of a write without an input record); PostgreSQL's
    // statements (PgFields::upsert) have no such record of how they were first written.
    void writeIsTheStatementAsAlwaysWritten_data() { rows({"sqlite"}); }
    void writeIsTheStatementAsAlwaysWritten();
    void everyFieldIsReadBack_data() { rows(); }
    void everyFieldIsReadBack();
    void everyFieldIsInTheJson_data() { rows(); }
    void everyFieldIsInTheJson();
    void writesMergeAsListed_data() { rows(); }
    void writesMergeAsListed();
    void numbersBelowOneAreNotStated_data() { Backends::addBackendRows(); }
    void numbersBelowOneAreNotStated();
    void queueStateIsStoredByItsName_data();
    void queueStateIsStoredByItsName();
    void unknownQueueStateReadsAsFailed_data() { Backends::addBackendRows(); }
    void unknownQueueStateReadsAsFailed();

private:
    static void rows(std::initializer_list<const char *> backends = {"sqlite", "postgresql"})
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<int>("index");
        for (const char *backend : backends) {
            for (int i = 0; i < int(cases().size()); ++i)
                QTest::addRow("%s: %s", backend, cases()[std::size_t(i)]->name.constData())
                    << QString::fromLatin1(backend) << i;
        }
    }
    static const Case &current()
    {
        QFETCH(int, index);
        return *cases()[std::size_t(index)];
    }
    bool writeBase(const Case &c);
    bool write(const Case &c, Version v)
    {
        return m_store->beginBatch() && c.write(*m_store, v) && m_store->commitBatch();
    }

    // The columns of `table`, read without the store.
    QStringList columnsOf(const QString &location, const char *table);

    Backends::Fixture m_db;
    QString m_path;
    std::unique_ptr<RecordStore> m_store;
};

void TestRecordFields::initTestCase()
{
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
}

void TestRecordFields::init()
{
    QFETCH(QString, backend);
    m_path = m_db.fresh(backend);
    QString error;
    m_store = openStore(m_path, &error);
    QVERIFY2(m_store, qPrintable(error));
}

QStringList TestRecordFields::columnsOf(const QString &location, const char *table)
{
    // The table names are the cases' own.
    if (location.startsWith(u"postgresql://"_s)) {
        QString error;
        const QString columns =
            m_db.sql(location,
                     u"SELECT string_agg(column_name, ',') FROM information_schema.columns "
                     "WHERE table_schema = current_schema() AND table_name = '%1'"_s.arg(
                         QLatin1StringView(table)),
                     &error);
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        return columns.split(u',', Qt::SkipEmptyParts);
    }
    sqlite3 *db = nullptr;
    QStringList columns;
    if (sqlite3_open_v2(location.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
        sqlite3_stmt *stmt = nullptr;
        const QByteArray sql = "SELECT name FROM pragma_table_info('" + QByteArray(table) + "')";
        if (sqlite3_prepare_v2(db, sql.constData(), -1, &stmt, nullptr) == SQLITE_OK) {
            while (sqlite3_step(stmt) == SQLITE_ROW)
                columns << QString::fromUtf8(
                    reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return columns;
}

bool TestRecordFields::writeBase(const Case &c)
{
    if (!m_store->beginBatch())
        return false;
    if (c.onTask) {
        TaskRecord t;
        t.id = taskId;
        t.repo = repo;
        t.campaignId = u"camp-1"_s;
        t.requestId = u"req-1"_s;
        t.identityId = u"ident-1"_s;
        t.policyId = u"pol-1"_s;
        t.policyVersion = u"v1"_s;
        t.templateId = u"tpl-1"_s;
        t.templateVersion = u"v2"_s;
        t.prNumber = prNumber;
        if (!m_store->writeTask(t))
            return false;
    }
    if (c.onPullRequest) {
        PullRequestRecord p;
        p.repo = repo;
        p.number = prNumber;
        p.headSha = u"base-sha"_s;
        if (!m_store->writePullRequest(p))
            return false;
    }
    return m_store->commitBatch();
}

void TestRecordFields::listMatchesTheSchema()
{
    const Case &c = current();
    QStringList listed = c.names();
    for (const QString &label : c.labels())
        QVERIFY2(!label.isEmpty(), "every field has a label a person reads");
    listed += c.storeColumns;
    if (m_path.startsWith(u"postgresql://"_s))
        listed += c.pgStoreColumns;
    QStringList columns = columnsOf(m_path, c.table);
    QVERIFY(!columns.isEmpty());
    listed.sort();
    columns.sort();
    QCOMPARE(listed, columns);
}

// The evidence of a write without an input record is the hash of the statement as bound: a
// changed statement would change the hash of rows whose content did not change.
void TestRecordFields::writeIsTheStatementAsAlwaysWritten()
{
    const Case &c = current();
    QFile file(QStringLiteral(TASKTRAIL_TEST_DATA) % u"/recordfields/upserts.sql"_s);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const QByteArray prefix =
        (c.replaced ? "INSERT OR REPLACE INTO " : "INSERT INTO ") + QByteArray(c.table) + " (";
    QByteArray asWritten;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(prefix))
            asWritten = line;
    }
    QVERIFY2(!asWritten.isEmpty(), prefix.constData());
    QCOMPARE(c.upsert(), asWritten);
}

void TestRecordFields::everyFieldIsReadBack()
{
    const Case &c = current();
    QVERIFY2(writeBase(c), qPrintable(m_store->errorString()));
    QVERIFY2(write(c, Version::First), qPrintable(m_store->errorString()));
    const std::optional<QStringList> read = c.read(*m_store);
    QVERIFY2(read, "the record is read back");
    QCOMPARE(*read, c.expected({Version::First}));
}

void TestRecordFields::everyFieldIsInTheJson()
{
    const Case &c = current();
    QVERIFY2(writeBase(c), qPrintable(m_store->errorString()));
    QVERIFY2(write(c, Version::First), qPrintable(m_store->errorString()));
    const std::optional<QStringList> json = c.json(*m_store);
    QVERIFY2(json, "the record has its JSON");
    QStringList expected = c.expected({Version::First});
    for (QString &pair : expected) {
        const QString name = pair.section(u'=', 0, 0);
        if (c.notInJson.contains(name))
            pair = name % u"=(missing)"_s;
    }
    QCOMPARE(*json, expected);
}

void TestRecordFields::writesMergeAsListed()
{
    const Case &c = current();
    QVERIFY2(writeBase(c), qPrintable(m_store->errorString()));
    QVERIFY(write(c, Version::First));
    // Only the key: an unstated field keeps what was stored, one written always is replaced.
    QVERIFY2(write(c, Version::KeyOnly), qPrintable(m_store->errorString()));
    std::optional<QStringList> read = c.read(*m_store);
    QVERIFY(read);
    QCOMPARE(*read, c.expected({Version::First, Version::KeyOnly}));
    // Every field again with other values: the first value stays where the list says so.
    QVERIFY(write(c, Version::Later));
    read = c.read(*m_store);
    QVERIFY(read);
    QCOMPARE(*read, c.expected({Version::First, Version::KeyOnly, Version::Later}));
}

// A session's attempt and a test's command number count from 1: below that the record does
// not know, and a later record that does not know keeps what an earlier one said.
void TestRecordFields::numbersBelowOneAreNotStated()
{
    QVERIFY(m_store->beginBatch());
    TaskRecord t;
    t.id = taskId;
    t.sessions << SessionRecord{u"S-1"_s, taskId, 3, TaskState::Completed, {}, {}, {}, {}};
    t.tests << TestResult{taskId, u"unit"_s, u"passed"_s, 2, std::nullopt};
    QVERIFY(m_store->writeTask(t));
    t.sessions.first().attempt = -1;
    t.tests.first().commandSeq = 0;
    QVERIFY(m_store->writeTask(t));
    QVERIFY(m_store->commitBatch());
    const TaskRecord stored = m_store->taskChain(taskId)->task;
    QCOMPARE(stored.sessions.size(), 1);
    QCOMPARE(stored.sessions.first().attempt, 3);
    QCOMPARE(stored.tests.size(), 1);
    QCOMPARE(stored.tests.first().commandSeq, 2);
}

void TestRecordFields::queueStateIsStoredByItsName_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QueueState>("state");
    Backends::forEachBackend([](const auto &row) {
        for (int i = int(QueueState::Queued); i <= int(QueueState::Cancelled); ++i)
            row(qPrintable(toString(QueueState(i)))) << QueueState(i);
    });
}

// The stored text is the enum's one name for the state; the open entries are those that are
// not final, whatever their state's name.
void TestRecordFields::queueStateIsStoredByItsName()
{
    QFETCH(QueueState, state);
    QueueEntry e;
    e.taskId = taskId;
    e.state = state;
    QVERIFY(m_store->beginBatch() && m_store->writeQueueEntry(e) && m_store->commitBatch());
    QCOMPARE(toString(m_store->queueEntry(taskId)->state), toString(state));
    QCOMPARE(int(m_store->queueEntries({}, false).size()), isFinal(state) ? 0 : 1);
    QCOMPARE(int(m_store->queueEntries({}, true).size()), 1);

    QString error;
    QCOMPARE(m_db.sql(m_path, u"SELECT count(*) FROM launch_queue"_s, &error), u"1"_s);
    const QString stored = m_db.sql(m_path, u"SELECT state FROM launch_queue"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(stored, toString(state));
    QVERIFY(queueStateFromString(stored) == state);
}

// A state written by a newer version is not started by this one.
void TestRecordFields::unknownQueueStateReadsAsFailed()
{
    QueueEntry e;
    e.taskId = taskId;
    e.state = QueueState::Running;
    QVERIFY(m_store->beginBatch() && m_store->writeQueueEntry(e) && m_store->commitBatch());
    m_store.reset();
    QString error;
    m_db.sql(m_path, u"UPDATE launch_queue SET state = 'migrating'"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_store = openStore(m_path, &error);
    QVERIFY2(m_store, qPrintable(error));
    QCOMPARE(toString(m_store->queueEntry(taskId)->state), toString(QueueState::Failed));
}

QTEST_GUILESS_MAIN(TestRecordFields)
#include "tst_recordfields.moc"
