// Every kind of secret planted in every field of every input: Tasktrail's records, GitHub's
// task, pull request, review and check run JSON, the audit log, command logs with colours,
// template and policy files, the launch command's fields, and what the store is given by the
// backends (API answers, local-runner output, file names). Then the database file with its
// write-ahead log and every output are searched for the planted secrets: none may appear.
#include "clirun.h"
#include "launchfixture.h"
#include "secretcorpusinputs.h"
#include "sqlscalar.h"

#include "store/recordstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace Tasktrail::CliRun;
using SecretCorpus::Corpus;

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

using Tasktrail::SqlScalar::column;

} // namespace

class TestSecretCorpus final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyKindReachedTheStoreRedacted();
    void databaseFilesHoldNoSecret();
    void outputsHoldNoSecret();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    void writePolicyFiles(const QString &dir);
    void launchWithSecrets();
    void writeThroughTheStore();
    void keep(const QString &what, const Run &run);

    QTemporaryDir m_dir;
    QString m_db;
    Corpus m_corpus;
    QList<std::pair<QString, QByteArray>> m_outputs;
};

// One template and one policy per kind, the secret in a comment and in every text field.
void TestSecretCorpus::writePolicyFiles(const QString &dir)
{
    QDir().mkpath(dir);
    for (const QString &kind : SecretCorpus::kinds()) {
        const auto s = [&](const QString &field) {
            return m_corpus.plant(kind, u"template file "_s + field, false);
        };
        const QString text =
            u"# "_s + s(u"comment"_s) +
            u"\n[template]\nid = \"tpl-%1\"\nversion = \"1\"\nname = \"%2\"\n"
            "description = \"\"\"\n%3\n%4\"\"\"\nprompt = \"Do it. %5\"\n"
            "[commands]\nallow = [\"npm ci\", \"%6\"]\n"_s.arg(
                kind, s(u"name"_s), m_corpus.plant(kind, u"template file description"_s),
                s(u"description line 2"_s), s(u"prompt"_s), s(u"commands.allow"_s));
        QVERIFY(writeFile(dir + u"/tpl-"_s + kind + u".toml"_s, text.toUtf8()));
        const auto p = [&](const QString &field) {
            return m_corpus.plant(kind, u"policy file "_s + field, false);
        };
        const QString policy = u"[policy]\nid = \"pol-%1\"\nversion = \"1\"\nname = \"%2\" # %3\n"
                               "description = \"%4\"\n[[grant]]\ntemplates = [\"tpl-%1\"]\n"
                               "requesters = [\"release-*\"]\n"_s.arg(
                                   kind, p(u"name"_s), p(u"comment"_s), p(u"description"_s));
        QVERIFY(writeFile(dir + u"/pol-"_s + kind + u".toml"_s, policy.toUtf8()));
    }
    // A secret in the id itself.
    const QString id = m_corpus.plant(u"github-token"_s, u"template file id"_s);
    QVERIFY(writeFile(dir + u"/tpl-id.toml"_s,
                      (u"[template]\nid = \"tpl-"_s + id + u"\"\nversion = \"1\"\n"_s).toUtf8()));
}

void TestSecretCorpus::keep(const QString &what, const Run &run)
{
    m_outputs.append({what, run.out.toUtf8() + '\n' + run.err.toUtf8()});
}

// The launch command's fields: title, trigger, idempotency key, requester, parameters.
void TestSecretCorpus::launchWithSecrets()
{
    {
        QString error;
        auto store = openStore(m_db, &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(LaunchFixture::loadTemplate(*store, {}));
        QVERIFY(LaunchFixture::loadDocument(*store, PolicyDocument::Kind::Policy, u"deps-fanout"_s,
                                            u"5"_s,
                                            QString::fromUtf8(LaunchFixture::policyText())));
        QVERIFY(LaunchFixture::loadCatalogue(*store));
    }
    for (const QString &kind : SecretCorpus::kinds()) {
        const auto s = [&](const QString &field) {
            return m_corpus.plant(kind, u"launch --"_s + field, false);
        };
        const Run run = cli({u"launch"_s,
                             u"--db"_s,
                             m_db,
                             u"--template"_s,
                             u"deps-bump@3"_s,
                             u"--policy"_s,
                             u"deps-fanout@5"_s,
                             u"--repos"_s,
                             u"acme-web/cart"_s,
                             u"--param"_s,
                             u"package="_s + s(u"param package"_s),
                             u"--param"_s,
                             u"version="_s + s(u"param version"_s),
                             u"--requester"_s,
                             u"release-"_s + s(u"requester"_s),
                             u"--identity"_s,
                             u"svc-deps"_s,
                             u"--identity-kind"_s,
                             u"github_app_user_token"_s,
                             u"--title"_s,
                             s(u"title"_s),
                             u"--trigger"_s,
                             s(u"trigger"_s),
                             u"--idempotency-key"_s,
                             s(u"idempotency-key"_s),
                             u"--yes"_s});
        keep(u"launch with "_s + kind, run);
        QVERIFY2(run.exitCode != -1, qPrintable(run.err));
    }
}

// What the backends hand the store: a session's error from the Copilot API, a queue entry's
// failure, a launch event, a repository from the catalogue, a finding, an ingested file.
void TestSecretCorpus::writeThroughTheStore()
{
    QString error;
    auto store = openStore(m_db, &error);
    QVERIFY2(store, qPrintable(error));
    const auto s = [&](const QString &where) { return m_corpus.plantAll(u"store "_s + where); };
    QVERIFY(store->beginBatch());
    TaskRecord task;
    task.id = u"T-api"_s;
    task.repo = u"acme/web"_s;
    SessionRecord session;
    session.id = u"S-api"_s;
    session.error = s(u"session error.message"_s);
    session.model = s(u"session model"_s);
    task.sessions << session;
    CommandRecord command;
    command.seq = 1;
    command.argv = {u"curl"_s, s(u"argv"_s)};
    command.cwd = s(u"cwd"_s);
    task.commands << command;
    QVERIFY(store->writeTask(task));
    const auto key = store->commandKey(u"T-api"_s, 1);
    QVERIFY(key);
    qint64 lineNo = 0;
    for (const QString &line : s(u"local runner output"_s).split(u'\n')) {
        LogLine l;
        l.lineNo = ++lineNo;
        l.text = line.toUtf8();
        bool inserted = false;
        QVERIFY(store->appendLogLine(*key, l, &inserted));
    }
    QueueEntry entry;
    entry.taskId = u"T-api"_s;
    entry.lastFailure = s(u"queue last_failure"_s);
    entry.remoteId = s(u"queue remote_id"_s);
    entry.spec = QJsonObject{{u"prompt"_s, s(u"queue spec prompt"_s)},
                             {u"headers"_s, QJsonObject{{u"Authorization"_s, u"token x"_s}}}};
    QVERIFY(store->writeQueueEntry(entry));
    QVERIFY(store->appendLaunchEvent({0, u"T-api"_s, {}, {}, u"failed"_s, s(u"event reason"_s)}));
    KnownRepository repo = LaunchFixture::repo(u"acme-web/api"_s);
    repo.localPath = s(u"repository local_path"_s);
    repo.topics = {s(u"repository topic"_s)};
    QVERIFY(store->writeRepository(repo));
    Finding finding;
    finding.taskId = u"T-api"_s;
    finding.rule = u"command_not_allowed"_s;
    finding.message = s(u"finding message"_s);
    QVERIFY(store->replaceFindings(u"T-api"_s, {finding}));
    QVERIFY(store->commitBatch());
}

void TestSecretCorpus::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = path(u"corpus.db"_s);
    const QString in = path(u"in"_s);
    QDir().mkpath(in);
    QVERIFY(SecretCorpus::Inputs(m_corpus).write(in));
    // A file's name is text that is stored and printed too.
    QVERIFY(
        writeFile(in + u"/run-"_s + m_corpus.plant(u"github-token"_s, u"a file name"_s) + u".log"_s,
                  "##[tasktrail] task=T-named command=1\nok\n"));
    writePolicyFiles(path(u"policies"_s));

    const Run ingest = cli({u"ingest"_s, u"--db"_s, m_db, in});
    keep(u"ingest"_s, ingest);
    QVERIFY2(ingest.exitCode == 0 || ingest.exitCode == 1, qPrintable(ingest.err));
    const Run load = cli({u"policy"_s, u"load"_s, u"--db"_s, m_db, path(u"policies"_s)});
    keep(u"policy load"_s, load);
    QVERIFY2(load.out.contains(u"31 loaded"_s), qPrintable(load.out + load.err));
    launchWithSecrets();
    writeThroughTheStore();
    qInfo("%lld secrets planted", qlonglong(m_corpus.planted()));
}

void TestSecretCorpus::everyKindReachedTheStoreRedacted()
{
    // The test plants enough to mean something: the records were stored, each kind redacted.
    QVERIFY(column(m_db, "SELECT id FROM task").size() > 50);
    const QByteArray db = readFile(m_db) + readFile(m_db + u"-wal"_s);
    for (const QString &kind : SecretCorpus::kinds())
        QVERIFY2(db.contains((u"[REDACTED:"_s + kind + u']').toUtf8()), qPrintable(kind));
}

void TestSecretCorpus::databaseFilesHoldNoSecret()
{
    QStringList leaks;
    for (const char *suffix : {"", "-wal", "-shm"}) {
        const QByteArray bytes = readFile(m_db + QLatin1StringView(suffix));
        leaks += m_corpus.leaks(bytes, u"corpus.db"_s + QLatin1StringView(suffix));
        // The identity records' own raw token: hashed, then dropped.
        QVERIFY(!bytes.contains("RawTokenOfTheIdentity"));
    }
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
}

void TestSecretCorpus::outputsHoldNoSecret()
{
    const auto run = [&](const QString &what, const QStringList &args) {
        keep(what, cli(args + QStringList{u"--db"_s, m_db}));
    };
    for (const QString &task : column(m_db, "SELECT id FROM task")) {
        run(u"show "_s + task, {u"show"_s, task});
        run(u"show --format json "_s + task, {u"show"_s, u"--format"_s, u"json"_s, task});
        run(u"attest "_s + task, {u"attest"_s, task});
    }
    for (const QString &format : {u"csv"_s, u"md"_s, u"json"_s, u"html"_s}) {
        const QString out = path(u"report."_s + format);
        run(u"report "_s + format, {u"report"_s, u"--quiet"_s, u"-f"_s, format, u"-o"_s, out});
        const QStringList files = format == u"csv"
                                      ? QDir(m_dir.path()).entryList({u"report*.csv"_s})
                                      : QStringList{u"report."_s + format};
        QVERIFY(!files.isEmpty());
        for (const QString &file : files)
            m_outputs.append({u"report file "_s + file, readFile(path(file))});
    }
    for (const QString &words :
         {u"redacted"_s, u"authorization"_s, u"bearer"_s, u"ghp"_s, u"lodash"_s, u"QZ000100"_s}) {
        run(u"search "_s + words, {u"search"_s, u"--limit"_s, u"1000"_s, words});
        run(u"search --format json "_s + words,
            {u"search"_s, u"--format"_s, u"json"_s, u"--limit"_s, u"1000"_s, words});
    }
    run(u"findings"_s, {u"findings"_s});
    run(u"findings --format json"_s, {u"findings"_s, u"--format"_s, u"json"_s});
    run(u"campaign"_s, {u"campaign"_s});
    for (const QString &campaign : column(m_db, "SELECT id FROM campaign"))
        run(u"campaign "_s + campaign, {u"campaign"_s, u"--format"_s, u"json"_s, campaign});
    run(u"policy list"_s, {u"policy"_s, u"list"_s});
    const QStringList docs = column(m_db, "SELECT kind || ' ' || id || ' ' || version "
                                          "FROM policy_document");
    for (const QString &doc : docs) {
        const QStringList kindIdVersion = doc.split(u' ');
        run(u"policy show "_s + doc, QStringList{u"policy"_s, u"show"_s} + kindIdVersion);
        run(u"policy show --format json "_s + doc,
            QStringList{u"policy"_s, u"show"_s, u"--format"_s, u"json"_s} + kindIdVersion);
    }
    run(u"stats"_s, {u"stats"_s});
    run(u"verify"_s, {u"verify"_s});
    run(u"queue list"_s, {u"queue"_s, u"list"_s});
    run(u"repos"_s, {u"repos"_s, u"list"_s});

    QStringList leaks;
    for (const auto &[what, bytes] : std::as_const(m_outputs))
        leaks += m_corpus.leaks(bytes, what);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.mid(0, 40).join(u'\n')));
    // And the outputs did show records: a redacted secret is there to see.
    QVERIFY(std::any_of(m_outputs.cbegin(), m_outputs.cend(), [](const auto &o) {
        return o.first.startsWith(u"show T-"_s) && o.second.contains("[REDACTED:");
    }));
}

QTEST_GUILESS_MAIN(TestSecretCorpus)
#include "tst_secretcorpus.moc"
