#pragma once

#include "agentbackend.h"
#include "github/copilotpaths.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <functional>

namespace Tasktrail {

class GitHubClient;
struct GitHubResponse;

// Looks for the agent task that an earlier POST /agents/repos/{o}/{r}/tasks may have created
// (docs/launching.md, "Launching once"): the token's user (GET /user) is the creator; the
// repository's tasks of that creator created since `since` (GET .../tasks, newest first) are
// read, and each one's first session (GET .../tasks/{id}) must have the spec's prompt, base ref
// and head ref (a ref the spec leaves empty matches any).
//
// Found: exactly one task matches, and nothing else could be it. NotFound: the list was read
// and no task matches. Undecided: anything else (several match, a task whose creator or first
// session cannot be read matches or might, the list or the user cannot be read); a person
// decides then. The object is the context of its requests: deleting it stops them.
class CreatedTaskLookup final : public QObject
{
    Q_OBJECT

public:
    enum class Verdict
    {
        Found,
        NotFound,
        Undecided,
    };

    struct Result
    {
        Verdict verdict = Verdict::Undecided;
        QJsonObject task;      // Found: the task with its sessions
        QString remoteId;      // Found
        QJsonArray candidates; // what could be it: id, created_at, state, name, html_url, ...
        QString summary;       // one sentence: what was read and what it showed
    };

    using Done = std::function<void(const Result &)>;

    // Tasks are looked at one by one, at most maxVerified of them; more is Undecided.
    static constexpr int maxVerified = 10;

    CreatedTaskLookup(GitHubClient &client, CopilotPaths paths, QByteArray token, LaunchSpec spec,
                      QDateTime since, QObject *parent = nullptr);

    void start(Done done);

private:
    struct Seen
    {
        QJsonObject task;
        bool creatorKnown = true;
    };

    void listed(const GitHubResponse &response);
    void verifyNext();
    void verified(const Seen &seen, const GitHubResponse &response);
    void conclude();
    void undecided(const QString &why);
    void finish(Result result);
    QJsonObject candidate(const QJsonObject &task, bool creatorKnown, const QString &why) const;
    QString window() const;

    GitHubClient &m_client;
    CopilotPaths m_paths;
    QByteArray m_token;
    LaunchSpec m_spec;
    QDateTime m_since;
    Done m_done;
    qint64 m_creator = 0;
    QList<Seen> m_toVerify;
    QList<QJsonObject> m_matches; // found, with their sessions
    QJsonArray m_candidates;
    int m_listed = 0;
    int m_unclear = 0;
};

} // namespace Tasktrail
