// Template and policy files in the database: the store's policy_document methods, the loader,
// the demo's runs against the example files, and `tasktrail-cli policy` through the binary.
#include "clirun.h"
#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "policy/policyloader.h"
#include "store/recordstore.h"
#include "text/glob.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <sqlite3.h>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Tasktrail::CliRun;
using namespace Tasktrail;

namespace {

const QString examples = QStringLiteral(TASKTRAIL_SOURCE) + u"/resources/policies"_s;

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// Reads one text value with the plain C API, so the checks do not trust the code under test.
QString sqlText(const QString &db, const char *sql)
{
    sqlite3 *handle = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &handle, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    QString v = u"<error>"_s;
    if (sqlite3_prepare_v2(handle, sql, -1, &stmt, nullptr) == SQLITE_OK) {
        v.clear();
        if (sqlite3_step(stmt) == SQLITE_ROW)
            v = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return v;
}

PolicyDocument document(PolicyDocument::Kind kind, const QString &id, const QString &version,
                        const QString &text, const QDateTime &loadedAt)
{
    PolicyDocument d;
    d.kind = kind;
    d.id = id;
    d.version = version;
    d.name = u"Name of "_s + id;
    d.text = text;
    d.digest = QString::fromLatin1(
        QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
    d.sourcePath = u"/policies/"_s + id + u".toml"_s;
    d.loadedAt = loadedAt;
    return d;
}

const QDateTime t1 = QDateTime(QDate(2026, 11, 1), QTime(9, 0), QTimeZone::utc());
const QDateTime t2 = t1.addSecs(3600);

// How many runs of one template version keep to it and to their policy.
struct Conformance
{
    int runs = 0;
    int commands = 0;
    int files = 0;
    int hosts = 0;
    int limits = 0;
    int labels = 0;
    int outsideFreezes = 0;
    int grants = 0;
    int withPolicy = 0;

    QString describe() const
    {
        return u"%1 runs: commands %2, files %3, hosts %4, limits %5, labels %6, "
               "outside freezes %7, grants %8 of %9"_s.arg(runs)
                   .arg(commands)
                   .arg(files)
                   .arg(hosts)
                   .arg(limits)
                   .arg(labels)
                   .arg(outsideFreezes)
                   .arg(grants)
                   .arg(withPolicy);
    }
};

// A field a grant leaves empty does not restrict (docs/policy-files.md).
bool grantAllows(const PolicySpec &policy, const TaskChain &c)
{
    const QString ref = c.task.templateId + u'@' + c.task.templateVersion;
    const auto allows = [](const QStringList &patterns, const QString &value) {
        return patterns.isEmpty() || matchesAny(patterns, value);
    };
    for (const PolicyGrant &g : policy.grants) {
        const bool scopesOk = std::all_of(c.identity->scopes.cbegin(), c.identity->scopes.cend(),
                                          [&](const QString &s) { return allows(g.scopes, s); });
        if ((matchesAny(g.templates, ref) || matchesAny(g.templates, c.task.templateId)) &&
            (g.tokenKinds.isEmpty() || g.tokenKinds.contains(c.identity->kind)) &&
            allows(g.principals, c.identity->principal) && scopesOk && c.request &&
            allows(g.requesters, c.request->requester))
            return true;
    }
    return false;
}

void check(const TemplateSpec &t, const std::optional<PolicySpec> &policy, const TaskChain &c,
           Conformance &n)
{
    ++n.runs;
    n.commands += std::all_of(c.commands.cbegin(), c.commands.cend(), [&](const auto &cmd) {
        return matchesAny(t.allowedCommands, cmd.record.argv.join(u' '));
    });
    const QList<FileChange> &files = c.task.filesChanged;
    n.files += std::all_of(files.cbegin(), files.cend(), [&](const FileChange &f) {
        return matchesAny(t.allowedFiles, f.path) && !matchesAny(t.deniedFiles, f.path);
    });
    n.hosts +=
        std::all_of(c.task.contacts.cbegin(), c.task.contacts.cend(),
                    [&](const ExternalContact &h) { return matchesAny(t.allowedHosts, h.host); });
    int lines = 0;
    for (const FileChange &f : files)
        lines += f.additions + f.deletions;
    n.limits += c.task.retries.value_or(0) <= t.maxRetries && files.size() <= t.maxFilesChanged &&
                lines <= t.maxLinesChanged;
    const QStringList labels = c.pullRequest ? c.pullRequest->labels : t.labels;
    n.labels += std::all_of(t.labels.cbegin(), t.labels.cend(),
                            [&](const QString &l) { return labels.contains(l); });
    const QDateTime start = c.task.startedAt.isValid() ? c.task.startedAt : c.task.createdAt;
    n.outsideFreezes += std::none_of(t.freezes.cbegin(), t.freezes.cend(), [&](const auto &f) {
        return start >= f.from && start < f.until && matchesAny(f.repositories, c.task.repo);
    });
    if (policy && c.identity) {
        ++n.withPolicy;
        n.grants += grantAllows(*policy, c);
    }
}

} // namespace

class TestPolicyLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void storeRoundTrip();
    void releasedVersionNeverChanges();
    void namesTheVersionForRuns();
    void loaderReportsEachFile();
    void loaderRejectsAChangedVersion();
    void demoRunsConform();
    void cliLoadListShow();
    void secretsAreRedactedAndTheDigestStays();
    void cliRejects_data();
    void cliRejects();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_db;
    std::unique_ptr<RecordStore> m_store;
};

void TestPolicyLoad::init()
{
    m_store.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = m_dir->filePath(u"policies.db"_s);
    QString error;
    m_store = openStore(m_db, &error);
    QVERIFY2(m_store, qPrintable(error));
}

void TestPolicyLoad::storeRoundTrip()
{
    const PolicyDocument v3 = document(PolicyDocument::Kind::Template, u"deps-bump"_s, u"3"_s,
                                       u"[template]\nid = \"deps-bump\"\n"_s, t1);
    const PolicyDocument v4 = document(PolicyDocument::Kind::Template, u"deps-bump"_s, u"4"_s,
                                       u"[template]\n# v4\n"_s, t2);
    // The same id and version as a policy is another document.
    const PolicyDocument policy =
        document(PolicyDocument::Kind::Policy, u"deps-bump"_s, u"3"_s, u"[policy]\n"_s, t1);
    for (const PolicyDocument &d : {v3, v4, policy}) {
        bool changed = false;
        QVERIFY2(m_store->writePolicyDocument(d, &changed), qPrintable(m_store->errorString()));
        QVERIFY(changed);
    }
    const auto back =
        m_store->policyDocument(PolicyDocument::Kind::Template, u"deps-bump"_s, u"3"_s);
    QVERIFY(back);
    QCOMPARE(back->id, v3.id);
    QCOMPARE(back->version, v3.version);
    QCOMPARE(back->name, v3.name);
    QCOMPARE(back->digest, v3.digest);
    QCOMPARE(back->text, v3.text);
    QCOMPARE(back->sourcePath, v3.sourcePath);
    QCOMPARE(back->loadedAt, t1);
    QVERIFY(back->kind == PolicyDocument::Kind::Template);
    QVERIFY(!m_store->policyDocument(PolicyDocument::Kind::Template, u"deps-bump"_s, u"5"_s));

    const QList<PolicyDocument> templates =
        m_store->policyDocuments(PolicyDocument::Kind::Template);
    QCOMPARE(templates.size(), 2);
    QCOMPARE(templates[0].version, u"4"_s); // newest loaded first
    QCOMPARE(templates[1].version, u"3"_s);
    const QList<PolicyDocument> policies = m_store->policyDocuments(PolicyDocument::Kind::Policy);
    QCOMPARE(policies.size(), 1);
    QCOMPARE(policies[0].text, u"[policy]\n"_s);
}

void TestPolicyLoad::releasedVersionNeverChanges()
{
    const PolicyDocument original =
        document(PolicyDocument::Kind::Policy, u"deps-fanout"_s, u"5"_s, u"[policy]\n# v5\n"_s, t1);
    bool changed = false;
    QVERIFY(m_store->writePolicyDocument(original, &changed));

    PolicyDocument edited =
        document(PolicyDocument::Kind::Policy, u"deps-fanout"_s, u"5"_s, u"[policy]\n"_s, t2);
    QVERIFY(!m_store->writePolicyDocument(edited, &changed));
    QVERIFY(!changed);
    QVERIFY2(m_store->errorString().contains(u"A released version never changes"_s),
             qPrintable(m_store->errorString()));
    QVERIFY(m_store->errorString().contains(u"policy deps-fanout@5"_s));

    PolicyDocument again = original;
    again.loadedAt = t2;
    again.sourcePath = u"/elsewhere.toml"_s;
    QVERIFY(m_store->writePolicyDocument(again, &changed));
    QVERIFY(!changed);
    const auto stored =
        m_store->policyDocument(PolicyDocument::Kind::Policy, u"deps-fanout"_s, u"5"_s);
    QCOMPARE(stored->text, original.text);
    QCOMPARE(stored->loadedAt, t1); // a no-op: neither the time nor the path moved
    QCOMPARE(stored->sourcePath, original.sourcePath);
}

void TestPolicyLoad::namesTheVersionForRuns()
{
    // A run recorded the version first, with the verdict it got at launch.
    QVERIFY(m_store->writePolicy(
        PolicyRecord{u"deps-fanout"_s, u"5"_s, QString(), u"allowed"_s, QString()}));
    bool changed = false;
    const PolicyDocument p =
        document(PolicyDocument::Kind::Policy, u"deps-fanout"_s, u"5"_s, u"[policy]\n"_s, t1);
    const PolicyDocument t =
        document(PolicyDocument::Kind::Template, u"deps-bump"_s, u"3"_s, u"[template]\n"_s, t1);
    QVERIFY(m_store->writePolicyDocument(p, &changed));
    QVERIFY(m_store->writePolicyDocument(t, &changed));
    m_store.reset();
    QCOMPARE(sqlText(m_db, "SELECT name || '|' || digest || '|' || verdict FROM policy "
                           "WHERE id = 'deps-fanout' AND version = '5'"),
             p.name % u'|' % p.digest % u"|allowed"_s);
    QCOMPARE(sqlText(m_db, "SELECT name || '|' || digest FROM task_template "
                           "WHERE id = 'deps-bump' AND version = '3'"),
             t.name % u'|' % t.digest);
}

void TestPolicyLoad::loaderReportsEachFile()
{
    const QString dir = m_dir->filePath(u"in"_s);
    QVERIFY(writeFile(dir + u"/templates/deps-bump.toml"_s,
                      readFile(examples + u"/templates/deps-bump-3.toml"_s)));
    QVERIFY(writeFile(dir + u"/nested/deeper/deps-fanout.toml"_s,
                      readFile(examples + u"/policies/deps-fanout-5.toml"_s)));
    QVERIFY(writeFile(dir + u"/bad.toml"_s, "[template]\nid = 'x'\n[stop]\nmax_retries = -1\n"));
    QVERIFY(writeFile(dir + u"/broken.toml"_s, "[policy\n"));
    QVERIFY(writeFile(dir + u"/README.md"_s, "not a policy"));
    const QString missing = m_dir->filePath(u"missing.toml"_s);

    PolicyLoadResult r;
    QString error;
    QVERIFY2(loadPolicyFiles(*m_store, {dir, missing}, &r, &error), qPrintable(error));
    QCOMPARE(r.files, 5); // README.md is not a *.toml file
    QCOMPARE(r.loaded, 2);
    QCOMPARE(r.unchanged, 0);
    QCOMPARE(r.rejected, 3);
    QStringList errors;
    for (const PolicyFileError &e : std::as_const(r.errors))
        errors << e.toString();
    QCOMPARE(errors, (QStringList{
                         dir + u"/bad.toml:1: template.version: required, but missing"_s,
                         dir + u"/bad.toml:4: stop.max_retries: must be 0 or more, got -1"_s,
                         dir + u"/broken.toml:1: expected ']' to close the table header"_s,
                         missing + u": no such file"_s,
                     }));
    QCOMPARE(r.documents.size(), 2);
    const QByteArray bytes = readFile(examples + u"/templates/deps-bump-3.toml"_s);
    const auto stored =
        m_store->policyDocument(PolicyDocument::Kind::Template, u"deps-bump"_s, u"3"_s);
    QVERIFY(stored);
    QCOMPARE(stored->text.toUtf8(), bytes); // the exact text
    QCOMPARE(
        stored->digest,
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(stored->name, u"Dependency bump (npm)"_s);
    QCOMPARE(stored->sourcePath,
             QFileInfo(dir + u"/templates/deps-bump.toml"_s).absoluteFilePath());
    QVERIFY(!m_store->policyDocument(PolicyDocument::Kind::Template, u"x"_s, u"1"_s));

    QVERIFY(loadPolicyFiles(*m_store, {dir}, &r, &error));
    QCOMPARE(r.loaded, 0);
    QCOMPARE(r.unchanged, 2);
    QCOMPARE(m_store->policyDocuments(PolicyDocument::Kind::Template).size(), 1);
}

void TestPolicyLoad::loaderRejectsAChangedVersion()
{
    const QString dir = m_dir->filePath(u"in"_s);
    const QByteArray original = readFile(examples + u"/templates/ci-migrate-2.toml"_s);
    QVERIFY(writeFile(dir + u"/a/ci-migrate.toml"_s, original));
    QVERIFY(writeFile(dir + u"/b/ci-migrate.toml"_s, original + "# one more comment\n"));
    QVERIFY(writeFile(dir + u"/c/fanout-standard-3.toml"_s,
                      readFile(examples + u"/policies/fanout-standard-3.toml"_s)));
    PolicyLoadResult r;
    QString error;
    QVERIFY(loadPolicyFiles(*m_store, {dir}, &r, &error));
    QCOMPARE(r.loaded, 2);
    QCOMPARE(r.rejected, 1);
    QCOMPARE(r.errors.size(), 1);
    const PolicyFileError &e = r.errors.first();
    QCOMPARE(e.file, dir + u"/b/ci-migrate.toml"_s);
    QCOMPARE(e.field, u"template.version"_s);
    QCOMPARE(e.line, 7); // where the version is written
    QVERIFY2(e.message.contains(u"A released version never changes"_s), qPrintable(e.message));
    const auto stored =
        m_store->policyDocument(PolicyDocument::Kind::Template, u"ci-migrate"_s, u"2"_s);
    QCOMPARE(stored->text.toUtf8(), original);
    QVERIFY(m_store->policyDocument(PolicyDocument::Kind::Policy, u"fanout-standard"_s, u"3"_s));
}

void TestPolicyLoad::demoRunsConform()
{
    // The example files describe what the demo's runs do: nearly every run of deps-bump@3 and
    // ci-migrate@2 keeps to them; the exceptions are the demo's planted violations. The demo
    // ships the same files, so its ingest loaded them already (tst_demofindings checks the
    // rest with the conformance checker).
    const QString demo = m_dir->filePath(u"demo"_s);
    QString error;
    QVERIFY2(DemoGenerator().generate({demo, 1, 20261124}, &error), qPrintable(error));
    Ingestor ingestor(*m_store);
    QVERIFY2(ingestor.ingest({demo}), qPrintable(ingestor.errorString()));
    PolicyLoadResult loaded;
    QVERIFY(loadPolicyFiles(*m_store, {examples}, &loaded, &error));
    QCOMPARE(loaded.loaded, 0);
    QCOMPARE(loaded.unchanged, 16);

    QMap<QString, TemplateSpec> templates;
    QMap<QString, PolicySpec> policies;
    QList<PolicyFileError> errors;
    for (const PolicyDocument &d : m_store->policyDocuments(PolicyDocument::Kind::Template))
        templates.insert(d.id + u'@' + d.version,
                         *parseTemplate(d.sourcePath, d.text.toUtf8(), &errors));
    for (const PolicyDocument &d : m_store->policyDocuments(PolicyDocument::Kind::Policy))
        policies.insert(d.id + u'@' + d.version,
                        *parsePolicy(d.sourcePath, d.text.toUtf8(), &errors));
    QVERIFY(errors.isEmpty());

    QMap<QString, Conformance> results;
    const QList<TaskRow> rows = m_store->tasks(TaskFilter(), 0, 100000);
    for (const TaskRow &row : rows) {
        const auto chain = m_store->taskChain(row.id);
        QVERIFY(chain);
        const QString ref = chain->task.templateId + u'@' + chain->task.templateVersion;
        if (!templates.contains(ref) || chain->commands.isEmpty())
            continue;
        const QString policyRef = chain->task.policyId + u'@' + chain->task.policyVersion;
        check(templates[ref],
              policies.contains(policyRef) ? std::optional(policies[policyRef]) : std::nullopt,
              *chain, results[ref]);
    }
    for (auto it = results.cbegin(); it != results.cend(); ++it)
        qInfo("%s: %s", qPrintable(it.key()), qPrintable(it.value().describe()));
    const Conformance deps = results.value(u"deps-bump@3"_s);
    const Conformance ci = results.value(u"ci-migrate@2"_s);
    QVERIFY(deps.runs >= 50 && deps.withPolicy >= 20);
    QVERIFY(ci.runs >= 10 && ci.withPolicy >= 5);
    for (const Conformance &n : {deps, ci}) {
        const auto mostly = [&](int count, int of) { return count >= of * 9 / 10; };
        QVERIFY2(mostly(n.commands, n.runs) && mostly(n.files, n.runs) && mostly(n.hosts, n.runs) &&
                     mostly(n.limits, n.runs) && mostly(n.labels, n.runs) &&
                     mostly(n.outsideFreezes, n.runs) && mostly(n.grants, n.withPolicy),
                 qPrintable(n.describe()));
    }
}

void TestPolicyLoad::cliLoadListShow()
{
    m_store.reset();
    const QStringList db{u"--db"_s, m_db};
    Run load = cli(QStringList{u"policy"_s, u"load"_s, examples} + db);
    QCOMPARE(load.exitCode, 0);
    // Then the runs launched under the loaded versions are checked (none in this database).
    QCOMPARE(load.out, u"16 loaded, 0 unchanged, 0 rejected (16 files, 0 secrets redacted)\n"
                       u"checked 0 tasks: 0 findings\n"_s);
    QVERIFY(load.err.isEmpty());
    load = cli(QStringList{u"policy"_s, u"load"_s, examples} + db);
    QCOMPARE(load.out, u"0 loaded, 16 unchanged, 0 rejected (16 files, 0 secrets redacted)\n"
                       u"checked 0 tasks: 0 findings\n"_s);

    const Run list = cli(QStringList{u"policy"_s, u"list"_s} + db);
    QCOMPARE(list.exitCode, 0);
    const QStringList lines = list.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 17);
    QVERIFY(lines[0].startsWith(u"KIND"_s));
    const QByteArray bytes = readFile(examples + u"/templates/deps-bump-3.toml"_s);
    const QString digest =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    QVERIFY2(list.out.contains(
                 QRegularExpression(u"template +deps-bump +3 +Dependency bump \\(npm\\) +"_s +
                                    digest.left(12) + u" +\\d{4}-\\d\\d-\\d\\d "_s)),
             qPrintable(list.out));

    const Run json = cli(
        QStringList{u"policy"_s, u"list"_s, u"--kind"_s, u"policy"_s, u"--format"_s, u"json"_s} +
        db);
    QCOMPARE(json.exitCode, 0);
    const QJsonArray array = QJsonDocument::fromJson(json.out.toUtf8()).array();
    QCOMPARE(array.size(), 7);
    QStringList ids;
    for (const QJsonValue &v : array) {
        QCOMPARE(v[u"kind"].toString(), u"policy"_s);
        QCOMPARE(v[u"digest"].toString().size(), 64);
        QVERIFY(!v[u"loaded_at"].toString().isEmpty());
        QVERIFY(!v.toObject().contains(u"text"));
        ids << v[u"id"].toString() + u'@' + v[u"version"].toString();
    }
    ids.sort();
    QCOMPARE(ids, (QStringList{u"deps-fanout@4"_s, u"deps-fanout@5"_s, u"fanout-standard@2"_s,
                               u"fanout-standard@3"_s, u"local-dev@1"_s, u"portal-single@2"_s,
                               u"release-bot@1"_s}));

    Run show = cli(QStringList{u"policy"_s, u"show"_s, u"template"_s, u"deps-bump"_s} + db);
    QCOMPARE(show.exitCode, 0);
    QCOMPARE(show.out.toUtf8(), bytes); // exactly the text that was loaded
    QVERIFY(show.err.isEmpty());        // no secret in it: no note
    show = cli(QStringList{u"policy"_s, u"show"_s, u"policy"_s, u"deps-fanout"_s, u"5"_s} + db);
    QCOMPARE(show.out.toUtf8(), readFile(examples + u"/policies/deps-fanout-5.toml"_s));
    show = cli(QStringList{u"policy"_s, u"show"_s, u"policy"_s, u"deps-fanout"_s, u"5"_s,
                           u"--format"_s, u"json"_s} +
               db);
    QCOMPARE(QJsonDocument::fromJson(show.out.toUtf8())[u"text"].toString().toUtf8(),
             readFile(examples + u"/policies/deps-fanout-5.toml"_s));
    QCOMPARE(QJsonDocument::fromJson(show.out.toUtf8())[u"text_redacted"].toBool(true), false);

    // A newer version: show without a version picks the highest, not the last loaded.
    const QString v10 = m_dir->filePath(u"deps-bump-10.toml"_s);
    QVERIFY(writeFile(v10, QByteArray(bytes).replace("version = \"3\"", "version = \"10\"")));
    const QString v9 = m_dir->filePath(u"deps-bump-9.toml"_s);
    QVERIFY(writeFile(v9, QByteArray(bytes).replace("version = \"3\"", "version = \"9\"")));
    QCOMPARE(cli(QStringList{u"policy"_s, u"load"_s, v10} + db).exitCode, 0);
    QCOMPARE(cli(QStringList{u"policy"_s, u"load"_s, v9} + db).exitCode, 0);
    show = cli(QStringList{u"policy"_s, u"show"_s, u"template"_s, u"deps-bump"_s} + db);
    QVERIFY(show.out.contains(u"version = \"10\""_s));
}

// A file with secrets is stored redacted, still parses, and keeps the digest of the file as
// read; show says so.
void TestPolicyLoad::secretsAreRedactedAndTheDigestStays()
{
    m_store.reset();
    const QStringList db{u"--db"_s, m_db};
    const QByteArray token = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
    const QByteArray bytes = "# deploy key: " + token +
                             "\n[template]\nid = \"secret-bump\"\nversion = \"1\"\n"
                             "prompt = \"Call with Authorization: Bearer abc123 and then test\"\n"
                             "[commands]\nallow = [\"git push https://x-access-token:" +
                             token + "@github.com/acme/web\"]\n";
    const QString file = m_dir->filePath(u"secret-bump-1.toml"_s);
    QVERIFY(writeFile(file, bytes));
    const Run load = cli(QStringList{u"policy"_s, u"load"_s, file} + db);
    QCOMPARE(load.exitCode, 0);
    QVERIFY2(load.out.startsWith(u"1 loaded, 0 unchanged, 0 rejected (1 files, 3 secrets "
                                 "redacted)\n"_s),
             qPrintable(load.out));
    // The same file again: the same digest, nothing to change.
    QVERIFY(cli(QStringList{u"policy"_s, u"load"_s, file} + db)
                .out.startsWith(u"0 loaded, 1 unchanged"_s));

    const QByteArray expected =
        "# deploy key: [REDACTED:github-token]\n[template]\nid = \"secret-bump\"\n"
        "version = \"1\"\nprompt = \"Call with Authorization: [REDACTED:authorization]\"\n"
        "[commands]\nallow = [\"git push https://x-access-token:[REDACTED:github-token]"
        "@github.com/acme/web\"]\n";
    const QString digest =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    const Run show = cli(QStringList{u"policy"_s, u"show"_s, u"template"_s, u"secret-bump"_s} + db);
    QCOMPARE(show.exitCode, 0);
    QCOMPARE(show.out.toUtf8(), expected);
    QVERIFY2(show.err.contains(u"redacted when it was loaded; its digest "_s + digest +
                               u" is that of the original file"_s),
             qPrintable(show.err));
    const Run json = cli(QStringList{u"policy"_s, u"show"_s, u"--format"_s, u"json"_s,
                                     u"template"_s, u"secret-bump"_s} +
                         db);
    const QJsonDocument doc = QJsonDocument::fromJson(json.out.toUtf8());
    QCOMPARE(doc[u"digest"].toString(), digest);
    QCOMPARE(doc[u"text_redacted"].toBool(), true);

    // Runs are checked against the stored text: it still parses.
    QList<PolicyFileError> errors;
    const auto spec = parseTemplate(file, expected, &errors);
    QVERIFY2(spec, errors.isEmpty() ? "" : qPrintable(errors.first().toString()));
    QCOMPARE(spec->prompt, u"Call with Authorization: [REDACTED:authorization]"_s);
    QVERIFY(!readFile(m_db).contains(token) && !readFile(m_db + u"-wal"_s).contains(token));
}

void TestPolicyLoad::cliRejects_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrText");
    const auto row = [](const char *name, QStringList args, int code, QString err) {
        QTest::newRow(name) << args << code << err;
    };
    row("invalid file", {u"load"_s, u"BAD"_s}, 1,
        u"BAD:5: stop.max_retries: expected an integer, got a string\n"_s);
    row("missing file", {u"load"_s, u"/nonexistent/x.toml"_s}, 1,
        u"/nonexistent/x.toml: no such file\n"_s);
    row("no verb", {}, 2, u"Usage: tasktrail-cli policy"_s);
    row("unknown verb", {u"frob"_s}, 2, u"unknown policy verb 'frob'"_s);
    row("load without paths", {u"load"_s}, 2, u"wrong number of arguments"_s);
    row("bad kind", {u"list"_s, u"--kind"_s, u"rule"_s}, 2, u"--kind must be template or policy"_s);
    row("show bad kind", {u"show"_s, u"rules"_s, u"x"_s}, 2, u"KIND must be template or policy"_s);
    row("show unknown", {u"show"_s, u"template"_s, u"nope"_s}, 2, u"no template 'nope'"_s);
    row("show unknown version", {u"show"_s, u"policy"_s, u"deps-fanout"_s, u"6"_s}, 2,
        u"no policy 'deps-fanout' version 6"_s);
}

void TestPolicyLoad::cliRejects()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrText);
    m_store.reset();
    const QString bad = m_dir->filePath(u"bad.toml"_s);
    QVERIFY(writeFile(bad, "[template]\nid = 'x'\nversion = 1\n[stop]\nmax_retries = 'two'\n"));
    args.replaceInStrings(u"BAD"_s, bad);
    stderrText.replace(u"BAD"_s, bad);
    const Run run = cli(QStringList{u"policy"_s} + args + QStringList{u"--db"_s, m_db});
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(stderrText), qPrintable(run.err));
    if (exitCode == 1)
        QCOMPARE(run.out, u"0 loaded, 0 unchanged, 1 rejected (1 files, 0 secrets redacted)\n"_s);
}

QTEST_GUILESS_MAIN(TestPolicyLoad)
#include "tst_policyload.moc"
