// Template and policy files (docs/policy-files.md): the TOML reader and the validation of
// `policy load`, into a fresh SQLite store, and the stored text read back the way the
// conformance checker reads it.
#include "fuzzingest.h"

#include "policy/policyloader.h"
#include "policy/storedspecs.h"
#include "store/sqlitestore.h"

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Tasktrail;
    SqliteStore &store = Fuzz::freshStore();
    const QString path = Fuzz::scratchFile(u"input.toml"_s, Fuzz::inputBytes(data, size));
    PolicyLoadResult result;
    QString error;
    if (!loadPolicyFiles(store, {path}, &result, &error))
        Fuzz::fail("loading a policy file failed the store", error);
    // One file: either it was stored and is valid, or it was rejected with a reason.
    if ((result.loaded + result.rejected != 1) || (result.rejected == 1) == result.errors.isEmpty())
        Fuzz::fail("a policy file was neither loaded nor rejected with a reason",
                   u"loaded %1, rejected %2, %3 errors"_s.arg(result.loaded)
                       .arg(result.rejected)
                       .arg(result.errors.size()));
    const SpecSources sources = storedSpecSources(store);
    for (const PolicyDocument &doc : std::as_const(result.documents)) {
        const bool readsBack = doc.kind == PolicyDocument::Kind::Template
                                   ? sources.templates(doc.id, doc.version).has_value()
                                   : sources.policies(doc.id, doc.version).has_value();
        if (!readsBack)
            Fuzz::fail("a loaded policy file does not read back from the store",
                       doc.id % u'@' % doc.version);
    }
    return 0;
}
