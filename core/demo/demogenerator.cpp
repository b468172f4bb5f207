#include "demogenerator.h"

#include "demoaudit.h"
#include "demooutput.h"
#include "demopolicies.h"
#include "demotask.h"
#include "demoworld.h"
#include "demowriters.h"

#include <QDir>
#include <QRegularExpression>

#include <memory>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

using namespace Demo;

constexpr qint64 tasksPerFile = 2000;
constexpr qint64 campaignsPerFile = 500;
constexpr qint64 itemsPerFile = 5000; // reviews and check runs, several per pull request
constexpr qint64 logLinesPerFile = 200000;
constexpr qint64 auditEventsPerFile = 50000;
constexpr double maxScale = 100000;

// The generator's own file names, so a rerun replaces them and leaves other files alone.
const QRegularExpression &generatedName()
{
    static const QRegularExpression pattern(
        u"^(catalog|requests|campaigns|tasks|agent-tasks|pulls|reviews|check-runs|commands|"
        "audit-log)-\\d{4,}\\.(jsonl|json|log|ndjson)$"_s);
    return pattern;
}

bool removeEarlierOutput(const QDir &root, QString *error)
{
    for (const QString &sub : {u"records"_s, u"github"_s, u"logs"_s, u"audit"_s}) {
        if (!root.mkpath(sub)) {
            *error = u"cannot create %1"_s.arg(root.filePath(sub));
            return false;
        }
        QDir dir(root.filePath(sub));
        const QStringList names = dir.entryList(QDir::Files);
        for (const QString &name : names) {
            if (generatedName().match(name).hasMatch() && !dir.remove(name)) {
                *error = u"cannot replace %1"_s.arg(dir.filePath(name));
                return false;
            }
        }
    }
    return true;
}

// All output streams of one run.
struct Outputs
{
    explicit Outputs(const QDir &root)
        : catalog(root.filePath(u"records"_s), u"catalog"_s, u".jsonl"_s, ChunkedFiles::jsonLines(),
                  tasksPerFile)
        , requests(root.filePath(u"records"_s), u"requests"_s, u".jsonl"_s,
                   ChunkedFiles::jsonLines(), tasksPerFile)
        , campaigns(root.filePath(u"records"_s), u"campaigns"_s, u".jsonl"_s,
                    ChunkedFiles::jsonLines(), campaignsPerFile)
        , tasks(root.filePath(u"records"_s), u"tasks"_s, u".jsonl"_s, ChunkedFiles::jsonLines(),
                tasksPerFile)
        , agentTasks(root.filePath(u"github"_s), u"agent-tasks"_s, u".json"_s,
                     ChunkedFiles::jsonListWrapper("tasks"), tasksPerFile)
        , pulls(root.filePath(u"github"_s), u"pulls"_s, u".json"_s, ChunkedFiles::jsonArray(),
                tasksPerFile)
        , reviews(root.filePath(u"github"_s), u"reviews"_s, u".json"_s, ChunkedFiles::jsonArray(),
                  itemsPerFile)
        , checkRuns(root.filePath(u"github"_s), u"check-runs"_s, u".json"_s,
                    ChunkedFiles::checkRunList(), itemsPerFile)
        , logs(root.filePath(u"logs"_s), u"commands"_s, u".log"_s, ChunkedFiles::plainText(),
               logLinesPerFile)
        , audit(root.filePath(u"audit"_s), u"audit-log"_s, u".ndjson"_s, ChunkedFiles::jsonLines(),
                auditEventsPerFile)
    {}

    QList<ChunkedFiles *> all()
    {
        return {&catalog, &requests, &campaigns, &tasks, &agentTasks,
                &pulls,   &reviews,  &checkRuns, &logs,  &audit};
    }

    ChunkedFiles catalog, requests, campaigns, tasks, agentTasks, pulls, reviews, checkRuns, logs,
        audit;
};

// Appends one JSON value as an item of `files`, followed by a newline for JSONL.
template<typename Write> void item(ChunkedFiles &files, bool jsonLines, Write write)
{
    QByteArray &out = files.beginItem();
    JsonWriter json(out);
    write(json);
    if (jsonLines)
        out.append('\n');
    files.endItem();
}

void notePlanted(const TaskPlan &plan, DemoSummary *summary)
{
    QString *id = nullptr;
    switch (plan.anomaly) {
    case Anomaly::None:
        return;
    case Anomaly::PasteUpload:
        id = &summary->pasteUploadTaskId;
        break;
    case Anomaly::LaunchedInFreeze:
        id = &summary->frozenRunTaskId;
        break;
    case Anomaly::PushedFailingTests:
        id = &summary->failingPushTaskId;
        break;
    case Anomaly::SelfApproval:
        id = &summary->selfApprovedTaskId;
        break;
    }
    *id = QString::fromLatin1(plan.id);
}

void writeCatalog(const World &world, Outputs &out)
{
    for (const Identity &i : world.identities)
        item(out.catalog, true, [&](JsonWriter &json) { writeIdentity(json, i); });
    for (const Policy &p : world.policies)
        item(out.catalog, true, [&](JsonWriter &json) { writePolicy(json, p); });
    for (const Template &t : world.templates)
        item(out.catalog, true, [&](JsonWriter &json) { writeTemplate(json, t); });
    for (const Campaign &c : world.campaigns) {
        item(out.requests, true, [&](JsonWriter &json) { writeCampaignRequest(json, world, c); });
        item(out.campaigns, true, [&](JsonWriter &json) { writeCampaign(json, world, c); });
    }
}

} // namespace

bool DemoGenerator::generate(const DemoOptions &options, QString *error)
{
    m_summary = DemoSummary();
    QString problem;
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (options.outDir.isEmpty())
        return fail(u"no output directory given"_s);
    if (!(options.scale > 0) || options.scale > maxScale)
        return fail(u"scale must be above 0 and at most %1"_s.arg(maxScale));
    const QDir root(options.outDir);
    if (!root.mkpath(u"."_s))
        return fail(u"cannot create %1"_s.arg(options.outDir));
    if (!removeEarlierOutput(root, &problem))
        return fail(problem);

    World world;
    if (!planWorld(options, &world, &problem))
        return fail(problem);

    if (!writeShippedPolicies(root, &m_summary.policyFiles, &problem))
        return fail(problem);
    const auto outputs = std::make_unique<Outputs>(root);
    Outputs &out = *outputs;
    writeCatalog(world, out);
    AuditTrail audit(world, options.seed, out.audit);
    audit.addBackground();

    GitHubCounters counters;
    counters.nextPullNumber.assign(std::size_t(world.repos.size()), 0);
    Random leaks(streamSeed(options.seed, 3));
    int secretsShown = 0;
    TaskRun run;
    const qint64 total = qint64(world.tasks.size());
    const qint64 progressStep = std::max<qint64>(1, total / 200);
    for (qint64 i = 0; i < total; ++i) {
        const TaskPlan &plan = world.tasks[std::size_t(i)];
        // Each kind of leaked secret appears at least once, then now and then.
        int wanted = ~secretsShown & (BearerToken | AwsKey | PrivateKey);
        wanted |= leaks.chance(0.004) ? BearerToken : 0;
        wanted |= leaks.chance(0.002) ? AwsKey : 0;
        wanted |= leaks.chance(0.002) ? PrivateKey : 0;
        simulateTask(world, plan, wanted, counters, &run);
        secretsShown |= run.secrets;

        if (plan.campaign < 0)
            item(out.requests, true,
                 [&](JsonWriter &json) { writeTaskRequest(json, world, plan); });
        item(out.tasks, true, [&](JsonWriter &json) { writeTask(json, world, plan, run); });
        if (run.logWeight > 0) {
            out.logs.beginItem(run.logWeight).append(run.log);
            out.logs.endItem();
        }
        if (plan.copilot)
            item(out.agentTasks, false,
                 [&](JsonWriter &json) { writeAgentTask(json, world, plan, run); });
        if (run.pull) {
            item(out.pulls, false,
                 [&](JsonWriter &json) { writePullRequest(json, world, plan, run); });
            for (const PullRequestPlan::Review &r : std::as_const(run.pull->reviews))
                item(out.reviews, false,
                     [&](JsonWriter &json) { writeReview(json, world, plan, run, r); });
            for (const PullRequestPlan::Check &c : std::as_const(run.pull->checks))
                item(out.checkRuns, false,
                     [&](JsonWriter &json) { writeCheckRun(json, world, plan, run, c); });
            ++m_summary.pullRequests;
            if (plan.campaign == 0 && run.pull->mergedMs && m_summary.showcaseTaskId.isEmpty())
                m_summary.showcaseTaskId = QString::fromLatin1(plan.id);
        }
        notePlanted(plan, &m_summary);
        audit.addTask(plan, run);
        m_summary.commands += run.commands.size();
        m_summary.logLines += run.logLines;
        if (m_progress && ((i + 1) % progressStep == 0 || i + 1 == total))
            m_progress(i + 1, total);
    }

    for (ChunkedFiles *files : out.all()) {
        if (!files->finish())
            return fail(files->errorString());
        m_summary.files += files->fileCount();
    }
    m_summary.files += m_summary.policyFiles;
    m_summary.tasks = total;
    m_summary.auditEvents = audit.events();
    m_summary.auditStrayTaskId = QString::fromLatin1(audit.strayTaskId());
    m_summary.auditStrayRepo = QString::fromUtf8(audit.strayRepo());
    m_summary.campaigns = world.campaigns.size();
    for (const Campaign &c : std::as_const(world.campaigns)) {
        for (const Decision &d : c.decisions) {
            if (d.rule.isEmpty())
                continue;
            ++m_summary.skippedRepos;
            if (&c == &world.campaigns.first())
                m_summary.showcaseSkippedRepos << QString::fromUtf8(world.repos[d.repo].fullName);
        }
    }
    m_summary.showcaseCampaignId = QString::fromLatin1(world.campaigns.first().id);
    if (m_summary.showcaseTaskId.isEmpty()) {
        for (const Decision &d : world.campaigns.first().decisions) {
            if (!d.taskId.isEmpty()) {
                m_summary.showcaseTaskId = QString::fromLatin1(d.taskId);
                break;
            }
        }
    }
    return true;
}

} // namespace Tasktrail
