#include "reportquery.h"

#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Splits into terms at unquoted spaces; quotes are removed and \" \\ unescaped.
std::optional<QStringList> splitTerms(const QString &text, QString *error)
{
    QStringList terms;
    QString current;
    bool inQuotes = false;
    bool hasTerm = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes && c == u'\\' && i + 1 < text.size() &&
            (text.at(i + 1) == u'"' || text.at(i + 1) == u'\\')) {
            current += text.at(++i);
        } else if (c == u'"') {
            inQuotes = !inQuotes;
            hasTerm = true;
        } else if (!inQuotes && c.isSpace()) {
            if (hasTerm)
                terms << current;
            current.clear();
            hasTerm = false;
        } else {
            current += c;
            hasTerm = true;
        }
    }
    if (inQuotes) {
        *error = u"unterminated quote in '%1'"_s.arg(current);
        return std::nullopt;
    }
    if (hasTerm)
        terms << current;
    return terms;
}

QString quoted(const QString &value)
{
    const bool plain = !value.isEmpty() && std::none_of(value.cbegin(), value.cend(), [](QChar c) {
        return c.isSpace() || c == u'"' || c == u'\\';
    });
    if (plain)
        return value;
    QString escaped = value;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    return u'"' % escaped % u'"';
}

QString isoUtc(const QDateTime &at)
{
    return at.toUTC().toString(Qt::ISODate);
}

bool setTerm(TaskFilter &f, const QString &key, const QString &value, QString *problem)
{
    if (key == u"text") {
        f.text = value;
    } else if (key == u"state") {
        if (toString(taskStateFromString(value)) != value && value != u"unknown") {
            *problem = u"unknown state '%1'"_s.arg(value);
            return false;
        }
        f.state = value;
    } else if (key == u"repo") {
        f.repo = value;
    } else if (key == u"kind" || key == u"identity") {
        if (toString(identityKindFromString(value)) != value) {
            *problem = u"unknown identity kind '%1'"_s.arg(value);
            return false;
        }
        f.identityKind = value;
    } else if (key == u"policy") {
        f.policyId = value;
    } else if (key == u"campaign") {
        f.campaignId = value;
    } else if (key == u"from" || key == u"since" || key == u"to" || key == u"until") {
        const bool end = key == u"to" || key == u"until";
        const QDateTime at = parseFilterDate(value, end);
        if (!at.isValid()) {
            *problem = u"'%1' is not a date (YYYY-MM-DD or an ISO 8601 time)"_s.arg(value);
            return false;
        }
        (end ? f.to : f.from) = at;
    } else if (key == u"pr") {
        if (value != u"opened" && value != u"merged" && value != u"awaiting_review") {
            *problem = u"'%1' is not opened, merged or awaiting_review"_s.arg(value);
            return false;
        }
        f.pullRequest = value;
    } else if (key == u"pr_from" || key == u"pr_to") {
        const bool end = key == u"pr_to";
        const QDateTime at = parseFilterDate(value, end);
        if (!at.isValid()) {
            *problem = u"'%1' is not a date (YYYY-MM-DD or an ISO 8601 time)"_s.arg(value);
            return false;
        }
        (end ? f.pullRequestTo : f.pullRequestFrom) = at;
    } else if (key == u"review_team") {
        f.reviewTeam = value;
    } else {
        *problem = u"unknown key '%1' (known: text, state, repo, kind, policy, campaign, "
                   "from, to, pr, pr_from, pr_to, review_team)"_s.arg(key);
        return false;
    }
    return true;
}

} // namespace

ReportQuery ReportQuery::forCampaign(const QString &campaignId)
{
    ReportQuery q;
    q.filter.campaignId = campaignId;
    return q;
}

ReportQuery ReportQuery::forRange(const QDateTime &since, const QDateTime &until)
{
    ReportQuery q;
    q.filter.from = since;
    q.filter.to = until;
    return q;
}

QString ReportQuery::effectiveTitle() const
{
    if (!title.isEmpty())
        return title;
    if (!filter.campaignId.isEmpty())
        return u"Campaign report: "_s % filter.campaignId;
    return u"Task report"_s;
}

QDateTime parseFilterDate(const QString &text, bool endOfRange)
{
    const QDate day = QDate::fromString(text, Qt::ISODate);
    if (day.isValid() && text.size() == 10)
        return QDateTime(endOfRange ? day.addDays(1) : day, QTime(0, 0), Qt::UTC);
    QDateTime at = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!at.isValid())
        return {};
    if (at.timeSpec() == Qt::LocalTime)
        at.setTimeSpec(Qt::UTC); // a time without an offset is UTC, as everywhere else
    return at.toUTC();
}

std::optional<TaskFilter> parseFilterExpression(const QString &expression, QString *error)
{
    const auto terms = splitTerms(expression, error);
    if (!terms)
        return std::nullopt;
    TaskFilter f;
    for (const QString &term : *terms) {
        const qsizetype eq = term.indexOf(u'=');
        QString problem;
        if (eq <= 0)
            problem = u"expected key=value"_s;
        else
            setTerm(f, term.left(eq).trimmed().toLower(), term.mid(eq + 1), &problem);
        if (!problem.isEmpty()) {
            *error = u"bad filter term '%1': %2"_s.arg(term, problem);
            return std::nullopt;
        }
    }
    if (f.from.isValid() && f.to.isValid() && f.to <= f.from) {
        *error = u"bad filter: the range ends (%1) before it begins (%2)"_s.arg(isoUtc(f.to),
                                                                                isoUtc(f.from));
        return std::nullopt;
    }
    return f;
}

QString filterExpression(const TaskFilter &f)
{
    QStringList terms;
    const auto add = [&terms](const char *key, const QString &value) {
        if (!value.isEmpty())
            terms << QLatin1StringView(key) % u'=' % quoted(value);
    };
    add("campaign", f.campaignId);
    add("state", f.state);
    add("repo", f.repo);
    add("kind", f.identityKind);
    add("policy", f.policyId);
    add("text", f.text);
    if (f.from.isValid())
        add("from", isoUtc(f.from));
    if (f.to.isValid())
        add("to", isoUtc(f.to));
    add("pr", f.pullRequest);
    if (f.pullRequestFrom.isValid())
        add("pr_from", isoUtc(f.pullRequestFrom));
    if (f.pullRequestTo.isValid())
        add("pr_to", isoUtc(f.pullRequestTo));
    add("review_team", f.reviewTeam);
    return terms.join(u' ');
}

} // namespace Tasktrail
