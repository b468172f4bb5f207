// tasktrail-cli: every query and ingest of the desktop app, headless and scriptable.
#include "adminverb.h"
#include "clioutput.h"
#include "cliverb.h"
#include "compareverb.h"
#include "copyverb.h"
#include "demo/demogenerator.h"
#include "evidenceverbs.h"
#include "findingsverbs.h"
#include "globaloptions.h"
#include "ingest/ingestor.h"
#include "launchverbs.h"
#include "overviewverb.h"
#include "policyverb.h"
#include "query/recordjson.h"
#include "records/recordvalues.h"
#include "reportverb.h"
#include "scanverb.h"
#include "store/recordstore.h"
#include "syncverb.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QLoggingCategory>

#include <functional>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Tasktrail;
using namespace Tasktrail::Cli;

namespace {

struct Verb
{
    QString name;
    QString summary;
    std::function<int(const QStringList &)> run;
};

QString humanBytes(double bytes)
{
    const char *units[] = {"B", "KB", "MB", "GB", "TB"};
    int u = 0;
    while (bytes >= 1000 && u < 4) {
        bytes /= 1000;
        ++u;
    }
    return QString::number(bytes, 'f', u ? 1 : 0) % u' ' % QLatin1String(units[u]);
}

int runDemo(const QStringList &args)
{
    VerbParser v(u"demo"_s, u"Writes seeded demo data in the importable formats."_s, false);
    v.parser().addOption({u"out"_s, u"Directory to write to."_s, u"DIR"_s});
    v.parser().addOption({u"scale"_s,
                          u"1 is about 1,000 tasks; 100 about 100k tasks and 5M "
                          "log lines."_s,
                          u"S"_s, u"1"_s});
    v.parser().addOption({u"seed"_s, u"Random seed."_s, u"N"_s, u"20261124"_s});
    if (!v.parse(args, 0, 0))
        return v.usageExit();
    DemoOptions options;
    options.outDir = v.parser().value(u"out"_s);
    if (options.outDir.isEmpty())
        return fail(u"demo needs --out DIR"_s);
    bool ok = false;
    options.scale = v.parser().value(u"scale"_s).toDouble(&ok);
    if (!ok || options.scale <= 0)
        return fail(u"--scale must be a positive number"_s);
    options.seed = v.parser().value(u"seed"_s).toULongLong(&ok);
    if (!ok)
        return fail(u"--seed must be a whole number"_s);
    DemoGenerator generator;
    QString error;
    if (!generator.generate(options, &error))
        return fail(error);
    const DemoSummary s = generator.summary();
    print(u"wrote %1 tasks, %2 campaigns (%3 repositories skipped), %4 commands, %5 log "
          "lines, %6 pull requests in %7 files under %8\n"_s.arg(s.tasks)
              .arg(s.campaigns)
              .arg(s.skippedRepos)
              .arg(s.commands)
              .arg(s.logLines)
              .arg(s.pullRequests)
              .arg(s.files)
              .arg(options.outDir));
    print(u"showcase: campaign %1, task %2\n"_s.arg(s.showcaseCampaignId, s.showcaseTaskId));
    print(u"policies: %1 template and policy files under %2; ingest checks the runs "
          "against them\n"_s.arg(s.policyFiles)
              .arg(options.outDir % u"/policies"_s));
    if (!s.auditStrayTaskId.isEmpty())
        print(u"audit log: %1 events; task %2 called %3, outside its repository\n"_s
                  .arg(s.auditEvents)
                  .arg(s.auditStrayTaskId, s.auditStrayRepo));
    return Ok;
}

int runIngest(const QStringList &args)
{
    VerbParser v(u"ingest"_s, u"Ingests files and directories (format detected per file)."_s,
                 false);
    v.parser().addPositionalArgument(
        u"paths"_s, u"Files or directories; '-' is standard input. Files may be gzip-compressed."_s,
        u"PATH..."_s);
    v.parser().addOption({u"task"_s, u"Attach header-less logs to this task."_s, u"ID"_s});
    v.parser().addOption({u"command"_s,
                          u"...and this command number (a job log's first step, a "
                          "session log's first command)."_s,
                          u"N"_s, u"1"_s});
    v.parser().addOption(
        {u"session"_s,
         u"A Copilot session log is of this session; without --task, of the task the stored "
         "session belongs to."_s,
         u"ID"_s});
    v.parser().addOption({u"batch-lines"_s, u"Log lines per transaction."_s, u"N"_s, u"50000"_s});
    v.parser().addOption({u"key-order"_s,
                          u"Write a batch of Tasktrail records in their tasks' order (SQLite): "
                          "faster for large record files; search then lists a batch's records "
                          "in that order."_s});
    v.parser().addOption({u"quiet"_s, u"No progress and no per-line issues."_s});
    int code = Ok;
    auto store = v.parseAndOpen(args, 1, -1, &code);
    if (!store)
        return code;
    IngestOptions options;
    options.taskId = v.parser().value(u"task"_s);
    const std::optional<int> command = v.intOption(u"command"_s, 1, RecordValues::maxInt);
    const std::optional<int> batchLines = v.intOption(u"batch-lines"_s, 1, RecordValues::maxInt);
    if (!command || !batchLines)
        return Fatal;
    if (v.parser().isSet(u"task"_s)) {
        if (const QString bad = RecordValues::badText(options.taskId); !bad.isEmpty())
            return fail(u"--task: "_s % bad);
        if (options.taskId.isEmpty())
            return fail(u"--task: must not be empty"_s);
    }
    options.commandSeq = *command;
    options.sessionId = v.parser().value(u"session"_s);
    if (const QString bad = RecordValues::badText(options.sessionId); !bad.isEmpty())
        return fail(u"--session: "_s % bad);
    options.logBatchLines = *batchLines;
    options.keyOrderedRecords = v.parser().isSet(u"key-order"_s);
    Ingestor ingestor(*store);
    ingestor.setOptions(options);
    const bool quiet = v.parser().isSet(u"quiet"_s);
    const bool terminal = isatty(fileno(stderr));
    QElapsedTimer clock;
    clock.start();
    if (!quiet) {
        QObject::connect(&ingestor, &Ingestor::issueFound, [terminal](const IngestIssue &i) {
            print((terminal ? u"\r\033[K"_s : QString()) % i.toString() % u'\n', stderr);
        });
    }
    if (!quiet && terminal) {
        QObject::connect(&ingestor, &Ingestor::progress, [&clock](qint64 done, qint64 total) {
            const double fraction = total > 0 ? double(done) / double(total) : 1.0;
            const double elapsed = double(clock.elapsed()) / 1000.0;
            const QString eta = fraction > 0.01
                                    ? u", ETA %1 s"_s.arg(qRound(elapsed / fraction - elapsed))
                                    : QString();
            print(u"\r\033[K[%1%] %2 of %3%4"_s.arg(fraction * 100, 5, 'f', 1)
                      .arg(humanBytes(double(done)), humanBytes(double(total)), eta),
                  stderr);
        });
    }
    const bool ok = ingestor.ingest(v.parser().positionalArguments());
    if (!quiet && terminal)
        print(u"\r\033[K"_s, stderr);
    const IngestCounts c = ingestor.counts();
    print(u"%1 ingested, %2 duplicates, %3 rejected"_s.arg(c.ingested)
              .arg(c.duplicates)
              .arg(c.rejected) %
          u" (%1 files, %2 secrets redacted, %3 warnings, %4 s)\n"_s.arg(c.files)
              .arg(c.redactions)
              .arg(c.warnings)
              .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1));
    if (!ok)
        return fail(ingestor.errorString());
    if (!checkIngestedTasks(*store, ingestor.runKeys(), ingestor.newPolicyDocuments()))
        return Fatal;
    return c.rejected > 0 ? Rejected : Ok;
}

int runShow(const QStringList &args)
{
    VerbParser v(u"show"_s,
                 u"Shows the chain of one task: request, identity, policy, "
                 "commands and pull request."_s,
                 true);
    v.parser().addPositionalArgument(u"task"_s, u"The task id."_s);
    v.addOption({u"transcript"_s, u"Print only the task's transcript, every entry whole."_s});
    int code = Ok;
    auto store = v.parseAndOpen(args, 1, 1, &code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    const QString id = v.parser().positionalArguments().constFirst();
    const auto chain = store->taskChain(id);
    if (!chain)
        return fail(u"no task '%1' in %2"_s.arg(id, store->location()));
    if (v.json())
        printJson(RecordJson::chain(*chain));
    else if (v.parser().isSet(u"transcript"_s))
        print(CliText::transcript(*chain, 0));
    else
        print(CliText::chain(*chain));
    return Ok;
}

int runSearch(const QStringList &args)
{
    VerbParser v(u"search"_s,
                 u"Full-text search over log lines and records. Every word must occur; "
                 "\"a phrase\" in double quotes (quoted for the shell: '\"npm ci\"') matches "
                 "its words adjacent and in order; a word ending in * matches every word it "
                 "starts (deprec*). Nothing else is syntax: other punctuation separates words, "
                 "so words may start with '-'; after '--' every argument is a word."_s,
                 true);
    v.parser().addPositionalArgument(u"query"_s,
                                     u"Words, \"phrases\" and prefixes* that must all occur."_s);
    v.addOption({u"limit"_s, u"At most this many hits."_s, u"N"_s, u"50"_s});
    if (!v.parseWords(args, 1))
        return v.usageExit();
    const std::optional<int> limit = v.intOption(u"limit"_s, 1, RecordValues::maxInt);
    if (!limit)
        return Fatal;
    int code = Ok;
    auto store = v.open(&code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    const auto hits = store->search(v.parser().positionalArguments().join(u' '), *limit);
    if (v.json())
        printJson(RecordJson::searchHits(hits));
    else
        print(CliText::searchHits(hits));
    return Ok;
}

int runCampaign(const QStringList &args)
{
    VerbParser v(u"campaign"_s,
                 u"Per-repository outcome of a campaign and every skip reason; "
                 "without an id, lists the campaigns."_s,
                 true);
    v.parser().addPositionalArgument(u"id"_s, u"The campaign id."_s, u"[ID]"_s);
    int code = Ok;
    auto store = v.parseAndOpen(args, 0, 1, &code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    if (v.parser().positionalArguments().isEmpty()) {
        const QStringList ids = store->campaignIds();
        if (v.json())
            printJson(QJsonArray::fromStringList(ids));
        else
            print(CliText::campaignList(ids));
        return Ok;
    }
    const QString id = v.parser().positionalArguments().constFirst();
    const auto summary = store->campaign(id);
    if (!summary)
        return fail(u"no campaign '%1' in %2"_s.arg(id, store->location()));
    if (v.json())
        printJson(RecordJson::campaign(*summary));
    else
        print(CliText::campaign(*summary));
    return Ok;
}

int runStats(const QStringList &args)
{
    VerbParser v(u"stats"_s, u"Counts of everything in the database."_s, true);
    int code = Ok;
    auto store = v.parseAndOpen(args, 0, 0, &code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    const StoreStats s = store->stats();
    if (v.json())
        printJson(RecordJson::stats(s));
    else
        print(CliText::stats(s));
    return Ok;
}

QString usage(const QList<Verb> &verbs)
{
    QString out = u"Usage: tasktrail-cli <verb> [options]\n\nVerbs:\n"_s;
    for (const Verb &v : verbs)
        out += u"  "_s % v.name.leftJustified(10) % v.summary % u'\n';
    out += u"\nEvery verb takes --db FILE, before or after the verb; tasktrail-cli <verb> --help\n"
           "tells more.\n"
           "Exit status: 0 ok, 1 some input rejected or evidence problems found, 2 usage or\n"
           "fatal error.\n"_s;
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    Tasktrail::configureStoresForProcess();
    const auto app = createApplication(argc, argv);
    // The CLI prints every issue itself: the libraries' debug lines would say each twice.
    // QT_LOGGING_RULES still turns them on.
    QLoggingCategory::setFilterRules(u"tasktrail.*.debug=false"_s);
    QCoreApplication::setApplicationName(u"tasktrail"_s);
    QCoreApplication::setOrganizationName(u"tasktrail"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(TASKTRAIL_VERSION));

    const QList<Verb> verbs{
        {u"demo"_s, u"write seeded demo data (--out DIR [--scale S])"_s, runDemo},
        {u"ingest"_s, u"ingest files and directories"_s, runIngest},
        {u"show"_s, u"the whole chain of a task"_s, runShow},
        {u"search"_s, u"full-text search over logs and records"_s, runSearch},
        {u"compare"_s, u"two runs side by side (TASK_A TASK_B [--command N])"_s, runCompare},
        {u"campaign"_s, u"a campaign's repositories and skip reasons"_s, runCampaign},
        {u"stats"_s, u"counts of everything stored"_s, runStats},
        {u"overview"_s, u"runs, pull requests, reviewer load and findings per day"_s, runOverview},
        {u"findings"_s,
         u"conformance findings (--severity, --task, --rule, --repo, --state); triage ID..."_s,
         runFindings},
        {u"check"_s, u"check runs against their template and policy again"_s, runCheck},
        {u"policy"_s, u"load, list and show template and policy files"_s, runPolicy},
        {u"verify"_s, u"check the evidence chain against the records"_s, runVerify},
        {u"attest"_s, u"an in-toto provenance statement for a task"_s, runAttest},
        {u"scan"_s, u"find and redact secrets older versions stored (--dry-run)"_s, runScan},
        {u"launch"_s, u"launch a template over repositories (dry run, then submit)"_s, runLaunch},
        {u"queue"_s, u"the launch queue: list, pause, resume, cancel, confirm"_s, runQueue},
        {u"run-queue"_s, u"run queued launches on a backend"_s, runRunQueue},
        {u"repos"_s, u"the known repositories: list, add-local"_s, runRepos},
        {u"sync"_s, u"sync github: read agent tasks, PRs, checks, logs and audit events"_s,
         runSync},
        {u"report"_s,
         u"a report over a campaign, time range or filter (pdf, html, csv, md, json)"_s, runReport},
        {u"admin"_s, u"team database on PostgreSQL: init-roles"_s, runAdmin},
        {u"copy"_s,
         u"copy an SQLite file into a team database (--from FILE --to postgresql://...)"_s,
         runCopy},
    };
    const QStringList args = app->arguments().mid(1);
    if (args.isEmpty() || args.constFirst() == u"--help" || args.constFirst() == u"-h" ||
        args.constFirst() == u"help") {
        print(usage(verbs), args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? Fatal : Ok;
    }
    if (args.constFirst() == u"--version") {
        print(u"tasktrail-cli "_s % QCoreApplication::applicationVersion() % u'\n');
        return Ok;
    }
    const VerbLine line = splitVerbLine(args);
    if (!line.error.isEmpty())
        return fail(line.error);
    if (line.verb.isEmpty()) {
        print(usage(verbs), stderr);
        return fail(u"no verb after the options"_s);
    }
    for (const Verb &v : verbs) {
        if (v.name == line.verb)
            return v.run(line.args);
    }
    print(usage(verbs), stderr);
    return fail(u"unknown verb '%1'"_s.arg(line.verb));
}
