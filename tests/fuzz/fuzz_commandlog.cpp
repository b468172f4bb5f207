// Command logs with `##[tasktrail]` section headers, timestamps and ANSI colours, through the
// log reader into a fresh SQLite store.
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
    Fuzz::ingestLines(Fuzz::inputBytes(data, size), u"command-log"_s, ingestCommandLog, maxLogLine);
    return 0;
}
