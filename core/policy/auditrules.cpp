// The audit trail: what the run's identity did on GitHub, from the audit-log events linked to it.
#include "records/taskchain.h"
#include "rulecontext.h"

using namespace Qt::StringLiterals;

namespace Tasktrail::Rules {

// A check reads only the events this rule keeps (TaskQueries::OutlineScope::Check), and a run
// is checked again after an ingest only when its links to such events changed: a rule that
// reads other events, or command line counts, widens that scope in both stores
// (TASKTRAIL_SQLITE_EVENT_CHECKED, TASKTRAIL_PG_EVENT_CHECKED).
void checkAuditTrail(const TaskChain &chain, FindingSink &sink)
{
    const QString &repo = chain.task.repo;
    if (repo.isEmpty())
        return;
    for (const AuditLink &link : chain.auditEvents) {
        const AuditEvent &e = link.event;
        if (e.repo.isEmpty() || e.repo.compare(repo, Qt::CaseInsensitive) == 0)
            continue;
        const QString what =
            QStringList{e.action, e.requestMethod, e.requestRoute}.join(u' ').simplified();
        sink.add(u"api_call_outside_repository",
                 u"The run's identity (%1) called %2 in %3, not the task's repository %4."_s.arg(
                     e.actor, what, e.repo, repo),
                 EvidenceKind::AuditEvent, e.id, 0, e.at);
    }
}

} // namespace Tasktrail::Rules
