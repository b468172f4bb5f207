#pragma once

#include <QString>

namespace Tasktrail {

// Who is at the keyboard, for what a person records (a triage, an answer to the queue):
// $USER, else $LOGNAME, else the account of the process's user; empty when none is known.
QString currentUserName();

} // namespace Tasktrail
