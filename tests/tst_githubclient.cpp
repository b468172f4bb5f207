#include "fakegithub.h"
#include "github/githubclient.h"

#include <QElapsedTimer>
#include <QTest>

#include <optional>

using namespace Tasktrail;

namespace {

const QByteArray token = QByteArrayLiteral("ghp_secretTokenValue123");

GitHubClient::Options options(const FakeGitHub &server)
{
    GitHubClient::Options o;
    o.baseUrl = QUrl(server.baseUrl());
    o.timeoutMs = 2'000;
    o.transientRetryDelayMs = 50;
    return o;
}

} // namespace

// The client's own behaviour; tst_copilotbackend covers it through the backend.
class TestGitHubClient final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clientRetriesServerErrorsThenFails()
    {
        FakeGitHub server;
        server.on("GET", u"/repos/octo/hello"_s, gitHubError(502, u"Server Error"_s));
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.get(u"/repos/octo/hello"_s, token, nullptr,
                   [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QCOMPARE(server.requests.size(), 3); // the first try and two retries
        QCOMPARE(response->errorKind, u"http_error"_s);
        QVERIFY(response->retryable);
        QCOMPARE(response->error, u"GET /repos/octo/hello: HTTP 502: Server Error"_s);
    }

    // If-None-Match with the ETag GitHub sent: 304 is an answer (nothing changed), for get()
    // and for the first page of getAll(); without If-None-Match a 304 stays an error.
    void conditionalRequestsAnswer304()
    {
        FakeGitHub server;
        server.on("GET", u"/repos/octo/hello/pulls"_s,
                  json(200, QJsonArray{QJsonObject{{u"number"_s, 1}}}));
        server.etag(u"/repos/octo/hello/pulls"_s, "\"abc\"");
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> first;
        client.getAll(u"/repos/octo/hello/pulls"_s, {}, token, nullptr,
                      [&](const GitHubResponse &r) { first = r; });
        QTRY_VERIFY(first.has_value());
        QVERIFY(first->ok());
        QCOMPARE(first->etag, QByteArray("\"abc\""));
        QCOMPARE(first->items.size(), 1);

        std::optional<GitHubResponse> again;
        client.getAll(
            u"/repos/octo/hello/pulls"_s, {}, token, nullptr,
            [&](const GitHubResponse &r) { again = r; }, first->etag);
        QTRY_VERIFY(again.has_value());
        QVERIFY2(again->ok(), qPrintable(again->error));
        QVERIFY(again->notModified());
        QVERIFY(again->items.isEmpty());
        QCOMPARE(server.requests.last().headers.value("if-none-match"), QByteArray("\"abc\""));

        std::optional<GitHubResponse> single;
        client.get(
            u"/repos/octo/hello/pulls"_s, token, nullptr,
            [&](const GitHubResponse &r) { single = r; }, "\"abc\"");
        QTRY_VERIFY(single.has_value());
        QVERIFY(single->ok() && single->notModified());

        server.on("GET", u"/repos/octo/other"_s, Canned{304, {}, {}, 0});
        std::optional<GitHubResponse> unasked;
        client.get(u"/repos/octo/other"_s, token, nullptr,
                   [&](const GitHubResponse &r) { unasked = r; });
        QTRY_VERIFY(unasked.has_value());
        QVERIFY(!unasked->ok());
    }

    // A Retry-After wait is announced with GitHub's time and may be shortened (tests) with
    // waitCapMs; the rate-limit headers of an answer are passed on.
    void waitsAreAnnouncedAndCapped()
    {
        FakeGitHub server;
        server.on("GET", u"/repos/octo/hello"_s,
                  gitHubError(403, u"You have exceeded a secondary rate limit"_s,
                              {{"Retry-After", "120"}}));
        server.on("GET", u"/repos/octo/hello"_s,
                  json(200, QJsonObject{{u"full_name"_s, u"octo/hello"_s}},
                       {{"x-ratelimit-remaining", "41"}, {"x-ratelimit-reset", "1900000000"}}));
        GitHubClient client;
        GitHubClient::Options o = options(server);
        o.waitCapMs = 10;
        client.setOptions(o);
        QList<QPair<QDateTime, QString>> waits;
        connect(&client, &GitHubClient::waiting, this,
                [&](const QDateTime &until, const QString &why) {
                    waits.append({until, why});
                });
        const QDateTime before = QDateTime::currentDateTimeUtc();
        QElapsedTimer clock;
        clock.start();
        std::optional<GitHubResponse> response;
        client.get(u"/repos/octo/hello"_s, token, nullptr,
                   [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QVERIFY2(response->ok(), qPrintable(response->error));
        QVERIFY(clock.elapsed() < 5'000);
        QCOMPARE(waits.size(), 1);
        QCOMPARE(waits.first().second, u"rate limited"_s);
        QVERIFY(waits.first().first >= before.addSecs(119));
        QCOMPARE(response->rateLimitRemaining, 41);
        QCOMPARE(response->rateLimitReset.toSecsSinceEpoch(), 1900000000);
    }

    void clientTimesOut()
    {
        FakeGitHub server;
        Canned slow = json(200, QJsonObject{{u"full_name"_s, u"octo/hello"_s}});
        slow.delayMs = 3'000;
        server.on("GET", u"/repos/octo/hello"_s, slow);
        GitHubClient client;
        GitHubClient::Options o = options(server);
        o.timeoutMs = 200;
        o.maxTransientRetries = 1;
        client.setOptions(o);
        std::optional<GitHubResponse> response;
        QElapsedTimer clock;
        clock.start();
        client.get(u"/repos/octo/hello"_s, token, nullptr,
                   [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QVERIFY(clock.elapsed() < 2'500);
        QCOMPARE(server.requests.size(), 2);
        QCOMPARE(response->errorKind, u"timeout"_s);
        QVERIFY(response->retryable);
        QVERIFY2(response->error.contains("GET /repos/octo/hello: no answer"_L1),
                 qPrintable(response->error));
    }

    void clientDoesNotFollowLinksElsewhere()
    {
        FakeGitHub server;
        server.on("GET", u"/repos/octo/hello/pulls"_s,
                  json(200, QJsonArray{QJsonObject{{u"number"_s, 1}}},
                       {{"Link", "<https://elsewhere.example/repos/octo/hello/pulls?page=2>; "
                                 "rel=\"next\""}}));
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.getAll(u"/repos/octo/hello/pulls"_s, {}, token, nullptr,
                      [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QVERIFY(response->error.contains("elsewhere.example"_L1));
        QCOMPARE(response->items.size(), 1);
        QCOMPARE(server.requests.size(), 1);
    }

    // A poll answered with a redirect to another origin (here: another port) must not carry
    // the token there, and nothing that origin says is taken as GitHub's answer.
    void redirectToAnotherOriginIsRefused_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("method");
        for (const int status : {301, 302, 303, 307, 308}) {
            QTest::addRow("GET %d", status) << status << QByteArrayLiteral("GET");
            QTest::addRow("POST %d", status) << status << QByteArrayLiteral("POST");
        }
    }

    void redirectToAnotherOriginIsRefused()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, method);
        FakeGitHub server;
        FakeGitHub elsewhere;
        const QString poll = u"/agents/repos/octo/hello/tasks/t1"_s;
        const QString target = elsewhere.baseUrl() % u"/collect?from=tasktrail"_s;
        server.on(method, poll, Canned{status, {}, {{"Location", target.toLatin1()}}, 0});
        elsewhere.on("GET", u"/collect"_s, json(200, QJsonObject{{u"state"_s, u"completed"_s}}));
        elsewhere.on("POST", u"/collect"_s, json(201, QJsonObject{{u"id"_s, u"forged"_s}}));
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.send(method, poll, token,
                    method == "POST" ? QJsonObject{{u"a"_s, 1}} : QJsonObject{}, nullptr,
                    [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        for (const ReceivedRequest &r : std::as_const(elsewhere.requests))
            QVERIFY2(!r.headers.contains("authorization"),
                     r.headers.value("authorization").constData());
        QCOMPARE(elsewhere.requests.size(), 0);
        QCOMPARE(server.requests.size(), 1);
        QVERIFY(!response->ok());
        QCOMPARE(response->status, status);
        QCOMPARE(response->errorKind, u"redirect"_s);
        QVERIFY(!response->retryable);
        QVERIFY(response->json.isNull());
        const QString origin = QUrl(elsewhere.baseUrl()).adjusted(QUrl::RemovePath).toString();
        QVERIFY2(response->error.contains(u"redirect to %1"_s.arg(origin)),
                 qPrintable(response->error));
        // Only the origin: a redirect's query may carry a signature.
        QVERIFY2(!response->error.contains("from=tasktrail"_L1), qPrintable(response->error));
    }

    // GitHub redirects a renamed repository within the API: a GET follows it with the token,
    // a POST is never sent a second time.
    void redirectWithinTheApi_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<bool>("followed");
        QTest::newRow("GET is followed") << QByteArrayLiteral("GET") << true;
        QTest::newRow("POST is not") << QByteArrayLiteral("POST") << false;
    }

    void redirectWithinTheApi()
    {
        QFETCH(QByteArray, method);
        QFETCH(bool, followed);
        FakeGitHub server(u"/api/v3"_s);
        const QString moved = server.baseUrl() % u"/repositories/42/pulls"_s;
        server.on(method, u"/repos/octo/old-name/pulls"_s,
                  Canned{method == "GET" ? 301 : 307, {}, {{"Location", moved.toLatin1()}}, 0});
        server.on(method, u"/repositories/42/pulls"_s, json(200, QJsonArray{1, 2}));
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.send(method, u"/repos/octo/old-name/pulls"_s, token,
                    method == "POST" ? QJsonObject{{u"a"_s, 1}} : QJsonObject{}, nullptr,
                    [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QCOMPARE(response->ok(), followed);
        QCOMPARE(server.requests.size(), followed ? 2 : 1);
        if (followed) {
            QCOMPARE(server.requests.last().path, u"/repositories/42/pulls"_s);
            QCOMPARE(server.requests.last().headers.value("authorization"), "Bearer " + token);
            QCOMPARE(response->json.array().size(), 2);
        } else {
            QCOMPARE(response->errorKind, u"redirect"_s);
            QVERIFY2(response->error.contains("POST /repos/octo/old-name/pulls: HTTP 307"_L1),
                     qPrintable(response->error));
        }
    }

    // Outside the API's path on the same host (a GitHub Enterprise Server's web pages) is not
    // the API: not followed.
    void redirectOutsideTheApiPathIsRefused()
    {
        FakeGitHub server(u"/api/v3"_s);
        const QString login = QUrl(server.baseUrl()).adjusted(QUrl::RemovePath).toString() %
                              u"/login?return_to=/api/v3/user"_s;
        server.on("GET", u"/user"_s, Canned{302, {}, {{"Location", login.toLatin1()}}, 0});
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.get(u"/user"_s, token, nullptr, [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QCOMPARE(response->errorKind, u"redirect"_s);
        QCOMPARE(server.requests.size(), 1);
    }

    void redirectLoopEnds()
    {
        FakeGitHub server;
        const QString self = server.baseUrl() % u"/user"_s;
        server.on("GET", u"/user"_s, Canned{302, {}, {{"Location", self.toLatin1()}}, 0});
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.get(u"/user"_s, token, nullptr, [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QCOMPARE(response->errorKind, u"redirect"_s);
        QVERIFY2(response->error.contains("more than 3 redirects"_L1), qPrintable(response->error));
        QCOMPARE(server.requests.size(), 4);
    }

    // A file GitHub hands to another host (an Actions job log): the redirect is followed, and
    // neither the other host nor anything it redirects to gets the token.
    void downloadFollowsWithoutTheToken()
    {
        FakeGitHub server;
        FakeGitHub storage;
        const QString logs = u"/repos/octo/hello/actions/jobs/7/logs"_s;
        const QString signedUrl = storage.baseUrl() % u"/blob/7.txt?sig=abc"_s;
        const QString back = server.baseUrl() % u"/echo"_s;
        server.on("GET", logs, Canned{302, {}, {{"Location", signedUrl.toLatin1()}}, 0});
        storage.on("GET", u"/blob/7.txt"_s, Canned{302, {}, {{"Location", back.toLatin1()}}, 0});
        server.on("GET", u"/echo"_s, Canned{200, "line 1\nline 2\n", {}, 0});
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.download(logs, token, nullptr, [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QVERIFY2(response->ok(), qPrintable(response->error));
        QCOMPARE(response->body, "line 1\nline 2\n");
        QCOMPARE(server.requests.size(), 2);
        QCOMPARE(server.requests.first().headers.value("authorization"), "Bearer " + token);
        QCOMPARE(storage.requests.size(), 1);
        QCOMPARE(storage.requests.first().query.queryItemValue(u"sig"_s), u"abc"_s);
        QVERIFY(!storage.requests.first().headers.contains("authorization"));
        // Once the call left the API, the token does not come back on it.
        QVERIFY(!server.requests.last().headers.contains("authorization"));
    }

    // A Link header's next page on another origin is neither followed nor sent the token.
    void linkToAnotherOriginIsNotFollowed()
    {
        FakeGitHub server;
        FakeGitHub elsewhere;
        const QString next = elsewhere.baseUrl() % u"/repos/octo/hello/pulls?page=2"_s;
        server.on("GET", u"/repos/octo/hello/pulls"_s,
                  json(200, QJsonArray{QJsonObject{{u"number"_s, 1}}},
                       {{"Link", "<" + next.toLatin1() + ">; rel=\"next\""}}));
        elsewhere.on("GET", u"/repos/octo/hello/pulls"_s, json(200, QJsonArray{}));
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.getAll(u"/repos/octo/hello/pulls"_s, {}, token, nullptr,
                      [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QVERIFY(!response->ok());
        QCOMPARE(response->errorKind, u"redirect"_s);
        QCOMPARE(response->items.size(), 1);
        QCOMPARE(elsewhere.requests.size(), 0);
    }

    void tokenNeverInErrors()
    {
        FakeGitHub server;
        // A server that echoes what it was sent must not get the token into the error.
        server.on("GET", u"/user"_s,
                  gitHubError(401, u"Bad credentials: "_s % QString::fromLatin1(token)));
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.get(u"/user"_s, token, nullptr, [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QCOMPARE(response->errorKind, u"auth"_s);
        QVERIFY(!response->error.contains(QString::fromLatin1(token)));
        QCOMPARE(response->error, u"GET /user: HTTP 401: Bad credentials: [token]"_s);
    }

    void otherSecretsInErrorsAreRedacted()
    {
        // Not the caller's token, but a secret all the same: callers log and store the error.
        FakeGitHub server;
        const QString other = u"glpat-"_s % QString(20, u'x') % u"12"_s;
        server.on("GET", u"/user"_s, gitHubError(422, u"cannot use "_s % other));
        GitHubClient client;
        client.setOptions(options(server));
        std::optional<GitHubResponse> response;
        client.get(u"/user"_s, token, nullptr, [&](const GitHubResponse &r) { response = r; });
        QTRY_VERIFY_WITH_TIMEOUT(response.has_value(), 10'000);
        QVERIFY2(!response->error.contains(other), qPrintable(response->error));
        QVERIFY2(response->error.contains(u"cannot use [REDACTED:gitlab-token]"_s),
                 qPrintable(response->error));
    }

    void contextDestroyedDropsTheCall()
    {
        FakeGitHub server;
        Canned slow = json(200, QJsonObject{});
        slow.delayMs = 300;
        server.on("POST", u"/user"_s, slow);
        GitHubClient client;
        client.setOptions(options(server));
        bool called = false;
        auto context = std::make_unique<QObject>();
        // A POST is not tried again, so an aborted one would reach the callback at once.
        client.send(QByteArrayLiteral("POST"), u"/user"_s, token, QJsonObject{{u"a"_s, 1}},
                    context.get(), [&](const GitHubResponse &) { called = true; });
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), 1, 10'000);
        context.reset();
        QTRY_COMPARE_WITH_TIMEOUT(server.answered, 1, 10'000);
        // A later call on the same client is answered after the slow one reached it.
        server.on("GET", u"/rate_limit"_s, json(200, QJsonObject{}));
        bool later = false;
        client.get(u"/rate_limit"_s, token, this, [&](const GitHubResponse &) { later = true; });
        QTRY_VERIFY_WITH_TIMEOUT(later, 10'000);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestGitHubClient)
#include "tst_githubclient.moc"
