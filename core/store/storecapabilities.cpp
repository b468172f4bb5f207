#include "storecapabilities.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace Tasktrail {

QString StoreCapabilities::describe() const
{
    QString text = backend + u' ' + where;
    if (!user.isEmpty())
        text += u" as "_s + user;
    if (!role.isEmpty())
        text += u" ("_s + role + u')';
    if (readOnly)
        text += u", read-only"_s;
    return text;
}

QString StoreCapabilities::whyNot() const
{
    if (readOnly)
        return QCoreApplication::translate("StoreCapabilities", "The database is open read-only.");
    return QCoreApplication::translate("StoreCapabilities",
                                       "Connected as %1, whose role (%2) may not do this.")
        .arg(user.isEmpty() ? backend : user,
             role.isEmpty() ? QCoreApplication::translate("StoreCapabilities", "none") : role);
}

} // namespace Tasktrail
