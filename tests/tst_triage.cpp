// Findings triage on both backends: a state change is a history row and an evidence entry,
// survives a check that renumbers the findings, is filtered by, is set in bulk, is named by
// verify when tampered with, may be made by a reader on PostgreSQL (who cannot rewrite it),
// and round-trips through tasktrail-cli.
#include "backends.h"
#include "clirun.h"
#include "report/reporttables.h"
#include "store/recordstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::CliRun::cli;

namespace {

const QString secret = u"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"_s;

Finding finding(const QString &rule, Severity severity, EvidenceKind kind, const QString &ref,
                int seq = 0, qint64 line = 0)
{
    Finding f;
    f.taskId = u"T-1"_s;
    f.rule = rule;
    f.severity = severity;
    f.message = rule + u" at "_s + ref;
    f.evidenceKind = kind;
    f.evidenceRef = ref;
    f.commandSeq = seq;
    f.lineNo = line;
    f.templateId = u"deps-bump"_s;
    f.templateVersion = u"3"_s;
    f.policyId = u"agents"_s;
    f.policyVersion = u"7"_s;
    return f;
}

// Three findings of one task: two of one rule at two places, one of another rule.
QList<Finding> threeFindings()
{
    return {
        finding(u"host_not_allowed"_s, Severity::High, EvidenceKind::Contact, u"evil.example"_s),
        finding(u"host_not_allowed"_s, Severity::High, EvidenceKind::Contact, u"pastebin.com"_s),
        finding(u"command_not_allowed"_s, Severity::Medium, EvidenceKind::LogLine, u"curl"_s, 3,
                12)};
}

FindingTriage triage(TriageState state, const QString &by, const QString &note = {})
{
    return {state, by, QDateTime::fromMSecsSinceEpoch(1764840000000, QTimeZone::utc()), note};
}

// The stored finding at `ref`.
Finding at(const QList<Finding> &findings, const QString &ref)
{
    for (const Finding &f : findings) {
        if (f.evidenceRef == ref)
            return f;
    }
    return {};
}

} // namespace

class TestTriage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_db.start(&error), qPrintable(error));
    }

    void stateChangeIsHistoryAndEvidence_data() { Backends::addBackendRows(); }
    void stateChangeIsHistoryAndEvidence();
    void survivesRecheck_data() { Backends::addBackendRows(); }
    void survivesRecheck();
    void bulkAndFilter_data() { Backends::addBackendRows(); }
    void bulkAndFilter();
    void unknownIdChangesNothing_data() { Backends::addBackendRows(); }
    void unknownIdChangesNothing();
    void verifyNamesTamperedTriage_data();
    void verifyNamesTamperedTriage();
    void readerTriagesButCannotRewrite();
    void cliRoundTrip_data() { Backends::addBackendRows(); }
    void cliRoundTrip();

private:
    // A fresh store with task T-1 and threeFindings(), in a batch, so they have evidence.
    std::unique_ptr<RecordStore> seeded(const QString &location);
    static bool recheck(RecordStore &store, const QList<Finding> &findings);

    Backends::Fixture m_db;
};

std::unique_ptr<RecordStore> TestTriage::seeded(const QString &location)
{
    QString error;
    auto store = openStore(location, &error);
    if (!store) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    TaskRecord t;
    t.id = u"T-1"_s;
    t.repo = u"acme/web"_s;
    t.startedAt = QDateTime::fromMSecsSinceEpoch(1764800000000, QTimeZone::utc());
    if (!store->beginBatch() || !store->writeTask(t) ||
        !store->replaceFindings(t.id, threeFindings()) || !store->commitBatch()) {
        qWarning("%s", qPrintable(store->errorString()));
        return nullptr;
    }
    return store;
}

bool TestTriage::recheck(RecordStore &store, const QList<Finding> &findings)
{
    return store.beginBatch() && store.replaceFindings(u"T-1"_s, findings) && store.commitBatch();
}

void TestTriage::stateChangeIsHistoryAndEvidence()
{
    QFETCH(QString, backend);
    const QString location = m_db.fresh(backend);
    auto store = seeded(location);
    QVERIFY(store);
    QList<Finding> before = store->findings({});
    QCOMPARE(before.size(), 3);
    for (const Finding &f : before) {
        QCOMPARE(f.triage, FindingTriage{});
        QVERIFY(f.id > 0);
    }
    const QByteArray headBefore = store->evidenceHead();
    const qint64 id = at(before, u"evil.example"_s).id;
    QVERIFY2(store->triageFindings({id}, triage(TriageState::FalsePositive, u"alice"_s,
                                                u"a test fixture; token "_s + secret)),
             qPrintable(store->errorString()));

    const Finding after = at(store->findings({}), u"evil.example"_s);
    QCOMPARE(toString(after.triage.state), toString(TriageState::FalsePositive));
    QCOMPARE(after.triage.by, u"alice"_s);
    QCOMPARE(after.triage.at, triage(TriageState::New, {}).at);
    QVERIFY(after.triage.note.startsWith(u"a test fixture; token "_s));
    QVERIFY2(!after.triage.note.contains(secret), qPrintable(after.triage.note)); // redacted
    QCOMPARE(toString(at(store->findings({}), u"pastebin.com"_s).triage.state),
             toString(TriageState::New));

    // One history row, one evidence entry, the chain intact.
    QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM finding_triage"_s), u"1"_s);
    const QString row = m_db.sql(location, u"SELECT id FROM finding_triage"_s);
    const auto entry = store->latestEvidence(u"triage"_s, row);
    QVERIFY(entry);
    QCOMPARE(entry->stateHash, store->currentEvidenceState(u"triage"_s, row));
    QVERIFY(store->evidenceHead() != headBefore);
    const EvidenceReport report = store->verifyEvidence(headBefore);
    QVERIFY2(report.intact(),
             qPrintable(report.problems.isEmpty() ? report.error
                                                  : report.problems.constFirst().problem));

    // A second change: the latest is the state, both are kept.
    QVERIFY(store->triageFindings({id}, triage(TriageState::Fixed, u"bob"_s)));
    const QList<FindingTriage> history = store->triageHistory(id);
    QCOMPARE(history.size(), 2);
    QCOMPARE(toString(history.at(0).state), toString(TriageState::FalsePositive));
    QCOMPARE(toString(history.at(1).state), toString(TriageState::Fixed));
    QCOMPARE(history.at(1).by, u"bob"_s);
    QVERIFY(history.at(1).note.isEmpty());
    QCOMPARE(toString(at(store->findings({}), u"evil.example"_s).triage.state),
             toString(TriageState::Fixed));
    QVERIFY(store->triageHistory(at(before, u"pastebin.com"_s).id).isEmpty());
    QVERIFY(store->verifyEvidence({}).intact());
}

// A check stores the findings again under new row ids: the triage stays with the finding
// (task, rule, evidence), not with the row; a finding the check no longer gives loses its
// row, and comes back triaged when a later check gives it again.
void TestTriage::survivesRecheck()
{
    QFETCH(QString, backend);
    const QString location = m_db.fresh(backend);
    auto store = seeded(location);
    QVERIFY(store);
    const QList<Finding> first = store->findings({});
    QVERIFY(store->triageFindings({at(first, u"evil.example"_s).id, at(first, u"curl"_s).id},
                                  triage(TriageState::Acknowledged, u"alice"_s, u"seen"_s)));

    QList<Finding> reversed = threeFindings();
    std::reverse(reversed.begin(), reversed.end());
    QVERIFY2(recheck(*store, reversed), qPrintable(store->errorString()));
    const QList<Finding> second = store->findings({});
    QCOMPARE(second.size(), 3);
    QVERIFY(at(second, u"evil.example"_s).id != at(first, u"evil.example"_s).id);
    QCOMPARE(toString(at(second, u"evil.example"_s).triage.state),
             toString(TriageState::Acknowledged));
    QCOMPARE(at(second, u"evil.example"_s).triage.note, u"seen"_s);
    QCOMPARE(toString(at(second, u"curl"_s).triage.state), toString(TriageState::Acknowledged));
    // Same rule, another place: its own identity.
    QCOMPARE(toString(at(second, u"pastebin.com"_s).triage.state), toString(TriageState::New));

    // Gone from one check, back in the next: still acknowledged.
    QVERIFY(recheck(*store, {threeFindings().at(1)}));
    QCOMPARE(store->findings({}).size(), 1);
    QVERIFY(recheck(*store, threeFindings()));
    QCOMPARE(toString(at(store->findings({}), u"evil.example"_s).triage.state),
             toString(TriageState::Acknowledged));
    QVERIFY(store->verifyEvidence({}).intact());
}

void TestTriage::bulkAndFilter()
{
    QFETCH(QString, backend);
    auto store = seeded(m_db.fresh(backend));
    QVERIFY(store);
    const QList<Finding> all = store->findings({});
    QVERIFY(store->triageFindings({at(all, u"evil.example"_s).id, at(all, u"pastebin.com"_s).id},
                                  triage(TriageState::NeedsFollowUp, u"carol"_s, u"ask infra"_s)));
    FindingFilter filter;
    filter.triageState = TriageState::NeedsFollowUp;
    const QList<Finding> followUp = store->findings(filter);
    QCOMPARE(followUp.size(), 2);
    for (const Finding &f : followUp) {
        QCOMPARE(f.triage.by, u"carol"_s);
        QCOMPARE(f.triage.note, u"ask infra"_s);
    }
    filter.triageState = TriageState::New; // never triaged counts as new
    const QList<Finding> fresh = store->findings(filter);
    QCOMPARE(fresh.size(), 1);
    QCOMPARE(fresh.constFirst().evidenceRef, u"curl"_s);
    filter.triageState = TriageState::Fixed;
    QVERIFY(store->findings(filter).isEmpty());
    // The paged reads of the Findings table and the reports' reads carry the same.
    filter.triageState = TriageState::NeedsFollowUp;
    for (const FindingSort &sort : {FindingSort{}, FindingSort{FindingSortColumn::Severity, true},
                                    FindingSort{FindingSortColumn::Rule, false}}) {
        const QList<KeyedFinding> page = store->findingPage(filter, sort, std::nullopt);
        QCOMPARE(page.size(), 2);
        QCOMPARE(toString(page.constFirst().finding.triage.state),
                 toString(TriageState::NeedsFollowUp));
    }
    const QList<Finding> ofTask = store->findingsOfTasks({u"T-1"_s});
    QCOMPARE(ofTask.size(), 3);
    QCOMPARE(ReportTables::findingCells(at(ofTask, u"pastebin.com"_s)).at(3),
             u"needs follow-up (carol, 2025-12-04: ask infra)"_s);
    QCOMPARE(ReportTables::findingCells(at(ofTask, u"curl"_s)).at(3), u"new"_s);
}

void TestTriage::unknownIdChangesNothing()
{
    QFETCH(QString, backend);
    const QString location = m_db.fresh(backend);
    auto store = seeded(location);
    QVERIFY(store);
    const qint64 known = store->findings({}).constFirst().id;
    const QByteArray head = store->evidenceHead();
    QVERIFY(!store->triageFindings({known, 999999}, triage(TriageState::Fixed, u"alice"_s)));
    QVERIFY2(store->errorString().contains(u"no finding 999999"_s),
             qPrintable(store->errorString()));
    QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM finding_triage"_s), u"0"_s);
    QCOMPARE(store->evidenceHead(), head);
    QVERIFY(!store->triageFindings({known}, triage(TriageState::Fixed, u"  "_s)));
    QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM finding_triage"_s), u"0"_s);
}

void TestTriage::verifyNamesTamperedTriage_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("tamper");
    QTest::addColumn<QString>("problem");
    // PostgreSQL's history refuses changes: its owner must turn the guard off first.
    const QString unguard =
        u"ALTER TABLE finding_triage DISABLE TRIGGER finding_triage_insert_only; "_s;
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
        const QString off = backend == u"postgresql" ? unguard : QString();
        QTest::addRow("%s edited state", qPrintable(backend))
            << backend << off + u"UPDATE finding_triage SET state = 'fixed'"_s << u"triage"_s;
        QTest::addRow("%s edited note", qPrintable(backend))
            << backend << off + u"UPDATE finding_triage SET note = 'nothing to see'"_s
            << u"triage"_s;
        QTest::addRow("%s deleted", qPrintable(backend))
            << backend << off + u"DELETE FROM finding_triage"_s << u"triage"_s;
        QTest::addRow("%s forged", qPrintable(backend))
            << backend
            << u"INSERT INTO finding_triage (task_id, rule, evidence_kind, evidence_ref, "
               "command_seq, line_no, state, triaged_by, triaged_at) SELECT task_id, rule, "
               "evidence_kind, evidence_ref, 0, 0, 'false_positive', 'mallory', 1 FROM "
               "finding WHERE evidence_ref = 'pastebin.com'"_s
            << u"triage"_s;
    }
}

void TestTriage::verifyNamesTamperedTriage()
{
    QFETCH(QString, backend);
    QFETCH(QString, tamper);
    QFETCH(QString, problem);
    const QString location = m_db.fresh(backend);
    auto store = seeded(location);
    QVERIFY(store);
    QVERIFY(store->triageFindings({at(store->findings({}), u"evil.example"_s).id},
                                  triage(TriageState::Acknowledged, u"alice"_s, u"seen"_s)));
    QVERIFY(store->verifyEvidence({}).intact());
    QString error;
    m_db.sql(location, tamper, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const EvidenceReport report = store->verifyEvidence({});
    QVERIFY(!report.intact());
    bool named = false;
    for (const EvidenceProblem &p : report.problems)
        named = named || p.kind == problem;
    QVERIFY2(named, qPrintable(report.problems.constFirst().kind + u": "_s +
                               report.problems.constFirst().problem));
}

// A reader of a team database may triage (history and evidence: inserts), and verify still
// holds; nobody may update or delete the history, its owner included.
void TestTriage::readerTriagesButCannotRewrite()
{
    const QString location = m_db.fresh(u"postgresql"_s);
    QVERIFY(seeded(location));
    const auto roles = cli({u"admin"_s, u"init-roles"_s, u"--db"_s, location});
    QVERIFY2(roles.exitCode == 0, qPrintable(roles.err));
    QString error;
    m_db.sql(location,
             u"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'triager') "
             "THEN CREATE ROLE triager LOGIN IN ROLE tasktrail_reader; CREATE ROLE keeper LOGIN "
             "IN ROLE tasktrail_owner; END IF; END $$"_s,
             &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString asReader =
        QString(location).replace(PgFixture::Server::superuser() + u'@', u"triager@"_s);
    auto reader = openStore(asReader, &error);
    QVERIFY2(reader, qPrintable(error));
    const QList<Finding> all = reader->findings({});
    QCOMPARE(all.size(), 3);
    QVERIFY2(reader->triageFindings({all.at(0).id, all.at(1).id},
                                    triage(TriageState::FalsePositive, u"triager"_s)),
             qPrintable(reader->errorString()));
    QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM finding_triage"_s), u"2"_s);
    QVERIFY(reader->verifyEvidence({}).intact());
    // The reader still writes no record: the refusal shows at the write or, since a batch's
    // writes are sent without waiting for each answer, at the latest at the commit.
    QVERIFY(reader->beginBatch());
    RequestRecord r;
    r.id = u"R-reader"_s;
    QVERIFY(!reader->writeRequest(r) || !reader->commitBatch());
    QVERIFY2(reader->errorString().contains(u"permission denied"_s),
             qPrintable(reader->errorString()));
    reader->rollbackBatch();
    QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM request WHERE id = 'R-reader'"_s), u"0"_s);

    const auto refused = [&](const QString &user, const QString &sql, const QString &why) {
        QString err;
        m_db.sql(location, sql, &err, user);
        return err.contains(why) ? QString() : QString(user + u": "_s + sql + u" -> '"_s + err);
    };
    const QString denied = u"permission denied"_s;
    const QString insertOnly = u"accepts inserts only"_s;
    QCOMPARE(refused(u"triager"_s, u"UPDATE finding_triage SET state = 'new'"_s, denied),
             QString());
    QCOMPARE(refused(u"triager"_s, u"DELETE FROM finding_triage"_s, denied), QString());
    QCOMPARE(refused(u"triager"_s, u"DELETE FROM finding"_s, denied), QString());
    QCOMPARE(refused(u"keeper"_s, u"UPDATE finding_triage SET state = 'new'"_s, insertOnly),
             QString());
    QCOMPARE(refused(u"keeper"_s, u"DELETE FROM finding_triage"_s, insertOnly), QString());
    QCOMPARE(refused(PgFixture::Server::superuser(), u"TRUNCATE finding_triage"_s, insertOnly),
             QString());
}

void TestTriage::cliRoundTrip()
{
    QFETCH(QString, backend);
    const QString location = m_db.fresh(backend);
    QVERIFY(seeded(location));
    const auto listed = [&location](const QStringList &options) {
        const auto run = cli(
            QStringList{u"findings"_s, u"--db"_s, location, u"--format"_s, u"json"_s} + options);
        return QJsonDocument::fromJson(run.out.toUtf8()).array();
    };
    const QJsonArray all = listed({});
    QCOMPARE(all.size(), 3);
    QStringList ids;
    for (const QJsonValue &v : all) {
        QCOMPARE(v[u"triage"_s][u"state"_s].toString(), u"new"_s);
        QVERIFY(v[u"triage"_s][u"by"_s].isNull());
        if (v[u"rule"_s].toString() == u"host_not_allowed")
            ids << QString::number(v[u"id"_s].toInteger());
    }
    QCOMPARE(ids.size(), 2);

    const auto triaged = cli(QStringList{u"findings"_s, u"triage"_s} + ids +
                             QStringList{u"--state"_s, u"false positive"_s, u"--note"_s,
                                         u"mirror hosts; was "_s + secret, u"--by"_s, u"dana"_s,
                                         u"--db"_s, location});
    QVERIFY2(triaged.exitCode == 0, qPrintable(triaged.err));
    QCOMPARE(triaged.out, u"2 finding(s) now false positive\n"_s);

    const QJsonArray falsePositives = listed({u"--state"_s, u"false_positive"_s});
    QCOMPARE(falsePositives.size(), 2);
    for (const QJsonValue &v : falsePositives) {
        const QJsonObject t = v[u"triage"_s].toObject();
        QCOMPARE(t.value(u"state"_s).toString(), u"false_positive"_s);
        QCOMPARE(t.value(u"by"_s).toString(), u"dana"_s);
        QVERIFY(!t.value(u"at"_s).toString().isEmpty());
        QVERIFY(t.value(u"note"_s).toString().startsWith(u"mirror hosts; was "_s));
        QVERIFY(!t.value(u"note"_s).toString().contains(secret));
    }
    QCOMPARE(listed({u"--state"_s, u"new"_s}).size(), 1);
    const auto text = cli({u"findings"_s, u"--db"_s, location, u"--state"_s, u"false_positive"_s});
    QVERIFY2(text.out.contains(u"false positive"_s) && text.out.contains(u"triaged by dana at "_s),
             qPrintable(text.out));
    // `show` says each finding's state, and who triaged it and why.
    const QString taskId = falsePositives.at(0)[u"task_id"_s].toString();
    const auto show = cli({u"show"_s, u"--db"_s, location, taskId});
    QVERIFY2(show.out.contains(u"false positive (dana, "_s), qPrintable(show.out + show.err));

    // Without --by, the user name of the operating system.
    const std::optional<QByteArray> user =
        qEnvironmentVariableIsSet("USER") ? std::optional(qgetenv("USER")) : std::nullopt;
    qputenv("USER", "erin");
    const auto byUser = cli({u"findings"_s, u"triage"_s, ids.constFirst(), u"--state"_s, u"fixed"_s,
                             u"--db"_s, location});
    user ? qputenv("USER", *user) : qunsetenv("USER");
    QVERIFY2(byUser.exitCode == 0, qPrintable(byUser.err));
    QCOMPARE(listed({u"--state"_s, u"fixed"_s}).at(0)[u"triage"_s][u"by"_s].toString(), u"erin"_s);

    const auto badState = cli({u"findings"_s, u"triage"_s, ids.constFirst(), u"--state"_s,
                               u"wontfix"_s, u"--by"_s, u"dana"_s, u"--db"_s, location});
    QCOMPARE(badState.exitCode, 2);
    QVERIFY2(badState.err.contains(u"--state must be one of new, acknowledged"_s),
             qPrintable(badState.err));
    const auto unknown = cli({u"findings"_s, u"triage"_s, u"424242"_s, u"--state"_s, u"fixed"_s,
                              u"--by"_s, u"dana"_s, u"--db"_s, location});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains(u"no finding 424242"_s), qPrintable(unknown.err));
    const auto notAnId =
        cli({u"findings"_s, u"triage"_s, u"T-1"_s, u"--state"_s, u"fixed"_s, u"--db"_s, location});
    QCOMPARE(notAnId.exitCode, 2);
    QCOMPARE(m_db.sql(location, u"SELECT count(*) FROM finding_triage"_s), u"3"_s);
}

QTEST_GUILESS_MAIN(TestTriage)
#include "tst_triage.moc"
