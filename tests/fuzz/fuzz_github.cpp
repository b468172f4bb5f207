// GitHub REST and webhook JSON (agent tasks, pull requests, reviews, check runs) and
// repository listings, through the reader Ingestor picks for a JSON document.
#include "fuzzingest.h"

#include "ingest/fileingest.h"

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Tasktrail;
    const QByteArray input = Fuzz::inputBytes(data, size);
    if (looksLikeRepositoryList(input))
        Fuzz::ingestDocument(input, u"github-repositories"_s, ingestRepositoryList);
    else
        Fuzz::ingestDocument(input, u"github-json"_s,
                             [](FileIngest &ingest, const QByteArray &document) {
                                 return ingestGitHubDocument(ingest, document);
                             });
    return 0;
}
