// Tasktrail's own JSONL records (docs/record-format.md), through the record reader into a
// fresh SQLite store.
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
    Fuzz::ingestLines(Fuzz::inputBytes(data, size), u"tasktrail-jsonl"_s, ingestTasktrailRecords,
                      maxRecordLine);
    return 0;
}
