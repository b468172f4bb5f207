#include "appicon.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

QIcon applicationIcon()
{
    return QIcon(u":/icons/io.tasktrail.Tasktrail.svg"_s);
}

} // namespace Tasktrail
