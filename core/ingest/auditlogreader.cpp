// GitHub audit-log events, as the audit log stream writes them (one JSON object per line, to
// S3, Splunk, ...), as the audit log export writes them, and as GET /orgs/{org}/audit-log
// answers (a JSON array). The fields are GitHub's audit-log event fields; where GitHub spells a
// field two ways, both are read (docs/data-model.md, "Audit events").
#include "fileingest.h"
#include "records/recordvalues.h"
#include "store/recordstore.h"
#include "text/jsonelements.h"
#include "text/jsonfields.h"
#include "text/linereader.h"
#include "text/sha256.h"

#include <QJsonDocument>
#include <QTimeZone>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Tasktrail {
namespace {

// Lines of a stream looked at to decide its format: the first ones may be malformed.
constexpr int linesToDetect = 20;
// Milliseconds after the epoch that are plausible event times: 1990 to 2200.
constexpr double earliestMs = 631152000000.0;
constexpr double latestMs = 7258118400000.0;

bool isAuditEvent(const QJsonObject &o)
{
    return o.value("action"_L1).isString() && o.contains("actor"_L1) &&
           (o.contains("@timestamp"_L1) || o.contains("created_at"_L1));
}

// The bytes of the first element of an array, from its '{' to the matching '}'; empty when the
// head ends first or the element is not an object.
QByteArrayView firstElement(QByteArrayView head)
{
    qsizetype i = 1;
    while (i < head.size() && QChar::isSpace(uchar(head.at(i))))
        ++i;
    if (i >= head.size() || head.at(i) != '{')
        return {};
    const qsizetype start = i;
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (; i < head.size(); ++i) {
        const char c = head.at(i);
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return head.sliced(start, i - start + 1);
        }
    }
    return {};
}

// "@timestamp" (when the event happened), else "created_at" (when it was recorded): epoch
// milliseconds as GitHub writes them, or an RFC 3339 time as some exports convert them to.
QDateTime eventTime(const QJsonObject &o, QString *error)
{
    for (const QLatin1StringView key : {"@timestamp"_L1, "created_at"_L1}) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined() || v.isNull())
            continue;
        if (v.isString()) {
            const QDateTime t = parseRfc3339(v.toString());
            if (!t.isValid())
                *error = u"field '%1': '%2' is not a time"_s.arg(key, v.toString().left(40));
            return t.toUTC();
        }
        const double ms = v.toDouble();
        if (!v.isDouble() || std::trunc(ms) != ms || ms < earliestMs || ms > latestMs) {
            *error = u"field '%1': expected milliseconds since the epoch, got %2"_s.arg(
                key, v.isDouble() ? QString::number(ms, 'g', 15) : jsonTypeName(v));
            return {};
        }
        return QDateTime::fromMSecsSinceEpoch(qint64(ms), QTimeZone::utc());
    }
    *error = u"missing required field '@timestamp' or 'created_at'"_s;
    return {};
}

// A number in the stream, a string in some exports.
QString tokenId(const QJsonObject &o, QString *error)
{
    const QJsonValue v = o.value("token_id"_L1);
    if (v.isString()) {
        if (const QString bad = RecordValues::badText(v.toString()); !bad.isEmpty())
            *error = u"field 'token_id': "_s % bad;
        return v.toString();
    }
    if (v.isDouble() && std::trunc(v.toDouble()) == v.toDouble()) {
        const double id = v.toDouble();
        if (id < 1 || id > double(RecordValues::maxId)) {
            *error = u"field 'token_id': %1: must be between 1 and %2"_s
                         .arg(QString::number(id, 'g', 17))
                         .arg(RecordValues::maxId);
            return {};
        }
        return QString::number(qint64(id));
    }
    if (!v.isUndefined() && !v.isNull())
        *error = u"field 'token_id': expected an integer or a string, got %1"_s.arg(
            v.isDouble() ? QString::number(v.toDouble(), 'g', 15) : jsonTypeName(v));
    return {};
}

// "repo,read:org" in the stream; an array in some exports.
QStringList tokenScopes(const QJsonObject &o, JsonFields &f)
{
    const QJsonValue v = o.value("token_scopes"_L1);
    if (!v.isString())
        return f.strings("token_scopes"_L1);
    // The same checks as every other string: no NUL.
    f.string("token_scopes"_L1);
    QStringList scopes;
    const QStringList parts = v.toString().split(u',');
    for (const QString &part : parts) {
        if (!part.trimmed().isEmpty())
            scopes << part.trimmed();
    }
    return scopes;
}

// The first of several spellings that is present.
QString firstOf(JsonFields &f, std::initializer_list<QLatin1StringView> keys)
{
    for (const QLatin1StringView key : keys) {
        const QString value = f.string(key);
        if (!value.isEmpty())
            return value;
    }
    return {};
}

bool toAuditEvent(const QJsonObject &o, AuditEvent *e, QString *error)
{
    JsonFields f(o);
    e->action = f.string("action"_L1, JsonFields::Required);
    e->actor = f.string("actor"_L1);
    e->actorIsBot = f.boolean("actor_is_bot"_L1).value_or(false);
    e->repo = firstOf(f, {"repo"_L1, "repository"_L1});
    e->hashedToken = f.string("hashed_token"_L1);
    e->programmaticAccessType = f.string("programmatic_access_type"_L1);
    e->tokenScopes = tokenScopes(o, f);
    e->requestMethod = f.string("request_method"_L1);
    // The route template names the API; the concrete path is the fallback.
    e->requestRoute = firstOf(f, {"request_route"_L1, "route"_L1, "url_path"_L1});
    e->userAgent = f.string("user_agent"_L1);
    const QString documentId = f.string("_document_id"_L1);
    if (f.ok() && !e->repo.isEmpty()) {
        if (const QString bad = RecordValues::badRepository(e->repo); !bad.isEmpty())
            f.setError(u"field 'repo': "_s % bad);
    }
    if (!f.ok()) {
        *error = f.error();
        return false;
    }
    e->at = eventTime(o, error);
    e->tokenId = tokenId(o, error);
    if (!error->isEmpty())
        return false;
    // Without GitHub's id, the event's canonical form (sorted keys, compact) is its identity.
    e->id = !documentId.isEmpty()
                ? documentId
                : u"sha256:"_s +
                      QString::fromLatin1(
                          Sha256::of(QJsonDocument(o).toJson(QJsonDocument::Compact)).toHex());
    return true;
}

// Free text may carry what a client put there (a token in a user agent or a path).
int redact(AuditEvent &e)
{
    int count = Redactor::redactKey(e.repo); // matched with tasks' repositories
    for (QString *text : {&e.action, &e.actor, &e.programmaticAccessType, &e.requestMethod,
                          &e.requestRoute, &e.userAgent, &e.tokenId})
        count += Redactor::redactText(*text);
    for (QString &scope : e.tokenScopes)
        count += Redactor::redactText(scope);
    return count;
}

// One event mapped and redacted, ready to store (or the reason it is rejected).
struct PreparedEvent
{
    AuditEvent event;
    QString rejection;
    int redactions = 0;
};

PreparedEvent prepareEvent(const QJsonObject &object, bool mayHaveSecrets)
{
    PreparedEvent out;
    if (toAuditEvent(object, &out.event, &out.rejection))
        out.redactions = mayHaveSecrets ? redact(out.event) : 0;
    else if (out.rejection.isEmpty())
        out.rejection = u"not an audit event"_s;
    return out;
}

// Stores one prepared event; false only on a store error.
bool store(FileIngest &ingest, const PreparedEvent &prepared, qint64 line)
{
    if (!prepared.rejection.isEmpty()) {
        ingest.reject(line, prepared.rejection);
        return true;
    }
    bool inserted = false;
    if (!ingest.store().writeAuditEvent(prepared.event, &inserted))
        return ingest.fatal(u"line %1: cannot store the audit event"_s.arg(line));
    if (inserted) {
        ++ingest.counts().ingested;
        ingest.counts().redactions += prepared.redactions;
    } else {
        ++ingest.counts().duplicates;
    }
    return true;
}

} // namespace

bool looksLikeAuditLog(QByteArrayView head)
{
    if (head.startsWith('[')) {
        const QJsonDocument first = QJsonDocument::fromJson(firstElement(head).toByteArray());
        return first.isObject() && isAuditEvent(first.object());
    }
    qsizetype start = 0;
    for (int seen = 0; seen < linesToDetect && start < head.size(); ++seen) {
        qsizetype end = head.indexOf('\n', start);
        if (end < 0)
            end = head.size();
        const QJsonDocument line =
            QJsonDocument::fromJson(head.sliced(start, end - start).toByteArray());
        if (line.isObject())
            return isAuditEvent(line.object());
        start = end + 1;
    }
    return false;
}

bool ingestAuditLogLines(FileIngest &ingest, LineReader &reader)
{
    return ingest.readPreparedLines<PreparedEvent>(
        reader,
        [](const QJsonObject &object, qint64, const QByteArray &line) {
            return prepareEvent(object, Redactor::mayContainSecret(line.constData(), line.size()));
        },
        [&ingest](PreparedEvent &prepared, qint64 lineNo) {
            return store(ingest, prepared, lineNo) ? FileIngest::LineResult::Stored
                                                   : FileIngest::LineResult::Failed;
        });
}

// Element by element: a malformed event is reported at its line and the others are read, and
// a list cut off in the middle keeps the events before the cut.
bool ingestAuditLogDocument(FileIngest &ingest, const QByteArray &document)
{
    const qsizetype open = JsonElements::rootArray(document);
    if (open < 0) {
        ingest.reject(1, u"expected a JSON array of audit events"_s);
        return true;
    }
    if (!ingest.ensureBatch())
        return false;
    const JsonElements::Scan scan = JsonElements::scanArray(document, open);
    const bool mayHaveSecrets = Redactor::mayContainSecret(document.constData(), document.size());
    for (const JsonElements::Element &element : scan.elements) {
        const JsonElements::Parsed parsed = JsonElements::parse(element);
        if (!parsed.value) {
            ingest.reject(parsed.errorLine, parsed.error);
            continue;
        }
        if (!parsed.value->isObject()) {
            ingest.reject(element.line, u"expected an audit event object, found "_s %
                                            jsonTypeName(*parsed.value));
            continue;
        }
        if (!store(ingest, prepareEvent(parsed.value->toObject(), mayHaveSecrets), element.line))
            return false;
        const qint64 position =
            element.bytes.constData() + element.bytes.size() - document.constData();
        if (!ingest.step(ingest.options().recordBatch, position))
            return false;
    }
    if (!scan.problem.isEmpty())
        ingest.reject(scan.problemLine, scan.problem);
    return true;
}

} // namespace Tasktrail
