#include "launch/commandshim.h"
#include "launch/localbackend.h"
#include "launch/localresult.h"
#include "localrunfixture.h"
#include "text/shellquote.h"

#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;

namespace {

// All log text of one command, lines joined by '\n'.
QByteArray logText(const RunResult &result, int seq)
{
    for (const CommandLog &log : result.logs) {
        if (log.seq != seq)
            continue;
        QByteArrayList lines;
        for (const LogLine &line : log.lines)
            lines.append(line.text);
        return lines.join('\n');
    }
    return {};
}

// Alive unless /proc has no such process or only its zombie (nobody may reap in a container).
bool processAlive(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype paren = text.lastIndexOf(')');
    return paren > 0 && text.size() > paren + 2 && text.at(paren + 2) != 'Z';
}

const QByteArray secret = "ghp_" + QByteArray("A1b2C3d4E5f6G7h8I9j0").repeated(2).left(36);

// A loopback HTTP server that answers every request with one canned response and counts the
// requests it read.
class CannedHttp final : public QTcpServer
{
public:
    explicit CannedHttp(QByteArray response)
        : m_response(std::move(response))
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_read[socket] += socket->readAll();
                    if (!m_read[socket].contains("\r\n\r\n"))
                        return;
                    requests << m_read.take(socket);
                    socket->write(m_response);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    QString url(const QString &path) const
    {
        return u"http://127.0.0.1:%1%2"_s.arg(serverPort()).arg(path);
    }

    QByteArrayList requests;

private:
    QByteArray m_response;
    QHash<QTcpSocket *, QByteArray> m_read;
};

} // namespace

class TestLocalBackend final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void completedRunIsRecordedCommittedAndPushed();
    void failingAgentIsAnAgentError();
    void timeBudgetKillsTheProcessGroup();
    void cancelStopsTheAgent();
    void argumentsRoundTripThroughTheShim();
    void secretsAreRedacted();
    void concurrentTasksUseSeparateWorktrees();
    void existingBranchIsAGitFailure();
    void failedPushIsRecordedAsAGitFailure();
    void pushFollowsNoRedirect();
    void transientPushFailures_data();
    void transientPushFailures();
    void invalidSpecIsRejectedAfterStartReturns();
    void recognisesTestCommands_data();
    void recognisesTestCommands();
    void readsRenamesAndBinaryFiles();

private:
    QTemporaryDir m_home;
};

void TestLocalBackend::initTestCase()
{
    QVERIFY2(!QStandardPaths::findExecutable(u"git"_s).isEmpty(),
             "git is needed by the local runner and its tests");
    // The developer's ~/.gitconfig stays out of the tests; the agent must not see this either.
    qputenv("HOME", m_home.path().toUtf8());
    qputenv("TASKTRAIL_TEST_LEAK", "leaked");
}

void TestLocalBackend::completedRunIsRecordedCommittedAndPushed()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    QVERIFY(fx.addTool(u"npm"_s, "echo \"fake npm $*\"\necho '1 test passed'\n"));
    LocalBackend backend(fx.config(R"(set -e
echo "prompt: $1"
head -n 1 "$TASKTRAIL_PROMPT_FILE" | sed 's/^/file: /'
echo "leak=[$TASKTRAIL_TEST_LEAK] home=$HOME"
sed -i 's/two/TWO/' README.md
printf 'added line\n' > notes.txt
git status --short
npm test
echo "agent done"
)"));
    BackendRecorder recorder(backend);
    backend.start(fx.spec(u"t1"_s));
    QVERIFY(recorder.waitFor(u"t1"_s));
    const RunResult result = recorder.results.value(u"t1"_s);
    const TaskRecord &task = result.task;

    QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
    QCOMPARE(toString(task.state), toString(TaskState::Completed));
    QCOMPARE(task.source, u"local"_s);
    QCOMPARE(task.baseRef, u"main"_s);
    QCOMPARE(task.headRef, u"tasktrail/t1"_s);
    const QString worktree = fx.work + u"/t1"_s;
    QCOMPARE(recorder.remoteIds.value(u"t1"_s), worktree);

    // The agent, the two tools it ran through the PATH, then the push.
    QCOMPARE(task.commands.size(), 4);
    for (int i = 0; i < task.commands.size(); ++i) {
        QCOMPARE(task.commands.at(i).seq, i + 1);
        QCOMPARE(task.commands.at(i).exitCode, std::optional<int>(0));
        QVERIFY(task.commands.at(i).startedAt.isValid());
        if (i > 0)
            QVERIFY(task.commands.at(i - 1).startedAt <= task.commands.at(i).startedAt);
    }
    QCOMPARE(task.commands.at(0).argv.value(0), u"/bin/sh"_s);
    QCOMPARE(task.commands.at(0).argv.value(2), task.prompt);
    QCOMPARE(task.commands.at(0).cwd, worktree);
    QCOMPARE(task.commands.at(1).argv, QStringList({u"git"_s, u"status"_s, u"--short"_s}));
    QCOMPARE(task.commands.at(1).cwd, worktree);
    QCOMPARE(task.commands.at(2).argv, QStringList({u"npm"_s, u"test"_s}));
    QCOMPARE(task.commands.at(3).argv,
             QStringList({u"git"_s, u"push"_s, u"origin"_s, u"tasktrail/t1"_s}));

    const QByteArray agentLog = logText(result, 1);
    QVERIFY(agentLog.contains("prompt: Fix the README"));
    QVERIFY(agentLog.contains("file: Fix the README"));
    const QByteArray home = fx.dir.filePath(u"home"_s).toUtf8();
    QVERIFY(agentLog.contains(QByteArray(QByteArray("leak=[] home=") + home)));
    QVERIFY(agentLog.contains("agent done"));
    QVERIFY(logText(result, 2).contains(" M README.md"));
    QVERIFY(logText(result, 2).contains("?? notes.txt"));
    QCOMPARE(logText(result, 3), QByteArray("fake npm test\n1 test passed"));

    QCOMPARE(task.tests.size(), 1);
    QCOMPARE(task.tests.at(0).name, u"npm test"_s);
    QCOMPARE(task.tests.at(0).outcome, u"passed"_s);
    QCOMPARE(task.tests.at(0).commandSeq, 3);

    QCOMPARE(task.filesChanged.size(), 2);
    for (const FileChange &change : task.filesChanged) {
        if (change.path == u"README.md"_s) {
            QCOMPARE(change.change, u"modified"_s);
            QCOMPARE(change.additions, 1);
            QCOMPARE(change.deletions, 1);
        } else {
            QCOMPARE(change.path, u"notes.txt"_s);
            QCOMPARE(change.change, u"added"_s);
            QCOMPARE(change.additions, 1);
            QCOMPARE(change.deletions, 0);
        }
    }

    // The commit is on the branch, here and in the remote; the worktree and the runner's
    // files are gone, the branch stays.
    QCOMPARE(task.headSha.size(), 40);
    QCOMPARE(fx.gitOutput(fx.bare, {u"rev-parse"_s, u"refs/heads/tasktrail/t1"_s}),
             task.headSha.toUtf8());
    QCOMPARE(fx.gitOutput(fx.repo, {u"rev-parse"_s, u"refs/heads/tasktrail/t1"_s}),
             task.headSha.toUtf8());
    QCOMPARE(fx.gitOutput(fx.bare, {u"log"_s, u"-1"_s, u"--format=%s|%an|%ae"_s, task.headSha}),
             QByteArray("Tasktrail task t1: Fix the README|Tasktrail Test|runner@example.org"));
    QCOMPARE(fx.gitOutput(fx.bare, {u"show"_s, task.headSha + u":README.md"_s}),
             QByteArray("one\nTWO\nthree"));
    QVERIFY(!QFileInfo::exists(worktree));
    QVERIFY(!QFileInfo::exists(fx.work + u"/.tasktrail/t1"_s));
    QCOMPARE(fx.gitOutput(fx.repo, {u"worktree"_s, u"list"_s, u"--porcelain"_s}).count("worktree "),
             1);
}

void TestLocalBackend::failingAgentIsAnAgentError()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    LocalBackend backend(fx.config("echo 'half done' > half.txt\necho 'about to fail'\n"
                                   "echo 'oops on stderr' >&2\nexit 3\n"));
    BackendRecorder recorder(backend);
    backend.start(fx.spec(u"t2"_s));
    QVERIFY(recorder.waitFor(u"t2"_s));
    const RunResult result = recorder.results.value(u"t2"_s);

    QCOMPARE(toString(result.task.state), toString(TaskState::Failed));
    QCOMPARE(result.failureKind, u"agent_error"_s);
    QVERIFY(result.failure.contains(u"code 3"_s));
    QVERIFY(!result.retryable);
    QCOMPARE(result.task.failures.size(), 1);
    QCOMPARE(result.task.failures.at(0).kind, u"agent_error"_s);
    QCOMPARE(result.task.commands.size(), 1); // no push for a failed run
    QCOMPARE(result.task.commands.at(0).exitCode, std::optional<int>(3));
    QCOMPARE(logText(result, 1), QByteArray("about to fail\noops on stderr"));
    // What the agent left is committed on the local branch, and not pushed.
    QCOMPARE(result.task.filesChanged.size(), 1);
    QCOMPARE(fx.gitOutput(fx.repo, {u"rev-parse"_s, u"refs/heads/tasktrail/t2"_s}),
             result.task.headSha.toUtf8());
    QVERIFY(
        !fx.git(fx.bare, {u"rev-parse"_s, u"--verify"_s, u"-q"_s, u"refs/heads/tasktrail/t2"_s}));
    QVERIFY(!QFileInfo::exists(fx.work + u"/t2"_s));
}

void TestLocalBackend::timeBudgetKillsTheProcessGroup()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    const QString pidFile = fx.dir.filePath(u"sleep.pid"_s);
    LocalBackend backend(
        fx.config("sleep 30 &\necho $! > \"$2\"\necho waiting\nwait\n", {pidFile}));
    BackendRecorder recorder(backend);
    LaunchSpec spec = fx.spec(u"t3"_s);
    spec.timeBudgetMs = 700;
    QElapsedTimer clock;
    clock.start();
    backend.start(spec);
    QVERIFY(QTest::qWaitFor([&] { return QFileInfo(pidFile).size() > 0; }, 10000));
    QFile file(pidFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const qint64 sleepPid = file.readAll().trimmed().toLongLong();
    QVERIFY(sleepPid > 0);
    QVERIFY(processAlive(sleepPid));

    QVERIFY(recorder.waitFor(u"t3"_s));
    QVERIFY(clock.elapsed() < 20000);
    const RunResult result = recorder.results.value(u"t3"_s);
    QCOMPARE(toString(result.task.state), toString(TaskState::TimedOut));
    QCOMPARE(result.failureKind, u"timeout"_s);
    QVERIFY(!result.retryable);
    QCOMPARE(result.task.commands.size(), 1);
    QVERIFY(!result.task.commands.at(0).exitCode.has_value());
    QVERIFY(logText(result, 1).contains("waiting"));
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(sleepPid), 5000);
    QVERIFY(!QFileInfo::exists(fx.work + u"/t3"_s));
}

void TestLocalBackend::cancelStopsTheAgent()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    const QString marker = fx.dir.filePath(u"running"_s);
    LocalBackend backend(fx.config("echo running > \"$2\"\nsleep 30\necho never\n", {marker}));
    BackendRecorder recorder(backend);
    QElapsedTimer clock;
    clock.start();
    backend.start(fx.spec(u"t4"_s));
    QVERIFY(QTest::qWaitFor([&] { return QFileInfo::exists(marker); }, 10000));
    QVERIFY(backend.isRunning(u"t4"_s));
    backend.cancel(u"t4"_s);
    QVERIFY(recorder.waitFor(u"t4"_s));
    QVERIFY(clock.elapsed() < 20000);
    const RunResult result = recorder.results.value(u"t4"_s);
    QCOMPARE(toString(result.task.state), toString(TaskState::Cancelled));
    QCOMPARE(result.failureKind, u"cancelled"_s);
    QVERIFY(!logText(result, 1).contains("never"));
    QVERIFY(!backend.isRunning(u"t4"_s));
    QVERIFY(!QFileInfo::exists(fx.work + u"/t4"_s));
    QVERIFY(
        !fx.git(fx.bare, {u"rev-parse"_s, u"--verify"_s, u"-q"_s, u"refs/heads/tasktrail/t4"_s}));
}

void TestLocalBackend::argumentsRoundTripThroughTheShim()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    QVERIFY(fx.addTool(u"echoargs"_s, "printf '<%s>\\n' \"$@\"\nexit 5\n"));
    // The agent passes spaces, quotes, an empty argument, a literal $HOME, a backslash, a tab,
    // a newline and a glob character.
    LocalBackendConfig config =
        fx.config("echoargs \"a b\" \"it's\" 'say \"hi\"' '' '$HOME' 'back\\slash' "
                  "\"$(printf 'tab\\tend')\" 'line1\nline2' '*'\n"
                  "echo \"status=$?\"\n");
    config.shimTools = CommandShim::defaultTools() << u"echoargs"_s;
    config.remote.clear();
    LocalBackend backend(config);
    BackendRecorder recorder(backend);
    backend.start(fx.spec(u"t5"_s));
    QVERIFY(recorder.waitFor(u"t5"_s));
    const RunResult result = recorder.results.value(u"t5"_s);

    QCOMPARE(toString(result.task.state), toString(TaskState::Completed));
    const QStringList expected{u"echoargs"_s,     u"a b"_s,   u"it's"_s,        u"say \"hi\""_s,
                               QString(),         u"$HOME"_s, u"back\\slash"_s, u"tab\tend"_s,
                               u"line1\nline2"_s, u"*"_s};
    QCOMPARE(result.task.commands.size(), 2); // no remote: no push
    QCOMPARE(result.task.commands.at(1).argv, expected);
    QCOMPARE(result.task.commands.at(1).exitCode, std::optional<int>(5));
    const QByteArray toolOutput("<a b>\n<it's>\n<say \"hi\">\n<>\n<$HOME>\n<back\\slash>\n"
                                "<tab\tend>\n<line1\nline2>\n<*>");
    QCOMPARE(logText(result, 2), toolOutput);
    // The tool's output still reached the agent, followed by the exit status it saw.
    QCOMPARE(logText(result, 1), toolOutput + "\nstatus=5");
    QCOMPARE(shellCommandLine(expected.mid(0, 4)), u"echoargs \"a b\" \"it's\" 'say \"hi\"'"_s);
    QVERIFY(!result.task.headSha.isEmpty());
    QVERIFY(result.task.filesChanged.isEmpty());
}

void TestLocalBackend::secretsAreRedacted()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    QVERIFY(fx.addTool(u"curl"_s, "echo \"curl got $*\"\n"));
    LocalBackend backend(fx.config("echo \"token=" + secret +
                                   "\"\n"
                                   "curl -H 'Authorization: Bearer " +
                                   secret + "' example.org\n"));
    BackendRecorder recorder(backend);
    LaunchSpec spec = fx.spec(u"t6"_s);
    spec.prompt = u"Use the token "_s + QString::fromLatin1(secret);
    backend.start(spec);
    QVERIFY(recorder.waitFor(u"t6"_s));
    const RunResult result = recorder.results.value(u"t6"_s);

    QCOMPARE(toString(result.task.state), toString(TaskState::Completed));
    QCOMPARE(result.task.commands.size(), 2); // nothing changed: nothing to push
    QVERIFY(logText(result, 1).contains("token=[REDACTED:github-token]"));
    QVERIFY(logText(result, 2).contains("[REDACTED"));
    for (const CommandLog &log : result.logs) {
        for (const LogLine &line : log.lines) {
            QVERIFY2(!line.text.contains(secret), line.text.constData());
            QVERIFY(!line.ansi.contains(secret));
        }
    }
    for (const CommandRecord &command : result.task.commands)
        QVERIFY(!command.argv.join(u' ').contains(QString::fromLatin1(secret)));
    QVERIFY(!result.task.prompt.contains(QString::fromLatin1(secret)));
}

void TestLocalBackend::concurrentTasksUseSeparateWorktrees()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    LocalBackend backend(fx.config("echo \"$TASKTRAIL_TASK_ID\" > \"$TASKTRAIL_TASK_ID.txt\"\n"
                                   "sleep 0.5\ngit status --short\n"));
    BackendRecorder recorder(backend);
    const QStringList ids{u"ta"_s, u"tb"_s, u"tc"_s};
    for (const QString &id : ids)
        backend.start(fx.spec(id));
    for (const QString &id : ids)
        QVERIFY(recorder.waitFor(id));
    for (const RunResult &result : std::as_const(recorder.results))
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
    QCOMPARE(recorder.remoteIds.size(), 3);
    // The agents ran at the same time: each started before any of them ended.
    QDateTime firstEnd;
    for (const RunResult &result : std::as_const(recorder.results)) {
        const QDateTime end = result.task.commands.at(0).endedAt;
        firstEnd = firstEnd.isValid() ? std::min(firstEnd, end) : end;
    }
    for (const RunResult &result : std::as_const(recorder.results))
        QVERIFY(result.task.commands.at(0).startedAt < firstEnd);
    for (const QString &id : ids) {
        QCOMPARE(recorder.remoteIds.value(id), fx.work + u'/' + id);
        const RunResult result = recorder.results.value(id);
        QVERIFY2(result.failure.isEmpty(), qPrintable(result.failure));
        QCOMPARE(toString(result.task.state), toString(TaskState::Completed));
        QCOMPARE(result.task.filesChanged.size(), 1);
        QCOMPARE(result.task.filesChanged.at(0).path, id + u".txt"_s);
        QCOMPARE(result.task.commands.at(1).cwd, fx.work + u'/' + id);
        QCOMPARE(logText(result, 2), QByteArray("?? ") + id.toUtf8() + ".txt");
        QCOMPARE(fx.gitOutput(fx.bare, {u"rev-parse"_s, u"refs/heads/tasktrail/"_s + id}),
                 result.task.headSha.toUtf8());
    }
}

void TestLocalBackend::existingBranchIsAGitFailure()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    QVERIFY(fx.git(fx.repo, {u"branch"_s, u"tasktrail/t7"_s}));
    LocalBackend backend(fx.config("echo should not run\n"));
    BackendRecorder recorder(backend);
    backend.start(fx.spec(u"t7"_s));
    QVERIFY(recorder.waitFor(u"t7"_s));
    const RunResult result = recorder.results.value(u"t7"_s);
    QCOMPARE(toString(result.task.state), toString(TaskState::Failed));
    QCOMPARE(result.failureKind, u"git"_s);
    QVERIFY(result.failure.contains(u"worktree add"_s));
    QVERIFY(result.task.commands.isEmpty());
    QVERIFY(!recorder.remoteIds.contains(u"t7"_s));
    QVERIFY(!QFileInfo::exists(fx.work + u"/.tasktrail/t7"_s));
}

void TestLocalBackend::failedPushIsRecordedAsAGitFailure()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    LocalBackendConfig config = fx.config("echo change > change.txt\n");
    config.remote = u"nowhere"_s;
    LocalBackend backend(config);
    BackendRecorder recorder(backend);
    backend.start(fx.spec(u"t8"_s));
    QVERIFY(recorder.waitFor(u"t8"_s));
    const RunResult result = recorder.results.value(u"t8"_s);
    QCOMPARE(toString(result.task.state), toString(TaskState::Failed));
    QCOMPARE(result.failureKind, u"git"_s);
    QVERIFY(!result.retryable);
    QVERIFY2(result.failure.contains(u"push nowhere tasktrail/t8"_s), qPrintable(result.failure));
    QCOMPARE(result.task.commands.size(), 2);
    const CommandRecord &push = result.task.commands.at(1);
    QCOMPARE(push.argv, QStringList({u"git"_s, u"push"_s, u"nowhere"_s, u"tasktrail/t8"_s}));
    QVERIFY(push.exitCode.has_value() && *push.exitCode != 0);
    QVERIFY(logText(result, 2).contains("nowhere"));
    // The commit stays on the local branch; the worktree is gone all the same.
    QCOMPARE(fx.gitOutput(fx.repo, {u"rev-parse"_s, u"refs/heads/tasktrail/t8"_s}),
             result.task.headSha.toUtf8());
    QVERIFY(!QFileInfo::exists(fx.work + u"/t8"_s));
}

// The push carries the user's git credentials: a remote that redirects elsewhere is refused,
// and the other server hears nothing (git's default follows the first redirect).
void TestLocalBackend::pushFollowsNoRedirect()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    CannedHttp elsewhere("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n"
                         "Content-Length: 0\r\n\r\n");
    CannedHttp origin("HTTP/1.1 302 Found\r\nLocation: " +
                      elsewhere.url(u"/o/r.git/info/refs?service=git-receive-pack"_s).toLatin1() +
                      "\r\nContent-Length: 0\r\n\r\n");
    QVERIFY(origin.isListening() && elsewhere.isListening());
    LocalBackendConfig config = fx.config("echo change > change.txt\n");
    config.remote = origin.url(u"/o/r.git"_s);
    LocalBackend backend(config);
    BackendRecorder recorder(backend);
    backend.start(fx.spec(u"t9"_s));
    QVERIFY(recorder.waitFor(u"t9"_s));
    const RunResult result = recorder.results.value(u"t9"_s);
    QVERIFY2(elsewhere.requests.isEmpty(), elsewhere.requests.value(0).constData());
    QCOMPARE(origin.requests.size(), 1);
    QCOMPARE(result.failureKind, u"git"_s);
    QVERIFY2(logText(result, 2).contains("302"), logText(result, 2).constData());
}

void TestLocalBackend::transientPushFailures_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<bool>("transient");
    QTest::newRow("dns") << QByteArray("fatal: unable to access 'https://github.com/o/r/': "
                                       "Could not resolve host: github.com")
                         << true;
    QTest::newRow("5xx") << QByteArray("error: RPC failed; HTTP 502 curl 22 The requested URL "
                                       "returned error: 502")
                         << true;
    QTest::newRow("hung up") << QByteArray("fatal: the remote end hung up unexpectedly") << true;
    QTest::newRow("rejected") << QByteArray(" ! [rejected] main -> main (non-fast-forward)")
                              << false;
    QTest::newRow("auth") << QByteArray("remote: Permission to o/r.git denied to someone.\n"
                                        "fatal: unable to access 'https://github.com/o/r.git/': "
                                        "The requested URL returned error: 403")
                          << false;
}

void TestLocalBackend::transientPushFailures()
{
    QFETCH(QByteArray, output);
    QFETCH(bool, transient);
    QCOMPARE(LocalResult::isTransientPushFailure(output), transient);
}

void TestLocalBackend::invalidSpecIsRejectedAfterStartReturns()
{
    LocalRunFixture fx;
    QVERIFY(fx.ok);
    LocalBackend backend(fx.config("exit 0\n"));
    BackendRecorder recorder(backend);
    backend.start(fx.spec(u"../escape"_s));
    QVERIFY(recorder.results.isEmpty());
    QVERIFY(recorder.waitFor(u"../escape"_s));
    QCOMPARE(toString(recorder.results.value(u"../escape"_s).task.state),
             toString(TaskState::Failed));
    QCOMPARE(recorder.results.value(u"../escape"_s).failureKind, u"invalid_spec"_s);
    QVERIFY(!QFileInfo::exists(fx.dir.filePath(u"escape"_s)));
}

void TestLocalBackend::recognisesTestCommands_data()
{
    QTest::addColumn<QStringList>("argv");
    QTest::addColumn<bool>("isTest");
    QTest::newRow("npm test") << QStringList{u"npm"_s, u"test"_s} << true;
    QTest::newRow("npm run test:unit") << QStringList{u"npm"_s, u"run"_s, u"test:unit"_s} << true;
    QTest::newRow("npm install") << QStringList{u"npm"_s, u"install"_s} << false;
    QTest::newRow("pytest") << QStringList{u"pytest"_s, u"-q"_s} << true;
    QTest::newRow("python3 -m pytest") << QStringList{u"python3"_s, u"-m"_s, u"pytest"_s} << true;
    QTest::newRow("python3 script") << QStringList{u"python3"_s, u"x.py"_s} << false;
    QTest::newRow("go test") << QStringList{u"go"_s, u"test"_s, u"./..."_s} << true;
    QTest::newRow("go build") << QStringList{u"go"_s, u"build"_s} << false;
    QTest::newRow("cargo test") << QStringList{u"cargo"_s, u"test"_s} << true;
    QTest::newRow("make -j4 check") << QStringList{u"make"_s, u"-j4"_s, u"check"_s} << true;
    QTest::newRow("make") << QStringList{u"make"_s} << false;
    QTest::newRow("ctest") << QStringList{u"/usr/bin/ctest"_s} << true;
    QTest::newRow("git") << QStringList{u"git"_s, u"test"_s} << false;
}

void TestLocalBackend::recognisesTestCommands()
{
    QFETCH(QStringList, argv);
    QFETCH(bool, isTest);
    QCOMPARE(LocalResult::isTestCommand(argv), isTest);
}

void TestLocalBackend::readsRenamesAndBinaryFiles()
{
    const QByteArray numstat = QByteArrayList{"3\t1\tsrc/a.c", "0\t0\t",         "old name.txt",
                                              "new name.txt",  "-\t-\tlogo.png", ""}
                                   .join('\0');
    const QByteArray nameStatus =
        QByteArrayList{"M", "src/a.c", "R100", "old name.txt", "new name.txt", "A", "logo.png", ""}
            .join('\0');
    const QList<FileChange> changes = LocalResult::fileChanges(u"t"_s, numstat, nameStatus);
    QCOMPARE(changes.size(), 3);
    QCOMPARE(changes.at(0).path, u"src/a.c"_s);
    QCOMPARE(changes.at(0).change, u"modified"_s);
    QCOMPARE(changes.at(0).additions, 3);
    QCOMPARE(changes.at(0).deletions, 1);
    QCOMPARE(changes.at(1).path, u"new name.txt"_s);
    QCOMPARE(changes.at(1).change, u"renamed"_s);
    QCOMPARE(changes.at(2).path, u"logo.png"_s);
    QCOMPARE(changes.at(2).change, u"added"_s);
    QCOMPARE(changes.at(2).additions, 0);
}

QTEST_GUILESS_MAIN(TestLocalBackend)
#include "tst_localbackend.moc"
