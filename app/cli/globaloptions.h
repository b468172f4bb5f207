#pragma once

#include <QString>
#include <QStringList>

namespace Tasktrail::Cli {

// The options every verb takes (--db, and --format where the verb has one) may stand before
// the verb, as git, gh and kubectl users type them: `tasktrail-cli --db x.db stats`.
struct VerbLine
{
    QString verb;     // empty when the line names none
    QStringList args; // the options given before the verb, then everything after it
    QString error;    // set when something before the verb is not a global option
};

VerbLine splitVerbLine(const QStringList &arguments);

} // namespace Tasktrail::Cli
