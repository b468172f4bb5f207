// `tasktrail-cli attest`: the in-toto Statement of a task, built from an ingested database,
// on both backends.
#include "backends.h"
#include "demo/demogenerator.h"
#include "evidencefixture.h"
#include "query/attestation.h"
#include "store/recordstore.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace EvidenceFixture;

namespace {

// GitHub tokens and AWS access keys as the demo writes them into its logs.
const QRegularExpression
    tokenPattern(u"gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{20,}|AKIA[A-Z0-9]{16}"_s);

QJsonObject at(const QJsonObject &o, const QString &path)
{
    QJsonObject cur = o;
    for (const QString &key : path.split(u'.'))
        cur = cur.value(key).toObject();
    return cur;
}

} // namespace

class TestAttestation final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void statementHasTheInTotoShape_data() { Backends::addBackendRows(); }
    void statementHasTheInTotoShape();
    void byproductDigestsAreTheLogLines_data() { Backends::addBackendRows(); }
    void byproductDigestsAreTheLogLines();
    void taskWithoutPullRequestIsItsOwnSubject_data() { Backends::addBackendRows(); }
    void taskWithoutPullRequestIsItsOwnSubject();
    void noSecretInAttestationOrDatabase_data() { Backends::addBackendRows(); }
    void noSecretInAttestationOrDatabase();
    void demoTokensReachNeitherDatabaseNorAttestation_data() { Backends::addBackendRows(); }
    void demoTokensReachNeitherDatabaseNorAttestation();
    void editedTaskIsFlagged_data() { Backends::addBackendRows(); }
    void editedTaskIsFlagged();
    void cliWritesTheStatement_data() { Backends::addBackendRows(); }
    void cliWritesTheStatement();

private:
    QJsonObject statementOf(const QString &location, const QString &taskId);
    // The scene of the current row's backend.
    const EvidenceFixture::Scene &scene();
    // The SHA-256 of a command's text lines as stored, read without Tasktrail's code.
    QByteArray storedLogDigest(const QString &location, const QString &taskId, int seq);

    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QMap<QString, EvidenceFixture::Scene> m_scenes;
};

void TestAttestation::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
        const QString clean = m_db.fresh(backend);
        const QString demo = m_db.fresh(backend);
        QVERIFY2(m_scenes[backend].prepare(m_dir.filePath(backend), clean, demo, &error),
                 qPrintable(error));
    }
}

const EvidenceFixture::Scene &TestAttestation::scene()
{
    QFETCH(QString, backend);
    return m_scenes[backend];
}

QByteArray TestAttestation::storedLogDigest(const QString &location, const QString &taskId, int seq)
{
    if (location.startsWith(u"postgresql://"_s)) {
        // The lines joined as sha256Hex() joins them, hashed by the server. The task ids are
        // the fixture's own.
        QString error;
        const QString digest = m_db.sql(
            location,
            u"SELECT encode(sha256(convert_to(string_agg(l.text, E'\\n' ORDER BY l.id), "
            "'UTF8')), 'hex') FROM log_line l JOIN command c ON l.id >= (c.key << 32) AND "
            "l.id < ((c.key + 1) << 32) WHERE c.task_id = '%1' AND c.seq = %2"_s.arg(taskId)
                .arg(seq),
            &error);
        if (!error.isEmpty())
            qFatal("%s", qPrintable(error));
        return digest.toLatin1();
    }
    sqlite3 *db = nullptr;
    sqlite3_open_v2(location.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *q = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT l.text FROM log_line l JOIN command c ON l.id >= (c.key << 32) "
                       "AND l.id < ((c.key + 1) << 32) WHERE c.task_id = ? AND c.seq = ? "
                       "ORDER BY l.id",
                       -1, &q, nullptr);
    const QByteArray id = taskId.toUtf8();
    sqlite3_bind_text(q, 1, id.constData(), int(id.size()), SQLITE_STATIC);
    sqlite3_bind_int(q, 2, seq);
    QByteArrayList lines;
    while (sqlite3_step(q) == SQLITE_ROW)
        lines << QByteArray(reinterpret_cast<const char *>(sqlite3_column_text(q, 0)),
                            sqlite3_column_bytes(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return sha256Hex(lines);
}

QJsonObject TestAttestation::statementOf(const QString &location, const QString &taskId)
{
    QString error;
    auto store = openStore(location, &error);
    if (!store)
        qFatal("%s", qPrintable(error));
    const auto inputs = Attestation::collect(*store, taskId, &error);
    if (!inputs)
        qFatal("%s", qPrintable(error));
    return Attestation::statement(*inputs);
}

void TestAttestation::statementHasTheInTotoShape()
{
    const QJsonObject s = statementOf(scene().clean, u"T-1"_s);
    QCOMPARE(s.value(u"_type"_s).toString(), u"https://in-toto.io/Statement/v1"_s);
    QCOMPARE(s.value(u"predicateType"_s).toString(), u"https://slsa.dev/provenance/v1"_s);
    const QJsonArray subject = s.value(u"subject"_s).toArray();
    QCOMPARE(subject.size(), 1);
    QCOMPARE(subject.at(0).toObject().value(u"name"_s).toString(),
             u"git+https://github.com/acme/web@4b1d0c9"_s);
    QCOMPARE(at(subject.at(0).toObject(), u"digest"_s),
             QJsonObject({{u"gitCommit"_s, u"4b1d0c9"_s}}));

    const QJsonObject build = at(s, u"predicate.buildDefinition"_s);
    QCOMPARE(build.value(u"buildType"_s).toString(), u"urn:tasktrail:agent-task:v1"_s);
    QCOMPARE(at(build, u"externalParameters.request"_s),
             QJsonObject({{u"id"_s, u"R-100"_s},
                          {u"requester"_s, u"maria"_s},
                          {u"trigger_system"_s, u"dev-portal"_s},
                          {u"text"_s, u"Upgrade lodash to 4.17.21 in every web repository"_s}}));
    QCOMPARE(at(build, u"externalParameters.template"_s),
             QJsonObject({{u"id"_s, u"TPL-upgrade"_s},
                          {u"version"_s, u"2"_s},
                          {u"digest"_s, u"sha256:77aa03"_s}}));
    QCOMPARE(at(build, u"internalParameters.policy"_s),
             QJsonObject({{u"id"_s, u"P-deps"_s},
                          {u"version"_s, u"3"_s},
                          {u"digest"_s, u"sha256:9f2c41"_s},
                          {u"verdict"_s, u"allowed"_s}}));
    QCOMPARE(at(build, u"internalParameters"_s).value(u"repository"_s).toString(), u"acme/web"_s);
    QCOMPARE(at(build, u"internalParameters"_s).value(u"base_ref"_s).toString(), u"main"_s);
    QCOMPARE(build.value(u"resolvedDependencies"_s).toArray(),
             QJsonArray({QJsonObject{{u"uri"_s, u"git+https://github.com/acme/web@main"_s}}}));

    const QJsonObject run = at(s, u"predicate.runDetails"_s);
    QCOMPARE(at(run, u"builder"_s).value(u"id"_s).toString(), u"urn:tasktrail:identity:deps-bot"_s);
    QCOMPARE(at(run, u"builder.version"_s),
             QJsonObject({{u"token_kind"_s, u"fine_grained_pat"_s},
                          {u"on_behalf_of"_s, u"maria"_s},
                          {u"scopes"_s, u"contents:write,pull_requests:write"_s}}));
    QCOMPARE(at(run, u"metadata"_s), QJsonObject({{u"invocationId"_s, u"T-1"_s},
                                                  {u"startedOn"_s, u"2026-03-01T12:00:00Z"_s},
                                                  {u"finishedOn"_s, u"2026-03-01T12:09:30Z"_s}}));

    const QJsonArray byproducts = run.value(u"byproducts"_s).toArray();
    QCOMPARE(byproducts.size(), 3); // two commands and the evidence chain head
    QCOMPARE(byproducts.at(0).toObject().value(u"name"_s).toString(), u"command 1: npm ci"_s);
    QCOMPARE(at(byproducts.at(0).toObject(), u"annotations"_s).value(u"exit_code"_s).toInt(-1), 0);
    QCOMPARE(byproducts.at(1).toObject().value(u"name"_s).toString(), u"command 2: npm test"_s);
    QCOMPARE(at(byproducts.at(1).toObject(), u"annotations"_s).value(u"exit_code"_s).toInt(-1), 1);

    auto store = openStore(scene().clean, nullptr);
    const QJsonObject head = byproducts.at(2).toObject();
    QCOMPARE(at(head, u"digest"_s).value(u"sha256"_s).toString(),
             QString::fromLatin1(store->evidenceHead()));
    const auto entry = store->latestEvidence(u"task"_s, u"T-1"_s);
    QVERIFY(entry);
    QCOMPARE(at(head, u"annotations"_s).value(u"task_state_sha256"_s).toString(),
             QString::fromLatin1(entry->stateHash.toHex()));
    QCOMPARE(at(head, u"annotations"_s).value(u"task_entry_seq"_s).toInteger(), entry->seq);
}

void TestAttestation::byproductDigestsAreTheLogLines()
{
    const QJsonArray byproducts =
        at(statementOf(scene().clean, u"T-1"_s), u"predicate.runDetails"_s)
            .value(u"byproducts"_s)
            .toArray();
    const QList<QByteArrayList> expected{t1Command1Lines, t1Command2Lines};
    for (int i = 0; i < 2; ++i) {
        const QString digest =
            at(byproducts.at(i).toObject(), u"digest"_s).value(u"sha256"_s).toString();
        QCOMPARE(digest, QString::fromLatin1(sha256Hex(expected.at(i))));
        QCOMPARE(digest, QString::fromLatin1(storedLogDigest(scene().clean, u"T-1"_s, i + 1)));
        QCOMPARE(at(byproducts.at(i).toObject(), u"annotations"_s).value(u"log_lines"_s).toInt(),
                 expected.at(i).size());
    }
}

void TestAttestation::taskWithoutPullRequestIsItsOwnSubject()
{
    // T-2 has no pull request and no base ref.
    const QJsonObject s = statementOf(scene().clean, u"T-2"_s);
    auto store = openStore(scene().clean, nullptr);
    const auto entry = store->latestEvidence(u"task"_s, u"T-2"_s);
    QVERIFY(entry);
    const QJsonObject subject = s.value(u"subject"_s).toArray().at(0).toObject();
    QCOMPARE(subject.value(u"name"_s).toString(), u"urn:tasktrail:task:T-2"_s);
    QCOMPARE(at(subject, u"digest"_s),
             QJsonObject({{u"sha256"_s, QString::fromLatin1(entry->stateHash.toHex())}}));
    QVERIFY(
        at(s, u"predicate.buildDefinition"_s).value(u"resolvedDependencies"_s).toArray().isEmpty());
    const QJsonObject command =
        at(s, u"predicate.runDetails"_s).value(u"byproducts"_s).toArray().at(0).toObject();
    QCOMPARE(at(command, u"digest"_s).value(u"sha256"_s).toString(),
             QString::fromLatin1(storedLogDigest(scene().clean, u"T-2"_s, 1)));
}

void TestAttestation::noSecretInAttestationOrDatabase()
{
    QByteArray inputs;
    QDirIterator it(scene().inputs, QDir::Files);
    while (it.hasNext())
        inputs += readFile(it.next());
    auto store = openStore(scene().clean, nullptr);
    const QByteArray hashedToken = store->taskChain(u"T-1"_s)->identity->hashedToken.toUtf8();
    store.reset();
    QVERIFY(!hashedToken.isEmpty());

    const QByteArray attestations = QJsonDocument(statementOf(scene().clean, u"T-1"_s)).toJson() +
                                    QJsonDocument(statementOf(scene().clean, u"T-2"_s)).toJson();
    const QByteArray database = m_db.storedBytes(scene().clean);
    QVERIFY(database.contains(hashedToken)); // the stored bytes are what the scan reads
    QVERIFY(!attestations.contains(hashedToken));
    QVERIFY(!attestations.contains("hashed_token"));
    for (const QByteArray &secret : secrets) {
        QVERIFY2(inputs.contains(secret), secret.constData()); // or the scan proves nothing
        QVERIFY2(!attestations.contains(secret), secret.constData());
        QVERIFY2(!database.contains(secret), secret.constData());
    }
}

void TestAttestation::demoTokensReachNeitherDatabaseNorAttestation()
{
    QStringList inputTokens;
    QDirIterator files(scene().demo, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        auto match = tokenPattern.globalMatch(QString::fromLatin1(readFile(files.next())));
        while (match.hasNext())
            inputTokens << match.next().captured();
    }
    QVERIFY(!inputTokens.isEmpty()); // or the scan proves nothing

    const QString database = QString::fromLatin1(m_db.storedBytes(scene().demoDb));
    QVERIFY2(!tokenPattern.match(database).hasMatch(),
             qPrintable(tokenPattern.match(database).captured()));

    auto store = openStore(scene().demoDb, nullptr);
    const QList<TaskRow> tasks = store->tasks({}, 0, 100000);
    QVERIFY(tasks.size() > 20);
    QSet<QString> hashedTokens;
    for (const TaskRow &row : tasks) {
        const auto chain = store->taskChain(row.id);
        if (chain->identity && !chain->identity->hashedToken.isEmpty())
            hashedTokens.insert(chain->identity->hashedToken);
    }
    QVERIFY(!hashedTokens.isEmpty());
    for (const TaskRow &row : tasks) {
        QString error;
        const auto inputs = Attestation::collect(*store, row.id, &error);
        QVERIFY2(inputs, qPrintable(error));
        QVERIFY(inputs->taskMatchesEvidence());
        const QString json = QString::fromUtf8(
            QJsonDocument(Attestation::statement(*inputs)).toJson(QJsonDocument::Compact));
        QVERIFY2(!tokenPattern.match(json).hasMatch(), qPrintable(row.id));
        for (const QString &hashed : std::as_const(hashedTokens))
            QVERIFY2(!json.contains(hashed), qPrintable(row.id));
    }
}

void TestAttestation::editedTaskIsFlagged()
{
    const QString path = m_db.copyOf(scene().clean);
    QString error;
    m_db.sql(path, u"UPDATE task SET head_sha = 'deadbee' WHERE id = 'T-1'"_s, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    auto store = openStore(path, nullptr);
    const auto inputs = Attestation::collect(*store, u"T-1"_s, &error);
    QVERIFY(inputs);
    QVERIFY(!inputs->taskMatchesEvidence());
    store.reset();

    QProcess p;
    p.start(QString::fromUtf8(TASKTRAIL_CLI), {u"attest"_s, u"T-1"_s, u"--db"_s, path});
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("does not match its evidence entry"));
}

void TestAttestation::cliWritesTheStatement()
{
    const QString out = m_dir.filePath(u"t1.intoto.json"_s);
    QProcess p;
    p.start(QString::fromUtf8(TASKTRAIL_CLI),
            {u"attest"_s, u"T-1"_s, u"--db"_s, scene().clean, u"--out"_s, out});
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(QJsonDocument::fromJson(readFile(out)).object(), statementOf(scene().clean, u"T-1"_s));

    p.start(QString::fromUtf8(TASKTRAIL_CLI), {u"attest"_s, u"T-2"_s, u"--db"_s, scene().clean});
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(QJsonDocument::fromJson(p.readAllStandardOutput()).object(),
             statementOf(scene().clean, u"T-2"_s));

    p.start(QString::fromUtf8(TASKTRAIL_CLI), {u"attest"_s, u"T-404"_s, u"--db"_s, scene().clean});
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("no task 'T-404'"));
}

QTEST_GUILESS_MAIN(TestAttestation)
#include "tst_attestation.moc"
