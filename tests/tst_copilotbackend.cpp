#include "fakegithub.h"
#include "github/tokensources.h"
#include "launch/copilotbackend.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Tasktrail;

namespace {

constexpr auto token = "ghp_secretTokenValue123"_L1;
const QString taskPath = u"/agents/repos/octo/hello/tasks"_s;
const QString remoteId = u"a1b2c3d4-e5f6-7890-abcd-ef1234567890"_s;

QJsonObject task(const QString &base, const QString &state, const QJsonArray &artifacts = {},
                 const QJsonArray &sessions = {})
{
    QJsonObject t{
        {u"id"_s, remoteId},
        {u"url"_s, QString(base % taskPath % u'/' % remoteId)},
        {u"html_url"_s, QString(u"https://github.com/octo/hello/copilot/tasks/"_s % remoteId)},
        {u"name"_s, u"Fix the login button"_s},
        {u"state"_s, state},
        {u"artifacts"_s, artifacts},
        {u"archived_at"_s, QJsonValue(QJsonValue::Null)},
        {u"created_at"_s, u"2025-01-01T00:00:00Z"_s},
        {u"updated_at"_s, u"2025-01-01T01:00:00Z"_s}};
    if (!sessions.isEmpty())
        t.insert(u"sessions"_s, sessions);
    return t;
}

QJsonObject session(const QString &state, const QJsonObject &extra = {})
{
    QJsonObject s{{u"id"_s, u"s1"_s},
                  {u"task_id"_s, remoteId},
                  {u"state"_s, state},
                  {u"created_at"_s, u"2025-01-01T00:00:00Z"_s},
                  {u"completed_at"_s, u"2025-01-01T01:00:00Z"_s},
                  {u"prompt"_s, u"Fix the login button"_s},
                  {u"head_ref"_s, u"copilot/fix-1"_s},
                  {u"base_ref"_s, u"main"_s},
                  {u"model"_s, u"claude-sonnet-4.6"_s},
                  {u"usage"_s, QJsonObject{{u"type"_s, u"ai_credits"_s}, {u"amount"_s, 1.5e9}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        s.insert(it.key(), it.value());
    return s;
}

QJsonObject pullArtifact(int id)
{
    return {{u"provider"_s, u"github"_s},
            {u"type"_s, u"pull"_s},
            {u"data"_s, QJsonObject{{u"id"_s, id}}}};
}

QJsonObject pullRequest()
{
    return {{u"number"_s, 7},
            {u"id"_s, 9007},
            {u"title"_s, u"Fix the login button"_s},
            {u"state"_s, u"open"_s},
            {u"user"_s, QJsonObject{{u"login"_s, u"Copilot"_s}}},
            {u"head"_s, QJsonObject{{u"ref"_s, u"copilot/fix-1"_s}, {u"sha"_s, u"abc123"_s}}},
            {u"base"_s, QJsonObject{{u"ref"_s, u"main"_s},
                                    {u"repo"_s, QJsonObject{{u"full_name"_s, u"octo/hello"_s}}}}},
            {u"html_url"_s, u"https://github.com/octo/hello/pull/7"_s},
            {u"created_at"_s, u"2025-01-01T00:50:00Z"_s}};
}

QJsonObject review(int id, const QString &state)
{
    return {
        {u"id"_s, id},
        {u"user"_s, QJsonObject{{u"login"_s, u"alice"_s}}},
        {u"state"_s, state},
        {u"commit_id"_s, u"abc123"_s},
        {u"submitted_at"_s, u"2025-01-01T02:00:00Z"_s},
        {u"html_url"_s, u"https://github.com/octo/hello/pull/7#pullrequestreview-%1"_s.arg(id)}};
}

QJsonObject checkRun(int id, const QString &name)
{
    return {{u"id"_s, id},
            {u"name"_s, name},
            {u"head_sha"_s, u"abc123"_s},
            {u"status"_s, u"completed"_s},
            {u"conclusion"_s, u"success"_s},
            {u"html_url"_s, u"https://github.com/octo/hello/runs/%1"_s.arg(id)}};
}

// Link header of page `page` of `pages` for path on the server.
QList<QPair<QByteArray, QByteArray>> link(const FakeGitHub &server, const QString &path, int page,
                                          int pages)
{
    const auto url = [&](int n) {
        return u"<%1%2?per_page=100&page=%3>"_s.arg(server.baseUrl(), path).arg(n);
    };
    QStringList parts{url(1) % u"; rel=\"first\""_s};
    if (page < pages)
        parts.append(url(page + 1) % u"; rel=\"next\""_s);
    parts.append(url(pages) % u"; rel=\"last\""_s);
    return {{QByteArrayLiteral("Link"), parts.join(u", "_s).toLatin1()}};
}

LaunchSpec spec()
{
    LaunchSpec s;
    s.taskId = u"tt-run-1"_s;
    s.repo = u"octo/hello"_s;
    s.prompt = u"Fix the login button"_s;
    s.baseRef = u"main"_s;
    s.headRef = u"copilot/fix-1"_s;
    s.model = u"claude-sonnet-4.6"_s;
    s.customAgent = u"performance-optimizer"_s;
    s.identityId = u"octo-bot"_s;
    s.timeBudgetMs = 20'000;
    return s;
}

CopilotBackend::Options fastOptions(const FakeGitHub &server)
{
    CopilotBackend::Options o;
    o.http.baseUrl = QUrl(server.baseUrl());
    o.http.timeoutMs = 2'000;
    o.http.transientRetryDelayMs = 50;
    o.http.userAgent = QByteArrayLiteral("Tasktrail-test");
    o.pollIntervalMs = 50;
    return o;
}

// Every text of a result, to look for the token in.
QString allText(const RunResult &r)
{
    QStringList texts{r.failure, r.failureKind,  r.remoteId,     r.task.stateReason, r.task.prompt,
                      r.task.id, r.task.headRef, r.task.baseRef, r.task.identityId};
    texts += r.warnings;
    for (const SessionRecord &s : r.task.sessions)
        texts << s.error << s.model << s.id;
    if (r.pullRequest)
        texts << r.pullRequest->title << r.pullRequest->url;
    return texts.join(u'\n');
}

} // namespace

class TestCopilotBackend final : public QObject
{
    Q_OBJECT

    MemoryTokenSource m_tokens;

    // Runs spec on a backend against server and returns what finished() carried.
    RunResult run(FakeGitHub &server, const LaunchSpec &s, QStringList *states = nullptr,
                  const std::function<void(CopilotBackend::Options &)> &tweak = {})
    {
        CopilotBackend backend(&m_tokens);
        CopilotBackend::Options o = fastOptions(server);
        if (tweak)
            tweak(o);
        backend.setOptions(o);
        QSignalSpy progressed(&backend, &AgentBackend::progressed);
        QSignalSpy finished(&backend, &AgentBackend::finished);
        backend.start(s);
        [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20'000); }();
        if (finished.isEmpty())
            return {};
        if (states) {
            for (const QList<QVariant> &args : progressed)
                states->append(toString(args.at(1).value<TaskState>()));
        }
        const RunResult result = finished.first().at(1).value<RunResult>();
        [&] { QVERIFY2(!allText(result).contains(token), qPrintable(allText(result))); }();
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<RunResult>();
        qRegisterMetaType<TaskState>();
        m_tokens.setToken(u"octo-bot"_s, QByteArray(token.data(), token.size()));
    }

    void completesWithPullRequest_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::newRow("api.github.com") << QString();
        QTest::newRow("GitHub Enterprise Server") << u"/api/v3"_s;
    }

    void completesWithPullRequest()
    {
        QFETCH(QString, prefix);
        FakeGitHub server(prefix);
        const QString base = server.baseUrl();
        const QString one = taskPath % u'/' % remoteId;
        server.on("POST", taskPath, json(201, task(base, u"queued"_s)));
        server.on("GET", one,
                  json(200, task(base, u"in_progress"_s, {}, {session(u"in_progress"_s)})));
        server.on("GET", one,
                  json(200, task(base, u"in_progress"_s, {}, {session(u"in_progress"_s)})));
        server.on(
            "GET", one,
            json(200, task(base, u"completed"_s, {pullArtifact(7)}, {session(u"completed"_s)})));
        server.on("GET", u"/repos/octo/hello/pulls/7"_s, json(200, pullRequest()));
        const QString reviews = u"/repos/octo/hello/pulls/7/reviews"_s;
        server.on("GET", reviews,
                  json(200,
                       QJsonArray{review(1, u"COMMENTED"_s), review(2, u"CHANGES_REQUESTED"_s)},
                       link(server, reviews, 1, 2)));
        server.on("GET", reviews + u"?page=2"_s,
                  json(200, QJsonArray{review(3, u"APPROVED"_s)}, link(server, reviews, 2, 2)));
        const QString checks = u"/repos/octo/hello/commits/abc123/check-runs"_s;
        for (int page = 1; page <= 3; ++page) {
            server.on("GET", page == 1 ? checks : checks % u"?page="_s % QString::number(page),
                      json(200,
                           QJsonObject{{u"total_count"_s, 3},
                                       {u"check_runs"_s,
                                        QJsonArray{checkRun(page, u"build %1"_s.arg(page))}}},
                           link(server, checks, page, 3)));
        }

        QStringList states;
        const RunResult r = run(server, spec(), &states);

        // What was sent.
        const QList<ReceivedRequest> posts = server.requestsTo(taskPath);
        QCOMPARE(posts.size(), 1);
        const ReceivedRequest &post = posts.first();
        QCOMPARE(post.method, "POST");
        QCOMPARE(post.headers.value("authorization"), "Bearer " + QByteArray(token.data()));
        QCOMPARE(post.headers.value("accept"), "application/vnd.github+json");
        QCOMPARE(post.headers.value("x-github-api-version"), "2022-11-28");
        QCOMPARE(post.headers.value("user-agent"), "Tasktrail-test");
        QVERIFY(post.headers.value("content-type").startsWith("application/json"));
        const QJsonObject body = post.json();
        QCOMPARE(body.value("prompt"_L1).toString(), u"Fix the login button"_s);
        QCOMPARE(body.value("base_ref"_L1).toString(), u"main"_s);
        QCOMPARE(body.value("head_ref"_L1).toString(), u"copilot/fix-1"_s);
        QCOMPARE(body.value("model"_L1).toString(), u"claude-sonnet-4.6"_s);
        QCOMPARE(body.value("custom_agent"_L1).toString(), u"performance-optimizer"_s);
        QCOMPARE(body.value("create_pull_request"_L1).toBool(), true);
        QCOMPARE(server.requestsTo(taskPath % u'/' % remoteId).size(), 3);
        for (const ReceivedRequest &req : std::as_const(server.requests)) {
            QVERIFY2(!req.path.startsWith("(outside"_L1), qPrintable(req.path));
            QCOMPARE(req.headers.value("x-github-api-version"), "2022-11-28");
            QCOMPARE(req.headers.value("authorization"), "Bearer " + QByteArray(token.data()));
        }
        QCOMPARE(server.requestsTo(reviews).size(), 2);
        QCOMPARE(server.requestsTo(checks).size(), 3);
        QCOMPARE(server.requestsTo(checks).first().query.queryItemValue(u"per_page"_s), u"100"_s);

        // What came of it.
        QCOMPARE(states, (QStringList{u"queued"_s, u"in_progress"_s, u"completed"_s}));
        QVERIFY2(r.failure.isEmpty(), qPrintable(r.failure));
        QVERIFY(r.warnings.isEmpty());
        QCOMPARE(r.remoteId, remoteId);
        QCOMPARE(r.task.id, u"tt-run-1"_s);
        QCOMPARE(r.task.source, u"copilot-api"_s);
        QCOMPARE(r.task.identityId, u"octo-bot"_s);
        QCOMPARE(r.task.repo, u"octo/hello"_s);
        QCOMPARE(toString(r.task.state), toString(TaskState::Completed));
        QCOMPARE(r.task.sessions.size(), 1);
        QCOMPARE(r.task.sessions.first().taskId, u"tt-run-1"_s);
        QCOMPARE(r.task.sessions.first().model, u"claude-sonnet-4.6"_s);
        QCOMPARE(r.task.usage.value("ai_credits"_L1).toDouble(), 1.5);
        QCOMPARE(r.task.completedAt, QDateTime(QDate(2025, 1, 1), QTime(1, 0), Qt::UTC));
        QCOMPARE(r.task.headRef, u"copilot/fix-1"_s);
        QCOMPARE(r.task.headSha, u"abc123"_s);
        QCOMPARE(r.task.prNumber, 7);
        QVERIFY(r.pullRequest);
        QCOMPARE(r.pullRequest->number, 7);
        QCOMPARE(r.pullRequest->repo, u"octo/hello"_s);
        QCOMPARE(r.reviews.size(), 3);
        QCOMPARE(r.reviews.last().state, u"APPROVED"_s);
        QCOMPARE(r.reviews.last().prNumber, 7);
        QCOMPARE(r.checkRuns.size(), 3);
        QCOMPARE(r.checkRuns.at(2).name, u"build 3"_s);
        QCOMPARE(r.checkRuns.at(2).repo, u"octo/hello"_s);
    }

    void waitingForUserIsNotFinal()
    {
        FakeGitHub server;
        const QString base = server.baseUrl();
        server.on("POST", taskPath, json(201, task(base, u"queued"_s)));
        server.on("GET", taskPath % u'/' % remoteId, json(200, task(base, u"waiting_for_user"_s)));
        server.on("GET", taskPath % u'/' % remoteId, json(200, task(base, u"idle"_s)));
        server.on("GET", taskPath % u'/' % remoteId, json(200, task(base, u"completed"_s)));
        QStringList states;
        const RunResult r = run(server, spec(), &states);
        QCOMPARE(states,
                 (QStringList{u"queued"_s, u"waiting_for_user"_s, u"idle"_s, u"completed"_s}));
        QCOMPARE(toString(r.task.state), toString(TaskState::Completed));
        QVERIFY(r.failure.isEmpty());
        QVERIFY(!r.pullRequest);
    }

    // data.id of a pull artifact may be the database id: pulls/{id} is 404, and the pull
    // request with the task's head branch and that id is taken.
    void pullArtifactByDatabaseId()
    {
        FakeGitHub server;
        const QString base = server.baseUrl();
        server.on("POST", taskPath, json(201, task(base, u"queued"_s)));
        server.on(
            "GET", taskPath % u'/' % remoteId,
            json(200, task(base, u"completed"_s, {pullArtifact(9007)}, {session(u"completed"_s)})));
        QJsonObject other = pullRequest();
        other.insert(u"id"_s, 1234);
        other.insert(u"number"_s, 3);
        server.on("GET", u"/repos/octo/hello/pulls"_s, json(200, QJsonArray{other, pullRequest()}));
        server.on("GET", u"/repos/octo/hello/pulls/7/reviews"_s, json(200, QJsonArray{}));
        server.on("GET", u"/repos/octo/hello/commits/abc123/check-runs"_s,
                  json(200, QJsonObject{{u"total_count"_s, 0}, {u"check_runs"_s, QJsonArray{}}}));
        const RunResult r = run(server, spec());
        QVERIFY2(r.warnings.isEmpty(), qPrintable(r.warnings.join(u'\n')));
        QCOMPARE(server.requestsTo(u"/repos/octo/hello/pulls/9007"_s).size(), 1);
        const QList<ReceivedRequest> search = server.requestsTo(u"/repos/octo/hello/pulls"_s);
        QCOMPARE(search.size(), 1);
        QCOMPARE(search.first().query.queryItemValue(u"head"_s, QUrl::FullyDecoded),
                 u"octo:copilot/fix-1"_s);
        QCOMPARE(search.first().query.queryItemValue(u"state"_s), u"all"_s);
        QVERIFY(r.pullRequest);
        QCOMPARE(r.pullRequest->number, 7);
        QCOMPARE(r.task.prNumber, 7);
        QCOMPARE(r.task.prArtifactId, 9007);
    }

    void failedTaskCarriesItsError()
    {
        FakeGitHub server;
        const QString base = server.baseUrl();
        server.on("POST", taskPath, json(201, task(base, u"queued"_s)));
        const QJsonObject error{
            {u"error"_s, QJsonObject{{u"message"_s, u"could not push the branch"_s}}}};
        server.on("GET", taskPath % u'/' % remoteId,
                  json(200, task(base, u"failed"_s, {}, {session(u"failed"_s, error)})));
        const RunResult r = run(server, spec());
        QCOMPARE(toString(r.task.state), toString(TaskState::Failed));
        QCOMPARE(r.failureKind, u"agent_error"_s);
        QVERIFY(!r.retryable);
        QVERIFY2(r.failure.contains("could not push the branch"_L1), qPrintable(r.failure));
        QCOMPARE(r.task.stateReason, u"could not push the branch"_s);
        QCOMPARE(r.task.sessions.first().error, u"could not push the branch"_s);
    }

    void missingTokenFailsWithAuth()
    {
        FakeGitHub server;
        LaunchSpec s = spec();
        s.identityId = u"nobody"_s;
        const RunResult r = run(server, s);
        QCOMPARE(r.failureKind, u"auth"_s);
        QVERIFY(!r.retryable);
        QVERIFY2(r.failure.contains("nobody"_L1), qPrintable(r.failure));
        QCOMPARE(r.task.id, u"tt-run-1"_s);
        QCOMPARE(toString(r.task.state), toString(TaskState::Failed));
        QVERIFY(server.requests.isEmpty());
    }

    void httpErrorsOnStart_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("retryable");
        QTest::addColumn<int>("posts");
        QTest::newRow("401") << 401 << u"Bad credentials"_s << u"auth"_s << false << 1;
        QTest::newRow("403") << 403 << u"Resource not accessible by personal access token"_s
                             << u"auth"_s << false << 1;
        QTest::newRow("404") << 404 << u"Not Found"_s << u"http_error"_s << false << 1;
        // A POST that failed on the server may have created the task: never sent again.
        QTest::newRow("500") << 500 << u"Server Error"_s << u"http_error"_s << true << 1;
    }

    void httpErrorsOnStart()
    {
        QFETCH(int, status);
        QFETCH(QString, message);
        QFETCH(QString, kind);
        QFETCH(bool, retryable);
        QFETCH(int, posts);
        FakeGitHub server;
        server.on("POST", taskPath, gitHubError(status, message));
        const RunResult r = run(server, spec());
        QCOMPARE(r.failureKind, kind);
        QCOMPARE(r.retryable, retryable);
        QVERIFY2(r.failure.contains(message), qPrintable(r.failure));
        QVERIFY2(r.failure.contains(u"POST "_s % taskPath), qPrintable(r.failure));
        QVERIFY2(r.failure.contains(u"HTTP %1"_s.arg(status)), qPrintable(r.failure));
        QVERIFY(r.remoteId.isEmpty());
        QCOMPARE(server.requestsTo(taskPath).size(), posts);
    }

    void validationErrorNamesTheField()
    {
        FakeGitHub server;
        QJsonObject body{
            {u"message"_s, u"Validation Failed"_s},
            {u"documentation_url"_s, u"https://docs.github.com/rest"_s},
            {u"errors"_s, QJsonArray{QJsonObject{{u"code"_s, u"invalid"_s},
                                                 {u"message"_s, u"model is not available"_s}}}}};
        server.on("POST", taskPath, json(422, body));
        const RunResult r = run(server, spec());
        QCOMPARE(r.failureKind, u"http_error"_s);
        QVERIFY(!r.retryable);
        QVERIFY2(r.failure.contains("Validation Failed (model is not available)"_L1),
                 qPrintable(r.failure));
    }

    void retryAfterIsHonoured()
    {
        FakeGitHub server;
        const QString base = server.baseUrl();
        server.on("POST", taskPath,
                  gitHubError(429, u"You have exceeded a secondary rate limit"_s,
                              {{"Retry-After", "1"}}));
        server.on("POST", taskPath, json(201, task(base, u"completed"_s)));
        QElapsedTimer clock;
        clock.start();
        const RunResult r = run(server, spec());
        QVERIFY2(r.failure.isEmpty(), qPrintable(r.failure));
        QCOMPARE(server.requestsTo(taskPath).size(), 2);
        QVERIFY(clock.elapsed() >= 900);
    }

    void primaryRateLimitWaitsForReset()
    {
        FakeGitHub server;
        const QString base = server.baseUrl();
        const QByteArray reset = QByteArray::number(QDateTime::currentSecsSinceEpoch() + 1);
        server.on("POST", taskPath, json(201, task(base, u"queued"_s)));
        server.on("GET", taskPath % u'/' % remoteId,
                  gitHubError(403, u"API rate limit exceeded"_s,
                              {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", reset}}));
        server.on("GET", taskPath % u'/' % remoteId, json(200, task(base, u"completed"_s)));
        const RunResult r = run(server, spec());
        QVERIFY2(r.failure.isEmpty(), qPrintable(r.failure));
        QCOMPARE(server.requestsTo(taskPath % u'/' % remoteId).size(), 2);
        QVERIFY(QDateTime::currentSecsSinceEpoch() >= reset.toLongLong());
    }

    void rateLimitPastTheRetriesFails()
    {
        FakeGitHub server;
        const QByteArray reset = QByteArray::number(QDateTime::currentSecsSinceEpoch() + 3600);
        server.on("POST", taskPath,
                  gitHubError(403, u"API rate limit exceeded"_s,
                              {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", reset}}));
        const RunResult r = run(server, spec(), nullptr, [](CopilotBackend::Options &o) {
            o.http.maxRateLimitWaitMs = 60'000; // an hour is too long to wait
        });
        QCOMPARE(r.failureKind, u"rate_limited"_s);
        QVERIFY(r.retryable);
        const QString until =
            QDateTime::fromSecsSinceEpoch(reset.toLongLong(), Qt::UTC).toString(u"HH:mm:ss"_s);
        QVERIFY2(r.failure.contains(u"rate limited by 127.0.0.1 until %1 UTC"_s.arg(until)),
                 qPrintable(r.failure));
        QCOMPARE(server.requests.size(), 1);
    }

    // A poll redirected to another origin: the token does not go there, and that server's
    // "completed" is not taken as GitHub's word.
    void pollRedirectedElsewhereIsNotFollowed()
    {
        FakeGitHub server;
        FakeGitHub elsewhere;
        const QString base = server.baseUrl();
        const QString one = taskPath % u'/' % remoteId;
        server.on("POST", taskPath, json(201, task(base, u"queued"_s)));
        server.on("GET", one,
                  Canned{302, {}, {{"Location", (elsewhere.baseUrl() % one).toLatin1()}}, 0});
        elsewhere.on("GET", one, json(200, task(base, u"completed"_s, {pullArtifact(7)})));
        const RunResult r = run(server, spec());
        QCOMPARE(elsewhere.requests.size(), 0);
        QCOMPARE(r.failureKind, u"redirect"_s);
        QVERIFY(!r.retryable);
        QVERIFY2(r.failure.contains(u"lost track of the task"_s), qPrintable(r.failure));
        QVERIFY2(
            r.failure.contains(u"redirect to "_s %
                               QUrl(elsewhere.baseUrl()).adjusted(QUrl::RemovePath).toString()),
            qPrintable(r.failure));
        QCOMPARE(toString(r.task.state), toString(TaskState::Queued));
        QVERIFY(!r.pullRequest);
    }

    void timeBudgetEndsTheRun()
    {
        FakeGitHub server;
        const QString base = server.baseUrl();
        server.on("POST", taskPath, json(201, task(base, u"queued"_s)));
        server.on("GET", taskPath % u'/' % remoteId, json(200, task(base, u"in_progress"_s)));
        LaunchSpec s = spec();
        s.timeBudgetMs = 400;
        const RunResult r = run(server, s);
        QCOMPARE(toString(r.task.state), toString(TaskState::TimedOut));
        QCOMPARE(r.failureKind, u"timeout"_s);
        QVERIFY(!r.retryable);
        QVERIFY2(r.failure.contains("no cancel endpoint"_L1), qPrintable(r.failure));
        QVERIFY(r.failure.contains("in_progress"_L1));
        QCOMPARE(r.remoteId, remoteId);
    }

    void cancelStopsPolling()
    {
        FakeGitHub server;
        const QString base = server.baseUrl();
        server.on("POST", taskPath, json(201, task(base, u"queued"_s)));
        server.on("GET", taskPath % u'/' % remoteId, json(200, task(base, u"in_progress"_s)));
        CopilotBackend backend(&m_tokens);
        backend.setOptions(fastOptions(server));
        QSignalSpy progressed(&backend, &AgentBackend::progressed);
        QSignalSpy finished(&backend, &AgentBackend::finished);
        backend.start(spec());
        QTRY_COMPARE_WITH_TIMEOUT(progressed.size(), 2, 10'000); // queued, in_progress
        backend.cancel(u"tt-run-1"_s);
        QVERIFY(!backend.isRunning(u"tt-run-1"_s));
        QCOMPARE(finished.size(), 0); // finished() is queued
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        const RunResult r = finished.first().at(1).value<RunResult>();
        QCOMPARE(toString(r.task.state), toString(TaskState::Cancelled));
        QCOMPARE(r.failureKind, u"cancelled"_s);
        const qsizetype seen = server.requests.size();
        QVERIFY(!QTest::qWaitFor([&] { return server.requests.size() != seen; }, 300));
    }

    void identityKinds()
    {
        QVERIFY(CopilotBackend::acceptsIdentityKind(IdentityKind::FineGrainedPat));
        QVERIFY(CopilotBackend::acceptsIdentityKind(IdentityKind::ClassicPat));
        QVERIFY(CopilotBackend::acceptsIdentityKind(IdentityKind::OAuthAppToken));
        QVERIFY(CopilotBackend::acceptsIdentityKind(IdentityKind::GitHubAppUserToken));
        QVERIFY(!CopilotBackend::acceptsIdentityKind(IdentityKind::GitHubAppInstallationToken));
        QVERIFY(!CopilotBackend::acceptsIdentityKind(IdentityKind::LocalUser));
        QVERIFY(!CopilotBackend::acceptsIdentityKind(IdentityKind::Unknown));
        QVERIFY(CopilotBackend::identityRefusal(IdentityKind::GitHubAppInstallationToken)
                    .contains("installation"_L1));
    }
};

QTEST_GUILESS_MAIN(TestCopilotBackend)
#include "tst_copilotbackend.moc"
