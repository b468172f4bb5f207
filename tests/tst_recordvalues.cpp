// Values the record formats forbid, in every reader: numbers that do not fit where they are
// packed (a log line's id) or stored (an int), empty ids, repositories that are not
// owner/name, negative numbers, empty argv and NUL characters. Each is rejected with its file,
// line and a reason naming the value and the bound, and nothing else is lost or overwritten.
#include "ingestfixture.h"
#include "records/logline.h"
#include "records/recordvalues.h"
#include "store/evidencehash.h"

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using Tasktrail::IngestFixture::Run;
using Tasktrail::IngestFixture::Scene;

namespace {

QByteArray record(const QByteArray &fields)
{
    return R"({"tasktrail":1,)" + fields + "}\n";
}

} // namespace

class TestRecordValues final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void logLineIds_data();
    void logLineIds();
    void storeRefusesAnIdThatDoesNotFit();
    void evidenceLogRefsPackIntoIds_data();
    void evidenceLogRefsPackIntoIds();
    void evidenceLogRefListsParse_data();
    void evidenceLogRefListsParse();
    void evidenceGroupRefsParse_data();
    void evidenceGroupRefsParse();
    void firstLinePastTheIdCannotReachAnotherCommand_data();
    void firstLinePastTheIdCannotReachAnotherCommand();
    void sectionEndsAtTheLastLineNumber();
    void commandNumberPastIntDoesNotOverwriteCommandOne();
    void rejectedValues_data();
    void rejectedValues();
    void acceptedEdges_data();
    void acceptedEdges();
};

void TestRecordValues::logLineIds_data()
{
    QTest::addColumn<qint64>("key");
    QTest::addColumn<qint64>("line");
    QTest::addColumn<std::optional<qint64>>("id");

    QTest::newRow("first line") << qint64(1) << qint64(1) << std::optional<qint64>(0x100000001);
    QTest::newRow("last line") << qint64(3) << maxLogLineNo << std::optional<qint64>(0x3FFFFFFFF);
    QTest::newRow("line 0") << qint64(1) << qint64(0) << std::optional<qint64>();
    QTest::newRow("line 2^32, which would be the next key's line 0")
        << qint64(1) << qint64(4294967296) << std::optional<qint64>();
    QTest::newRow("line 2^32 + 1") << qint64(2) << qint64(4294967297) << std::optional<qint64>();
    QTest::newRow("negative line") << qint64(1) << qint64(-1) << std::optional<qint64>();
    QTest::newRow("last key") << maxCommandKey << qint64(1)
                              << std::optional<qint64>((maxCommandKey << 32) | 1);
    QTest::newRow("key past 31 bits, which would make the id negative")
        << maxCommandKey + 1 << qint64(1) << std::optional<qint64>();
    QTest::newRow("key 0") << qint64(0) << qint64(1) << std::optional<qint64>();
}

void TestRecordValues::logLineIds()
{
    QFETCH(qint64, key);
    QFETCH(qint64, line);
    QFETCH(std::optional<qint64>, id);
    QCOMPARE(logLineId(key, line), id);
    if (id) {
        QVERIFY(*id > 0);
        QCOMPARE(*id >> logLineBits, key);
        QCOMPARE(*id & maxLogLineNo, line);
    }
}

void TestRecordValues::storeRefusesAnIdThatDoesNotFit()
{
    Scene scene;
    RecordStore &store = scene.store();
    const auto key = store.commandKey(u"T-1"_s, 1);
    QVERIFY(key);
    QVERIFY(store.beginBatch());
    bool inserted = false;
    QVERIFY(!store.appendLogLine(*key, LogLine{qint64(4294967297), 0, "forged", {}}, &inserted));
    QVERIFY2(store.errorString().contains(u"out of range"_s), qPrintable(store.errorString()));
    QVERIFY(store.appendLogLine(*key, LogLine{maxLogLineNo, 0, "last", {}}, &inserted));
    QVERIFY(inserted);
    QVERIFY(store.commitBatch());
    QVERIFY(!store.commandKey(u"T-1"_s, 0));
    QVERIFY(!store.commandKey(QString(), 1));
}

// The evidence chain names a run of log lines as "<command key>:<first>-<last>"; verify packs
// those into ids, so a ref that does not fit must not parse.
void TestRecordValues::evidenceLogRefsPackIntoIds_data()
{
    QTest::addColumn<QString>("ref");
    QTest::addColumn<bool>("parses");

    QTest::newRow("a range") << u"3:1-50"_s << true;
    QTest::newRow("the last line") << u"3:4294967295-4294967295"_s << true;
    QTest::newRow("first line past 32 bits") << u"2:4294967297-4294967298"_s << false;
    QTest::newRow("last line past 32 bits") << u"2:1-4294967296"_s << false;
    QTest::newRow("line 0") << u"2:0-3"_s << false;
    QTest::newRow("key past 31 bits") << u"2147483648:1-2"_s << false;
    QTest::newRow("negative key") << u"-1:1-2"_s << false;
}

void TestRecordValues::evidenceLogRefsPackIntoIds()
{
    QFETCH(QString, ref);
    QFETCH(bool, parses);
    QCOMPARE(Evidence::parseLogRef(ref).has_value(), parses);
}

// A `log` entry's ref holds one range or up to 64, joined by ','; each must pack into ids.
void TestRecordValues::evidenceLogRefListsParse_data()
{
    QTest::addColumn<QString>("ref");
    QTest::addColumn<int>("ranges"); // -1: does not parse

    const auto ranges = [](int n) {
        QStringList out;
        for (int i = 1; i <= n; ++i)
            out << u"%1:1-%2"_s.arg(i).arg(i + 1);
        return out.join(u',');
    };
    QTest::newRow("one range") << u"3:1-50"_s << 1;
    QTest::newRow("two ranges") << u"3:1-50,4:2-2"_s << 2;
    QTest::newRow("64 ranges") << ranges(64) << 64;
    QTest::newRow("65 ranges") << ranges(65) << -1;
    QTest::newRow("a bad second range") << u"3:1-50,4:1-4294967296"_s << -1;
    QTest::newRow("an empty range") << u"3:1-50,,4:1-2"_s << -1;
    QTest::newRow("a trailing comma") << u"3:1-50,"_s << -1;
    QTest::newRow("empty") << QString() << -1;
    QTest::newRow("another separator") << u"3:1-50;4:1-2"_s << -1;
}

void TestRecordValues::evidenceLogRefListsParse()
{
    QFETCH(QString, ref);
    QFETCH(int, ranges);
    const auto parsed = Evidence::parseLogRefs(ref);
    QCOMPARE(parsed ? int(parsed->size()) : -1, ranges);
    if (!parsed)
        return;
    // Each range is what parseLogRef() makes of it alone.
    const QStringList parts = ref.split(u',');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const auto alone = Evidence::parseLogRef(parts.at(i));
        QVERIFY(alone);
        QCOMPARE(parsed->at(i).commandKey, alone->commandKey);
        QCOMPARE(parsed->at(i).firstLine, alone->firstLine);
        QCOMPARE(parsed->at(i).lastLine, alone->lastLine);
    }
    // A list of several does not parse as one range.
    QCOMPARE(Evidence::parseLogRef(ref).has_value(), ranges == 1);
}

// An `audit_events` entry's ref: a JSON array of 1 to 64 ids (strings).
void TestRecordValues::evidenceGroupRefsParse_data()
{
    QTest::addColumn<QString>("ref");
    QTest::addColumn<QStringList>("ids"); // empty: does not parse

    QStringList many;
    for (int i = 0; i < 65; ++i)
        many << u"AE-%1"_s.arg(i);
    const auto json = [](const QStringList &ids) {
        return QString::fromUtf8(Evidence::groupRef(ids));
    };
    QTest::newRow("one id") << u"[\"AE-1\"]"_s << QStringList{u"AE-1"_s};
    QTest::newRow("two ids") << u"[\"AE-1\",\"AE-2\"]"_s << QStringList{u"AE-1"_s, u"AE-2"_s};
    QTest::newRow("64 ids") << json(many.mid(0, 64)) << many.mid(0, 64);
    QTest::newRow("65 ids") << json(many) << QStringList();
    QTest::newRow("empty array") << u"[]"_s << QStringList();
    QTest::newRow("a number") << u"[\"AE-1\",7]"_s << QStringList();
    QTest::newRow("an object") << u"{\"id\":\"AE-1\"}"_s << QStringList();
    QTest::newRow("a bare id, as an entry of one event before") << u"AE-1"_s << QStringList();
    QTest::newRow("cut short") << u"[\"AE-1\",\"AE"_s << QStringList();
    // What groupRef() escapes comes back as it was.
    const QStringList odd{u"a\"b"_s,      u"c\\d"_s,      u"e,f"_s,
                          u"tab\there"_s, u"nul\u0001"_s, u"caf\u00e9 \u2603"_s,
                          u"[\"x\"]"_s};
    QTest::newRow("ids with quotes, backslashes, commas, controls, non-ASCII") << json(odd) << odd;
}

void TestRecordValues::evidenceGroupRefsParse()
{
    QFETCH(QString, ref);
    QFETCH(QStringList, ids);
    const auto parsed = Evidence::parseGroupRef(ref);
    QCOMPARE(parsed.value_or(QStringList()), ids);
    QCOMPARE(parsed.has_value(), !ids.isEmpty());
    if (parsed) // the same ids give the same ref back
        QCOMPARE(QString::fromUtf8(Evidence::groupRef(*parsed)), ref);
}

void TestRecordValues::firstLinePastTheIdCannotReachAnotherCommand_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("attack");
    QTest::addColumn<QString>("reason");

    // Command key 2 with line 2^32 + 1 would be the id of command key 3, line 1.
    QTest::newRow("log header") << u"attack.log"_s
                                << "##[tasktrail] task=T-attacker command=1 first_line=4294967297\n"
                                   "forged 1\nforged 2\n"_ba
                                << u"header field 'first_line': 4294967297: must be at most "
                                   "4294967295"_s;
    QTest::newRow("log record") << u"attack.jsonl"_s
                                << record(
                                       R"("kind":"log","task_id":"T-attacker","command_seq":1,)"
                                       R"("first_line":4294967297,"lines":["forged 1","forged 2"])")
                                << u"field 'first_line': 4294967297: must be at most 4294967295"_s;
    QTest::newRow("log record whose last line does not fit")
        << u"attack.jsonl"_s
        << record(R"("kind":"log","task_id":"T-attacker","command_seq":1,)"
                  R"("first_line":4294967295,"lines":["fits","forged"])")
        << u"field 'lines': 2 lines from line 4294967295 end at line 4294967296: must end by "
           "line 4294967295"_s;
}

void TestRecordValues::firstLinePastTheIdCannotReachAnotherCommand()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, attack);
    QFETCH(QString, reason);

    Scene scene;
    for (const auto &[task, expectedKey] :
         {std::pair{u"T-other"_s, 1}, {u"T-attacker"_s, 2}, {u"T-victim"_s, 3}})
        QCOMPARE(scene.store().commandKey(task, 1).value_or(-1), qint64(expectedKey));

    // The attacker's lines come first: before the bound, they took the victim's ids and the
    // victim's real lines were then dropped as duplicates.
    const QString attackFile = scene.write(fileName, attack);
    const Run attacked = scene.ingest({attackFile});
    QVERIFY2(attacked.ok, qPrintable(attacked.error));
    QCOMPARE(attacked.counts.ingested, 0);
    QVERIFY(attacked.counts.rejected >= 1);
    QVERIFY2(!attacked.issueContaining(reason).isEmpty(),
             qPrintable(attacked.describe().join(u'\n')));
    QVERIFY(attacked.issueContaining(reason).startsWith(attackFile % u":1: "_s));

    const Run victim = scene.ingest(
        {scene.write(u"victim.log"_s, "##[tasktrail] task=T-victim command=1\nreal 1\nreal 2\n")});
    QVERIFY2(victim.ok, qPrintable(victim.error));
    QCOMPARE(victim.counts.ingested, 2);
    QCOMPARE(victim.counts.duplicates, 0);
    QCOMPARE(scene.lines(u"T-victim"_s, 1), QByteArrayList({"real 1", "real 2"}));
    QCOMPARE(scene.lines(u"T-attacker"_s, 1), QByteArrayList());
    QCOMPARE(scene.store().stats().logLines, 2);
}

void TestRecordValues::sectionEndsAtTheLastLineNumber()
{
    Scene scene;
    const QString log = scene.write(u"end.log"_s, "##[tasktrail] task=T-1 command=1 "
                                                  "first_line=4294967294\n"
                                                  "second to last\nlast\none too many\nmore\n"
                                                  "##[tasktrail] task=T-1 command=2\nfresh\n");
    const Run run = scene.ingest({log});
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.ingested, 3);
    QCOMPARE(run.counts.rejected, 2);
    QCOMPARE(run.describe(),
             QStringList{log % u":4: line 4294967296 of the section: line numbers must be at most "
                               "4294967295; the rest of the section is rejected"_s});
    QCOMPARE(scene.lines(u"T-1"_s, 1), QByteArrayList({"second to last", "last"}));
    QCOMPARE(scene.lines(u"T-1"_s, 2), QByteArrayList({"fresh"}));
}

void TestRecordValues::commandNumberPastIntDoesNotOverwriteCommandOne()
{
    Scene scene;
    const QString file = scene.write(
        u"commands.jsonl"_s,
        record(R"("kind":"task","id":"T-1","repo":"acme/web")") +
            record(R"("kind":"command","task_id":"T-1","seq":1,"argv":["make","test"])") +
            record(R"("kind":"command","task_id":"T-1","seq":4294967297,"argv":["rm","-rf"])") +
            record(R"("kind":"command","task_id":"T-1","seq":2147483648,"argv":["rm","-rf"])"));
    const Run run = scene.ingest({file});
    QVERIFY2(run.ok, qPrintable(run.error));
    QCOMPARE(run.counts.ingested, 2);
    QCOMPARE(run.counts.rejected, 2);
    QCOMPARE(run.describe(),
             QStringList({file % u":3: command: field 'seq': 4294967297: must be at most "
                                 "2147483647"_s,
                          file % u":4: command: field 'seq': 2147483648: must be at most "
                                 "2147483647"_s}));
    const auto chain = scene.store().taskChain(u"T-1"_s);
    QVERIFY(chain);
    QCOMPARE(chain->commands.size(), 1);
    QCOMPARE(chain->commands.constFirst().record.argv, QStringList({u"make"_s, u"test"_s}));
}

// One rejected input per row, between two good requests in a record file (or alone, for the
// other formats): the reason names the field, the value and the bound.
void TestRecordValues::rejectedValues_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("issueLine");
    QTest::addColumn<QString>("reason");

    const auto jsonl = [](const char *name, const QByteArray &fields, const QString &reason) {
        QTest::newRow(name) << u"input.jsonl"_s
                            << record(R"("kind":"request","id":"R-before")") + record(fields) +
                                   record(R"("kind":"request","id":"R-after")")
                            << 2 << reason;
    };
    jsonl("empty task id", R"("kind":"task","id":"","repo":"acme/web")",
          u"field 'id': must not be empty"_s);
    jsonl("empty command task id", R"("kind":"command","task_id":"","seq":1,"argv":["make"])",
          u"command: field 'task_id': must not be empty"_s);
    jsonl("repo without owner", R"("kind":"task","id":"T-1","repo":"web")",
          u"field 'repo': 'web' is not a repository name of the form owner/name"_s);
    jsonl("repo with three parts", R"("kind":"pull_request","repo":"acme/web/x","number":1)",
          u"field 'repo': 'acme/web/x' is not a repository name of the form owner/name"_s);
    jsonl("repo with an escape", R"("kind":"review","id":1,"repo":"acme/w\u001b[0m","pr_number":1)",
          u"field 'repo': 'acme/w\\x1b[0m' is not a repository name"_s);
    jsonl("decision repo empty owner",
          R"("kind":"decision","campaign_id":"C-1","repo":"/web","verdict":"skipped")",
          u"decision: field 'repo': '/web' is not a repository name"_s);
    jsonl("negative PR number", R"("kind":"pull_request","repo":"acme/web","number":-3)",
          u"field 'number': -3: must be at least 1"_s);
    jsonl("task PR number 0", R"("kind":"task","id":"T-1","repo":"acme/web","pr_number":0)",
          u"field 'pr_number': 0: must be at least 1"_s);
    jsonl("PR number past int", R"("kind":"pull_request","repo":"acme/web","number":4294967297)",
          u"field 'number': 4294967297: must be at most 2147483647"_s);
    jsonl("negative review id", R"("kind":"review","id":-7,"repo":"acme/web","pr_number":1)",
          u"field 'id': -7: must be at least 1"_s);
    jsonl("negative check run id",
          R"("kind":"check_run","id":-1,"repo":"acme/web","head_sha":"abc","name":"ci")",
          u"field 'id': -1: must be at least 1"_s);
    jsonl("negative github id",
          R"("kind":"pull_request","repo":"acme/web","number":1,"github_id":-5)",
          u"field 'github_id': -5: must be at least 1"_s);
    jsonl("negative retries", R"("kind":"task","id":"T-1","repo":"acme/web","retries":-1)",
          u"field 'retries': -1: must be at least 0"_s);
    jsonl("retries past int", R"("kind":"task","id":"T-1","repo":"acme/web","retries":3000000000)",
          u"field 'retries': 3000000000: must be at most 2147483647"_s);
    jsonl("negative additions", R"("kind":"file_change","task_id":"T-1","path":"a","additions":-2)",
          u"file_change: field 'additions': -2: must be at least 0"_s);
    jsonl("negative duration",
          R"("kind":"test","task_id":"T-1","name":"t","outcome":"passed","duration_ms":-1)",
          u"test: field 'duration_ms': -1: must be at least 0"_s);
    // Past 2^53 a double has no odd numbers: the value must be read as written.
    jsonl("duration 2^53 + 1",
          R"("kind":"test","task_id":"T-1","name":"t","outcome":"passed",)"
          R"("duration_ms":9007199254740993)",
          u"test: field 'duration_ms': 9007199254740993: must be at most 9000000000000000"_s);
    jsonl("duration at INT64_MAX",
          R"("kind":"test","task_id":"T-1","name":"t","outcome":"passed",)"
          R"("duration_ms":9223372036854775807)",
          u"test: field 'duration_ms': 9223372036854775807: must be at most 9000000000000000"_s);
    jsonl("github id past 64 bits",
          R"("kind":"pull_request","repo":"acme/web","number":1,"github_id":18446744073709551616)",
          u"field 'github_id': 18446744073709551616: must be at most 9000000000000000"_s);
    jsonl("retries far below int",
          R"("kind":"task","id":"T-1","repo":"acme/web","retries":-18446744073709551616)",
          u"field 'retries': -18446744073709551616: must be at least 0"_s);
    jsonl("session attempt 0", R"("kind":"session","id":"S-1","task_id":"T-1","attempt":0)",
          u"session: field 'attempt': 0: must be at least 1"_s);
    jsonl("failure seq 0", R"("kind":"failure","task_id":"T-1","seq":0)",
          u"failure: field 'seq': 0: must be at least 1"_s);
    jsonl("exit code past int",
          R"("kind":"command","task_id":"T-1","seq":1,"argv":["a"],"exit_code":4294967296)",
          u"command: field 'exit_code': 4294967296: must be at most 2147483647"_s);
    jsonl("empty argv", R"("kind":"command","task_id":"T-1","seq":1,"argv":[])",
          u"command: field 'argv': must not be empty"_s);
    jsonl("empty argv inside a task",
          R"("kind":"task","id":"T-1","repo":"acme/web","commands":[{"seq":1,"argv":[]}])",
          u"command: field 'argv': must not be empty"_s);
    jsonl("NUL in an id", R"("kind":"request","id":"R-\u0000-hidden")",
          u"field 'id': contains a NUL character at position 3"_s);
    jsonl("NUL in a string", R"("kind":"request","id":"R-1","text":"ok\u0000hidden")",
          u"field 'text': contains a NUL character at position 3"_s);
    jsonl("NUL in argv", R"("kind":"command","task_id":"T-1","seq":1,"argv":["a","b\u0000c"])",
          u"command: field 'argv'[1]: contains a NUL character at position 2"_s);
    jsonl("NUL in a log line",
          R"("kind":"log","task_id":"T-1","command_seq":1,"lines":["a\u0000b"])",
          u"field 'lines'[0]: contains a NUL character at position 2"_s);
    jsonl("log command_seq past int",
          R"("kind":"log","task_id":"T-1","command_seq":2147483648,"lines":["a"])",
          u"field 'command_seq': 2147483648: must be at most 2147483647"_s);

    const auto log = [](const char *name, const QByteArray &header, const QString &reason) {
        QTest::newRow(name) << u"input.log"_s << QByteArray(header + "\nline\n") << 1 << reason;
    };
    log("header command past int", "##[tasktrail] task=T-1 command=4294967297",
        u"header field 'command': 4294967297: must be at most 2147483647"_s);
    log("header negative command", "##[tasktrail] task=T-1 command=-1",
        u"header field 'command': -1: must be at least 1"_s);
    log("header command not a number", "##[tasktrail] task=T-1 command=two",
        u"header field 'command': 'two' is not a whole number"_s);
    log("header first_line 0", "##[tasktrail] task=T-1 command=1 first_line=0",
        u"header field 'first_line': 0: must be at least 1"_s);
    log("header empty task", "##[tasktrail] task= command=1",
        u"header needs task=<id> and command=<n> (n >= 1)"_s);

    const auto github = [](const char *name, const QByteArray &json, int line,
                           const QString &reason) {
        QTest::newRow(name) << u"input.json"_s << json << line << reason;
    };
    github(
        "GitHub PR with a negative number",
        R"([{"number": -4, "head": {"ref": "x"}, "base": {"ref": "main", "repo": {"full_name": "acme/web"}}}])",
        1, u"field 'number': -4: must be at least 1"_s);
    github("GitHub PR number past int",
           R"({"number": 4294967297, "head": {}, "base": {"repo": {"full_name": "acme/web"}}})", 1,
           u"field 'number': 4294967297: must be at most 2147483647"_s);
    github("GitHub PR repository not owner/name",
           R"({"number": 4, "head": {}, "base": {"repo": {"full_name": "acme"}}})", 1,
           u"repository: 'acme' is not a repository name of the form owner/name"_s);
    github(
        "GitHub review with a negative id",
        R"({"id": -1, "state": "APPROVED", "user": {"login": "a"}, "submitted_at": "2026-03-01T12:00:00Z", "pull_request_url": "https://api.github.com/repos/acme/web/pulls/4"})",
        1, u"field 'id': -1: must be at least 1"_s);
    github(
        "GitHub agent task with an empty id",
        R"({"id": "", "state": "completed", "created_at": "2026-03-01T12:00:00Z", "session_count": 1, "url": "https://api.github.com/agents/repos/acme/web/tasks/x"})",
        1, u"field 'id': must not be empty"_s);
    github(
        "GitHub agent task with a session count past int",
        R"({"id": "t", "state": "completed", "created_at": "2026-03-01T12:00:00Z", "session_count": 4294967297, "url": "https://api.github.com/agents/repos/acme/web/tasks/t"})",
        1, u"field 'session_count': 4294967297: must be at most 2147483647"_s);
    github(
        "GitHub check run with NUL in its name",
        R"({"id": 5, "name": "ci\u0000", "head_sha": "abc", "status": "completed", "url": "https://api.github.com/repos/acme/web/check-runs/5"})",
        1, u"field 'name': contains a NUL character at position 3"_s);

    QTest::newRow("audit event repository not owner/name")
        << u"audit.ndjson"_s
        << QByteArray(R"({"action":"git.clone","actor":"a","@timestamp":1772366400000,)"
                      R"("repo":"acme"})"
                      "\n")
        << 1 << u"field 'repo': 'acme' is not a repository name"_s;
    QTest::newRow("audit event with a negative token id")
        << u"audit.ndjson"_s
        << QByteArray(R"({"action":"git.clone","actor":"a","@timestamp":1772366400000,)"
                      R"("token_id":-3})"
                      "\n")
        << 1 << u"field 'token_id': -3: must be between 1 and"_s;
    QTest::newRow("audit event with NUL in its scopes")
        << u"audit.ndjson"_s
        << QByteArray(R"({"action":"git.clone","actor":"a","@timestamp":1772366400000,)"
                      R"("token_scopes":"repo,\u0000admin"})"
                      "\n")
        << 1 << u"field 'token_scopes': contains a NUL character at position 6"_s;
    QTest::newRow("audit event with an empty action")
        << u"audit.ndjson"_s
        << QByteArray(R"({"action":"","actor":"a","@timestamp":1772366400000})"
                      "\n")
        << 1 << u"field 'action': must not be empty"_s;
    QTest::newRow("repository list entry not owner/name")
        << u"repos.json"_s
        << QByteArray(R"([{"full_name": "web", "default_branch": "main", "archived": false}])") << 1
        << u"field 'full_name': 'web' is not a repository name"_s;
}

void TestRecordValues::rejectedValues()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(int, issueLine);
    QFETCH(QString, reason);

    Scene scene;
    const QString file = scene.write(fileName, content);
    const Run run = scene.ingest({file});
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY(run.counts.rejected >= 1);
    const QString issue = run.issueContaining(reason);
    QVERIFY2(!issue.isEmpty(), qPrintable(run.describe().join(u'\n')));
    QVERIFY2(issue.startsWith(file % u':' % QString::number(issueLine) % u": "_s),
             qPrintable(issue));
    if (fileName.endsWith(u".jsonl")) {
        // The good records around the bad one are kept.
        QCOMPARE(run.counts.ingested, 2);
        QCOMPARE(scene.store().stats().requests, 2);
    }
}

// The bounds themselves are allowed.
void TestRecordValues::acceptedEdges_data()
{
    QTest::addColumn<QByteArray>("fields");

    QTest::newRow("seq at int max")
        << QByteArray(R"("kind":"command","task_id":"T-1","seq":2147483647,"argv":["a"])");
    QTest::newRow("negative exit code (a Windows status)") << QByteArray(
        R"("kind":"command","task_id":"T-1","seq":1,"argv":["a"],"exit_code":-1073741819)");
    QTest::newRow("last line number") << QByteArray(
        R"("kind":"log","task_id":"T-1","command_seq":1,"first_line":4294967295,"lines":["a"])");
    QTest::newRow("repository with dots and dashes")
        << QByteArray(R"("kind":"task","id":"T-2","repo":"my-org/web.site_v2")");
}

void TestRecordValues::acceptedEdges()
{
    QFETCH(QByteArray, fields);

    Scene scene;
    const Run run = scene.ingest({scene.write(u"edge.jsonl"_s, record(fields))});
    QVERIFY2(run.ok, qPrintable(run.error));
    QVERIFY2(run.issues.isEmpty(), qPrintable(run.describe().join(u'\n')));
    QCOMPARE(run.counts.ingested, 1);
}

QTEST_GUILESS_MAIN(TestRecordValues)
#include "tst_recordvalues.moc"
