#pragma once

#include "records/evidence.h"

namespace Tasktrail {

class RecordStore;

// verify's check of the conformance findings. Findings are a function of a run's records and
// the template and policy texts on file, all of which the evidence chain covers: every checked
// task is checked again (nothing is stored) and each difference from the stored findings is a
// problem that names the finding (kind "finding", ref the task id). A task never checked is a
// problem only when a check finds something, which a missing check would hide. Appends to
// `report` and adds what it checked to report.covered.
void verifyFindings(RecordStore &store, EvidenceReport &report);

} // namespace Tasktrail
