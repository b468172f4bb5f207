// The conformance verbs: findings and check.
#include "findingsverbs.h"

#include "cliverb.h"
#include "policy/storedspecs.h"
#include "query/findingjson.h"
#include "store/recordstore.h"
#include "text/tasktraillink.h"
#include "textcolumns.h"
#include "triageverb.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {
namespace {

QString evidence(const Finding &f)
{
    QString where = toString(f.evidenceKind);
    if (!f.evidenceRef.isEmpty())
        where += u' ' % f.evidenceRef;
    if (f.commandSeq > 0)
        where += u" #"_s % QString::number(f.commandSeq);
    if (f.lineNo > 0)
        where += u':' % QString::number(f.lineNo);
    return where;
}

QString findingsText(const QList<Finding> &findings)
{
    if (findings.isEmpty())
        return u"no findings\n"_s;
    // Columns as wide as their longest value, so none runs into the next.
    QStringList severities, rules, states;
    for (const Finding &f : findings) {
        severities << toString(f.severity);
        rules << f.rule;
        states << displayName(f.triage.state);
    }
    const qsizetype severityWidth = columnWidth(severities, 8);
    const qsizetype ruleWidth = columnWidth(rules, 26);
    const qsizetype stateWidth = columnWidth(states, 16);
    QString out;
    for (const Finding &f : findings) {
        out += QString::number(f.id).rightJustified(6) % u"  "_s % f.taskId % u"  "_s %
               toString(f.severity).leftJustified(severityWidth) % f.rule.leftJustified(ruleWidth) %
               displayName(f.triage.state).leftJustified(stateWidth) % f.message % u"  ["_s %
               evidence(f) % u"]  "_s % findingLinkUrl(f.id) % u'\n';
        if (f.triage.at.isValid())
            out += u"        triaged by "_s % f.triage.by % u" at "_s %
                   f.triage.at.toUTC().toString(Qt::ISODate) %
                   (f.triage.note.isEmpty() ? QString() : u": "_s % f.triage.note) % u'\n';
    }
    return out;
}

QJsonObject countsJson(const CheckCounts &counts)
{
    QJsonObject bySeverity;
    for (auto it = counts.bySeverity.cbegin(); it != counts.bySeverity.cend(); ++it)
        bySeverity.insert(toString(it.key()), it.value());
    return {{u"tasks"_s, counts.tasks},
            {u"findings"_s, counts.findings},
            {u"by_severity"_s, bySeverity}};
}

// A --from/--to day (YYYY-MM-DD) as the UTC midnight starting it, or after it (`after`);
// invalid when not given. A malformed day is said and sets `ok` false.
QDateTime dayBound(VerbParser &v, const QString &name, bool after, bool *ok)
{
    const QString text = v.parser().value(name);
    if (text.isEmpty())
        return {};
    const QDate day = QDate::fromString(text, Qt::ISODate);
    if (!day.isValid()) {
        fail(u"--%1 must be a day (YYYY-MM-DD), not '%2'"_s.arg(name, text));
        *ok = false;
        return {};
    }
    return QDateTime(after ? day.addDays(1) : day, QTime(0, 0), Qt::UTC);
}

bool validSeverity(const QString &text)
{
    return toString(severityFromString(text)) == text.toLower();
}

} // namespace

bool checkIngestedTasks(RecordStore &store, RunKeys &taskIds, const QList<PolicyDocument> &loaded)
{
    CheckCounts counts;
    QString error;
    if (!checkAfterIngest(store, taskIds, loaded, &counts, &error)) {
        fail(u"conformance check: "_s % error);
        return false;
    }
    print(counts.toString() % u'\n');
    return true;
}

int runFindings(const QStringList &args)
{
    if (args.value(0) == u"triage")
        return runFindingsTriage(args.mid(1));
    FindingFilter filter;
    VerbParser v(u"findings"_s,
                 u"Conformance findings: where runs left what their template and policy "
                 "allowed. Newest tasks first, most severe first. Each line starts with the "
                 "finding's id, which `findings triage ID --state S` takes."_s,
                 true);
    v.parser().addOption({u"severity"_s,
                          u"Only findings at least this severe: info, low, medium, high, "
                          "critical."_s,
                          u"S"_s});
    v.parser().addOption({u"task"_s, u"Only this task's findings."_s, u"ID"_s});
    v.parser().addOption({u"rule"_s, u"Only this rule's findings."_s, u"RULE"_s});
    v.parser().addOption({u"repo"_s, u"Only tasks in this repository (owner/name)."_s, u"R"_s});
    v.parser().addOption({u"state"_s,
                          u"Only findings in this triage state: new (never triaged too), "
                          "acknowledged, false_positive, needs_follow_up, fixed."_s,
                          u"S"_s});
    v.parser().addOption({u"from"_s,
                          u"Only findings of runs started on or after this UTC day "
                          "(YYYY-MM-DD), as the Overview counts them."_s,
                          u"DAY"_s});
    v.parser().addOption({u"to"_s,
                          u"Only findings of runs started on or before this UTC day "
                          "(YYYY-MM-DD)."_s,
                          u"DAY"_s});
    v.parser().addOption({u"limit"_s, u"At most this many findings."_s, u"N"_s, u"1000"_s});
    if (!v.parse(args, 0, 0))
        return v.usageExit();
    bool daysOk = true;
    filter.from = dayBound(v, u"from"_s, false, &daysOk);
    filter.until = dayBound(v, u"to"_s, true, &daysOk);
    if (!daysOk)
        return Fatal;
    if (filter.from.isValid() && filter.until.isValid() && filter.until <= filter.from)
        return fail(u"--to (%1) is before --from (%2)"_s.arg(v.parser().value(u"to"_s),
                                                             v.parser().value(u"from"_s)));
    if (v.parser().isSet(u"state"_s)) {
        filter.triageState = triageStateFromString(v.parser().value(u"state"_s));
        if (!filter.triageState)
            return fail(u"--state must be new, acknowledged, false_positive, needs_follow_up "
                        "or fixed, not '%1'"_s.arg(v.parser().value(u"state"_s)));
    }
    if (v.parser().isSet(u"severity"_s)) {
        const QString severity = v.parser().value(u"severity"_s);
        if (!validSeverity(severity))
            return fail(u"--severity must be info, low, medium, high or critical, not '%1'"_s.arg(
                severity));
        filter.minSeverity = severityFromString(severity);
    }
    filter.taskId = v.parser().value(u"task"_s);
    filter.rule = v.parser().value(u"rule"_s);
    filter.repo = v.parser().value(u"repo"_s);
    const std::optional<int> limit = v.intOption(u"limit"_s, 1, std::numeric_limits<int>::max());
    if (!limit)
        return Fatal;
    filter.limit = *limit;
    int code = Ok;
    auto store = v.open(&code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    const QList<Finding> found = store->findings(filter);
    if (v.json())
        printJson(RecordJson::findings(found));
    else
        print(findingsText(found));
    return Ok;
}

int runCheck(const QStringList &args)
{
    VerbParser v(u"check"_s,
                 u"Checks runs against their template and policy versions again and stores "
                 "the findings, replacing earlier ones."_s,
                 true);
    v.parser().addOption({u"task"_s, u"Only this task (default: every task)."_s, u"ID"_s});
    int code = Ok;
    auto store = v.parseAndOpen(args, 0, 0, &code);
    if (!store)
        return code;
    ConformanceChecker checker(*store, storedSpecSources(*store));
    readChainsAhead(checker, *store);
    const QString task = v.parser().value(u"task"_s);
    QString error;
    const bool ok = task.isEmpty() ? checker.checkAll(&error) : checker.checkTasks({task}, &error);
    if (!ok)
        return fail(error);
    if (!task.isEmpty() && checker.counts().tasks == 0)
        return fail(u"no task '%1' in %2"_s.arg(task, store->location()));
    if (v.json())
        printJson(countsJson(checker.counts()));
    else
        print(checker.counts().toString() % u'\n');
    return Ok;
}

} // namespace Tasktrail::Cli
