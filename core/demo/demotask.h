#pragma once

#include "demoworld.h"

#include <QByteArray>
#include <QList>

#include <optional>
#include <vector>

// One simulated agent run: the commands it ran with their output, the tests, files, hosts and
// failures it left behind, and the pull request that came of it.
namespace Tasktrail::Demo {

enum class Step
{
    Clone,
    Checkout,
    NpmCi,
    NpmInstall,
    NpmPkgSet,
    GrepWorkflows,
    Shortlog,
    JestFile,
    NpmTest,
    NpmLint,
    NpmBuild,
    NpmVersion,
    Changelog,
    Markdownlint,
    PasteUpload,
    GitCommit,
    GitPush,
    GhPrCreate,
};

enum class Outcome
{
    Success,
    Failure,         // ends the run
    ExpectedFailure, // reproducing a bug: exits 1, the run goes on
    NetworkFlake,    // exits 1, retried in a new session
    TimedOut,        // killed at the task's time limit
    Interrupted,     // cancelled
    Running,         // still going (task in progress)
};

// Secrets some logs leak, to show redaction: bit flags.
enum SecretKind
{
    BearerToken = 1,
    AwsKey = 2,
    PrivateKey = 4
};

struct RunCommand
{
    int seq = 0;
    Step step = Step::Clone;
    Outcome outcome = Outcome::Success;
    QList<QByteArray> argv;
    QByteArray cwd;
    qint64 startMs = 0;
    qint64 endMs = 0; // 0 while running
    std::optional<int> exitCode;
};

struct RunTest
{
    QByteArray file;
    QByteArray suite;
    QByteArray name;
    QByteArray outcome; // passed, failed, skipped
    int commandSeq = 0;
    qint64 durationMs = 0;
};

struct RunFile
{
    QByteArray path;
    QByteArray change;
    int additions = 0;
    int deletions = 0;
};

struct RunContact
{
    QByteArray host;
    QByteArray tool;
    QByteArray purpose;
    qint64 atMs = 0;
};

struct RunFailure
{
    int seq = 0;
    QByteArray kind;
    QByteArray message;
    bool retried = false;
    qint64 atMs = 0;
};

struct RunSession
{
    QByteArray id;
    int attempt = 1;
    QByteArray state;
    QByteArray error;
    qint64 startMs = 0;
    qint64 endMs = 0;
};

struct PullRequestPlan
{
    int number = 0;
    qint64 githubId = 0;
    QByteArray state; // open, closed
    bool draft = false;
    QByteArray author;
    QByteArray team; // requested team slug
    QList<QByteArray> reviewers;
    QList<QByteArray> labels;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    qint64 closedMs = 0;
    qint64 mergedMs = 0;
    QByteArray mergedBy;
    QByteArray mergeCommitSha;
    QByteArray mergeableState;
    struct Review
    {
        qint64 id = 0;
        QByteArray user;
        QByteArray state;
        qint64 atMs = 0;
    };
    QList<Review> reviews;
    struct Check
    {
        qint64 id = 0;
        QByteArray name;
        QByteArray status;
        QByteArray conclusion;
        qint64 startMs = 0;
        qint64 endMs = 0;
    };
    QList<Check> checks;
    qint64 checkSuiteId = 0;
};

struct TaskRun
{
    QByteArray state;
    QByteArray stateReason;
    QByteArray prompt;
    QByteArray headRef;
    QByteArray headSha;
    QByteArray model;
    QByteArray cwd;
    qint64 startedMs = 0;
    qint64 completedMs = 0;
    qint64 updatedMs = 0;
    std::optional<double> confidence;
    QList<QByteArray> knownGaps;
    int retries = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    QList<RunSession> sessions;
    QList<RunCommand> commands;
    QList<RunTest> tests;
    QList<RunFile> files;
    QList<RunContact> contacts;
    QList<RunFailure> failures;
    std::optional<PullRequestPlan> pull;
    int secrets = 0; // SecretKind bits that made it into the log

    QByteArray log;      // command log sections, ready to append to a log file
    qint64 logLines = 0; // output lines, without section headers
    qint64 logWeight = 0;
};

// Numbering that runs across tasks: pull request numbers per repository and GitHub ids.
struct GitHubCounters
{
    std::vector<int> nextPullNumber; // per repository
    qint64 pullId = 1900000000;
    qint64 reviewId = 2100000000;
    qint64 checkRunId = 24000000000;
    qint64 checkSuiteId = 26000000000;
};

// Plans the pull request a completed task opened; `number` is the one its log already shows.
PullRequestPlan planPullRequest(const World &world, const TaskPlan &plan, const TaskRun &run,
                                int number, GitHubCounters &counters, Random &rng);

// Simulates one planned task into *run (which is reset). `wantedSecrets` asks for leaked
// secrets in its log; run->secrets says which appeared.
void simulateTask(const World &world, const TaskPlan &plan, int wantedSecrets,
                  GitHubCounters &counters, TaskRun *run);

} // namespace Tasktrail::Demo
