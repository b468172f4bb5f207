#include "createdtasklookup.h"

#include "github/githubclient.h"
#include "text/redactor.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

QDateTime timeOf(const QJsonObject &o, QLatin1StringView key)
{
    return QDateTime::fromString(o.value(key).toString(), Qt::ISODate).toUTC();
}

QString clock(const QDateTime &at)
{
    return at.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s);
}

// The session that started the task: the oldest one.
std::optional<QJsonObject> firstSession(const QJsonObject &task)
{
    const QJsonArray sessions = task.value("sessions"_L1).toArray();
    std::optional<QJsonObject> first;
    for (const QJsonValue &v : sessions) {
        const QJsonObject s = v.toObject();
        if (!first || timeOf(s, "created_at"_L1) < timeOf(*first, "created_at"_L1))
            first = s;
    }
    return first;
}

} // namespace

CreatedTaskLookup::CreatedTaskLookup(GitHubClient &client, CopilotPaths paths, QByteArray token,
                                     LaunchSpec spec, QDateTime since, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_paths(std::move(paths))
    , m_token(std::move(token))
    , m_spec(std::move(spec))
    , m_since(std::move(since))
{}

QString CreatedTaskLookup::window() const
{
    return u"created since %1"_s.arg(clock(m_since));
}

void CreatedTaskLookup::start(Done done)
{
    m_done = std::move(done);
    m_client.get(u"/user"_s, m_token, this, [this](const GitHubResponse &r) {
        m_creator = r.ok() ? r.json.object().value("id"_L1).toInteger() : 0;
        if (m_creator <= 0) {
            return undecided(u"the creator is unknown: "_s %
                             (r.ok() ? u"GitHub's answer to GET /user has no id"_s : r.error));
        }
        // since= filters on updated_at, which is never before created_at.
        const QString query = u"?sort=created_at&direction=desc&creator_id=%1&since=%2"_s.arg(
            QString::number(m_creator), m_since.toUTC().toString(Qt::ISODate));
        m_client.getAll(m_paths.tasks() % query, u"tasks"_s, m_token, this,
                        [this](const GitHubResponse &list) { listed(list); });
    });
}

void CreatedTaskLookup::listed(const GitHubResponse &response)
{
    if (!response.ok())
        return undecided(u"the repository's tasks could not be listed: "_s % response.error);
    for (const QJsonValue &v : response.items) {
        const QJsonObject task = v.toObject();
        const QDateTime created = timeOf(task, "created_at"_L1);
        // The server's filter is not taken on trust: time and creator are checked here too.
        if (created.isValid() && created < m_since)
            continue;
        const QJsonValue creator = task.value("creator"_L1).toObject().value("id"_L1);
        if (!creator.isUndefined() && creator.toInteger() != m_creator)
            continue;
        ++m_listed;
        m_toVerify.append(Seen{task, !creator.isUndefined() && created.isValid()});
    }
    if (m_toVerify.size() > maxVerified) {
        return undecided(u"%1 tasks of user %2 %3, more than the %4 looked at one by one"_s
                             .arg(m_toVerify.size())
                             .arg(m_creator)
                             .arg(window())
                             .arg(maxVerified));
    }
    verifyNext();
}

void CreatedTaskLookup::verifyNext()
{
    if (m_toVerify.isEmpty())
        return conclude();
    const Seen seen = m_toVerify.takeFirst();
    const QString id = seen.task.value("id"_L1).toString();
    if (id.isEmpty()) {
        ++m_unclear;
        m_candidates.append(candidate(seen.task, seen.creatorKnown, u"the task has no id"_s));
        return verifyNext();
    }
    m_client.get(m_paths.task(id), m_token, this,
                 [this, seen](const GitHubResponse &r) { verified(seen, r); });
}

void CreatedTaskLookup::verified(const Seen &seen, const GitHubResponse &response)
{
    QJsonObject task = seen.task;
    if (!response.ok()) {
        ++m_unclear;
        m_candidates.append(
            candidate(task, seen.creatorKnown, u"could not be read: "_s % response.error));
        return verifyNext();
    }
    task = response.json.object();
    const std::optional<QJsonObject> session = firstSession(task);
    if (!session) {
        ++m_unclear;
        m_candidates.append(
            candidate(task, seen.creatorKnown, u"has no session to compare the prompt with"_s));
        return verifyNext();
    }
    const auto same = [&](QLatin1StringView key, const QString &wanted) {
        return wanted.isEmpty() || session->value(key).toString() == wanted;
    };
    const bool matches =
        session->value("prompt"_L1).toString().trimmed() == m_spec.prompt.trimmed() &&
        same("base_ref"_L1, m_spec.baseRef) && same("head_ref"_L1, m_spec.headRef);
    if (matches) {
        if (seen.creatorKnown)
            m_matches.append(task);
        else
            ++m_unclear;
        m_candidates.append(candidate(task, seen.creatorKnown,
                                      seen.creatorKnown
                                          ? u"prompt, base ref and head ref match"_s
                                          : u"prompt and refs match, but the creator or the "
                                            "creation time is not given"_s));
    }
    verifyNext();
}

void CreatedTaskLookup::conclude()
{
    Result r;
    r.candidates = m_candidates;
    const QString of =
        u"of the %1 tasks of user %2 %3"_s.arg(m_listed).arg(m_creator).arg(window());
    if (m_matches.size() == 1 && m_unclear == 0) {
        r.verdict = Verdict::Found;
        r.task = m_matches.first();
        r.remoteId = r.task.value("id"_L1).toString();
        r.summary = u"found task %1 (created %2): the only one %3 with this prompt and refs"_s.arg(
            r.remoteId, clock(timeOf(r.task, "created_at"_L1)), of);
    } else if (m_matches.isEmpty() && m_unclear == 0) {
        r.verdict = Verdict::NotFound;
        r.summary = u"no task with this prompt and refs: none %1"_s.arg(of);
    } else {
        r.verdict = Verdict::Undecided;
        r.summary = u"%1 could be the one: %2 match, %3 cannot be compared"_s.arg(of)
                        .arg(m_matches.size())
                        .arg(m_unclear);
    }
    finish(r);
}

void CreatedTaskLookup::undecided(const QString &why)
{
    Result r;
    r.candidates = m_candidates;
    r.summary = why;
    finish(r);
}

void CreatedTaskLookup::finish(Result r)
{
    Redactor::redactText(r.summary);
    // The callback may delete this object: it runs from a copy.
    const Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(r);
}

QJsonObject CreatedTaskLookup::candidate(const QJsonObject &task, bool creatorKnown,
                                         const QString &why) const
{
    QString name = task.value("name"_L1).toString();
    Redactor::redactText(name);
    QString reason = why;
    Redactor::redactText(reason);
    const QJsonValue creator = task.value("creator"_L1).toObject().value("id"_L1);
    return QJsonObject{{u"id"_s, task.value("id"_L1).toString()},
                       {u"created_at"_s, task.value("created_at"_L1).toString()},
                       {u"state"_s, task.value("state"_L1).toString()},
                       {u"name"_s, name},
                       {u"html_url"_s, task.value("html_url"_L1).toString()},
                       {u"creator_id"_s, creatorKnown ? creator : QJsonValue()},
                       {u"why"_s, reason}};
}

} // namespace Tasktrail
