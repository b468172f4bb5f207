#include "adminverb.h"

#include "cliverb.h"
#include "store/pgconnection.h"
#include "store/pgroles.h"

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {

int runAdmin(const QStringList &args)
{
    VerbParser v(u"admin"_s,
                 u"Administers a team database on PostgreSQL (docs/team-database.md).\n"
                 "  init-roles  creates the roles tasktrail_reader, tasktrail_ingest, "
                 "tasktrail_launch and tasktrail_owner and sets their grants; run it as a "
                 "superuser (again after an upgrade: it changes nothing else)"_s,
                 false);
    v.parser().addPositionalArgument(u"command"_s, u"init-roles"_s);
    if (!v.parse(args, 1, 1))
        return v.usageExit();
    const QString command = v.parser().positionalArguments().constFirst();
    if (command != u"init-roles")
        return fail(u"admin: unknown command '%1' (init-roles)"_s.arg(command));
    const QString location = v.database();
    if (!isPostgresLocation(location))
        return fail(u"admin init-roles: --db must name a PostgreSQL database "
                    "(postgresql://USER@HOST/DB or host=... dbname=...), not a file"_s);
    QStringList done;
    QString error;
    if (!initPgRoles(location, &done, &error))
        return fail(error);
    for (const QString &line : done)
        print(line + u'\n');
    return Ok;
}

} // namespace Tasktrail::Cli
