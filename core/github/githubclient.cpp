#include "github/githubclient.h"

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

} // namespace

struct GitHubClient::Call
{
    QByteArray method;
    QUrl url;
    QString path; // as shown in errors: relative to the base URL
    QByteArray token;
    QByteArray body;
    bool hasBody = false;
    bool hasContext = false;
    QPointer<QObject> context;
    Callback done;

    bool paginate = false;
    QString arrayKey;
    QJsonArray items;
    int pages = 0;

    int rateLimitRetries = 0;
    int transientRetries = 0;
    qint64 secondaryWaitMs = 0;

    QObject *receiver(QObject *fallback) const { return hasContext ? context.data() : fallback; }
    bool gone() const { return hasContext && !context; }
};

GitHubClient::GitHubClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{}

GitHubClient::~GitHubClient() = default;

void GitHubClient::setOptions(const Options &options)
{
    m_options = options;
}

QUrl GitHubClient::resolve(const QString &path) const
{
    return QUrl(m_options.baseUrl.toString(QUrl::StripTrailingSlash) % path);
}

void GitHubClient::send(const QByteArray &method, const QString &path, const QByteArray &token,
                        const QJsonObject &body, QObject *context, Callback done)
{
    auto call = std::make_shared<Call>();
    call->method = method;
    call->url = resolve(path);
    call->path = path;
    call->token = token;
    call->hasBody = !body.isEmpty();
    call->body = call->hasBody ? QJsonDocument(body).toJson(QJsonDocument::Compact) : QByteArray();
    call->hasContext = context != nullptr;
    call->context = context;
    call->done = std::move(done);
    dispatch(call);
}

void GitHubClient::get(const QString &path, const QByteArray &token, QObject *context,
                       Callback done)
{
    send(QByteArrayLiteral("GET"), path, token, {}, context, std::move(done));
}

void GitHubClient::getAll(const QString &path, const QString &arrayKey, const QByteArray &token,
                          QObject *context, Callback done)
{
    auto call = std::make_shared<Call>();
    call->method = QByteArrayLiteral("GET");
    call->url = resolve(path);
    QUrlQuery query(call->url);
    if (!query.hasQueryItem(u"per_page"_s)) {
        query.addQueryItem(u"per_page"_s, QString::number(m_options.perPage));
        call->url.setQuery(query);
    }
    call->path = path;
    call->token = token;
    call->hasContext = context != nullptr;
    call->context = context;
    call->done = std::move(done);
    call->paginate = true;
    call->arrayKey = arrayKey;
    dispatch(call);
}

void GitHubClient::dispatch(const std::shared_ptr<Call> &call)
{
    if (call->gone())
        return;
    QNetworkRequest request(call->url);
    request.setRawHeader(QByteArrayLiteral("Accept"),
                         QByteArrayLiteral("application/vnd.github+json"));
    request.setRawHeader(QByteArrayLiteral("X-GitHub-Api-Version"), m_options.apiVersion);
    request.setRawHeader(QByteArrayLiteral("User-Agent"), m_options.userAgent);
    if (!call->token.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + call->token);
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

bool GitHubClient::retryLater(const std::shared_ptr<Call> &call, qint64 waitMs)
{
    waitMs = std::max<qint64>(waitMs, 0);
    qCDebug(lcGitHub) << call->method << call->path << "again in" << waitMs << "ms";
    QTimer::singleShot(std::chrono::milliseconds(waitMs), call->receiver(this),
                       [guard = QPointer<GitHubClient>(this), call] {
                           if (guard)
                               guard->dispatch(call);
                       });
    return true;
}

void GitHubClient::handle(const std::shared_ptr<Call> &call, QNetworkReply *reply)
{
    reply->deleteLater();
    // The context's destroyed() aborts the reply, which finishes it at once: drop that.
    if (call->gone())
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->isOpen() ? reply->readAll() : QByteArray();
    qCDebug(lcGitHub) << call->method << call->path << status;
    const QString what = QString::fromLatin1(call->method) % u' ' % call->path;
    const bool idempotent = call->method == "GET";

    GitHubResponse r;
    r.status = status;
    const auto finish = [&](QString error, const QString &kind, bool retryable) {
        if (!call->token.isEmpty())
            error.replace(QString::fromLatin1(call->token), u"[token]"_s);
        r.error = error;
        r.errorKind = kind;
        r.retryable = retryable;
        r.items = call->items;
        r.pages = call->pages;
        call->done(r);
    };

    if (status == 0) {
        const bool timedOut = isTimeout(reply->error());
        if (idempotent && call->transientRetries < m_options.maxTransientRetries) {
            ++call->transientRetries;
            retryLater(call, m_options.transientRetryDelayMs);
            return;
        }
        if (timedOut) {
            finish(u"%1: no answer from %2 within %3 s"_s.arg(what, host())
                       .arg(m_options.timeoutMs / 1000.0),
                   u"timeout"_s, true);
        } else {
            finish(what % u": "_s % reply->errorString(), u"http_error"_s, true);
        }
        return;
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
            finish(what % u": the answer is not JSON: "_s % parseError.errorString(),
                   u"http_error"_s, false);
            return;
        }
        if (call->paginate) {
            ++call->pages;
            const QJsonArray page = call->arrayKey.isEmpty()
                                        ? r.json.array()
                                        : r.json.object().value(call->arrayKey).toArray();
            for (const QJsonValue &v : page)
                call->items.append(v);
            const QUrl next = nextLink(reply->rawHeader(QByteArrayLiteral("Link")));
            if (!next.isEmpty() && call->pages < m_options.maxPages) {
                nextPage(call, r, next);
                return;
            }
        }
        finish({}, {}, false);
        return;
    }

    if (status == 403 || status == 429) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        bool secondsOk = false;
        const qint64 retryAfter =
            reply->rawHeader(QByteArrayLiteral("Retry-After")).toLongLong(&secondsOk);
        bool resetOk = false;
        const qint64 reset =
            reply->rawHeader(QByteArrayLiteral("x-ratelimit-reset")).toLongLong(&resetOk);
        const bool exhausted = reply->rawHeader(QByteArrayLiteral("x-ratelimit-remaining")) == "0";
        qint64 waitMs = -1;
        if (secondsOk && retryAfter >= 0) {
            waitMs = retryAfter * 1000;
        } else if (exhausted && resetOk) {
            waitMs = std::max<qint64>(0, reset * 1000 - now.toMSecsSinceEpoch());
        } else if (message.contains("secondary rate limit"_L1, Qt::CaseInsensitive) ||
                   status == 429) {
            // GitHub: wait at least a minute, longer with each retry.
            call->secondaryWaitMs = call->secondaryWaitMs == 0 ? m_options.secondaryRateLimitWaitMs
                                                               : call->secondaryWaitMs * 2;
            waitMs = call->secondaryWaitMs;
        }
        if (waitMs >= 0) {
            r.rateLimitedUntil = now.addMSecs(waitMs);
            if (call->rateLimitRetries < m_options.maxRateLimitRetries &&
                waitMs <= m_options.maxRateLimitWaitMs) {
                ++call->rateLimitRetries;
                retryLater(call, waitMs);
                return;
            }
            finish(u"rate limited by %1 until %2 UTC (%3)"_s.arg(
                       host(), r.rateLimitedUntil.toString(u"HH:mm:ss"_s), failure),
                   u"rate_limited"_s, true);
            return;
        }
    }

    if (status >= 500) {
        if (idempotent && call->transientRetries < m_options.maxTransientRetries) {
            ++call->transientRetries;
            retryLater(call, m_options.transientRetryDelayMs);
            return;
        }
        finish(failure, u"http_error"_s, true);
        return;
    }
    finish(failure, status == 401 || status == 403 ? u"auth"_s : u"http_error"_s, false);
}

void GitHubClient::nextPage(const std::shared_ptr<Call> &call, const GitHubResponse &page,
                            const QUrl &next)
{
    const QUrl base = m_options.baseUrl;
    QString prefix = base.path();
    while (prefix.endsWith(u'/'))
        prefix.chop(1);
    const bool sameOrigin = next.scheme() == base.scheme() && next.host() == base.host() &&
                            next.port(-1) == base.port(-1) && next.path().startsWith(prefix + u'/');
    if (!sameOrigin) {
        GitHubResponse r = page;
        r.items = call->items;
        r.pages = call->pages;
        r.error = u"%1 %2: the next page is on another server (%3); not following it"_s.arg(
            QString::fromLatin1(call->method), call->path, next.host());
        r.errorKind = u"http_error"_s;
        call->done(r);
        return;
    }
    call->url = next;
    call->path = next.path().mid(prefix.size());
    if (next.hasQuery())
        call->path += u'?' % next.query();
    call->rateLimitRetries = 0;
    call->transientRetries = 0;
    call->secondaryWaitMs = 0;
    dispatch(call);
}

} // namespace Tasktrail
