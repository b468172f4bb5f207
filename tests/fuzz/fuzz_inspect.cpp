// Inspect AI evaluation logs: a .json EvalLog document, or a .eval ZIP (told by its magic, as
// Ingestor tells it), through the reader Ingestor picks for each.
#include "fuzzingest.h"

#include "ingest/fileingest.h"

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Tasktrail;
    const QByteArray input = Fuzz::inputBytes(data, size);
    if (input.startsWith("PK"))
        Fuzz::ingestStream(input, u"inspect-eval"_s, ingestInspectEvalLog);
    else
        Fuzz::ingestStream(input, u"inspect-json"_s, ingestInspectLog);
    return 0;
}
