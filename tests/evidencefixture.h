// A database ingested from known files, for the evidence and attestation tests: Tasktrail
// records (tests/data/ingest/good.jsonl: request R-100, campaign C-7, identity I-bot with a
// raw token, task T-1 with PR acme/web#42, review 7001, check run 8001, an inline log for
// T-1 command 2), a command log for T-1 command 1 written here, logs/secrets.log (T-2
// command 1, full of secrets) and a record of T-2, a task without pull request or base ref.
#pragma once

#include "demo/demogenerator.h"
#include "ingest/ingestor.h"
#include "policy/storedspecs.h"
#include "store/recordstore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <sqlite3.h>

namespace EvidenceFixture {

using namespace Qt::StringLiterals;

// Raw secrets of the input files; none may reach the database or an attestation.
inline const QByteArrayList secrets{"ghp_Zq9RawTokenNeverStored0123456789abcd",
                                    "ghs_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
                                    "MIIEowIBAAKCAQEAkeyBodyNeverStored", "Bearer abc123"};

// T-1 command 1 as the log file below stores it (timestamps cut off).
inline const QByteArrayList t1Command1Lines{"npm ci", "added 812 packages in 29s"};
// T-1 command 2 from good.jsonl's inline log, ANSI escapes stripped.
inline const QByteArrayList t1Command2Lines{"> web@1.0.0 test", "FAIL cart totals",
                                            "Tests: 1 failed, 1 passed, 2 total"};

inline QString testData(const QString &name)
{
    return QString::fromUtf8(TASKTRAIL_TEST_DATA) % u"/ingest/"_s % name;
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The input files, in the order a directory ingest reads them.
inline bool writeInputs(const QString &dir, QString *error)
{
    QDir().mkpath(dir);
    const bool ok =
        QFile::copy(testData(u"good.jsonl"_s), dir + u"/a-records.jsonl"_s) &&
        writeFile(dir + u"/b-t1-command1.log"_s,
                  "##[tasktrail] task=T-1 command=1\n2026-03-01T12:05:10Z npm ci\n"
                  "2026-03-01T12:05:39Z added 812 packages in 29s\n") &&
        QFile::copy(testData(u"logs/secrets.log"_s), dir + u"/c-secrets.log"_s) &&
        writeFile(dir + u"/d-t2.jsonl"_s,
                  R"({"tasktrail":1,"kind":"task","id":"T-2","repo":"acme/api","state":"failed",)"
                  R"("commands":[{"seq":1,"argv":["git","push"],"exit_code":128}]})"
                  "\n") &&
        writeFile(dir + u"/e-audit.ndjson"_s,
                  R"({"_document_id":"AE-1","action":"git.push","actor":"agent-bot",)"
                  R"("repo":"acme/api","@timestamp":1772366700000})"
                  "\n") &&
        writeFile(dir + u"/f-template.toml"_s, "[template]\nid = \"t-min\"\nversion = \"1\"\n"
                                               "[commands]\nallow = [\"npm ci\"]\n");
    if (!ok)
        *error = u"cannot write the input files to "_s + dir;
    return ok;
}

inline bool ingest(const QString &dbPath, const QStringList &paths, QString *error)
{
    auto store = Tasktrail::openStore(dbPath, error);
    if (!store)
        return false;
    Tasktrail::Ingestor ingestor(*store);
    if (!ingestor.ingest(paths)) {
        *error = ingestor.errorString();
        return false;
    }
    // As tasktrail-cli ingest does: the runs it wrote are checked.
    return Tasktrail::checkAfterIngest(*store, ingestor.touchedTaskIds(),
                                       ingestor.newPolicyDocuments(), nullptr, error);
}

// Closing the last connection checkpoints the write-ahead log, so the file alone is the
// database; the -wal file is copied too in case a connection is still open.
inline bool copyDatabase(const QString &from, const QString &to)
{
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(to + QLatin1String(suffix));
    if (!QFile::copy(from, to))
        return false;
    if (QFile::exists(from + u"-wal"_s))
        return QFile::copy(from + u"-wal"_s, to + u"-wal"_s);
    return true;
}

// What an attacker with the file does: plain SQL through the C API, no Tasktrail code.
inline QString tamper(const QString &dbPath, const QByteArray &sql)
{
    sqlite3 *db = nullptr;
    QString error;
    if (sqlite3_open(dbPath.toUtf8().constData(), &db) != SQLITE_OK) {
        error = u"cannot open "_s + dbPath;
    } else {
        char *message = nullptr;
        if (sqlite3_exec(db, sql.constData(), nullptr, nullptr, &message) != SQLITE_OK)
            error = QString::fromUtf8(message);
        sqlite3_free(message);
    }
    sqlite3_close(db);
    return error;
}

// The database file and its write-ahead log, as bytes on disk.
inline QByteArray databaseBytes(const QString &dbPath)
{
    return readFile(dbPath) + readFile(dbPath + u"-wal"_s);
}

inline QByteArray sha256Hex(const QByteArrayList &lines)
{
    return QCryptographicHash::hash(lines.join('\n'), QCryptographicHash::Sha256).toHex();
}

// The databases both evidence tests start from: the fixture inputs and a small demo, each
// ingested into its own file.
struct Scene
{
    QString inputs;
    QString clean;
    QString demo;
    QString demoDb;

    bool prepare(const QTemporaryDir &dir, QString *error)
    {
        return prepare(dir.path(), dir.filePath(u"clean.db"_s), dir.filePath(u"demo.db"_s), error);
    }

    // The same, with the input files under `dir` and the two databases at the locations given
    // (SQLite files or PostgreSQL URLs).
    bool prepare(const QString &dir, const QString &cleanLocation, const QString &demoLocation,
                 QString *error)
    {
        inputs = dir + u"/inputs"_s;
        clean = cleanLocation;
        demo = dir + u"/demo"_s;
        demoDb = demoLocation;
        Tasktrail::DemoGenerator generator;
        return writeInputs(inputs, error) && ingest(clean, {inputs}, error) &&
               generator.generate({demo, 0.05, 20261124}, error) && ingest(demoDb, {demo}, error);
    }
};

} // namespace EvidenceFixture
