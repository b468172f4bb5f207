// A record's fields are listed once (records/recordfields.h); the store's write and read and
// the record's JSON come from that list. These tests fail when a column is added to the schema
// but not to the list, or when a field is written and not read back.
#include "query/recordjson.h"
#include "records/recordfields.h"
#include "records/taskchain.h"
#include "store/recordstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// A task with every field of the list set to a value no default has.
TaskRecord everyFieldSet()
{
    TaskRecord t;
    int n = 0;
    for (const RecordField<TaskRecord> &f : taskFields()) {
        ++n;
        std::visit(
            [&](auto member) {
                auto &value = t.*member;
                using V = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<V, QString>)
                    value = QString::fromLatin1(f.name) % u"-value"_s;
                else if constexpr (std::is_same_v<V, QDateTime>)
                    value = QDateTime(QDate(2026, 3, n % 28 + 1), QTime(10, n, 7, 250), Qt::UTC);
                else if constexpr (std::is_same_v<V, std::optional<int>>)
                    value = 1000 + n;
                else if constexpr (std::is_same_v<V, std::optional<qint64>>)
                    value = qint64(5'000'000'000) + n; // past 32 bits
                else if constexpr (std::is_same_v<V, std::optional<double>>)
                    value = 0.25;
                else if constexpr (std::is_same_v<V, QStringList>)
                    value = QStringList{u"first gap"_s, u"second gap"_s};
                else if constexpr (std::is_same_v<V, QJsonObject>)
                    value = QJsonObject{{u"premium_requests"_s, 3}, {u"model"_s, u"m-1"_s}};
                else if constexpr (std::is_same_v<V, TaskState>)
                    value = TaskState::WaitingForUser;
            },
            f.member);
    }
    return t;
}

// The field's value as text, for messages and comparisons of any type.
QString shown(const TaskRecord &t, const RecordField<TaskRecord> &f)
{
    return std::visit(
        [&](auto member) -> QString {
            const auto &value = t.*member;
            using V = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<V, QString>)
                return value.isNull() ? u"(null)"_s : value;
            else if constexpr (std::is_same_v<V, QDateTime>)
                return value.toUTC().toString(Qt::ISODateWithMs);
            else if constexpr (std::is_same_v<V, QStringList>)
                return value.join(u'|');
            else if constexpr (std::is_same_v<V, QJsonObject>)
                return QString::fromUtf8(QJsonDocument(value).toJson(QJsonDocument::Compact));
            else if constexpr (std::is_same_v<V, TaskState>)
                return toString(value);
            else
                return value ? QString::number(*value) : u"(none)"_s;
        },
        f.member);
}

QStringList columnsOf(const QString &path, const char *table)
{
    sqlite3 *db = nullptr;
    QStringList columns;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) ==
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

} // namespace

class TestRecordFields final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void listMatchesTheSchema();
    void everyFieldIsReadBack();
    void everyFieldIsInTheJson();
    void emptyFieldsKeepWhatWasStored();

private:
    bool write(const TaskRecord &t)
    {
        return m_store->beginBatch() && m_store->writeTask(t) && m_store->commitBatch();
    }

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<RecordStore> m_store;
};

void TestRecordFields::init()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) % u".db"_s);
    QString error;
    m_store = openStore(m_path, &error);
    QVERIFY2(m_store, qPrintable(error));
}

void TestRecordFields::listMatchesTheSchema()
{
    QStringList listed;
    for (const auto &f : taskFields())
        listed << QString::fromLatin1(f.name);
    QStringList columns = columnsOf(m_path, "task");
    QVERIFY(columns.contains(u"id"_s));
    QCOMPARE(listed.constFirst(), u"id"_s); // the key
    listed.sort();
    columns.sort();
    QCOMPARE(listed, columns);
}

void TestRecordFields::everyFieldIsReadBack()
{
    const TaskRecord written = everyFieldSet();
    QVERIFY2(write(written), qPrintable(m_store->errorString()));
    const std::optional<TaskChain> chain = m_store->taskChain(written.id);
    QVERIFY(chain);
    for (const auto &f : taskFields())
        QCOMPARE(shown(chain->task, f), shown(written, f));
    // The field that once was written and never read.
    QCOMPARE(chain->task.prArtifactId, written.prArtifactId);
}

void TestRecordFields::everyFieldIsInTheJson()
{
    const TaskRecord t = everyFieldSet();
    TaskChain chain;
    chain.task = t;
    const QJsonObject json = RecordJson::chain(chain).value(u"task"_s).toObject();
    for (const auto &f : taskFields()) {
        const QString key = QString::fromLatin1(f.name);
        QVERIFY2(json.contains(key), f.name);
        const QJsonValue v = json.value(key);
        QString text;
        if (v.isArray()) {
            QStringList items;
            for (const QJsonValue &item : v.toArray())
                items << item.toString();
            text = items.join(u'|');
        } else if (v.isObject()) {
            text = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        } else if (v.isDouble()) {
            text = QString::number(qint64(v.toDouble()));
        } else {
            text = v.toString();
        }
        if (std::holds_alternative<std::optional<double> TaskRecord::*>(f.member))
            QCOMPARE(v.toDouble(), 0.25);
        else if (std::holds_alternative<QDateTime TaskRecord::*>(f.member))
            QCOMPARE(QDateTime::fromString(text, Qt::ISODateWithMs),
                     t.*std::get<QDateTime TaskRecord::*>(f.member));
        else
            QCOMPARE(text, shown(t, f));
    }
}

void TestRecordFields::emptyFieldsKeepWhatWasStored()
{
    const TaskRecord first = everyFieldSet();
    QVERIFY(write(first));
    TaskRecord later;
    later.id = first.id;
    later.source = u"github"_s; // the first importer's name stays
    later.prompt = u"edited"_s; // a later value replaces the stored one
    QVERIFY2(write(later), qPrintable(m_store->errorString()));
    const TaskRecord stored = m_store->taskChain(first.id)->task;
    for (const auto &f : taskFields()) {
        const QString name = QString::fromLatin1(f.name);
        const QString expected = name == u"prompt" ? u"edited"_s : shown(first, f);
        QCOMPARE(shown(stored, f), expected);
    }
}

QTEST_GUILESS_MAIN(TestRecordFields)
#include "tst_recordfields.moc"
