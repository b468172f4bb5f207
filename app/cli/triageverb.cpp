// The triage of findings from the command line: `findings triage`.
#include "triageverb.h"

#include "cliverb.h"
#include "query/findingjson.h"
#include "store/recordstore.h"
#include "text/username.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {
namespace {

QString stateNames()
{
    QStringList names;
    for (const TriageState s : allTriageStates())
        names << toString(s);
    return names.join(u", "_s);
}

} // namespace

int runFindingsTriage(const QStringList &args)
{
    VerbParser v(u"findings triage"_s,
                 u"Sets the triage state of findings (their ids as `findings` lists them). "
                 "Each change is kept, with who made it and when, and recorded in the evidence "
                 "chain; a check that gives the finding again keeps its state."_s,
                 true);
    v.parser().addPositionalArgument(u"ids"_s, u"The findings' ids."_s, u"ID [ID...]"_s);
    v.parser().addOption({u"state"_s, u"The new state: "_s % stateNames() % u'.', u"S"_s});
    v.parser().addOption({u"note"_s, u"Why, in a sentence."_s, u"TEXT"_s});
    v.parser().addOption({u"by"_s, u"Who triages (default: the user name)."_s, u"NAME"_s});
    if (!v.parse(args, 1, std::numeric_limits<int>::max()))
        return v.usageExit();
    const auto state = triageStateFromString(v.parser().value(u"state"_s));
    if (!v.parser().isSet(u"state"_s) || !state)
        return fail(u"--state must be one of %1, not '%2'"_s.arg(stateNames(),
                                                                 v.parser().value(u"state"_s)));
    QList<qint64> ids;
    for (const QString &arg : v.parser().positionalArguments()) {
        bool ok = false;
        const qint64 id = arg.toLongLong(&ok);
        if (!ok || id <= 0)
            return fail(u"'%1' is not a finding id: `findings` lists them"_s.arg(arg));
        ids << id;
    }
    FindingTriage triage;
    triage.state = *state;
    triage.by = v.parser().isSet(u"by"_s) ? v.parser().value(u"by"_s) : currentUserName();
    triage.note = v.parser().value(u"note"_s);
    if (triage.by.trimmed().isEmpty())
        return fail(u"who triages is not known: give --by NAME"_s);
    triage.at = QDateTime::currentDateTimeUtc();
    int code = Ok;
    auto store = v.open(&code);
    if (!store)
        return code;
    if (!store->triageFindings(ids, triage))
        return fail(u"triage: "_s % store->errorString());
    if (v.json()) {
        QJsonArray done;
        for (const qint64 id : ids)
            done.append(double(id));
        printJson(QJsonObject{{u"findings"_s, done}, {u"triage"_s, RecordJson::triage(triage)}});
    } else {
        print(u"%1 finding(s) now %2\n"_s.arg(ids.size()).arg(displayName(triage.state)));
    }
    return Ok;
}

} // namespace Tasktrail::Cli
