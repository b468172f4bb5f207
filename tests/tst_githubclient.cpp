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
        QTest::qWait(600);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestGitHubClient)
#include "tst_githubclient.moc"
