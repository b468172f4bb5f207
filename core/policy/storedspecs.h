#pragma once

#include "conformance.h"

namespace Tasktrail {

// Spec sources reading the template and policy versions loaded into the store
// (policy_document), parsed on demand. A version that is not on file, or whose stored text no
// longer parses, reads as nullopt: its runs get template_unknown / policy_unknown.
SpecSources storedSpecSources(RecordStore &store);

// After an ingest: checks the runs it wrote, every run never checked (an ingest killed before
// its check leaves them) and every run launched under a template or policy version it loaded.
// Returns false with *error on a store error.
bool checkAfterIngest(RecordStore &store, const QStringList &touchedTaskIds,
                      const QList<PolicyDocument> &loadedDocuments, CheckCounts *counts,
                      QString *error);

} // namespace Tasktrail
