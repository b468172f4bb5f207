// OpenHands trajectories (the event stream saved as one JSON array): each event has an `id`, a
// `timestamp`, a `source` (user, agent, environment) and either an `action` with its `args` or
// an `observation` with its `content` and `extras`, whose `cause` is the id of the action it
// answers. `run` actions are shell commands; their `run` observations carry the exit code and
// output. docs/transcripts.md says what is kept.
#include "agentrunwriter.h"
#include "fileingest.h"
#include "text/jsonelements.h"
#include "text/sha256.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

const QString agentName = u"openhands"_s;

// OpenHands writes its times without an offset ("2026-03-02T10:15:00.123456"): UTC.
QDateTime timeOf(const QJsonValue &value)
{
    QString text = value.toString();
    static const QRegularExpression fraction(u"(\\.\\d{3})\\d+"_s);
    text.replace(fraction, u"\\1"_s); // microseconds: Qt reads milliseconds
    QDateTime at = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (at.isValid() && at.timeSpec() == Qt::LocalTime)
        at = QDateTime(at.date(), at.time(), Qt::UTC);
    return at.toUTC();
}

struct PendingCall
{
    QString tool;
    int commandSeq = 0;
    QString commandLine;
    QDateTime at;
};

class OpenHandsEvents
{
public:
    explicit OpenHandsEvents(FileIngest &ingest)
        : m_ingest(ingest)
        , m_run(ingest, agentName)
    {}

    bool start(const QString &taskId);
    bool event(const QJsonObject &event, qint64 line);
    bool finish();

private:
    bool action(const QString &type, const QJsonObject &event, const QDateTime &at, qint64 line);
    bool observation(const QString &type, const QJsonObject &event, const QDateTime &at,
                     qint64 line);
    bool runResult(const PendingCall &call, const QJsonObject &event, const QDateTime &at,
                   qint64 line);
    void edit(const QString &type, const QJsonObject &args);
    void contact(const QString &type, const QJsonObject &args, const QDateTime &at);
    void finishAction(const QJsonObject &args);
    void agentState(const QJsonObject &extras);
    void metrics(const QJsonObject &event);
    bool entry(const QString &role, const QString &tool, const QString &callId, const QDateTime &at,
               const QString &text, int commandSeq, bool isError, qint64 line)
    {
        return m_run.entry(
            {m_run.taskId(), {}, 0, role, tool, callId, at, text, commandSeq, false, isError},
            line);
    }

    FileIngest &m_ingest;
    AgentRunWriter m_run;
    QHash<QString, PendingCall> m_pending; // by the action's event id
    QString m_cwd;
    bool m_finished = false;
};

bool OpenHandsEvents::start(const QString &taskId)
{
    if (!m_run.startTask(taskId))
        return false;
    m_run.session(taskId);
    return true;
}

bool OpenHandsEvents::event(const QJsonObject &event, qint64 line)
{
    const QDateTime at = timeOf(event.value("timestamp"_L1));
    m_run.seen(at);
    SessionRecord &session = m_run.session(m_run.taskId());
    if (at.isValid() && (!session.startedAt.isValid() || at < session.startedAt))
        session.startedAt = at;
    if (at.isValid() && at > session.completedAt)
        session.completedAt = at;
    metrics(event);
    if (event.value("action"_L1).isString())
        return action(event.value("action"_L1).toString(), event, at, line);
    if (event.value("observation"_L1).isString())
        return observation(event.value("observation"_L1).toString(), event, at, line);
    m_ingest.reject(line, u"an event with neither an action nor an observation"_s);
    return true;
}

bool OpenHandsEvents::action(const QString &type, const QJsonObject &event, const QDateTime &at,
                             qint64 line)
{
    const QJsonObject args = event.value("args"_L1).toObject();
    const QString source = event.value("source"_L1).toString();
    const QString callId = QString::number(event.value("id"_L1).toInteger());
    if (type == u"message" || type == u"system") {
        const QString role = type == u"system"    ? u"system"_s
                             : source == u"user"  ? u"user"_s
                             : source == u"agent" ? u"assistant"_s
                                                  : u"system"_s;
        return entry(role, {}, {}, at, args.value("content"_L1).toString(), 0, false, line);
    }
    if (type == u"think")
        return entry(u"assistant"_s, {}, {}, at, args.value("thought"_L1).toString(), 0, false,
                     line);
    if (type == u"finish") {
        finishAction(args);
        const QString text = args.value("final_thought"_L1)
                                 .toString(args.value("outputs"_L1)
                                               .toObject()
                                               .value("content"_L1)
                                               .toString(args.value("thought"_L1).toString()));
        return text.isEmpty() || entry(u"assistant"_s, {}, {}, at, text, 0, false, line);
    }
    if (type == u"change_agent_state" || type == u"recall" || type == u"condensation" ||
        type == u"null")
        return true;
    // A tool call: its thought first, then the call.
    const QString thought = args.value("thought"_L1).toString();
    if (!thought.trimmed().isEmpty() && !entry(u"assistant"_s, {}, {}, at, thought, 0, false, line))
        return false;
    PendingCall call{type, 0, {}, at};
    if (type == u"run") {
        call.commandLine = args.value("command"_L1).toString();
        const std::optional<int> seq = m_run.commandSeq(callId, line);
        if (!seq)
            return false;
        call.commandSeq = *seq;
    } else if (type == u"edit" || type == u"write") {
        edit(type, args);
    } else if (type == u"reject") {
        m_run.task().state = TaskState::Failed;
        m_run.task().stateReason = u"rejected: "_s % args.value("reason"_L1).toString();
    } else {
        contact(type, args, at);
    }
    m_pending.insert(callId, call);
    const QString text =
        !call.commandLine.isEmpty() ? call.commandLine
        : args.contains("path"_L1)  ? args.value("path"_L1).toString()
        : args.contains("url"_L1)   ? args.value("url"_L1).toString()
        : args.contains("code"_L1)
            ? args.value("code"_L1).toString()
            : QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact));
    return entry(u"tool_call"_s, type, callId, at, text, call.commandSeq, false, line);
}

bool OpenHandsEvents::observation(const QString &type, const QJsonObject &event,
                                  const QDateTime &at, qint64 line)
{
    const QJsonObject extras = event.value("extras"_L1).toObject();
    if (type == u"agent_state_changed") {
        agentState(extras);
        return true;
    }
    if (type == u"null" || type == u"think" || type == u"recall")
        return true;
    const QString cause = event.contains("cause"_L1)
                              ? QString::number(event.value("cause"_L1).toInteger())
                              : QString();
    const PendingCall call = m_pending.take(cause);
    if (call.commandSeq > 0)
        return runResult(call, event, at, line);
    const QString content = event.value("content"_L1).toString();
    const bool isError = type == u"error" || type == u"user_rejected";
    if (call.tool.isEmpty()) // no action asked for it: what the environment said
        return entry(u"system"_s, {}, {}, at, content, 0, isError, line);
    return entry(u"tool_result"_s, call.tool, cause, at, content, 0, isError, line);
}

// A command's output; the exit code is extras.metadata.exit_code (extras.exit_code in older
// versions), -1 when OpenHands has none (the command timed out or still runs).
bool OpenHandsEvents::runResult(const PendingCall &call, const QJsonObject &event,
                                const QDateTime &at, qint64 line)
{
    const QJsonObject extras = event.value("extras"_L1).toObject();
    const QJsonObject metadata = extras.value("metadata"_L1).toObject();
    const QJsonValue code = metadata.contains("exit_code"_L1) ? metadata.value("exit_code"_L1)
                                                              : extras.value("exit_code"_L1);
    std::optional<int> exitCode;
    if (code.isDouble() && code.toInteger() != -1 && code.toInteger() >= -255 &&
        code.toInteger() <= 255)
        exitCode = int(code.toInteger());
    if (const QString dir = metadata.value("working_dir"_L1).toString(); !dir.isEmpty())
        m_cwd = dir;
    const QString output = event.value("content"_L1).toString();
    const bool isError =
        event.value("observation"_L1).toString() == u"error" || (exitCode && *exitCode != 0);
    CommandRecord command;
    command.seq = call.commandSeq;
    command.argv = QStringList{call.commandLine};
    command.cwd = m_cwd;
    command.exitCode = exitCode;
    command.startedAt = call.at;
    command.endedAt = at;
    if (!m_run.command(command, output, line))
        return false;
    const QString cause = QString::number(event.value("cause"_L1).toInteger());
    return entry(u"tool_result"_s, call.tool, cause, at, output, call.commandSeq, isError, line);
}

// `edit` (args.command create, str_replace, insert, undo_edit; or an older edit with
// `content`) and `write` (args.content).
void OpenHandsEvents::edit(const QString &type, const QJsonObject &args)
{
    const QString path = AgentRunWriter::relativePath(args.value("path"_L1).toString(), m_cwd);
    const QString command = args.value("command"_L1).toString();
    if (type == u"write") {
        m_run.fileChange(path, {}, AgentRunWriter::lineCount(args.value("content"_L1).toString()),
                         0);
    } else if (command == u"create") {
        m_run.fileChange(path, u"added"_s,
                         AgentRunWriter::lineCount(args.value("file_text"_L1).toString()), 0);
    } else if (command == u"str_replace") {
        m_run.fileChange(path, u"modified"_s,
                         AgentRunWriter::lineCount(args.value("new_str"_L1).toString()),
                         AgentRunWriter::lineCount(args.value("old_str"_L1).toString()));
    } else if (command == u"insert") {
        m_run.fileChange(path, u"modified"_s,
                         AgentRunWriter::lineCount(args.value("new_str"_L1).toString()), 0);
    } else if (command == u"undo_edit" || (command.isEmpty() && args.contains("content"_L1))) {
        m_run.fileChange(path, u"modified"_s, 0, 0);
    }
}

// browse and fetch (args.url), browse_interactive (goto("...") in its actions), MCP tool calls.
void OpenHandsEvents::contact(const QString &type, const QJsonObject &args, const QDateTime &at)
{
    if (type == u"browse" || type == u"fetch") {
        m_run.contact(QUrl(args.value("url"_L1).toString()).host(), type, u"web fetch"_s, at);
    } else if (type == u"browse_interactive") {
        static const QRegularExpression gotoUrl(u"goto\\(\\s*['\"]([^'\"]+)['\"]"_s);
        auto it = gotoUrl.globalMatch(args.value("browser_actions"_L1).toString());
        while (it.hasNext())
            m_run.contact(QUrl(it.next().captured(1)).host(), type, u"web browse"_s, at);
    } else if (type == u"call_tool_mcp") {
        m_run.contact(u"mcp"_s, args.value("name"_L1).toString(), u"MCP tool call"_s, at);
    }
}

// task_completed: "true", "partial" or "false" (absent in older versions: completed).
void OpenHandsEvents::finishAction(const QJsonObject &args)
{
    m_finished = true;
    TaskRecord &task = m_run.task();
    const QString completed = args.value("task_completed"_L1).toVariant().toString();
    task.state = completed == u"false" ? TaskState::Failed : TaskState::Completed;
    task.stateReason = completed == u"false"     ? u"the agent said the task is not done"_s
                       : completed == u"partial" ? u"the agent said the task is partly done"_s
                                                 : QString();
}

void OpenHandsEvents::agentState(const QJsonObject &extras)
{
    const QString state = extras.value("agent_state"_L1).toString();
    TaskRecord &task = m_run.task();
    if (state == u"error") {
        task.state = TaskState::Failed;
        task.stateReason = extras.value("reason"_L1).toString(u"error"_s);
    } else if (state == u"stopped") {
        task.state = TaskState::Cancelled;
        task.stateReason = u"stopped"_s;
    } else if (state == u"finished" && task.state == TaskState::Unknown) {
        task.state = TaskState::Completed;
    }
}

// The running totals every event after a model call carries: the last one is the run's. The
// model is named by a tool call's model response.
void OpenHandsEvents::metrics(const QJsonObject &event)
{
    const QJsonObject llm = event.value("llm_metrics"_L1).toObject();
    if (!llm.isEmpty()) {
        QJsonObject usage = llm.value("accumulated_token_usage"_L1).toObject();
        usage.remove("response_id"_L1);
        usage.remove("model"_L1);
        if (llm.contains("accumulated_cost"_L1))
            usage.insert(u"accumulated_cost"_s, llm.value("accumulated_cost"_L1));
        m_run.task().usage = usage;
    }
    const QString model = event.value("tool_call_metadata"_L1)
                              .toObject()
                              .value("model_response"_L1)
                              .toObject()
                              .value("model"_L1)
                              .toString();
    if (!model.isEmpty())
        m_run.session(m_run.taskId()).model = model;
}

bool OpenHandsEvents::finish()
{
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (it->commandSeq == 0)
            continue;
        CommandRecord command{{}, it->commandSeq, {it->commandLine}, m_cwd, std::nullopt, it->at,
                              {}};
        if (!m_run.command(command, {}, 0))
            return false;
    }
    TaskRecord &task = m_run.task();
    if (!m_finished && task.state == TaskState::Unknown)
        task.knownGaps << u"the trajectory ends without a finish action"_s;
    task.knownGaps << u"OpenHands names no repository; the working directory was %1"_s.arg(
        m_cwd.isEmpty() ? u"not recorded"_s : m_cwd);
    return m_run.finish();
}

// Told by the first event: an object with an `action` or `observation` name, a `source` and
// an `id` or `timestamp`.
bool isEvent(const QJsonObject &event)
{
    return (event.value("action"_L1).isString() || event.value("observation"_L1).isString()) &&
           event.value("source"_L1).isString() &&
           (event.contains("id"_L1) || event.contains("timestamp"_L1));
}

} // namespace

bool looksLikeOpenHandsTrajectory(QByteArrayView head)
{
    const qsizetype open = JsonElements::rootArray(head);
    if (open < 0)
        return false;
    const JsonElements::Scan scan = JsonElements::scanArray(head, open);
    if (scan.elements.isEmpty() || scan.elements.constFirst().cutOff)
        return false;
    const JsonElements::Parsed first = JsonElements::parse(scan.elements.constFirst());
    return first.value && isEvent(first.value->toObject());
}

bool ingestOpenHandsTrajectory(FileIngest &ingest, QIODevice &document)
{
    JsonElements::Stream stream(document);
    if (!ingest.ensureBatch())
        return false;
    if (stream.root() != '[' || !stream.enterArray()) {
        ingest.reject(1, u"expected an OpenHands trajectory: a JSON array of events"_s);
        return true;
    }
    // The events name no run: the task is named after the first event's bytes, which stay the
    // same when the file is ingested again.
    std::optional<JsonElements::Element> first = stream.nextElement();
    QString taskId = ingest.options().taskId;
    if (taskId.isEmpty()) {
        const QByteArrayView bytes = first ? first->bytes : QByteArrayView();
        taskId =
            u"openhands-"_s %
            QString::fromLatin1(Sha256::of(bytes.data(), size_t(bytes.size())).toHex().left(16));
    }
    OpenHandsEvents events(ingest);
    if (!events.start(taskId))
        return false;
    if (first &&
        !AgentRunWriter::readObjects(
            ingest, stream, u"an event"_s,
            [&events](const QJsonObject &event, qint64 line) { return events.event(event, line); },
            first))
        return false;
    if (!first && !stream.problem().isEmpty())
        ingest.reject(stream.problemLine(), stream.problem());
    return events.finish();
}

} // namespace Tasktrail
