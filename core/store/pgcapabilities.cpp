// PgStore's capabilities(): the tasktrail_* role the login role belongs to, for the status
// bar, and what its grants let it change, for the actions.
#include "pgstore.h"

using namespace Qt::StringLiterals;

namespace Tasktrail {

StoreCapabilities PgStore::capabilities()
{
    StoreCapabilities c;
    c.backend = u"PostgreSQL"_s;
    c.user = m_db.user();
    // pg_has_role is true of every role for a superuser, hence rolsuper first; a role that
    // does not exist yet (before `admin init-roles`) is no membership. What may be changed is
    // read from the grants themselves, which is what the database enforces.
    const PgResult r = m_db.query(
        "SELECT current_database(), coalesce(host(inet_server_addr()), 'localhost'), "
        "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
        "coalesce(pg_has_role(current_user, to_regrole($1)::oid, 'MEMBER'), false), "
        "coalesce(pg_has_role(current_user, to_regrole($2)::oid, 'MEMBER'), false), "
        "coalesce(pg_has_role(current_user, to_regrole($3)::oid, 'MEMBER'), false), "
        "coalesce(pg_has_role(current_user, to_regrole($4)::oid, 'MEMBER'), false), "
        "has_table_privilege('task', 'INSERT'), has_table_privilege('launch_queue', 'INSERT'), "
        "has_table_privilege('policy_document', 'INSERT'), "
        "current_setting('transaction_read_only') = 'on'",
        PgParams()
            .add(u"tasktrail_owner"_s)
            .add(u"tasktrail_launch"_s)
            .add(u"tasktrail_ingest"_s)
            .add(u"tasktrail_reader"_s));
    if (!r.ok() || r.rows() != 1) {
        fail(u"cannot read the role of the connection"_s);
        c.where = m_location;
        c.readOnly = true;
        return c;
    }
    const auto flag = [&r](int column) { return r.text(0, column) == u"t"; };
    c.where = r.text(0, 0) + u'@' + r.text(0, 1);
    static const char *const roles[] = {"tasktrail_owner", "tasktrail_launch", "tasktrail_ingest",
                                        "tasktrail_reader"};
    if (flag(2))
        c.role = u"superuser"_s;
    for (int i = 0; c.role.isEmpty() && i < 4; ++i) {
        if (flag(3 + i))
            c.role = QString::fromLatin1(roles[i]);
    }
    c.readOnly = flag(10);
    c.ingest = !c.readOnly && flag(7);
    c.launch = !c.readOnly && flag(8);
    c.editPolicies = !c.readOnly && flag(9);
    return c;
}

} // namespace Tasktrail
