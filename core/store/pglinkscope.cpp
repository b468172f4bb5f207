// Pull-request linking for what one ingest run wrote (IngestWriter::linkPullRequests(scope)):
// PgStore::linkPullRequests()' statements, each limited to the run's candidates, as
// SqliteStore does (sqlitelinkscope.cpp).
#include "pgevidence.h"
#include "pgstore.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Tasktrail {
namespace {

// $1: the run's task ids, $2: its pull requests as [repo, number]. `cand` is the tasks to
// link: the run's own and the tasks of earlier runs that name no PR yet (a seek of task_sort_pr)
// and match a pull request of the run.
#define TASKTRAIL_LINK_CANDIDATES                                                                  \
    "WITH pr AS (SELECT p.repo, p.number, p.github_id, p.head_ref, p.head_sha "                    \
    "FROM json_array_elements($2::json) j JOIN pull_request p ON p.repo = j.value ->> 0 "          \
    "AND p.number = (j.value ->> 1)::bigint), "                                                    \
    "cand AS (SELECT json_array_elements_text($1::json) AS id UNION SELECT t.id FROM task t "      \
    "JOIN pr p ON p.repo = t.repo WHERE coalesce(t.pr_number, -1) = -1 AND "                       \
    "(p.head_ref = t.head_ref OR p.head_sha = t.head_sha OR p.github_id = t.pr_artifact_id OR "    \
    "p.number = t.pr_artifact_id)) "

template<typename Second> QString jsonPairs(const QList<std::pair<QString, Second>> &pairs)
{
    QJsonArray array;
    for (const auto &[first, second] : pairs)
        array.append(QJsonArray{first, second});
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

} // namespace

bool PgStore::linkPullRequests(const PullRequestLinkScope &scope)
{
    if (scope.taskIds.isEmpty() && scope.pullRequests.isEmpty() && scope.checkHeads.isEmpty())
        return true;
    static const char *const byArtifact = TASKTRAIL_LINK_CANDIDATES
        "UPDATE task SET pr_number = coalesce((SELECT p.number FROM pull_request p WHERE "
        "p.repo = task.repo AND p.github_id = task.pr_artifact_id LIMIT 1), (SELECT p.number "
        "FROM pull_request p WHERE p.repo = task.repo AND p.number = task.pr_artifact_id)) "
        "WHERE id IN (SELECT id FROM cand) AND pr_number IS NULL "
        "AND pr_artifact_id IS NOT NULL AND EXISTS (SELECT 1 FROM "
        "pull_request p WHERE p.repo = task.repo AND (p.github_id = task.pr_artifact_id OR "
        "p.number = task.pr_artifact_id)) RETURNING id, pr_number";
    static const char *const byRef = TASKTRAIL_LINK_CANDIDATES
        "UPDATE task SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
        "task.repo AND p.head_ref = task.head_ref ORDER BY p.number DESC LIMIT 1) "
        "WHERE id IN (SELECT id FROM cand) AND pr_number IS NULL "
        "AND head_ref IS NOT NULL AND EXISTS (SELECT 1 FROM "
        "pull_request p WHERE p.repo = task.repo AND p.head_ref = task.head_ref) "
        "RETURNING id, pr_number";
    static const char *const bySha = TASKTRAIL_LINK_CANDIDATES
        "UPDATE task SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
        "task.repo AND p.head_sha = task.head_sha ORDER BY p.number DESC LIMIT 1) "
        "WHERE id IN (SELECT id FROM cand) AND pr_number IS NULL "
        "AND head_sha IS NOT NULL AND EXISTS (SELECT 1 FROM "
        "pull_request p WHERE p.repo = task.repo AND p.head_sha = task.head_sha) "
        "RETURNING id, pr_number";
    // $1: the heads of the run's check runs as [repo, head sha], $2: its pull requests.
    static const char *const checks =
        "WITH pr AS (SELECT p.repo, p.head_sha FROM json_array_elements($2::json) j "
        "JOIN pull_request p ON p.repo = j.value ->> 0 AND p.number = (j.value ->> 1)::bigint), "
        "head AS (SELECT j.value ->> 0 AS repo, j.value ->> 1 AS head_sha "
        "FROM json_array_elements($1::json) j UNION SELECT repo, head_sha FROM pr) "
        "UPDATE check_run SET pr_number = (SELECT p.number FROM pull_request p WHERE p.repo = "
        "check_run.repo AND p.head_sha = check_run.head_sha ORDER BY p.number DESC LIMIT 1) "
        "WHERE (repo, head_sha) IN (SELECT repo, head_sha FROM head) "
        "AND pr_number IS NULL AND EXISTS (SELECT 1 FROM pull_request p WHERE "
        "p.repo = check_run.repo AND p.head_sha = check_run.head_sha) "
        "RETURNING CAST(id AS TEXT), pr_number";
    const QString taskIds = QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(scope.taskIds)).toJson(QJsonDocument::Compact));
    const QString pullRequests = jsonPairs(scope.pullRequests);
    const QString checkHeads = jsonPairs(scope.checkHeads);
    // Every row a link changed is a touched record of the evidence chain.
    // What the entry says is the rule that linked the row, the same whether every task or only
    // a run's were looked at.
    const auto link = [this](const char *sql, const PgParams &params, const char *kind,
                             const char *rule) {
        const PgResult r = run(sql, params);
        for (int i = 0; r.ok() && i < r.rows(); ++i)
            m_evidence->touch(kind, r.text(i, 0),
                              Evidence::linkContent(rule, r.utf8(i, 0), r.utf8(i, 1)));
        return r.ok();
    };
    const PgParams forTasks = PgParams().add(taskIds).add(pullRequests);
    return link(byArtifact, forTasks, "task", "pr_artifact_id") &&
           link(byRef, forTasks, "task", "head_ref") && link(bySha, forTasks, "task", "head_sha") &&
           link(checks, PgParams().add(checkHeads).add(pullRequests), "check_run", "head_sha");
}

} // namespace Tasktrail
