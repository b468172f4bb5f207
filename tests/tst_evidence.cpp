// The evidence chain on both backends: real files ingested into a SQLite file or a PostgreSQL
// database, then changed behind Tasktrail's back with plain SQL (SQLite's C API, psql), as an
// attacker holding the file or the database owner's role would.
#include "backends.h"
#include "clirun.h"
#include "demo/demogenerator.h"
#include "evidencefixture.h"
#include "ingest/ingestor.h"
#include "store/evidencehash.h"
#include "store/recordstore.h"
#include "text/sha256.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail::CliRun;
using namespace Tasktrail;
using namespace EvidenceFixture;

namespace {

QString describe(const QList<EvidenceProblem> &problems)
{
    QStringList lines;
    for (const EvidenceProblem &p : problems)
        lines << u"seq %1: %2 %3: %4"_s.arg(p.seq).arg(p.kind, p.ref, p.problem);
    return lines.join(u'\n');
}

// Each expected item is "kind|ref|words of the problem" (ref "*": any); every problem must
// match exactly one item and every item one problem.
QString mismatch(const QList<EvidenceProblem> &problems, QStringList expected)
{
    QStringList unexpected;
    for (const EvidenceProblem &p : problems) {
        const auto it = std::find_if(expected.begin(), expected.end(), [&p](const QString &e) {
            const QStringList parts = e.split(u'|');
            return parts.at(0) == p.kind && (parts.at(1) == u"*" || parts.at(1) == p.ref) &&
                   p.problem.contains(parts.at(2));
        });
        if (it == expected.end())
            unexpected << describe({p});
        else
            expected.erase(it);
    }
    if (unexpected.isEmpty() && expected.isEmpty())
        return {};
    return u"unexpected:\n  "_s % unexpected.join(u"\n  "_s) % u"\nnot reported:\n  "_s %
           expected.join(u"\n  "_s) % u"\nall:\n"_s % describe(problems);
}

} // namespace

class TestEvidence final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void untouchedDatabaseVerifiesClean_data();
    void untouchedDatabaseVerifiesClean();
    void everyRecordIsInTheChain_data() { Backends::addBackendRows(); }
    void everyRecordIsInTheChain();
    void tampering_data();
    void tampering();
    void anEntryOfSeveralRunsCoversEachOfThem_data() { Backends::addBackendRows(); }
    void anEntryOfSeveralRunsCoversEachOfThem();
    void anEntryOfSeveralEventsCoversEachOfThem_data() { Backends::addBackendRows(); }
    void anEntryOfSeveralEventsCoversEachOfThem();
    void aForgedRefHidesNothing_data();
    void aForgedRefHidesNothing();
    void idsWithSeparatorsKeepTheirRecords_data() { Backends::addBackendRows(); }
    void idsWithSeparatorsKeepTheirRecords();
    void knownHeadCatchesACutTail_data() { Backends::addBackendRows(); }
    void knownHeadCatchesACutTail();
    void sameInputAgainAddsNothing_data() { Backends::addBackendRows(); }
    void sameInputAgainAddsNothing();
    void rollbackLeavesNoHalfChain_data() { Backends::addBackendRows(); }
    void rollbackLeavesNoHalfChain();
    void aRowChangedLaterInItsBatchIsRecordedAsTheBatchLeftIt_data() { Backends::addBackendRows(); }
    void aRowChangedLaterInItsBatchIsRecordedAsTheBatchLeftIt();
    void anAuditEventIsRecordedAsItsRowReadsBack_data() { Backends::addBackendRows(); }
    void anAuditEventIsRecordedAsItsRowReadsBack();
    void cancelledIngestLeavesAWholeChain_data() { Backends::addBackendRows(); }
    void cancelledIngestLeavesAWholeChain();
    void killedIngestLeavesAWholeChain_data() { Backends::addBackendRows(); }
    void killedIngestLeavesAWholeChain();

    void cliVerifyExitCodesAndOutput_data() { Backends::addBackendRows(); }
    void cliVerifyExitCodesAndOutput();
    void cliStatsShowsTheHead_data() { Backends::addBackendRows(); }
    void cliStatsShowsTheHead();

private:
    // The scene of the current row's backend, and a copy of its clean database.
    const EvidenceFixture::Scene &scene();
    QString freshCopy();
    // Plain SQL on the database at `location`, not through Tasktrail: empty, or the error.
    QString tamper(const QString &location, const QByteArray &sql);
    // What verify of the database at `location` reports that `expected` (see mismatch()) does
    // not say, or a record that changed reported elsewhere than at its latest entry; empty
    // when it reports exactly that.
    static QString verifyReports(const QString &location, const QStringList &expected);

    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QMap<QString, EvidenceFixture::Scene> m_scenes;
};

void TestEvidence::initTestCase()
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

const EvidenceFixture::Scene &TestEvidence::scene()
{
    QFETCH(QString, backend);
    return m_scenes[backend];
}

QString TestEvidence::freshCopy()
{
    return m_db.copyOf(scene().clean);
}

QString TestEvidence::tamper(const QString &location, const QByteArray &sql)
{
    if (!location.startsWith(u"postgresql://"_s))
        return EvidenceFixture::tamper(location, sql);
    QString error;
    m_db.sql(location, QString::fromUtf8(sql), &error);
    return error;
}

QString TestEvidence::verifyReports(const QString &location, const QStringList &expected)
{
    QString error;
    auto store = openStore(location, &error);
    if (!store)
        return error;
    const EvidenceReport report = store->verifyEvidence({});
    if (!report.error.isEmpty())
        return report.error;
    const QString wrong = mismatch(report.problems, expected);
    if (!wrong.isEmpty())
        return wrong;
    for (const EvidenceProblem &p : report.problems) {
        if (p.problem.contains(u"after ingest"_s) &&
            p.seq != store->latestEvidence(p.kind, p.ref)->seq)
            return u"not at its latest entry: "_s % describe({p});
    }
    return {};
}

void TestEvidence::untouchedDatabaseVerifiesClean_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("demo");
    Backends::forEachBackend([](const auto &row) {
        row("fixture files") << false;
        row("demo set") << true;
    });
}

void TestEvidence::untouchedDatabaseVerifiesClean()
{
    QFETCH(bool, demo);
    QString error;
    auto store = openStore(demo ? scene().demoDb : scene().clean, &error);
    QVERIFY2(store, qPrintable(error));
    const EvidenceReport report = store->verifyEvidence({});
    QVERIFY2(report.intact(), qPrintable(report.error % describe(report.problems)));
    QVERIFY(report.entries > 10);
    QCOMPARE(report.head, store->evidenceHead());
    QVERIFY(
        QRegularExpression(u"^[0-9a-f]{64}$"_s).match(QString::fromLatin1(report.head)).hasMatch());
}

void TestEvidence::everyRecordIsInTheChain()
{
    QString error;
    auto store = openStore(scene().clean, &error);
    QVERIFY2(store, qPrintable(error));
    const QList<std::pair<QString, QString>> records{{u"request"_s, u"R-100"_s},
                                                     {u"campaign"_s, u"C-7"_s},
                                                     {u"decision"_s, u"C-7/acme/web"_s},
                                                     {u"decision"_s, u"C-7/acme/billing"_s},
                                                     {u"identity"_s, u"I-bot"_s},
                                                     {u"policy"_s, u"P-deps@3"_s},
                                                     {u"template"_s, u"TPL-upgrade@2"_s},
                                                     {u"task"_s, u"T-1"_s},
                                                     {u"task"_s, u"T-2"_s},
                                                     {u"pull_request"_s, u"acme/web#42"_s},
                                                     {u"review"_s, u"7001"_s},
                                                     {u"check_run"_s, u"8001"_s}};
    for (const auto &[kind, ref] : records) {
        const auto entry = store->latestEvidence(kind, ref);
        QVERIFY2(entry, qPrintable(kind % u' ' % ref));
        QCOMPARE(entry->stateHash, store->currentEvidenceState(kind, ref));
        QCOMPARE(entry->contentHash.size(), 32);
        QCOMPARE(entry->chainHash.size(), 32);
    }
    // Linking the PR to T-1 changed the task after its record was written: a later entry.
    QVERIFY(store->latestEvidence(u"task"_s, u"T-1"_s)->seq >
            store->latestEvidence(u"pull_request"_s, u"acme/web#42"_s)->seq);
    QVERIFY(!store->latestEvidence(u"task"_s, u"T-404"_s));
}

void TestEvidence::tampering_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("sql");
    QTest::addColumn<QStringList>("expected");

    for (const char *backend : {"sqlite", "postgresql"}) {
        const bool pg = qstrcmp(backend, "postgresql") == 0;
        const auto row = [backend](const char *name) -> QTestData & {
            return QTest::addRow("%s: %s", backend, name) << QString::fromLatin1(backend);
        };
        // PostgreSQL's evidence table refuses changes: its owner must turn the guard off first.
        const QByteArray unguard =
            pg ? "ALTER TABLE evidence DISABLE TRIGGER evidence_insert_only;" : "";
        const QByteArray zeros = pg ? "decode(repeat('00', 32), 'hex')" : "zeroblob(32)";
        // The log search index that an edit by hand leaves behind: SQLite's FTS5 table,
        // PostgreSQL's search column of log_line.
        const auto logIndex = [pg](const char *rest) -> QString {
            return QString::fromLatin1(pg ? "log_line.search|" : "log_fts|") +
                   QString::fromLatin1(rest);
        };

        row("task state edited") << QByteArray("UPDATE task SET state = 'failed' WHERE id = 'T-1'")
                                 << QStringList{u"task|T-1|edited after ingest"_s};
        row("command row deleted")
            << QByteArray("DELETE FROM command WHERE task_id = 'T-1' AND seq = 1")
            << QStringList{u"task|T-1|edited after ingest"_s};
        row("decision deleted")
            << QByteArray("DELETE FROM repo_decision WHERE repo = 'acme/billing'")
            << QStringList{u"decision|C-7/acme/billing|deleted after ingest"_s,
                           u"record_text|decision C-7 acme/billing|no such record"_s};
        row("pull request edited")
            << QByteArray("UPDATE pull_request SET merged_by = 'mallory'")
            << QStringList{u"pull_request|acme/web#42|edited after ingest"_s};
        row("NULL made an empty string")
            << QByteArray("UPDATE task SET state_reason = '' WHERE state_reason IS NULL")
            << QStringList{u"task|T-1|edited after ingest"_s, u"task|T-2|edited after ingest"_s};
        // The events of a batch share an entry: here AE-1 alone.
        row("audit event edited")
            << QByteArray("UPDATE audit_event SET actor = 'someone-else' WHERE id = 'AE-1'")
            << QStringList{u"audit_events|[\"AE-1\"]|edited after ingest"_s};
        row("audit event inserted by hand")
            << QByteArray("INSERT INTO audit_event (id, action, actor) VALUES ('AE-forged', "
                          "'git.clone', 'mallory')")
            << QStringList{u"audit_event|AE-forged|not in the evidence chain"_s};
        row("audit event deleted")
            << QByteArray("DELETE FROM audit_event WHERE id = 'AE-1'")
            << QStringList{u"audit_events|[\"AE-1\"]|deleted after ingest"_s};
        row("template text edited")
            << QByteArray("UPDATE policy_document SET text = replace(text, 'npm ci', 'curl **') "
                          "WHERE id = 't-min'")
            << QStringList{u"template_document|t-min@1|edited after ingest"_s};
        row("log line edited")
            << QByteArray(
                   "UPDATE log_line SET text = 'npm ci --ignore-scripts' WHERE text = 'npm ci'")
            << QStringList{u"log|*|edited after ingest (task T-1 command 1)"_s,
                           logIndex("1:1-1|does not match the stored line (task T-1 command 1")};
        row("log line inserted")
            << QByteArray(
                   "INSERT INTO log_line (id, text) SELECT max(id) + 1, 'forged' FROM log_line")
            << QStringList{u"log|*|not in the evidence chain (task T-2 command 1)"_s,
                           logIndex("*|does not match the stored line (task T-2 command 1")};
        row("task inserted by hand")
            << QByteArray("INSERT INTO task (id, repo, state) VALUES ('T-forged', 'acme/web', "
                          "'completed')")
            << QStringList{u"task|T-forged|not in the evidence chain"_s};
        row("review inserted by hand")
            << QByteArray("INSERT INTO review (id, repo, pr_number, reviewer, state) "
                          "VALUES (7002, 'acme/web', 42, 'mallory', 'APPROVED')")
            << QStringList{u"review|7002|not in the evidence chain"_s};
        row("evidence row deleted")
            << unguard + "DELETE FROM evidence WHERE kind = 'review' AND ref = '7001'"
            << QStringList{u"||entry missing"_s, u"review|7001|not in the evidence chain"_s};
        row("evidence rows swapped")
            << unguard +
                   "CREATE TEMP TABLE s AS SELECT (SELECT seq FROM evidence WHERE kind = "
                   "'request') AS a, (SELECT seq FROM evidence WHERE kind = 'identity') AS b;"
                   "UPDATE evidence SET seq = -1 WHERE seq = (SELECT a FROM s);"
                   "UPDATE evidence SET seq = (SELECT a FROM s) WHERE seq = (SELECT b FROM s);"
                   "UPDATE evidence SET seq = (SELECT b FROM s) WHERE seq = -1;"
            << QStringList{u"request|R-100|out of order"_s, u"identity|I-bot|out of order"_s};
        row("entry's state hash changed")
            << unguard + "UPDATE evidence SET state_hash = " + zeros + " WHERE kind = 'request'"
            << QStringList{u"request|R-100|entry altered: its content hash, state hash"_s,
                           u"request|R-100|edited after ingest"_s};
        // No state can be read for a kind no table holds; on PostgreSQL the entry's chunk of
        // records is read again record by record, and only this one cannot be checked.
        row("entry's kind changed")
            << unguard + "UPDATE evidence SET kind = 'gadget' WHERE kind = 'request'"
            << QStringList{
                   u"gadget|R-100|entry altered: its content hash, state hash, kind or ref changed"_s,
                   u"gadget|R-100|cannot be checked: unknown kind"_s,
                   u"request|R-100|not in the evidence chain"_s};
        row("entry's chain hash changed")
            << unguard + "UPDATE evidence SET chain_hash = " + zeros + " WHERE kind = 'request'"
            << QStringList{u"request|R-100|its chain hash changed"_s};
        // The last batch linked T-1 to its PR; without its entry the task no longer matches.
        row("last entry deleted")
            << unguard + "DELETE FROM evidence WHERE seq = (SELECT max(seq) FROM evidence)"
            << QStringList{u"task|T-1|edited after ingest"_s};
    }
}

void TestEvidence::tampering()
{
    QFETCH(QByteArray, sql);
    QFETCH(QStringList, expected);
    const QString path = freshCopy();
    const QString error = tamper(path, sql);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!expected.isEmpty());
    // A record that changed is reported at its latest entry.
    const QString wrong = verifyReports(path, expected);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
}

// A batch's log runs share entries, up to 64 to one: an edit in the last range of such an
// entry is found at that entry, and a line put in behind the ingest's back beside its first
// range is found as one no entry covers.
void TestEvidence::anEntryOfSeveralRunsCoversEachOfThem()
{
    const QString path = m_db.copyOf(scene().demoDb);
    QString error;
    const QString ref = m_db.sql(path,
                                 u"SELECT ref FROM evidence WHERE kind = 'log' AND ref LIKE "
                                 "'%,%' ORDER BY seq LIMIT 1"_s,
                                 &error);
    QVERIFY2(!ref.isEmpty(), qPrintable(error));
    const auto ranges = Evidence::parseLogRefs(ref);
    QVERIFY(ranges && ranges->size() > 1);
    const auto commandOf = [&](qint64 key, const char *column) {
        return m_db.sql(path, u"SELECT %1 FROM command WHERE key = %2"_s.arg(
                                  QLatin1StringView(column), QString::number(key)));
    };
    const Evidence::LogRange first = ranges->constFirst();
    const Evidence::LogRange last = ranges->constLast();
    const QString firstTask = commandOf(first.commandKey, "task_id");
    QVERIFY(!firstTask.isEmpty());
    const QString firstCommand = commandOf(first.commandKey, "seq");
    const QString lastCommand = u"task %1 command %2"_s.arg(commandOf(last.commandKey, "task_id"),
                                                            commandOf(last.commandKey, "seq"));
    const qint64 edited = (last.commandKey << 32) | last.lastLine;
    const qint64 forged = (first.commandKey << 32) | (first.lastLine + 100000);
    QCOMPARE(tamper(path, "UPDATE log_line SET text = text || ' (edited)' WHERE id = " +
                              QByteArray::number(edited) +
                              "; INSERT INTO log_line (id, text) VALUES (" +
                              QByteArray::number(forged) + ", 'forged')"),
             QString());

    const QString index = path.startsWith(u"postgresql://"_s) ? u"log_line.search"_s : u"log_fts"_s;
    const QString wrong = verifyReports(
        path, {u"log|%1|edited after ingest (%2 runs of lines, the first task %3 command %4)"_s.arg(
                   ref, QString::number(ranges->size()), firstTask, firstCommand),
               u"%1|*|does not match the stored line (%2"_s.arg(index, lastCommand),
               u"log|%1:%2-%2|not in the evidence chain (task %3 command %4)"_s.arg(
                   QString::number(first.commandKey), QString::number(first.lastLine + 100000),
                   firstTask, firstCommand),
               u"%1|*|does not match the stored line (task %2 command %3"_s.arg(index, firstTask,
                                                                                firstCommand)});
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
}

// A batch's audit events share entries, up to 64 to one: an event edited or deleted behind
// the ingest's back is found at its entry, wherever it is in the entry's list.
void TestEvidence::anEntryOfSeveralEventsCoversEachOfThem()
{
    const QString path = m_db.copyOf(scene().demoDb);
    // Two entries of several events; events no audit link names, so that only the chain
    // sees the change.
    const QString pick = u"SELECT ref FROM evidence WHERE kind = 'audit_events' AND ref LIKE "
                         "'%%\",%%' ORDER BY seq LIMIT 1 OFFSET %1"_s;
    const QString first = m_db.sql(path, pick.arg(0));
    const QString second = m_db.sql(path, pick.arg(1));
    const auto firstIds = Evidence::parseGroupRef(first);
    const auto secondIds = Evidence::parseGroupRef(second);
    QVERIFY2(firstIds && secondIds && firstIds->size() > 2 && secondIds->size() > 1,
             qPrintable(first + u'\n' + second));
    const auto unlinked = [&](const QStringList &ids) {
        for (const QString &id : ids) {
            if (m_db.sql(path, u"SELECT count(*) FROM audit_link WHERE event_id = '%1'"_s.arg(
                                   id)) == u"0")
                return id;
        }
        return QString();
    };
    const QString edited = unlinked(firstIds->mid(1)); // not the first of its entry
    const QString deleted = unlinked(*secondIds);
    QVERIFY(!edited.isEmpty() && !deleted.isEmpty());
    QCOMPARE(tamper(path, "UPDATE audit_event SET actor = 'someone-else' WHERE id = '" +
                              edited.toUtf8() + "'; DELETE FROM audit_event WHERE id = '" +
                              deleted.toUtf8() + "'"),
             QString());

    // One event of several gone: the entry's rows are edited, not all deleted.
    const QString wrong =
        verifyReports(path, {u"audit_events|%1|edited after ingest"_s.arg(first),
                             u"audit_events|%1|edited after ingest"_s.arg(second)});
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
}

void TestEvidence::aForgedRefHidesNothing_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("ref");
    QTest::addColumn<QStringList>("expected");
    Backends::forEachBackend([](const auto &row) {
        const QString checked = u"cannot be checked: its ref does not list what it covers"_s;
        row("a null among the ids")
            << u"audit_events"_s << u"[null]"_s
            << QStringList{u"audit_events|[null]|"_s + checked,
                           u"audit_event|AE-forged|not in the evidence chain"_s};
        row("a number among the ids")
            << u"audit_events"_s << u"[\"AE-forged\",7]"_s
            << QStringList{u"audit_events|[\"AE-forged\",7]|"_s + checked};
        row("65 ids") << u"audit_events"_s << [] {
            QStringList ids{u"AE-forged"_s};
            for (int i = 0; i < 64; ++i)
                ids << u"AE-x%1"_s.arg(i);
            return QString::fromUtf8(Evidence::groupRef(ids));
        }() << QStringList{u"audit_events|*|"_s + checked};
        row("65 log ranges") << u"log"_s << [] {
            QStringList ranges;
            for (int i = 1; i <= 65; ++i)
                ranges << u"%1:1-1000"_s.arg(i);
            return ranges.join(u',');
        }() << QStringList{u"log|*|"_s + checked};
    });
}

// An entry appended and chained by someone who can compute the chain (without a known head
// verify cannot tell it from the ingest's), whose ref does not parse as what it lists: it is
// reported, and hides no event put in behind the ingest's back.
void TestEvidence::aForgedRefHidesNothing()
{
    QFETCH(QString, kind);
    QFETCH(QString, ref);
    QFETCH(QStringList, expected);
    const QString path = freshCopy();
    const bool pg = path.startsWith(u"postgresql://"_s);
    QString error;
    QByteArray head;
    qint64 entries = 0;
    {
        auto store = openStore(path, &error);
        QVERIFY2(store, qPrintable(error));
        head = QByteArray::fromHex(store->evidenceHead());
        entries = store->stats().evidenceEntries;
    }
    const QByteArray state = Sha256::of(QByteArray()); // the digest of no rows
    const QByteArray chain =
        Evidence::chainHash(head, entries + 1, kind.toUtf8(), ref.toUtf8(), state, state);
    const auto bytes = [pg](const QByteArray &b) {
        return pg ? QByteArray("decode('" + b.toHex() + "', 'hex')")
                  : QByteArray("X'" + b.toHex() + "'");
    };
    QByteArray quoted = ref.toUtf8();
    quoted.replace('\'', "''");
    QCOMPARE(tamper(path, "INSERT INTO audit_event (id, action) VALUES ('AE-forged', 'git.clone'); "
                          "INSERT INTO evidence (seq, kind, ref, content_hash, state_hash, "
                          "chain_hash, at) VALUES (" +
                              QByteArray::number(entries + 1) + ", '" + kind.toUtf8() + "', '" +
                              quoted + "', " + bytes(state) + ", " + bytes(state) + ", " +
                              bytes(chain) + ", 0)"),
             QString());
    auto store = openStore(path, &error);
    QVERIFY2(store, qPrintable(error));
    const EvidenceReport report = store->verifyEvidence({});
    QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
    QCOMPARE(report.entries, entries + 1); // it chains
    // Where the forged ref lists the forged event (as JSON SQL reads), the entry is reported
    // instead of the event.
    if (!ref.contains(u"AE-forged"_s))
        expected << u"audit_event|AE-forged|not in the evidence chain"_s;
    expected.removeDuplicates();
    const QString wrong = mismatch(report.problems, expected);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
}

// A ref joins two ids with '/', '@' or '#'; ids holding those characters (or '%') must still
// name exactly their own rows, in the store's queries and in the SQL that finds unlisted rows.
void TestEvidence::idsWithSeparatorsKeepTheirRecords()
{
    const QString records = m_dir.filePath(u"separators.jsonl"_s);
    QVERIFY(writeFile(
        records,
        R"({"tasktrail":1,"kind":"decision","campaign_id":"C/8%2F","repo":"acme/web","verdict":"skipped","rule":"archived"})"
        "\n"
        R"({"tasktrail":1,"kind":"decision","campaign_id":"C","repo":"8%2F/web","verdict":"eligible"})"
        "\n"
        R"({"tasktrail":1,"kind":"policy","id":"P@1","version":"2","verdict":"allowed"})"
        "\n"
        R"({"tasktrail":1,"kind":"policy","id":"P","version":"1@2","verdict":"denied"})"
        "\n"
        R"({"tasktrail":1,"kind":"pull_request","repo":"odd/re#po","number":7,"title":"x","state":"open"})"
        "\n"));
    QFETCH(QString, backend);
    const QString path = m_db.fresh(backend);
    QString error;
    QVERIFY2(ingest(path, {records}, &error), qPrintable(error));
    {
        auto store = openStore(path, nullptr);
        const EvidenceReport clean = store->verifyEvidence({});
        QVERIFY2(clean.intact(), qPrintable(describe(clean.problems)));
        QVERIFY(store->latestEvidence(u"decision"_s, u"C%2F8%252F/acme/web"_s));
        QVERIFY(store->latestEvidence(u"policy"_s, u"P%401@2"_s));
        QVERIFY(store->latestEvidence(u"decision"_s, u"C/8%2F/web"_s));
        QVERIFY(store->latestEvidence(u"pull_request"_s, u"odd/re%23po#7"_s));
    }
    QVERIFY(tamper(path, "UPDATE repo_decision SET rule = 'freeze' WHERE campaign_id = 'C/8%2F';"
                         "UPDATE policy SET verdict = 'allowed' WHERE version = '1@2'")
                .isEmpty());
    auto store = openStore(path, nullptr);
    const EvidenceReport report = store->verifyEvidence({});
    const QString wrong = mismatch(
        report.problems, {u"decision|C%2F8%252F/acme/web|edited"_s, u"policy|P@1@2|edited"_s});
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
}

void TestEvidence::knownHeadCatchesACutTail()
{
    const QString path = freshCopy();
    QByteArray exported;
    {
        auto store = openStore(path, nullptr);
        exported = store->evidenceHead();
        QVERIFY(store->verifyEvidence(exported).intact());
        QVERIFY(!store->verifyEvidence("not-a-head").error.isEmpty());
    }
    // The last batch's entries and everything they covered, gone without a trace in the
    // chain itself.
    QFETCH(QString, backend);
    // PostgreSQL's evidence table refuses deletes: its owner must turn the guard off first.
    const QByteArray unguard = backend == u"postgresql"
                                   ? "ALTER TABLE evidence DISABLE TRIGGER evidence_insert_only;"
                                   : "";
    QVERIFY(tamper(path, unguard + "DELETE FROM evidence WHERE seq = (SELECT max(seq) FROM "
                                   "evidence);"
                                   "UPDATE task SET pr_number = NULL WHERE id = 'T-1';"
                                   "DELETE FROM evidence WHERE seq = (SELECT max(seq) FROM "
                                   "evidence);"
                                   "UPDATE check_run SET pr_number = NULL WHERE id = 8001")
                .isEmpty());
    auto store = openStore(path, nullptr);
    QVERIFY(store->verifyEvidence({}).intact());
    const EvidenceReport report = store->verifyEvidence(exported);
    QCOMPARE(report.problems.size(), 1);
    QVERIFY2(report.problems.constFirst().problem.contains(
                 u"does not contain the head %1"_s.arg(QString::fromLatin1(exported))),
             qPrintable(describe(report.problems)));
}

void TestEvidence::sameInputAgainAddsNothing()
{
    const QString path = freshCopy();
    QString error;
    auto store = openStore(path, &error);
    QVERIFY2(store, qPrintable(error));
    const QByteArray head = store->evidenceHead();
    const StoreStats before = store->stats();

    // The same files (recognised whole), then the same records and lines in a new file
    // (every record a duplicate).
    const QString renamed = m_dir.filePath(u"renamed.jsonl"_s);
    QVERIFY(writeFile(renamed, readFile(testData(u"good.jsonl"_s)) + "\n"));
    const QString relog = m_dir.filePath(u"relog.log"_s);
    QVERIFY(writeFile(relog, readFile(scene().inputs + u"/b-t1-command1.log"_s) +
                                 "2026-03-01T12:05:40Z audited 812 packages\n"));
    Ingestor ingestor(*store);
    QVERIFY2(ingestor.ingest({scene().inputs, renamed, relog}), qPrintable(ingestor.errorString()));
    QCOMPARE(ingestor.counts().ingested, 1); // the line relog.log adds
    QVERIFY(ingestor.counts().duplicates > 10);

    // That line is line 3 of T-1 command 1: one new entry, nothing else.
    const StoreStats after = store->stats();
    QCOMPARE(after.evidenceEntries, before.evidenceEntries + 1);
    const EvidenceReport report = store->verifyEvidence(head);
    QVERIFY2(report.intact(), qPrintable(describe(report.problems)));

    Ingestor again(*store);
    QVERIFY(again.ingest({scene().inputs, renamed, relog}));
    QCOMPARE(again.counts().ingested, 0);
    QCOMPARE(store->stats().evidenceEntries, after.evidenceEntries);
    QCOMPARE(store->evidenceHead(), after.evidenceHead);
}

// A check run is written, then linked to the pull request of its commit by a later write in
// the same batch: the chain records the row as the batch left it, not as the first write
// stored it.
void TestEvidence::aRowChangedLaterInItsBatchIsRecordedAsTheBatchLeftIt()
{
    const QString path = freshCopy();
    QString error;
    auto store = openStore(path, &error);
    QVERIFY2(store, qPrintable(error));
    const QDateTime at = QDateTime::fromString(u"2026-03-02T10:00:00Z"_s, Qt::ISODate);
    CheckRunRecord run;
    run.id = 880001;
    run.repo = u"acme/later"_s;
    run.headSha = u"5d41402abc4b2a76b9719d911017c592"_s;
    run.name = u"build"_s;
    run.status = u"completed"_s;
    run.conclusion = u"success"_s;
    run.startedAt = at;
    run.completedAt = at.addSecs(60);
    PullRequestRecord pr;
    pr.repo = run.repo;
    pr.number = 12;
    pr.githubId = 990012;
    pr.title = u"Later link"_s;
    pr.state = u"open"_s;
    pr.headSha = run.headSha;
    pr.createdAt = at;
    QVERIFY(store->beginBatch());
    QVERIFY(store->writeCheckRun(run));
    const QByteArray unlinked = store->currentEvidenceState(u"check_run"_s, u"880001"_s);
    QVERIFY(store->writePullRequest(pr));
    QVERIFY(store->linkPullRequests());
    QVERIFY(store->commitBatch());

    const QByteArray linked = store->currentEvidenceState(u"check_run"_s, u"880001"_s);
    QVERIFY(!linked.isEmpty());
    QVERIFY(linked != unlinked); // the link changed the row after its write
    const auto entry = store->latestEvidence(u"check_run"_s, u"880001"_s);
    QVERIFY(entry);
    QCOMPARE(entry->stateHash.toHex(), linked.toHex());
    const auto prEntry = store->latestEvidence(u"pull_request"_s, u"acme/later#12"_s);
    QVERIFY(prEntry);
    QCOMPARE(prEntry->stateHash.toHex(),
             store->currentEvidenceState(u"pull_request"_s, u"acme/later#12"_s).toHex());
    const EvidenceReport report = store->verifyEvidence({});
    QVERIFY2(report.intact(), qPrintable(report.error % describe(report.problems)));
}

// An audit event's state is hashed from the row its insert returns (SQLite) or read back
// (PostgreSQL); either way it is the digest of the row as stored, whatever its fields hold.
void TestEvidence::anAuditEventIsRecordedAsItsRowReadsBack()
{
    const QString path = freshCopy();
    QString error;
    auto store = openStore(path, &error);
    QVERIFY2(store, qPrintable(error));
    AuditEvent full;
    full.id = u"AE-returned-1"_s;
    full.action = u"git.push"_s;
    full.actor = u"deploy-bot"_s;
    full.actorIsBot = true;
    full.repo = u"acme/returned"_s;
    full.at = QDateTime::fromString(u"2026-03-02T10:00:00.250Z"_s, Qt::ISODate);
    full.hashedToken = u"n2Vq3cYdGGDt0nP6Yx7mFQdp3mY9c6bX2w7QWb0Xh1A="_s;
    full.tokenId = u"4200017"_s; // digits in a TEXT column stay text
    full.programmaticAccessType = u"GitHub App server-to-server token"_s;
    full.tokenScopes = {u"contents:write"_s, u"pull_requests:write"_s};
    full.requestMethod = u"POST"_s;
    full.requestRoute = u"/repos/{owner}/{repo}/git/refs"_s;
    full.userAgent = u"agent/1.0"_s;
    AuditEvent sparse; // every optional field absent: NULL, never ''
    sparse.id = u"AE-returned-2"_s;
    sparse.at = full.at.addSecs(1);
    const qint64 before = store->stats().evidenceEntries;
    QVERIFY(store->beginBatch());
    bool inserted = false;
    QVERIFY(store->writeAuditEvent(full, &inserted));
    QVERIFY(inserted);
    QVERIFY(store->writeAuditEvent(sparse, &inserted));
    QVERIFY(inserted);
    QVERIFY(store->writeAuditEvent(full, &inserted)); // the same event again: nothing
    QVERIFY(!inserted);
    QVERIFY(store->commitBatch());

    // One entry for the batch's two events, its state each event's digest combined.
    QCOMPARE(store->stats().evidenceEntries, before + 1);
    const QString ref = QString::fromUtf8(Evidence::groupRef({full.id, sparse.id}));
    const auto entry = store->latestEvidence(u"audit_events"_s, ref);
    QVERIFY2(entry, qPrintable(ref));
    QCOMPARE(entry->stateHash.toHex(), store->currentEvidenceState(u"audit_events"_s, ref).toHex());
    QCOMPARE(entry->stateHash.toHex(),
             Evidence::combined({store->currentEvidenceState(u"audit_event"_s, full.id),
                                 store->currentEvidenceState(u"audit_event"_s, sparse.id)})
                 .toHex());
    QVERIFY(!store->latestEvidence(u"audit_event"_s, full.id));
    const EvidenceReport report = store->verifyEvidence({});
    QVERIFY2(report.intact(), qPrintable(report.error % describe(report.problems)));
}

void TestEvidence::rollbackLeavesNoHalfChain()
{
    const QString path = freshCopy();
    QByteArray head;
    {
        auto store = openStore(path, nullptr);
        head = store->evidenceHead();
        // A batch rolled back: its touches must not leak into the next batch.
        QVERIFY(store->beginBatch());
        RequestRecord lost{u"R-lost"_s, u"never committed"_s, {}, {}, {}, {}};
        QVERIFY(store->writeRequest(lost));
        store->rollbackBatch();
        QVERIFY(store->beginBatch());
        RequestRecord kept{u"R-kept"_s, u"committed"_s, {}, {}, {}, {}};
        QVERIFY(store->writeRequest(kept));
        QVERIFY(store->commitBatch());
        QVERIFY(store->latestEvidence(u"request"_s, u"R-kept"_s));
        QVERIFY(!store->latestEvidence(u"request"_s, u"R-lost"_s));
        head = store->evidenceHead();

        // A process that dies mid-batch: the connection goes away with the batch open.
        QVERIFY(store->beginBatch());
        RequestRecord dying{u"R-dying"_s, u"killed before commit"_s, {}, {}, {}, {}};
        QVERIFY(store->writeRequest(dying));
        const auto key = store->commandKey(u"T-1"_s, 9);
        QVERIFY(key);
        bool inserted = false;
        QVERIFY(store->appendLogLine(*key, LogLine{1, 0, "half a batch", {}}, &inserted));
    }
    auto store = openStore(path, nullptr);
    QCOMPARE(store->evidenceHead(), head);
    QVERIFY(!store->latestEvidence(u"request"_s, u"R-dying"_s));
    const EvidenceReport report = store->verifyEvidence(head);
    QVERIFY2(report.intact(), qPrintable(describe(report.problems)));
}

void TestEvidence::cancelledIngestLeavesAWholeChain()
{
    QFETCH(QString, backend);
    const QString path = m_db.fresh(backend);
    auto store = openStore(path, nullptr);
    Ingestor ingestor(*store);
    IngestOptions options;
    options.recordBatch = 7;
    options.logBatchLines = 100;
    ingestor.setOptions(options);
    int progress = 0;
    connect(&ingestor, &Ingestor::progress, &ingestor, [&] {
        if (++progress == 20)
            ingestor.cancel();
    });
    QVERIFY(!ingestor.ingest({scene().demo}));
    QCOMPARE(ingestor.errorString(), u"cancelled"_s);
    const StoreStats stats = store->stats();
    QVERIFY(stats.evidenceEntries > 0);
    const EvidenceReport report = store->verifyEvidence({});
    QVERIFY2(report.intact(), qPrintable(describe(report.problems)));

    // Resumed, the ingest finishes the chain.
    Ingestor resumed(*store);
    QVERIFY(resumed.ingest({scene().demo}));
    const EvidenceReport done = store->verifyEvidence(stats.evidenceHead);
    QVERIFY2(done.intact(), qPrintable(describe(done.problems)));
}

void TestEvidence::killedIngestLeavesAWholeChain()
{
    QFETCH(QString, backend);
    const QString path = m_db.fresh(backend);
    QProcess ingest;
    ingest.start(QString::fromUtf8(TASKTRAIL_CLI), {u"ingest"_s, u"--db"_s, path, u"--quiet"_s,
                                                    u"--batch-lines"_s, u"20"_s, scene().demo});
    QVERIFY(ingest.waitForStarted());
    // Killed as soon as a batch has committed, before the ingest is done.
    const auto entries = [this, &path] {
        if (path.startsWith(u"postgresql://"_s))
            return m_db.sql(path, u"SELECT count(*) FROM evidence"_s).toLongLong();
        // Read-only: opening must not create the file before the ingest does.
        sqlite3 *db = nullptr;
        qint64 n = 0;
        sqlite3_stmt *count = nullptr;
        if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) ==
                SQLITE_OK &&
            sqlite3_prepare_v2(db, "SELECT count(*) FROM evidence", -1, &count, nullptr) ==
                SQLITE_OK &&
            sqlite3_step(count) == SQLITE_ROW)
            n = sqlite3_column_int64(count, 0);
        sqlite3_finalize(count);
        sqlite3_close(db);
        return n;
    };
    QVERIFY(QTest::qWaitFor([&] { return ingest.state() != QProcess::Running || entries() >= 1; },
                            20000));
    const bool midIngest = ingest.state() == QProcess::Running;
    ingest.kill();
    ingest.waitForFinished();
    QVERIFY2(midIngest, "the ingest finished before it could be killed");

    auto store = openStore(path, nullptr);
    QVERIFY(store);
    const StoreStats stats = store->stats();
    QVERIFY(stats.evidenceEntries >= 1);
    // Short of what the whole ingest appends: the kill landed before the end.
    auto whole = openStore(scene().demoDb, nullptr);
    QVERIFY(stats.evidenceEntries < whole->stats().evidenceEntries);
    whole.reset();
    const EvidenceReport report = store->verifyEvidence({});
    QVERIFY2(report.intact(), qPrintable(report.error % describe(report.problems)));
    Ingestor resumed(*store);
    QVERIFY(resumed.ingest({scene().demo}));
    const EvidenceReport done = store->verifyEvidence(stats.evidenceHead);
    QVERIFY2(done.intact(), qPrintable(describe(done.problems)));
}

void TestEvidence::cliVerifyExitCodesAndOutput()
{
    const QString path = freshCopy();
    Run run = cli({u"verify"_s, u"--db"_s, path});
    QCOMPARE(run.exitCode, 0);
    auto store = openStore(path, nullptr);
    const QString head = QString::fromLatin1(store->evidenceHead());
    store.reset();
    QVERIFY2(run.out.contains(u"entries checked, head "_s % head), qPrintable(run.out));
    QVERIFY(run.out.endsWith(u"intact\n"_s));

    QVERIFY(tamper(path, "UPDATE task SET prompt = 'rm -rf /' WHERE id = 'T-1'").isEmpty());
    run = cli({u"verify"_s, u"--db"_s, path});
    QCOMPARE(run.exitCode, 1);
    const QRegularExpression line(u"^seq \\d+: task T-1: edited after ingest$"_s,
                                  QRegularExpression::MultilineOption);
    QVERIFY2(line.match(run.out).hasMatch(), qPrintable(run.out));

    run = cli({u"verify"_s, u"--db"_s, path, u"--format"_s, u"json"_s});
    QCOMPARE(run.exitCode, 1);
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(json.value(u"intact"_s).toBool(true), false);
    QCOMPARE(json.value(u"head"_s).toString(), head);
    const QJsonObject problem = json.value(u"problems"_s).toArray().at(0).toObject();
    QCOMPARE(problem.value(u"kind"_s).toString(), u"task"_s);
    QCOMPARE(problem.value(u"ref"_s).toString(), u"T-1"_s);

    QCOMPARE(cli({u"verify"_s, u"--db"_s, path, u"--head"_s, u"xyz"_s}).exitCode, 2);
    QFETCH(QString, backend);
    const QString missing = backend == u"postgresql" ? m_db.server().url(u"no_such_database"_s)
                                                     : m_dir.filePath(u"no/such/dir/x.db"_s);
    QCOMPARE(cli({u"verify"_s, u"--db"_s, missing}).exitCode, 2);
}

void TestEvidence::cliStatsShowsTheHead()
{
    auto store = openStore(scene().clean, nullptr);
    const StoreStats stats = store->stats();
    store.reset();
    QVERIFY(stats.evidenceEntries > 0);
    const Run text = cli({u"stats"_s, u"--db"_s, scene().clean});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(u"%1 entries, head %2"_s.arg(stats.evidenceEntries)
                                   .arg(QString::fromLatin1(stats.evidenceHead))),
             qPrintable(text.out));
    const Run json = cli({u"stats"_s, u"--db"_s, scene().clean, u"--format"_s, u"json"_s});
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(o.value(u"evidence_head"_s).toString(), QString::fromLatin1(stats.evidenceHead));
    QCOMPARE(o.value(u"evidence_entries"_s).toInteger(), stats.evidenceEntries);
}

QTEST_GUILESS_MAIN(TestEvidence)
#include "tst_evidence.moc"
