#pragma once

#include "records/taskchain.h"

#include <QString>

namespace Tasktrail::RunSentence {

// The one sentence a reviewer reads first about a task: who started it from which request,
// under which identity, policy and template, what it ran and contacted, and what became of its
// pull request. Every value comes from the chain; a link the chain lacks is said plainly ("no
// identity was recorded"), never guessed. Plain text, already redacted; each output escapes it
// for its format. The task id stays whole: nothing else in Tasktrail shortens ids.
QString of(const TaskChain &chain);

} // namespace Tasktrail::RunSentence
