#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <utility>

class QNetworkAccessManager;
class QNetworkReply;

namespace Tasktrail {

// What one REST call (or one paginated series of calls) came to.
struct GitHubResponse
{
    int status = 0;     // the last HTTP status; 0 when no answer came (timeout, network)
    QJsonDocument json; // the body of the last page
    QJsonArray items;   // getAll(): the elements of every page, in order
    int pages = 0;      // getAll(): how many pages were read
    QByteArray body;    // download(): the bytes of the answer
    // get(): the rel="next" target of the answer's Link header, not followed (a caller that
    // pages by GitHub's own cursors, such as the audit log's `after`, reads them from it).
    QUrl next;

    // Empty on success. Otherwise one sentence naming the method, the path, the status and
    // GitHub's "message"; never the token.
    QString error;
    // "auth" (401, 403 without a rate limit), "rate_limited", "timeout", "redirect" (a redirect
    // or a next page that was not followed, see below), "http_error" (other statuses, network
    // errors, bodies that are not JSON).
    QString errorKind;
    bool retryable = false;
    QDateTime rateLimitedUntil; // rate_limited: when GitHub said to come back (UTC)

    // The ETag of the answer (getAll(): of its first page), for a later If-None-Match.
    QByteArray etag;
    // x-ratelimit-remaining and x-ratelimit-reset of the last answer; -1 and null when absent.
    int rateLimitRemaining = -1;
    QDateTime rateLimitReset;

    bool ok() const { return error.isEmpty(); }
    // 304: the call sent an If-None-Match and nothing changed (GitHub does not count it
    // against the rate limit). json, items and body are empty.
    bool notModified() const { return status == 304; }
};

// A small asynchronous client for GitHub's REST API (github.com or a GitHub Enterprise Server
// under /api/v3). It sets GitHub's headers, reads JSON, follows Link pagination, and honours
// rate limits by waiting on a timer and trying again:
//  - 403/429 with Retry-After: after that many seconds;
//  - 403/429 with x-ratelimit-remaining: 0: at x-ratelimit-reset;
//  - 403/429 that say "secondary rate limit" without either header: after
//    secondaryRateLimitWaitMs, doubling each time;
// up to maxRateLimitRetries times, and never longer than maxRateLimitWaitMs; then the call fails
// with "rate limited by <host> until hh:mm:ss UTC". GETs are also tried again on 5xx, timeouts
// and network errors (maxTransientRetries); a POST is not, since it may have been carried out.
//
// Tokens are passed per call (one client serves several identities) and never appear in an
// error. Callbacks run on the client's thread; when `context` is destroyed first, the call is
// aborted and its callback never runs.
//
// Every request Tasktrail makes to GitHub goes through dispatch(), the one place that decides
// where the token may go (docs/launching.md, "Tokens and redirects"). The API is the base
// URL's origin (scheme, host, port) under its path. Redirects are never left to Qt:
//  - an API call follows a GET's redirect only within the API, with the token, at most
//    maxRedirects times; a redirect anywhere else, and any redirect of a POST (GitHub may
//    answer 303 after carrying it out), fails the call with kind "redirect", and the body of
//    the redirect is never read;
//  - a Link header's next page elsewhere is not requested either;
//  - download() is the one call that may leave the API, for files GitHub serves from another
//    host: the redirect is followed without the Authorization header, and the token is not
//    sent again on that call, not even when a later redirect comes back to the API.
// Errors name the other side by its origin only: a redirect's query may carry a signature.
class GitHubClient final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QUrl baseUrl = QUrl(QStringLiteral("https://api.github.com"));
        QByteArray apiVersion = QByteArrayLiteral("2022-11-28");
        QByteArray userAgent = QByteArrayLiteral("Tasktrail");
        int timeoutMs = 30'000; // per request, from the last byte received
        int maxRateLimitRetries = 3;
        qint64 maxRateLimitWaitMs = 15 * 60'000; // a longer wait fails the call at once
        qint64 secondaryRateLimitWaitMs = 60'000;
        int maxTransientRetries = 2;
        int transientRetryDelayMs = 1'000;
        int perPage = 100;
        int maxPages = 50;
        int maxRedirects = 3; // per call
        // Further headers for the API (not for a download's other host), such as the
        // Copilot API's integration id.
        QList<std::pair<QByteArray, QByteArray>> apiHeaders;
        // The longest any wait (rate limit, retry) really lasts; -1: as long as GitHub said.
        // Tests shorten GitHub's minutes with it; the waiting() signal still says GitHub's time.
        qint64 waitCapMs = -1;
    };

    using Callback = std::function<void(const GitHubResponse &)>;

    explicit GitHubClient(QObject *parent = nullptr);
    ~GitHubClient() override;

    void setOptions(const Options &options);
    const Options &options() const { return m_options; }

    // path is relative to the base URL and starts with '/', e.g. "/repos/o/r/pulls/1"; it may
    // carry a query. A null body sends no body.
    void send(const QByteArray &method, const QString &path, const QByteArray &token,
              const QJsonObject &body, QObject *context, Callback done);
    // With ifNoneMatch (an ETag from an earlier answer) GitHub answers 304 when nothing
    // changed: the response is ok() and notModified().
    void get(const QString &path, const QByteArray &token, QObject *context, Callback done,
             const QByteArray &ifNoneMatch = {});
    // Reads every page (rel="next" of the Link header, per_page set to perPage) and collects
    // the elements of the array under arrayKey, or of the top-level array when arrayKey is
    // empty. Links to another host than the base URL's are not followed (the token would go
    // with them).
    // ifNoneMatch goes with the first page only: a 304 there ends the call (notModified()).
    void getAll(const QString &path, const QString &arrayKey, const QByteArray &token,
                QObject *context, Callback done, const QByteArray &ifNoneMatch = {});

    // A file GitHub serves by redirecting to another host, such as an Actions job's log: the
    // first request goes to path on the API with the token, a redirect elsewhere is followed
    // without it. The bytes are in GitHubResponse::body; they are not read as JSON. With
    // ifNoneMatch the API may answer 304 (notModified(), no body).
    void download(const QString &path, const QByteArray &token, QObject *context, Callback done,
                  const QByteArray &ifNoneMatch = {});

    // True for a URL of the API itself: the base URL's scheme, host and port, under its path.
    // The only URLs the token is sent to.
    bool isApiUrl(const QUrl &url) const;

    // The host named in rate-limit errors ("api.github.com").
    QString host() const { return m_options.baseUrl.host(); }

Q_SIGNALS:
    // A call waits before it is sent again: a rate limit (primary or secondary) or a
    // transient failure. `until` is GitHub's time (UTC), `reason` one phrase ("rate limited").
    void waiting(const QDateTime &until, const QString &reason);

private:
    struct Call;
    std::shared_ptr<Call> makeCall(const QByteArray &method, const QString &path,
                                   const QByteArray &token, QObject *context, Callback done) const;
    void dispatch(const std::shared_ptr<Call> &call);
    void handle(const std::shared_ptr<Call> &call, QNetworkReply *reply);
    void redirected(const std::shared_ptr<Call> &call, QNetworkReply *reply, int status);
    qint64 rateLimitWaitMs(const std::shared_ptr<Call> &call, QNetworkReply *reply, int status,
                           const QString &message) const;
    void complete(const std::shared_ptr<Call> &call, GitHubResponse r, QString error = {},
                  const QString &kind = {}, bool retryable = false);
    bool retryLater(const std::shared_ptr<Call> &call, qint64 waitMs, const QString &reason);
    void nextPage(const std::shared_ptr<Call> &call, const GitHubResponse &page, const QUrl &next);
    QUrl resolve(const QString &path) const;

    Options m_options;
    QNetworkAccessManager *m_network = nullptr;
};

} // namespace Tasktrail
