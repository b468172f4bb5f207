#include "github/githubshapes.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using GitHub::Item;
using GitHub::ItemKind;

using Lines = QList<qint64>;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QString::fromUtf8(TASKTRAIL_TEST_DATA) % u"/github/" % name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QDateTime utc(QLatin1StringView text)
{
    return QDateTime::fromString(QString(text), Qt::ISODateWithMs);
}

QString kindName(ItemKind kind)
{
    switch (kind) {
    case ItemKind::AgentTask:
        return u"task"_s;
    case ItemKind::PullRequest:
        return u"pr"_s;
    case ItemKind::Review:
        return u"review"_s;
    case ItemKind::CheckRun:
        return u"check"_s;
    case ItemKind::CheckSuite:
        return u"suite"_s;
    }
    return {};
}

// The items of a fixture that must split cleanly.
QList<Item> itemsOf(const QString &file)
{
    QList<Item> items;
    QList<QPair<qint64, QString>> unrecognised;
    QString error;
    qint64 errorLine = 0;
    if (!GitHub::splitDocument(fixture(file), &items, &unrecognised, &error, &errorLine))
        qWarning("%s:%lld: %s", qPrintable(file), errorLine, qPrintable(error));
    return items;
}

} // namespace

class TestGitHubShapes final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void split_data();
    void split();
    void syntaxError_data();
    void syntaxError();
    void task_data();
    void task();
    void taskSessions();
    void taskUsage();
    void pullRequest_data();
    void pullRequest();
    void review_data();
    void review();
    void checkRun_data();
    void checkRun();
    void checkSuite_data();
    void checkSuite();
    void checkSuiteConversionError();
    void conversionError_data();
    void conversionError();
    void taskRepositoryResolvedById();
};

void TestGitHubShapes::split_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("kinds");
    QTest::addColumn<Lines>("lines");
    QTest::addColumn<Lines>("unrecognisedLines");
    QTest::addColumn<QStringList>("reasons");

    const QStringList none;
    QTest::newRow("agent task") << fixture(u"agent-task.json"_s) << QStringList{u"task"_s}
                                << Lines{1} << Lines{} << none;
    QTest::newRow("agent task list wrapper")
        << fixture(u"agent-task-list.json"_s) << QStringList{u"task"_s, u"task"_s} << Lines{3, 19}
        << Lines{} << none;
    QTest::newRow("agent task with html_url only")
        << fixture(u"agent-task-html-url.json"_s) << QStringList{u"task"_s} << Lines{1} << Lines{}
        << none;
    QTest::newRow("pull request") << fixture(u"pull-request.json"_s) << QStringList{u"pr"_s}
                                  << Lines{1} << Lines{} << none;
    QTest::newRow("pull request array")
        << fixture(u"pull-requests.json"_s) << QStringList{u"pr"_s, u"pr"_s} << Lines{2, 23}
        << Lines{} << none;
    QTest::newRow("pull_request webhook") << fixture(u"pull-request-webhook-merged.json"_s)
                                          << QStringList{u"pr"_s} << Lines{1} << Lines{} << none;
    QTest::newRow("reviews array")
        << fixture(u"reviews.json"_s) << QStringList{u"review"_s, u"review"_s} << Lines{2, 14}
        << Lines{} << none;
    QTest::newRow("pull_request_review webhook")
        << fixture(u"review-webhook.json"_s) << QStringList{u"review"_s} << Lines{1} << Lines{}
        << none;
    QTest::newRow("check runs wrapper")
        << fixture(u"check-runs.json"_s) << QStringList{u"check"_s, u"check"_s} << Lines{4, 25}
        << Lines{} << none;
    QTest::newRow("single check run")
        << fixture(u"check-run.json"_s) << QStringList{u"check"_s} << Lines{1} << Lines{} << none;
    QTest::newRow("check_run webhook") << fixture(u"check-run-webhook.json"_s)
                                       << QStringList{u"check"_s} << Lines{1} << Lines{} << none;
    QTest::newRow("check_suite webhook") << fixture(u"check-suite-webhook.json"_s)
                                         << QStringList{u"suite"_s} << Lines{1} << Lines{} << none;
    QTest::newRow("check suites wrapper")
        << fixture(u"check-suites.json"_s) << QStringList{u"suite"_s, u"suite"_s, u"suite"_s}
        << Lines{4, 17, 18} << Lines{} << none;
    QTest::newRow("a check run naming its suite is a check run")
        << R"({"id": 1, "name": "b", "head_sha": "a", "status": "queued", "check_suite": {"id": 2}})"_ba
        << QStringList{u"check"_s} << Lines{1} << Lines{} << none;
    QTest::newRow("single check suite")
        << R"({"id": 9, "head_sha": "a", "status": "queued", "latest_check_runs_count": 0})"_ba
        << QStringList{u"suite"_s} << Lines{1} << Lines{} << none;
    QTest::newRow("check suites wrapper with a malformed element")
        << "{\"total_count\": 2, \"check_suites\": [\n {\"id\": 1},\n {\"id\": 2,}\n]}"_ba
        << QStringList{u"suite"_s} << Lines{2} << Lines{3}
        << QStringList{u"JSON syntax error: object is missing after a comma"_s};
    QTest::newRow("workflow runs are named once")
        << fixture(u"workflow-runs.json"_s) << QStringList{} << Lines{} << Lines{1}
        << QStringList{u"a list of GitHub Actions workflow runs (\"workflow_runs\"): Tasktrail "
                       u"keeps no record of them; a run's logs are read from its log archive (GET "
                       u"/repos/{owner}/{repo}/actions/runs/{id}/logs)"_s};
    QTest::newRow("unrecognised elements among good ones")
        << fixture(u"mixed.json"_s) << QStringList{u"pr"_s, u"review"_s} << Lines{2, 7}
        << Lines{5, 6, 11}
        << QStringList{u"expected an object, found a number"_s,
                       u"not a GitHub agent task, pull request, review, check run or check suite"_s,
                       u"GitHub error response: Not Found"_s};

    QTest::newRow("elements sharing a line")
        << R"([{"number":1,"head":{},"base":{}},{"number":2,"head":{},"base":{}}])"_ba
        << QStringList{u"pr"_s, u"pr"_s} << Lines{1, 1} << Lines{} << none;
    QTest::newRow("brackets, commas and escaped quotes inside strings")
        << "[\n{\"number\":1,\"title\":\"a \\\"[\\\" , {\",\"head\":{},\"base\":{}},\n\n"
           "  {\"number\":2,\"title\":\"\\\\\",\"head\":{},\"base\":{}}\n]"_ba
        << QStringList{u"pr"_s, u"pr"_s} << Lines{2, 4} << Lines{} << none;
    QTest::newRow("nested tasks key is not the wrapper")
        << "{\"tasks\": [\n {\"id\":\"a\",\"state\":\"queued\",\"x\":{\"tasks\":[\n1,\n2]}},\n"
           " {\"id\":\"b\",\"state\":\"queued\"}\n]}"_ba
        << QStringList{u"task"_s, u"task"_s} << Lines{2, 5} << Lines{} << none;
    QTest::newRow("wrapper key after other arrays")
        << "{\"total_count\": 1,\n \"other\": [{},\n{}],\n \"check_runs\": [\n\n  {\"id\": 1}]}"_ba
        << QStringList{u"check"_s} << Lines{6} << Lines{} << none;
    QTest::newRow("object after blank lines")
        << "\n\n  {\"number\":1,\"head\":{},\"base\":{}}"_ba << QStringList{u"pr"_s} << Lines{3}
        << Lines{} << none;
    QTest::newRow("workflow run is not a check run")
        << R"({"id": 30433642, "name": "Build", "head_sha": "acb5820", "status": "queued",
               "workflow_id": 159038})"_ba
        << QStringList{} << Lines{} << Lines{1}
        << QStringList{
               u"not a GitHub agent task, pull request, review, check run or check suite"_s};
    QTest::newRow("empty array") << "[]"_ba << QStringList{} << Lines{} << Lines{} << none;
    QTest::newRow("scalar in a wrapper")
        << "{\"tasks\": [\n\"x\"\n]}"_ba << QStringList{} << Lines{} << Lines{2}
        << QStringList{u"expected an object, found a string"_s};
    // A list that is not valid JSON as a whole is read element by element.
    QTest::newRow("list cut off inside an element")
        << fixture(u"truncated.json"_s) << QStringList{u"pr"_s} << Lines{2} << Lines{8}
        << QStringList{u"the document ends inside this element: the list is cut off"_s};
    QTest::newRow("list cut off after an element")
        << "[\n {\"number\": 1},\n"_ba << QStringList{} << Lines{} << Lines{2, 2}
        << QStringList{u"not a GitHub agent task, pull request, review, check run or check suite"_s,
                       u"the list is not closed: the document ends before its ']'"_s};
    QTest::newRow("list with a malformed element")
        << "[\n{\"number\":1,\"head\":{},\"base\":{}},\n{\"number\":2,,\"head\":{}},\n"
           "{\"number\":3,\"head\":{},\"base\":{}}\n]"_ba
        << QStringList{u"pr"_s, u"pr"_s} << Lines{2, 4} << Lines{3}
        << QStringList{u"JSON syntax error: unterminated object"_s};
    QTest::newRow("check runs wrapper with a malformed element")
        << "{\"total_count\": 2, \"check_runs\": [\n {\"id\": 1},\n {\"id\": 2,}\n]}"_ba
        << QStringList{u"check"_s} << Lines{2} << Lines{3}
        << QStringList{u"JSON syntax error: object is missing after a comma"_s};
    QTest::newRow("list with a trailing comma")
        << "[\n{\"number\":1,\"head\":{},\"base\":{}},\n]"_ba << QStringList{u"pr"_s} << Lines{2}
        << Lines{3} << QStringList{u"JSON syntax error: object is missing after a comma"_s};
    QTest::newRow("unknown object")
        << "{\"login\": \"octocat\"}"_ba << QStringList{} << Lines{} << Lines{1}
        << QStringList{u"not a GitHub agent task, pull request, review, check run or "
                       u"check suite"_s};
}

void TestGitHubShapes::split()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, kinds);
    QFETCH(Lines, lines);
    QFETCH(Lines, unrecognisedLines);
    QFETCH(QStringList, reasons);

    QList<Item> items;
    QList<QPair<qint64, QString>> unrecognised;
    QString error;
    qint64 errorLine = 0;
    QVERIFY2(GitHub::splitDocument(json, &items, &unrecognised, &error, &errorLine),
             qPrintable(error));
    QStringList gotKinds;
    Lines gotLines;
    for (const Item &item : std::as_const(items)) {
        gotKinds.append(kindName(item.kind));
        gotLines.append(item.line);
    }
    QCOMPARE(gotKinds, kinds);
    QCOMPARE(gotLines, lines);
    Lines gotUnrecognisedLines;
    QStringList gotReasons;
    for (const auto &[line, reason] : std::as_const(unrecognised)) {
        gotUnrecognisedLines.append(line);
        gotReasons.append(reason);
    }
    QCOMPARE(gotUnrecognisedLines, unrecognisedLines);
    QCOMPARE(gotReasons, reasons);
}

void TestGitHubShapes::syntaxError_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::addColumn<qint64>("line");

    QTest::newRow("invalid UTF-8 in a string")
        << fixture(u"invalid-utf8.json"_s) << u"invalid UTF-8 in a string"_s << qint64(3);
    QTest::newRow("empty file") << fixture(u"empty.json"_s) << u"empty document"_s << qint64(1);
    QTest::newRow("whitespace only") << "\n  \r\n"_ba << u"empty document"_s << qint64(1);
    QTest::newRow("missing comma") << "{\n \"a\": 1\n \"b\": 2\n}"_ba
                                   << u"JSON syntax error: unterminated object"_s << qint64(3);
    QTest::newRow("top-level scalar")
        << "42"_ba << u"JSON syntax error: illegal value"_s << qint64(1);
}

void TestGitHubShapes::syntaxError()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QFETCH(qint64, line);

    QList<Item> items{Item{}};
    QList<QPair<qint64, QString>> unrecognised{{1, u"stale"_s}};
    QString gotError;
    qint64 gotLine = 0;
    QVERIFY(!GitHub::splitDocument(json, &items, &unrecognised, &gotError, &gotLine));
    QCOMPARE(gotError, error);
    QCOMPARE(gotLine, line);
    QVERIFY(items.isEmpty());
    QVERIFY(unrecognised.isEmpty());
}

void TestGitHubShapes::task_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("repo");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QString>("headRef");
    QTest::addColumn<QString>("baseRef");
    QTest::addColumn<std::optional<qint64>>("prArtifactId");
    QTest::addColumn<std::optional<int>>("retries");
    QTest::addColumn<QString>("stateReason");
    QTest::addColumn<QDateTime>("startedAt");
    QTest::addColumn<QDateTime>("completedAt");
    QTest::addColumn<int>("sessions");

    // Terminal: completed_at of the latest session, not updated_at. Refs come from the newest
    // session, not the branch artifact; the prompt from the first session, not the name.
    QTest::newRow("single task") << u"agent-task.json"_s << 0
                                 << u"a1b2c3d4-e5f6-7890-abcd-ef1234567890"_s
                                 << u"octocat/hello-world"_s << u"failed"_s
                                 << u"Fix the login button on the homepage"_s
                                 << u"copilot/fix-login-2"_s << u"main"_s
                                 << std::optional<qint64>(2001234567) << std::optional<int>(2)
                                 << u"The agent could not push to copilot/fix-login-2"_s
                                 << utc("2025-01-01T00:00:00Z"_L1) << utc("2025-01-01T01:40:00Z"_L1)
                                 << 3;
    // List items have no sessions: completed_at falls back to updated_at, retries to
    // session_count.
    QTest::newRow("list item, completed")
        << u"agent-task-list.json"_s << 0 << u"task-1"_s << u"octocat/hello-world"_s
        << u"completed"_s << u"Fix the login button on the homepage"_s << QString() << QString()
        << std::optional<qint64>(42) << std::optional<int>(0) << QString()
        << utc("2025-01-01T00:00:00Z"_L1) << utc("2025-01-01T01:00:00Z"_L1) << 0;
    QTest::newRow("list item, in progress, refs from branch artifact")
        << u"agent-task-list.json"_s << 1 << u"task-2"_s << u"octocat/hello-world"_s
        << u"in_progress"_s << u"Add tests for [the] {parser}, \"quoted\""_s
        << u"copilot/add-tests"_s << u"develop"_s << std::optional<qint64>()
        << std::optional<int>(2) << QString() << utc("2025-01-02T00:00:00Z"_L1) << QDateTime() << 0;
    QTest::newRow("repo from html_url")
        << u"agent-task-html-url.json"_s << 0 << u"b2c3d4e5-f6a7-8901-bcde-f12345678901"_s
        << u"acme/widgets"_s << u"queued"_s << u"Bump the lockfile"_s << QString() << QString()
        << std::optional<qint64>() << std::optional<int>() << QString()
        << utc("2025-02-01T09:00:00Z"_L1) << QDateTime() << 0;
    // Queued at 10:00, the agent's first session began at 10:03: the run started then.
    QTest::newRow("started with its first session")
        << u"agent-task-queued.json"_s << 0 << u"c3d4e5f6-a7b8-9012-cdef-123456789012"_s
        << u"acme/widgets"_s << u"completed"_s << u"Add the 2.4 entries to CHANGELOG.md"_s
        << u"copilot/changelog-2-4"_s << u"main"_s << std::optional<qint64>()
        << std::optional<int>(0) << QString() << utc("2025-03-01T10:03:00Z"_L1)
        << utc("2025-03-01T10:30:00Z"_L1) << 1;
}

void TestGitHubShapes::task()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    const QList<Item> items = itemsOf(file);
    QVERIFY(index < items.size());
    TaskRecord t;
    QString error;
    QVERIFY2(GitHub::toTask(items.at(index), &t, &error), qPrintable(error));

    QTEST(t.id, "id");
    QTEST(t.repo, "repo");
    // Compared by name: the ADL toString(TaskState) returns QString, which QTest cannot print.
    QTEST(toString(t.state), "state");
    QTEST(t.prompt, "prompt");
    QTEST(t.headRef, "headRef");
    QTEST(t.baseRef, "baseRef");
    QTEST(t.prArtifactId, "prArtifactId");
    QTEST(t.retries, "retries");
    QTEST(t.stateReason, "stateReason");
    QTEST(t.startedAt, "startedAt");
    // Started with the first session; without sessions, when created.
    QCOMPARE(t.startedAt, t.sessions.isEmpty() ? t.createdAt : t.sessions.first().startedAt);
    QTEST(t.completedAt, "completedAt");
    QTEST(int(t.sessions.size()), "sessions");
    QCOMPARE(t.source, u"github"_s);
    QVERIFY(!t.prNumber);
}

void TestGitHubShapes::taskSessions()
{
    const QList<Item> items = itemsOf(u"agent-task.json"_s);
    QCOMPARE(items.size(), 1);
    TaskRecord t;
    QString error;
    QVERIFY2(GitHub::toTask(items.first(), &t, &error), qPrintable(error));
    QCOMPARE(t.sessions.size(), 3);

    // The payload lists s3 first; attempts follow created_at.
    const SessionRecord &first = t.sessions.at(0);
    QCOMPARE(first.id, u"s1"_s);
    QCOMPARE(first.taskId, t.id);
    QCOMPARE(first.attempt, 1);
    QCOMPARE(toString(first.state), u"timed_out"_s);
    QCOMPARE(first.model, u"gpt-5.2-codex"_s);
    QCOMPARE(first.error, u"Timed out waiting for CI"_s);
    QCOMPARE(first.startedAt, utc("2025-01-01T00:00:00Z"_L1));
    QCOMPARE(first.completedAt, utc("2025-01-01T00:20:00Z"_L1));

    const SessionRecord &second = t.sessions.at(1);
    QCOMPARE(second.id, u"s2"_s);
    QCOMPARE(second.attempt, 2);
    QCOMPARE(toString(second.state), u"completed"_s);
    QVERIFY(second.error.isEmpty());
    QCOMPARE(second.completedAt, utc("2025-01-01T00:50:00.250Z"_L1));
    QCOMPARE(second.completedAt.toString(Qt::ISODateWithMs), u"2025-01-01T00:50:00.250Z"_s);

    const SessionRecord &third = t.sessions.at(2);
    QCOMPARE(third.id, u"s3"_s);
    QCOMPARE(third.attempt, 3);
    QCOMPARE(toString(third.state), u"failed"_s);
    QCOMPARE(third.model, u"gpt-5.4"_s);
}

void TestGitHubShapes::taskUsage()
{
    TaskRecord t;
    QString error;
    QVERIFY2(GitHub::toTask(itemsOf(u"agent-task.json"_s).value(0), &t, &error), qPrintable(error));
    // 1.5 premium requests from the older session; 1.5e9 + 0.25e9 nano ai_credits.
    QCOMPARE(t.usage.keys(), (QStringList{u"ai_credits"_s, u"premium_requests"_s}));
    QCOMPARE(t.usage.value("premium_requests"_L1).toDouble(), 1.5);
    QCOMPARE(t.usage.value("ai_credits"_L1).toDouble(), 1.75);

    TaskRecord listed;
    QVERIFY2(GitHub::toTask(itemsOf(u"agent-task-list.json"_s).value(0), &listed, &error),
             qPrintable(error));
    QVERIFY(listed.usage.isEmpty());
}

void TestGitHubShapes::pullRequest_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("repo");
    QTest::addColumn<int>("number");
    QTest::addColumn<qint64>("githubId");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("state");
    QTest::addColumn<bool>("draft");
    QTest::addColumn<QString>("author");
    QTest::addColumn<QString>("headRef");
    QTest::addColumn<QString>("headSha");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QDateTime>("closedAt");
    QTest::addColumn<QDateTime>("mergedAt");
    QTest::addColumn<bool>("merged");
    QTest::addColumn<QString>("mergedBy");
    QTest::addColumn<QString>("mergeCommitSha");
    QTest::addColumn<QString>("mergeableState");
    QTest::addColumn<QStringList>("labels");

    QTest::newRow("pull request object")
        << u"pull-request.json"_s << 0 << u"octocat/hello-world"_s << 1347 << qint64(1296269)
        << u"Fix the login button"_s << u"open"_s << true << u"Copilot"_s << u"copilot/fix-login"_s
        << u"6dcb09b5b57875f334f61aebed695e2e4193db5e"_s
        << u"https://github.com/octocat/hello-world/pull/1347"_s << QDateTime() << QDateTime()
        << false << QString() << u"e5bd3914e2e596debea16f433f57875b5b90bcd6"_s << u"clean"_s
        << QStringList{u"bug"_s, u"copilot"_s};
    // List responses carry no `merged` field; merged_at says it.
    QTest::newRow("array, merged")
        << u"pull-requests.json"_s << 0 << u"acme/widgets"_s << 7 << qint64(5001)
        << u"Bump the lockfile"_s << u"closed"_s << false << u"Copilot"_s
        << u"copilot/bump-lockfile"_s << u"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"_s
        << u"https://github.com/acme/widgets/pull/7"_s << utc("2025-02-02T10:00:00Z"_L1)
        << utc("2025-02-02T10:00:00Z"_L1) << true << QString()
        << u"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"_s << QString() << QStringList();
    QTest::newRow("array, repo from api url")
        << u"pull-requests.json"_s << 1 << u"acme/gadgets"_s << 12 << qint64(5002)
        << u"Add a changelog"_s << u"open"_s << false << u"monalisa"_s << u"changelog"_s
        << u"dddddddddddddddddddddddddddddddddddddddd"_s << QString() << QDateTime() << QDateTime()
        << false << QString() << QString() << QString() << QStringList();
    QTest::newRow("webhook, merged")
        << u"pull-request-webhook-merged.json"_s << 0 << u"acme/widgets"_s << 7 << qint64(5001)
        << u"Bump the lockfile"_s << u"closed"_s << false << u"Copilot"_s
        << u"copilot/bump-lockfile"_s << u"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"_s
        << u"https://github.com/acme/widgets/pull/7"_s << utc("2025-02-02T10:00:00Z"_L1)
        << utc("2025-02-02T10:00:00Z"_L1) << true << u"octocat"_s
        << u"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"_s << u"unknown"_s
        << QStringList{u"dependencies"_s};
    // Closed without merging even though this payload claims "merged": true; the repository
    // (renamed since) comes from the payload's repository.full_name, not from html_url.
    QTest::newRow("webhook, closed unmerged")
        << u"pull-request-webhook-closed.json"_s << 0 << u"acme/widgets-renamed"_s << 8
        << qint64(5003) << u"Try a different approach"_s << u"closed"_s << false << u"Copilot"_s
        << u"copilot/other"_s << u"ffffffffffffffffffffffffffffffffffffffff"_s
        << u"https://github.com/acme/widgets/pull/8"_s << utc("2025-02-05T10:00:00Z"_L1)
        << QDateTime() << false << QString() << u"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"_s
        << QString() << QStringList();
}

void TestGitHubShapes::pullRequest()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    const QList<Item> items = itemsOf(file);
    QVERIFY(index < items.size());
    PullRequestRecord pr;
    QString error;
    QVERIFY2(GitHub::toPullRequest(items.at(index), &pr, &error), qPrintable(error));

    QTEST(pr.repo, "repo");
    QTEST(pr.number, "number");
    QTEST(pr.githubId, "githubId");
    QTEST(pr.title, "title");
    QTEST(pr.state, "state");
    QTEST(pr.draft, "draft");
    QTEST(pr.author, "author");
    QTEST(pr.headRef, "headRef");
    QTEST(pr.headSha, "headSha");
    QCOMPARE(pr.baseRef, u"main"_s);
    QTEST(pr.url, "url");
    QTEST(pr.closedAt, "closedAt");
    QTEST(pr.mergedAt, "mergedAt");
    QTEST(pr.merged(), "merged");
    QTEST(pr.mergedBy, "mergedBy");
    QTEST(pr.mergeCommitSha, "mergeCommitSha");
    QTEST(pr.mergeableState, "mergeableState");
    QTEST(pr.labels, "labels");
    QVERIFY(pr.createdAt.isValid());
    QVERIFY(pr.updatedAt.isValid());
}

void TestGitHubShapes::review_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("repo");
    QTest::addColumn<int>("prNumber");
    QTest::addColumn<QString>("reviewer");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("commitId");
    QTest::addColumn<QDateTime>("submittedAt");

    QTest::newRow("array, from pull_request_url")
        << u"reviews.json"_s << 0 << qint64(80) << u"octocat/hello-world"_s << 1347 << u"monalisa"_s
        << u"APPROVED"_s << u"6dcb09b5b57875f334f61aebed695e2e4193db5e"_s
        << utc("2025-01-01T03:00:00Z"_L1);
    QTest::newRow("array, from html_url, deleted reviewer")
        << u"reviews.json"_s << 1 << qint64(81) << u"octocat/hello-world"_s << 1348 << QString()
        << u"CHANGES_REQUESTED"_s << u"7dcb09b5b57875f334f61aebed695e2e4193db5f"_s
        << utc("2025-01-01T02:00:00Z"_L1);
    QTest::newRow("webhook, from hints")
        << u"review-webhook.json"_s << 0 << qint64(90) << u"acme/widgets"_s << 7 << u"hubot"_s
        << u"COMMENTED"_s << u"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"_s
        << utc("2025-02-02T09:00:00Z"_L1);
}

void TestGitHubShapes::review()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    const QList<Item> items = itemsOf(file);
    QVERIFY(index < items.size());
    ReviewRecord r;
    QString error;
    QVERIFY2(GitHub::toReview(items.at(index), &r, &error), qPrintable(error));

    QTEST(r.id, "id");
    QTEST(r.repo, "repo");
    QTEST(r.prNumber, "prNumber");
    QTEST(r.reviewer, "reviewer");
    QTEST(r.state, "state");
    QTEST(r.commitId, "commitId");
    QTEST(r.submittedAt, "submittedAt");
}

void TestGitHubShapes::checkRun_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("repo");
    QTest::addColumn<QString>("headSha");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("conclusion");
    QTest::addColumn<QString>("app");
    QTest::addColumn<std::optional<int>>("prNumber");
    QTest::addColumn<QString>("startedAt"); // as stored: UTC, RFC 3339
    QTest::addColumn<QString>("completedAt");

    QTest::newRow("wrapper, completed with a pull request")
        << u"check-runs.json"_s << 0 << qint64(4) << u"octocat/hello-world"_s
        << u"6dcb09b5b57875f334f61aebed695e2e4193db5e"_s << u"build"_s << u"completed"_s
        << u"success"_s << u"github-actions"_s << std::optional<int>(1347)
        << u"2025-01-01T01:05:00Z"_s << u"2025-01-01T01:09:30Z"_s;
    QTest::newRow("wrapper, in progress without app")
        << u"check-runs.json"_s << 1 << qint64(5) << u"octocat/hello-world"_s
        << u"6dcb09b5b57875f334f61aebed695e2e4193db5e"_s << u"lint"_s << u"in_progress"_s
        << QString() << QString() << std::optional<int>() << u"2025-01-01T01:05:00Z"_s << QString();
    QTest::newRow("single, repo from html_url, offsets to UTC")
        << u"check-run.json"_s << 0 << qint64(4000000001) << u"acme/widgets"_s
        << u"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"_s << u"test (ubuntu-latest)"_s
        << u"completed"_s << u"failure"_s << u"github-actions"_s << std::optional<int>()
        << u"2025-02-01T10:00:00Z"_s << u"2025-02-01T10:03:00.500Z"_s;
    QTest::newRow("webhook, repo from hint")
        << u"check-run-webhook.json"_s << 0 << qint64(6) << u"acme/widgets"_s
        << u"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"_s << u"deploy"_s << u"completed"_s
        << u"cancelled"_s << u"deployer"_s << std::optional<int>(7) << u"2025-02-01T10:00:00Z"_s
        << u"2025-02-01T10:01:00Z"_s;
}

void TestGitHubShapes::checkRun()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    const QList<Item> items = itemsOf(file);
    QVERIFY(index < items.size());
    CheckRunRecord run;
    QString error;
    QVERIFY2(GitHub::toCheckRun(items.at(index), &run, &error), qPrintable(error));

    QTEST(run.id, "id");
    QTEST(run.repo, "repo");
    QTEST(run.headSha, "headSha");
    QTEST(run.name, "name");
    QTEST(run.status, "status");
    QTEST(run.conclusion, "conclusion");
    QTEST(run.app, "app");
    QTEST(run.prNumber, "prNumber");
    QTEST(run.startedAt.toString(Qt::ISODateWithMs).replace(u".000Z"_s, u"Z"_s), "startedAt");
    QTEST(run.completedAt.toString(Qt::ISODateWithMs).replace(u".000Z"_s, u"Z"_s), "completedAt");
}

void TestGitHubShapes::checkSuite_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<qint64>("id");
    QTest::addColumn<QString>("repo");
    QTest::addColumn<QString>("headBranch");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("conclusion");
    QTest::addColumn<QString>("app");
    QTest::addColumn<std::optional<int>>("prNumber");
    QTest::addColumn<QString>("createdAt");
    QTest::addColumn<QString>("updatedAt");

    QTest::newRow("webhook, repo from url, pull request")
        << u"check-suite-webhook.json"_s << 0 << qint64(118578147) << u"acme/widgets"_s
        << u"copilot/validate-input"_s << u"completed"_s << u"failure"_s << u"github-actions"_s
        << std::optional<int>(12) << u"2026-01-05T08:00:00Z"_s << u"2026-01-05T08:04:10Z"_s;
    QTest::newRow("wrapper, completed")
        << u"check-suites.json"_s << 0 << qint64(5001) << u"acme/widgets"_s << u"main"_s
        << u"completed"_s << u"success"_s << u"github-actions"_s << std::optional<int>()
        << u"2026-01-06T09:00:00Z"_s << u"2026-01-06T09:02:00Z"_s;
    QTest::newRow("wrapper, repo from its repository, offset to UTC")
        << u"check-suites.json"_s << 2 << qint64(5003) << u"acme/widgets"_s << QString()
        << u"queued"_s << QString() << u"lint-bot"_s << std::optional<int>()
        << u"2026-01-06T08:00:05Z"_s << u"2026-01-06T08:00:05Z"_s;
}

void TestGitHubShapes::checkSuite()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    const QList<Item> items = itemsOf(file);
    QVERIFY(index < items.size());
    CheckSuiteRecord suite;
    QString error;
    QVERIFY2(GitHub::toCheckSuite(items.at(index), &suite, &error), qPrintable(error));
    QTEST(suite.id, "id");
    QTEST(suite.repo, "repo");
    QTEST(suite.headBranch, "headBranch");
    QTEST(suite.status, "status");
    QTEST(suite.conclusion, "conclusion");
    QTEST(suite.app, "app");
    QTEST(suite.prNumber, "prNumber");
    QTEST(suite.createdAt.toString(Qt::ISODateWithMs).replace(u".000Z"_s, u"Z"_s), "createdAt");
    QTEST(suite.updatedAt.toString(Qt::ISODateWithMs).replace(u".000Z"_s, u"Z"_s), "updatedAt");
}

// A bad element of a list names its line and reason; the others convert.
void TestGitHubShapes::checkSuiteConversionError()
{
    const QList<Item> items = itemsOf(u"check-suites.json"_s);
    QCOMPARE(items.size(), 3);
    QString error;
    QVERIFY(!GitHub::toCheckSuite(items.at(1), nullptr, &error));
    QCOMPARE(items.at(1).line, 17);
    QCOMPARE(error, u"field 'id': expected integer"_s);
    QVERIFY(GitHub::toCheckSuite(items.at(2), nullptr, &error));
}

void TestGitHubShapes::conversionError_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("index");
    QTest::addColumn<qint64>("line");
    QTest::addColumn<QString>("error");

    const auto row = [](const char *name, int index, qint64 line, const QString &error) {
        QTest::newRow(name) << u"wrong-types.json"_s << index << line << error;
    };
    row("task state is a number", 0, 2, u"field 'state': expected string"_s);
    row("pr title is a number", 1, 3, u"field 'title': expected string"_s);
    row("pr number is a string", 2, 4, u"field 'number': expected integer"_s);
    row("nested field has the wrong type", 3, 5, u"field 'head.ref': expected string"_s);
    row("label name is a number", 4, 6, u"field 'labels[0].name': expected string"_s);
    row("draft is a string", 5, 7, u"field 'draft': expected boolean"_s);
    row("unparsable timestamp", 6, 8, u"field 'merged_at': expected RFC 3339 date-time"_s);
    row("pr number is a fraction", 7, 9, u"field 'number': expected integer"_s);
    row("reviewer login is a number", 8, 10, u"field 'user.login': expected string"_s);
    row("review without id", 9, 11, u"missing 'id'"_s);
    row("check run id is a string", 10, 12, u"field 'id': expected integer"_s);
    row("required check run name is null", 11, 13, u"field 'name': expected string"_s);
    row("check run pull request number is a string", 12, 14,
        u"field 'pull_requests[0].number': expected integer"_s);
    row("session timestamp unparsable", 13, 15,
        u"field 'sessions[0].created_at': expected RFC 3339 date-time"_s);
    row("timestamp without a zone", 14, 17, u"field 'created_at': expected RFC 3339 date-time"_s);
    row("pull artifact id is a string", 15, 19,
        u"field 'artifacts[0].data.id': expected integer"_s);
    row("usage amount is a string", 16, 21, u"field 'sessions[0].usage.amount': expected number"_s);
    row("session is not an object", 17, 23, u"field 'sessions[0]': expected object"_s);
    row("task without created_at", 18, 25, u"missing 'created_at'"_s);
    row("review that names no pull request", 19, 26,
        u"cannot tell the pull request: no 'pull_request_url' or 'html_url' names it"_s);
    QTest::newRow("task that names no repository")
        << u"agent-task-no-repo.json"_s << 0 << qint64(3)
        << u"cannot tell the repository: no 'url', 'html_url' or 'repository.full_name' "
           u"names it"_s;
}

// GET /agents/tasks names a task's repository by id only; the sync writes the name it
// resolved (GET /repositories/{id}) next to the id.
void TestGitHubShapes::taskRepositoryResolvedById()
{
    QList<Item> items = itemsOf(u"agent-task-no-repo.json"_s);
    QCOMPARE(items.size(), 1);
    QJsonObject repository = items[0].object.value("repository"_L1).toObject();
    repository.insert(u"full_name"_s, u"acme/web"_s);
    items[0].object.insert(u"repository"_s, repository);
    TaskRecord t;
    QString error;
    QVERIFY2(GitHub::toTask(items.at(0), &t, &error), qPrintable(error));
    QCOMPARE(t.repo, u"acme/web"_s);

    repository.insert(u"full_name"_s, u"not a repository"_s);
    items[0].object.insert(u"repository"_s, repository);
    QVERIFY(!GitHub::toTask(items.at(0), &t, &error));
    QVERIFY2(error.startsWith("repository: "_L1), qPrintable(error));
}

void TestGitHubShapes::conversionError()
{
    QFETCH(QString, file);
    QFETCH(int, index);
    QFETCH(qint64, line);
    QFETCH(QString, error);

    const QList<Item> items = itemsOf(file);
    QVERIFY(index < items.size());
    const Item &item = items.at(index);
    QCOMPARE(item.line, line);
    QString got;
    bool ok = true;
    switch (item.kind) {
    case ItemKind::AgentTask: {
        TaskRecord t;
        ok = GitHub::toTask(item, &t, &got);
        break;
    }
    case ItemKind::PullRequest: {
        PullRequestRecord pr;
        ok = GitHub::toPullRequest(item, &pr, &got);
        break;
    }
    case ItemKind::Review: {
        ReviewRecord r;
        ok = GitHub::toReview(item, &r, &got);
        break;
    }
    case ItemKind::CheckRun: {
        CheckRunRecord run;
        ok = GitHub::toCheckRun(item, &run, &got);
        break;
    }
    case ItemKind::CheckSuite:
        ok = GitHub::toCheckSuite(item, nullptr, &got);
        break;
    }
    QVERIFY(!ok);
    QCOMPARE(got, error);
}

QTEST_GUILESS_MAIN(TestGitHubShapes)
#include "tst_githubshapes.moc"
