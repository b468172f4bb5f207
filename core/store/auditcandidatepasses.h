#pragma once

namespace Tasktrail {

// How audit linking finds an event's tasks, the same on both backends. Each affected event's
// candidate tasks are scored: hashed_token 6, token_id 4, actor_repo 3, plus 1 when the event
// names the task's repository. An event links to the tasks with its best score, so the passes
// run from the best score down, each only for the events no pass before it matched, and every
// candidate an event gets has its best score and becomes a link. Where many runs share a token,
// the pass in the event's repository finds the one or two that win instead of every run of the
// token (demo scale 10: 45,103 candidates instead of 626,024).
struct AuditCandidatePass
{
    int score;
    const char *match; // SQL over the task's window `w` and the event `e`
};

inline constexpr AuditCandidatePass auditCandidatePasses[] = {
    {7, "w.hashed_token = e.hashed_token AND w.repo = e.repo"},
    {6, "w.hashed_token = e.hashed_token"},
    {5, "w.token_id = e.token_id AND w.repo = e.repo"},
    {4, "w.token_id = e.token_id"},
    {3, "w.principal = e.actor AND w.repo = e.repo"},
};

} // namespace Tasktrail
