// `tasktrail-cli scan`: a database as an older version left it, secrets in its rows (written
// here with plain SQL, past the redaction step, with evidence entries as that version made
// them) is scanned, redacted, and still verifies; a second scan finds nothing.
#include "clirun.h"
#include "evidencefixture.h"
#include "secretcorpus.h"
#include "sqlscalar.h"

#include "store/evidencehash.h"
#include "store/recordstore.h"
#include "store/secretscancolumns.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace Tasktrail::CliRun;
using SecretCorpus::Corpus;
using Tasktrail::SqlScalar::scalar;

namespace {

// Runs SQL with bound text values (?1, ?2, ...) on its own connection, as another program.
QString exec(const QString &db, const char *sql, const QStringList &values = {})
{
    sqlite3 *h = nullptr;
    sqlite3_open(db.toUtf8().constData(), &h);
    sqlite3_stmt *stmt = nullptr;
    QString error;
    if (sqlite3_prepare_v2(h, sql, -1, &stmt, nullptr) != SQLITE_OK) {
        error = QString::fromUtf8(sqlite3_errmsg(h));
    } else {
        for (int i = 0; i < values.size(); ++i) {
            const QByteArray v = values.at(i).toUtf8();
            sqlite3_bind_text(stmt, i + 1, v.constData(), int(v.size()), SQLITE_TRANSIENT);
        }
        if (sqlite3_step(stmt) != SQLITE_DONE)
            error = QString::fromUtf8(sqlite3_errmsg(h));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(h);
    return error;
}

// Appends the entry an older version's ingest appended for a record it wrote.
QString appendEntry(const QString &db, const QString &kind, const QString &ref)
{
    QString error;
    auto store = openStore(db, &error);
    if (!store)
        return error;
    const QByteArray state = store->currentEvidenceState(kind, ref);
    const QByteArray head = store->evidenceHead();
    store.reset();
    const QByteArray previous = head.isEmpty() ? Evidence::genesis() : QByteArray::fromHex(head);
    const qint64 seq = scalar(db, "SELECT coalesce(max(seq), 0) FROM evidence") + 1;
    const QByteArray content =
        QCryptographicHash::hash("written by an older version", QCryptographicHash::Sha256);
    const QByteArray chain =
        Evidence::chainHash(previous, seq, kind.toUtf8(), ref.toUtf8(), content, state);
    sqlite3 *h = nullptr;
    sqlite3_open(db.toUtf8().constData(), &h);
    sqlite3_stmt *stmt = nullptr;
    sqlite3_prepare_v2(h,
                       "INSERT INTO evidence (seq, kind, ref, content_hash, state_hash, "
                       "chain_hash, at) VALUES (?, ?, ?, ?, ?, ?, 0)",
                       -1, &stmt, nullptr);
    const QByteArray k = kind.toUtf8(), r = ref.toUtf8();
    sqlite3_bind_int64(stmt, 1, seq);
    sqlite3_bind_text(stmt, 2, k.constData(), int(k.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, r.constData(), int(r.size()), SQLITE_TRANSIENT);
    for (const auto &[i, blob] : {std::pair{4, content}, {5, state}, {6, chain}})
        sqlite3_bind_blob(stmt, i, blob.constData(), int(blob.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        error = QString::fromUtf8(sqlite3_errmsg(h));
    sqlite3_finalize(stmt);
    sqlite3_close(h);
    return error;
}

QStringList textColumns(const QString &db, const QString &table)
{
    QStringList columns;
    sqlite3 *h = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    const QByteArray sql = "PRAGMA table_info(" + table.toUtf8() + ')';
    if (sqlite3_prepare_v2(h, sql.constData(), -1, &stmt, nullptr) == SQLITE_OK) {
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            const QString type =
                QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 2)));
            if (type.isEmpty() || type.contains(u"TEXT"_s, Qt::CaseInsensitive))
                columns << QString::fromUtf8(
                    reinterpret_cast<const char *>(sqlite3_column_text(stmt, 1)));
        }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(h);
    return columns;
}

// Rows an older version wrote with secrets its redactor did not know, with their evidence
// entries and their search index rows; returns the key of the command whose lines it wrote.
qint64 writeAsAnOlderVersion(const QString &db, Corpus &corpus)
{
    QStringList errors;
    const auto ok = [&errors](const QString &error) {
        if (!error.isEmpty())
            errors << error;
    };
    const auto s = [&](const char *kind, const char *where) {
        return corpus.plant(QString::fromLatin1(kind), QString::fromLatin1(where), false);
    };
    ok(exec(db, "INSERT INTO request (id, text, requester) VALUES ('R-old', ?1, ?2)",
            {u"Please use "_s + s("slack-token", "request.text"), s("jwt", "request.requester")}));
    ok(exec(db,
            "INSERT INTO task (id, repo, state, state_reason, prompt, usage) VALUES "
            "('T-old', 'acme/web', 'failed', ?1, ?2, ?3)",
            {s("openai-key", "task.state_reason"),
             u"-----BEGIN PGP PRIVATE KEY BLOCK-----\n"_s + s("github-token", "task.prompt") +
                 u"\n-----END PGP PRIVATE KEY BLOCK-----\nthen run the tests"_s,
             u"{\"note\":\""_s + s("anthropic-key", "task.usage") + u"\"}"_s}));
    ok(exec(db,
            "INSERT INTO task_session (id, task_id, state, error) VALUES "
            "('S-old', 'T-old', 'failed', ?1)",
            {s("bearer-token", "task_session.error")}));
    ok(exec(db, "INSERT INTO command (task_id, seq, argv) VALUES ('T-old', 1, ?1)",
            {u"[\"curl\",\""_s + s("url-password", "command.argv") + u"\"]"_s}));
    const qint64 key = scalar(db, "SELECT key FROM command WHERE task_id = 'T-old'");
    const QString coloured = s("github-token", "log_line coloured");
    const qint64 split = coloured.indexOf(u"QZ"_s) + 8;
    const QString lines[][2] = {
        {coloured, coloured.left(split) + u"\x1b[32m"_s + coloured.mid(split)},
        {u"build ok"_s, u"\x1b]8;;"_s + s("url-password", "log_line hyperlink") +
                            u"\x1b\\build ok\x1b]8;;\x1b\\"_s},
        {u"-----BEGIN PGP PRIVATE KEY BLOCK-----"_s, {}},
        {s("npm-token", "log_line key block body"), {}},
        {u"-----END PGP PRIVATE KEY BLOCK-----"_s, {}},
    };
    for (int i = 0; i < 5; ++i) {
        const QString id = QString::number((key << 32) | (i + 1));
        const char *sql = lines[i][1].isEmpty()
                              ? "INSERT INTO log_line (id, text) VALUES (?1, ?2)"
                              : "INSERT INTO log_line (id, text, ansi) VALUES (?1, ?2, ?3)";
        ok(exec(db, sql, {id, lines[i][0], lines[i][1]}));
        ok(exec(db, "INSERT INTO log_fts (rowid, text) VALUES (?1, ?2)", {id, lines[i][0]}));
    }
    ok(exec(db, "INSERT INTO record_text (kind, ref, task_id, text) SELECT 'task', id, id, "
                "prompt FROM task WHERE id = 'T-old'"));
    ok(exec(db, "INSERT INTO record_text (kind, ref, task_id, text) SELECT 'request', id, NULL, "
                "text FROM request WHERE id = 'R-old'"));
    ok(exec(db, "INSERT INTO record_fts (rowid, text) SELECT id, text FROM record_text "
                "WHERE ref IN ('T-old', 'R-old')"));
    ok(exec(db,
            "INSERT INTO audit_event (id, action, user_agent) VALUES ('AE-old', "
            "'api.request', ?1)",
            {s("gitlab-token", "audit_event.user_agent")}));
    ok(exec(db,
            "INSERT INTO launch_event (task_id, to_state, reason) VALUES ('T-old', "
            "'failed', ?1)",
            {s("aws-access-key", "launch_event.reason")}));
    for (const auto &[kind, ref] : {std::pair{u"request"_s, u"R-old"_s},
                                    {u"task"_s, u"T-old"_s},
                                    {u"audit_event"_s, u"AE-old"_s},
                                    {u"log"_s, QString::fromLatin1(Evidence::logRef(key, 1, 5))}})
        ok(appendEntry(db, kind, ref));
    if (!errors.isEmpty())
        qWarning("%s", qPrintable(errors.join(u'\n')));
    return errors.isEmpty() ? key : -1;
}

} // namespace

class TestSecretScan final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyTextColumnIsScanned();
    void redactsWhatAnOlderVersionStored();
    void neverBlessesAnEdit();
    void reportsSecretsInKeysWithoutChangingThem();

private:
    QString freshCopy(const QString &name);

    QTemporaryDir m_dir;
    QString m_clean; // the evidence fixture's inputs, ingested
};

void TestSecretScan::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    const QString inputs = m_dir.filePath(u"inputs"_s);
    m_clean = m_dir.filePath(u"clean.db"_s);
    QVERIFY2(EvidenceFixture::writeInputs(inputs, &error), qPrintable(error));
    QVERIFY2(EvidenceFixture::ingest(m_clean, {inputs}, &error), qPrintable(error));
}

QString TestSecretScan::freshCopy(const QString &name)
{
    const QString db = m_dir.filePath(name);
    if (!EvidenceFixture::copyDatabase(m_clean, db))
        return {};
    return db;
}

// A column added to the schema must be said to be free text, JSON, or a key.
void TestSecretScan::everyTextColumnIsScanned()
{
    const QString db = freshCopy(u"schema.db"_s);
    QVERIFY(!db.isEmpty());
    QSet<QString> listed;
    for (const ScannedTable &t : scannedTables()) {
        const QStringList columns = textColumns(db, QString::fromLatin1(t.table));
        QVERIFY2(!columns.isEmpty(), t.table);
        for (const auto *list : {&t.text, &t.json, &t.keys}) {
            for (const char *c : *list) {
                QVERIFY2(columns.contains(QLatin1StringView(c)),
                         qPrintable(u"%1.%2 is not in the schema"_s.arg(QLatin1StringView(t.table),
                                                                        QLatin1StringView(c))));
                listed.insert(QLatin1StringView(t.table) + u'.' + QLatin1StringView(c));
            }
        }
    }
    sqlite3 *h = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    // The FTS5 tables and their shadow tables hold what their content tables hold.
    sqlite3_prepare_v2(h,
                       "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite_%' AND name NOT LIKE '%fts%'",
                       -1, &stmt, nullptr);
    QStringList tables;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        tables << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(h);
    QVERIFY(tables.size() > 20);
    for (const QString &table : std::as_const(tables)) {
        for (const QString &c : textColumns(db, table))
            QVERIFY2(listed.contains(table + u'.' + c),
                     qPrintable(u"%1.%2 is not in scannedTables()"_s.arg(table, c)));
    }
}

void TestSecretScan::redactsWhatAnOlderVersionStored()
{
    const QString db = freshCopy(u"older.db"_s);
    QVERIFY(!db.isEmpty());
    Corpus corpus;
    const qint64 key = writeAsAnOlderVersion(db, corpus);
    QVERIFY(key > 0);
    // The older version checked its runs at ingest; its database verifies, and holds the
    // secrets.
    QCOMPARE(cli({u"check"_s, u"--db"_s, db}).exitCode, 0);
    const Run before = cli({u"verify"_s, u"--db"_s, db});
    QVERIFY2(before.exitCode == 0, qPrintable(before.out));
    QVERIFY(!corpus.leaks(EvidenceFixture::databaseBytes(db), u"db"_s).isEmpty());

    const Run dry = cli({u"scan"_s, u"--dry-run"_s, u"--db"_s, db});
    QCOMPARE(dry.exitCode, 1);
    QVERIFY2(dry.out.contains(u"task T-old prompt: private-key x1\n"_s), qPrintable(dry.out));
    QVERIFY2(dry.out.contains(u"dry run, nothing changed"_s), qPrintable(dry.out));
    QVERIFY(corpus.leaks(dry.out.toUtf8(), u"dry run"_s).isEmpty()); // never the secret
    QCOMPARE(cli({u"verify"_s, u"--db"_s, db}).exitCode, 0);

    const qint64 entriesBefore = scalar(db, "SELECT count(*) FROM evidence");
    const Run scan = cli({u"scan"_s, u"--db"_s, db});
    QVERIFY2(scan.exitCode == 0, qPrintable(scan.out + scan.err));
    for (const char *line :
         {"request R-old text: slack-token x1, redacted",
          "task_session S-old error: bearer-token x1, redacted",
          "command T-old command 1 argv: url-password x1, redacted",
          "audit_event AE-old user_agent: gitlab-token x1, redacted",
          "reason: aws-access-key x1, redacted", "task T-old usage: anthropic-key x1, redacted",
          "record_text task T-old text: private-key x1, redacted", "log_line log "})
        QVERIFY2(scan.out.contains(QLatin1StringView(line)),
                 qPrintable(QLatin1StringView(line) + scan.out));
    QVERIFY(corpus.leaks(scan.out.toUtf8(), u"scan output"_s).isEmpty());

    // Redacted, and the evidence explains the change: verify passes.
    const Run after = cli({u"verify"_s, u"--db"_s, db});
    QVERIFY2(after.exitCode == 0, qPrintable(after.out));
    QVERIFY(scalar(db, "SELECT count(*) FROM evidence") > entriesBefore);
    QVERIFY(scalar(db, "SELECT count(*) FROM redaction") >= 10);
    QCOMPARE(scalar(db, "SELECT count(*) FROM redaction r WHERE NOT EXISTS (SELECT 1 FROM "
                        "evidence e WHERE e.kind = 'redaction' AND e.ref = CAST(r.id AS TEXT))"),
             0);
    // Nothing of the secrets is left in the file, its log or the search indexes.
    const QStringList leaks = corpus.leaks(EvidenceFixture::databaseBytes(db), u"db"_s);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
    const Run search = cli({u"search"_s, u"--db"_s, db, u"redacted"_s});
    QVERIFY2(search.out.contains(u"T-old"_s), qPrintable(search.out));

    // The coloured line's colours come from the redacted text.
    QCOMPARE(scalar(db, "SELECT count(*) FROM log_line WHERE text = "
                        "'[REDACTED:github-token]' AND ansi = '[REDACTED:github-token]' || "
                        "char(27) || '[32m'"),
             1);
    QCOMPARE(scalar(db, "SELECT count(*) FROM log_line WHERE text = 'build ok' AND ansi IS NULL"),
             1);
    const QByteArray keyBlock = "SELECT count(*) FROM log_line WHERE text = "
                                "'[REDACTED:private-key]' AND id >> 32 = " +
                                QByteArray::number(key);
    QCOMPARE(scalar(db, keyBlock.constData()), 3);

    // A second scan finds nothing and appends nothing.
    const qint64 entries = scalar(db, "SELECT count(*) FROM evidence");
    const Run again = cli({u"scan"_s, u"--db"_s, db});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains(u", 0 secrets found"_s), qPrintable(again.out));
    QCOMPARE(scalar(db, "SELECT count(*) FROM evidence"), entries);
}

// A record edited behind the ingest's back is redacted, but the scan does not make the edit
// look like part of its redaction: verify still reports it.
void TestSecretScan::neverBlessesAnEdit()
{
    const QString db = freshCopy(u"edited.db"_s);
    QVERIFY(!db.isEmpty());
    Corpus corpus;
    QCOMPARE(exec(db, "UPDATE request SET text = ?1 WHERE id = 'R-100'",
                  {corpus.plant(u"github-token"_s, u"an edited request"_s)}),
             QString());
    QVERIFY(
        cli({u"verify"_s, u"--db"_s, db}).out.contains(u"request R-100: edited after ingest"_s));
    const Run scan = cli({u"scan"_s, u"--db"_s, db});
    QCOMPARE(scan.exitCode, 0);
    QVERIFY2(scan.out.contains(u"note: request R-100 did not match its evidence entry"_s),
             qPrintable(scan.out));
    QVERIFY(corpus.leaks(EvidenceFixture::databaseBytes(db), u"db"_s).isEmpty());
    const Run verify = cli({u"verify"_s, u"--db"_s, db});
    QCOMPARE(verify.exitCode, 1);
    QVERIFY2(verify.out.contains(u"request R-100: edited after ingest"_s), qPrintable(verify.out));
}

void TestSecretScan::reportsSecretsInKeysWithoutChangingThem()
{
    const QString db = freshCopy(u"keys.db"_s);
    QVERIFY(!db.isEmpty());
    Corpus corpus;
    const QString key = corpus.plant(u"github-token"_s, u"an idempotency key"_s);
    QCOMPARE(exec(db,
                  "INSERT INTO launch_submission (idempotency_key, campaign_id) "
                  "VALUES (?1, 'C-key')",
                  {key}),
             QString());
    const Run scan = cli({u"scan"_s, u"--format"_s, u"json"_s, u"--db"_s, db});
    QCOMPARE(scan.exitCode, 1);
    const QJsonObject report = QJsonDocument::fromJson(scan.out.toUtf8()).object();
    QCOMPARE(report.value(u"secrets"_s).toInt(), 1);
    QCOMPARE(report.value(u"redacted"_s).toInt(), 0);
    const QJsonObject found = report.value(u"found"_s).toArray().at(0).toObject();
    QCOMPARE(found.value(u"table"_s).toString(), u"launch_submission"_s);
    QCOMPARE(found.value(u"column"_s).toString(), u"idempotency_key"_s);
    QCOMPARE(found.value(u"redacted"_s).toBool(), false);
    QVERIFY(corpus.leaks(scan.out.toUtf8(), u"scan output"_s).isEmpty());
    QCOMPARE(scalar(db, "SELECT count(*) FROM launch_submission WHERE campaign_id = 'C-key'"), 1);
}

QTEST_GUILESS_MAIN(TestSecretScan)
#include "tst_secretscan.moc"
