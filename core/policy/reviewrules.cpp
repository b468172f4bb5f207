// The pull request's labels and reviewers, who approved and merged it, and release freezes.
#include "records/templatespec.h"
#include "rulecontext.h"
#include "text/glob.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tasktrail::Rules {
namespace {

// GitHub logins, team slugs and label names compare without case.
bool sameName(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool containsName(const QStringList &names, const QString &name)
{
    return std::any_of(names.cbegin(), names.cend(),
                       [&name](const QString &n) { return sameName(n, name); });
}

// A required reviewer is met by a review request, a team request (GitHub gives the team's
// slug, a template may write "org/slug") or an actual review.
bool hasReviewer(const TaskChain &chain, const QString &reviewer)
{
    const PullRequestRecord &pr = *chain.pullRequest;
    if (containsName(pr.requestedReviewers, reviewer) || containsName(pr.requestedTeams, reviewer))
        return true;
    const QString slug = reviewer.section(u'/', -1);
    if (reviewer.contains(u'/') && containsName(pr.requestedTeams, slug))
        return true;
    return std::any_of(
        chain.reviews.cbegin(), chain.reviews.cend(),
        [&reviewer](const ReviewRecord &r) { return sameName(r.reviewer, reviewer); });
}

} // namespace

void checkPullRequest(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink)
{
    if (!chain.pullRequest)
        return;
    const PullRequestRecord &pr = *chain.pullRequest;
    const QString number = QString::number(pr.number);
    const QString templateName = sink.templateRef().toString();
    for (const QString &label : tmpl.labels) {
        if (!containsName(pr.labels, label))
            sink.add(u"pr_missing_label",
                     u"Pull request #%1 lacks the label %2 that template %3 requires."_s.arg(
                         number, label, templateName),
                     EvidenceKind::PullRequest, label, 0, pr.createdAt);
    }
    for (const QString &reviewer : tmpl.reviewers) {
        if (!hasReviewer(chain, reviewer))
            sink.add(u"pr_missing_reviewer",
                     u"Pull request #%1 has no review or review request from %2, which "
                     "template %3 requires."_s.arg(number, reviewer, templateName),
                     EvidenceKind::PullRequest, reviewer, 0, pr.createdAt);
    }
}

void checkFreezes(const TaskChain &chain, const TemplateSpec &tmpl, FindingSink &sink)
{
    const TaskRecord &task = chain.task;
    const QDateTime launched = task.createdAt.isValid() ? task.createdAt : task.startedAt;
    if (!launched.isValid())
        return;
    for (const FreezeWindow &freeze : tmpl.freezes) {
        // A window without one of its ends is open on that side.
        const bool inside = (!freeze.from.isValid() || launched >= freeze.from) &&
                            (!freeze.until.isValid() || launched < freeze.until);
        const bool covers =
            freeze.repositories.isEmpty() || matchesAny(freeze.repositories, task.repo);
        if (!inside || !covers)
            continue;
        const QString until = freeze.until.isValid()
                                  ? u" (until %1)"_s.arg(freeze.until.toUTC().toString(Qt::ISODate))
                                  : QString();
        sink.add(u"launched_in_freeze",
                 u"The task was launched at %1 in %2, during freeze %3%4."_s.arg(
                     launched.toUTC().toString(Qt::ISODate), task.repo,
                     freeze.name.isEmpty() ? u"(unnamed)"_s : freeze.name, until),
                 EvidenceKind::Task, freeze.name, 0, launched);
    }
}

void checkSelfReview(const TaskChain &chain, FindingSink &sink)
{
    if (!chain.pullRequest)
        return;
    const QString requester = chain.request ? chain.request->requester : QString();
    const QString onBehalfOf = chain.identity ? chain.identity->onBehalfOf : QString();
    const auto whose = [&](const QString &login) -> QString {
        if (!requester.isEmpty() && sameName(login, requester))
            return u"who requested the task"_s;
        if (!onBehalfOf.isEmpty() && sameName(login, onBehalfOf))
            return u"on whose behalf the task ran"_s;
        return {};
    };
    const PullRequestRecord &pr = *chain.pullRequest;
    const QString number = QString::number(pr.number);
    QStringList reported;
    for (const ReviewRecord &review : chain.reviews) {
        const QString relation = whose(review.reviewer);
        if (relation.isEmpty() || !sameName(review.state, u"APPROVED"_s) ||
            containsName(reported, review.reviewer))
            continue;
        reported << review.reviewer;
        sink.add(
            u"self_approved",
            u"Pull request #%1 was approved by %2, %3."_s.arg(number, review.reviewer, relation),
            EvidenceKind::Review, review.reviewer, 0, review.submittedAt);
    }
    const QString merger = whose(pr.mergedBy);
    if (!pr.mergedBy.isEmpty() && !merger.isEmpty())
        sink.add(u"self_merged",
                 u"Pull request #%1 was merged by %2, %3."_s.arg(number, pr.mergedBy, merger),
                 EvidenceKind::PullRequest, pr.mergedBy, 0, pr.mergedAt);
}

} // namespace Tasktrail::Rules
