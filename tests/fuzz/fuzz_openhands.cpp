// OpenHands trajectories (one JSON array of action and observation events) through the reader
// Ingestor picks for them, element by element into a fresh SQLite store.
#include "fuzzingest.h"

#include "ingest/fileingest.h"

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Tasktrail;
    const QByteArray input = Fuzz::inputBytes(data, size);
    looksLikeOpenHandsTrajectory(input); // detection reads the head of any file
    Fuzz::ingestStream(input, u"openhands-trajectory"_s, ingestOpenHandsTrajectory);
    return 0;
}
