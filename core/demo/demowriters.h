#pragma once

#include "demotask.h"
#include "demoworld.h"

// Serialises the demo world: Tasktrail's own JSONL records (demorecords.cpp) and GitHub's
// REST shapes (demogithub.cpp). Each function writes one JSON value, no trailing newline.
namespace Tasktrail::Demo {

class JsonWriter;

void writeIdentity(JsonWriter &json, const Identity &identity);
void writePolicy(JsonWriter &json, const Policy &policy);
void writeTemplate(JsonWriter &json, const Template &templ);
void writeCampaignRequest(JsonWriter &json, const World &world, const Campaign &campaign);
void writeCampaign(JsonWriter &json, const World &world, const Campaign &campaign);
void writeTaskRequest(JsonWriter &json, const World &world, const TaskPlan &plan);
void writeTask(JsonWriter &json, const World &world, const TaskPlan &plan, const TaskRun &run);

// GitHub: GET /agents/repos/{owner}/{repo}/tasks/{id} with sessions.
void writeAgentTask(JsonWriter &json, const World &world, const TaskPlan &plan, const TaskRun &run);
// GitHub: GET /repos/{owner}/{repo}/pulls/{number}, /reviews, /check-runs elements.
void writePullRequest(JsonWriter &json, const World &world, const TaskPlan &plan,
                      const TaskRun &run);
void writeReview(JsonWriter &json, const World &world, const TaskPlan &plan, const TaskRun &run,
                 const PullRequestPlan::Review &review);
void writeCheckRun(JsonWriter &json, const World &world, const TaskPlan &plan, const TaskRun &run,
                   const PullRequestPlan::Check &check);

} // namespace Tasktrail::Demo
