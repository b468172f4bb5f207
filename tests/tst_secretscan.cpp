// `tasktrail-cli scan`: a database as an older version left it, secrets in its rows (written
// here with plain SQL, past the redaction step, with evidence entries as that version made
// them) is scanned, redacted, and still verifies; a second scan finds nothing. On both
// backends: an SQLite file and a PostgreSQL database.
#include "backends.h"
#include "clirun.h"
#include "evidencefixture.h"
#include "secretcorpus.h"

#include "store/evidencehash.h"
#include "store/pgconnection.h"
#include "store/recordstore.h"
#include "store/searchtokens.h"
#include "store/secretscancolumns.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <sqlite3.h>

#include <variant>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace Tasktrail::CliRun;
using SecretCorpus::Corpus;

namespace {

bool isPostgres(const QString &location)
{
    return location.startsWith(u"postgresql://"_s);
}

// A database of either backend read and written with plain SQL, as another program would:
// values bound as $1, $2, ... (text, or a QByteArray as a blob).
class RawDb
{
public:
    using Value = std::variant<QString, QByteArray>;

    explicit RawDb(const QString &location)
        : m_location(location)
    {}

    // The rows of a statement, each column as text; *error when it fails.
    QList<QStringList> rows(const char *sql, const QList<Value> &values, QString *error) const
    {
        return isPostgres(m_location) ? pgRows(sql, values, error) : sqliteRows(sql, values, error);
    }
    QString exec(const char *sql, const QList<Value> &values = {}) const
    {
        QString error;
        rows(sql, values, &error);
        return error;
    }
    qint64 scalar(const char *sql, const QList<Value> &values = {}) const
    {
        QString error;
        const auto r = rows(sql, values, &error);
        return r.isEmpty() || r.first().isEmpty() ? -1 : r.first().first().toLongLong();
    }
    // What the database holds: the SQLite file and its log as bytes on disk, or every row of
    // every PostgreSQL table as text.
    QByteArray contents() const
    {
        if (!isPostgres(m_location))
            return EvidenceFixture::databaseBytes(m_location);
        QString error;
        QByteArray all;
        const auto tables = rows("SELECT table_name FROM information_schema.tables WHERE "
                                 "table_schema = current_schema() AND table_type = 'BASE TABLE'",
                                 {}, &error);
        for (const QStringList &table : tables) {
            const QByteArray sql = "SELECT t::text FROM \"" + table.first().toUtf8() + "\" t";
            for (const QStringList &row : rows(sql.constData(), {}, &error))
                all += row.first().toUtf8() + '\n';
        }
        return all;
    }

private:
    QList<QStringList> pgRows(const char *sql, const QList<Value> &values, QString *error) const
    {
        PgConnection db;
        if (!db.open(m_location, error))
            return {};
        PgParams params;
        for (const Value &v : values) {
            if (const auto *text = std::get_if<QString>(&v))
                params.add(*text);
            else
                params.addBytes(std::get<QByteArray>(v));
        }
        const PgResult r = db.query(sql, params);
        if (!r.ok()) {
            *error = db.errorString();
            return {};
        }
        QList<QStringList> out;
        for (int row = 0; row < r.rows(); ++row) {
            QStringList columns;
            for (int c = 0; c < r.columns(); ++c)
                columns << r.text(row, c);
            out << columns;
        }
        return out;
    }

    QList<QStringList> sqliteRows(const char *sql, const QList<Value> &values, QString *error) const
    {
        sqlite3 *h = nullptr;
        sqlite3_open(m_location.toUtf8().constData(), &h);
        sqlite3_stmt *stmt = nullptr;
        QList<QStringList> out;
        if (sqlite3_prepare_v2(h, sql, -1, &stmt, nullptr) != SQLITE_OK) {
            *error = QString::fromUtf8(sqlite3_errmsg(h));
        } else {
            for (int i = 0; i < values.size(); ++i) {
                const QByteArray name = '$' + QByteArray::number(i + 1);
                const int at = sqlite3_bind_parameter_index(stmt, name.constData());
                if (const auto *text = std::get_if<QString>(&values.at(i))) {
                    const QByteArray v = text->toUtf8();
                    sqlite3_bind_text(stmt, at, v.constData(), int(v.size()), SQLITE_TRANSIENT);
                } else {
                    const QByteArray &v = std::get<QByteArray>(values.at(i));
                    sqlite3_bind_blob(stmt, at, v.constData(), int(v.size()), SQLITE_TRANSIENT);
                }
            }
            int rc = SQLITE_ROW;
            while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
                QStringList columns;
                for (int c = 0; c < sqlite3_column_count(stmt); ++c)
                    columns << QString::fromUtf8(
                        reinterpret_cast<const char *>(sqlite3_column_text(stmt, c)));
                out << columns;
            }
            if (rc != SQLITE_DONE)
                *error = QString::fromUtf8(sqlite3_errmsg(h));
        }
        sqlite3_finalize(stmt);
        sqlite3_close(h);
        return out;
    }

    QString m_location;
};

// Appends the entry an older version's ingest appended for a record it wrote.
QString appendEntry(const QString &location, const QString &kind, const QString &ref)
{
    QString error;
    auto store = openStore(location, &error);
    if (!store)
        return error;
    const QByteArray state = store->currentEvidenceState(kind, ref);
    const QByteArray head = store->evidenceHead();
    store.reset();
    const RawDb db(location);
    const QByteArray previous = head.isEmpty() ? Evidence::genesis() : QByteArray::fromHex(head);
    const qint64 seq = db.scalar("SELECT coalesce(max(seq), 0) FROM evidence") + 1;
    const QByteArray content =
        QCryptographicHash::hash("written by an older version", QCryptographicHash::Sha256);
    const QByteArray chain =
        Evidence::chainHash(previous, seq, kind.toUtf8(), ref.toUtf8(), content, state);
    return db.exec("INSERT INTO evidence (seq, kind, ref, content_hash, state_hash, chain_hash, "
                   "at) VALUES (CAST($1 AS BIGINT), $2, $3, $4, $5, $6, 0)",
                   {QString::number(seq), kind, ref, content, state, chain});
}

// The text columns of a table.
QStringList textColumns(const QString &location, const QString &table)
{
    QString error;
    QStringList columns;
    if (isPostgres(location)) {
        for (const QStringList &row :
             RawDb(location).rows("SELECT column_name FROM information_schema.columns WHERE "
                                  "table_schema = current_schema() AND table_name = $1 AND "
                                  "data_type = 'text'",
                                  {table}, &error))
            columns << row.first();
        return columns;
    }
    const QByteArray sql = "SELECT name, type FROM pragma_table_info('" + table.toUtf8() + "')";
    for (const QStringList &row : RawDb(location).rows(sql.constData(), {}, &error)) {
        if (row.at(1).isEmpty() || row.at(1).contains(u"TEXT"_s, Qt::CaseInsensitive))
            columns << row.first();
    }
    return columns;
}

// The ref of the entry that commands 2 and 3 of T-old share (writeAsAnOlderVersion).
QString sharedLogRef(const QString &location)
{
    const RawDb db(location);
    const auto keyOf = [&db](const char *seq) {
        return db.scalar(
            "SELECT key FROM command WHERE task_id = 'T-old' AND seq = CAST($1 AS BIGINT)",
            {QString::fromLatin1(seq)});
    };
    return QString::fromLatin1(Evidence::logRef(keyOf("2"), 1, 2) + ',' +
                               Evidence::logRef(keyOf("3"), 1, 1));
}

// The ref of the entry that AE-old-1 and AE-old-2 share (writeAsAnOlderVersion).
QString sharedAuditRef()
{
    return QString::fromUtf8(Evidence::groupRef({u"AE-old-1"_s, u"AE-old-2"_s}));
}

// Rows an older version wrote with secrets its redactor did not know, with their evidence
// entries and their search index rows; returns the key of the command whose lines it wrote.
qint64 writeAsAnOlderVersion(const QString &location, Corpus &corpus)
{
    const RawDb db(location);
    const bool pg = isPostgres(location);
    const SearchTokens tokens; // the words of a PostgreSQL search column
    const auto words = [&tokens](const QString &text) {
        return QString::fromUtf8(tokens.tsvector(text.toUtf8()));
    };
    QStringList errors;
    const auto ok = [&errors](const QString &error) {
        if (!error.isEmpty())
            errors << error;
    };
    const auto s = [&](const char *kind, const char *where) {
        return corpus.plant(QString::fromLatin1(kind), QString::fromLatin1(where), false);
    };
    ok(db.exec(
        "INSERT INTO request (id, text, requester) VALUES ('R-old', $1, $2)",
        {u"Please use "_s + s("slack-token", "request.text"), s("jwt", "request.requester")}));
    ok(db.exec("INSERT INTO task (id, repo, state, state_reason, prompt, usage) VALUES "
               "('T-old', 'acme/web', 'failed', $1, $2, $3)",
               {s("openai-key", "task.state_reason"),
                u"-----BEGIN PGP PRIVATE KEY BLOCK-----\n"_s + s("github-token", "task.prompt") +
                    u"\n-----END PGP PRIVATE KEY BLOCK-----\nthen run the tests"_s,
                u"{\"note\":\""_s + s("anthropic-key", "task.usage") + u"\"}"_s}));
    ok(db.exec("INSERT INTO task_session (id, task_id, state, error) VALUES "
               "('S-old', 'T-old', 'failed', $1)",
               {s("bearer-token", "task_session.error")}));
    ok(db.exec("INSERT INTO command (task_id, seq, argv) VALUES ('T-old', 1, $1)",
               {u"[\"curl\",\""_s + s("url-password", "command.argv") + u"\"]"_s}));
    const qint64 key = db.scalar("SELECT key FROM command WHERE task_id = 'T-old'");
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
    // Two more commands whose runs share one `log` entry (a batch's runs share entries): the
    // secret is in the entry's second range, the first is clean.
    ok(db.exec("INSERT INTO command (task_id, seq, argv) VALUES ('T-old', 2, '[\"make\"]')"));
    ok(db.exec("INSERT INTO command (task_id, seq, argv) VALUES ('T-old', 3, '[\"notify\"]')"));
    const qint64 key2 = db.scalar("SELECT key FROM command WHERE task_id = 'T-old' AND seq = 2");
    const qint64 key3 = db.scalar("SELECT key FROM command WHERE task_id = 'T-old' AND seq = 3");
    const QString moreLines[][2] = {{u"make"_s, {}},
                                    {u"done"_s, {}},
                                    {u"notify "_s + s("slack-token", "log_line second run"), {}}};
    for (int i = 0; i < 8; ++i) {
        const qint64 commandKey = i < 5 ? key : i < 7 ? key2 : key3;
        const auto &line = i < 5 ? lines[i] : moreLines[i - 5];
        const qint64 lineNo = i < 5 ? i + 1 : i < 7 ? i - 4 : 1; // of its command
        const QString id = QString::number((commandKey << 32) | lineNo);
        const QString text[2] = {line[0], line[1]};
        if (pg)
            ok(db.exec("INSERT INTO log_line (id, text, ansi, search) VALUES (CAST($1 AS "
                       "BIGINT), $2, nullif($3, ''), CAST($4 AS tsvector))",
                       {id, text[0], text[1], words(text[0])}));
        else
            ok(db.exec("INSERT INTO log_line (id, text, ansi) VALUES ($1, $2, nullif($3, ''))",
                       {id, text[0], text[1]}));
        if (!pg)
            ok(db.exec("INSERT INTO log_fts (rowid, text) VALUES ($1, $2)", {id, text[0]}));
    }
    ok(db.exec("INSERT INTO record_text (kind, ref, task_id, text) SELECT 'task', id, id, "
               "prompt FROM task WHERE id = 'T-old'"));
    ok(db.exec("INSERT INTO record_text (kind, ref, task_id, text) SELECT 'request', id, NULL, "
               "text FROM request WHERE id = 'R-old'"));
    for (const QString &ref : {u"T-old"_s, u"R-old"_s}) {
        QString error;
        const auto text =
            db.rows("SELECT text FROM record_text WHERE ref = $1", {ref}, &error).value(0).value(0);
        ok(error);
        ok(db.exec(pg ? "UPDATE record_text SET search = CAST($2 AS tsvector) WHERE ref = $1"
                      : "INSERT INTO record_fts (rowid, text) SELECT id, text FROM record_text "
                        "WHERE ref = $1",
                   pg ? QList<RawDb::Value>{ref, words(text)} : QList<RawDb::Value>{ref}));
    }
    ok(db.exec("INSERT INTO audit_event (id, action, user_agent) VALUES ('AE-old', "
               "'api.request', $1)",
               {s("gitlab-token", "audit_event.user_agent")}));
    // Two events that share an `audit_events` entry; the second holds the secret.
    ok(db.exec("INSERT INTO audit_event (id, action, actor) VALUES ('AE-old-1', 'git.clone', "
               "'someone'), ('AE-old-2', 'api.request', $1)",
               {s("github-token", "audit_event.actor in a shared entry")}));
    ok(db.exec("INSERT INTO launch_event (task_id, to_state, reason) VALUES ('T-old', "
               "'failed', $1)",
               {s("aws-access-key", "launch_event.reason")}));
    // A task's child tables, keyed by the task and a name, a path, a host and tool, a number:
    // on SQLite all WITHOUT ROWID in a new file (schema 12), `failure` made with a rowid as
    // before when the caller asks.
    const char *const childRows[][3] = {
        {"INSERT INTO test_result (task_id, name, outcome) VALUES ('T-old', 'unit', $1)",
         "slack-token", "test_result.outcome"},
        {"INSERT INTO file_change (task_id, path, change) VALUES ('T-old', 'src/app.ts', $1)",
         "jwt", "file_change.change"},
        {"INSERT INTO contact (task_id, host, tool, purpose) VALUES ('T-old', "
         "'registry.npmjs.org', 'npm', $1)",
         "npm-token", "contact.purpose"},
        {"INSERT INTO failure (task_id, seq, kind, message) VALUES ('T-old', 2, 'test', $1)",
         "openai-key", "failure.message"},
    };
    for (const auto &[sql, kind, where] : childRows)
        ok(db.exec(sql, {s(kind, where)}));
    for (const auto &[kind, ref] : {std::pair{u"request"_s, u"R-old"_s},
                                    {u"task"_s, u"T-old"_s},
                                    {u"audit_event"_s, u"AE-old"_s},
                                    {u"log"_s, QString::fromLatin1(Evidence::logRef(key, 1, 5))},
                                    {u"log"_s, sharedLogRef(location)},
                                    {u"audit_events"_s, sharedAuditRef()}})
        ok(appendEntry(location, kind, ref));
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
    void everyTextColumnIsScanned_data() { Backends::addBackendRows(); }
    void everyTextColumnIsScanned();
    void redactsWhatAnOlderVersionStored_data()
    {
        Backends::addBackendRows();
        // A file made before schema 12 has its `failure` table with a rowid.
        QTest::newRow("sqlite: failure with a rowid") << u"sqlite"_s;
    }
    void redactsWhatAnOlderVersionStored();
    void neverBlessesAnEdit_data() { Backends::addBackendRows(); }
    void neverBlessesAnEdit();
    void reportsSecretsInKeysWithoutChangingThem_data() { Backends::addBackendRows(); }
    void reportsSecretsInKeysWithoutChangingThem();
    void aRowItCannotFindAgainIsAnError_data();
    void aRowItCannotFindAgainIsAnError();

private:
    // The evidence fixture's inputs ingested into a new database of the row's backend.
    QString cleanDatabase();

    Backends::Fixture m_db;
    QTemporaryDir m_dir;
    QString m_inputs;
};

void TestSecretScan::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_db.start(&error), qPrintable(error));
    m_inputs = m_dir.filePath(u"inputs"_s);
    QVERIFY2(EvidenceFixture::writeInputs(m_inputs, &error), qPrintable(error));
}

QString TestSecretScan::cleanDatabase()
{
    QFETCH(QString, backend);
    const QString location = m_db.fresh(backend);
    QString error;
    if (!EvidenceFixture::ingest(location, {m_inputs}, &error)) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    return location;
}

// A column added to the schema must be said to be free text, JSON, or a key.
void TestSecretScan::everyTextColumnIsScanned()
{
    const QString db = cleanDatabase();
    QVERIFY(!db.isEmpty());
    const bool pg = isPostgres(db);
    QSet<QString> listed;
    for (const ScannedTable &t : pg ? postgresScannedTables() : scannedTables()) {
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
    // The FTS5 tables and their shadow tables hold what their content tables hold.
    QString error;
    const auto tables = RawDb(db).rows(
        pg ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
             "current_schema() AND table_type = 'BASE TABLE'"
           : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
             "AND name NOT LIKE '%fts%'",
        {}, &error);
    QVERIFY2(tables.size() > 20, qPrintable(error));
    for (const QStringList &row : tables) {
        const QString &table = row.first();
        for (const QString &c : textColumns(db, table))
            QVERIFY2(listed.contains(table + u'.' + c),
                     qPrintable(u"%1.%2 is not in the scanned tables"_s.arg(table, c)));
    }
}

void TestSecretScan::redactsWhatAnOlderVersionStored()
{
    const QString location = cleanDatabase();
    QVERIFY(!location.isEmpty());
    const RawDb db(location);
    const char *const withoutRowid = "SELECT count(*) FROM pragma_table_list WHERE name IN "
                                     "('test_result', 'file_change', 'contact', 'failure') AND "
                                     "wr = 1";
    if (QByteArrayView(QTest::currentDataTag()).contains("rowid")) {
        // Made again with a rowid, with the rows the ingest stored.
        QCOMPARE(db.exec("ALTER TABLE failure RENAME TO failure_kept"), QString());
        QCOMPARE(db.exec("CREATE TABLE failure (task_id TEXT NOT NULL, seq INTEGER NOT NULL, "
                         "kind TEXT, message TEXT, retried INTEGER, at INTEGER, PRIMARY KEY "
                         "(task_id, seq))"),
                 QString());
        QCOMPARE(db.exec("INSERT INTO failure SELECT * FROM failure_kept"), QString());
        QCOMPARE(db.exec("DROP TABLE failure_kept"), QString());
        QVERIFY(db.scalar("SELECT count(*) FROM failure") > 0);
        QCOMPARE(db.scalar(withoutRowid), 3);
    } else if (!isPostgres(location)) {
        QCOMPARE(db.scalar(withoutRowid), 4);
    }
    Corpus corpus;
    const qint64 key = writeAsAnOlderVersion(location, corpus);
    QVERIFY(key > 0);
    // The older version checked its runs at ingest; its database verifies, and holds the
    // secrets.
    QCOMPARE(cli({u"check"_s, u"--db"_s, location}).exitCode, 0);
    const Run before = cli({u"verify"_s, u"--db"_s, location});
    QVERIFY2(before.exitCode == 0, qPrintable(before.out.section(u"not checked:"_s, 1)));
    QVERIFY(!corpus.leaks(db.contents(), u"db"_s).isEmpty());

    const Run dry = cli({u"scan"_s, u"--dry-run"_s, u"--db"_s, location});
    QCOMPARE(dry.exitCode, 1);
    QVERIFY2(dry.out.contains(u"task T-old prompt: private-key x1\n"_s), qPrintable(dry.out));
    QVERIFY2(dry.out.contains(u"dry run, nothing changed"_s), qPrintable(dry.out));
    QVERIFY(corpus.leaks(dry.out.toUtf8(), u"dry run"_s).isEmpty()); // never the secret
    QCOMPARE(cli({u"verify"_s, u"--db"_s, location}).exitCode, 0);
    QVERIFY(!corpus.leaks(db.contents(), u"db"_s).isEmpty());

    const qint64 entriesBefore = db.scalar("SELECT count(*) FROM evidence");
    const Run scan = cli({u"scan"_s, u"--db"_s, location});
    QVERIFY2(scan.exitCode == 0, qPrintable(scan.out + scan.err));
    for (const char *line :
         {"request R-old text: slack-token x1, redacted",
          "task_session S-old error: bearer-token x1, redacted",
          "command T-old command 1 argv: url-password x1, redacted",
          "audit_event AE-old user_agent: gitlab-token x1, redacted",
          "reason: aws-access-key x1, redacted", "task T-old usage: anthropic-key x1, redacted",
          "record_text task T-old text: private-key x1, redacted",
          "test_result T-old unit outcome: slack-token x1, redacted",
          "file_change T-old src/app.ts change: jwt x1, redacted",
          "contact T-old registry.npmjs.org purpose: npm-token x1, redacted",
          "failure T-old failure 2 message: openai-key x1, redacted", "log_line log "})
        QVERIFY2(scan.out.contains(QLatin1StringView(line)),
                 qPrintable(QLatin1StringView(line) + scan.out));
    QVERIFY(corpus.leaks(scan.out.toUtf8(), u"scan output"_s).isEmpty());
    QVERIFY2(!scan.out.contains(u"note:"_s), qPrintable(scan.out)); // compacted

    // Redacted, and the evidence explains the change: verify passes.
    const Run after = cli({u"verify"_s, u"--db"_s, location});
    QVERIFY2(after.exitCode == 0, qPrintable(after.out));
    QVERIFY(db.scalar("SELECT count(*) FROM evidence") > entriesBefore);
    QVERIFY(db.scalar("SELECT count(*) FROM redaction") >= 10);
    QCOMPARE(db.scalar("SELECT count(*) FROM redaction r WHERE NOT EXISTS (SELECT 1 FROM "
                       "evidence e WHERE e.kind = 'redaction' AND e.ref = CAST(r.id AS TEXT))"),
             0);
    // Nothing of the secrets is left in the database, its log or the search indexes (on
    // PostgreSQL: in any row or search column).
    const QStringList leaks = corpus.leaks(db.contents(), u"db"_s);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
    const Run search = cli({u"search"_s, u"--db"_s, location, u"redacted"_s});
    QVERIFY2(search.out.contains(u"T-old"_s), qPrintable(search.out));
    const Run oldWord = cli({u"search"_s, u"--db"_s, location, u"then run the tests"_s});
    QVERIFY2(oldWord.out.contains(u"T-old"_s), qPrintable(oldWord.out));

    // The coloured line's colours come from the redacted text.
    QCOMPARE(db.scalar("SELECT count(*) FROM log_line WHERE text = '[REDACTED:github-token]' "
                       "AND ansi = $1",
                       {u"[REDACTED:github-token]\x1b[32m"_s}),
             1);
    QCOMPARE(db.scalar("SELECT count(*) FROM log_line WHERE text = 'build ok' AND ansi IS NULL"),
             1);
    // Command 3's line, in the second range of the entry it shares with command 2: the entry
    // is carried forward whole (verify passed above).
    QCOMPARE(
        db.scalar("SELECT count(*) FROM log_line WHERE text = 'notify [REDACTED:slack-token]'"), 1);
    QCOMPARE(db.scalar("SELECT count(*) FROM evidence WHERE kind = 'log' AND ref = $1",
                       {sharedLogRef(location)}),
             2);
    // So is the entry of the two audit events, from the second one's secret.
    QVERIFY2(scan.out.contains(u"audit_event AE-old-2 actor: github-token x1, redacted"_s),
             qPrintable(scan.out));
    QCOMPARE(db.scalar("SELECT count(*) FROM evidence WHERE kind = 'audit_events' AND ref = $1",
                       {sharedAuditRef()}),
             2);
    QCOMPARE(db.scalar("SELECT count(*) FROM log_line WHERE text = '[REDACTED:private-key]' AND "
                       "(id >> 32) = CAST($1 AS BIGINT)",
                       {QString::number(key)}),
             3);

    // A second scan finds nothing and appends nothing.
    const qint64 entries = db.scalar("SELECT count(*) FROM evidence");
    const Run again = cli({u"scan"_s, u"--db"_s, location});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains(u", 0 secrets found"_s), qPrintable(again.out));
    QCOMPARE(db.scalar("SELECT count(*) FROM evidence"), entries);
}

// A record edited behind the ingest's back is redacted, but the scan does not make the edit
// look like part of its redaction: verify still reports it.
void TestSecretScan::neverBlessesAnEdit()
{
    const QString location = cleanDatabase();
    QVERIFY(!location.isEmpty());
    const RawDb db(location);
    Corpus corpus;
    QCOMPARE(db.exec("UPDATE request SET text = $1 WHERE id = 'R-100'",
                     {corpus.plant(u"github-token"_s, u"an edited request"_s)}),
             QString());
    QVERIFY(cli({u"verify"_s, u"--db"_s, location})
                .out.contains(u"request R-100: edited after ingest"_s));
    const Run scan = cli({u"scan"_s, u"--db"_s, location});
    QCOMPARE(scan.exitCode, 0);
    QVERIFY2(scan.out.contains(u"note: request R-100 did not match its evidence entry"_s),
             qPrintable(scan.out));
    QVERIFY(corpus.leaks(db.contents(), u"db"_s).isEmpty());
    const Run verify = cli({u"verify"_s, u"--db"_s, location});
    QCOMPARE(verify.exitCode, 1);
    QVERIFY2(verify.out.contains(u"request R-100: edited after ingest"_s), qPrintable(verify.out));
}

void TestSecretScan::reportsSecretsInKeysWithoutChangingThem()
{
    const QString location = cleanDatabase();
    QVERIFY(!location.isEmpty());
    const RawDb db(location);
    Corpus corpus;
    const QString key = corpus.plant(u"github-token"_s, u"an idempotency key"_s);
    QCOMPARE(db.exec("INSERT INTO launch_submission (idempotency_key, campaign_id) "
                     "VALUES ($1, 'C-key')",
                     {key}),
             QString());
    const Run scan = cli({u"scan"_s, u"--format"_s, u"json"_s, u"--db"_s, location});
    QCOMPARE(scan.exitCode, 1);
    const QJsonObject report = QJsonDocument::fromJson(scan.out.toUtf8()).object();
    QCOMPARE(report.value(u"secrets"_s).toInt(), 1);
    QCOMPARE(report.value(u"redacted"_s).toInt(), 0);
    const QJsonObject found = report.value(u"found"_s).toArray().at(0).toObject();
    QCOMPARE(found.value(u"table"_s).toString(), u"launch_submission"_s);
    QCOMPARE(found.value(u"column"_s).toString(), u"idempotency_key"_s);
    QCOMPARE(found.value(u"redacted"_s).toBool(), false);
    QVERIFY(corpus.leaks(scan.out.toUtf8(), u"scan output"_s).isEmpty());
    QCOMPARE(db.scalar("SELECT count(*) FROM launch_submission WHERE campaign_id = 'C-key'"), 1);
}

// A row the scan cannot address again by the key it read it by (on SQLite, a key that is not
// valid UTF-8, which only a write behind the ingest's back stores, comes back changed) is an
// error: no redaction is recorded for an UPDATE that changed nothing.
void TestSecretScan::aRowItCannotFindAgainIsAnError_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << u"sqlite"_s;
}

void TestSecretScan::aRowItCannotFindAgainIsAnError()
{
    const QString location = cleanDatabase();
    QVERIFY(!location.isEmpty());
    const RawDb db(location);
    Corpus corpus;
    QCOMPARE(db.exec("INSERT INTO contact (task_id, host, tool, purpose) VALUES ('T-bad', "
                     "CAST(X'6261FF' AS TEXT), 'npm', $1)",
                     {corpus.plant(u"npm-token"_s, u"contact.purpose"_s, false)}),
             QString());
    const qint64 entries = db.scalar("SELECT count(*) FROM evidence");
    const Run scan = cli({u"scan"_s, u"--db"_s, location});
    QCOMPARE(scan.exitCode, 2);
    const QString said = scan.out + scan.err;
    QVERIFY2(said.contains(u"could not be found again"_s), qPrintable(said));
    QCOMPARE(db.scalar("SELECT count(*) FROM redaction"), 0);
    QCOMPARE(db.scalar("SELECT count(*) FROM evidence"), entries);
}

QTEST_GUILESS_MAIN(TestSecretScan)

#include "tst_secretscan.moc"
