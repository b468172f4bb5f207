#include "launchspec.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

QJsonObject toJson(const QueuedLaunch &l)
{
    const LaunchSpec &s = l.spec;
    return QJsonObject{
        {u"task_id"_s, s.taskId},
        {u"repo"_s, s.repo},
        {u"prompt"_s, s.prompt},
        {u"base_ref"_s, s.baseRef},
        {u"head_ref"_s, s.headRef},
        {u"model"_s, s.model},
        {u"custom_agent"_s, s.customAgent},
        {u"create_pull_request"_s, s.createPullRequest},
        {u"time_budget_ms"_s, double(s.timeBudgetMs)},
        {u"identity_id"_s, s.identityId},
        {u"local_repository_path"_s, s.localRepositoryPath},
        {u"request_id"_s, l.requestId},
        {u"policy_id"_s, l.policyId},
        {u"policy_version"_s, l.policyVersion},
        {u"max_retries"_s, l.maxRetries},
    };
}

QueuedLaunch queuedLaunchFromJson(const QJsonObject &j)
{
    QueuedLaunch l;
    LaunchSpec &s = l.spec;
    s.taskId = j.value("task_id"_L1).toString();
    s.repo = j.value("repo"_L1).toString();
    s.prompt = j.value("prompt"_L1).toString();
    s.baseRef = j.value("base_ref"_L1).toString();
    s.headRef = j.value("head_ref"_L1).toString();
    s.model = j.value("model"_L1).toString();
    s.customAgent = j.value("custom_agent"_L1).toString();
    s.createPullRequest = j.value("create_pull_request"_L1).toBool(true);
    // A double past qint64 does not convert: such a budget is no budget.
    const double budget = j.value("time_budget_ms"_L1).toDouble(-1);
    s.timeBudgetMs = budget >= 0 && budget <= 9e15 ? qint64(budget) : -1;
    s.identityId = j.value("identity_id"_L1).toString();
    s.localRepositoryPath = j.value("local_repository_path"_L1).toString();
    l.requestId = j.value("request_id"_L1).toString();
    l.policyId = j.value("policy_id"_L1).toString();
    l.policyVersion = j.value("policy_version"_L1).toString();
    l.maxRetries = j.value("max_retries"_L1).toInt(-1);
    return l;
}

} // namespace Tasktrail
