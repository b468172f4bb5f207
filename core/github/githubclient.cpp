#include "github/githubclient.h"
#include "text/redactor.h"

#include <QJsonParseError>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

Q_LOGGING_CATEGORY(lcGitHub, "tasktrail.launch.github")

// The rel="next" target of a Link header, or an empty URL.
QUrl nextLink(const QByteArray &link)
{
    static const QRegularExpression entry(uR"re(<([^>]*)>\s*;\s*rel="([^"]*)")re"_s);
    auto it = entry.globalMatch(QString::fromLatin1(link));
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.captured(2).split(u' ', Qt::SkipEmptyParts).contains("next"_L1))
            return QUrl(m.captured(1));
    }
    return {};
}

// GitHub's "message", with the field errors a 422 lists after it.
QString gitHubMessage(const QJsonDocument &json)
{
    const QJsonObject body = json.object();
    QString message = body.value("message"_L1).toString();
    QStringList details;
    const QJsonArray errors = body.value("errors"_L1).toArray();
    for (const QJsonValue &e : errors) {
        const QJsonObject o = e.toObject();
        QString detail = o.value("message"_L1).toString();
        if (detail.isEmpty()) {
            QStringList parts{o.value("field"_L1).toString(), o.value("code"_L1).toString()};
            parts.removeAll(QString());
            detail = parts.join(u": "_s);
        }
        if (!detail.isEmpty())
            details.append(detail);
    }
    if (!details.isEmpty())
        message += u" ("_s % details.join(u"; "_s) % u')';
    return message;
}

bool isTimeout(QNetworkReply::NetworkError error)
{
    // A transfer timeout aborts the reply; Qt reports that as OperationCanceledError.
    return error == QNetworkReply::OperationCanceledError || error == QNetworkReply::TimeoutError;
}

// scheme://host[:port] only: the path and query of a redirect may carry a signature.
QString originOf(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery |
                  QUrl::RemoveFragment)
        .toString();
}

int portOf(const QUrl &url)
{
    return url.port(url.scheme() == u"https" ? 443 : url.scheme() == u"http" ? 80 : -1);
}

QString apiPrefix(const QUrl &base)
{
    QString prefix = base.path();
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    return prefix;
}

} // namespace

struct GitHubClient::Call
{
    QByteArray method;
    QUrl url;
    QString path; // as shown in errors: relative to the base URL
    QByteArray token;
    QByteArray body;
    QByteArray ifNoneMatch; // first request (page) only
    QByteArray firstEtag;
    bool hasBody = false;
    bool hasContext = false;
    QPointer<QObject> context;
    Callback done;

    bool paginate = false;
    QString arrayKey;
    QJsonArray items;
    int pages = 0;

    bool download = false;     // may leave the API, without the token
    bool tokenDropped = false; // left the API once: the token is not sent again
    int redirects = 0;

    int rateLimitRetries = 0;
    int transientRetries = 0;
    qint64 secondaryWaitMs = 0;

    QObject *receiver(QObject *fallback) const { return hasContext ? context.data() : fallback; }
    bool gone() const { return hasContext && !context; }
    QString what() const { return QString::fromLatin1(method) % u' ' % path; }
};

GitHubClient::GitHubClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    // Every redirect is decided in redirected(); Qt's own policy would resend the headers,
    // the Authorization header among them, to wherever the Location points.
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

GitHubClient::~GitHubClient() = default;

void GitHubClient::setOptions(const Options &options)
{
    m_options = options;
}

QUrl GitHubClient::resolve(const QString &path) const
{
    return QUrl(m_options.baseUrl.toString(QUrl::StripTrailingSlash) % path);
}

bool GitHubClient::isApiUrl(const QUrl &url) const
{
    const QUrl &base = m_options.baseUrl;
    return url.isValid() && url.scheme() == base.scheme() &&
           url.host().compare(base.host(), Qt::CaseInsensitive) == 0 &&
           portOf(url) == portOf(base) && url.userInfo().isEmpty() &&
           url.adjusted(QUrl::NormalizePathSegments).path().startsWith(apiPrefix(base) + u'/');
}

std::shared_ptr<GitHubClient::Call> GitHubClient::makeCall(const QByteArray &method,
                                                           const QString &path,
                                                           const QByteArray &token,
                                                           QObject *context, Callback done) const
{
    auto call = std::make_shared<Call>();
    call->method = method;
    call->url = resolve(path);
    call->path = path;
    call->token = token;
    call->hasContext = context != nullptr;
    call->context = context;
    call->done = std::move(done);
    return call;
}

void GitHubClient::send(const QByteArray &method, const QString &path, const QByteArray &token,
                        const QJsonObject &body, QObject *context, Callback done)
{
    auto call = makeCall(method, path, token, context, std::move(done));
    call->hasBody = !body.isEmpty();
    call->body = call->hasBody ? QJsonDocument(body).toJson(QJsonDocument::Compact) : QByteArray();
    dispatch(call);
}

void GitHubClient::get(const QString &path, const QByteArray &token, QObject *context,
                       Callback done, const QByteArray &ifNoneMatch)
{
    auto call = makeCall(QByteArrayLiteral("GET"), path, token, context, std::move(done));
    call->ifNoneMatch = ifNoneMatch;
    dispatch(call);
}

void GitHubClient::getAll(const QString &path, const QString &arrayKey, const QByteArray &token,
                          QObject *context, Callback done, const QByteArray &ifNoneMatch)
{
    auto call = makeCall(QByteArrayLiteral("GET"), path, token, context, std::move(done));
    call->ifNoneMatch = ifNoneMatch;
    QUrlQuery query(call->url);
    if (!query.hasQueryItem(u"per_page"_s)) {
        query.addQueryItem(u"per_page"_s, QString::number(m_options.perPage));
        call->url.setQuery(query);
    }
    call->paginate = true;
    call->arrayKey = arrayKey;
    dispatch(call);
}

void GitHubClient::download(const QString &path, const QByteArray &token, QObject *context,
                            Callback done, const QByteArray &ifNoneMatch)
{
    auto call = makeCall(QByteArrayLiteral("GET"), path, token, context, std::move(done));
    call->download = true;
    call->ifNoneMatch = ifNoneMatch;
    dispatch(call);
}

void GitHubClient::dispatch(const std::shared_ptr<Call> &call)
{
    if (call->gone())
        return;
    const bool api = isApiUrl(call->url);
    if (!api && !call->download) {
        // resolve() of an odd path, or a page link that slipped through: never off the API.
        return complete(call, {},
                        u"%1: %2 is not %3; not sent"_s.arg(call->what(), originOf(call->url),
                                                            originOf(m_options.baseUrl)),
                        u"redirect"_s);
    }
    QNetworkRequest request(call->url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader(QByteArrayLiteral("User-Agent"), m_options.userAgent);
    if (api) {
        request.setRawHeader(QByteArrayLiteral("Accept"),
                             QByteArrayLiteral("application/vnd.github+json"));
        request.setRawHeader(QByteArrayLiteral("X-GitHub-Api-Version"), m_options.apiVersion);
        for (const auto &[name, value] : m_options.apiHeaders)
            request.setRawHeader(name, value);
    }
    if (api && !call->tokenDropped && !call->token.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + call->token);
    if (api && !call->ifNoneMatch.isEmpty())
        request.setRawHeader(QByteArrayLiteral("If-None-Match"), call->ifNoneMatch);
    if (call->hasBody)
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_options.timeoutMs);
    QNetworkReply *reply = call->hasBody
                               ? m_network->sendCustomRequest(request, call->method, call->body)
                               : m_network->sendCustomRequest(request, call->method);
    QObject *receiver = call->receiver(this);
    if (receiver != this) {
        connect(receiver, &QObject::destroyed, reply, [reply] {
            reply->abort();
            reply->deleteLater();
        });
    }
    connect(reply, &QNetworkReply::finished, receiver,
            [guard = QPointer<GitHubClient>(this), call, reply] {
                if (guard)
                    guard->handle(call, reply);
            });
}

bool GitHubClient::retryLater(const std::shared_ptr<Call> &call, qint64 waitMs,
                              const QString &reason)
{
    waitMs = std::max<qint64>(waitMs, 0);
    qCDebug(lcGitHub) << call->method << call->path << "again in" << waitMs << "ms";
    Q_EMIT waiting(QDateTime::currentDateTimeUtc().addMSecs(waitMs), reason);
    if (m_options.waitCapMs >= 0)
        waitMs = std::min(waitMs, m_options.waitCapMs);
    QTimer::singleShot(std::chrono::milliseconds(waitMs), call->receiver(this),
                       [guard = QPointer<GitHubClient>(this), call] {
                           if (guard)
                               guard->dispatch(call);
                       });
    return true;
}

void GitHubClient::complete(const std::shared_ptr<Call> &call, GitHubResponse r, QString error,
                            const QString &kind, bool retryable)
{
    if (!call->token.isEmpty())
        error.replace(QString::fromLatin1(call->token), u"[token]"_s);
    // An error quotes what the server said, which may hold any secret: callers log and store
    // it as it is.
    Redactor::redactText(error);
    r.error = error;
    r.errorKind = kind;
    r.retryable = retryable;
    r.items = call->items;
    r.pages = call->pages;
    if (call->paginate)
        r.etag = call->firstEtag;
    call->done(r);
}

void GitHubClient::handle(const std::shared_ptr<Call> &call, QNetworkReply *reply)
{
    reply->deleteLater();
    // The context's destroyed() aborts the reply, which finishes it at once: drop that.
    if (call->gone())
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    qCDebug(lcGitHub) << call->method << call->path << status;
    const QString what = call->what();
    const bool idempotent = call->method == "GET";

    GitHubResponse r;
    r.status = status;
    r.etag = reply->rawHeader(QByteArrayLiteral("ETag"));
    bool remainingOk = false;
    const int remaining =
        reply->rawHeader(QByteArrayLiteral("x-ratelimit-remaining")).toInt(&remainingOk);
    r.rateLimitRemaining = remainingOk ? remaining : -1;
    bool resetOk = false;
    const qint64 reset =
        reply->rawHeader(QByteArrayLiteral("x-ratelimit-reset")).toLongLong(&resetOk);
    if (resetOk)
        r.rateLimitReset = QDateTime::fromSecsSinceEpoch(reset).toUTC();
    if (call->pages == 0)
        call->firstEtag = r.etag;
    if (status == 0) {
        const bool timedOut = isTimeout(reply->error());
        if (idempotent && call->transientRetries < m_options.maxTransientRetries) {
            ++call->transientRetries;
            retryLater(call, m_options.transientRetryDelayMs, u"no answer, trying again"_s);
            return;
        }
        if (timedOut) {
            return complete(call, r,
                            u"%1: no answer from %2 within %3 s"_s.arg(what, host())
                                .arg(m_options.timeoutMs / 1000.0),
                            u"timeout"_s, true);
        }
        return complete(call, r, what % u": "_s % reply->errorString(), u"http_error"_s, true);
    }
    if (status == 304 && !call->ifNoneMatch.isEmpty() && call->pages == 0)
        return complete(call, r); // nothing changed since the ETag: no body to read
    if (status >= 300 && status < 400 && status != 304)
        return redirected(call, reply, status); // the redirect's own body is never read

    const QByteArray bytes = reply->isOpen() ? reply->readAll() : QByteArray();
    if (call->download && status >= 200 && status < 300) {
        r.body = bytes;
        return complete(call, r);
    }
    QJsonParseError parseError{};
    if (!bytes.trimmed().isEmpty())
        r.json = QJsonDocument::fromJson(bytes, &parseError);
    const bool isJson = bytes.trimmed().isEmpty() || parseError.error == QJsonParseError::NoError;
    QString message = gitHubMessage(r.json);
    if (message.isEmpty())
        message = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    const QString failure = u"%1: HTTP %2: %3"_s.arg(what).arg(status).arg(message);

    if (status >= 200 && status < 300) {
        if (!isJson) {
            return complete(call, r,
                            what % u": the answer is not JSON: "_s % parseError.errorString(),
                            u"http_error"_s, false);
        }
        if (call->paginate) {
            ++call->pages;
            const QJsonArray page = call->arrayKey.isEmpty()
                                        ? r.json.array()
                                        : r.json.object().value(call->arrayKey).toArray();
            for (const QJsonValue &v : page)
                call->items.append(v);
            const QUrl next = nextLink(reply->rawHeader(QByteArrayLiteral("Link")));
            if (!next.isEmpty() && call->pages < m_options.maxPages)
                return nextPage(call, r, next);
        } else {
            r.next = nextLink(reply->rawHeader(QByteArrayLiteral("Link")));
        }
        return complete(call, r);
    }

    if (status == 403 || status == 429) {
        const qint64 waitMs = rateLimitWaitMs(call, reply, status, message);
        if (waitMs >= 0) {
            r.rateLimitedUntil = QDateTime::currentDateTimeUtc().addMSecs(waitMs);
            if (call->rateLimitRetries < m_options.maxRateLimitRetries &&
                waitMs <= m_options.maxRateLimitWaitMs) {
                ++call->rateLimitRetries;
                retryLater(call, waitMs, u"rate limited"_s);
                return;
            }
            return complete(call, r,
                            u"rate limited by %1 until %2 UTC (%3)"_s.arg(
                                host(), r.rateLimitedUntil.toString(u"HH:mm:ss"_s), failure),
                            u"rate_limited"_s, true);
        }
    }

    if (status >= 500) {
        if (idempotent && call->transientRetries < m_options.maxTransientRetries) {
            // Backing off: the second wait is twice the first.
            retryLater(call, m_options.transientRetryDelayMs << call->transientRetries,
                       u"HTTP %1, trying again"_s.arg(status));
            ++call->transientRetries;
            return;
        }
        return complete(call, r, failure, u"http_error"_s, true);
    }
    complete(call, r, failure, status == 401 || status == 403 ? u"auth"_s : u"http_error"_s, false);
}

// How long a 403 or 429 asks to wait, or -1 when it is not a rate limit.
qint64 GitHubClient::rateLimitWaitMs(const std::shared_ptr<Call> &call, QNetworkReply *reply,
                                     int status, const QString &message) const
{
    bool secondsOk = false;
    const qint64 retryAfter =
        reply->rawHeader(QByteArrayLiteral("Retry-After")).toLongLong(&secondsOk);
    bool resetOk = false;
    const qint64 reset =
        reply->rawHeader(QByteArrayLiteral("x-ratelimit-reset")).toLongLong(&resetOk);
    const bool exhausted = reply->rawHeader(QByteArrayLiteral("x-ratelimit-remaining")) == "0";
    if (secondsOk && retryAfter >= 0)
        return retryAfter * 1000;
    if (exhausted && resetOk)
        return std::max<qint64>(0, reset * 1000 - QDateTime::currentMSecsSinceEpoch());
    if (message.contains("secondary rate limit"_L1, Qt::CaseInsensitive) || status == 429) {
        // GitHub: wait at least a minute, longer with each retry.
        call->secondaryWaitMs = call->secondaryWaitMs == 0 ? m_options.secondaryRateLimitWaitMs
                                                           : call->secondaryWaitMs * 2;
        return call->secondaryWaitMs;
    }
    return -1;
}

void GitHubClient::redirected(const std::shared_ptr<Call> &call, QNetworkReply *reply, int status)
{
    GitHubResponse r;
    r.status = status;
    const QUrl location = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
    const QUrl target = call->url.resolved(location);
    const QString head = u"%1: HTTP %2"_s.arg(call->what()).arg(status);
    const QString api = originOf(m_options.baseUrl);
    const auto refuse = [&](const QString &why) {
        qCWarning(lcGitHub, "%s", qUtf8Printable(head % u": "_s % why));
        complete(call, r, head % u": "_s % why, u"redirect"_s);
    };
    if (location.isEmpty() || !target.isValid())
        return refuse(u"a redirect without a usable Location; not followed"_s);
    if (call->redirects >= m_options.maxRedirects) {
        return refuse(
            u"more than %1 redirects; not followed further"_s.arg(m_options.maxRedirects));
    }
    if (call->download) {
        const bool downgrade =
            m_options.baseUrl.scheme() == u"https" && target.scheme() != u"https";
        if (downgrade || (target.scheme() != u"https" && target.scheme() != u"http"))
            return refuse(u"redirect to %1; not followed: not https"_s.arg(originOf(target)));
    } else if (!isApiUrl(target)) {
        return refuse(u"redirect to %1, which is not GitHub's API at %2%3; not followed: the "
                      "token goes to the API only, and another server's answer is not "
                      "GitHub's"_s.arg(originOf(target), api, apiPrefix(m_options.baseUrl)));
    } else if (call->method != "GET") {
        return refuse(u"redirect; not followed: a %1 is never sent twice (it may have been "
                      "carried out)"_s.arg(QString::fromLatin1(call->method)));
    }
    ++call->redirects;
    if (!isApiUrl(target))
        call->tokenDropped = true;
    qCDebug(lcGitHub) << call->what() << "redirected to" << originOf(target)
                      << (call->tokenDropped ? "without the token" : "");
    call->url = target;
    dispatch(call);
}

void GitHubClient::nextPage(const std::shared_ptr<Call> &call, const GitHubResponse &page,
                            const QUrl &next)
{
    const QUrl target = call->url.resolved(next);
    if (!isApiUrl(target)) {
        return complete(call, page,
                        u"%1: the next page is on another server (%2); not following it"_s.arg(
                            call->what(), originOf(target)),
                        u"redirect"_s);
    }
    call->url = target;
    call->ifNoneMatch.clear();
    call->path = target.path().mid(apiPrefix(m_options.baseUrl).size());
    if (target.hasQuery())
        call->path += u'?' % target.query();
    call->rateLimitRetries = 0;
    call->transientRetries = 0;
    call->secondaryWaitMs = 0;
    call->redirects = 0;
    dispatch(call);
}

} // namespace Tasktrail
