// The overview verb: what the Overview tab draws, as text or JSON.
#include "overviewverb.h"

#include "cliverb.h"
#include "report/reportrunner.h"
#include "textcolumns.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Tasktrail::Cli {
namespace {

std::optional<QDate> dayOption(VerbParser &v, const QString &name, bool *ok)
{
    const QString text = v.parser().value(name);
    if (text.isEmpty())
        return std::nullopt;
    const QDate day = QDate::fromString(text, Qt::ISODate);
    if (!day.isValid()) {
        fail(u"--%1 must be a day (YYYY-MM-DD), not '%2'"_s.arg(name, text));
        *ok = false;
    }
    return day;
}

QJsonArray countsJson(const QList<OverviewCount> &counts)
{
    QJsonArray out;
    for (const OverviewCount &c : counts)
        out.append(QJsonObject{
            {u"day"_s, c.day.toString(Qt::ISODate)}, {u"key"_s, c.key}, {u"count"_s, c.count}});
    return out;
}

QJsonObject overviewJson(const OverviewData &o, const QList<ReviewLoadDay> &load)
{
    QJsonArray review;
    for (const ReviewLoadDay &d : load) {
        QJsonObject day{{u"team"_s, d.team},
                        {u"day"_s, d.day.toString(Qt::ISODate)},
                        {u"pull_requests"_s, d.pullRequests},
                        {u"templates"_s, QJsonArray::fromStringList(d.templates)}};
        day.insert(u"capacity"_s, d.capacity ? QJsonValue(*d.capacity) : QJsonValue());
        review.append(day);
    }
    QJsonArray campaigns;
    for (const CampaignStateCount &c : o.campaigns)
        campaigns.append(QJsonObject{{u"campaign"_s, c.campaignId},
                                     {u"title"_s, c.title},
                                     {u"state"_s, c.state},
                                     {u"count"_s, c.count}});
    return {{u"first"_s, o.first.toString(Qt::ISODate)},
            {u"last"_s, o.last.toString(Qt::ISODate)},
            {u"runs"_s, countsJson(o.runs)},
            {u"pull_requests"_s, countsJson(o.pullRequests)},
            {u"review_load"_s, review},
            {u"findings_by_severity"_s, countsJson(o.findingsBySeverity)},
            {u"findings_by_rule"_s, countsJson(o.findingsByRule)},
            {u"campaigns"_s, campaigns}};
}

QString countsText(const QString &title, const QList<OverviewCount> &counts)
{
    QString out = title % u'\n';
    QStringList keys;
    for (const OverviewCount &c : counts)
        keys << c.key;
    const qsizetype width = columnWidth(keys, 24);
    for (const OverviewCount &c : counts)
        out += u"  "_s % c.day.toString(Qt::ISODate) % u"  "_s % c.key.leftJustified(width) %
               QString::number(c.count) % u'\n';
    return out;
}

QString overviewText(const OverviewData &o, const QList<ReviewLoadDay> &load)
{
    if (!o.first.isValid())
        return u"nothing recorded yet\n"_s;
    QString out = u"from %1 to %2 (UTC days)\n"_s.arg(o.first.toString(Qt::ISODate),
                                                      o.last.toString(Qt::ISODate));
    out += countsText(u"runs by state:"_s, o.runs);
    out += countsText(u"pull requests of runs:"_s, o.pullRequests);
    out += u"reviewer load (pull requests / capacity):\n"_s;
    QStringList teams;
    for (const ReviewLoadDay &d : load)
        teams << d.team;
    const qsizetype teamWidth = columnWidth(teams, 24);
    // A capacity is unknown when no template of the day's pull requests gives the team one.
    for (const ReviewLoadDay &d : load)
        out += u"  "_s % d.day.toString(Qt::ISODate) % u"  "_s % d.team.leftJustified(teamWidth) %
               QString::number(d.pullRequests) % u" / "_s %
               (d.capacity ? QString::number(*d.capacity) : u"capacity unknown"_s) %
               (d.overCapacity() ? u"  over capacity"_s : QString()) % u'\n';
    out += countsText(u"findings by severity:"_s, o.findingsBySeverity);
    out += countsText(u"findings by rule:"_s, o.findingsByRule);
    out += u"campaigns:\n"_s;
    QStringList states;
    for (const CampaignStateCount &c : o.campaigns)
        states << c.state;
    const qsizetype stateWidth = columnWidth(states, 16);
    for (const CampaignStateCount &c : o.campaigns)
        out += u"  "_s % c.campaignId % u"  "_s % c.state.leftJustified(stateWidth) %
               QString::number(c.count) % u"  "_s % c.title % u'\n';
    return out;
}

} // namespace

int runOverview(const QStringList &args)
{
    VerbParser v(u"overview"_s,
                 u"How agent work is going: runs, pull requests, reviewer load against "
                 "capacity, findings and campaigns per UTC day, as the Overview tab counts "
                 "them. Default: from the first to the last day on file."_s,
                 true);
    v.parser().addOption({u"from"_s, u"The first day counted (YYYY-MM-DD)."_s, u"DAY"_s});
    v.parser().addOption({u"to"_s, u"The last day counted (YYYY-MM-DD)."_s, u"DAY"_s});
    if (!v.parse(args, 0, 0))
        return v.usageExit();
    bool ok = true;
    const auto first = dayOption(v, u"from"_s, &ok);
    const auto last = dayOption(v, u"to"_s, &ok);
    if (!ok)
        return Fatal;
    if (first.has_value() != last.has_value())
        return fail(u"--from and --to go together"_s);
    int code = Ok;
    auto store = v.open(&code, StoreAccess::ReadOnly);
    if (!store)
        return code;
    const std::optional<OverviewData> o =
        store->overview(first ? OverviewRange{*first, *last} : OverviewRange{});
    if (!o)
        return fail(store->errorString());
    const QList<ReviewLoadDay> load = reviewLoadDays(*store, o->reviewLoad);
    if (v.json())
        printJson(overviewJson(*o, load));
    else
        print(overviewText(*o, load));
    return Ok;
}

} // namespace Tasktrail::Cli
