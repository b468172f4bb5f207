#include "scanverb.h"

#include "cliverb.h"
#include "store/recordstore.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {
namespace {

QString reportText(const SecretScanReport &r)
{
    QString out;
    for (const SecretFound &f : r.found)
        out += u"%1 %2 %3: %4 x%5%6\n"_s.arg(f.table, f.row, f.column, f.kind)
                   .arg(f.count)
                   .arg(f.redacted ? u", redacted"_s : QString());
    for (const QString &note : r.notes)
        out += u"note: "_s % note % u'\n';
    const int found = r.secrets();
    out += u"%1 rows scanned, %2 secrets found"_s.arg(r.rowsScanned).arg(found);
    if (!r.applied)
        out += found ? u"; dry run, nothing changed\n"_s : u"\n"_s;
    else if (r.lastEntry > 0)
        out += u", %1 redacted; evidence entries %2 to %3 record it\n"_s.arg(r.secrets(true))
                   .arg(r.firstEntry)
                   .arg(r.lastEntry);
    else
        out += u", %1 redacted\n"_s.arg(r.secrets(true));
    return out;
}

QJsonObject reportJson(const SecretScanReport &r)
{
    QJsonArray found;
    for (const SecretFound &f : r.found)
        found << QJsonObject{{u"table"_s, f.table},   {u"row"_s, f.row},
                             {u"column"_s, f.column}, {u"kind"_s, f.kind},
                             {u"count"_s, f.count},   {u"redacted"_s, f.redacted}};
    QJsonObject out{{u"applied"_s, r.applied},   {u"rows_scanned"_s, double(r.rowsScanned)},
                    {u"secrets"_s, r.secrets()}, {u"redacted"_s, r.secrets(true)},
                    {u"found"_s, found},         {u"notes"_s, QJsonArray::fromStringList(r.notes)}};
    if (r.lastEntry > 0)
        out.insert(u"evidence_entries"_s, QJsonArray{double(r.firstEntry), double(r.lastEntry)});
    return out;
}

} // namespace

int runScan(const QStringList &args)
{
    VerbParser v(u"scan"_s,
                 u"Reads every stored text through the redaction step again and redacts what "
                 "older versions stored, recording each redaction in the evidence chain (never "
                 "the secret)."_s,
                 true);
    v.parser().addOption({u"dry-run"_s, u"Only report what would be redacted."_s});
    if (!v.parse(args, 0, 0))
        return v.usageExit();
    // A dry run only reads: it works on archived evidence that cannot be written.
    const bool dryRun = v.parser().isSet(u"dry-run"_s);
    int code = Ok;
    auto store = v.open(&code, dryRun ? StoreAccess::ReadOnly : StoreAccess::ReadWrite);
    if (!store)
        return code;
    const auto report = store->scanSecrets(!dryRun);
    if (!report)
        return fail(store->errorString());
    if (v.json())
        printJson(reportJson(*report));
    else
        print(reportText(*report));
    return report->secrets() > report->secrets(true) ? Rejected : Ok;
}

} // namespace Tasktrail::Cli
