#include "github/githubshapes.h"

#include "records/recordvalues.h"
#include "text/jsonelements.h"
#include "text/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QMap>
#include <QUrl>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail::GitHub {
namespace {

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qint64 lineAt(const QByteArray &bytes, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, bytes.size());
    return 1 + std::count(bytes.cbegin(), bytes.cbegin() + offset, '\n');
}

qint64 errorLineAt(const QByteArray &json, qsizetype offset)
{
    if (offset < json.size())
        return lineAt(json, offset);
    // The parser ran off the end (a truncated file): the last line with content is where the
    // document stops making sense, not the empty line after the final newline.
    qsizetype end = json.size();
    while (end > 0 && isJsonSpace(json.at(end - 1)))
        --end;
    return lineAt(json, std::max<qsizetype>(end - 1, 0));
}

// The line of the top-level value's opening bracket; only whitespace (or a BOM) precedes it.
qint64 rootLine(const QByteArray &json)
{
    const auto bracket =
        std::find_if(json.cbegin(), json.cend(), [](char c) { return c == '{' || c == '['; });
    return lineAt(json, bracket - json.cbegin());
}

} // namespace

QList<qint64> elementLines(const QByteArray &json, QByteArrayView key)
{
    const qsizetype open =
        key.isEmpty() ? JsonElements::rootArray(json) : JsonElements::keyedArray(json, key);
    QList<qint64> lines;
    if (open < 0)
        return lines;
    const JsonElements::Scan scan = JsonElements::scanArray(json, open);
    for (const JsonElements::Element &element : scan.elements)
        lines.append(element.line);
    return lines;
}

namespace {

// The list wrappers of GitHub's answers: the key of the list and the kind of its elements
// (none: each is recognised by itself).
struct ListWrapper
{
    const char *key;
    std::optional<ItemKind> kind;
};
constexpr ListWrapper listWrappers[] = {
    {"tasks", ItemKind::AgentTask},
    {"check_runs", ItemKind::CheckRun},
    {"check_suites", ItemKind::CheckSuite},
};
// Lists of what Tasktrail keeps no record of, named in one message rather than per element
// (a list answer: the key beside "total_count").
constexpr std::pair<const char *, const char *> unreadLists[] = {
    {"workflow_runs", "GitHub Actions workflow runs"},
    {"jobs", "GitHub Actions jobs"},
};

struct Split
{
    const QByteArray &json;
    QList<Item> items;
    QList<QPair<qint64, QString>> unrecognised;

    void addObject(const QJsonObject &object, qint64 line);
    void addElement(const QJsonValue &value, std::optional<ItemKind> kind, qint64 line);
    void addArray(const QJsonArray &array, QByteArrayView key, std::optional<ItemKind> kind,
                  qint64 fallbackLine);
    bool recoverList(const QString &documentError, qint64 errorLine);
};

QString fullName(const QJsonObject &payload)
{
    return payload.value("repository"_L1).toObject().value("full_name"_L1).toString();
}

// One object that is not a list wrapper: a webhook payload or a bare GitHub object.
void Split::addObject(const QJsonObject &o, qint64 line)
{
    const auto has = [&o](QLatin1StringView key) { return o.contains(key); };
    const QJsonObject pull = o.value("pull_request"_L1).toObject();
    if (o.value("review"_L1).isObject() && !pull.isEmpty()) {
        items.append(Item{ItemKind::Review, o.value("review"_L1).toObject(), line, fullName(o),
                          pull.value("number"_L1).toInt()});
    } else if (o.value("check_suite"_L1).isObject() && !has("head_sha"_L1)) {
        // A webhook payload; a check run names its suite too, beside its own head_sha.
        items.append(
            Item{ItemKind::CheckSuite, o.value("check_suite"_L1).toObject(), line, fullName(o), 0});
    } else if (o.value("check_run"_L1).isObject()) {
        items.append(
            Item{ItemKind::CheckRun, o.value("check_run"_L1).toObject(), line, fullName(o), 0});
    } else if (!pull.isEmpty() && has("number"_L1)) {
        items.append(
            Item{ItemKind::PullRequest, pull, line, fullName(o), o.value("number"_L1).toInt()});
    } else if (has("head_sha"_L1) && has("status"_L1) &&
               (has("latest_check_runs_count"_L1) || has("check_runs_url"_L1))) {
        items.append(Item{ItemKind::CheckSuite, o, line, fullName(o), 0});
    } else if (has("head_sha"_L1) && has("status"_L1) && has("name"_L1) &&
               !has("workflow_id"_L1)) { // Actions workflow runs share those three
        items.append(Item{ItemKind::CheckRun, o, line, {}, 0});
    } else if (has("number"_L1) && has("head"_L1) && has("base"_L1)) {
        items.append(Item{ItemKind::PullRequest, o, line, {}, 0});
    } else if (has("state"_L1) && has("user"_L1) &&
               (has("submitted_at"_L1) || has("pull_request_url"_L1))) {
        items.append(Item{ItemKind::Review, o, line, {}, 0});
    } else if (has("state"_L1) &&
               (has("artifacts"_L1) || has("sessions"_L1) || has("session_count"_L1))) {
        items.append(Item{ItemKind::AgentTask, o, line, {}, 0});
    } else if (o.value("message"_L1).isString() && has("documentation_url"_L1)) {
        unrecognised.append(
            {line, u"GitHub error response: "_s % o.value("message"_L1).toString()});
    } else {
        unrecognised.append(
            {line, u"not a GitHub agent task, pull request, review, check run or check suite"_s});
    }
}

// The elements of a list wrapper become items of the wrapper's kind; elements of a plain
// array are recognised one by one.
void Split::addArray(const QJsonArray &array, QByteArrayView key, std::optional<ItemKind> kind,
                     qint64 fallbackLine)
{
    const QList<qint64> lines = elementLines(json, key);
    for (qsizetype i = 0; i < array.size(); ++i)
        addElement(array.at(i), kind, lines.value(i, fallbackLine));
}

void Split::addElement(const QJsonValue &value, std::optional<ItemKind> kind, qint64 line)
{
    if (!value.isObject())
        unrecognised.append({line, u"expected an object, found "_s % jsonTypeName(value)});
    else if (kind)
        items.append(Item{*kind, value.toObject(), line, {}, 0});
    else
        addObject(value.toObject(), line);
}

// A list that is not valid JSON as a whole is read element by element: each malformed
// element is reported at its line and the rest is kept. False when the document is no list.
bool Split::recoverList(const QString &documentError, qint64 errorLine)
{
    std::optional<ItemKind> kind;
    qsizetype open = JsonElements::rootArray(json);
    for (const ListWrapper &wrapper : listWrappers) {
        if (open < 0 && (open = JsonElements::keyedArray(json, wrapper.key)) >= 0)
            kind = wrapper.kind;
    }
    if (open < 0)
        return false;
    const JsonElements::Scan scan = JsonElements::scanArray(json, open);
    const qsizetype reportedBefore = unrecognised.size();
    for (const JsonElements::Element &element : scan.elements) {
        const JsonElements::Parsed parsed = JsonElements::parse(element);
        if (parsed.value)
            addElement(*parsed.value, kind, element.line);
        else
            unrecognised.append({parsed.errorLine, parsed.error});
    }
    if (!scan.problem.isEmpty())
        unrecognised.append({scan.problemLine, scan.problem});
    // The list itself looked whole: the document's own error is the one to report.
    if (unrecognised.size() == reportedBefore)
        unrecognised.append({errorLine, documentError});
    return true;
}

enum class Need
{
    Optional,
    Required
};

// Typed reads from one JSON object. The first problem wins and names the field by its path
// from the item ("head.ref", "sessions[1].usage.amount"). Absent and null read as empty.
class Fields
{
public:
    Fields(QJsonObject object, QString *error, QString path = {})
        : m_object(std::move(object))
        , m_error(error)
        , m_path(std::move(path))
    {}

    bool isEmpty() const { return m_object.isEmpty(); }

    // Without NUL characters; a required one must not be empty either.
    QString string(QLatin1StringView key, Need need = Need::Optional) const
    {
        const QString text = typed(key, need, &QJsonValue::isString, "string"_L1).toString();
        if (const QString bad = RecordValues::badText(text); !bad.isEmpty())
            fail(u"field '%1': %2"_s.arg(path(key), bad));
        else if (need == Need::Required && text.isEmpty() && m_object.value(key).isString())
            fail(u"field '%1': must not be empty"_s.arg(path(key)));
        return text;
    }

    std::optional<qint64> integer(QLatin1StringView key, Need need = Need::Optional) const
    {
        const QJsonValue v = typed(key, need, &QJsonValue::isDouble, "integer"_L1);
        if (!v.isDouble())
            return std::nullopt;
        const qint64 n = v.toInteger();
        // toInteger() gives 0 for fractions and numbers past 64 bits.
        if (v.toDouble() != static_cast<double>(n)) {
            expected(key, "integer"_L1);
            return std::nullopt;
        }
        return n;
    }

    // A whole number in [min, max]: "field 'number': -3: must be at least 1".
    std::optional<qint64> integer(QLatin1StringView key, Need need, qint64 min, qint64 max) const
    {
        const std::optional<qint64> n = integer(key, need);
        if (!n)
            return std::nullopt;
        if (const QString bad = RecordValues::outOfRange(*n, min, max); !bad.isEmpty()) {
            fail(u"field '%1': %2"_s.arg(path(key), bad));
            return std::nullopt;
        }
        return n;
    }

    // GitHub's ids are positive.
    std::optional<qint64> id(QLatin1StringView key, Need need = Need::Optional) const
    {
        return integer(key, need, 1, RecordValues::maxId);
    }

    // Stored as int; 0 when absent.
    int int32(QLatin1StringView key, Need need, int min) const
    {
        return static_cast<int>(integer(key, need, min, RecordValues::maxInt).value_or(0));
    }

    std::optional<double> number(QLatin1StringView key, Need need = Need::Optional) const
    {
        const QJsonValue v = typed(key, need, &QJsonValue::isDouble, "number"_L1);
        return v.isDouble() ? std::optional(v.toDouble()) : std::nullopt;
    }

    bool boolean(QLatin1StringView key) const
    {
        return typed(key, Need::Optional, &QJsonValue::isBool, "boolean"_L1).toBool();
    }

    // RFC 3339, normalised to UTC so that stored times sort as text.
    QDateTime time(QLatin1StringView key, Need need = Need::Optional) const
    {
        constexpr auto rfc3339 = "RFC 3339 date-time"_L1;
        const QJsonValue v = typed(key, need, &QJsonValue::isString, rfc3339);
        if (!v.isString())
            return {};
        const QString text = v.toString();
        const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!parsed.isValid() || !hasZone(text)) {
            expected(key, rfc3339);
            return {};
        }
        return parsed.toUTC();
    }

    Fields object(QLatin1StringView key) const
    {
        const QJsonValue v = typed(key, Need::Optional, &QJsonValue::isObject, "object"_L1);
        return Fields(v.toObject(), m_error, path(key));
    }

    QJsonArray array(QLatin1StringView key) const
    {
        return typed(key, Need::Optional, &QJsonValue::isArray, "array"_L1).toArray();
    }

    // Element i of array(key), which must be an object.
    Fields element(QLatin1StringView key, const QJsonArray &array, qsizetype i) const
    {
        const QString where = path(key) % u'[' % QString::number(i) % u']';
        const QJsonValue v = array.at(i);
        if (!v.isObject())
            fail(u"field '%1': expected object"_s.arg(where));
        return Fields(v.toObject(), m_error, where);
    }

    // array(key)[].field, skipping elements without it.
    QStringList names(QLatin1StringView key, QLatin1StringView field) const
    {
        QStringList result;
        const QJsonArray list = array(key);
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString name = element(key, list, i).string(field);
            if (!name.isEmpty())
                result.append(name);
        }
        return result;
    }

private:
    QString path(QLatin1StringView key) const
    {
        if (m_path.isEmpty())
            return QString(key);
        return m_path % u'.' % key;
    }

    void fail(const QString &message) const
    {
        if (m_error->isEmpty())
            *m_error = message;
    }

    void expected(QLatin1StringView key, QLatin1StringView type) const
    {
        fail(u"field '%1': expected %2"_s.arg(path(key), type));
    }

    // The value when it has the expected type, otherwise null (an error unless it is absent
    // or null and optional).
    QJsonValue typed(QLatin1StringView key, Need need, bool (QJsonValue::*is)() const,
                     QLatin1StringView type) const
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() && need == Need::Required)
            fail(u"missing '%1'"_s.arg(path(key)));
        else if (v.isNull() && need == Need::Required)
            expected(key, type);
        else if (!v.isUndefined() && !v.isNull() && !(v.*is)())
            expected(key, type);
        else if (!v.isUndefined())
            return v;
        return QJsonValue();
    }

    // RFC 3339 requires an offset; without one Qt reads local time, which would make the result
    // depend on the machine doing the import.
    static bool hasZone(QStringView text)
    {
        if (text.endsWith(u'Z', Qt::CaseInsensitive))
            return true;
        const qsizetype n = text.size();
        return n > 6 && (text.at(n - 6) == u'+' || text.at(n - 6) == u'-') &&
               text.at(n - 3) == u':';
    }

    QJsonObject m_object;
    QString *m_error;
    QString m_path;
};

// owner/name and the path segment after the kind, e.g. the number of a pull request.
struct RepoRef
{
    QString repo;
    QString id;
};

QStringList pathSegments(const QString &url)
{
    return QUrl(url).path().split(u'/', Qt::SkipEmptyParts);
}

// https://api.github.com/repos/O/R/<kind>/<id>, also under /api/v3 (GitHub Enterprise Server)
// and /agents (agent tasks).
std::optional<RepoRef> fromApiUrl(const QString &url, QLatin1StringView kind)
{
    const QStringList s = pathSegments(url);
    for (qsizetype i = 0; i + 3 < s.size(); ++i) {
        if (s.at(i) == "repos"_L1 && s.at(i + 3) == kind)
            return RepoRef{s.at(i + 1) % u'/' % s.at(i + 2), s.value(i + 4)};
    }
    return std::nullopt;
}

// https://github.com/O/R/<kind>/<id>, where kind may span segments ("copilot/tasks").
std::optional<RepoRef> fromWebUrl(const QString &url, QLatin1StringView kind)
{
    const QStringList s = pathSegments(url);
    const QStringList k = QString(kind).split(u'/');
    if (s.size() < 2 + k.size() || s.mid(2, k.size()) != k)
        return std::nullopt;
    return RepoRef{s.at(0) % u'/' % s.at(1), s.value(2 + k.size())};
}

std::optional<RepoRef> fromUrls(const QString &apiUrl, QLatin1StringView apiKind,
                                const QString &webUrl, QLatin1StringView webKind)
{
    if (auto ref = fromApiUrl(apiUrl, apiKind))
        return ref;
    return fromWebUrl(webUrl, webKind);
}

// A session as GitHub sends it: the record plus what the task takes from it.
struct SessionShape
{
    SessionRecord record;
    QString prompt;
    QString headRef;
    QString baseRef;
    QString usageType;
    double usageAmount = 0;
};

// Sessions in created_at order, numbered from 1.
QList<SessionShape> readSessions(const Fields &task, const QString &taskId)
{
    QList<SessionShape> sessions;
    const QJsonArray list = task.array("sessions"_L1);
    for (qsizetype i = 0; i < list.size(); ++i) {
        const Fields s = task.element("sessions"_L1, list, i);
        SessionShape shape;
        SessionRecord &r = shape.record;
        r.id = s.string("id"_L1, Need::Required);
        r.taskId = taskId;
        r.state = taskStateFromString(s.string("state"_L1, Need::Required));
        r.model = s.string("model"_L1);
        r.error = s.object("error"_L1).string("message"_L1);
        r.startedAt = s.time("created_at"_L1, Need::Required);
        r.completedAt = s.time("completed_at"_L1);
        shape.prompt = s.string("prompt"_L1);
        shape.headRef = s.string("head_ref"_L1);
        shape.baseRef = s.string("base_ref"_L1);
        const Fields usage = s.object("usage"_L1);
        if (!usage.isEmpty()) {
            shape.usageType = usage.string("type"_L1, Need::Required);
            shape.usageAmount = usage.number("amount"_L1, Need::Required).value_or(0);
        }
        sessions.append(shape);
    }
    std::stable_sort(sessions.begin(), sessions.end(), [](const auto &a, const auto &b) {
        return a.record.startedAt < b.record.startedAt;
    });
    for (qsizetype i = 0; i < sessions.size(); ++i)
        sessions[i].record.attempt = static_cast<int>(i + 1);
    return sessions;
}

// Per usage type, summed over sessions. ai_credits come in nano units; summing before the one
// division keeps the total exact.
QJsonObject sumUsage(const QList<SessionShape> &sessions)
{
    QMap<QString, double> sums;
    for (const SessionShape &s : sessions) {
        if (!s.usageType.isEmpty())
            sums[s.usageType] += s.usageAmount;
    }
    QJsonObject usage;
    for (auto it = sums.cbegin(); it != sums.cend(); ++it)
        usage.insert(it.key(), it.key() == "ai_credits"_L1 ? it.value() / 1e9 : it.value());
    return usage;
}

void applySessions(const QList<SessionShape> &sessions, TaskRecord *t)
{
    if (sessions.isEmpty())
        return;
    const SessionShape &first = sessions.first();
    const SessionShape &newest = sessions.last();
    // The task is queued when created; the agent starts work with its first session, which
    // is what a runtime budget counts (the task shape has no started_at of its own).
    t->startedAt = first.record.startedAt;
    t->prompt = first.prompt;
    t->headRef = newest.headRef;
    t->baseRef = newest.baseRef;
    t->stateReason = newest.record.error;
    t->usage = sumUsage(sessions);
    for (const SessionShape &s : sessions) {
        t->sessions.append(s.record);
        const QDateTime &done = s.record.completedAt;
        if (isTerminal(t->state) && done.isValid() &&
            (!t->completedAt.isValid() || done > t->completedAt))
            t->completedAt = done;
    }
}

// The first pull artifact's id; the first branch artifact's refs.
void readArtifacts(const Fields &task, TaskRecord *t, QString *headRef, QString *baseRef)
{
    const QJsonArray artifacts = task.array("artifacts"_L1);
    for (qsizetype i = 0; i < artifacts.size(); ++i) {
        const Fields a = task.element("artifacts"_L1, artifacts, i);
        const QString type = a.string("type"_L1, Need::Required);
        const Fields data = a.object("data"_L1);
        if (type == "pull"_L1 && !t->prArtifactId) {
            t->prArtifactId = data.id("id"_L1, Need::Required);
        } else if (type == "branch"_L1 && headRef->isEmpty()) {
            *headRef = data.string("head_ref"_L1);
            *baseRef = data.string("base_ref"_L1);
        }
    }
}

} // namespace

bool splitDocument(const QByteArray &json, QList<Item> *items,
                   QList<QPair<qint64, QString>> *unrecognised, QString *error, qint64 *errorLine)
{
    if (items)
        items->clear();
    if (unrecognised)
        unrecognised->clear();
    const auto syntaxError = [&](const QString &message, qint64 line) {
        if (errorLine)
            *errorLine = line;
        return fail(error, message);
    };
    if (std::all_of(json.cbegin(), json.cend(), isJsonSpace))
        return syntaxError(u"empty document"_s, 1);

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QString message = parseError.error == QJsonParseError::IllegalUTF8String
                                    ? u"invalid UTF-8 in a string"_s
                                    : u"JSON syntax error: "_s % parseError.errorString();
        const qint64 line = errorLineAt(json, parseError.offset);
        Split recovered{json, {}, {}};
        if (!recovered.recoverList(message, line))
            return syntaxError(message, line);
        if (items)
            *items = std::move(recovered.items);
        if (unrecognised)
            *unrecognised = std::move(recovered.unrecognised);
        return true;
    }

    Split split{json, {}, {}};
    const qint64 line = rootLine(json);
    const QJsonObject root = document.object();
    const auto wrapper = std::find_if(
        std::begin(listWrappers), std::end(listWrappers),
        [&root](const ListWrapper &w) { return root.value(QLatin1StringView(w.key)).isArray(); });
    const auto unread =
        std::find_if(std::begin(unreadLists), std::end(unreadLists), [&root](const auto &u) {
            return root.value(QLatin1StringView(u.first)).isArray();
        });
    if (document.isArray())
        split.addArray(document.array(), {}, std::nullopt, line);
    else if (wrapper != std::end(listWrappers))
        split.addArray(root.value(QLatin1StringView(wrapper->key)).toArray(), wrapper->key,
                       wrapper->kind, line);
    else if (unread != std::end(unreadLists))
        split.unrecognised.append(
            {line,
             u"a list of %1 (\"%2\"): Tasktrail keeps no record of them; a run's logs are "
             "read from its log archive (GET /repos/{owner}/{repo}/actions/runs/{id}/logs)"_s.arg(
                 QLatin1StringView(unread->second), QLatin1StringView(unread->first))});
    else
        split.addObject(root, line);

    if (items)
        *items = std::move(split.items);
    if (unrecognised)
        *unrecognised = std::move(split.unrecognised);
    return true;
}

bool toTask(const Item &item, TaskRecord *out, QString *error)
{
    QString problem;
    const Fields f(item.object, &problem);
    TaskRecord t;
    t.id = f.string("id"_L1, Need::Required);
    t.state = taskStateFromString(f.string("state"_L1, Need::Required));
    t.createdAt = f.time("created_at"_L1, Need::Required);
    t.startedAt = t.createdAt;
    t.source = u"github"_s;
    const QDateTime updatedAt = f.time("updated_at"_L1);
    const QString name = f.string("name"_L1);
    const QString apiUrl = f.string("url"_L1);
    const QString webUrl = f.string("html_url"_L1);
    const std::optional<qint64> sessionCount =
        f.integer("session_count"_L1, Need::Optional, 0, RecordValues::maxInt);
    const QString repositoryName = f.object("repository"_L1).string("full_name"_L1);
    QString branchHead;
    QString branchBase;
    readArtifacts(f, &t, &branchHead, &branchBase);
    const QList<SessionShape> sessions = readSessions(f, t.id);
    if (!problem.isEmpty())
        return fail(error, problem);

    const std::optional<RepoRef> ref = fromUrls(apiUrl, "tasks"_L1, webUrl, "copilot/tasks"_L1);
    t.repo = ref ? ref->repo : item.repoHint;
    if (t.repo.isEmpty()) {
        // GitHub's task shape names its repository by id only; the sync resolves the id
        // (GET /repositories/{id}) and writes the name next to it.
        t.repo = repositoryName;
    }
    if (t.repo.isEmpty()) {
        return fail(error, u"cannot tell the repository: no 'url', 'html_url' or "
                           u"'repository.full_name' names it"_s);
    }
    if (const QString bad = RecordValues::badRepository(t.repo); !bad.isEmpty())
        return fail(error, u"repository: "_s % bad);

    applySessions(sessions, &t);
    if (t.prompt.isEmpty())
        t.prompt = name;
    if (t.headRef.isEmpty())
        t.headRef = branchHead;
    if (t.baseRef.isEmpty())
        t.baseRef = branchBase;
    if (isTerminal(t.state) && !t.completedAt.isValid())
        t.completedAt = updatedAt;
    if (item.object.value("sessions"_L1).isArray())
        t.retries = std::max<int>(0, static_cast<int>(sessions.size()) - 1);
    else if (sessionCount)
        t.retries = static_cast<int>(std::max<qint64>(0, *sessionCount - 1));

    if (out)
        *out = std::move(t);
    return true;
}

bool toPullRequest(const Item &item, PullRequestRecord *out, QString *error)
{
    QString problem;
    const Fields f(item.object, &problem);
    PullRequestRecord pr;
    pr.number = f.int32("number"_L1, item.prNumberHint > 0 ? Need::Optional : Need::Required, 1);
    if (pr.number == 0)
        pr.number = item.prNumberHint;
    pr.githubId = f.id("id"_L1).value_or(0);
    pr.title = f.string("title"_L1);
    pr.state = f.string("state"_L1);
    pr.draft = f.boolean("draft"_L1);
    pr.author = f.object("user"_L1).string("login"_L1);
    const Fields head = f.object("head"_L1);
    pr.headRef = head.string("ref"_L1);
    pr.headSha = head.string("sha"_L1);
    const Fields base = f.object("base"_L1);
    pr.baseRef = base.string("ref"_L1);
    const QString baseRepo = base.object("repo"_L1).string("full_name"_L1);
    const QString apiUrl = f.string("url"_L1);
    pr.url = f.string("html_url"_L1);
    pr.mergeCommitSha = f.string("merge_commit_sha"_L1);
    pr.mergedBy = f.object("merged_by"_L1).string("login"_L1);
    pr.mergeableState = f.string("mergeable_state"_L1);
    pr.labels = f.names("labels"_L1, "name"_L1);
    pr.requestedReviewers = f.names("requested_reviewers"_L1, "login"_L1);
    pr.requestedTeams = f.names("requested_teams"_L1, "slug"_L1);
    pr.createdAt = f.time("created_at"_L1);
    pr.updatedAt = f.time("updated_at"_L1);
    pr.closedAt = f.time("closed_at"_L1);
    // merged_at alone says whether it merged: `merged` is missing from list responses.
    pr.mergedAt = f.time("merged_at"_L1);
    if (!problem.isEmpty())
        return fail(error, problem);

    pr.repo = baseRepo.isEmpty() ? item.repoHint : baseRepo;
    if (pr.repo.isEmpty()) {
        if (const auto ref = fromUrls(apiUrl, "pulls"_L1, pr.url, "pull"_L1))
            pr.repo = ref->repo;
    }
    if (pr.repo.isEmpty()) {
        return fail(error, u"cannot tell the repository: no 'base.repo.full_name', 'url' or "
                           u"'html_url' names it"_s);
    }
    if (const QString bad = RecordValues::badRepository(pr.repo); !bad.isEmpty())
        return fail(error, u"repository: "_s % bad);
    if (out)
        *out = std::move(pr);
    return true;
}

bool toReview(const Item &item, ReviewRecord *out, QString *error)
{
    QString problem;
    const Fields f(item.object, &problem);
    ReviewRecord review;
    review.id = f.id("id"_L1, Need::Required).value_or(0);
    review.reviewer = f.object("user"_L1).string("login"_L1);
    // Webhooks spell review states in lower case, the REST API in upper case.
    review.state = f.string("state"_L1).toUpper();
    review.commitId = f.string("commit_id"_L1);
    review.submittedAt = f.time("submitted_at"_L1);
    const QString apiUrl = f.string("pull_request_url"_L1);
    const QString webUrl = f.string("html_url"_L1);
    if (!problem.isEmpty())
        return fail(error, problem);

    const std::optional<RepoRef> ref = fromUrls(apiUrl, "pulls"_L1, webUrl, "pull"_L1);
    review.repo = ref ? ref->repo : item.repoHint;
    review.prNumber = ref ? ref->id.toInt() : 0;
    if (review.prNumber <= 0)
        review.prNumber = item.prNumberHint;
    if (review.repo.isEmpty() || review.prNumber <= 0) {
        return fail(error, u"cannot tell the pull request: no 'pull_request_url' or 'html_url' "
                           u"names it"_s);
    }
    if (const QString bad = RecordValues::badRepository(review.repo); !bad.isEmpty())
        return fail(error, u"repository: "_s % bad);
    if (out)
        *out = std::move(review);
    return true;
}

bool toCheckRun(const Item &item, CheckRunRecord *out, QString *error)
{
    QString problem;
    const Fields f(item.object, &problem);
    CheckRunRecord run;
    run.id = f.id("id"_L1, Need::Required).value_or(0);
    run.name = f.string("name"_L1, Need::Required);
    run.headSha = f.string("head_sha"_L1, Need::Required);
    run.status = f.string("status"_L1);
    run.conclusion = f.string("conclusion"_L1);
    run.app = f.object("app"_L1).string("slug"_L1);
    run.startedAt = f.time("started_at"_L1);
    run.completedAt = f.time("completed_at"_L1);
    const QString apiUrl = f.string("url"_L1);
    const QString webUrl = f.string("html_url"_L1);
    const QJsonArray pulls = f.array("pull_requests"_L1);
    if (!pulls.isEmpty())
        run.prNumber =
            f.element("pull_requests"_L1, pulls, 0).int32("number"_L1, Need::Required, 1);
    else if (item.prNumberHint > 0)
        run.prNumber = item.prNumberHint;
    if (!problem.isEmpty())
        return fail(error, problem);

    const std::optional<RepoRef> ref = fromUrls(apiUrl, "check-runs"_L1, webUrl, "runs"_L1);
    run.repo = ref ? ref->repo : item.repoHint;
    if (run.repo.isEmpty())
        return fail(error, u"cannot tell the repository: no 'url' or 'html_url' names it"_s);
    if (const QString bad = RecordValues::badRepository(run.repo); !bad.isEmpty())
        return fail(error, u"repository: "_s % bad);
    if (out)
        *out = std::move(run);
    return true;
}

bool toCheckSuite(const Item &item, CheckSuiteRecord *out, QString *error)
{
    QString problem;
    const Fields f(item.object, &problem);
    CheckSuiteRecord suite;
    suite.id = f.id("id"_L1, Need::Required).value_or(0);
    suite.headSha = f.string("head_sha"_L1, Need::Required);
    suite.headBranch = f.string("head_branch"_L1);
    suite.status = f.string("status"_L1);
    suite.conclusion = f.string("conclusion"_L1);
    suite.app = f.object("app"_L1).string("slug"_L1);
    suite.createdAt = f.time("created_at"_L1);
    suite.updatedAt = f.time("updated_at"_L1);
    const QString apiUrl = f.string("url"_L1);
    const QString ownRepo = f.object("repository"_L1).string("full_name"_L1);
    const QJsonArray pulls = f.array("pull_requests"_L1);
    if (!pulls.isEmpty())
        suite.prNumber =
            f.element("pull_requests"_L1, pulls, 0).int32("number"_L1, Need::Required, 1);
    else if (item.prNumberHint > 0)
        suite.prNumber = item.prNumberHint;
    if (!problem.isEmpty())
        return fail(error, problem);

    const std::optional<RepoRef> ref = fromApiUrl(apiUrl, "check-suites"_L1);
    suite.repo = ref ? ref->repo : !ownRepo.isEmpty() ? ownRepo : item.repoHint;
    if (suite.repo.isEmpty())
        return fail(error, u"cannot tell the repository: no 'url' or 'repository' names it"_s);
    if (const QString bad = RecordValues::badRepository(suite.repo); !bad.isEmpty())
        return fail(error, u"repository: "_s % bad);
    if (out)
        *out = std::move(suite);
    return true;
}

} // namespace Tasktrail::GitHub
