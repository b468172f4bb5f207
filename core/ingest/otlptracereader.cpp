// OpenTelemetry traces as OTLP JSON (opentelemetry-proto's TracesData in the protobuf JSON
// mapping, one object per line as the collector's file exporter writes it: resourceSpans[] >
// scopeSpans[] > spans[] with hex traceId/spanId/parentSpanId, times as decimal strings of
// nanoseconds, attributes as [{key, value: {stringValue|intValue|...}}] and status) with the
// GenAI semantic conventions' agent and tool spans. A trace's spans come in any order (a
// child ends, and is exported, before its parent), so a trace's spans are held until it is
// complete: when its root span (the one without a parent) has been read, at the end of that
// line, since the root ends after every span below it; the rest at the end of the file. Then
// they are grouped: each invoke_agent span without an invoke_agent ancestor is a task, an
// invoke_agent span inside it a sub-agent's session, an execute_tool span below them a command
// (shell-like tools) or a contact, and chat spans give the model and usage.
// docs/transcripts.md says what is kept.
#include "agentrunwriter.h"
#include "fileingest.h"
#include "text/jsonfields.h"
#include "text/linereader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>
#include <QUrl>

#include <algorithm>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

const QString agentName = u"otel"_s;
// Spans of traces not yet complete are held: past this many, the rest is not read.
constexpr qsizetype maxSpans = 1000000;
// A parent chain longer than this is a loop or not a trace an agent wrote.
constexpr int maxDepth = 256;

struct Span
{
    QByteArray traceId;
    QByteArray spanId;
    QByteArray parentId;
    QString name;
    QString operation; // gen_ai.operation.name
    QDateTime start;
    QDateTime end;
    QJsonObject attributes;
    int status = 0; // 0 unset, 1 ok, 2 error
    QString statusMessage;
    QString service;
    qint64 line = 0;
};

bool isHexId(const QByteArray &id, qsizetype length)
{
    static const QRegularExpression hex(u"^[0-9a-fA-F]*$"_s);
    return id.size() == length && hex.match(QString::fromLatin1(id)).hasMatch() &&
           id.count('0') != length;
}

// AnyValue in its JSON mapping; an intValue is a decimal string (64-bit), or a number.
QJsonValue anyValue(const QJsonObject &value)
{
    if (value.contains("stringValue"_L1))
        return value.value("stringValue"_L1);
    if (value.contains("intValue"_L1)) {
        const QJsonValue v = value.value("intValue"_L1);
        bool ok = false;
        const qint64 n = v.isString() ? v.toString().toLongLong(&ok) : v.toInteger();
        return ok || v.isDouble() ? QJsonValue(n) : v;
    }
    if (value.contains("doubleValue"_L1))
        return value.value("doubleValue"_L1).toDouble();
    if (value.contains("boolValue"_L1))
        return value.value("boolValue"_L1).toBool();
    if (value.contains("arrayValue"_L1)) {
        QJsonArray out;
        const QJsonArray values =
            value.value("arrayValue"_L1).toObject().value("values"_L1).toArray();
        for (const QJsonValue &v : values)
            out << anyValue(v.toObject());
        return out;
    }
    if (value.contains("kvlistValue"_L1)) {
        QJsonObject out;
        const QJsonArray values =
            value.value("kvlistValue"_L1).toObject().value("values"_L1).toArray();
        for (const QJsonValue &kv : values)
            out.insert(kv.toObject().value("key"_L1).toString(),
                       anyValue(kv.toObject().value("value"_L1).toObject()));
        return out;
    }
    return value.value("bytesValue"_L1);
}

QJsonObject attributesOf(const QJsonValue &list)
{
    QJsonObject out;
    const QJsonArray array = list.toArray();
    for (const QJsonValue &kv : array) {
        const QJsonObject o = kv.toObject();
        const QString key = o.value("key"_L1).toString();
        if (!key.isEmpty())
            out.insert(key, anyValue(o.value("value"_L1).toObject()));
    }
    return out;
}

// fixed64 nanoseconds since the epoch, as a decimal string (or a number), range-checked
// before it is narrowed to milliseconds. An absent or zero time is invalid, not an error.
std::optional<QDateTime> timeOf(const QJsonValue &value, QString *error)
{
    if (value.isUndefined() || value.isNull())
        return QDateTime();
    bool ok = false;
    qulonglong ns = 0;
    if (value.isString()) {
        ns = value.toString().toULongLong(&ok);
    } else if (value.isDouble() && value.toDouble() >= 0 && value.toDouble() < 9.2e18) {
        ns = qulonglong(value.toDouble());
        ok = true;
    }
    if (!ok || ns > qulonglong(std::numeric_limits<qint64>::max())) {
        *error = u"'%1' is not a time in nanoseconds since 1970 that fits in 64 bits"_s.arg(
            value.isString() ? value.toString().left(40) : jsonTypeName(value));
        return std::nullopt;
    }
    if (ns == 0)
        return QDateTime();
    return QDateTime::fromMSecsSinceEpoch(qint64(ns / 1000000), QTimeZone::utc());
}

QString spanError(const QJsonObject &o, Span *span)
{
    span->traceId = o.value("traceId"_L1).toString().toLatin1().toLower();
    span->spanId = o.value("spanId"_L1).toString().toLatin1().toLower();
    span->parentId = o.value("parentSpanId"_L1).toString().toLatin1().toLower();
    span->name = o.value("name"_L1).toString();
    if (!isHexId(span->traceId, 32))
        return u"traceId is not 32 hexadecimal digits"_s;
    if (!isHexId(span->spanId, 16))
        return u"spanId is not 16 hexadecimal digits"_s;
    if (!span->parentId.isEmpty() && !isHexId(span->parentId, 16))
        return u"parentSpanId is not 16 hexadecimal digits"_s;
    QString error;
    const std::optional<QDateTime> start = timeOf(o.value("startTimeUnixNano"_L1), &error);
    if (!start)
        return u"startTimeUnixNano: "_s % error;
    const std::optional<QDateTime> end = timeOf(o.value("endTimeUnixNano"_L1), &error);
    if (!end)
        return u"endTimeUnixNano: "_s % error;
    span->start = *start;
    span->end = *end;
    span->attributes = attributesOf(o.value("attributes"_L1));
    const QJsonObject status = o.value("status"_L1).toObject();
    const QJsonValue code = status.value("code"_L1);
    span->status = code.isString() ? (code.toString() == u"STATUS_CODE_ERROR" ? 2
                                      : code.toString() == u"STATUS_CODE_OK"  ? 1
                                                                              : 0)
                                   : code.toInt();
    span->statusMessage = status.value("message"_L1).toString();
    span->operation = span->attributes.value("gen_ai.operation.name"_L1).toString();
    if (span->operation.isEmpty())
        span->operation = span->name.section(u' ', 0, 0); // "invoke_agent Planner"
    return {};
}

QString attr(const Span &span, QLatin1StringView key)
{
    const QJsonValue v = span.attributes.value(key);
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toInteger());
    return {};
}

// A JSON text attribute (gen_ai.tool.call.arguments) or an object.
QJsonObject objectAttr(const Span &span, QLatin1StringView key)
{
    const QJsonValue v = span.attributes.value(key);
    if (v.isObject())
        return v.toObject();
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

class OtlpTraces
{
public:
    explicit OtlpTraces(FileIngest &ingest)
        : m_ingest(ingest)
    {}
    FileIngest::LineResult line(const QJsonObject &object, qint64 lineNo);
    // Writes the traces whose root span the line brought.
    bool writeComplete(qint64 bytePosition);
    bool finish(qint64 bytePosition);

private:
    struct Trace
    {
        QList<Span> spans;
        QHash<QByteArray, int> index; // traceId + spanId
    };
    bool writeTrace(const QByteArray &traceId, qint64 bytePosition);
    bool writeHeld(qint64 bytePosition);
    int agentOf(int span) const;
    int rootOf(int agent) const;
    bool writeTask(int root, const QList<int> &agents, const QList<int> &tools,
                   const QList<int> &chats);
    bool messages(AgentRunWriter &run, const Span &agent, const QString &session,
                  QLatin1StringView key, bool sidechain);
    bool tool(AgentRunWriter &run, const Span &span, const QString &session, bool sidechain);

    FileIngest &m_ingest;
    // The trace being written.
    QList<Span> m_spans;
    QHash<QByteArray, int> m_index; // traceId + spanId
    // Traces not yet complete, in the order they began; those complete and written.
    QHash<QByteArray, Trace> m_open;
    QList<QByteArray> m_order;
    QList<QByteArray> m_complete;
    QSet<QByteArray> m_written;
    qsizetype m_held = 0;
    qint64 m_spansRead = 0;
    qint64 m_late = 0;
    int m_outside = 0;
    bool m_anyAgent = false;
};

FileIngest::LineResult OtlpTraces::line(const QJsonObject &object, qint64 lineNo)
{
    if (!object.value("resourceSpans"_L1).isArray()) {
        m_ingest.reject(lineNo, u"expected a TracesData object with a resourceSpans array"_s);
        return FileIngest::LineResult::Rejected;
    }
    const QJsonArray resources = object.value("resourceSpans"_L1).toArray();
    int rejected = 0;
    for (const QJsonValue &r : resources) {
        const QJsonObject resource = r.toObject();
        const QString service =
            attributesOf(resource.value("resource"_L1).toObject().value("attributes"_L1))
                .value("service.name"_L1)
                .toString();
        const QJsonArray scopes = resource.value("scopeSpans"_L1).toArray();
        for (const QJsonValue &scope : scopes) {
            const QJsonArray spans = scope.toObject().value("spans"_L1).toArray();
            for (qsizetype i = 0; i < spans.size(); ++i) {
                Span span;
                span.line = lineNo;
                span.service = service;
                const QString error = spanError(spans.at(i).toObject(), &span);
                if (!error.isEmpty()) {
                    ++rejected;
                    m_ingest.reject(lineNo,
                                    u"span %1 (%2): %3; the other spans are read"_s.arg(i + 1).arg(
                                        span.name.left(80), error));
                    continue;
                }
                if (m_written.contains(span.traceId)) {
                    ++m_late; // the same span exported twice, or one after its trace's root
                    continue;
                }
                Trace &trace = m_open[span.traceId];
                const QByteArray key = span.traceId + span.spanId;
                if (trace.index.contains(key))
                    continue; // the same span exported twice
                if (m_held >= maxSpans) {
                    m_ingest.reject(lineNo, u"more than %1 spans of traces whose root span has "
                                            "not come: the rest is not read"_s.arg(maxSpans));
                    return FileIngest::LineResult::Rejected;
                }
                if (trace.spans.isEmpty())
                    m_order.append(span.traceId);
                if (span.parentId.isEmpty() && !m_complete.contains(span.traceId))
                    m_complete.append(span.traceId);
                ++m_held;
                ++m_spansRead;
                trace.index.insert(key, int(trace.spans.size()));
                trace.spans.append(std::move(span));
            }
        }
    }
    return rejected > 0 && m_spansRead == 0 ? FileIngest::LineResult::Rejected
                                            : FileIngest::LineResult::Stored;
}

// The nearest invoke_agent span above `span`; -1 for none.
int OtlpTraces::agentOf(int span) const
{
    int at = span;
    for (int depth = 0; depth < maxDepth; ++depth) {
        const Span &s = m_spans.at(at);
        if (s.parentId.isEmpty())
            return -1;
        at = m_index.value(s.traceId + s.parentId, -1);
        if (at < 0)
            return -1;
        if (m_spans.at(at).operation == u"invoke_agent")
            return at;
    }
    return -1;
}

int OtlpTraces::rootOf(int agent) const
{
    for (int depth = 0; depth < maxDepth; ++depth) {
        const int above = agentOf(agent);
        if (above < 0)
            return agent;
        agent = above;
    }
    return agent;
}

bool OtlpTraces::writeComplete(qint64 bytePosition)
{
    const QList<QByteArray> complete = std::exchange(m_complete, {});
    for (const QByteArray &traceId : complete) {
        if (!writeTrace(traceId, bytePosition))
            return false;
    }
    return true;
}

bool OtlpTraces::finish(qint64 bytePosition)
{
    const QList<QByteArray> order = m_order;
    for (const QByteArray &traceId : order) {
        if (m_open.contains(traceId) && !writeTrace(traceId, bytePosition))
            return false;
    }
    if (m_outside > 0)
        m_ingest.warn(0, u"%1 execute_tool spans are under no invoke_agent span: they belong to "
                         "no task and were not read"_s.arg(m_outside));
    if (!m_anyAgent && m_spansRead > 0)
        m_ingest.warn(0, u"no invoke_agent span (gen_ai.operation.name): the traces name no agent "
                         "run, so no task was read"_s);
    if (m_late > 0)
        m_ingest.warn(
            0, u"%1 spans came after their trace had been written (its root span read "
               "on an earlier line) or were exported twice: they were not read"_s.arg(m_late));
    return true;
}

// One trace's spans, grouped into tasks and written; then they are let go.
bool OtlpTraces::writeTrace(const QByteArray &traceId, qint64 bytePosition)
{
    Trace trace = m_open.take(traceId);
    m_order.removeOne(traceId);
    m_written.insert(traceId);
    m_held -= trace.spans.size();
    m_spans = std::move(trace.spans);
    m_index = std::move(trace.index);
    const bool ok = writeHeld(bytePosition);
    m_spans.clear();
    m_index.clear();
    return ok;
}

bool OtlpTraces::writeHeld(qint64 bytePosition)
{
    QMap<int, QList<int>> agents; // root -> its agents, itself first
    QMap<int, QList<int>> tools;
    QMap<int, QList<int>> chats;
    for (int i = 0; i < m_spans.size(); ++i) {
        const QString &op = m_spans.at(i).operation;
        if (op == u"invoke_agent") {
            agents[rootOf(i)].append(i);
            continue;
        }
        if (op != u"execute_tool" && op != u"chat")
            continue;
        const int agent = agentOf(i);
        if (agent < 0) {
            m_outside += op == u"execute_tool" ? 1 : 0;
            continue;
        }
        (op == u"chat" ? chats : tools)[rootOf(agent)].append(i);
    }
    m_anyAgent = m_anyAgent || !agents.isEmpty();
    const auto byStart = [this](int a, int b) { return m_spans.at(a).start < m_spans.at(b).start; };
    for (auto it = agents.begin(); it != agents.end(); ++it) {
        std::stable_sort(it->begin(), it->end(), byStart);
        it->removeOne(it.key());
        it->prepend(it.key());
        QList<int> &calls = tools[it.key()];
        std::stable_sort(calls.begin(), calls.end(), byStart);
        const QList<int> taskChats = chats.value(it.key());
        // A task is as many units of the batch as it has spans: one trace can hold thousands
        // of tool calls, and counted as one a batch would hold a thousand such traces.
        const qsizetype spans = it->size() + calls.size() + taskChats.size();
        if (!writeTask(it.key(), *it, calls, taskChats) ||
            !m_ingest.step(m_ingest.options().recordBatch, bytePosition,
                           int(std::min<qsizetype>(spans, m_ingest.options().recordBatch))))
            return false;
    }
    return true;
}

bool OtlpTraces::writeTask(int root, const QList<int> &agents, const QList<int> &tools,
                           const QList<int> &chats)
{
    const Span &top = m_spans.at(root);
    AgentRunWriter run(m_ingest, agentName);
    if (!run.startTask(QString::fromLatin1(top.traceId % '/' % top.spanId)))
        return false;
    const auto sessionOf = [&](int agent) {
        return agent == root
                   ? run.taskId()
                   : run.taskId() % u"/agent-"_s % QString::fromLatin1(m_spans.at(agent).spanId);
    };
    QJsonObject usage;
    const auto addUsage = [&usage](const Span &s) {
        for (const QLatin1StringView key :
             {"gen_ai.usage.input_tokens"_L1, "gen_ai.usage.output_tokens"_L1}) {
            if (s.attributes.value(key).isDouble())
                usage.insert(key.sliced(13), usage.value(key.sliced(13)).toInteger() +
                                                 s.attributes.value(key).toInteger());
        }
    };
    for (const int chat : chats)
        addUsage(m_spans.at(chat));
    if (usage.isEmpty()) {
        for (const int agent : agents)
            addUsage(m_spans.at(agent));
    }
    run.task().usage = usage;
    for (const int i : agents) {
        const Span &agent = m_spans.at(i);
        SessionRecord &session = run.session(sessionOf(i));
        session.model = attr(agent, "gen_ai.response.model"_L1);
        if (session.model.isEmpty())
            session.model = attr(agent, "gen_ai.request.model"_L1);
        session.startedAt = agent.start;
        session.completedAt = agent.end;
        session.state = agent.status == 2 ? TaskState::Failed : TaskState::Completed;
        session.error = agent.status == 2 ? agent.statusMessage : QString();
        run.seen(agent.start);
        run.seen(agent.end);
        QString what = u"agent "_s % attr(agent, "gen_ai.agent.name"_L1);
        if (const QString id = attr(agent, "gen_ai.agent.id"_L1); !id.isEmpty())
            what += u" ("_s % id % u')';
        if (!agent.service.isEmpty())
            what += u" in service "_s % agent.service;
        if (!run.entry(
                {sessionOf(i), {}, 0, u"system"_s, {}, {}, agent.start, what, 0, i != root, false},
                agent.line) ||
            !messages(run, agent, sessionOf(i), "gen_ai.input.messages"_L1, i != root))
            return false;
    }
    for (const int chat : chats) {
        const Span &c = m_spans.at(chat);
        SessionRecord &session = run.session(sessionOf(agentOf(chat)));
        if (session.model.isEmpty())
            session.model = attr(c, "gen_ai.response.model"_L1);
        if (session.model.isEmpty())
            session.model = attr(c, "gen_ai.request.model"_L1);
    }
    for (const int i : tools) {
        const int agent = agentOf(i);
        if (!tool(run, m_spans.at(i), sessionOf(agent), agent != root))
            return false;
    }
    for (const int i : agents) {
        if (!messages(run, m_spans.at(i), sessionOf(i), "gen_ai.output.messages"_L1, i != root))
            return false;
    }
    TaskRecord &task = run.task();
    if (top.status == 2) {
        task.state = TaskState::Failed;
        task.stateReason =
            top.statusMessage.isEmpty() ? attr(top, "error.type"_L1) : top.statusMessage;
    } else if (top.end.isValid()) {
        task.state = TaskState::Completed;
    }
    if (!top.end.isValid())
        task.knownGaps << u"the invoke_agent span has no end time"_s;
    return run.finish();
}

// gen_ai.input.messages / gen_ai.output.messages: [{role, parts: [{type: text, content}]}],
// recorded only when the instrumentation is told to capture content.
bool OtlpTraces::messages(AgentRunWriter &run, const Span &agent, const QString &session,
                          QLatin1StringView key, bool sidechain)
{
    const QJsonValue value = agent.attributes.value(key);
    const QJsonArray list = value.isArray()
                                ? value.toArray()
                                : QJsonDocument::fromJson(value.toString().toUtf8()).array();
    const bool output = key == "gen_ai.output.messages"_L1;
    for (const QJsonValue &m : list) {
        const QJsonObject message = m.toObject();
        QString role = message.value("role"_L1).toString();
        if (role != u"user" && role != u"assistant" && role != u"system")
            continue;
        QStringList texts;
        const QJsonArray parts = message.value("parts"_L1).toArray();
        for (const QJsonValue &part : parts) {
            if (part.toObject().value("type"_L1).toString() == u"text")
                texts << part.toObject().value("content"_L1).toString();
        }
        if (texts.isEmpty())
            continue;
        if (!run.entry({session,
                        {},
                        0,
                        role,
                        {},
                        {},
                        output ? agent.end : agent.start,
                        texts.join(u'\n'),
                        0,
                        sidechain,
                        false},
                       agent.line))
            return false;
    }
    return true;
}

bool isShellTool(const QString &name)
{
    static const QStringList names = {
        u"bash"_s,          u"shell"_s,          u"sh"_s,
        u"run_command"_s,   u"execute_bash"_s,   u"exec"_s,
        u"exec_command"_s,  u"terminal"_s,       u"run_shell_command"_s,
        u"shell_command"_s, u"container.exec"_s, u"local_shell"_s};
    return names.contains(name, Qt::CaseInsensitive);
}

QString commandLine(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    QStringList parts;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &part : array)
        parts << part.toString();
    return parts.join(u' ');
}

bool OtlpTraces::tool(AgentRunWriter &run, const Span &span, const QString &session, bool sidechain)
{
    QString name = attr(span, "gen_ai.tool.name"_L1);
    if (name.isEmpty())
        name = span.name.section(u' ', 1);
    const QString callId = attr(span, "gen_ai.tool.call.id"_L1).isEmpty()
                               ? QString::fromLatin1(span.spanId)
                               : attr(span, "gen_ai.tool.call.id"_L1);
    const QJsonObject args = objectAttr(span, "gen_ai.tool.call.arguments"_L1);
    QString result = attr(span, "gen_ai.tool.call.result"_L1);
    const QJsonObject structured = QJsonDocument::fromJson(result.toUtf8()).object();
    QString line = attr(span, "process.command_line"_L1);
    if (line.isEmpty())
        line = commandLine(span.attributes.value("process.command_args"_L1));
    if (line.isEmpty() && isShellTool(name))
        line = commandLine(args.contains("command"_L1) ? args.value("command"_L1)
                                                       : args.value("cmd"_L1));
    std::optional<int> exitCode;
    for (const QJsonValue &code :
         {span.attributes.value("process.exit.code"_L1), structured.value("exit_code"_L1),
          structured.value("exitCode"_L1)}) {
        if (code.isDouble() && !exitCode && code.toDouble() == code.toInt())
            exitCode = code.toInt();
    }
    if (!structured.isEmpty() &&
        (structured.contains("stdout"_L1) || structured.contains("output"_L1)))
        result = structured.value("output"_L1).toString() %
                 structured.value("stdout"_L1).toString() %
                 structured.value("stderr"_L1).toString();
    if (result.isEmpty() && span.status == 2)
        result = span.statusMessage;
    int seq = 0;
    if (!line.isEmpty()) {
        const std::optional<int> given = run.commandSeq(callId, span.line);
        if (!given)
            return false;
        seq = *given;
    }
    const QString shown =
        seq > 0 ? line : QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact));
    if (!run.entry({session,
                    {},
                    0,
                    u"tool_call"_s,
                    name,
                    callId,
                    span.start,
                    shown,
                    seq,
                    sidechain,
                    false},
                   span.line) ||
        !run.entry({session,
                    {},
                    0,
                    u"tool_result"_s,
                    name,
                    callId,
                    span.end,
                    result,
                    seq,
                    sidechain,
                    span.status == 2},
                   span.line))
        return false;
    if (seq == 0) {
        const QString path = args.value("path"_L1).toString(args.value("file_path"_L1).toString());
        const QUrl url(args.value("url"_L1).toString(args.value("uri"_L1).toString()));
        if (!path.isEmpty() && (name.contains(u"write"_s, Qt::CaseInsensitive) ||
                                name.contains(u"edit"_s, Qt::CaseInsensitive)))
            run.fileChange(path, {}, 0, 0);
        else if (const QString server = attr(span, "server.address"_L1); !server.isEmpty())
            run.contact(server, name, u"tool call"_s, span.start);
        else if (url.isValid() && !url.host().isEmpty())
            run.contact(url.host(), name, u"web fetch"_s, span.start);
        else if (name.contains(u"__"_s))
            run.contact(name.section(u"__"_s, 0, 0), name, u"MCP tool call"_s, span.start);
        else
            run.contact(attr(span, "gen_ai.tool.type"_L1).isEmpty()
                            ? u"function"_s
                            : attr(span, "gen_ai.tool.type"_L1),
                        name, u"tool call (no host named)"_s, span.start);
        return true;
    }
    CommandRecord record;
    record.seq = seq;
    record.argv = {line};
    record.cwd = args.value("cwd"_L1).toString(args.value("workdir"_L1).toString());
    record.exitCode = exitCode;
    record.startedAt = span.start;
    record.endedAt = span.end;
    if (span.status == 2 && !exitCode)
        run.failure(
            {{},
             seq,
             u"tool_error"_s,
             span.statusMessage.isEmpty() ? attr(span, "error.type"_L1) : span.statusMessage,
             false,
             span.end});
    return run.command(record, result, span.line);
}

} // namespace

bool looksLikeOtlpTraces(QByteArrayView head)
{
    static const QRegularExpression opening(u"^\\{\\s*\"resourceSpans\"\\s*:\\s*\\["_s);
    return opening.match(QString::fromUtf8(head.first(std::min<qsizetype>(head.size(), 64))))
        .hasMatch();
}

bool ingestOtlpTraces(FileIngest &ingest, LineReader &reader)
{
    OtlpTraces traces(ingest);
    if (!ingest.readObjectLines(reader, [&traces, &reader](const QJsonObject &object, qint64 lineNo,
                                                           const QByteArray &) {
            const FileIngest::LineResult result = traces.line(object, lineNo);
            return traces.writeComplete(reader.bytesConsumed()) ? result
                                                                : FileIngest::LineResult::Failed;
        }))
        return false;
    return traces.finish(reader.bytesConsumed());
}

} // namespace Tasktrail
