#include "syncfetcher.h"

#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace Tasktrail {

SyncFetcher::SyncFetcher(const GitHubClient::Options &options, QByteArray token,
                         const std::atomic_bool &cancelled, QObject *parent)
    : QObject(parent)
    , m_client(new GitHubClient(this))
    , m_token(std::move(token))
    , m_cancelled(cancelled)
{
    m_client->setOptions(options);
    connect(m_client, &GitHubClient::waiting, this,
            [this](const QDateTime &until, const QString &reason) {
                if (onWait)
                    onWait(until, reason);
            });
}

GitHubResponse
SyncFetcher::wait(const std::function<void(QObject *, GitHubClient::Callback)> &start)
{
    honourRateLimit();
    GitHubResponse result;
    if (m_cancelled.load()) {
        result.error = u"cancelled"_s;
        result.errorKind = u"cancelled"_s;
        return result;
    }
    ++m_requests;
    QEventLoop loop;
    bool done = false;
    // The context of the call: deleting it on a cancel aborts the request, and the callback
    // never runs.
    auto context = std::make_unique<QObject>();
    start(context.get(), [&](const GitHubResponse &r) {
        result = r;
        done = true;
        loop.quit();
    });
    QTimer poll;
    connect(&poll, &QTimer::timeout, &loop, [&] {
        if (m_cancelled.load())
            loop.quit();
    });
    poll.start(50);
    if (!done)
        loop.exec();
    context.reset();
    if (!done) {
        result = {};
        result.error = u"cancelled"_s;
        result.errorKind = u"cancelled"_s;
        return result;
    }
    if (result.notModified())
        ++m_notModified;
    if (result.rateLimitRemaining >= 0) {
        m_remaining = result.rateLimitRemaining;
        m_reset = result.rateLimitReset;
    }
    return result;
}

// x-ratelimit-remaining 0: the next request would be refused until x-ratelimit-reset.
void SyncFetcher::honourRateLimit()
{
    if (m_remaining != 0 || !m_reset.isValid())
        return;
    m_remaining = -1;
    const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(m_reset);
    if (ms <= 0)
        return;
    if (onWait)
        onWait(m_reset, u"rate limited"_s);
    const qint64 cap = m_client->options().waitCapMs;
    QEventLoop loop;
    QTimer::singleShot(std::chrono::milliseconds(cap >= 0 ? std::min(ms, cap) : ms), &loop,
                       &QEventLoop::quit);
    QTimer poll;
    connect(&poll, &QTimer::timeout, &loop, [&] {
        if (m_cancelled.load())
            loop.quit();
    });
    poll.start(50);
    loop.exec();
}

GitHubResponse SyncFetcher::get(const QString &path, const QByteArray &etag)
{
    return wait([&](QObject *context, GitHubClient::Callback done) {
        m_client->get(path, m_token, context, std::move(done), etag);
    });
}

GitHubResponse SyncFetcher::getAll(const QString &path, const QString &arrayKey,
                                   const QByteArray &etag)
{
    return wait([&](QObject *context, GitHubClient::Callback done) {
        m_client->getAll(path, arrayKey, m_token, context, std::move(done), etag);
    });
}

GitHubResponse SyncFetcher::download(const QString &path, const QByteArray &etag)
{
    return wait([&](QObject *context, GitHubClient::Callback done) {
        m_client->download(path, m_token, context, std::move(done), etag);
    });
}

} // namespace Tasktrail
