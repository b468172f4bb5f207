// OpenTelemetry traces as OTLP JSON lines (TracesData per line) with GenAI agent and tool
// spans, through the OTLP reader.
#include "fuzzingest.h"

#include "ingest/fileingest.h"

using namespace Qt::StringLiterals;

namespace {
// Ingestor cuts record lines at this length (ingest/ingestor.cpp).
constexpr qsizetype maxRecordLine = 16 * 1024 * 1024;
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Tasktrail;
    Fuzz::ingestLines(Fuzz::inputBytes(data, size), u"otlp-json"_s, ingestOtlpTraces,
                      maxRecordLine);
    return 0;
}
