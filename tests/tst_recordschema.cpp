// Keeps resources/schema/tasktrail-record-v1.schema.json in step with parseTasktrailRecord():
// fixture lines, hand-made records and the demo generator's output must get the same answer
// from the schema as from the parser.
#include "demo/demogenerator.h"
#include "ingest/tasktrailrecord.h"
#include "text/jsonfields.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

QString show(const QJsonValue &value)
{
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(
        QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).chopped(1).mid(1));
}

bool hasType(const QJsonValue &value, QStringView type)
{
    if (type == u"integer")
        return value.isDouble() && std::trunc(value.toDouble()) == value.toDouble();
    return (type == u"number" && value.isDouble()) || (type == u"string" && value.isString()) ||
           (type == u"boolean" && value.isBool()) || (type == u"null" && value.isNull()) ||
           (type == u"object" && value.isObject()) || (type == u"array" && value.isArray());
}

// The part of JSON Schema 2020-12 that the record schema uses: $ref (to #/$defs/NAME), type,
// const, enum, minimum, maximum, minLength, pattern, minItems, format "date-time", required,
// properties, items and oneOf. Patterns are the ECMA-262 subset PCRE reads the same way.
// Annotations are ignored. A date-time is checked the way the parser reads times, and an empty
// string is an unset time, as it is for the parser.
class SchemaValidator
{
public:
    SchemaValidator() = default;
    explicit SchemaValidator(const QJsonObject &root)
        : m_root(root)
    {}

    // Every reason why value does not match; empty when it does.
    QStringList check(const QJsonValue &value) const
    {
        QStringList errors;
        check(value, m_root, u"$"_s, &errors);
        return errors;
    }

    // Keywords this validator would silently skip; the schema must not use any.
    QStringList unknownKeywords() const
    {
        QStringList out;
        collect(m_root, &out);
        return out;
    }

private:
    void check(const QJsonValue &v, const QJsonObject &s, const QString &at,
               QStringList *errors) const;
    void collect(const QJsonObject &s, QStringList *out) const;

    QJsonObject m_root;
};

void SchemaValidator::check(const QJsonValue &v, const QJsonObject &s, const QString &at,
                            QStringList *errors) const
{
    if (s.contains(u"type")) {
        const QJsonValue type = s.value(u"type");
        const QJsonArray types = type.isArray() ? type.toArray() : QJsonArray{type};
        if (std::none_of(types.begin(), types.end(),
                         [&](const QJsonValue &t) { return hasType(v, t.toString()); })) {
            *errors << at % u": expected type "_s % show(type) % u", got "_s % show(v);
            return;
        }
    }
    if (s.contains(u"const") && v != s.value(u"const"))
        *errors << at % u": expected "_s % show(s.value(u"const")) % u", got "_s % show(v);
    if (s.contains(u"enum") && !s.value(u"enum").toArray().contains(v))
        *errors << at % u": "_s % show(v) % u" is not one of "_s % show(s.value(u"enum"));
    if (v.isDouble() && s.contains(u"minimum") && v.toDouble() < s.value(u"minimum").toDouble())
        *errors << at % u": below the minimum "_s % show(s.value(u"minimum"));
    if (v.isDouble() && s.contains(u"maximum") && v.toDouble() > s.value(u"maximum").toDouble())
        *errors << at % u": above the maximum "_s % show(s.value(u"maximum"));
    if (v.isString() && s.contains(u"minLength") &&
        v.toString().size() < s.value(u"minLength").toInteger())
        *errors << at % u": shorter than "_s % show(s.value(u"minLength"));
    if (v.isString() && s.contains(u"pattern") &&
        !QRegularExpression(s.value(u"pattern").toString()).match(v.toString()).hasMatch())
        *errors << at % u": does not match "_s % show(s.value(u"pattern"));
    if (v.isArray() && s.contains(u"minItems") &&
        v.toArray().size() < s.value(u"minItems").toInteger())
        *errors << at % u": fewer items than "_s % show(s.value(u"minItems"));
    if (s.value(u"format").toString() == u"date-time" && !v.toString().isEmpty() &&
        !parseRfc3339(v.toString()).isValid())
        *errors << at % u": not a date-time: "_s % show(v);
    if (v.isObject()) {
        const QJsonObject object = v.toObject();
        const QJsonArray required = s.value(u"required").toArray();
        for (const QJsonValue &key : required) {
            if (!object.contains(key.toString()))
                *errors << at % u": missing required property "_s % key.toString();
        }
        const QJsonObject properties = s.value(u"properties").toObject();
        for (auto it = properties.begin(); it != properties.end(); ++it) {
            if (object.contains(it.key()))
                check(object.value(it.key()), it.value().toObject(), at % u'.' % it.key(), errors);
        }
    }
    if (v.isArray() && s.contains(u"items")) {
        const QJsonArray items = v.toArray();
        for (qsizetype i = 0; i < items.size(); ++i)
            check(items.at(i), s.value(u"items").toObject(), at % u'[' % QString::number(i) % u']',
                  errors);
    }
    if (s.contains(u"oneOf")) {
        int matched = 0;
        QStringList branchErrors;
        const QJsonArray branches = s.value(u"oneOf").toArray();
        // A branch for another kind says so; only the others explain a failure.
        const auto otherKind = [&](const QString &m) { return m.startsWith(at % u".kind:"); };
        for (const QJsonValue &branch : branches) {
            QStringList e;
            check(v, branch.toObject(), at, &e);
            if (e.isEmpty())
                ++matched;
            else if (std::none_of(e.begin(), e.end(), otherKind))
                branchErrors << e;
        }
        if (matched != 1)
            *errors << at % u": matches %1 branches of oneOf"_s.arg(matched) << branchErrors;
    }
    if (s.contains(u"$ref")) {
        const QString ref = s.value(u"$ref").toString();
        const QJsonValue target = m_root.value(u"$defs").toObject().value(ref.mid(8));
        if (!ref.startsWith(u"#/$defs/") || !target.isObject())
            *errors << at % u": cannot resolve "_s % ref;
        else
            check(v, target.toObject(), at, errors);
    }
}

void SchemaValidator::collect(const QJsonObject &s, QStringList *out) const
{
    static const QSet<QString> known{
        u"$schema"_s,  u"title"_s,      u"description"_s, u"examples"_s, u"$defs"_s,
        u"$ref"_s,     u"type"_s,       u"const"_s,       u"enum"_s,     u"minimum"_s,
        u"maximum"_s,  u"minLength"_s,  u"pattern"_s,     u"minItems"_s, u"format"_s,
        u"required"_s, u"properties"_s, u"items"_s,       u"oneOf"_s};
    for (auto it = s.begin(); it != s.end(); ++it) {
        if (!known.contains(it.key()))
            *out << it.key();
        else if (it.key() == u"format" && it.value().toString() != u"date-time")
            *out << u"format "_s % it.value().toString();
        else if (it.key() == u"items")
            collect(it.value().toObject(), out);
        else if (it.key() == u"$defs" || it.key() == u"properties" || it.key() == u"oneOf") {
            const QJsonObject children = it.value().toObject();
            for (auto child = children.begin(); child != children.end(); ++child)
                collect(child.value().toObject(), out);
            const QJsonArray branches = it.value().toArray();
            for (const QJsonValue &branch : branches)
                collect(branch.toObject(), out);
        }
    }
}

// The parser's verdict on one record: empty when it accepts it, else its reason.
QString parserError(const QJsonObject &object)
{
    TasktrailRecord record;
    QString error;
    int tokensHashed = 0;
    if (parseTasktrailRecord(object, &record, &error, &tokensHashed))
        return {};
    return error.isEmpty() ? u"rejected"_s : error;
}

QList<QByteArray> linesOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QList<QByteArray> lines = file.readAll().split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    return lines;
}

QStringList jsonlFilesUnder(const QString &root)
{
    QStringList files;
    QDirIterator it(root, {u"*.jsonl"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

// One valid record of each kind (without "tasktrail" and "kind"), a required field to leave
// out and a field to give the wrong type.
struct Sample
{
    const char *kind;
    const char *fields;
    const char *required;
    const char *typed;
};

constexpr Sample samples[] = {
    {"request", R"({"id":"R-1","text":"Upgrade","created_at":"2026-03-01T12:00:00Z"})", "id",
     "text"},
    {"campaign", R"({"id":"C-1","title":"t","decisions":[{"repo":"a/b","verdict":"eligible"}]})",
     "id", "decisions"},
    {"decision", R"({"campaign_id":"C-1","repo":"a/b","verdict":"skipped","rule":"freeze"})",
     "verdict", "rule"},
    {"identity", R"({"id":"I-1","identity_kind":"local_user","scopes":["repo"],"token":"t"})",
     "identity_kind", "scopes"},
    {"policy", R"({"id":"P-1","version":"3","name":"Upgrades","verdict":"allowed"})", "version",
     "version"},
    {"template", R"({"id":"TPL-1","version":"2","name":"Upgrade","digest":"sha256:77"})", "id",
     "name"},
    {"task",
     R"({"id":"T-1","repo":"a/b","state":"completed","confidence":0.5,"usage":{"n":1},)"
     R"("sessions":[{"id":"S-1"}],"commands":[{"seq":1,"argv":["make"]}],)"
     R"("tests":[{"name":"x","outcome":"passed"}],"files_changed":[{"path":"p"}],)"
     R"("contacts":[{"host":"h"}],"failures":[{"seq":1,"kind":"timeout"}]})",
     "repo", "confidence"},
    {"session", R"({"id":"S-1","task_id":"T-1","attempt":1,"state":"whatever"})", "task_id",
     "attempt"},
    {"command", R"({"task_id":"T-1","seq":1,"argv":["npm","ci"],"exit_code":0})", "argv",
     "exit_code"},
    {"test", R"({"task_id":"T-1","name":"cart","outcome":"flaky","duration_ms":5})", "outcome",
     "duration_ms"},
    {"file_change", R"({"task_id":"T-1","path":"a.json","change":"modified","additions":1})",
     "path", "additions"},
    {"contact", R"({"task_id":"T-1","host":"registry.npmjs.org","at":"2026-03-01T12:00:00Z"})",
     "host", "at"},
    {"failure", R"({"task_id":"T-1","seq":1,"message":"m","retried":true})", "seq", "retried"},
    {"pull_request", R"({"repo":"a/b","number":42,"draft":false,"labels":["deps"]})", "number",
     "draft"},
    {"review", R"({"id":7001,"repo":"a/b","pr_number":42,"state":"APPROVED"})", "pr_number", "id"},
    {"check_run", R"({"id":8001,"repo":"a/b","head_sha":"4b1d0c9","name":"ci"})", "head_sha",
     "name"},
    {"log", R"({"task_id":"T-1","command_seq":1,"first_line":3,"lines":["a"]})", "lines",
     "command_seq"},
};

// Records whose acceptance turns on a value rather than on a field's presence or type.
struct Edge
{
    const char *name;
    const char *json;
    bool valid;
};

constexpr Edge edges[] = {
    {"version 2", R"({"tasktrail":2,"kind":"request","id":"R-1"})", false},
    {"version as string", R"({"tasktrail":"1","kind":"request","id":"R-1"})", false},
    {"no version", R"({"kind":"request","id":"R-1"})", false},
    {"no kind", R"({"tasktrail":1,"id":"R-1"})", false},
    {"unknown kind", R"({"tasktrail":1,"kind":"deployment","id":"D-1"})", false},
    {"unknown field", R"({"tasktrail":1,"kind":"request","id":"R-1","extra":[1]})", true},
    {"null optional", R"({"tasktrail":1,"kind":"request","id":"R-1","text":null})", true},
    {"bad time", R"({"tasktrail":1,"kind":"request","id":"R-1","created_at":"noon"})", false},
    {"empty time", R"({"tasktrail":1,"kind":"request","id":"R-1","created_at":""})", true},
    {"state alias", R"({"tasktrail":1,"kind":"task","id":"T-1","repo":"a/b","state":"running"})",
     true},
    {"state empty", R"({"tasktrail":1,"kind":"task","id":"T-1","repo":"a/b","state":""})", true},
    {"state unknown", R"({"tasktrail":1,"kind":"task","id":"T-1","repo":"a/b","state":"done"})",
     false},
    {"confidence above 1", R"({"tasktrail":1,"kind":"task","id":"T","repo":"a/b","confidence":2})",
     false},
    {"usage not object", R"({"tasktrail":1,"kind":"task","id":"T","repo":"a/b","usage":[]})",
     false},
    {"nested not object", R"({"tasktrail":1,"kind":"task","id":"T","repo":"a/b","tests":["x"]})",
     false},
    {"nested missing field",
     R"({"tasktrail":1,"kind":"task","id":"T","repo":"a/b","sessions":[{"attempt":1}]})", false},
    {"nested wrong type",
     R"({"tasktrail":1,"kind":"task","id":"T","repo":"a/b","commands":[{"seq":1,"argv":[1]}]})",
     false},
    {"nested seq 0",
     R"({"tasktrail":1,"kind":"task","id":"T","repo":"a/b","commands":[{"seq":0,"argv":[]}]})",
     false},
    {"decision item wrong verdict",
     R"({"tasktrail":1,"kind":"campaign","id":"C","decisions":[{"repo":"a/b","verdict":"no"}]})",
     false},
    {"identity kind unknown",
     R"({"tasktrail":1,"kind":"identity","id":"I","identity_kind":"unknown"})", false},
    {"token not string",
     R"({"tasktrail":1,"kind":"identity","id":"I","identity_kind":"local_user","token":5})", false},
    {"whole number as 1.0",
     R"({"tasktrail":1,"kind":"command","task_id":"T","seq":1.0,"argv":["make"]})", true},
    {"fractional seq", R"({"tasktrail":1,"kind":"command","task_id":"T","seq":1.5,"argv":[]})",
     false},
    {"log first_line 0",
     R"({"tasktrail":1,"kind":"log","task_id":"T","command_seq":1,"first_line":0,"lines":[]})",
     false},
    {"seq past int",
     R"({"tasktrail":1,"kind":"command","task_id":"T","seq":4294967297,"argv":["a"]})", false},
    {"seq at int max",
     R"({"tasktrail":1,"kind":"command","task_id":"T","seq":2147483647,"argv":["a"]})", true},
    {"log first_line past 32 bits",
     R"({"tasktrail":1,"kind":"log","task_id":"T","command_seq":1,"first_line":4294967297,)"
     R"("lines":["a"]})",
     false},
    {"log first_line at the last line",
     R"({"tasktrail":1,"kind":"log","task_id":"T","command_seq":1,"first_line":4294967295,)"
     R"("lines":["a"]})",
     true},
    {"log without lines",
     R"({"tasktrail":1,"kind":"log","task_id":"T","command_seq":1,"lines":[]})", false},
    {"empty argv", R"({"tasktrail":1,"kind":"command","task_id":"T","seq":1,"argv":[]})", false},
    {"empty task id", R"({"tasktrail":1,"kind":"task","id":"","repo":"a/b"})", false},
    {"repo without owner", R"({"tasktrail":1,"kind":"task","id":"T","repo":"web"})", false},
    {"repo with two slashes", R"({"tasktrail":1,"kind":"task","id":"T","repo":"a/b/c"})", false},
    {"repo with a space", R"({"tasktrail":1,"kind":"pull_request","repo":"a/b c","number":1})",
     false},
    {"negative PR number", R"({"tasktrail":1,"kind":"pull_request","repo":"a/b","number":-3})",
     false},
    {"negative review id", R"({"tasktrail":1,"kind":"review","id":-1,"repo":"a/b","pr_number":1})",
     false},
    {"negative retries", R"({"tasktrail":1,"kind":"task","id":"T","repo":"a/b","retries":-1})",
     false},
    {"negative additions",
     R"({"tasktrail":1,"kind":"file_change","task_id":"T","path":"p","additions":-5})", false},
    {"negative exit code",
     R"({"tasktrail":1,"kind":"command","task_id":"T","seq":1,"argv":["a"],"exit_code":-1073741819})",
     true},
};

} // namespace

class TestRecordSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyKindHasASample();
    void fixtures_data();
    void fixtures();
    void records_data();
    void records();
    void demoRecords();
    void standaloneFailureKeepsItsKind();

private:
    void compare(const QJsonObject &object, bool expectValid);

    QJsonObject m_root;
    SchemaValidator m_schema;
};

void TestRecordSchema::initTestCase()
{
    QFile file(QString::fromUtf8(TASKTRAIL_SCHEMA));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    m_root = document.object();
    QCOMPARE(m_root.value(u"$schema").toString(),
             u"https://json-schema.org/draft/2020-12/schema"_s);
    m_schema = SchemaValidator(m_root);
    QCOMPARE(m_schema.unknownKeywords(), QStringList());
}

void TestRecordSchema::everyKindHasASample()
{
    QStringList sampled;
    for (const Sample &s : samples)
        sampled << QString::fromLatin1(s.kind);
    QStringList kinds;
    const QJsonArray listed =
        m_root.value(u"properties").toObject().value(u"kind").toObject().value(u"enum").toArray();
    for (const QJsonValue &kind : listed)
        kinds << kind.toString();
    QCOMPARE(kinds, sampled);
    QCOMPARE(m_root.value(u"oneOf").toArray().size(), kinds.size());
}

void TestRecordSchema::compare(const QJsonObject &object, bool expectValid)
{
    const QString parser = parserError(object);
    const QStringList schema = m_schema.check(object);
    QVERIFY2(parser.isEmpty() == expectValid,
             qPrintable(parser.isEmpty() ? u"the parser accepts it"_s : parser));
    QVERIFY2(schema.isEmpty() == expectValid,
             qPrintable(schema.isEmpty() ? u"the schema accepts it"_s : schema.join(u"; ")));
}

// Every record line of the ingest fixtures, good and bad: the schema accepts exactly the lines
// the parser accepts. Lines that are not JSON objects are not records and are left out.
void TestRecordSchema::fixtures_data()
{
    QTest::addColumn<QByteArray>("line");
    const QString root = QString::fromUtf8(TASKTRAIL_TEST_DATA) % u"/ingest"_s;
    const QStringList files = jsonlFilesUnder(root);
    QVERIFY(!files.isEmpty());
    for (const QString &path : files) {
        const QList<QByteArray> lines = linesOf(path);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            QJsonParseError error;
            if (QJsonDocument::fromJson(lines.at(i), &error).isObject())
                QTest::addRow("%s:%lld", qPrintable(QDir(root).relativeFilePath(path)),
                              static_cast<long long>(i + 1))
                    << lines.at(i);
        }
    }
}

void TestRecordSchema::fixtures()
{
    QFETCH(QByteArray, line);
    const QJsonObject object = QJsonDocument::fromJson(line).object();
    compare(object, parserError(object).isEmpty());
}

// Per kind: a valid record, the same without a required field, with that field null and with a
// field of the wrong type; then records that turn on a value.
void TestRecordSchema::records_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    const auto json = [](const QJsonObject &o) {
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    };
    for (const Sample &s : samples) {
        QJsonObject base = QJsonDocument::fromJson(s.fields).object();
        QVERIFY2(!base.isEmpty(), s.kind);
        base.insert(u"tasktrail"_s, 1);
        base.insert(u"kind"_s, QString::fromLatin1(s.kind));
        const QString required = QString::fromLatin1(s.required);
        const QString typed = QString::fromLatin1(s.typed);
        QVERIFY2(base.contains(required) && base.contains(typed), s.kind);

        QJsonObject missing = base;
        missing.remove(required);
        QJsonObject nulled = base;
        nulled.insert(required, QJsonValue::Null);
        QJsonObject wrong = base;
        wrong.insert(typed, base.value(typed).isString() ? QJsonValue(5) : QJsonValue(u"x"_s));

        QTest::addRow("%s valid", s.kind) << json(base) << true;
        QTest::addRow("%s without %s", s.kind, s.required) << json(missing) << false;
        QTest::addRow("%s with %s null", s.kind, s.required) << json(nulled) << false;
        QTest::addRow("%s with %s of wrong type", s.kind, s.typed) << json(wrong) << false;
    }
    for (const Edge &e : edges)
        QTest::newRow(e.name) << QByteArray(e.json) << e.valid;
}

void TestRecordSchema::records()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(json, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    compare(object, valid);
}

// Every line the demo generator writes to records/*.jsonl parses and validates.
void TestRecordSchema::demoRecords()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    QVERIFY2(DemoGenerator().generate({dir.path(), 0.05, 1}, &error), qPrintable(error));
    const QStringList files = jsonlFilesUnder(dir.filePath(u"records"_s));
    QVERIFY(!files.isEmpty());
    QSet<QString> kinds;
    qsizetype count = 0;
    for (const QString &path : files) {
        const QList<QByteArray> lines = linesOf(path);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (lines.at(i).isEmpty())
                continue;
            const QString where = QFileInfo(path).fileName() % u':' % QString::number(i + 1);
            QJsonParseError jsonError;
            const QJsonObject object = QJsonDocument::fromJson(lines.at(i), &jsonError).object();
            QVERIFY2(jsonError.error == QJsonParseError::NoError, qPrintable(where));
            const QString parser = parserError(object);
            QVERIFY2(parser.isEmpty(), qPrintable(where % u": "_s % parser));
            const QStringList schema = m_schema.check(object);
            QVERIFY2(schema.isEmpty(), qPrintable(where % u": "_s % schema.join(u"; ")));
            kinds << object.value(u"kind").toString();
            ++count;
        }
    }
    QVERIFY(count > 0);
    QVERIFY2(kinds.contains(u"task"_s) && kinds.contains(u"campaign"_s),
             qPrintable(QStringList(kinds.values()).join(u", ")));
}

void TestRecordSchema::standaloneFailureKeepsItsKind()
{
    const QJsonObject line =
        QJsonDocument::fromJson(R"({"tasktrail":1,"kind":"failure","task_id":"T-1","seq":2,)"
                                R"("failure_kind":"timeout","message":"npm test ran 30 min"})")
            .object();
    TasktrailRecord record;
    QString error;
    int hashed = 0;
    QVERIFY2(parseTasktrailRecord(line, &record, &error, &hashed), qPrintable(error));
    QCOMPARE(std::get<FailureRecord>(record).kind, u"timeout"_s);
    QCOMPARE(std::get<FailureRecord>(record).seq, 2);
}

QTEST_GUILESS_MAIN(TestRecordSchema)
#include "tst_recordschema.moc"
