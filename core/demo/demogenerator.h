#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace Tasktrail {

struct DemoOptions
{
    QString outDir;
    double scale = 1.0; // 1 is about 1,000 tasks and 50,000 log lines
    quint64 seed = 20261124;
};

// What a run of the generator wrote, for messages and for checking the files.
struct DemoSummary
{
    qint64 tasks = 0;
    qint64 campaigns = 0;
    qint64 skippedRepos = 0;
    qint64 commands = 0;
    qint64 logLines = 0; // output lines, without the ##[tasktrail] section headers
    qint64 pullRequests = 0;
    qint64 files = 0;
    QString showcaseCampaignId; // the first campaign: 50 repositories, 3 skipped
    QString showcaseTaskId;     // a task of it whose pull request merged
    QStringList showcaseSkippedRepos;
    qint64 auditEvents = 0;
    QString auditStrayTaskId; // a run whose identity called a repository outside its own
    QString auditStrayRepo;   // that repository
    qint64 policyFiles = 0;   // template and policy files under policies/
    // The runs the demo plants a policy violation in, one each; empty when the scale leaves
    // no ad-hoc run old enough. Checking the ingested output flags each of them.
    QString pasteUploadTaskId;  // uploads its test output to paste.example.net
    QString frozenRunTaskId;    // launched in a repository during its release freeze
    QString failingPushTaskId;  // pushes and opens its pull request while a unit test fails
    QString selfApprovedTaskId; // its requester approved and merged the pull request
};

// Writes coherent demo data in the formats Tasktrail ingests, deterministic for a seed (no
// wall clock; the same options give byte-identical files):
//   records/*.jsonl         Tasktrail records: catalog (identities, policies, templates),
//                           requests, campaigns with per-repository decisions, tasks
//   github/agent-tasks-*.json  Copilot agent tasks ({"tasks": [...]}, with sessions)
//   github/pulls-*.json, reviews-*.json, check-runs-*.json   GitHub REST answers
//   logs/commands-*.log     command logs, `##[tasktrail] task=ID command=N` sections
//   audit/audit-log-*.ndjson   GitHub audit-log events as streamed: the identities' git and
//                           API calls during runs, people's reviews and merges, and a few
//                           calls outside any run or outside the task's repository
//   policies/templates/*.toml, policies/policies/*.toml   the template and policy versions
//                           the runs name (resources/policies, byte for byte)
// Files are bounded (2,000 tasks or 200,000 log lines) and written as a stream. Files from an
// earlier run with these names are replaced; nothing else in outDir is touched.
class DemoGenerator final
{
public:
    using ProgressCallback = std::function<void(qint64 done, qint64 total)>;

    // Called with tasks written so far, about every 0.5%; from the generating thread.
    void setProgressCallback(ProgressCallback callback) { m_progress = std::move(callback); }

    bool generate(const DemoOptions &options, QString *error);
    DemoSummary summary() const { return m_summary; }

private:
    ProgressCallback m_progress;
    DemoSummary m_summary;
};

} // namespace Tasktrail
