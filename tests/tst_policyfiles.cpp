// Template and policy files: validation with file, line and field, the mapping to TemplateSpec
// and PolicySpec, and the example files. The TOML reader and globs have their own tests.
#include "policy/policyfile.h"

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

QDateTime utc(int y, int mo, int d)
{
    return QDateTime(QDate(y, mo, d), QTime(0, 0), QTimeZone::utc());
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
    void validationErrors_data();
    void validationErrors();
    void reportsEveryError();
    void mapsEveryField();
    void fileKind();
    void durations_data();
    void durations();
    void versionsOrder();
    void exampleFilesParse_data();
    void exampleFilesParse();
    void documentationExamplesParse();
};

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

void TestPolicyFiles::exampleFilesParse_data()
{
    QTest::addColumn<QString>("path");
    QDirIterator it(source + u"/resources/policies"_s, {u"*.toml"_s}, QDir::Files,
                    QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    // Every template and policy version the demo's runs name (core/demo/demoworld.cpp).
    QCOMPARE(files.size(), 16);
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
    QString id;
    QString version;
    if (*kind == PolicyDocument::Kind::Template) {
        const auto t = parseTemplate(path, text, &errors);
        QVERIFY2(t, qPrintable(errors.value(0).toString()));
        QVERIFY(path.contains(u"/policies/templates/"_s));
        QVERIFY(!t->allowedCommands.isEmpty() && !t->allowedHosts.isEmpty());
        QVERIFY(!t->labels.isEmpty());
        QVERIFY(t->maxRuntimeMs > 0 && t->maxFilesChanged > 0 && t->maxLinesChanged > 0);
        // Freezes name the repositories of the demo's release calendar (tst_demofindings
        // checks them against the demo); payments-release-42 is the showcase's.
        for (const FreezeWindow &f : t->freezes) {
            QVERIFY2(!f.repositories.isEmpty(), qPrintable(f.name));
            if (f.name == u"payments-release-42"_s) {
                QCOMPARE(f.from, utc(2026, 11, 10));
                QCOMPARE(f.until, utc(2026, 12, 1));
                QVERIFY(f.repositories.contains(u"acme-payments/shipping-lib"_s));
            }
        }
        id = t->id;
        version = t->version;
    } else {
        const auto p = parsePolicy(path, text, &errors);
        QVERIFY2(p, qPrintable(errors.value(0).toString()));
        QVERIFY(path.contains(u"/policies/policies/"_s));
        QVERIFY(!p->grants.isEmpty());
        for (const PolicyGrant &g : p->grants)
            QVERIFY(!g.templates.isEmpty() && !g.tokenKinds.isEmpty());
        id = p->id;
        version = p->version;
    }
    QVERIFY(errors.isEmpty());
    // The file name says what it holds.
    QCOMPARE(QFileInfo(path).fileName(), id + u'-' + version + u".toml"_s);
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
