// The campaign list: every campaign's own fields, without the per-repository decisions.
#include "sqliterecordfields.h"
#include "sqlitestatement.h"
#include "sqlitestore.h"

namespace Tasktrail {

QList<CampaignRecord> SqliteStore::campaigns()
{
    QList<CampaignRecord> out;
    static const QByteArray sql =
        SqliteFields::select(campaignFields(), "FROM campaign ORDER BY created_at, id");
    auto &stmt = statement(sql.constData());
    while (stmt.next())
        SqliteFields::read(stmt, out.emplace_back(), campaignFields());
    stmt.reset();
    return out;
}

} // namespace Tasktrail
