#pragma once

#include "conformance.h"
#include "store/runkeys.h"

namespace Tasktrail {

// Spec sources reading the template and policy versions loaded into the store
// (policy_document), parsed on demand. A version that is not on file, or whose stored text no
// longer parses, reads as nullopt: its runs get template_unknown / policy_unknown.
SpecSources storedSpecSources(RecordStore &store);

// Has `checker` read the chains of its later batches on read-only connections of their own
// (openReader), one per core up to three, while it checks on `store`; on one core it reads
// each batch itself.
void readChainsAhead(ConformanceChecker &checker, const RecordStore &store);

// After an ingest: checks the runs it wrote (`runTasks`, the ingest's RunKeys), every run
// never checked (an ingest killed before its check leaves them) and every run launched under a
// template or policy version it loaded. Those are added to `runTasks`, and the ids are read
// back a page at a time, so the check holds one page of them whatever the run's size. Returns
// false with *error on a store error, or on an error of the keys.
bool checkAfterIngest(RecordStore &store, RunKeys &runTasks,
                      const QList<PolicyDocument> &loadedDocuments, CheckCounts *counts,
                      QString *error);
// The same for a few ids known already (a launched run, a test).
bool checkAfterIngest(RecordStore &store, const QStringList &touchedTaskIds,
                      const QList<PolicyDocument> &loadedDocuments, CheckCounts *counts,
                      QString *error);

} // namespace Tasktrail
