#include "runresultwriter.h"

#include "store/recordstore.h"
#include "text/redactor.h"

namespace Tasktrail {

bool writeRunResult(RecordStore &store, const TaskRecord &task, const RunResult &result)
{
    if (!store.writeTask(task))
        return false;
    for (const CommandLog &log : result.logs) {
        const std::optional<qint64> key = store.commandKey(task.id, log.seq);
        if (!key)
            return false;
        for (const LogLine &line : log.lines) {
            bool inserted = false;
            if (!store.appendLogLine(*key, line, &inserted))
                return false;
        }
    }
    if (result.pullRequest && !store.writePullRequest(*result.pullRequest))
        return false;
    for (const ReviewRecord &review : result.reviews) {
        if (!store.writeReview(review))
            return false;
    }
    for (const CheckRunRecord &check : result.checkRuns) {
        if (!store.writeCheckRun(check))
            return false;
    }
    return store.linkPullRequests();
}

} // namespace Tasktrail
