// Copilot coding agent session logs (`data: {chat.completion.chunk}` lines with tool calls)
// through the session-log reader into a fresh SQLite store, attached to one session of one
// task as `ingest --task --session` attaches them.
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
    options.sessionId = u"fuzz-session"_s;
    Fuzz::ingestLines(Fuzz::inputBytes(data, size), u"copilot-session-log"_s,
                      ingestCopilotSessionLog, maxLogLine, options);
    return 0;
}
