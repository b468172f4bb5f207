// GitHub Actions job logs (the runner's timestamp prefix, ##[group]/##[endgroup] steps,
// ##[error], ##[warning], ##[command]) through the job-log reader into a fresh SQLite store,
// attached to one task as `ingest --task --command` attaches them.
#include "fuzzingest.h"

#include "ingest/fileingest.h"

using namespace Qt::StringLiterals;

namespace {
// Ingestor cuts log lines at this length (ingest/ingestor.cpp).
constexpr qsizetype maxLogLine = 1024 * 1024;
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Tasktrail;
    IngestOptions options;
    options.taskId = u"fuzz-task"_s;
    options.commandSeq = 1;
    Fuzz::ingestLines(Fuzz::inputBytes(data, size), u"github-actions-log"_s, ingestActionsJobLog,
                      maxLogLine, options);
    return 0;
}
