// The campaign list: every campaign's own fields, without the per-repository decisions.
#include "sqlitestatement.h"
#include "sqlitestore.h"

namespace Tasktrail {

QList<CampaignRecord> SqliteStore::campaigns()
{
    QList<CampaignRecord> out;
    auto &stmt = statement("SELECT id, request_id, title, template_id, template_version, "
                           "policy_id, policy_version, created_at FROM campaign "
                           "ORDER BY created_at, id");
    while (stmt.next()) {
        out << CampaignRecord{stmt.text(0), stmt.text(1),     stmt.text(2),
                              stmt.text(3), stmt.text(4),     stmt.text(5),
                              stmt.text(6), stmt.dateTime(7), {}};
    }
    stmt.reset();
    return out;
}

} // namespace Tasktrail
