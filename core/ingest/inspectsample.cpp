// One Inspect AI EvalSample (inspect_ai.log: EvalSample, its ChatMessage list and its events:
// ToolEvent with id, function, arguments, result, error, timestamp and completed; ModelEvent;
// ErrorEvent; ScoreEvent) as one task. The conversation comes from `messages`, the commands
// and their times from the `tool` events. docs/transcripts.md says what is kept.
#include "inspectsample.h"

#include "agentrunwriter.h"
#include "fileingest.h"
#include "text/jsonfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

const QString agentName = u"inspect"_s;
// Events nest (a subtask's or a tool's own events); deeper than this is not followed.
constexpr int maxEventDepth = 32;
// A sample's id is part of its task's id.
constexpr qsizetype maxIdLength = 256;

// "https://github.com/o/r.git", "git@github.com:o/r.git" -> "o/r".
QString repositoryOf(const QString &url)
{
    static const QRegularExpression ownerName(u"[:/]([^/:]+)/([^/:]+?)(\\.git)?/?$"_s);
    const QRegularExpressionMatch m = ownerName.match(url);
    return m.hasMatch() ? m.captured(1) % u'/' % m.captured(2) : QString();
}

QString idText(const QJsonValue &id)
{
    if (id.isString())
        return id.toString();
    if (id.isDouble() && id.toDouble() == double(id.toInteger()))
        return QString::number(id.toInteger());
    return {};
}

struct ToolCall
{
    QString id;
    QString function;
    QJsonObject arguments;
    QString result;
    QString errorType; // empty: the tool reported no error
    QString errorMessage;
    QDateTime at;
    QDateTime completed;
    int commandSeq = 0;
    bool inConversation = false;
};

class InspectSample
{
public:
    InspectSample(FileIngest &ingest, const InspectEval &eval, const QJsonObject &sample,
                  const QString &where, qint64 line)
        : m_ingest(ingest)
        , m_run(ingest, agentName)
        , m_eval(eval)
        , m_sample(sample)
        , m_where(where)
        , m_line(line)
    {}

    bool read();

private:
    QString text(const QJsonValue &content) const;
    void events(const QJsonArray &events, int depth);
    void toolEvent(const QJsonObject &event);
    bool conversation();
    bool message(const QJsonObject &message);
    bool callEntry(ToolCall &call, const QString &callId);
    bool resultEntry(const QString &callId, const QString &tool, const QString &text, bool isError);
    bool command(const ToolCall &call);
    void effects(const ToolCall &call);
    void scores();
    void outcome();
    bool entry(const QString &role, const QString &tool, const QString &callId, const QDateTime &at,
               const QString &text, int commandSeq, bool isError)
    {
        return m_run.entry(
            {m_run.taskId(), {}, 0, role, tool, callId, at, text, commandSeq, false, isError},
            m_line);
    }
    void reject(const QString &reason) { m_ingest.reject(m_line, m_where % u": "_s % reason); }

    FileIngest &m_ingest;
    AgentRunWriter m_run;
    const InspectEval &m_eval;
    const QJsonObject &m_sample;
    QString m_where;
    qint64 m_line;
    QJsonObject m_attachments;
    QHash<QString, ToolCall> m_calls;
    QStringList m_callOrder;
    QString m_error;
    QDateTime m_errorAt;
    bool m_messageTimes = false;
};

bool isShellTool(const QString &name)
{
    static const QStringList names = {u"bash"_s,          u"bash_session"_s, u"shell"_s,
                                      u"run_command"_s,   u"execute_bash"_s, u"exec"_s,
                                      u"container.exec"_s};
    return names.contains(name);
}

// The command line of a shell or code tool call; empty for other tools.
QStringList argvOf(const ToolCall &call)
{
    if (call.function == u"python")
        return {u"python3"_s, u"-c"_s, call.arguments.value("code"_L1).toString()};
    if (!isShellTool(call.function))
        return {};
    for (const QLatin1StringView key : {"cmd"_L1, "command"_L1, "input"_L1}) {
        const QJsonValue value = call.arguments.value(key);
        if (value.isString() && !value.toString().isEmpty())
            return {value.toString()};
    }
    return {};
}

QString InspectSample::text(const QJsonValue &content) const
{
    if (content.isString()) {
        const QString s = content.toString();
        // Long texts are kept once in the sample's attachments and referred to by their hash.
        if (s.startsWith(u"attachment://") && m_attachments.contains(s.mid(13)))
            return m_attachments.value(s.mid(13)).toString();
        return s;
    }
    if (content.isDouble() || content.isBool())
        return QString::fromUtf8(QJsonDocument(QJsonArray{content}).toJson(QJsonDocument::Compact))
            .mid(1)
            .chopped(1);
    if (content.isObject())
        return text(QJsonArray{content});
    QStringList parts;
    const QJsonArray array = content.toArray();
    for (const QJsonValue &part : array) {
        const QJsonObject o = part.toObject();
        const QString type = o.value("type"_L1).toString();
        if (type == u"text")
            parts << text(o.value("text"_L1));
        else if (type == u"image")
            parts << u"[image]"_s;
        else if (part.isString())
            parts << text(part);
    }
    return parts.join(u'\n');
}

bool InspectSample::read()
{
    m_attachments = m_sample.value("attachments"_L1).toObject();
    const QString id = idText(m_sample.value("id"_L1));
    const QJsonValue epoch = m_sample.value("epoch"_L1);
    if (id.isEmpty() || id.size() > maxIdLength) {
        reject(u"a sample without an id (a string of at most %1 characters or a whole number): "
               "not read"_s.arg(maxIdLength));
        return true;
    }
    if (!epoch.isUndefined() && (!epoch.isDouble() || epoch.toDouble() < 0 ||
                                 epoch.toDouble() > 1e9 || epoch.toDouble() != epoch.toInt())) {
        reject(u"sample %1: the epoch is not a whole number from 0 to 10^9: not read"_s.arg(id));
        return true;
    }
    if (!m_run.startTask(m_eval.id % u'/' % id % u"/epoch-"_s % QString::number(epoch.toInt(1))))
        return false;
    TaskRecord &task = m_run.task();
    task.repo = m_eval.repo;
    task.headSha = m_eval.commit;
    task.prompt = AgentRunWriter::entryText(text(m_sample.value("input"_L1)));
    if (task.prompt.isEmpty()) {
        const QJsonArray input = m_sample.value("input"_L1).toArray();
        QStringList said;
        for (const QJsonValue &m : input) {
            if (m.toObject().value("role"_L1).toString() == u"user")
                said << text(m.toObject().value("content"_L1));
        }
        task.prompt = AgentRunWriter::entryText(said.join(u'\n'));
    }
    m_run.session(m_run.taskId()).model = m_eval.model;
    m_run.seen(parseRfc3339(m_sample.value("started_at"_L1).toString()));
    m_run.seen(parseRfc3339(m_sample.value("completed_at"_L1).toString()));
    events(m_sample.value("events"_L1).toArray(), 0);
    QString what = u"Inspect AI evaluation %1, sample %2 (epoch %3)"_s.arg(m_eval.task, id)
                       .arg(epoch.toInt(1));
    if (!m_eval.dataset.isEmpty())
        what += u", dataset "_s % m_eval.dataset;
    if (!m_eval.model.isEmpty())
        what += u", model "_s % m_eval.model;
    if (!entry(u"system"_s, {}, {}, {}, what, 0, false))
        return false;
    if (!conversation())
        return false;
    for (const QString &callId : std::as_const(m_callOrder)) {
        if (!command(m_calls[callId]))
            return false;
    }
    scores();
    outcome();
    return m_run.finish();
}

void InspectSample::events(const QJsonArray &list, int depth)
{
    if (depth > maxEventDepth)
        return;
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (!list.at(i).isObject()) {
            reject(u"event %1 is %2, not an object: skipped"_s.arg(i + 1).arg(
                jsonTypeName(list.at(i))));
            continue;
        }
        const QJsonObject event = list.at(i).toObject();
        const QString type = event.value("event"_L1).toString();
        const QDateTime at = parseRfc3339(event.value("timestamp"_L1).toString());
        m_run.seen(at);
        if (type == u"tool") {
            toolEvent(event);
        } else if (type == u"model") {
            const QString model = event.value("model"_L1).toString();
            SessionRecord &session = m_run.session(m_run.taskId());
            if (session.model.isEmpty())
                session.model = model;
        } else if (type == u"error" && m_error.isEmpty()) {
            m_error = event.value("error"_L1).toObject().value("message"_L1).toString();
            m_errorAt = at;
        }
        m_run.seen(parseRfc3339(event.value("completed"_L1).toString()));
        events(event.value("events"_L1).toArray(), depth + 1);
    }
}

void InspectSample::toolEvent(const QJsonObject &event)
{
    ToolCall call;
    call.id = event.value("id"_L1).toString();
    call.function = event.value("function"_L1).toString();
    if (call.id.isEmpty() || call.function.isEmpty()) {
        reject(u"a tool event without an id or a function: skipped"_s);
        return;
    }
    call.arguments = event.value("arguments"_L1).toObject();
    call.result = text(event.value("result"_L1));
    const QJsonObject error = event.value("error"_L1).toObject();
    call.errorType = error.value("type"_L1).toString(error.isEmpty() ? QString() : u"unknown"_s);
    call.errorMessage = error.value("message"_L1).toString();
    call.at = parseRfc3339(event.value("timestamp"_L1).toString());
    call.completed = parseRfc3339(event.value("completed"_L1).toString());
    if (!m_calls.contains(call.id))
        m_callOrder << call.id;
    m_calls.insert(call.id, call);
}

bool InspectSample::conversation()
{
    const QJsonArray messages = m_sample.value("messages"_L1).toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        if (!messages.at(i).isObject()) {
            reject(u"message %1 is %2, not an object: skipped"_s.arg(i + 1).arg(
                jsonTypeName(messages.at(i))));
            continue;
        }
        if (!message(messages.at(i).toObject()))
            return false;
    }
    // Tool calls the messages do not show (a sub-agent's, or a log without messages).
    for (const QString &callId : std::as_const(m_callOrder)) {
        ToolCall &call = m_calls[callId];
        if (call.inConversation)
            continue;
        if (!callEntry(call, callId) ||
            !resultEntry(callId, call.function, call.result, !call.errorType.isEmpty()))
            return false;
    }
    return true;
}

bool InspectSample::message(const QJsonObject &message)
{
    const QString role = message.value("role"_L1).toString();
    const QString said = text(message.value("content"_L1));
    if (role == u"tool") {
        const QString callId = message.value("tool_call_id"_L1).toString();
        const QJsonObject error = message.value("error"_L1).toObject();
        const QString shown = said.isEmpty() ? error.value("message"_L1).toString() : said;
        // A call only the messages show: its result is what the message says.
        if (const auto it = m_calls.find(callId); it != m_calls.end() && it->result.isEmpty()) {
            it->result = said;
            if (!error.isEmpty() && it->errorType.isEmpty()) {
                it->errorType = error.value("type"_L1).toString(u"unknown"_s);
                it->errorMessage = error.value("message"_L1).toString();
            }
        }
        return resultEntry(callId, message.value("function"_L1).toString(), shown,
                           !error.isEmpty());
    }
    if (role != u"system" && role != u"user" && role != u"assistant")
        return true;
    if (!said.isEmpty() && !entry(role, {}, {}, {}, said, 0, false))
        return false;
    m_messageTimes = true;
    const QJsonArray calls = message.value("tool_calls"_L1).toArray();
    for (const QJsonValue &value : calls) {
        const QJsonObject o = value.toObject();
        const QString callId = o.value("id"_L1).toString();
        auto it = m_calls.find(callId);
        if (it == m_calls.end()) { // a call the events do not show: what the message says
            ToolCall call{callId,
                          o.value("function"_L1).toString(),
                          o.value("arguments"_L1).toObject(),
                          {},
                          {},
                          {},
                          {},
                          {},
                          0,
                          false};
            if (callId.isEmpty())
                continue;
            m_callOrder << callId;
            it = m_calls.insert(callId, call);
        }
        if (!callEntry(*it, callId))
            return false;
    }
    return true;
}

bool InspectSample::callEntry(ToolCall &call, const QString &callId)
{
    call.inConversation = true;
    const QStringList argv = argvOf(call);
    if (!argv.isEmpty() && call.commandSeq == 0) {
        const std::optional<int> seq = m_run.commandSeq(callId, m_line);
        if (!seq)
            return false;
        call.commandSeq = *seq;
    }
    const QString shown =
        argv.isEmpty()
            ? QString::fromUtf8(QJsonDocument(call.arguments).toJson(QJsonDocument::Compact))
            : argv.constLast();
    return entry(u"tool_call"_s, call.function, callId, call.at, shown, call.commandSeq, false);
}

bool InspectSample::resultEntry(const QString &callId, const QString &tool, const QString &text,
                                bool isError)
{
    const auto it = m_calls.constFind(callId);
    const ToolCall call = it == m_calls.cend() ? ToolCall{} : *it;
    QString shown = text;
    if (shown.isEmpty() && !call.errorMessage.isEmpty())
        shown = call.errorMessage;
    return entry(u"tool_result"_s, tool.isEmpty() ? call.function : tool, callId,
                 call.completed.isValid() ? call.completed : call.at, shown, call.commandSeq,
                 isError || !call.errorType.isEmpty());
}

bool InspectSample::command(const ToolCall &call)
{
    effects(call);
    if (call.commandSeq == 0)
        return true;
    CommandRecord record;
    record.seq = call.commandSeq;
    record.argv = argvOf(call);
    record.startedAt = call.at;
    record.endedAt = call.completed;
    const QString output =
        call.errorMessage.isEmpty() || call.result.contains(call.errorMessage)
            ? call.result
            : call.result % (call.result.isEmpty() ? u""_s : u"\n"_s) % call.errorMessage;
    if (!call.errorType.isEmpty())
        m_run.failure({{},
                       call.commandSeq,
                       call.errorType == u"timeout" ? u"timeout"_s : u"tool_error"_s,
                       call.errorMessage.isEmpty() ? call.errorType : call.errorMessage,
                       false,
                       call.completed.isValid() ? call.completed : call.at});
    return m_run.command(record, output, m_line);
}

// What a tool call other than a command did: files it edited, hosts it reached.
void InspectSample::effects(const ToolCall &call)
{
    const QJsonObject &args = call.arguments;
    const auto lines = [](const QString &s) { return AgentRunWriter::lineCount(s); };
    if (call.function == u"text_editor" || call.function == u"str_replace_based_edit_tool" ||
        call.function == u"str_replace_editor") {
        const QString command = args.value("command"_L1).toString();
        const QString path = args.value("path"_L1).toString();
        if (command == u"create")
            m_run.fileChange(path, u"added"_s, lines(args.value("file_text"_L1).toString()), 0);
        else if (command == u"str_replace")
            m_run.fileChange(path, u"modified"_s, lines(args.value("new_str"_L1).toString()),
                             lines(args.value("old_str"_L1).toString()));
        else if (command == u"insert")
            m_run.fileChange(path, u"modified"_s, lines(args.value("new_str"_L1).toString()), 0);
    } else if (call.function == u"web_search") {
        m_run.contact(u"web-search"_s, call.function, u"searched the web"_s, call.at);
    } else if (const QUrl url(args.value("url"_L1).toString());
               url.isValid() && !url.host().isEmpty()) {
        m_run.contact(url.host(), call.function, u"web fetch"_s, call.at);
    } else if (call.function.contains(u"__"_s)) {
        m_run.contact(call.function.section(u"__"_s, 0, 0), call.function, u"MCP tool call"_s,
                      call.at);
    }
}

// Each scorer's verdict on the sample: Inspect's C (correct), I (incorrect), P (partial) and
// N (no answer), or a number or boolean.
void InspectSample::scores()
{
    const QJsonObject scores = m_sample.value("scores"_L1).toObject();
    for (auto it = scores.begin(); it != scores.end(); ++it) {
        const QJsonValue value = it.value().toObject().value("value"_L1);
        const QString letter = value.toString();
        QString outcome;
        if (letter == u"C" || (value.isBool() && value.toBool()) ||
            (value.isDouble() && value.toDouble() == 1.0))
            outcome = u"passed"_s;
        else if (letter == u"I" || (value.isBool() && !value.toBool()) ||
                 (value.isDouble() && value.toDouble() == 0))
            outcome = u"failed"_s;
        else if (letter == u"N")
            outcome = u"skipped"_s;
        else if (letter == u"P")
            outcome = u"partial"_s;
        else if (value.isObject() || value.isArray())
            outcome =
                QString::fromUtf8(
                    QJsonDocument::fromVariant(value.toVariant()).toJson(QJsonDocument::Compact))
                    .left(40);
        else
            outcome = text(value).left(40);
        m_run.test({{}, u"score: "_s % it.key(), outcome, 0, std::nullopt});
    }
}

void InspectSample::outcome()
{
    TaskRecord &task = m_run.task();
    const QJsonObject error = m_sample.value("error"_L1).toObject();
    const QJsonObject limit = m_sample.value("limit"_L1).toObject();
    const QString message = error.value("message"_L1).toString(m_error);
    task.retries = m_sample.value("error_retries"_L1).toArray().size();
    if (*task.retries == 0)
        task.retries.reset();
    if (!message.isEmpty()) {
        task.state = TaskState::Failed;
        task.stateReason = message;
        m_run.failure({{},
                       0,
                       u"sample_error"_s,
                       message,
                       task.retries.has_value(),
                       m_errorAt.isValid() ? m_errorAt : task.completedAt});
        entry(u"system"_s, {}, {}, m_errorAt, message, 0, true);
    } else if (!limit.isEmpty()) {
        task.state = TaskState::Failed;
        task.stateReason = u"%1 limit reached"_s.arg(limit.value("type"_L1).toString());
    } else if (m_eval.status == u"cancelled") {
        task.state = TaskState::Cancelled;
    } else if (m_eval.status == u"started") {
        task.knownGaps << u"the evaluation was still running when the log was written"_s;
    } else {
        task.state = TaskState::Completed;
    }
    SessionRecord &session = m_run.session(m_run.taskId());
    session.state = task.state;
    session.error = task.state == TaskState::Failed ? task.stateReason : QString();
    session.startedAt = task.startedAt;
    session.completedAt = task.completedAt;
    if (m_messageTimes)
        task.knownGaps << u"Inspect records no time for a message; tool calls and results "
                          "carry their events' times"_s;
    const QJsonObject usage = m_sample.value("model_usage"_L1).toObject();
    QJsonObject total;
    for (const QJsonValue &perModel : usage) {
        const QJsonObject counts = perModel.toObject();
        for (auto it = counts.begin(); it != counts.end(); ++it) {
            if (it.value().isDouble())
                total.insert(it.key(), total.value(it.key()).toDouble() + it.value().toDouble());
        }
    }
    if (!total.isEmpty())
        task.usage = total;
}

} // namespace

InspectEval InspectEval::fromLog(const QJsonObject &log)
{
    const QJsonObject spec = log.value("eval"_L1).toObject();
    InspectEval e;
    for (const QLatin1StringView key : {"eval_id"_L1, "task_id"_L1, "run_id"_L1}) {
        e.id = spec.value(key).toString();
        if (!e.id.isEmpty())
            break;
    }
    e.task = spec.value("task"_L1).toString();
    e.model = spec.value("model"_L1).toString();
    e.dataset = spec.value("dataset"_L1).toObject().value("name"_L1).toString();
    const QJsonObject revision = spec.value("revision"_L1).toObject();
    e.repo = repositoryOf(revision.value("origin"_L1).toString());
    e.commit = revision.value("commit"_L1).toString();
    e.status = log.value("status"_L1).toString(u"started"_s);
    e.error = log.value("error"_L1).toObject().value("message"_L1).toString();
    e.created = parseRfc3339(spec.value("created"_L1).toString());
    return e;
}

bool ingestInspectSample(FileIngest &ingest, const InspectEval &eval, const QJsonObject &sample,
                         const QString &where, qint64 line)
{
    return InspectSample(ingest, eval, sample, where, line).read();
}

} // namespace Tasktrail
