#pragma once

#include "github/githubclient.h"

#include <QDateTime>
#include <QObject>

#include <atomic>
#include <functional>

namespace Tasktrail {

// GitHub's answers one at a time, for the sync job on its worker thread: each call waits in a
// local event loop for GitHubClient (the one place that decides where the token goes), so the
// sync reads as a sequence. Never on the GUI thread.
//
// Before each request it honours the primary rate limit the last answer announced
// (x-ratelimit-remaining 0: wait until x-ratelimit-reset); the client itself waits on 403/429
// (Retry-After, the secondary limit) and backs off on 5xx. Every wait is told through
// `onWait` ("rate limited, resuming at 14:05"). A cancel ends the call in progress at once.
class SyncFetcher final : public QObject
{
    Q_OBJECT
public:
    SyncFetcher(const GitHubClient::Options &options, QByteArray token,
                const std::atomic_bool &cancelled, QObject *parent = nullptr);

    // Called with GitHub's time to resume at (UTC) and why.
    std::function<void(const QDateTime &until, const QString &reason)> onWait;

    GitHubResponse get(const QString &path, const QByteArray &etag = {});
    GitHubResponse getAll(const QString &path, const QString &arrayKey,
                          const QByteArray &etag = {});
    GitHubResponse download(const QString &path, const QByteArray &etag = {});

    int requests() const { return m_requests; }
    int notModified() const { return m_notModified; }
    GitHubClient &client() { return *m_client; }

private:
    GitHubResponse wait(const std::function<void(QObject *, GitHubClient::Callback)> &start);
    void honourRateLimit();

    GitHubClient *m_client;
    QByteArray m_token;
    const std::atomic_bool &m_cancelled;
    int m_requests = 0;
    int m_notModified = 0;
    int m_remaining = -1;
    QDateTime m_reset;
};

} // namespace Tasktrail
