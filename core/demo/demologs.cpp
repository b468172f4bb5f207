#include "demologs.h"

#include <array>

namespace Tasktrail::Demo {
namespace {

// Colours as jest, eslint and webpack print them when FORCE_COLOR is set, as CI often does.
constexpr char passBadge[] = "\x1b[1m\x1b[42m\x1b[30m PASS \x1b[39m\x1b[49m\x1b[22m";
constexpr char failBadge[] = "\x1b[1m\x1b[41m\x1b[37m FAIL \x1b[39m\x1b[49m\x1b[22m";
constexpr char yellowWarning[] = "\x1b[33mwarning\x1b[39m";
constexpr char redError[] = "\x1b[31merror\x1b[39m";
constexpr char timeoutLine[] = "Terminated: the task exceeded its 60 minute limit";

struct Deprecation
{
    const char *package;
    const char *message;
};

constexpr std::array deprecations{
    Deprecation{"inflight@1.0.6", "This module is not supported, and leaks memory. Do not use "
                                  "it. Check out lru-cache if you want a good and tested way to "
                                  "coalesce async requests by a key value."},
    Deprecation{"glob@7.2.3", "Glob versions prior to v9 are no longer supported"},
    Deprecation{"rimraf@3.0.2", "Rimraf versions prior to v4 are no longer supported"},
    Deprecation{"@humanwhocodes/config-array@0.11.14", "Use @eslint/config-array instead"},
    Deprecation{"@humanwhocodes/object-schema@2.0.3", "Use @eslint/object-schema instead"},
    Deprecation{"abab@2.0.6", "Use your platform's native atob() and btoa() methods instead"},
    Deprecation{"domexception@4.0.0", "Use your platform's native DOMException instead"},
    Deprecation{"stable@0.1.8", "Modern JS already guarantees Array#sort() is a stable sort, "
                                "so this library is deprecated."},
    Deprecation{"sourcemap-codec@1.4.8", "Please use @jridgewell/sourcemap-codec instead"},
    Deprecation{"eslint@8.57.0", "This version is no longer supported. Please see "
                                 "https://eslint.org/version-support for other options."},
};

constexpr std::array lintFiles{"src/index.js",         "src/api/client.js",
                               "src/legacy/format.js", "src/components/Checkout.jsx",
                               "src/utils/dates.js",   "src/jobs/scheduler.js",
                               "src/store/session.js"};
constexpr std::array lintWarnings{
    "'response' is assigned a value but never used  no-unused-vars",
    "Unexpected console statement  no-console",
    "React Hook useEffect has a missing dependency: 'fetchTotals'. Either include it or remove "
    "the dependency array  react-hooks/exhaustive-deps",
    "Expected '===' and instead saw '=='  eqeqeq",
    "'lodash' import is restricted from being used by a pattern. Import the function instead  "
    "no-restricted-imports",
    "'options' is defined but never used  no-unused-vars",
    "Unexpected any. Specify a different type  @typescript-eslint/no-explicit-any",
    "Prefer default export on a file with single export  import/prefer-default-export",
};
constexpr std::array reactWarnings{
    "Warning: An update to CheckoutForm inside a test was not wrapped in act(...).",
    "Warning: Each child in a list should have a unique \"key\" prop.",
    "Warning: componentWillReceiveProps has been renamed, and is not recommended for use.",
    "Warning: validateDOMNesting(...): <div> cannot appear as a descendant of <p>.",
    "Warning: Failed prop type: The prop `total` is marked as required in `Summary`.",
};

// The size of a repository's dependency tree stays the same from one command to the next.
qint64 installedPackages(const Repo &repo)
{
    return 300 + repo.id % 2100;
}

void npmScriptHeader(LogWriter &log, const StepContext &c, QByteArrayView script,
                     QByteArrayView command)
{
    log.line("> ", c.repo.name, '@', c.repo.version, ' ', script);
    log.line("> ", command);
}

void npmLifecycleError(LogWriter &log, const StepContext &c, QByteArrayView script,
                       QByteArrayView command)
{
    log.line("npm error Lifecycle script `", script, "` failed with error:");
    log.line("npm error code 1");
    log.line("npm error path ", c.command.cwd);
    log.line("npm error command failed");
    log.line("npm error command sh -c ", command);
}

void timedOut(LogWriter &log, const StepContext &c)
{
    log.waitUntil(c.deadlineMs);
    log.line(timeoutLine);
}

void writeClone(LogWriter &log, const StepContext &c)
{
    Random &rng = log.rng();
    if (c.secrets & BearerToken) {
        log.line("=> Send header: GET /", c.repo.fullName,
                 ".git/info/refs?service=git-upload-pack HTTP/1.1");
        log.line("=> Send header: Host: github.com");
        log.line("=> Send header: Authorization: Bearer ghp_", rng.alnum(36));
    }
    const qint64 objects = rng.between(800, 40000);
    const qint64 deltas = objects / int(rng.between(3, 6));
    log.line("Cloning into '", c.repo.name, "'...");
    log.line("remote: Enumerating objects: ", Num{objects}, ", done.");
    log.line("remote: Counting objects: 100% (", Num{objects}, '/', Num{objects}, "), done.");
    log.line("remote: Compressing objects: 100% (", Num{objects / 2}, '/', Num{objects / 2},
             "), done.");
    log.wait(300, 4000);
    log.line("remote: Total ", Num{objects}, " (delta ", Num{deltas},
             "), reused 0 (delta 0), pack-reused 0");
    log.line("Receiving objects: 100% (", Num{objects}, '/', Num{objects}, "), ",
             Num{objects / 300 + 1}, '.', Num{rng.between(10, 99)}, " MiB | ",
             Num{rng.between(8, 60)}, '.', Num{rng.between(10, 99)}, " MiB/s, done.");
    log.line("Resolving deltas: 100% (", Num{deltas}, '/', Num{deltas}, "), done.");
}

void writeNpmCi(LogWriter &log, const StepContext &c)
{
    Random &rng = log.rng();
    const Outcome outcome = c.command.outcome;
    if (c.secrets & AwsKey) {
        log.line("npm verbose env AWS_REGION=eu-west-1");
        log.line("npm verbose env AWS_ACCESS_KEY_ID=AKIA", rng.upperAlnum(16));
        log.line("npm verbose env AWS_SECRET_ACCESS_KEY=", rng.alnum(40));
    }
    if (outcome == Outcome::NetworkFlake) {
        log.wait(20000, 60000);
        log.line("npm error code ECONNRESET");
        log.line("npm error network aborted");
        log.line("npm error network This is a problem related to network connectivity.");
        log.line("npm error network In most cases you are behind a proxy or have bad network "
                 "settings.");
        log.line("npm error A complete log of this run can be found in: "
                 "/home/runner/.npm/_logs/debug-0.log");
        return;
    }
    if (outcome == Outcome::Failure) {
        log.line("npm error code ERESOLVE");
        log.line("npm error ERESOLVE could not resolve");
        log.line("npm error While resolving: ", c.repo.name, '@', c.repo.version);
        log.line("npm error Found: react@17.0.2");
        log.line("npm error node_modules/react");
        log.line("npm error   react@\"^17.0.2\" from the root project");
        log.line("npm error Could not resolve dependency:");
        log.line("npm error peer react@\"^18.0.0\" from react-dom@18.3.1");
        log.line("npm error Fix the upstream dependency conflict, or retry");
        log.line("npm error this command with --force or --legacy-peer-deps");
        return;
    }
    const qint64 deprecated = rng.between(2, 5);
    for (qint64 i = 0; i < deprecated; ++i) {
        const Deprecation &d = rng.pick(deprecations);
        log.line("npm warn deprecated ", d.package, ": ", d.message);
    }
    log.wait(8000, 45000);
    if (outcome == Outcome::TimedOut || outcome == Outcome::Running) {
        log.line("npm http fetch GET 200 https://registry.npmjs.org/@babel%2fcore 1840ms");
        if (outcome == Outcome::TimedOut)
            timedOut(log, c);
        return;
    }
    const qint64 packages = installedPackages(c.repo);
    log.line("added ", Num{packages}, " packages, and audited ", Num{packages + 1}, " packages in ",
             Num{rng.between(6, 48)}, 's');
    log.line(Num{packages / 8}, " packages are looking for funding");
    log.line("  run `npm fund` for details");
    if (rng.chance(0.3)) {
        log.line(Num{rng.between(1, 6)}, " moderate severity vulnerabilities");
        log.line("To address all issues, run:");
        log.line("  npm audit fix");
    } else {
        log.line("found 0 vulnerabilities");
    }
    if (outcome == Outcome::Interrupted)
        log.line("^C");
}

void writeNpmInstall(LogWriter &log, const StepContext &c)
{
    Random &rng = log.rng();
    log.wait(1500, 9000);
    log.line("changed 1 package, and audited ", Num{installedPackages(c.repo) + 1}, " packages in ",
             Num{rng.between(2, 9)}, 's');
    log.line(Num{rng.between(40, 300)}, " packages are looking for funding");
    log.line("  run `npm fund` for details");
    log.line("found 0 vulnerabilities");
    (void)c;
}

void printFailure(LogWriter &log, const RunTest &t, const StepContext &c)
{
    Random &rng = log.rng();
    log.line("  \x1b[1m\x1b[31m● ", t.suite, " › ", t.name, "\x1b[39m\x1b[22m");
    if (rng.chance(0.5)) {
        const qint64 expected = rng.between(2, 9);
        log.line("    expect(received).toBe(expected) // Object.is equality");
        log.line("    Expected: \x1b[32m", Num{expected}, "\x1b[39m");
        log.line("    Received: \x1b[31m", Num{expected - 1}, "\x1b[39m");
    } else {
        log.line("    TypeError: Cannot read properties of undefined (reading 'status')");
    }
    log.line("      at Object.<anonymous> (", t.file, ':', Num{rng.between(12, 220)}, ':',
             Num{rng.between(5, 40)}, ')');
    (void)c;
}

void writePrivateKeyFixture(LogWriter &log)
{
    Random &rng = log.rng();
    log.line("  console.log");
    log.line("    loaded deploy key fixture test/fixtures/deploy_key:");
    log.line("    -----BEGIN RSA PRIVATE KEY-----");
    log.line("    MIIEpAIBAAKCAQEA", rng.alnum(48));
    for (int i = 0; i < 4; ++i)
        log.line("    ", rng.alnum(64));
    log.line("    -----END RSA PRIVATE KEY-----");
}

// jest output for `tests` (grouped by file, in order); `command` names the runner line.
void writeJest(LogWriter &log, const StepContext &c, QByteArrayView command)
{
    Random &rng = log.rng();
    const Outcome outcome = c.command.outcome;
    const bool wholeSuite = c.command.step == Step::NpmTest;
    if (wholeSuite)
        npmScriptHeader(log, c, "test", command);
    if (c.secrets & PrivateKey)
        writePrivateKeyFixture(log);
    int suites = 0, failedSuites = 0, passed = 0, failed = 0, skipped = 0;
    for (qsizetype i = 0; i < c.tests.size();) {
        qsizetype end = i;
        bool suiteFailed = false;
        while (end < c.tests.size() && c.tests[end].file == c.tests[i].file) {
            suiteFailed = suiteFailed || c.tests[end].outcome == "failed";
            ++end;
        }
        if ((outcome == Outcome::TimedOut || outcome == Outcome::Running) && end == c.tests.size())
            break; // the last suite never finishes
        log.wait(400, 6000);
        log.line(suiteFailed ? failBadge : passBadge, ' ', c.tests[i].file, " (",
                 Num{rng.between(1, 9)}, '.', Num{rng.between(100, 999)}, " s)");
        if (rng.chance(0.55)) {
            log.line("  console.warn");
            log.line("    ", rng.pick(reactWarnings));
            log.line("      at ", c.tests[i].suite, " (", c.tests[i].file, ':',
                     Num{rng.between(5, 90)}, ":", Num{rng.between(3, 30)}, ')');
        }
        for (qsizetype k = i; k < end; ++k) {
            const QByteArray &o = c.tests[k].outcome;
            if (o == "failed") {
                printFailure(log, c.tests[k], c);
                ++failed;
            } else {
                ++(o == "skipped" ? skipped : passed);
            }
        }
        ++suites;
        failedSuites += suiteFailed ? 1 : 0;
        i = end;
    }
    if (outcome == Outcome::TimedOut) {
        log.line("Jest did not exit one second after the test run has completed.");
        timedOut(log, c);
        return;
    }
    if (outcome == Outcome::Running)
        return;
    if (outcome == Outcome::Interrupted) {
        log.line("^C");
        return;
    }
    const int total = passed + failed + skipped;
    if (failedSuites)
        log.line("Test Suites: \x1b[1m\x1b[31m", Num{failedSuites}, " failed\x1b[39m\x1b[22m, ",
                 "\x1b[1m\x1b[32m", Num{suites - failedSuites}, " passed\x1b[39m\x1b[22m, ",
                 Num{suites}, " total");
    else
        log.line("Test Suites: \x1b[1m\x1b[32m", Num{suites}, " passed\x1b[39m\x1b[22m, ",
                 Num{suites}, " total");
    QByteArray counts;
    if (failed)
        counts += "\x1b[1m\x1b[31m" + QByteArray::number(failed) + " failed\x1b[39m\x1b[22m, ";
    if (skipped)
        counts += "\x1b[1m\x1b[33m" + QByteArray::number(skipped) + " skipped\x1b[39m\x1b[22m, ";
    log.line("Tests:       ", counts, "\x1b[1m\x1b[32m", Num{passed}, " passed\x1b[39m\x1b[22m, ",
             Num{total}, " total");
    log.line("Snapshots:   0 total");
    const qint64 elapsed = log.clock() - c.command.startMs;
    log.line("Time:        ", Num{elapsed / 1000}, '.', Num{elapsed / 100 % 10},
             Num{elapsed / 10 % 10}, Num{elapsed % 10}, " s");
    log.line("Ran all test suites", wholeSuite ? "." : " matching the pattern.");
    if (failed && wholeSuite)
        npmLifecycleError(log, c, "test", command);
}

void writeLint(LogWriter &log, const StepContext &c)
{
    Random &rng = log.rng();
    const bool fails = c.command.outcome == Outcome::Failure;
    npmScriptHeader(log, c, "lint", "eslint .");
    log.wait(2000, 12000);
    const qint64 files = rng.between(1, 3);
    qint64 warnings = 0;
    qint64 errors = 0;
    const qsizetype first = qsizetype(rng.between(0, qint64(lintFiles.size()) - 1));
    for (qint64 f = 0; f < files; ++f) {
        log.line(c.command.cwd, '/', lintFiles[std::size_t(first + f) % lintFiles.size()]);
        const qint64 count = rng.between(4, 8);
        qint64 lineNo = 0;
        for (qint64 k = 0; k < count; ++k) {
            lineNo += rng.between(2, 40); // eslint reports in line order
            log.line("  ", Num{lineNo}, ':', Num{rng.between(1, 40)}, "  ", yellowWarning, "  ",
                     rng.pick(lintWarnings));
            ++warnings;
        }
        if (fails && f == 0) {
            log.line("  ", Num{rng.between(3, 240)}, ':', Num{rng.between(1, 40)}, "  ", redError,
                     "  'fetchTotals' is not defined  no-undef");
            ++errors;
        }
    }
    if (c.command.outcome == Outcome::Running)
        return;
    log.line("\x1b[33m\x1b[1m✖ ", Num{warnings + errors}, " problems (", Num{errors}, " errors, ",
             Num{warnings}, " warnings)\x1b[22m\x1b[39m");
    if (fails)
        npmLifecycleError(log, c, "lint", "eslint .");
}

void writeBuild(LogWriter &log, const StepContext &c)
{
    Random &rng = log.rng();
    npmScriptHeader(log, c, "build", "webpack --mode production");
    log.wait(5000, 40000);
    log.line("asset main.", rng.hex(20), ".js ", Num{rng.between(180, 900)},
             " KiB [emitted] [immutable] [minimized] (name: main)");
    log.line("asset vendors.", rng.hex(20), ".js ", Num{rng.between(300, 1400)},
             " KiB [emitted] [immutable] [minimized] (id hint: vendors)");
    log.line("runtime modules ", Num{rng.between(2, 9)}, '.', Num{rng.between(1, 9)},
             " KiB 12 modules");
    if (c.command.outcome == Outcome::Failure) {
        log.line("ERROR in ./src/index.js 3:0-38");
        log.line("Module not found: Error: Can't resolve './legacy/format' in '", c.command.cwd,
                 "/src'");
        log.line("webpack 5.91.0 compiled with 1 error in ", Num{rng.between(3000, 40000)}, " ms");
        npmLifecycleError(log, c, "build", "webpack --mode production");
        return;
    }
    const qint64 warnings = rng.between(0, 3);
    if (warnings > 0) {
        log.line("WARNING in [eslint]");
        log.line(c.command.cwd, "/src/legacy/format.js");
        for (qint64 i = 0; i < warnings; ++i)
            log.line("  ", Num{rng.between(3, 240)}, ':', Num{rng.between(1, 40)}, "  warning  ",
                     rng.pick(lintWarnings));
        log.line("webpack 5.91.0 compiled with 1 warning in ", Num{rng.between(3000, 40000)},
                 " ms");
    } else {
        log.line("webpack 5.91.0 compiled successfully in ", Num{rng.between(3000, 40000)}, " ms");
    }
}

void writeCommit(LogWriter &log, const StepContext &c)
{
    Random &rng = log.rng();
    int additions = 0, deletions = 0;
    for (const RunFile &f : c.run.files) {
        additions += f.additions;
        deletions += f.deletions;
        if (f.path.endsWith(".json") && rng.chance(0.4))
            log.line("warning: in the working copy of '", f.path,
                     "', LF will be replaced by CRLF the next time Git touches it");
    }
    log.line('[', c.run.headRef, ' ', c.run.headSha.left(7), "] ", c.plan.work.title);
    log.line(' ', Num{c.run.files.size()}, c.run.files.size() == 1 ? " file" : " files",
             " changed, ", Num{additions}, " insertions(+), ", Num{deletions}, " deletions(-)");
    for (const RunFile &f : c.run.files) {
        if (f.change == "added")
            log.line(" create mode 100644 ", f.path);
    }
}

void writePush(LogWriter &log, const StepContext &c)
{
    const QByteArray &branch = c.run.headRef;
    const QByteArray url = "https://github.com/" + c.repo.fullName + ".git";
    log.wait(500, 4000);
    if (c.command.outcome == Outcome::TimedOut) {
        log.line("Enumerating objects: 7, done.");
        log.line("Counting objects: 100% (7/7), done.");
        log.line("Writing objects:  42% (3/7)");
        return;
    }
    if (c.command.outcome == Outcome::Failure) {
        if (log.rng().chance(0.5)) {
            log.line("remote: error: GH006: Protected branch update failed for refs/heads/", branch,
                     '.');
            log.line("remote: error: Changes must be made through a pull request.");
            log.line("To ", url);
            log.line(" ! [remote rejected] HEAD -> ", branch, " (protected branch hook declined)");
            log.line("error: failed to push some refs to '", url, '\'');
        } else {
            const Identity &who = c.world.identities[c.plan.identity];
            log.line("remote: Permission to ", c.repo.fullName, ".git denied to ", who.principal,
                     '.');
            log.line("fatal: unable to access '", url, "/': The requested URL returned error: 403");
        }
        return;
    }
    log.line("remote: Create a pull request for '", branch, "' on GitHub by visiting:");
    log.line("remote:      https://github.com/", c.repo.fullName, "/pull/new/", branch);
    log.line("To ", url);
    log.line(" * [new branch]      HEAD -> ", branch);
    log.line("branch '", branch, "' set up to track 'origin/", branch, "'.");
}

void writeMarkdownlint(LogWriter &log, const StepContext &c)
{
    log.line("markdownlint-cli2 v0.13.0 (markdownlint v0.34.0)");
    log.line("Finding: README.md");
    log.line("Linting: 1 file(s)");
    if (c.command.outcome == Outcome::Failure) {
        log.line("Summary: 3 error(s)");
        log.line("README.md:12 MD013/line-length Line length [Expected: 80; Actual: 132]");
        log.line("README.md:31 MD040/fenced-code-language Fenced code blocks should have a "
                 "language specified [Context: \"```\"]");
        log.line(
            "README.md:47 MD034/no-bare-urls Bare URL used [Context: \"https://ci.acme.example\"]");
    } else {
        log.line("Summary: 0 error(s)");
    }
}

void writeSmallStep(LogWriter &log, const StepContext &c)
{
    Random &rng = log.rng();
    switch (c.command.step) {
    case Step::Checkout:
        log.line("Switched to a new branch '", c.run.headRef, "'");
        break;
    case Step::GrepWorkflows: {
        const qint64 hits = rng.between(1, 4);
        for (qint64 i = 0; i < hits; ++i)
            log.line(".github/workflows/", i == 0 ? "ci.yml" : "release.yml", ':',
                     Num{rng.between(10, 60)}, ":      - uses: ", c.plan.work.subject, '@',
                     c.plan.work.from);
        break;
    }
    case Step::Shortlog:
        for (int i = 0; i < 3; ++i) {
            const Human &h = c.world.humans[rng.pick(c.world.teams[c.repo.team].members)];
            log.line("   ", Num{rng.between(4, 180)}, '\t', h.login, " <", h.login,
                     "@acme.example>");
        }
        break;
    case Step::NpmVersion:
        log.line('v', c.plan.work.to);
        break;
    case Step::Changelog:
        log.line("npm warn exec The following package was not found and will be installed: "
                 "conventional-changelog-cli@5.0.0");
        break;
    case Step::PasteUpload:
        log.line("https://paste.example.net/p/", rng.alnum(8));
        break;
    case Step::GhPrCreate:
        log.line("Creating pull request for ", c.run.headRef, " into main in ", c.repo.fullName);
        log.line("https://github.com/", c.repo.fullName, "/pull/", Num{c.pullNumber});
        break;
    default:
        break;
    }
}

} // namespace

void LogWriter::startSection(QByteArrayView taskId, int seq, qint64 startMs)
{
    m_out.append("##[tasktrail] task=");
    m_out.append(taskId);
    m_out.append(" command=");
    appendNumber(m_out, seq);
    m_out.append('\n');
    ++m_headers;
    m_clock = startMs;
}

void writeStepLog(LogWriter &log, const StepContext &c)
{
    switch (c.command.step) {
    case Step::Clone:
        writeClone(log, c);
        break;
    case Step::NpmCi:
        writeNpmCi(log, c);
        break;
    case Step::NpmInstall:
        writeNpmInstall(log, c);
        break;
    case Step::JestFile:
        writeJest(log, c, "jest");
        break;
    case Step::NpmTest:
        writeJest(log, c, "jest --ci");
        break;
    case Step::NpmLint:
        writeLint(log, c);
        break;
    case Step::NpmBuild:
        writeBuild(log, c);
        break;
    case Step::GitCommit:
        writeCommit(log, c);
        break;
    case Step::GitPush:
        writePush(log, c);
        break;
    case Step::Markdownlint:
        writeMarkdownlint(log, c);
        break;
    default:
        writeSmallStep(log, c);
        break;
    }
    if (c.command.outcome == Outcome::Interrupted && c.command.step != Step::NpmCi &&
        c.command.step != Step::NpmTest)
        log.line("^C");
    if (c.command.outcome == Outcome::TimedOut && c.command.step != Step::NpmCi &&
        c.command.step != Step::NpmTest && c.command.step != Step::JestFile)
        timedOut(log, c);
}

} // namespace Tasktrail::Demo
