// GitHub audit-log events: a stream or export (one object per line) and the REST API's array,
// through the audit-log readers into a fresh SQLite store. The detection that tells them from
// other JSON reads the head of the file with a scanner of its own, so it runs on every input.
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
    const QByteArray input = Fuzz::inputBytes(data, size);
    // Ingestor looks at the bytes from the first one that is not space.
    qsizetype start = 0;
    while (start < input.size() && QByteArrayView(" \t\r\n").contains(input.at(start)))
        ++start;
    const QByteArrayView head = QByteArrayView(input).sliced(start);
    looksLikeAuditLog(head);
    if (head.startsWith('['))
        Fuzz::ingestDocument(input, u"github-audit-json"_s, ingestAuditLogDocument);
    else
        Fuzz::ingestLines(input, u"github-audit-ndjson"_s, ingestAuditLogLines, maxRecordLine);
    return 0;
}
