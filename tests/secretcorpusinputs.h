// The secret corpus's inputs in Tasktrail's and GitHub's formats: Tasktrail's records, GitHub's
// task, pull request, review and check run JSON, the audit log (lines and a REST array) and
// command logs with colours, every kind of secret in every field (secretcorpus.h plants them).
#pragma once

#include "secretcorpus.h"

#include <QFile>
#include <QJsonDocument>
#include <QLatin1StringView>

namespace SecretCorpus {

// Tasktrail records, {n} standing for a number that keeps each copy apart.
inline const char *const recordTemplates[] = {
    R"({"tasktrail":1,"kind":"request","id":"R-{n}","text":"Upgrade lodash","requester":"maria",)"
    R"("trigger_system":"dev-portal","correlation_id":"PORTAL-{n}","created_at":"2026-03-01T11:00:00Z"})",
    R"({"tasktrail":1,"kind":"policy","id":"P-{n}","version":"3","name":"Deps","verdict":"allowed",)"
    R"("digest":"sha256:9f2c41"})",
    R"({"tasktrail":1,"kind":"template","id":"TPL-{n}","version":"2","name":"Upgrade",)"
    R"("digest":"sha256:77aa03"})",
    R"({"tasktrail":1,"kind":"identity","id":"I-{n}","identity_kind":"fine_grained_pat",)"
    R"("principal":"deps-bot","on_behalf_of":"maria","scopes":["contents:write"],"token_id":"99{n}",)"
    R"("token":"ghp_RawTokenOfTheIdentity0123456789abcd"})",
    R"({"tasktrail":1,"kind":"campaign","id":"C-{n}","request_id":"R-{n}","title":"lodash",)"
    R"("template_id":"TPL-{n}","template_version":"2","policy_id":"P-{n}","policy_version":"3",)"
    R"("created_at":"2026-03-01T11:05:00Z","decisions":[{"repo":"acme/billing","verdict":"skipped",)"
    R"("rule":"release_freeze","reason":"freeze","evidence":"freeze.yml","task_id":"T-{n}",)"
    R"("decided_at":"2026-03-01T11:05:01Z"}]})",
    R"({"tasktrail":1,"kind":"task","id":"T-{n}","repo":"acme/web","campaign_id":"C-{n}",)"
    R"("request_id":"R-{n}","identity_id":"I-{n}","policy_id":"P-{n}","policy_version":"3",)"
    R"("template_id":"TPL-{n}","template_version":"2","state":"failed","state_reason":"tests failed",)"
    R"("prompt":"Upgrade lodash","base_ref":"main","head_ref":"deps/lodash-{n}","head_sha":"4b1d0c9",)"
    R"("created_at":"2026-03-01T11:05:02Z","started_at":"2026-03-01T12:00:00Z",)"
    R"("completed_at":"2026-03-01T12:09:30Z","known_gaps":["no browser tests"],)"
    R"("usage":{"premium_requests":3,"note":"model-a"},)"
    R"("sessions":[{"id":"S-{n}","attempt":1,"state":"failed","model":"model-a","error":"timeout",)"
    R"("started_at":"2026-03-01T12:00:00Z"}],)"
    R"("commands":[{"seq":1,"argv":["npm","ci"],"cwd":"/work/web","exit_code":0}],)"
    R"("tests":[{"name":"cart totals","outcome":"failed","command_seq":1}],)"
    R"("files_changed":[{"path":"package.json","change":"modified","additions":1,"deletions":1}],)"
    R"("contacts":[{"host":"registry.npmjs.org","tool":"npm","purpose":"install"}],)"
    R"("failures":[{"seq":1,"kind":"timeout","message":"tests timed out","retried":true}]})",
    R"({"tasktrail":1,"kind":"pull_request","repo":"acme/web","number":{n},"github_id":9{n},)"
    R"("title":"Upgrade lodash","state":"closed","author":"deps-bot","head_ref":"deps/lodash-{n}",)"
    R"("head_sha":"4b1d0c9","base_ref":"main","url":"https://github.com/acme/web/pull/{n}",)"
    R"("merge_commit_sha":"e5f6a7b","merged_by":"maria","mergeable_state":"clean",)"
    R"("labels":["dependencies"],"requested_reviewers":["omar"],"requested_teams":["web"]})",
    R"({"tasktrail":1,"kind":"review","id":7{n},"repo":"acme/web","pr_number":{n},)"
    R"("reviewer":"omar","state":"APPROVED","commit_id":"4b1d0c9","submitted_at":"2026-03-01T14:30:00Z"})",
    R"({"tasktrail":1,"kind":"check_run","id":8{n},"repo":"acme/web","head_sha":"4b1d0c9",)"
    R"("name":"ci / test","status":"completed","conclusion":"success","app":"github-actions"})",
    R"({"tasktrail":1,"kind":"log","task_id":"T-{n}","command_seq":2,"lines":["> test","ok"]})",
};

// GitHub's shapes: an agent task, a pull request, a review, a check run.
inline const char *const agentTaskTemplate =
    R"({"id":"task-{n}","url":"https://api.github.com/agents/repos/acme/web/tasks/task-{n}",)"
    R"("html_url":"https://github.com/acme/web/copilot/tasks/task-{n}","name":"Fix login",)"
    R"("creator":{"id":1},"creator_type":"user","owner":{"id":1},"repository":{"id":1296269},)"
    R"("state":"failed","session_count":1,"artifacts":[{"provider":"github","type":"branch",)"
    R"("data":{"head_ref":"copilot/fix-{n}","base_ref":"main"}}],"archived_at":null,)"
    R"("created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T01:00:00Z",)"
    R"("sessions":[{"id":"s-{n}","name":"Fix login","task_id":"task-{n}","state":"failed",)"
    R"("created_at":"2025-01-01T00:00:00Z","completed_at":"2025-01-01T00:20:00Z",)"
    R"("prompt":"Fix the login button","head_ref":"copilot/fix-{n}","base_ref":"main",)"
    R"("model":"gpt-5","usage":{"type":"premium_requests","amount":1.5},)"
    R"("error":{"message":"Timed out waiting for CI"}}]})";
inline const char *const pullRequestTemplate =
    R"({"url":"https://api.github.com/repos/acme/web/pulls/{n}","id":5{n},)"
    R"("html_url":"https://github.com/acme/web/pull/{n}","number":{n},"state":"open",)"
    R"("title":"Fix login","user":{"login":"copilot-bot","type":"Bot"},"body":"Fixes it",)"
    R"("labels":[{"name":"bug"}],"created_at":"2025-01-01T01:00:00Z",)"
    R"("updated_at":"2025-01-01T02:00:00Z","closed_at":null,"merged_at":null,)"
    R"("merge_commit_sha":"e5bd3914","requested_reviewers":[{"login":"hubot"}],)"
    R"("requested_teams":[{"slug":"justice-league"}],"draft":false,)"
    R"("head":{"ref":"copilot/fix-{n}","sha":"6dcb09b5","repo":{"full_name":"acme/web"}},)"
    R"("base":{"ref":"main","sha":"0d1a26e6","repo":{"full_name":"acme/web"}},)"
    R"("merged":false,"mergeable_state":"clean","merged_by":null})";
inline const char *const reviewTemplate =
    R"({"id":6{n},"user":{"login":"monalisa"},"body":"Looks good","state":"APPROVED",)"
    R"("html_url":"https://github.com/acme/web/pull/{n}#pullrequestreview-6{n}",)"
    R"("pull_request_url":"https://api.github.com/repos/acme/web/pulls/{n}",)"
    R"("submitted_at":"2025-01-01T03:00:00Z","commit_id":"6dcb09b5"})";
inline const char *const checkRunTemplate =
    R"({"id":4{n},"head_sha":"6dcb09b5","html_url":"https://github.com/acme/web/runs/4{n}",)"
    R"("url":"https://api.github.com/repos/acme/web/check-runs/4{n}","status":"completed",)"
    R"("conclusion":"failure","started_at":"2025-02-01T12:00:00Z",)"
    R"("completed_at":"2025-02-01T12:03:00Z","name":"test","app":{"slug":"github-actions"},)"
    R"("pull_requests":[]})";
inline const char *const auditTemplate =
    R"({"_document_id":"AE-{n}","action":"api.request","actor":"agent-bot","actor_is_bot":true,)"
    R"("repo":"acme/api","@timestamp":1772366700000,"hashed_token":"g5g7tITZyudvM0a10iwURs=",)"
    R"("token_id":"{n}","programmatic_access_type":"GitHub App user-to-server token",)"
    R"("token_scopes":"repo,workflow","request_method":"POST","route":"/repos/:owner/:repo/pulls",)"
    R"("user_agent":"curl/8.5","org":"acme"})";

inline QJsonObject filled(const char *templ, int n)
{
    QByteArray text(templ);
    text.replace("{n}", QByteArray::number(n));
    return QJsonDocument::fromJson(text).object();
}

inline QByteArray compact(const QJsonValue &v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

inline bool writeInput(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

class Inputs
{
public:
    explicit Inputs(Corpus &corpus)
        : m_corpus(corpus)
    {}

    // Every file of the corpus into `dir` (it exists); false when one cannot be written.
    bool write(const QString &dir)
    {
        const auto at = [&dir](const char *name) -> QString {
            return dir + u'/' + QLatin1StringView(name);
        };
        return writeInput(at("records.jsonl"), recordsFile()) &&
               writeInput(at("agent-tasks.json"),
                          "{\"tasks\":" + gitHubArray(agentTaskTemplate, u"agent task"_s) + "}") &&
               writeInput(at("pulls.json"), gitHubArray(pullRequestTemplate, u"pull request"_s)) &&
               writeInput(at("reviews.json"), gitHubArray(reviewTemplate, u"review"_s)) &&
               writeInput(at("checks.json"),
                          "{\"check_runs\":" + gitHubArray(checkRunTemplate, u"check run"_s) +
                              "}") &&
               writeInput(at("audit.ndjson"), auditLines()) &&
               writeInput(at("audit-rest.json"), gitHubArray(auditTemplate, u"audit array"_s)) &&
               writeInput(at("commands.log"), commandLog());
    }

private:
    int next() { return m_n++; }
    // Every string of a JSON document, one copy per string, with one secret of every kind
    // added to it.
    QList<QJsonObject> variants(const char *templ, const QString &what, bool escape = false)
    {
        QList<QJsonObject> out;
        for (const QString &p : SecretCorpus::stringPaths(filled(templ, 0))) {
            const QString where = what + u' ' + p + (escape ? u" (\\u escaped)"_s : QString());
            const QJsonValue v = SecretCorpus::withString(
                filled(templ, next()), p, [&](const QString &old) -> QString {
                    return old + u'\n' + m_corpus.plantAll(where);
                });
            out << v.toObject();
        }
        return out;
    }

    QByteArray recordsFile()
    {
        QByteArray out;
        for (const char *templ : recordTemplates) {
            const QString kind = filled(templ, 0).value(u"kind").toString();
            for (const QJsonObject &o : variants(templ, u"record "_s + kind))
                out += compact(o) + '\n';
            // The same with every '_' written as a JSON escape, keys too: the reader's pre-filter
            // sees "ghp\u005f...", not "ghp_...".
            for (const QJsonObject &o : variants(templ, u"record "_s + kind, true))
                out += compact(o).replace("_", "\\u005f") + '\n';
        }
        // Log lines with a colour inside each secret, as a JSON string carries it (\u001b).
        QJsonArray lines;
        for (const QString &kind : SecretCorpus::kinds()) {
            QString s = m_corpus.plant(kind, u"record log line, coloured"_s, false);
            s.insert(s.indexOf(u"QZ"_s) + 8, u"\x1b[32m"_s);
            lines << s;
        }
        out += compact(QJsonObject{{u"tasktrail"_s, 1},
                                   {u"kind"_s, u"log"_s},
                                   {u"task_id"_s, u"T-coloured"_s},
                                   {u"command_seq"_s, 1},
                                   {u"lines"_s, lines}}) +
               '\n';
        return out;
    }

    QByteArray gitHubArray(const char *templ, const QString &what)
    {
        QJsonArray items{filled(templ, next())}; // one intact item first: it names the format
        for (const QJsonObject &o : variants(templ, what))
            items << o;
        return compact(items);
    }

    QByteArray auditLines()
    {
        QByteArray out = compact(filled(auditTemplate, next())) + '\n';
        for (const QJsonObject &o : variants(auditTemplate, u"audit event"_s))
            out += compact(o) + '\n';
        return out;
    }

    // Command logs: every kind plain, with a colour inside, with its '_' as a JSON escape, and a
    // key block with a coloured header; a secret in a header's task id too.
    QByteArray commandLog()
    {
        QByteArray out = "##[tasktrail] task=T-log command=1\n";
        for (const QString &kind : SecretCorpus::kinds()) {
            out += "2026-03-01T12:05:10Z " +
                   m_corpus.plant(kind, u"command log line"_s, false).toUtf8() + '\n';
            QString coloured = m_corpus.plant(kind, u"command log line, coloured"_s, false);
            coloured.insert(coloured.indexOf(u"QZ"_s) + 8, u"\x1b[1;31m"_s);
            out += "\x1b[0m" + coloured.toUtf8() + "\x1b[0m\n";
            QString escaped = m_corpus.plant(kind, u"command log line, \\u escaped"_s, false);
            out += escaped.replace(u"_"_s, u"\\u005f"_s).toUtf8() + '\n';
        }
        out += "-----BEGIN \x1b[33mOPENSSH PRIVATE KEY-----\n" +
               m_corpus.plant(u"github-token"_s, u"a key block's body"_s).toUtf8() +
               "\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n-----END OPENSSH PRIVATE KEY-----\nok\n";
        out += "##[tasktrail] task=T-" +
               m_corpus.plant(u"github-token"_s, u"a log header's task id"_s).toUtf8() +
               " command=2\nnpm test\n";
        return out;
    }

    Corpus &m_corpus;
    int m_n = 100;
};

} // namespace SecretCorpus
