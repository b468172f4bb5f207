// The TOML subset template and policy files are written in: every value type, tables, and
// each syntax error with its line.
#include "policy/policyfile.h"
#include "policy/tomlreader.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

const TomlValue *valueAt(const TomlValue &root, const QString &dotted)
{
    const TomlValue *v = &root;
    for (const QString &part : dotted.split(u'.')) {
        const TomlEntry *e = v->isTable() ? v->find(part) : nullptr;
        if (!e)
            return nullptr;
        v = &e->value;
    }
    return v;
}

QVariant toVariant(const TomlValue &v)
{
    switch (v.type) {
    case TomlValue::Type::String:
        return v.string;
    case TomlValue::Type::Integer:
        return v.integer;
    case TomlValue::Type::Boolean:
        return v.boolean;
    case TomlValue::Type::DateTime:
        return v.dateTime;
    case TomlValue::Type::Array: {
        QVariantList list;
        for (const TomlValue &e : v.array)
            list.append(toVariant(e));
        return list;
    }
    case TomlValue::Type::Table:
        break;
    }
    return QVariant();
}

QDateTime utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), QTimeZone::utc());
}

} // namespace

class TestTomlReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsValues_data();
    void readsValues();
    void readsTables();
    void syntaxErrors_data();
    void syntaxErrors();
    void duplicateKeyDoesNotStopReading();
};

void TestTomlReader::readsValues_data()
{
    QTest::addColumn<QByteArray>("toml");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("expected");
    QTest::addColumn<int>("line");

    const auto row = [](const char *name, QByteArray toml, QString key, QVariant v, int line) {
        QTest::newRow(name) << toml << key << v << line;
    };
    row("basic string", "a = \"x\\ty \\\"q\\\" \\u00e9\\U0001F600\"", u"a"_s,
        u"x\ty \"q\" \u00e9\U0001F600"_s, 1);
    row("literal string", "a = 'C:\\path\\*.lock'", u"a"_s, u"C:\\path\\*.lock"_s, 1);
    row("multi-line basic", "\na = \"\"\"\nline one\n  line two\"\"\"", u"a"_s,
        u"line one\n  line two"_s, 2);
    row("multi-line backslash joins lines", "a = \"\"\"one \\\n     two\"\"\"", u"a"_s,
        u"one two"_s, 1);
    row("multi-line quotes at the end", "a = \"\"\"say \"hi\"\"\"\"", u"a"_s, u"say \"hi\""_s, 1);
    row("multi-line literal", "a = '''\nno \\escapes\n'''", u"a"_s, u"no \\escapes\n"_s, 1);
    row("integer", "a = 42", u"a"_s, qint64(42), 1);
    row("negative integer", "a = -7", u"a"_s, qint64(-7), 1);
    row("integer with underscores", "a = 1_000_000", u"a"_s, qint64(1000000), 1);
    row("true", "a = true", u"a"_s, true, 1);
    row("false", "a = false # no", u"a"_s, false, 1);
    row("date-time Z", "a = 2026-11-10T00:00:00Z", u"a"_s, utc(2026, 11, 10), 1);
    row("date-time offset", "a = 2026-11-10T01:30:00+01:00", u"a"_s, utc(2026, 11, 10, 0, 30), 1);
    row("date-time space and fraction", "a = 2026-11-10 09:00:00.25z", u"a"_s,
        utc(2026, 11, 10, 9, 0, 0, 250), 1);
    row("array over lines", "a = [\n  \"x\", # first\n\n  \"y\",\n]\n", u"a"_s,
        QVariantList{u"x"_s, u"y"_s}, 1);
    row("array of integers", "a = [1, 2,3]", u"a"_s, QVariantList{qint64(1), qint64(2), qint64(3)},
        1);
    row("empty array", "a = [ ]", u"a"_s, QVariantList{}, 1);
    row("quoted key", "\"a b\" = 1", u"a b"_s, qint64(1), 1);
    row("literal quoted key", "'x-y z' = 2", u"x-y z"_s, qint64(2), 1);
    row("dotted key", "a . b = 'v'", u"a.b"_s, u"v"_s, 1);
    row("inline table", "a = { b = 1, c.d = \"e\" }", u"a.c.d"_s, u"e"_s, 1);
    row("value in a table", "# c\n[t]\nk = 'v'\n", u"t.k"_s, u"v"_s, 3);
    row("sub-table", "[t]\n[t.u]\nk = 1\n", u"t.u.k"_s, qint64(1), 3);
    row("CRLF line endings", "[t]\r\nk = \"\"\"a\r\nb\"\"\"\r\n", u"t.k"_s, u"a\nb"_s, 2);
    row("byte order mark", "\xEF\xBB\xBFk = 1", u"k"_s, qint64(1), 1);
}

void TestTomlReader::readsValues()
{
    QFETCH(QByteArray, toml);
    QFETCH(QString, key);
    QFETCH(QVariant, expected);
    QFETCH(int, line);
    const TomlDocument doc = parseToml(toml);
    QVERIFY2(doc.errors.isEmpty(), qPrintable(doc.errors.value(0).message));
    const TomlValue *v = valueAt(doc.root, key);
    QVERIFY(v);
    QCOMPARE(toVariant(*v), expected);
    QCOMPARE(v->line, line);
}

void TestTomlReader::readsTables()
{
    const TomlDocument doc = parseToml("# header comment\n"
                                       "[template]\n"
                                       "id = 'x'\n"
                                       "[[freeze]]\n"
                                       "name = 'a'\n"
                                       "[[freeze]]\n"
                                       "name = 'b'\n"
                                       "[a.b.c]\n"
                                       "[a]\n"
                                       "k = 1\n");
    QVERIFY(doc.errors.isEmpty());
    QCOMPARE(doc.firstTable, u"template"_s);
    QCOMPARE(doc.firstTableLine, 2);
    const TomlValue *freeze = valueAt(doc.root, u"freeze"_s);
    QVERIFY(freeze && freeze->isArrayOfTables());
    QCOMPARE(freeze->array.size(), std::size_t(2));
    QCOMPARE(freeze->array[1].line, 6);
    QCOMPARE(freeze->array[1].find(u"name")->value.string, u"b"_s);
    QCOMPARE(freeze->array[1].find(u"name")->line, 7);
    QVERIFY(valueAt(doc.root, u"a.b.c"_s));
    QCOMPARE(valueAt(doc.root, u"a.k"_s)->integer, qint64(1));
    QCOMPARE(doc.root.find(u"a")->line, 9); // defined by its own header after the implicit one
}

void TestTomlReader::syntaxErrors_data()
{
    QTest::addColumn<QByteArray>("toml");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, QByteArray toml, int line, QString message) {
        QTest::newRow(name) << toml << line << message;
    };
    row("missing equals", "[t]\n\nkey \"v\"\n", 3, u"expected '=' after key"_s);
    row("missing key", "= 1", 1, u"expected a key, found '='"_s);
    row("missing value", "a =\n", 1, u"expected a value"_s);
    row("unterminated string", "a = 1\nb = \"open\n", 2,
        u"unterminated string (opened on line 2)"_s);
    row("unterminated multi-line string", "a = \"\"\"\none\ntwo", 3,
        u"unterminated string (opened on line 1)"_s);
    row("invalid escape", "a = \"\\q\"", 1, u"invalid escape '\\q'"_s);
    row("short unicode escape", "a = \"\\u12\"", 1, u"invalid Unicode escape"_s);
    row("surrogate escape", "a = \"\\uD800\"", 1, u"invalid Unicode escape"_s);
    row("NUL escape", "a = \"x\\u0000y\"", 1, u"\\u escape of NUL: strings must not contain NUL"_s);
    row("control character", "a = \"x\x01y\"", 1, u"control character"_s);
    row("float", "\na = 1.5", 2, u"floating-point numbers are not supported (1.5)"_s);
    row("exponent", "a = 1e3", 1, u"floating-point numbers are not supported"_s);
    row("hexadecimal", "a = 0x1F", 1, u"hexadecimal, octal and binary integers"_s);
    row("leading zero", "a = 007", 1, u"leading zeros"_s);
    row("out of range", "a = 99999999999999999999", 1, u"out of range"_s);
    row("bare word", "a = yes", 1, u"invalid value yes (a string needs quotes: \"yes\")"_s);
    row("local date", "a = 2026-11-10", 1, u"a date needs a time and an offset"_s);
    row("no offset", "a = 2026-11-10T00:00:00", 1, u"needs an offset"_s);
    row("invalid date", "a = 2026-02-30T00:00:00Z", 1, u"invalid date-time"_s);
    row("local time", "a = 07:32:00", 1, u"a time needs a date"_s);
    row("unterminated array", "a = [1,\n2\n", 3, u"unterminated array (opened on line 1)"_s);
    row("missing comma", "a = [\n1\n2]", 3, u"expected ',' or ']' in the array opened on line 1"_s);
    row("text after value", "a = 1 b = 2", 1, u"expected the end of the line after the value"_s);
    row("text after header", "[t] x", 1, u"after the table header"_s);
    row("unclosed header", "[template\nid = 1", 1, u"expected ']' to close the table header"_s);
    row("unclosed array header", "[[freeze]\n", 1, u"expected ']]'"_s);
    row("inline table over lines", "a = { b = 1,\n c = 2 }", 1, u"on one line"_s);
    row("value extended as table", "a = 1\n[a.b]\n", 2, u"'a' is already an integer (line 1)"_s);
    row("inline table extended", "a = {b = 1}\n[a]\n", 2, u"duplicate table [a]"_s);
    row("duplicate key", "a = 1\n# x\na = 2\n", 3, u"duplicate key 'a' (first set on line 1)"_s);
    row("duplicate dotted key", "a.b = 1\na.b = 2", 2, u"duplicate key 'a.b'"_s);
    row("duplicate table", "[t]\n[u]\n[t]\n", 3,
        u"duplicate table [t] (first defined on line 1)"_s);
    row("array header after table", "[t]\n[[t]]\n", 2, u"[[t]] needs an array of tables"_s);
    row("nested too deep", "a = " + QByteArray(40, '[') + QByteArray(40, ']'), 1,
        u"values nested more than 32 deep"_s);
    row("inline tables nested too deep", "a = " + QByteArray(40, '{').replace("{", "{b=") + "1", 1,
        u"values nested more than 32 deep"_s);
    row("invalid UTF-8", "a = 1\nb = \"\xff\"\n", 2, u"not valid UTF-8"_s);
}

void TestTomlReader::syntaxErrors()
{
    QFETCH(QByteArray, toml);
    QFETCH(int, line);
    QFETCH(QString, message);
    const TomlDocument doc = parseToml(toml);
    QCOMPARE(doc.errors.size(), 1);
    QVERIFY2(doc.errors.first().message.contains(message), qPrintable(doc.errors.first().message));
    QCOMPARE(doc.errors.first().line, line);

    // Through the file parser, the error names the file and line and has no field.
    QList<PolicyFileError> errors;
    QVERIFY(!parseTemplate(u"templates/x.toml"_s, toml, &errors));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().line, line);
    QVERIFY(errors.first().field.isEmpty());
    QCOMPARE(errors.first().toString(),
             u"templates/x.toml:%1: %2"_s.arg(line).arg(doc.errors.first().message));
}

void TestTomlReader::duplicateKeyDoesNotStopReading()
{
    const TomlDocument doc = parseToml("a = 1\na = 2\nb = 3\n[t]\n[t]\nc = 4\n[u]\nd = 5\n");
    QCOMPARE(doc.errors.size(), 2);
    QCOMPARE(doc.errors[0].line, 2);
    QCOMPARE(doc.errors[1].line, 5);
    QCOMPARE(valueAt(doc.root, u"a"_s)->integer, qint64(1)); // the first value stays
    QCOMPARE(valueAt(doc.root, u"b"_s)->integer, qint64(3));
    QVERIFY(!valueAt(doc.root, u"t.c"_s)); // keys of a duplicate table are not merged
    QCOMPARE(valueAt(doc.root, u"u.d"_s)->integer, qint64(5));
}

QTEST_GUILESS_MAIN(TestTomlReader)
#include "tst_tomlreader.moc"
