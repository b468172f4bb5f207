// The Copilot backend's last steps: the pull request a finished task names, its reviews, and
// the check runs of its head commit. None of them fails the run; a problem becomes a warning.
#include "copilotrun.h"
#include "github/githubshapes.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

void accept(const PullRequestRecord &pr, RunResult *result)
{
    result->pullRequest = pr;
    result->task.prNumber = pr.number;
    if (result->task.headSha.isEmpty())
        result->task.headSha = pr.headSha;
    if (result->task.headRef.isEmpty())
        result->task.headRef = pr.headRef;
}

} // namespace

// The artifact's data.id is documented only as a "GitHub resource ID": it may be the pull
// request's number or its database id. It is tried as a number first, and a pull request
// whose head is not the task's is not taken for it; otherwise the pull requests with the
// task's head branch are searched for the one with that id.
void CopilotBackend::fetchPullRequest(Run *run, RunResult result)
{
    const qint64 artifact = result.task.prArtifactId.value_or(0);
    m_client->get(
        run->paths.pull(artifact), run->token, run,
        [this, run, result, artifact](const GitHubResponse &r) mutable {
            if (run->done)
                return;
            const QString head = result.task.headRef;
            if (!r.ok()) {
                if (r.status == 404 && !head.isEmpty())
                    return fetchPullRequestByHead(run, result, r.error);
                result.warnings.append(u"could not read the task's pull request: "_s % r.error);
                return finish(run, result);
            }
            const GitHub::Item item{GitHub::ItemKind::PullRequest, r.json.object(), 1,
                                    run->spec.repo, 0};
            PullRequestRecord pr;
            QString error;
            if (!GitHub::toPullRequest(item, &pr, &error)) {
                result.warnings.append(u"the task's pull request is unreadable: "_s % error);
                return finish(run, result);
            }
            if (pr.githubId != artifact && !head.isEmpty() && pr.headRef != head) {
                return fetchPullRequestByHead(
                    run, result,
                    u"pull request #%1 has head %2, not %3"_s.arg(pr.number).arg(pr.headRef, head));
            }
            accept(pr, &result);
            fetchReviews(run, result);
        });
}

void CopilotBackend::fetchPullRequestByHead(Run *run, RunResult result, const QString &why)
{
    const qint64 artifact = result.task.prArtifactId.value_or(0);
    m_client->get(
        run->paths.pullsWithHead(result.task.headRef), run->token, run,
        [this, run, result, artifact, why](const GitHubResponse &r) mutable {
            if (run->done)
                return;
            if (!r.ok()) {
                result.warnings.append(u"could not read the task's pull request: "_s % r.error);
                return finish(run, result);
            }
            const QJsonArray pulls = r.json.array();
            std::optional<PullRequestRecord> found;
            for (const QJsonValue &v : pulls) {
                const GitHub::Item item{GitHub::ItemKind::PullRequest, v.toObject(), 1,
                                        run->spec.repo, 0};
                PullRequestRecord pr;
                if (GitHub::toPullRequest(item, &pr, nullptr) &&
                    (pr.githubId == artifact || pulls.size() == 1))
                    found = pr;
            }
            if (!found) {
                result.warnings.append(
                    u"no pull request matches the task's artifact %1 (%2)"_s.arg(artifact).arg(
                        why));
                return finish(run, result);
            }
            accept(*found, &result);
            fetchReviews(run, result);
        });
}

void CopilotBackend::fetchReviews(Run *run, RunResult result)
{
    const int number = result.pullRequest->number;
    m_client->getAll(run->paths.reviews(number), {}, run->token, run,
                     [this, run, result, number](const GitHubResponse &r) mutable {
                         if (run->done)
                             return;
                         if (!r.ok())
                             result.warnings.append(u"could not read the reviews: "_s % r.error);
                         for (const QJsonValue &v : r.items) {
                             const GitHub::Item item{GitHub::ItemKind::Review, v.toObject(), 1,
                                                     run->spec.repo, number};
                             ReviewRecord review;
                             QString error;
                             if (GitHub::toReview(item, &review, &error))
                                 result.reviews.append(review);
                             else
                                 result.warnings.append(u"a review is unreadable: "_s % error);
                         }
                         fetchCheckRuns(run, result);
                     });
}

void CopilotBackend::fetchCheckRuns(Run *run, RunResult result)
{
    const QString sha = result.pullRequest->headSha;
    if (sha.isEmpty())
        return finish(run, result);
    const int number = result.pullRequest->number;
    m_client->getAll(run->paths.checkRuns(sha), u"check_runs"_s, run->token, run,
                     [this, run, result, number](const GitHubResponse &r) mutable {
                         if (run->done)
                             return;
                         if (!r.ok())
                             result.warnings.append(u"could not read the check runs: "_s % r.error);
                         for (const QJsonValue &v : r.items) {
                             const GitHub::Item item{GitHub::ItemKind::CheckRun, v.toObject(), 1,
                                                     run->spec.repo, number};
                             CheckRunRecord check;
                             QString error;
                             if (GitHub::toCheckRun(item, &check, &error))
                                 result.checkRuns.append(check);
                             else
                                 result.warnings.append(u"a check run is unreadable: "_s % error);
                         }
                         finish(run, result);
                     });
}

} // namespace Tasktrail
