#include "globaloptions.h"

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {

VerbLine splitVerbLine(const QStringList &arguments)
{
    static const QStringList globals{u"--db"_s, u"--format"_s};
    VerbLine line;
    QStringList leading;
    qsizetype i = 0;
    for (; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (!arg.startsWith(u'-'))
            break;
        const QString name = arg.section(u'=', 0, 0);
        if (!globals.contains(name)) {
            line.error = u"'%1' before the verb: only --db and --format may stand there"_s.arg(arg);
            return line;
        }
        leading << arg;
        if (arg.contains(u'='))
            continue;
        if (i + 1 >= arguments.size()) {
            line.error = u"%1 needs a value"_s.arg(arg);
            return line;
        }
        leading << arguments.at(++i);
    }
    if (i < arguments.size())
        line.verb = arguments.at(i);
    // The verb's parser reads the leading options as its own, so `--db` before the verb and
    // after it are the same option (and a contradiction between the two is an error there).
    line.args = leading + arguments.mid(i + 1);
    return line;
}

} // namespace Tasktrail::Cli
