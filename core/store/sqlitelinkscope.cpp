// Pull-request linking for what one ingest run wrote (IngestWriter::linkPullRequests(scope)):
// the statements of SqliteStore::linkPullRequests(), each limited to the run's candidates.
#include "sqliteevidence.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Scratch tables of one linking run: the tasks to link, the run's pull requests as stored and
// the heads whose check runs to link.
constexpr const char *scratchTables =
    "CREATE TEMP TABLE IF NOT EXISTS link_task (id TEXT PRIMARY KEY) WITHOUT ROWID;"
    "CREATE TEMP TABLE IF NOT EXISTS link_pr (repo TEXT NOT NULL, number INTEGER NOT NULL, "
    "github_id INTEGER, head_ref TEXT, head_sha TEXT, PRIMARY KEY (repo, number)) WITHOUT ROWID;"
    "CREATE TEMP TABLE IF NOT EXISTS link_head (repo TEXT NOT NULL, head_sha TEXT NOT NULL, "
    "PRIMARY KEY (repo, head_sha)) WITHOUT ROWID;"
    "DELETE FROM temp.link_task; DELETE FROM temp.link_pr; DELETE FROM temp.link_head;";

QByteArray jsonIds(const QStringList &ids)
{
    return QJsonDocument(QJsonArray::fromStringList(ids)).toJson(QJsonDocument::Compact);
}

template<typename Second> QByteArray jsonPairs(const QList<std::pair<QString, Second>> &pairs)
{
    QJsonArray array;
    for (const auto &[first, second] : pairs)
        array.append(QJsonArray{first, second});
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace

bool SqliteStore::linkPullRequests(const PullRequestLinkScope &scope)
{
    if (scope.taskIds.isEmpty() && scope.pullRequests.isEmpty() && scope.checkHeads.isEmpty())
        return true;
    if (!execScript(scratchTables))
        return fail(u"cannot prepare pull request linking"_s);
    // Bound without a copy: kept until the statements ran.
    const QByteArray taskIds = jsonIds(scope.taskIds);
    const QByteArray pullRequests = jsonPairs(scope.pullRequests);
    const QByteArray checkHeads = jsonPairs(scope.checkHeads);
    auto &tasks = statement("INSERT OR IGNORE INTO temp.link_task (id) SELECT value FROM "
                            "json_each(?1) WHERE type = 'text'");
    tasks.bindText(1, taskIds);
    auto &prs = statement(
        "INSERT OR IGNORE INTO temp.link_pr (repo, number, github_id, head_ref, head_sha) "
        "SELECT p.repo, p.number, p.github_id, p.head_ref, p.head_sha FROM json_each(?1) j "
        "CROSS JOIN pull_request p ON p.repo = j.value ->> 0 AND p.number = j.value ->> 1");
    prs.bindText(1, pullRequests);
    auto &heads = statement("INSERT OR IGNORE INTO temp.link_head (repo, head_sha) "
                            "SELECT j.value ->> 0, j.value ->> 1 FROM json_each(?1) j "
                            "WHERE j.value ->> 0 IS NOT NULL AND j.value ->> 1 IS NOT NULL "
                            "UNION SELECT repo, head_sha FROM temp.link_pr "
                            "WHERE head_sha IS NOT NULL");
    heads.bindText(1, checkHeads);
    if (!run(tasks) || !run(prs) || !run(heads))
        return false;
    // Tasks of earlier runs a pull request of this run may belong to: those that name no PR
    // yet (a seek of task_sort_pr), in the pull request's repository.
    auto &unlinked = statement(
        "INSERT OR IGNORE INTO temp.link_task (id) SELECT t.id FROM task t "
        "CROSS JOIN temp.link_pr p ON p.repo = t.repo WHERE coalesce(t.pr_number, -1) = -1 "
        "AND (p.head_ref = t.head_ref OR p.head_sha = t.head_sha OR "
        "p.github_id = t.pr_artifact_id OR p.number = t.pr_artifact_id)");
    if (!scope.pullRequests.isEmpty() && !run(unlinked))
        return false;

    // linkPullRequests()' statements, each on the candidates only.
    auto &byArtifact = statement(
        "UPDATE task SET pr_number = coalesce((SELECT p.number FROM pull_request p WHERE "
        "p.repo = task.repo AND p.github_id = task.pr_artifact_id LIMIT 1), (SELECT p.number "
        "FROM pull_request p WHERE p.repo = task.repo AND p.number = task.pr_artifact_id)) "
        "WHERE id IN (SELECT id FROM temp.link_task) AND pr_number IS NULL "
        "AND pr_artifact_id IS NOT NULL AND (EXISTS (SELECT 1 FROM "
        "pull_request p WHERE p.repo = task.repo AND p.github_id = task.pr_artifact_id) OR "
        "EXISTS (SELECT 1 FROM pull_request p WHERE p.repo = task.repo AND "
        "p.number = task.pr_artifact_id)) RETURNING id, pr_number");
    auto &byRef =
        statement("UPDATE task SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
                  "task.repo AND p.head_ref = task.head_ref ORDER BY p.number DESC LIMIT 1) "
                  "WHERE id IN (SELECT id FROM temp.link_task) AND pr_number IS NULL "
                  "AND head_ref IS NOT NULL AND EXISTS (SELECT 1 FROM "
                  "pull_request p WHERE p.repo = task.repo AND p.head_ref = task.head_ref) "
                  "RETURNING id, pr_number");
    auto &bySha =
        statement("UPDATE task SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
                  "task.repo AND p.head_sha = task.head_sha ORDER BY p.number DESC LIMIT 1) "
                  "WHERE id IN (SELECT id FROM temp.link_task) AND pr_number IS NULL "
                  "AND head_sha IS NOT NULL AND EXISTS (SELECT 1 FROM "
                  "pull_request p WHERE p.repo = task.repo AND p.head_sha = task.head_sha) "
                  "RETURNING id, pr_number");
    auto &checks = statement(
        "UPDATE check_run SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
        "check_run.repo AND p.head_sha = check_run.head_sha ORDER BY p.number DESC LIMIT 1) "
        "WHERE (repo, head_sha) IN (SELECT repo, head_sha FROM temp.link_head) "
        "AND pr_number IS NULL AND EXISTS (SELECT 1 FROM pull_request p WHERE "
        "p.repo = check_run.repo AND p.head_sha = check_run.head_sha) "
        "RETURNING CAST(id AS TEXT), pr_number");
    return runLinking(byArtifact, "task", "pr_artifact_id") &&
           runLinking(byRef, "task", "head_ref") && runLinking(bySha, "task", "head_sha") &&
           runLinking(checks, "check_run", "head_sha");
}

} // namespace Tasktrail
