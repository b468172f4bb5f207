#include "launchverbs.h"

#include "cliverb.h"
#include "github/tokensources.h"
#include "launch/backendfactory.h"
#include "launch/createguard.h"
#include "launch/launchbudget.h"
#include "launch/launchplanner.h"
#include "launch/launchqueue.h"
#include "launch/localrepository.h"
#include "launch/queuecontrol.h"
#include "policy/storedspecs.h"
#include "query/recordjson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {
namespace {

QString orDash(const QString &s)
{
    return s.isEmpty() ? u"-"_s : s;
}

QStringList splitList(const QString &value)
{
    QStringList out;
    for (const QString &part : value.split(u',', Qt::SkipEmptyParts))
        out << part.trimmed();
    return out;
}

QString planTable(const LaunchPlan &plan)
{
    QString out = u"template %1@%2, policy %3@%4, identity %5\n"_s.arg(
        plan.templ.id, plan.templ.version, plan.policy.id, plan.policy.version, plan.identity.id);
    out += u"prompt: %1\n\n"_s.arg(plan.prompt.simplified());
    out +=
        u"  %1 %2 %3 %4\n"_s.arg(u"REPOSITORY"_s.leftJustified(32), u"DECISION"_s.leftJustified(9),
                                 u"RULE"_s.leftJustified(17), u"REASON"_s);
    for (const RepoPlan &r : plan.repos) {
        const QString decision = r.waiting                                     ? u"waiting"_s
                                 : r.decision.verdict == RepoVerdict::Eligible ? u"eligible"_s
                                                                               : u"skipped"_s;
        out += u"  %1 %2 %3 %4\n"_s.arg(
            r.decision.repo.leftJustified(32), decision.leftJustified(9),
            orDash(r.decision.rule).leftJustified(17), orDash(r.decision.reason));
    }
    const int waiting = int(std::count_if(plan.repos.cbegin(), plan.repos.cend(),
                                          [](const RepoPlan &r) { return r.waiting; }));
    out += u"\n%1 eligible (%2 waiting for reviewer capacity), %3 skipped\n"_s
               .arg(plan.eligibleCount())
               .arg(waiting)
               .arg(plan.repos.size() - plan.eligibleCount());
    return out;
}

QJsonObject planJson(const LaunchPlan &plan)
{
    QJsonArray repos;
    for (const RepoPlan &r : plan.repos) {
        repos.append(QJsonObject{
            {u"repo"_s, r.decision.repo},
            {u"verdict"_s, toString(r.decision.verdict)},
            {u"waiting"_s, r.waiting},
            {u"rule"_s, r.decision.rule},
            {u"reason"_s, r.decision.reason},
            {u"evidence"_s, r.decision.evidence},
            {u"task_id"_s, r.decision.taskId},
        });
    }
    return QJsonObject{{u"template"_s, QString(plan.templ.id % u'@' % plan.templ.version)},
                       {u"policy"_s, QString(plan.policy.id % u'@' % plan.policy.version)},
                       {u"prompt"_s, plan.prompt},
                       {u"repositories"_s, repos}};
}

bool confirmed(int eligible)
{
    if (!isatty(fileno(stdin)))
        return false;
    print(u"Launch %1 tasks? [y/N] "_s.arg(eligible));
    std::fflush(stdout);
    QTextStream in(stdin);
    const QString answer = in.readLine().trimmed().toLower();
    return answer == u"y" || answer == u"yes";
}

void addLaunchOptions(QCommandLineParser &p)
{
    p.addOptions({
        {u"template"_s, u"Template id, or id@version."_s, u"ID"_s},
        {u"policy"_s, u"Policy id, or id@version."_s, u"ID"_s},
        {u"repos"_s, u"Repositories, comma-separated (owner/name)."_s, u"LIST"_s},
        {u"repo-query"_s, u"A pattern over the known repositories, e.g. 'acme-*/*'."_s, u"GLOB"_s},
        {u"param"_s, u"A template parameter (repeatable)."_s, u"K=V"_s},
        {u"requester"_s, u"Who asks for the launch."_s, u"WHO"_s},
        {u"identity"_s, u"The identity the runs use."_s, u"ID"_s},
        {u"identity-kind"_s, u"Its token kind, when it is not stored yet."_s, u"KIND"_s},
        {u"principal"_s, u"Its principal, when it is not stored yet."_s, u"NAME"_s},
        {u"scopes"_s, u"Its scopes, comma-separated, when not stored yet."_s, u"LIST"_s},
        {u"trigger"_s, u"The triggering system."_s, u"SYSTEM"_s, u"tasktrail-cli"_s},
        {u"idempotency-key"_s, u"Launch at most once per key."_s, u"KEY"_s},
        {u"backend"_s, u"copilot-api or local."_s, u"NAME"_s, u"copilot-api"_s},
        {u"title"_s, u"The campaign's title."_s, u"TEXT"_s},
        {u"dry-run"_s, u"Show the decisions; record nothing."_s},
        {u"yes"_s, u"Do not ask for confirmation."_s},
    });
}

std::optional<LaunchRequest> launchRequest(const QCommandLineParser &p, QString *error)
{
    LaunchRequest r;
    r.templateRef = p.value(u"template"_s);
    r.policyRef = p.value(u"policy"_s);
    r.repositories = splitList(p.value(u"repos"_s));
    r.repositoryQuery = p.value(u"repo-query"_s);
    for (const QString &kv : p.values(u"param"_s)) {
        const qsizetype eq = kv.indexOf(u'=');
        if (eq <= 0) {
            *error = u"--param needs K=V, not '%1'"_s.arg(kv);
            return std::nullopt;
        }
        r.parameters.insert(kv.left(eq), kv.mid(eq + 1));
    }
    r.requester = p.value(u"requester"_s);
    r.triggerSystem = p.value(u"trigger"_s);
    r.identity.id = p.value(u"identity"_s);
    r.identity.kind = identityKindFromString(p.value(u"identity-kind"_s));
    r.identity.principal = p.value(u"principal"_s);
    r.identity.scopes = splitList(p.value(u"scopes"_s));
    r.idempotencyKey = p.value(u"idempotency-key"_s);
    r.backend = p.value(u"backend"_s);
    r.title = p.value(u"title"_s);
    for (const char *required : {"template", "policy", "requester", "identity"}) {
        if (!p.isSet(QString::fromLatin1(required))) {
            *error = u"launch needs --%1"_s.arg(QLatin1StringView(required));
            return std::nullopt;
        }
    }
    return r;
}

void addTokenFileOption(VerbParser &v)
{
    v.parser().addOption({u"token-file"_s,
                          u"Read identities' tokens from this file (mode 0600: one token, or "
                          "`identity = token` lines). Default: $TASKTRAIL_TOKEN_<IDENTITY> or "
                          "$TASKTRAIL_TOKEN."_s,
                          u"FILE"_s});
}

// Tokens for a headless run: a 0600 file when given, else the environment. Never the
// database.
std::unique_ptr<TokenSource> tokenSource(VerbParser &v)
{
    if (v.parser().isSet(u"token-file"_s))
        return std::make_unique<FileTokenSource>(v.parser().value(u"token-file"_s));
    return std::make_unique<EnvTokenSource>();
}

} // namespace

int runLaunch(const QStringList &args)
{
    VerbParser v(u"launch"_s,
                 u"Launches an approved template over repositories: a dry run of every "
                 "repository's decision, then (confirmed) the campaign and its queue entries."_s,
                 true);
    addLaunchOptions(v.parser());
    addTokenFileOption(v);
    if (!v.parse(args, 0, 0))
        return v.usageExit();
    QString error;
    const auto request = launchRequest(v.parser(), &error);
    if (!request)
        return fail(error);
    int code = Ok;
    // A dry run records nothing: it plans on a database it cannot write too.
    auto store = v.open(&code, v.parser().isSet(u"dry-run"_s) ? StoreAccess::ReadOnly
                                                              : StoreAccess::ReadWrite);
    if (!store)
        return code;
    // The identity's token is hashed into the identity record, never stored.
    const std::unique_ptr<TokenSource> tokens = tokenSource(v);
    LaunchPlanner planner(*store);
    planner.setTokenSource(tokens.get());
    const LaunchPlan plan = planner.plan(*request);
    if (!plan.ok())
        return fail(plan.errors.join(u"\n"_s));
    if (v.json())
        printJson(planJson(plan));
    else
        print(planTable(plan));
    if (v.parser().isSet(u"dry-run"_s))
        return Ok;
    if (plan.existingCampaign) {
        print(u"already submitted as campaign %1; nothing started\n"_s.arg(*plan.existingCampaign));
        return Ok;
    }
    if (!v.parser().isSet(u"yes"_s)) {
        if (!isatty(fileno(stdin)))
            return fail(u"not launching: stdin is not a terminal; confirm with --yes"_s);
        if (!confirmed(plan.eligibleCount())) {
            print(u"not launched\n"_s);
            return Rejected;
        }
    }
    const LaunchSubmission s = planner.submit(*request);
    if (!s.error.isEmpty())
        return fail(s.error);
    if (s.existing)
        print(u"already submitted as campaign %1; nothing started\n"_s.arg(s.campaignId));
    else
        print(u"campaign %1: %2 tasks queued\n"_s.arg(s.campaignId).arg(s.taskIds.size()));
    return s.taskIds.isEmpty() && !s.existing ? Rejected : Ok;
}

// queue confirm: a person's answer for an entry in needs_confirmation.
int confirmEntry(VerbParser &v, RecordStore &store, const QString &task)
{
    const bool notCreated = v.parser().isSet(u"not-created"_s);
    const QString remoteId = v.parser().value(u"remote-id"_s).trimmed();
    if (task.isEmpty() || notCreated == !remoteId.isEmpty())
        return fail(u"queue confirm needs --task ID and one of --remote-id R or --not-created"_s);
    QString who = v.parser().value(u"by"_s);
    if (who.isEmpty())
        who = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    const auto outcome =
        QueueControl::confirm(store, task, remoteId, who, QDateTime::currentDateTimeUtc());
    if (!outcome.error.isEmpty())
        return fail(outcome.error);
    print(notCreated
              ? u"%1: confirmed not created; the next attempt creates it once more\n"_s.arg(task)
              : u"%1: confirmed as remote task %2; the queue follows it\n"_s.arg(task, remoteId));
    return Ok;
}

int runQueue(const QStringList &args)
{
    VerbParser v(u"queue"_s,
                 u"The launch queue: list its entries and budgets, pause, resume or cancel a "
                 "task or a campaign, or confirm whether an entry in needs_confirmation was "
                 "created."_s,
                 true);
    v.parser().addPositionalArgument(
        u"action"_s, u"list (default), pause, resume, cancel or confirm."_s, u"[ACTION]"_s);
    v.parser().addOption({u"task"_s, u"One task."_s, u"ID"_s});
    v.parser().addOption({u"campaign"_s, u"Every entry of a campaign."_s, u"ID"_s});
    v.parser().addOption({u"all"_s, u"list: final entries too."_s});
    v.parser().addOption(
        {u"remote-id"_s, u"confirm: GitHub created the task with this id; follow it."_s, u"R"_s});
    v.parser().addOption(
        {u"not-created"_s, u"confirm: GitHub did not create the task; create it once more."_s});
    v.parser().addOption({u"by"_s, u"confirm: who answers (default: the user name)."_s, u"WHO"_s});
    if (!v.parse(args, 0, 1))
        return v.usageExit();
    const QString action = v.parser().positionalArguments().value(0, u"list"_s);
    const QString task = v.parser().value(u"task"_s);
    const QString campaign = v.parser().value(u"campaign"_s);
    int code = Ok;
    auto store = v.open(&code, action == u"list" ? StoreAccess::ReadOnly : StoreAccess::ReadWrite);
    if (!store)
        return code;
    if (action == u"confirm")
        return confirmEntry(v, *store, task);
    if (action == u"list") {
        QList<QueueEntry> entries = store->queueEntries(campaign, v.parser().isSet(u"all"_s));
        if (!task.isEmpty()) {
            entries.removeIf([&task](const QueueEntry &e) { return e.taskId != task; });
        }
        QJsonArray rows;
        QString out = u"  %1 %2 %3 %4 %5\n"_s.arg(
            u"TASK"_s.leftJustified(36), u"REPOSITORY"_s.leftJustified(28),
            u"STATE"_s.leftJustified(18), u"TRIES"_s.leftJustified(5), u"NEXT / LAST FAILURE"_s);
        QHash<QString, int> running;
        const QString today = LaunchBudget::utcDay(QDateTime::currentDateTimeUtc());
        const QList<QueueEntry> all = store->queueEntries({}, true);
        for (const QueueEntry &e : std::as_const(entries)) {
            if (e.state == QueueState::Running)
                ++running[e.templateId % u'@' % e.templateVersion];
            const QString state =
                toString(e.state) %
                (e.paused && e.state == QueueState::Running ? u" (paused)"_s : QString());
            const QString next = e.nextAttemptAt.isValid() ? e.nextAttemptAt.toString(Qt::ISODate)
                                                           : orDash(e.lastFailure);
            out += u"  %1 %2 %3 %4 %5\n"_s.arg(e.taskId.leftJustified(36), e.repo.leftJustified(28),
                                               state.leftJustified(18),
                                               QString::number(e.attempts).leftJustified(5), next);
            QJsonObject row = RecordJson::queueEntry(e);
            if (e.state == QueueState::NeedsConfirmation) {
                // What a person needs to answer `queue confirm`.
                const QList<LaunchAttempt> attempts = store->launchAttempts(e.taskId);
                const QStringList evidence = CreateGuard::evidence(attempts, true);
                for (const QString &line : evidence)
                    out += u"      "_s % line % u'\n';
                row.insert(u"evidence"_s, QJsonArray::fromStringList(evidence));
                if (!attempts.isEmpty())
                    row.insert(u"candidates"_s, attempts.last().candidates);
            }
            rows.append(row);
        }
        QSet<QString> teams;
        for (const QueueEntry &e : std::as_const(entries))
            teams.insert(e.reviewerTeam);
        out += u"\nbudgets:\n"_s;
        for (auto it = running.cbegin(); it != running.cend(); ++it)
            out += u"  template %1: %2 running\n"_s.arg(it.key()).arg(it.value());
        for (const QString &team : std::as_const(teams))
            out += u"  team %1: %2 review slots used today\n"_s.arg(orDash(team))
                       .arg(LaunchBudget::reviewSlotsHeld(all, team, today));
        if (v.json())
            printJson(rows);
        else
            print(out);
        return Ok;
    }
    const QHash<QString, QueueControl::Action> actions{{u"pause"_s, QueueControl::Action::Pause},
                                                       {u"resume"_s, QueueControl::Action::Resume},
                                                       {u"cancel"_s, QueueControl::Action::Cancel}};
    if (!actions.contains(action))
        return fail(
            u"unknown queue action '%1' (list, pause, resume, cancel, confirm)"_s.arg(action));
    if (task.isEmpty() == campaign.isEmpty())
        return fail(u"queue %1 needs --task ID or --campaign ID"_s.arg(action));
    const auto outcome = QueueControl::apply(*store, actions.value(action), task, campaign,
                                             QDateTime::currentDateTimeUtc());
    if (!outcome.error.isEmpty())
        return fail(outcome.error);
    print(u"%1: %2 entries changed\n"_s.arg(action).arg(outcome.changed.size()));
    return Ok;
}

int runRunQueue(const QStringList &args)
{
    VerbParser v(u"run-queue"_s,
                 u"Runs the launch queue on a backend: until nothing is left to run (--once) "
                 "or until stopped."_s,
                 false);
    v.parser().addOption({u"once"_s, u"Stop when nothing is queued, running or retrying."_s});
    v.parser().addOption({u"backend"_s, u"copilot-api or local."_s, u"NAME"_s, u"copilot-api"_s});
    v.parser().addOption(
        {u"max-concurrent"_s, u"Runs at once over every template."_s, u"N"_s, u"4"_s});
    v.parser().addOption({u"api-url"_s,
                          u"GitHub's API (default https://api.github.com; GitHub Enterprise: "
                          "https://HOST/api/v3)."_s,
                          u"URL"_s});
    v.parser().addOption({u"agent"_s,
                          u"The local backend's agent command; \"{prompt}\" and "
                          "\"{prompt_file}\" in it are replaced (e.g. \"my-agent --prompt-file "
                          "{prompt_file}\")."_s,
                          u"COMMAND"_s});
    v.parser().addOption(
        {u"work-dir"_s, u"Where the local backend makes its worktrees."_s, u"DIR"_s});
    addTokenFileOption(v);
    if (!v.parse(args, 0, 0))
        return v.usageExit();
    QString error;
    const std::unique_ptr<TokenSource> tokens = tokenSource(v);
    BackendSettings backendSettings;
    backendSettings.tokens = tokens.get();
    if (v.parser().isSet(u"api-url"_s))
        backendSettings.values.insert(u"api_url"_s, v.parser().value(u"api-url"_s));
    if (v.parser().isSet(u"agent"_s)) {
        const QStringList agent = QProcess::splitCommand(v.parser().value(u"agent"_s));
        if (agent.isEmpty())
            return fail(u"--agent names no command"_s);
        backendSettings.values.insert(u"agent_program"_s, agent.constFirst());
        backendSettings.values.insert(u"agent_arguments"_s, agent.mid(1));
    }
    if (v.parser().isSet(u"work-dir"_s))
        backendSettings.values.insert(u"work_directory"_s, v.parser().value(u"work-dir"_s));
    auto backend = makeBackend(v.parser().value(u"backend"_s), backendSettings, &error);
    if (!backend)
        return fail(error);
    int code = Ok;
    auto store = v.open(&code);
    if (!store)
        return code;
    LaunchQueue queue(*store, *backend);
    QueueSettings settings;
    const std::optional<int> maxConcurrent =
        v.intOption(u"max-concurrent"_s, 1, std::numeric_limits<int>::max());
    if (!maxConcurrent)
        return Fatal;
    settings.maxConcurrent = *maxConcurrent;
    queue.setSettings(settings);
    QObject::connect(&queue, &LaunchQueue::entryChanged,
                     [](const QString &id, QueueState state, const QString &reason) {
                         print(u"%1 %2 %3\n"_s.arg(id, toString(state), reason));
                     });
    QObject::connect(&queue, &LaunchQueue::storeFailed, [](const QString &e) { fail(e); });
    if (v.parser().isSet(u"once"_s))
        QObject::connect(&queue, &LaunchQueue::drained, qApp, &QCoreApplication::quit);
    if (!queue.start())
        return fail(queue.errorString());
    return QCoreApplication::exec() == 0 ? Ok : Fatal;
}

int runRepos(const QStringList &args)
{
    VerbParser v(u"repos"_s,
                 u"The known repositories launching checks eligibility against: list them, or "
                 "add local git checkouts (GitHub's repository JSON goes through ingest)."_s,
                 true);
    v.parser().addPositionalArgument(u"action"_s, u"list (default) or add-local PATH..."_s,
                                     u"[ACTION] [PATH...]"_s);
    v.parser().addOption({u"topics"_s,
                          u"add-local: the topics, comma-separated (a checkout has none)."_s,
                          u"LIST"_s});
    v.parser().addOption({u"language"_s, u"add-local: the main language."_s, u"NAME"_s});
    if (!v.parse(args, 0, -1))
        return v.usageExit();
    QStringList positional = v.parser().positionalArguments();
    const QString action = positional.isEmpty() ? u"list"_s : positional.takeFirst();
    int code = Ok;
    auto store = v.open(&code, action == u"list" ? StoreAccess::ReadOnly : StoreAccess::ReadWrite);
    if (!store)
        return code;
    if (action == u"add-local") {
        if (positional.isEmpty())
            return fail(u"repos add-local needs a PATH"_s);
        for (const QString &path : std::as_const(positional)) {
            QString error;
            auto repo = readLocalRepository(path, &error);
            if (!repo)
                return fail(error);
            repo->topics = splitList(v.parser().value(u"topics"_s));
            repo->language = v.parser().value(u"language"_s);
            if (!store->writeRepository(*repo))
                return fail(store->errorString());
            print(u"%1: %2 (default branch %3, %4 files)\n"_s
                      .arg(repo->name, repo->localPath, orDash(repo->defaultBranch))
                      .arg(repo->files.size()));
        }
        return Ok;
    }
    if (action != u"list")
        return fail(u"unknown repos action '%1' (list, add-local)"_s.arg(action));
    QJsonArray rows;
    QString out;
    for (const KnownRepository &r : store->repositories()) {
        rows.append(QJsonObject{{u"name"_s, r.name},
                                {u"archived"_s, r.archived},
                                {u"fork"_s, r.fork},
                                {u"topics"_s, QJsonArray::fromStringList(r.topics)},
                                {u"language"_s, r.language},
                                {u"default_branch"_s, r.defaultBranch},
                                {u"local_path"_s, r.localPath}});
        out += u"  %1 %2 %3%4\n"_s.arg(
            r.name.leftJustified(36), orDash(r.language).leftJustified(12), orDash(r.defaultBranch),
            r.archived ? u" (archived)"_s : QString());
    }
    if (v.json())
        printJson(rows);
    else
        print(out);
    return Ok;
}

} // namespace Tasktrail::Cli
