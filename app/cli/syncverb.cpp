#include "syncverb.h"

#include "cliverb.h"
#include "github/tokensources.h"
#include "sync/githubsync.h"
#include "sync/runlogsink.h"

#include <QDate>
#include <QTimeZone>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {
namespace {

// The identity a token file names the sync's token under (or its only token).
const QString syncIdentity = u"github"_s;

// --token-file, else GH_TOKEN / GITHUB_TOKEN, else TASKTRAIL_TOKEN_GITHUB / TASKTRAIL_TOKEN.
std::optional<QByteArray> syncToken(const QCommandLineParser &p, QString *error)
{
    if (p.isSet(u"token-file"_s))
        return FileTokenSource(p.value(u"token-file"_s)).token(syncIdentity, error);
    QString ignored;
    if (auto token = GitHubCliEnvTokenSource().token(syncIdentity, &ignored))
        return token;
    if (auto token = EnvTokenSource().token(syncIdentity, &ignored))
        return token;
    *error = u"no token: set GH_TOKEN or GITHUB_TOKEN, or pass --token-file FILE"_s;
    return std::nullopt;
}

// "2026-03-01" (midnight UTC) or an RFC 3339 time.
std::optional<QDateTime> parseSince(const QString &text)
{
    const QDate date = QDate::fromString(text, Qt::ISODate);
    if (date.isValid() && text.size() == 10)
        return date.startOfDay(QTimeZone::utc());
    const QDateTime at = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (at.isValid() && at.timeSpec() != Qt::LocalTime)
        return at.toUTC();
    return std::nullopt;
}

} // namespace

int runSync(const QStringList &args)
{
    VerbParser v(u"sync"_s,
                 u"sync github: reads Copilot agent tasks, their pull requests, reviews, "
                 "checks, changed files, Actions job logs and (with --org) the audit log from "
                 "GitHub; a second sync reads only what changed."_s,
                 false);
    v.parser().addPositionalArgument(u"source"_s, u"github"_s);
    v.parser().addOption({u"repo"_s, u"A repository (OWNER/NAME); repeatable."_s, u"REPO"_s});
    v.parser().addOption(
        {u"org"_s, u"Every repository of an organisation, and its audit log."_s, u"ORG"_s});
    v.parser().addOption(
        {u"since"_s, u"Only tasks updated since (YYYY-MM-DD or RFC 3339)."_s, u"DATE"_s});
    v.parser().addOption({u"api-url"_s,
                          u"GitHub's API (default https://api.github.com; GitHub Enterprise: "
                          "https://HOST/api/v3)."_s,
                          u"URL"_s});
    v.parser().addOption({u"copilot-api-url"_s,
                          u"The Copilot API, which serves session logs (default "
                          "https://api.githubcopilot.com with github.com, else the --api-url)."_s,
                          u"URL"_s});
    v.parser().addOption({u"token-file"_s,
                          u"Read the token from this file (mode 0600: one token, or a "
                          "`github = token` line). Default: $GH_TOKEN or $GITHUB_TOKEN."_s,
                          u"FILE"_s});
    v.parser().addOption({u"quiet"_s, u"No progress and no problems, the summary only."_s});
    if (!v.parse(args, 1, 1))
        return v.usageExit();
    if (v.parser().positionalArguments().constFirst() != u"github")
        return fail(u"sync: the only source is 'github'"_s);

    GitHubSyncOptions options;
    options.repos = v.parser().values(u"repo"_s);
    options.org = v.parser().value(u"org"_s);
    if (v.parser().isSet(u"since"_s)) {
        const auto since = parseSince(v.parser().value(u"since"_s));
        if (!since)
            return fail(u"--since %1: expected YYYY-MM-DD or an RFC 3339 time with a zone"_s.arg(
                v.parser().value(u"since"_s)));
        options.since = *since;
    }
    if (v.parser().isSet(u"api-url"_s)) {
        const QUrl url(v.parser().value(u"api-url"_s));
        if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http") ||
            url.host().isEmpty())
            return fail(u"--api-url: expected an http(s) URL"_s);
        options.client.baseUrl = url;
    }
    if (v.parser().isSet(u"copilot-api-url"_s)) {
        const QUrl url(v.parser().value(u"copilot-api-url"_s));
        if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http") ||
            url.host().isEmpty())
            return fail(u"--copilot-api-url: expected an http(s) URL"_s);
        options.copilotApiUrl = url;
    }
    QString error;
    const std::optional<QByteArray> token = syncToken(v.parser(), &error);
    if (!token)
        return fail(error);
    int code = Ok;
    auto store = v.open(&code);
    if (!store)
        return code;

    const std::unique_ptr<RunLogSink> runLogs = makeRunLogSink(*store);
    GitHubSync sync(*store, *token, *runLogs);
    const bool quiet = v.parser().isSet(u"quiet"_s);
    const bool terminal = isatty(fileno(stderr));
    if (!quiet) {
        QObject::connect(&sync, &GitHubSync::problem, [terminal](const QString &message) {
            print((terminal ? u"\r\033[K"_s : QString()) % message % u'\n', stderr);
        });
    }
    if (!quiet && terminal) {
        QObject::connect(&sync, &GitHubSync::progress, [](const GitHubSyncProgress &p) {
            print(u"\r\033[K"_s % p.toString(), stderr);
        });
    }
    const bool ok = sync.run(options);
    if (!quiet && terminal)
        print(u"\r\033[K"_s, stderr);
    print(sync.summary().toString() % u'\n');
    if (!ok)
        return fail(sync.errorString());
    return sync.summary().problems > 0 ? Rejected : Ok;
}

} // namespace Tasktrail::Cli
