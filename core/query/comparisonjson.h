#pragma once

#include "runcomparison.h"

#include <QJsonObject>

namespace Tasktrail::RecordJson {

// `tasktrail-cli compare --format json` (docs/compare.md shows the shape): "a" and "b" (each
// run's task, repo, state, sentence, links, duration and findings), "commands" (the aligned
// rows), "files", "hosts", "finding_rules" (both / only_a / only_b) and "tests". Every key is
// always there; an absent value is null.
QJsonObject comparison(const RunComparison &comparison);
// The diff of one aligned row's logs: "row", "lines" ({op, line_a, line_b, text}), "lines_a",
// "lines_b", "truncated", "approximate".
QJsonObject logDiff(int row, const LogDiff &diff);

} // namespace Tasktrail::RecordJson
