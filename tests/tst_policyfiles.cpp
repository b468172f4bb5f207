// Template and policy files: the TOML reader, validation, glob patterns, the example files.
#include "policy/glob.h"
#include "policy/policyfile.h"
#include "policy/tomlreader.h"

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
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

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const QString source = QStringLiteral(TASKTRAIL_SOURCE);

// A valid template the validation rows change one thing in.
const QByteArray minimalTemplate = "[template]\nid = \"t\"\nversion = \"1\"\n";
const QByteArray minimalPolicy = "[policy]\nid = \"p\"\nversion = 1\n[[grant]]\n";

} // namespace

class TestPolicyFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsValues_data();
    void readsValues();
    void readsTables();
    void syntaxErrors_data();
    void syntaxErrors();
    void duplicateKeyDoesNotStopReading();
    void validationErrors_data();
    void validationErrors();
    void reportsEveryError();
    void mapsEveryField();
    void fileKind();
    void durations_data();
    void durations();
    void versionsOrder();
    void globs_data();
    void globs();
    void globErrors();
    void exampleFilesParse_data();
    void exampleFilesParse();
    void documentationExamplesParse();
};

void TestPolicyFiles::readsValues_data()
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

void TestPolicyFiles::readsValues()
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

void TestPolicyFiles::readsTables()
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

void TestPolicyFiles::syntaxErrors_data()
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
    row("invalid UTF-8", "a = 1\nb = \"\xff\"\n", 2, u"not valid UTF-8"_s);
}

void TestPolicyFiles::syntaxErrors()
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

void TestPolicyFiles::duplicateKeyDoesNotStopReading()
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

void TestPolicyFiles::validationErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");
    const auto t = [](const char *name, QByteArray extra, int line, QString field, QString msg) {
        QTest::newRow(name) << QByteArray(minimalTemplate + extra) << line << field << msg;
    };
    const auto p = [](const char *name, QByteArray extra, int line, QString field, QString msg) {
        QTest::newRow(name) << QByteArray(minimalPolicy + extra) << line << field << msg;
    };
    t("unknown table", "[stops]\n", 4, u"stops"_s,
      u"unknown table [stops]; did you mean [stop]?"_s);
    t("unknown key", "[stop]\nmax_retry = 1\n", 5, u"stop.max_retry"_s,
      u"unknown key 'max_retry' in [stop]; did you mean 'max_retries'?"_s);
    t("unknown key, nothing close", "[stop]\ncolour = 1\n", 5, u"stop.colour"_s,
      u"unknown key 'colour' in [stop]"_s);
    QTest::newRow("key outside tables")
        << QByteArray("colour = 'blue'\n" + minimalTemplate) << 1 << u"colour"_s
        << u"unknown key 'colour' outside any table"_s;
    t("wrong type", "[stop]\nmax_retries = \"2\"\n", 5, u"stop.max_retries"_s,
      u"expected an integer, got a string"_s);
    t("negative limit", "[budgets]\nconcurrency = -1\n", 5, u"budgets.concurrency"_s,
      u"must be 0 or more, got -1"_s);
    t("bad duration", "[stop]\nmax_runtime = \"30 min\"\n", 5, u"stop.max_runtime"_s,
      u"expected a duration such as \"30m\", \"2h\" or \"1h30m\", got \"30 min\""_s);
    t("duration as integer", "[stop]\nmax_runtime = 30\n", 5, u"stop.max_runtime"_s,
      u"got an integer"_s);
    t("boolean as string", "[repositories]\narchived = \"no\"\n", 5, u"repositories.archived"_s,
      u"expected a boolean, got a string"_s);
    t("list as string", "[changes]\nallow = \"package.json\"\n", 5, u"changes.allow"_s,
      u"expected an array, got a string"_s);
    t("integer in a list", "[changes]\nallow = [\n'a',\n1]\n", 7, u"changes.allow[2]"_s,
      u"expected a string, got an integer"_s);
    t("empty pattern", "[changes]\ndeny = [\"\"]\n", 5, u"changes.deny[1]"_s,
      u"invalid pattern \"\": empty pattern"_s);
    t("triple star", "[commands]\nallow = [\"git ***\"]\n", 5, u"commands.allow[1]"_s,
      u"'***' is not a pattern"_s);
    t("absolute path", "[changes]\nallow = [\"/package.json\"]\n", 5, u"changes.allow[1]"_s,
      u"drop the leading '/'"_s);
    t("repository without owner", "[repositories]\ninclude = [\"cart-api\"]\n", 5,
      u"repositories.include[1]"_s, u"owner/name pattern"_s);
    t("host as URL", "[network]\nallow_hosts = [\"https://github.com\"]\n", 5,
      u"network.allow_hosts[1]"_s, u"not a URL"_s);
    QTest::newRow("table as value") << QByteArray("stop = 1\n" + minimalTemplate) << 1 << u"stop"_s
                                    << u"expected a table ([stop]), got an integer"_s;
    t("freeze as table", "[freeze]\nname = 'x'\n", 4, u"freeze"_s,
      u"expected an array of tables ([[freeze]]), got a table"_s);
    t("freeze ends first",
      "[[freeze]]\nname = 'x'\nfrom = 2026-12-01T00:00:00Z\nuntil = 2026-11-10T00:00:00Z\n", 7,
      u"freeze[1].until"_s, u"the freeze must end after it starts"_s);
    t("freeze without from", "[[freeze]]\nname = 'x'\nuntil = 2026-11-10T00:00:00Z\n", 4,
      u"freeze[1].from"_s, u"required, but missing"_s);
    t("freeze from a string",
      "[[freeze]]\nname = 'x'\nfrom = '2026-11-10'\nuntil = 2026-11-10T00:00:00Z\n", 6,
      u"freeze[1].from"_s, u"expected a date-time, got a string"_s);
    t("duplicate freeze name",
      "[[freeze]]\nname = 'x'\nfrom = 2026-01-01T00:00:00Z\nuntil = 2026-01-02T00:00:00Z\n"
      "[[freeze]]\nname = 'x'\nfrom = 2026-01-01T00:00:00Z\nuntil = 2026-01-02T00:00:00Z\n",
      9, u"freeze[2].name"_s, u"another [[freeze]] is already named \"x\""_s);
    QTest::newRow("missing id") << QByteArray("# c\n[template]\nversion = 1\n") << 2
                                << u"template.id"_s << u"required, but missing"_s;
    QTest::newRow("missing version") << QByteArray("[template]\nid = 'x'\n") << 1
                                     << u"template.version"_s << u"required, but missing"_s;
    QTest::newRow("empty id") << QByteArray("[template]\nid = ''\nversion = 1\n") << 2
                              << u"template.id"_s << u"must not be empty"_s;
    QTest::newRow("id with a space") << QByteArray("[template]\nid = 'a b'\nversion = 1\n") << 2
                                     << u"template.id"_s << u"use letters, digits"_s;
    QTest::newRow("negative version") << QByteArray("[template]\nid = 'a'\nversion = -1\n") << 3
                                      << u"template.version"_s << u"must be 0 or more"_s;
    QTest::newRow("version as boolean")
        << QByteArray("[template]\nid = 'a'\nversion = true\n") << 3 << u"template.version"_s
        << u"expected a string or an integer, got a boolean"_s;
    p("unknown token kind", "token_kinds = [\"github_app_user_tokn\"]\n", 5,
      u"grant[1].token_kinds[1]"_s,
      u"unknown token kind \"github_app_user_tokn\"; did you mean \"github_app_user_token\"?"_s);
    p("token kind by another name", "token_kinds = [\"pat\"]\n", 5, u"grant[1].token_kinds[1]"_s,
      u"(known: classic_pat, fine_grained_pat,"_s);
    p("bad template reference", "templates = [\"a@1@2\"]\n", 5, u"grant[1].templates[1]"_s,
      u"expected a template id or id@version"_s);
    p("empty scope", "scopes = ['']\n", 5, u"grant[1].scopes[1]"_s, u"must not be empty"_s);
    p("unknown grant key", "[[grant]]\nrequestors = []\n", 6, u"grant[2].requestors"_s,
      u"did you mean 'requesters'?"_s);
    QTest::newRow("policy without grant") << QByteArray("[policy]\nid = 'p'\nversion = '1'\n") << 0
                                          << u"grant"_s << u"the policy grants nothing"_s;
    QTest::newRow("policy file read as template")
        << QByteArray("# c\n[policy]\nid = 'p'\n") << 2 << u"template"_s
        << u"this is a policy file, not a template file"_s;
}

void TestPolicyFiles::validationErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const QString file = u"templates/t.toml"_s;
    QList<PolicyFileError> errors;
    const bool isPolicy = text.startsWith("[policy]");
    const bool ok = isPolicy ? parsePolicy(file, text, &errors).has_value()
                             : parseTemplate(file, text, &errors).has_value();
    QVERIFY(!ok);
    QCOMPARE(errors.size(), 1);
    const PolicyFileError &e = errors.first();
    QVERIFY2(e.message.contains(message), qPrintable(e.toString()));
    QCOMPARE(e.file, file);
    QCOMPARE(e.line, line);
    QCOMPARE(e.field, field);
    QCOMPARE(e.toString(), (line ? u"%1:%2: "_s.arg(file).arg(line) : file + u": "_s) +
                               field % u": "_s % e.message);
}

void TestPolicyFiles::reportsEveryError()
{
    QList<PolicyFileError> errors;
    const QByteArray text = "[template]\n"
                            "id = 'x'\n"
                            "[stop]\n"
                            "max_retries = 'two'\n"
                            "max_files_changed = -3\n"
                            "[changes]\n"
                            "allow = ['']\n"
                            "[budget]\n";
    QVERIFY(!parseTemplate(u"t.toml"_s, text, &errors));
    QStringList fields;
    QList<int> lines;
    for (const PolicyFileError &e : std::as_const(errors)) {
        fields << e.field;
        lines << e.line;
    }
    QCOMPARE(fields,
             (QStringList{u"template.version"_s, u"stop.max_retries"_s, u"stop.max_files_changed"_s,
                          u"changes.allow[1]"_s, u"budget"_s}));
    QCOMPARE(lines, (QList<int>{1, 4, 5, 7, 8})); // in the order of the file
    QVERIFY(errors.last().message.contains(u"did you mean [budgets]?"_s));
}

void TestPolicyFiles::mapsEveryField()
{
    const QString path = source + u"/docs/policy-files.md"_s;
    const QString doc = QString::fromUtf8(readFile(path));
    const QRegularExpression block(u"```toml\n(.*?)```"_s,
                                   QRegularExpression::DotMatchesEverythingOption);
    const QByteArray text = block.match(doc).captured(1).toUtf8();
    QList<PolicyFileError> errors;
    const std::optional<TemplateSpec> t = parseTemplate(path, text, &errors);
    QVERIFY2(t, qPrintable(errors.value(0).toString()));
    QCOMPARE(t->id, u"deps-bump"_s);
    QCOMPARE(t->version, u"3"_s);
    QCOMPARE(t->name, u"Dependency bump (npm)"_s);
    QVERIFY(t->prompt.startsWith(u"Bump the npm package named in the request in {repo}."_s));
    QCOMPARE(t->repositories.include, QStringList{u"acme-*/*"_s});
    QCOMPARE(t->repositories.exclude, QStringList{u"acme-web/legacy-*"_s});
    QCOMPARE(t->repositories.topics, QStringList{u"npm"_s});
    QCOMPARE(t->repositories.languages, (QStringList{u"JavaScript"_s, u"TypeScript"_s}));
    QVERIFY(!t->repositories.allowArchived);
    QCOMPARE(t->repositories.requiredFiles, (QStringList{u"package.json"_s, u"CODEOWNERS"_s}));
    QCOMPARE(t->allowedFiles, (QStringList{u"package.json"_s, u"package-lock.json"_s}));
    QCOMPARE(t->deniedFiles, QStringList{u".github/**"_s});
    QCOMPARE(t->approvalFiles, QStringList{u"**/*.lock"_s});
    QCOMPARE(t->allowedCommands,
             (QStringList{u"git **"_s, u"npm ci"_s, u"npm test"_s, u"npm run *"_s}));
    QCOMPARE(t->approvalCommands, QStringList{u"npm publish*"_s});
    QCOMPARE(t->requiredTests, QStringList{u"src/**"_s});
    QCOMPARE(t->allowedHosts.size(), 3);
    QCOMPARE(t->labels, (QStringList{u"dependencies"_s, u"automated"_s}));
    QCOMPARE(t->reviewers, QStringList{u"acme-platform/platform"_s});
    QCOMPARE(t->maxRetries, 2);
    QCOMPARE(t->maxRuntimeMs, qint64(30 * 60 * 1000));
    QCOMPARE(t->maxFilesChanged, 5);
    QCOMPARE(t->maxLinesChanged, 400);
    QCOMPARE(t->concurrency, 4);
    QCOMPARE(t->perRepository, 1);
    QCOMPARE(t->reviewerTeam, u"acme/platform"_s);
    QCOMPARE(t->reviewsPerDay, 10);
    QCOMPARE(t->maxRepositories, 50);
    QCOMPARE(t->freezes.size(), 1);
    QCOMPARE(t->freezes[0].name, u"payments-release-42"_s);
    QCOMPARE(t->freezes[0].from, utc(2026, 11, 10));
    QCOMPARE(t->freezes[0].until, utc(2026, 12, 1));
    QCOMPARE(t->freezes[0].repositories, QStringList{u"acme-payments/*"_s});

    // Left out: no limit.
    const auto bare = parseTemplate(u"t.toml"_s, minimalTemplate, &errors);
    QVERIFY(bare);
    QCOMPARE(bare->maxRetries, -1);
    QCOMPARE(bare->maxRuntimeMs, qint64(-1));
    QCOMPARE(bare->reviewsPerDay, -1);
}

void TestPolicyFiles::fileKind()
{
    QVERIFY(policyFileKind(u"a"_s, "# x\n[template]\n") == PolicyDocument::Kind::Template);
    // The first header decides, even before a syntax error further down.
    QVERIFY(policyFileKind(u"a"_s, "[policy]\nid = \n") == PolicyDocument::Kind::Policy);
    QList<PolicyFileError> errors;
    QVERIFY(!policyFileKind(u"a.toml"_s, "a = 1\n\n[grant]\n", &errors));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().toString(),
             u"a.toml:3: the first table must be [template] or [policy], not [grant]"_s);
    errors.clear();
    QVERIFY(!policyFileKind(u"a.toml"_s, "a = 1\n", &errors));
    QVERIFY(errors.first().message.contains(u"not a template or policy file"_s));
    errors.clear();
    QVERIFY(!policyFileKind(u"a.toml"_s, "a = \n", &errors));
    QCOMPARE(errors.first().toString(), u"a.toml:1: expected a value"_s);
}

void TestPolicyFiles::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("seconds") << u"90s"_s << qint64(90000);
    QTest::newRow("minutes") << u"30m"_s << qint64(1800000);
    QTest::newRow("hours") << u"2h"_s << qint64(7200000);
    QTest::newRow("hours and minutes") << u"1h30m"_s << qint64(5400000);
    QTest::newRow("days") << u"1d"_s << qint64(86400000);
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("zero") << u"0m"_s << qint64(-1);
    QTest::newRow("no unit") << u"30"_s << qint64(-1);
    QTest::newRow("wrong order") << u"30m1h"_s << qint64(-1);
    QTest::newRow("space") << u"1h 30m"_s << qint64(-1);
    QTest::newRow("huge") << u"9999999999h"_s << qint64(-1);
}

void TestPolicyFiles::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QCOMPARE(parseDuration(text).value_or(-1), ms);
}

void TestPolicyFiles::versionsOrder()
{
    QVERIFY(compareVersions(u"9", u"10") < 0);
    QVERIFY(compareVersions(u"3", u"3") == 0);
    QVERIFY(compareVersions(u"1.2", u"1.10") < 0);
    QVERIFY(compareVersions(u"2", u"1.9") > 0);
    QVERIFY(compareVersions(u"1", u"1.0") < 0);
    QVERIFY(compareVersions(u"2026-01", u"2026-02") < 0);
}

void TestPolicyFiles::globs_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");
    const auto row = [](const char *name, QString p, QString t, bool m) {
        QTest::newRow(name) << p << t << m;
    };
    row("literal", u"package.json"_s, u"package.json"_s, true);
    row("literal differs", u"package.json"_s, u"package.jso"_s, false);
    row("case-sensitive", u"README.md"_s, u"readme.md"_s, false);
    row("star in a segment", u"acme-*/*"_s, u"acme-web/cart-api"_s, true);
    row("star does not cross /", u"*.json"_s, u"src/a.json"_s, false);
    row("star matches empty", u"npm run *"_s, u"npm run "_s, true);
    row("star before a slash", u"src/*/index.js"_s, u"src/cart/index.js"_s, true);
    row("star stays in its segment", u"src/*/index.js"_s, u"src/a/b/index.js"_s, false);
    row("double star crosses /", u".github/**"_s, u".github/workflows/ci.yml"_s, true);
    row("double star needs the prefix", u".github/**"_s, u"src/.github/x"_s, false);
    row("double star slash matches nothing", u"**/*.lock"_s, u"yarn.lock"_s, true);
    row("double star slash in the middle", u"a/**/b"_s, u"a/b"_s, true);
    row("double star slash deep", u"**/*.lock"_s, u"a/b/Cargo.lock"_s, true);
    row("double star suffix", u"**/*.lock"_s, u"a/b/lock"_s, false);
    row("question mark", u"v?"_s, u"v4"_s, true);
    row("question mark is one char", u"v?"_s, u"v10"_s, false);
    row("question mark not /", u"a?b"_s, u"a/b"_s, false);
    row("command with URL", u"git **"_s,
        u"git clone --depth 1 https://github.com/acme-web/cart-api.git cart-api"_s, true);
    row("command star stops at URL", u"git *"_s, u"git push -u origin copilot/x"_s, false);
    row("command star", u"git *"_s, u"git status"_s, true);
    row("host star", u"*.github.com"_s, u"api.github.com"_s, true);
    row("host star needs a label", u"*.github.com"_s, u"github.com"_s, false);
    row("escaped star", u"a\\*b"_s, u"a*b"_s, true);
    row("escaped star is literal", u"a\\*b"_s, u"axb"_s, false);
    row("template reference", u"ci-migrate@*"_s, u"ci-migrate@2"_s, true);
    row("bot principal", u"svc-*[bot]"_s, u"svc-migrations[bot]"_s, true);
    row("many stars", u"*a*a*a*a*a*a*b"_s, QString(40, u'a'), false);
    row("empty pattern", QString(), QString(), true);
    row("empty pattern, text", QString(), u"x"_s, false);
}

void TestPolicyFiles::globs()
{
    QFETCH(QString, pattern);
    QFETCH(QString, text);
    QFETCH(bool, matches);
    QCOMPARE(globMatch(pattern, text), matches);
    QCOMPARE(matchesAny({u"nothing-like-it"_s, pattern}, text), matches);
}

void TestPolicyFiles::globErrors()
{
    QVERIFY(!matchesAny({}, u"x"));
    QCOMPARE(globError(u"acme-*/*"), QString());
    QCOMPARE(globError(u"a\\*"), QString());
    QVERIFY(!globError(u"").isEmpty());
    QVERIFY(!globError(u"  ").isEmpty());
    QVERIFY(globError(u"a/***").contains(u"'***'"_s));
    QVERIFY(globError(u"a\\").contains(u"lone"_s));
    QVERIFY(globError(u"a\tb").contains(u"control"_s));
}

void TestPolicyFiles::exampleFilesParse_data()
{
    QTest::addColumn<QString>("path");
    QDirIterator it(source + u"/resources/policies"_s, {u"*.toml"_s}, QDir::Files,
                    QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    QCOMPARE(files.size(), 4);
    for (const QString &f : std::as_const(files))
        QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
}

void TestPolicyFiles::exampleFilesParse()
{
    QFETCH(QString, path);
    const QByteArray text = readFile(path);
    QList<PolicyFileError> errors;
    const auto kind = policyFileKind(path, text, &errors);
    QVERIFY(kind);
    if (*kind == PolicyDocument::Kind::Template) {
        const auto t = parseTemplate(path, text, &errors);
        QVERIFY2(t, qPrintable(errors.value(0).toString()));
        QVERIFY(path.contains(u"/templates/"_s));
        QVERIFY(!t->allowedCommands.isEmpty() && !t->allowedHosts.isEmpty());
        // Every template keeps the demo's release freezes.
        QCOMPARE(t->freezes.value(0).name, u"payments-release-42"_s);
        QCOMPARE(t->freezes.value(0).from, utc(2026, 11, 10));
        QCOMPARE(t->freezes.value(0).until, utc(2026, 12, 1));
        QCOMPARE(t->freezes.value(0).repositories, QStringList{u"acme-payments/*"_s});
    } else {
        const auto p = parsePolicy(path, text, &errors);
        QVERIFY2(p, qPrintable(errors.value(0).toString()));
        QVERIFY(path.contains(u"/policies/policies/"_s));
        QVERIFY(!p->grants.isEmpty());
        QVERIFY(p->grants.first().tokenKinds.contains(IdentityKind::GitHubAppUserToken));
    }
    QVERIFY(errors.isEmpty());
}

void TestPolicyFiles::documentationExamplesParse()
{
    const QString path = source + u"/docs/policy-files.md"_s;
    const QString doc = QString::fromUtf8(readFile(path));
    QRegularExpressionMatchIterator it =
        QRegularExpression(u"```toml\n(.*?)```"_s, QRegularExpression::DotMatchesEverythingOption)
            .globalMatch(doc);
    int blocks = 0;
    while (it.hasNext()) {
        const QByteArray text = it.next().captured(1).toUtf8();
        QList<PolicyFileError> errors;
        const auto kind = policyFileKind(path, text, &errors);
        QVERIFY(kind);
        const bool ok = *kind == PolicyDocument::Kind::Template
                            ? parseTemplate(path, text, &errors).has_value()
                            : parsePolicy(path, text, &errors).has_value();
        QVERIFY2(ok, qPrintable(errors.value(0).toString()));
        ++blocks;
    }
    QCOMPARE(blocks, 2);
}

QTEST_GUILESS_MAIN(TestPolicyFiles)
#include "tst_policyfiles.moc"
