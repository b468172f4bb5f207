// The policy violations the demo plants, one run each, so that checking its output always has
// something to show: the rest of the runs keep to their templates and policies, apart from
// what chance brings (a timed-out run, an upload to a paste site, a call into another
// repository).
#include "demoplanner.h"

#include <algorithm>

namespace Tasktrail::Demo {
namespace {

constexpr qint64 minuteMs = 60 * 1000;
constexpr qint64 dayMs = 24 * 60 * minuteMs;

// An ad-hoc run old enough to have finished, with its pull request decided, and of a kind
// that runs npm tests (planted runs are made to complete; see simulateTask()).
bool plantable(const TaskPlan &t, qint64 nowMs)
{
    const WorkKind k = t.work.kind;
    return t.campaign < 0 && t.anomaly == Anomaly::None && t.createdMs <= nowMs - 8 * dayMs &&
           (k == WorkKind::FixFlakyTest || k == WorkKind::UnitTests ||
            k == WorkKind::DependencyBump);
}

} // namespace

void Planner::plantAnomalies()
{
    // The first plantable run of the preferred kind, else the first plantable one.
    const auto take = [this](WorkKind preferred, Anomaly anomaly) -> TaskPlan * {
        TaskPlan *fallback = nullptr;
        for (TaskPlan &t : m_world.tasks) {
            if (!plantable(t, m_world.nowMs))
                continue;
            if (t.work.kind == preferred) {
                fallback = &t;
                break;
            }
            if (!fallback)
                fallback = &t;
        }
        if (fallback)
            fallback->anomaly = anomaly;
        return fallback;
    };

    if (TaskPlan *t = take(WorkKind::FixFlakyTest, Anomaly::LaunchedInFreeze)) {
        // Moved into the first frozen npm repository, halfway through the part of its freeze
        // that lies a few days back: the showcase campaign skipped that repository for it.
        t->anomaly = Anomaly::None;
        for (qsizetype r = 0; r < m_world.repos.size(); ++r) {
            const Repo &repo = m_world.repos[r];
            if (repo.freeze < 0 || repo.archived || !repo.npm)
                continue;
            const Freeze &f = m_world.freezes[repo.freeze];
            const qint64 until = std::min(f.untilMs, m_world.nowMs - 3 * dayMs);
            if (until - f.fromMs < dayMs)
                continue;
            const qint64 at = f.fromMs + (until - f.fromMs) / 2;
            t->repo = int(r);
            t->createdMs = at - at % minuteMs + 17 * 1000;
            // A bump this late runs under the template version in force then.
            if (t->work.kind == WorkKind::DependencyBump)
                t->templ = 1;
            t->anomaly = Anomaly::LaunchedInFreeze;
            break;
        }
    }
    take(WorkKind::UnitTests, Anomaly::PushedFailingTests);
    take(WorkKind::FixFlakyTest, Anomaly::SelfApproval);
    take(WorkKind::DependencyBump, Anomaly::PasteUpload);
}

} // namespace Tasktrail::Demo
