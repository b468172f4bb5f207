// GitHub audit-log events: the reader (NDJSON and the REST array, every field spelling, bad
// lines), idempotence, and the correlation with task windows (on SQLite and PostgreSQL).
#include "auditscene.h"
#include "backends.h"

#include <QCryptographicHash>
#include <QSet>

#include <algorithm>

using namespace AuditTest;

namespace {

// A task of identity "I" (principal "bot", token "H", token id "42") in o/r: created at 0,
// started at 1 min, completed at 31 min, so its window is [-1 min, 41 min].
constexpr qint64 start = 1 * minute;
constexpr qint64 end = 31 * minute;

} // namespace

class TestAudit final : public QObject
{
    Q_OBJECT

    Backends::Fixture m_db;

private Q_SLOTS:
    void initTestCase();
    void readsTheStream();
    void readsTheRestArray();
    void fieldSpellings_data();
    void fieldSpellings();
    void badLinesAreReportedAndTheRestIngests();
    void numbersOutOfRangeAreRejected_data();
    void numbersOutOfRangeAreRejected();
    void aBrokenFirstLineStillReadsAsAuditLog();
    void sameEventTwiceChangesNothing_data() { Backends::addBackendRows(); }
    void sameEventTwiceChangesNothing();
    void linksByWindowAndMatch_data();
    void linksByWindowAndMatch();
    void sharedTokenLinksToTheTaskInTheEventsRepository_data() { Backends::addBackendRows(); }
    void sharedTokenLinksToTheTaskInTheEventsRepository();
    void aWeakerKindNeverLinksBesideAStrongerOne_data() { Backends::addBackendRows(); }
    void aWeakerKindNeverLinksBesideAStrongerOne();
    void moreLinksThanOneRangeAreAllStored();
    void laterRecordsRelinkTheirTasks_data() { Backends::addBackendRows(); }
    void laterRecordsRelinkTheirTasks();
    void linkingNamesTheTasksWhoseLinksChanged_data() { Backends::addBackendRows(); }
    void linkingNamesTheTasksWhoseLinksChanged();
};

void TestAudit::initTestCase()
{
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
}

void TestAudit::readsTheStream()
{
    QTemporaryDir dir;
    Scene scene(dir);
    const IngestRun run = ingest(*scene.store, {fixture(u"stream.ndjson"_s)});
    QVERIFY(run.ok);
    QCOMPARE(run.formats, QStringList{u"github-audit-ndjson"_s});
    QCOMPARE(run.counts.ingested, 4);
    QCOMPARE(run.counts.rejected, 0);
    QCOMPARE(run.counts.redactions, 1);

    const QList<AuditEvent> events = scene.store->unlinkedAuditEvents(10);
    QCOMPARE(events.size(), 4); // oldest first
    const AuditEvent &request = events.at(0);
    QCOMPARE(request.id, u"GD1pAqG0yOkzG3gIjB2mKw"_s);
    QCOMPARE(request.action, u"api.request"_s);
    QCOMPARE(request.actor, u"svc-migrations[bot]"_s);
    QVERIFY(request.actorIsBot);
    QCOMPARE(request.repo, u"acme-web/cart-api"_s);
    QCOMPARE(request.at, at(1794996000123)); // @timestamp, not created_at
    QCOMPARE(request.hashedToken, fixtureToken);
    QCOMPARE(request.tokenId, u"808175418"_s);
    QCOMPARE(request.programmaticAccessType, u"GitHub App server-to-server token"_s);
    QCOMPARE(request.tokenScopes, (QStringList{u"contents:write"_s, u"pull_requests:write"_s}));
    QCOMPARE(request.requestMethod, u"POST"_s);
    QCOMPARE(request.requestRoute, u"/repos/:owner/:repo/pulls"_s);
    QCOMPARE(request.userAgent, u"GitHub CLI 2.62.0"_s);

    const AuditEvent &push = events.at(1);
    QCOMPARE(push.action, u"git.push"_s);
    QCOMPARE(push.repo, u"acme-web/cart-api"_s); // from "repository"
    // A token a client put in its user agent never reaches the database.
    const AuditEvent &script = events.at(2);
    QCOMPARE(script.requestRoute, u"/repos/acme-web/cart-api/contents/README.md"_s);
    QVERIFY2(script.userAgent.contains(u"[REDACTED:github-token]"_s), qPrintable(script.userAgent));
    QVERIFY(!script.userAgent.contains(u"ghp_"_s));
    QCOMPARE(events.at(3).action, u"pull_request_review.submit"_s);
    QVERIFY(events.at(3).hashedToken.isEmpty());

    scene.store.reset();
    for (const QString &file : {u"audit.db"_s, u"audit.db-wal"_s}) {
        QFile db(dir.filePath(file));
        if (db.open(QIODevice::ReadOnly))
            QVERIFY2(!db.readAll().contains("RawTokenInAgent"), qPrintable(file));
    }
}

void TestAudit::readsTheRestArray()
{
    QTemporaryDir dir;
    Scene scene(dir);
    const IngestRun run = ingest(*scene.store, {fixture(u"rest-array.json"_s)});
    QVERIFY(run.ok);
    QCOMPARE(run.formats, QStringList{u"github-audit-json"_s});
    QCOMPARE(run.counts.ingested, 2);
    QCOMPARE(run.counts.rejected, 1);
    QCOMPARE(run.issues.size(), 1);
    QCOMPARE(run.issues.at(0).line, 17);
    QVERIFY(run.issues.at(0).reason.contains(u"expected an audit event object, found a string"_s));
    const QList<AuditEvent> events = scene.store->unlinkedAuditEvents(10);
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0).action, u"pull_request.create"_s);
    QCOMPARE(events.at(0).tokenId, u"808175418"_s);
    QCOMPARE(events.at(1).action, u"protected_branch.policy_override"_s);
    QCOMPARE(events.at(1).actor, u"release-bot"_s);
}

void TestAudit::fieldSpellings_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    const QByteArray base = R"("action":"git.clone","actor":"octocat",)";
    QTest::newRow("repo") << base + R"("@timestamp":1794996000123,"repo":"o/a")" << u"repo"_s
                          << u"o/a"_s;
    QTest::newRow("repository") << base + R"("@timestamp":1794996000123,"repository":"o/b")"
                                << u"repo"_s << u"o/b"_s;
    QTest::newRow("@timestamp over created_at")
        << base + R"("@timestamp":1794996000123,"created_at":1794996009999)" << u"at"_s
        << u"2026-11-18T10:00:00.123Z"_s;
    QTest::newRow("created_at alone")
        << base + R"("created_at":1794996000456)" << u"at"_s << u"2026-11-18T10:00:00.456Z"_s;
    QTest::newRow("created_at as RFC 3339") << base + R"("created_at":"2026-11-18T10:00:00Z")"
                                            << u"at"_s << u"2026-11-18T10:00:00.000Z"_s;
    QTest::newRow("token_id as a string")
        << base + R"("@timestamp":1794996000123,"token_id":"77")" << u"token_id"_s << u"77"_s;
    QTest::newRow("scopes as an array")
        << base + R"("@timestamp":1794996000123,"token_scopes":["repo","workflow"])"
        << u"token_scopes"_s << u"repo|workflow"_s;
    QTest::newRow("scopes as a string")
        << base + R"("@timestamp":1794996000123,"token_scopes":"repo, workflow")"
        << u"token_scopes"_s << u"repo|workflow"_s;
    QTest::newRow("request_route")
        << base + R"("@timestamp":1794996000123,"request_route":"/a","route":"/b")" << u"route"_s
        << u"/a"_s;
    QTest::newRow("route over url_path")
        << base + R"("@timestamp":1794996000123,"route":"/b","url_path":"/c")" << u"route"_s
        << u"/b"_s;
    QTest::newRow("url_path alone")
        << base + R"("@timestamp":1794996000123,"url_path":"/c")" << u"route"_s << u"/c"_s;
    QTest::newRow("no _document_id: a digest")
        << base + R"("@timestamp":1794996000123)" << u"id"_s
        << u"sha256:"_s +
               QString::fromLatin1(
                   QCryptographicHash::hash(
                       R"({"@timestamp":1794996000123,"action":"git.clone","actor":"octocat"})",
                       QCryptographicHash::Sha256)
                       .toHex());
}

void TestAudit::fieldSpellings()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, field);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    Scene scene(dir);
    const IngestRun run =
        ingest(*scene.store, {writeFile(dir, u"events.ndjson"_s, '{' + line + "}\n")});
    QVERIFY(run.ok);
    QCOMPARE(run.counts.ingested, 1);
    const QList<AuditEvent> events = scene.store->unlinkedAuditEvents(1);
    QCOMPARE(events.size(), 1);
    const AuditEvent &e = events.first();
    const QMap<QString, QString> fields{
        {u"repo"_s, e.repo},          {u"at"_s, e.at.toUTC().toString(Qt::ISODateWithMs)},
        {u"token_id"_s, e.tokenId},   {u"token_scopes"_s, e.tokenScopes.join(u'|')},
        {u"route"_s, e.requestRoute}, {u"id"_s, e.id}};
    QCOMPARE(fields.value(field), expected);
}

void TestAudit::badLinesAreReportedAndTheRestIngests()
{
    QTemporaryDir dir;
    Scene scene(dir);
    const QString path = fixture(u"malformed.ndjson"_s);
    const IngestRun run = ingest(*scene.store, {path});
    QVERIFY(run.ok);
    QCOMPARE(run.formats, QStringList{u"github-audit-ndjson"_s});
    QCOMPARE(run.counts.ingested, 3);
    QCOMPARE(run.counts.rejected, 6);
    const QList<QPair<qint64, QString>> expected{
        {2, u"invalid JSON"_s},
        {3, u"missing required field 'action'"_s},
        {4, u"field '@timestamp': expected milliseconds since the epoch, got a boolean"_s},
        {5, u"expected a JSON object"_s},
        {8, u"field 'created_at': 'yesterday' is not a time"_s},
        {9, u"field 'token_scopes'"_s}};
    QCOMPARE(run.issues.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const IngestIssue &issue = run.issues.at(i);
        QCOMPARE(issue.file, path);
        QCOMPARE(issue.line, expected.at(i).first);
        QVERIFY2(issue.reason.contains(expected.at(i).second), qPrintable(issue.toString()));
    }
    QStringList ids;
    for (const AuditEvent &e : scene.store->unlinkedAuditEvents(10))
        ids << e.id;
    QCOMPARE(ids, (QStringList{u"m1"_s, u"m2"_s, u"m3"_s}));
}

// The input of tests/fuzz/regressions/auditlog: under UBSan, converting 1e300 to an integer
// was undefined behaviour.
void TestAudit::numbersOutOfRangeAreRejected_data()
{
    QTest::addColumn<QByteArray>("tokenId");
    QTest::addColumn<QString>("reason");
    QTest::newRow("token_id past 64 bits")
        << QByteArray("1e300")
        << u"field 'token_id': 1.0000000000000001e+300: must be between 1 and 9000000000000000"_s;
    QTest::newRow("token_id past exact doubles")
        << QByteArray("1e17")
        << u"field 'token_id': 1e+17: must be between 1 and 9000000000000000"_s;
}

void TestAudit::numbersOutOfRangeAreRejected()
{
    QFETCH(QByteArray, tokenId);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    Scene scene(dir);
    const QByteArray line =
        R"({"action":"git.clone","actor":"octocat","@timestamp":1794996000123,"token_id":)" +
        tokenId + "}\n";
    const IngestRun run = ingest(*scene.store, {writeFile(dir, u"events.ndjson"_s, line)});
    QVERIFY(run.ok);
    QCOMPARE(run.counts.ingested, 0);
    QCOMPARE(run.counts.rejected, 1);
    QCOMPARE(run.issues.size(), 1);
    QCOMPARE(run.issues.constFirst().line, 1);
    QCOMPARE(run.issues.constFirst().reason, reason);
}

void TestAudit::aBrokenFirstLineStillReadsAsAuditLog()
{
    QTemporaryDir dir;
    Scene scene(dir);
    const IngestRun run = ingest(*scene.store, {fixture(u"first-line-broken.ndjson"_s)});
    QCOMPARE(run.formats, QStringList{u"github-audit-ndjson"_s});
    QCOMPARE(run.counts.ingested, 1);
    QCOMPARE(run.counts.rejected, 1);
    QCOMPARE(run.issues.at(0).line, 1);
}

void TestAudit::sameEventTwiceChangesNothing()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    Scene scene(m_db.fresh(backend));
    scene.identity(u"I"_s, u"svc-migrations[bot]"_s, fixtureToken, {});
    scene.task(u"T"_s, u"acme-web/cart-api"_s, u"I"_s, 1794996000000 - 5 * minute,
               1794996000000 - 4 * minute, 1794996000000 + 20 * minute);
    QVERIFY(ingest(*scene.store, {fixture(u"stream.ndjson"_s)}).ok);
    const QList<AuditLink> before = scene.store->auditEvents(u"T"_s);
    QCOMPARE(before.size(), 2);

    // The same events in other files: the stream with its lines in another order, and two
    // events without a _document_id whose keys come in different orders.
    QFile stream(fixture(u"stream.ndjson"_s));
    QVERIFY(stream.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = stream.readAll().trimmed().split('\n');
    std::reverse(lines.begin(), lines.end());
    const QByteArray anonymous =
        R"({"action":"git.clone","actor":"octocat","@timestamp":1794996000123,"repo":"o/r"})"
        "\n"
        R"({"repo":"o/r","@timestamp":1794996000123,"actor":"octocat","action":"git.clone"})"
        "\n";
    const IngestRun again =
        ingest(*scene.store, {writeFile(dir, u"reordered.ndjson"_s, lines.join('\n') + '\n'),
                              writeFile(dir, u"anonymous.ndjson"_s, anonymous)});
    QVERIFY(again.ok);
    QCOMPARE(again.counts.ingested, 1); // the first anonymous event
    QCOMPARE(again.counts.duplicates, 5);
    QCOMPARE(scene.store->unlinkedAuditEvents(100).size(), 3);
    const QList<AuditLink> after = scene.store->auditEvents(u"T"_s);
    QCOMPARE(after.size(), before.size());
    for (qsizetype i = 0; i < after.size(); ++i) {
        QCOMPARE(after.at(i).event.id, before.at(i).event.id);
        QCOMPARE(after.at(i).match, before.at(i).match);
    }
}

void TestAudit::linksByWindowAndMatch_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("completed");
    QTest::addColumn<bool>("started");
    QTest::addColumn<qint64>("when");
    QTest::addColumn<QString>("hash");
    QTest::addColumn<QString>("tokenId");
    QTest::addColumn<QString>("actor");
    QTest::addColumn<QString>("repo");
    QTest::addColumn<QString>("match");
    const QString o = u"o/r"_s;
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
        const auto row = [&backend](const char *name) -> QTestData & {
            return QTest::addRow("%s: %s", qPrintable(backend), name) << backend;
        };
        row("hashed_token") << true << true << 10 * minute << u"H"_s << QString() << u"someone"_s
                            << u"o/x"_s << u"hashed_token"_s;
        row("token_id") << true << true << 10 * minute << QString() << u"42"_s << u"someone"_s << o
                        << u"token_id"_s;
        row("actor_repo") << true << true << 10 * minute << QString() << QString() << u"bot"_s << o
                          << u"actor_repo"_s;
        row("actor in another repository") << true << true << 10 * minute << QString() << QString()
                                           << u"bot"_s << u"o/x"_s << QString();
        row("hashed_token beats actor_repo") << true << true << 10 * minute << u"H"_s << u"42"_s
                                             << u"bot"_s << o << u"hashed_token"_s;
        row("token_id beats actor_repo") << true << true << 10 * minute << u"other"_s << u"42"_s
                                         << u"bot"_s << o << u"token_id"_s;
        row("matches nothing") << true << true << 10 * minute << u"other"_s << u"7"_s
                               << u"someone"_s << o << QString();
        row("2 min before the start") << true << true << start - 2 * minute << u"H"_s << QString()
                                      << QString() << o << u"hashed_token"_s;
        row("just before that") << true << true << start - 2 * minute - 1 << u"H"_s << QString()
                                << QString() << o << QString();
        row("10 min after the end") << true << true << end + 10 * minute << u"H"_s << QString()
                                    << QString() << o << u"hashed_token"_s;
        row("just after that") << true << true << end + 10 * minute + 1 << u"H"_s << QString()
                               << QString() << o << QString();
        const qint64 openEnd = start + 6 * 60 * minute + 10 * minute;
        row("open run: 6 h 10 min") << false << true << openEnd << u"H"_s << QString() << QString()
                                    << o << u"hashed_token"_s;
        row("open run: just after")
            << false << true << openEnd + 1 << u"H"_s << QString() << QString() << o << QString();
        row("never started: from created_at") << false << false << -2 * minute << u"H"_s
                                              << QString() << QString() << o << u"hashed_token"_s;
        row("never started: just before") << false << false << -2 * minute - 1 << u"H"_s
                                          << QString() << QString() << o << QString();
    }
}

void TestAudit::linksByWindowAndMatch()
{
    QFETCH(bool, completed);
    QFETCH(bool, started);
    QFETCH(qint64, when);
    QFETCH(QString, hash);
    QFETCH(QString, tokenId);
    QFETCH(QString, actor);
    QFETCH(QString, repo);
    QFETCH(QString, match);
    QFETCH(QString, backend);
    Scene scene(m_db.fresh(backend));
    const qint64 base = 1794996000000;
    scene.identity(u"I"_s, u"bot"_s, u"H"_s, u"42"_s);
    scene.task(u"T"_s, u"o/r"_s, u"I"_s, base, started ? std::optional(base + start) : std::nullopt,
               completed ? std::optional(base + end) : std::nullopt);
    scene.event(u"E"_s, base + when, hash, tokenId, actor, repo);
    QVERIFY(scene.link());
    QCOMPARE(scene.match(u"T"_s, u"E"_s), match);
    QCOMPARE(scene.store->unlinkedAuditEvents(10).size(), match.isEmpty() ? 1 : 0);
}

void TestAudit::sharedTokenLinksToTheTaskInTheEventsRepository()
{
    QFETCH(QString, backend);
    Scene scene(m_db.fresh(backend));
    const qint64 base = 1794996000000;
    scene.identity(u"I"_s, u"bot"_s, u"H"_s, {});
    scene.task(u"A"_s, u"o/a"_s, u"I"_s, base, base, base + 30 * minute);
    scene.task(u"B"_s, u"o/b"_s, u"I"_s, base, base + minute, base + 25 * minute);
    scene.event(u"in-a"_s, base + 5 * minute, u"H"_s, {}, u"bot"_s, u"o/a"_s);
    scene.event(u"elsewhere"_s, base + 6 * minute, u"H"_s, {}, u"bot"_s, u"o/c"_s);
    QVERIFY(scene.link());
    QCOMPARE(scene.match(u"A"_s, u"in-a"_s), u"hashed_token"_s);
    QCOMPARE(scene.match(u"B"_s, u"in-a"_s), QString());
    // Nothing says which run called o/c: both runs held the token then.
    QCOMPARE(scene.match(u"A"_s, u"elsewhere"_s), u"hashed_token"_s);
    QCOMPARE(scene.match(u"B"_s, u"elsewhere"_s), u"hashed_token"_s);
}

// SQLite inserts links a range of 65,536 candidates at a time: more than that, in one linking
// run and again in verify's, all arrive once.
void TestAudit::moreLinksThanOneRangeAreAllStored()
{
    QTemporaryDir dir;
    Scene scene(dir);
    const qint64 base = 1794996000000;
    constexpr int events = 70000;
    QVERIFY(scene.store->beginBatch()); // everything in the chain, for verify
    scene.identity(u"I"_s, u"bot"_s, u"H"_s, {});
    scene.task(u"A"_s, u"o/a"_s, u"I"_s, base, base, base + 5 * 60 * minute);
    for (int i = 0; i < events; ++i)
        scene.event(u"E-%1"_s.arg(i), base + i * 200, u"H"_s, {}, u"bot"_s, u"o/a"_s);
    QVERIFY(scene.store->commitBatch());
    QVERIFY(scene.link());
    QSet<QString> linked;
    for (const AuditLink &l : scene.store->auditEvents(u"A"_s)) {
        QCOMPARE(l.match, u"hashed_token"_s);
        linked.insert(l.event.id);
    }
    QCOMPARE(linked.size(), events);
    QVERIFY(scene.store->unlinkedAuditEvents(10).isEmpty());
    // verify links every event again, in ranges too, and finds the same links.
    const EvidenceReport report = scene.store->verifyEvidence({});
    QStringList problems{report.error};
    for (const EvidenceProblem &p : report.problems)
        problems << p.kind % u' ' % p.ref % u": "_s % p.problem;
    QVERIFY2(report.intact(), qPrintable(problems.join(u'\n')));
}

// Runs matched by different kinds: an event links only to the runs of its strongest kind, and a
// weaker kind still links an event that no stronger kind matched, to every run it matches.
void TestAudit::aWeakerKindNeverLinksBesideAStrongerOne()
{
    QFETCH(QString, backend);
    Scene scene(m_db.fresh(backend));
    const qint64 base = 1794996000000;
    scene.identity(u"I"_s, u"app"_s, u"H"_s, {});
    scene.identity(u"J"_s, u"other-app"_s, u"H2"_s, u"42"_s);
    scene.identity(u"K"_s, u"bot"_s, u"H3"_s, u"43"_s);
    scene.identity(u"L"_s, u"third-app"_s, u"H4"_s, u"42"_s);
    const qint64 finished = base + 30 * minute;
    scene.task(u"A"_s, u"o/a"_s, u"I"_s, base, base, finished);
    scene.task(u"B"_s, u"o/b"_s, u"J"_s, base, base, finished);
    scene.task(u"C"_s, u"o/c"_s, u"K"_s, base, base, finished);
    scene.task(u"D"_s, u"o/d"_s, u"L"_s, base, base, finished); // B's token id, another repository
    scene.task(u"E"_s, u"o/c"_s, u"K"_s, base, base, finished); // C's actor and repository
    scene.event(u"all"_s, base + 5 * minute, u"H"_s, u"42"_s, u"bot"_s, u"o/c"_s);
    scene.event(u"id-and-actor"_s, base + 6 * minute, {}, u"42"_s, u"bot"_s, u"o/c"_s);
    scene.event(u"actor"_s, base + 7 * minute, {}, {}, u"bot"_s, u"o/c"_s);
    // B's and D's token id, in B's repository: B wins, as a shared hashed token's run would.
    scene.event(u"id-in-b"_s, base + 8 * minute, {}, u"42"_s, u"someone"_s, u"o/b"_s);
    QVERIFY(scene.link());
    const QStringList runs{u"A"_s, u"B"_s, u"C"_s, u"D"_s, u"E"_s};
    const auto matches = [&scene, &runs](const QString &event) {
        QStringList out;
        for (const QString &run : runs)
            out << scene.match(run, event);
        return out;
    };
    const QString none;
    QCOMPARE(matches(u"all"_s), QStringList({u"hashed_token"_s, none, none, none, none}));
    QCOMPARE(matches(u"id-and-actor"_s),
             QStringList({none, u"token_id"_s, none, u"token_id"_s, none}));
    QCOMPARE(matches(u"actor"_s),
             QStringList({none, none, u"actor_repo"_s, none, u"actor_repo"_s}));
    QCOMPARE(matches(u"id-in-b"_s), QStringList({none, u"token_id"_s, none, none, none}));
    QVERIFY(scene.store->unlinkedAuditEvents(10).isEmpty());
}

void TestAudit::laterRecordsRelinkTheirTasks()
{
    QFETCH(QString, backend);
    Scene scene(m_db.fresh(backend));
    const qint64 base = 1794996000000;
    scene.identity(u"I"_s, u"bot"_s, u"H"_s, {});
    scene.task(u"A"_s, u"o/a"_s, u"I"_s, base, base, base + 10 * minute);
    scene.task(u"B"_s, u"o/b"_s, u"J"_s, base, base, std::nullopt); // J is not known yet
    scene.event(u"late"_s, base + 30 * minute, u"H"_s, {}, u"someone"_s, u"o/a"_s);
    scene.event(u"by-j"_s, base + 5 * minute, u"K"_s, {}, u"app"_s, u"o/b"_s);
    QVERIFY(scene.link());
    QCOMPARE(scene.store->unlinkedAuditEvents(10).size(), 2);

    // A later record completes A later; J's record arrives with its token hash.
    scene.task(u"A"_s, u"o/a"_s, u"I"_s, base, base, base + 25 * minute);
    scene.identity(u"J"_s, u"app"_s, u"K"_s, {});
    QVERIFY(scene.link());
    QCOMPARE(scene.match(u"A"_s, u"late"_s), u"hashed_token"_s);
    QCOMPARE(scene.match(u"B"_s, u"by-j"_s), u"hashed_token"_s);
    QVERIFY(scene.link()); // nothing new: the links stay
    QCOMPARE(scene.store->auditEvents(u"A"_s).size(), 1);
    QCOMPARE(scene.store->auditEvents(u"B"_s).size(), 1);

    // I's token turns out to be another one: A's link by token goes.
    scene.identity(u"I"_s, u"bot"_s, u"H2"_s, {});
    QVERIFY(scene.link());
    QCOMPARE(scene.match(u"A"_s, u"late"_s), QString());
    QCOMPARE(scene.store->unlinkedAuditEvents(10).size(), 1);
}

// The tasks that gained or lost a link to an event a check reads (one in another repository)
// are checked again after an ingest: linking names them, and only them.
void TestAudit::linkingNamesTheTasksWhoseLinksChanged()
{
    QFETCH(QString, backend);
    Scene scene(m_db.fresh(backend));
    const qint64 base = 1794996000000;
    scene.identity(u"I"_s, u"bot"_s, u"H"_s, {});
    scene.identity(u"J"_s, u"app"_s, u"K"_s, {});
    scene.task(u"A"_s, u"o/a"_s, u"I"_s, base, base, base + 10 * minute);
    scene.task(u"B"_s, u"o/b"_s, u"J"_s, base, base, base + 10 * minute);
    scene.task(u"C"_s, u"o/c"_s, u"J"_s, base + 600 * minute, std::nullopt, std::nullopt);
    scene.event(u"by-a"_s, base + 5 * minute, u"H"_s, {}, u"someone"_s, u"o/x"_s);
    QStringList relinked{u"stale"_s};
    QVERIFY(scene.link(&relinked));
    QCOMPARE(relinked, QStringList{u"A"_s});
    QVERIFY(scene.link(&relinked)); // nothing new
    QCOMPARE(relinked, QStringList());

    // Links to events in the task's own repository (in any ASCII case) or in none change no
    // finding: they are made, and the task is not named.
    scene.event(u"in-a"_s, base + 4 * minute, u"H"_s, {}, u"someone"_s, u"O/A"_s);
    scene.event(u"no-repo"_s, base + 3 * minute, u"H"_s, {}, u"someone"_s, QString());
    QVERIFY(scene.link(&relinked));
    QCOMPARE(relinked, QStringList());
    QCOMPARE(scene.match(u"A"_s, u"in-a"_s), u"hashed_token"_s);
    QCOMPARE(scene.match(u"A"_s, u"no-repo"_s), u"hashed_token"_s);

    scene.event(u"by-b"_s, base + 6 * minute, u"K"_s, {}, u"app"_s, u"o/x"_s);
    scene.event(u"unknown"_s, base + 6 * minute, u"Z"_s, {}, u"nobody"_s, u"o/x"_s);
    QVERIFY(scene.link(&relinked));
    QCOMPARE(relinked, QStringList{u"B"_s});

    // I's token turns out to be another one: A loses its link.
    scene.identity(u"I"_s, u"bot"_s, u"H2"_s, {});
    QVERIFY(scene.link(&relinked));
    QCOMPARE(relinked, QStringList{u"A"_s});
    QVERIFY(scene.store->auditEvents(u"A"_s).isEmpty());
}

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
