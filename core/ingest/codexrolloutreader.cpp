// OpenAI Codex CLI rollouts (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl): one
// {timestamp, type, payload} object per line. session_meta names the session, its working
// directory and git state; turn_context the model; response_item carries the conversation
// (messages, function calls and their outputs, apply_patch custom tool calls, local shell
// calls); event_msg what happened (exec_command_end with exit code and output, token_count,
// task_complete). Unknown types are skipped. docs/transcripts.md says what is kept.
#include "agentrunwriter.h"
#include "fileingest.h"
#include "text/linereader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

const QString agentName = u"codex"_s;

const QStringList shellTools = {u"shell"_s, u"shell_command"_s, u"exec_command"_s,
                                u"container.exec"_s, u"local_shell"_s};

// ["bash", "-lc", "npm test"] is the command line "npm test".
QString commandLineOf(const QStringList &argv)
{
    static const QStringList shells = {u"bash"_s, u"sh"_s, u"zsh"_s, u"/bin/bash"_s, u"/bin/sh"_s};
    if (argv.size() == 3 && shells.contains(argv.at(0)) &&
        (argv.at(1) == u"-lc" || argv.at(1) == u"-c"))
        return argv.at(2);
    return argv.join(u' ');
}

QStringList argvOf(const QJsonValue &command)
{
    if (command.isString())
        return {command.toString()};
    QStringList argv;
    const QJsonArray parts = command.toArray();
    for (const QJsonValue &part : parts)
        argv << part.toString();
    return argv;
}

// "https://github.com/o/r.git", "git@github.com:o/r.git" -> "o/r".
QString repositoryOf(const QString &url)
{
    static const QRegularExpression ownerName(u"[:/]([^/:]+)/([^/:]+?)(\\.git)?/?$"_s);
    const QRegularExpressionMatch m = ownerName.match(url);
    return m.hasMatch() ? m.captured(1) % u'/' % m.captured(2) : QString();
}

struct PendingCall
{
    QString name;
    int commandSeq = 0;
    QStringList argv;
    QString cwd;
    QDateTime at;
    bool written = false; // its exec_command_end came first
};

class CodexRollout
{
public:
    explicit CodexRollout(FileIngest &ingest)
        : m_ingest(ingest)
        , m_run(ingest, agentName)
    {}

    FileIngest::LineResult line(const QJsonObject &line, qint64 lineNo);
    bool finish();

private:
    bool sessionMeta(const QJsonObject &payload, qint64 lineNo);
    bool responseItem(const QJsonObject &payload, const QDateTime &at, qint64 lineNo);
    bool event(const QJsonObject &payload, const QDateTime &at, qint64 lineNo);
    bool call(const QString &name, const QString &callId, const QJsonObject &args,
              const QString &text, const QDateTime &at, qint64 lineNo);
    bool output(const QString &callId, const QJsonValue &output, const QDateTime &at,
                qint64 lineNo);
    bool writeCommand(const PendingCall &call, std::optional<int> exitCode, const QString &output,
                      const QDateTime &endedAt, qint64 lineNo);
    void patch(const QString &patch);
    bool entry(const QString &role, const QString &tool, const QString &callId, const QDateTime &at,
               const QString &text, int commandSeq, bool isError, qint64 lineNo)
    {
        return m_run.entry(
            {m_sessionId, {}, 0, role, tool, callId, at, text, commandSeq, false, isError}, lineNo);
    }

    FileIngest &m_ingest;
    AgentRunWriter m_run;
    QString m_sessionId;
    QString m_cwd;
    QHash<QString, PendingCall> m_pending;
    bool m_finished = false; // a task_complete event
};

FileIngest::LineResult CodexRollout::line(const QJsonObject &line, qint64 lineNo)
{
    const QString type = line.value("type"_L1).toString();
    const QJsonObject payload = line.value("payload"_L1).toObject();
    const QDateTime at =
        QDateTime::fromString(line.value("timestamp"_L1).toString(), Qt::ISODateWithMs);
    bool ok = true;
    if (type == u"session_meta") {
        ok = sessionMeta(payload, lineNo);
    } else if (type != u"turn_context" && type != u"response_item" && type != u"event_msg") {
        return FileIngest::LineResult::Stored; // compacted history and types added later
    } else if (m_sessionId.isEmpty()) {
        m_ingest.reject(lineNo, u"a %1 line before the session_meta line that names its "
                                "session"_s.arg(type));
        return FileIngest::LineResult::Rejected;
    } else if (type == u"turn_context") {
        m_cwd = payload.value("cwd"_L1).toString(m_cwd);
        if (const QString model = payload.value("model"_L1).toString(); !model.isEmpty())
            m_run.session(m_sessionId).model = model;
    } else if (type == u"response_item") {
        ok = responseItem(payload, at, lineNo);
    } else {
        ok = event(payload, at, lineNo);
    }
    if (ok && !m_sessionId.isEmpty()) {
        m_run.seen(at);
        SessionRecord &session = m_run.session(m_sessionId);
        if (at.isValid() && (!session.startedAt.isValid() || at < session.startedAt))
            session.startedAt = at;
        if (at.isValid() && at > session.completedAt)
            session.completedAt = at;
    }
    return ok ? FileIngest::LineResult::Stored : FileIngest::LineResult::Failed;
}

bool CodexRollout::sessionMeta(const QJsonObject &payload, qint64 lineNo)
{
    const QString id = payload.value("id"_L1).toString();
    if (id.isEmpty() || !m_sessionId.isEmpty())
        return true; // a forked session repeats its parent's; the first one names the file
    m_sessionId = id;
    const QString task = m_ingest.options().taskId.isEmpty() ? id : m_ingest.options().taskId;
    if (!m_run.startTask(task))
        return false;
    m_cwd = payload.value("cwd"_L1).toString();
    const QJsonObject git = payload.value("git"_L1).toObject();
    TaskRecord &t = m_run.task();
    t.repo = repositoryOf(git.value("repository_url"_L1).toString());
    t.headRef = git.value("branch"_L1).toString();
    t.headSha = git.value("commit_hash"_L1).toString();
    m_run.session(id);
    Q_UNUSED(lineNo);
    return true;
}

bool CodexRollout::responseItem(const QJsonObject &payload, const QDateTime &at, qint64 lineNo)
{
    const QString type = payload.value("type"_L1).toString();
    if (type == u"message") {
        QStringList texts;
        const QJsonArray content = payload.value("content"_L1).toArray();
        for (const QJsonValue &part : content)
            texts << part.toObject().value("text"_L1).toString();
        const QString text = texts.join(u'\n');
        QString role = payload.value("role"_L1).toString();
        // Codex sends its instructions and the environment as user or developer messages.
        if (role == u"developer" || text.startsWith(u"<environment_context>") ||
            text.startsWith(u"<user_instructions>") || text.startsWith(u"# AGENTS.md"))
            role = u"system"_s;
        if (text.isEmpty() || (role != u"user" && role != u"assistant" && role != u"system"))
            return true;
        return entry(role, {}, {}, at, text, 0, false, lineNo);
    }
    if (type == u"function_call") {
        const QString arguments = payload.value("arguments"_L1).toString();
        const QJsonDocument args = QJsonDocument::fromJson(arguments.toUtf8());
        return call(payload.value("name"_L1).toString(), payload.value("call_id"_L1).toString(),
                    args.object(), arguments, at, lineNo);
    }
    if (type == u"custom_tool_call") {
        const QString input = payload.value("input"_L1).toString();
        return call(payload.value("name"_L1).toString(), payload.value("call_id"_L1).toString(),
                    QJsonObject{{u"input"_s, input}}, input, at, lineNo);
    }
    if (type == u"local_shell_call") {
        const QJsonObject action = payload.value("action"_L1).toObject();
        const QJsonObject args{{u"command"_s, action.value("command"_L1)},
                               {u"workdir"_s, action.value("working_directory"_L1)}};
        const QString callId =
            payload.value("call_id"_L1).toString(payload.value("id"_L1).toString());
        return call(u"local_shell"_s, callId, args,
                    QString::fromUtf8(QJsonDocument(action).toJson(QJsonDocument::Compact)), at,
                    lineNo);
    }
    if (type == u"function_call_output" || type == u"custom_tool_call_output")
        return output(payload.value("call_id"_L1).toString(), payload.value("output"_L1), at,
                      lineNo);
    if (type == u"web_search_call") {
        const QJsonObject action = payload.value("action"_L1).toObject();
        m_run.contact(u"web-search"_s, u"web_search"_s, u"searched the web"_s, at);
        return entry(u"tool_call"_s, u"web_search"_s, {}, at, action.value("query"_L1).toString(),
                     0, false, lineNo);
    }
    return true; // reasoning (encrypted or summarised) and types added later
}

bool CodexRollout::call(const QString &name, const QString &callId, const QJsonObject &args,
                        const QString &text, const QDateTime &at, qint64 lineNo)
{
    PendingCall pending{name, 0, {}, args.value("workdir"_L1).toString(m_cwd), at, false};
    QString shown = text;
    if (shellTools.contains(name)) {
        pending.argv =
            argvOf(args.contains("cmd"_L1) ? args.value("cmd"_L1) : args.value("command"_L1));
        if (!pending.argv.isEmpty() && pending.argv.constFirst() == u"apply_patch") {
            patch(pending.argv.value(1)); // the patch tool run through the shell
            pending.argv.clear();
        }
        if (!pending.argv.isEmpty()) {
            shown = commandLineOf(pending.argv);
            const std::optional<int> seq =
                m_run.commandSeq(callId.isEmpty() ? shown : callId, lineNo);
            if (!seq)
                return false;
            pending.commandSeq = *seq;
        }
    } else if (name == u"apply_patch") {
        patch(args.value("input"_L1).toString());
    } else if (name.contains(u"__"_s)) {
        // MCP tools are offered to the model as server__tool.
        const QString server =
            name.startsWith(u"mcp__") ? name.section(u"__"_s, 1, 1) : name.section(u"__"_s, 0, 0);
        m_run.contact(server, name, u"MCP tool call"_s, at);
    }
    if (!callId.isEmpty())
        m_pending.insert(callId, pending);
    return entry(u"tool_call"_s, name, callId, at, shown, pending.commandSeq, false, lineNo);
}

// A function call's output: plain text ("Exit code: 1\nWall time: ...\nOutput:\n..."), or in
// older rollouts a JSON text {"output": ..., "metadata": {"exit_code": ...}}.
bool CodexRollout::output(const QString &callId, const QJsonValue &value, const QDateTime &at,
                          qint64 lineNo)
{
    QString text =
        value.isObject() ? value.toObject().value("content"_L1).toString() : value.toString();
    std::optional<int> exitCode;
    const QJsonDocument structured = QJsonDocument::fromJson(text.toUtf8());
    if (structured.isObject() && structured.object().contains("output"_L1)) {
        const QJsonValue code =
            structured.object().value("metadata"_L1).toObject().value("exit_code"_L1);
        if (code.isDouble())
            exitCode = code.toInt();
        text = structured.object().value("output"_L1).toString();
    } else {
        static const QRegularExpression plain(
            u"^Exit code: (-?\\d{1,3})\\n(?:.*\\n)*?Output:\\n"_s);
        if (const QRegularExpressionMatch m = plain.match(text); m.hasMatch()) {
            exitCode = m.captured(1).toInt();
            text = text.mid(m.capturedEnd());
        }
    }
    const PendingCall pending = m_pending.take(callId);
    if (pending.commandSeq > 0 && !pending.written &&
        !writeCommand(pending, exitCode, text, at, lineNo))
        return false;
    const bool failed = exitCode && *exitCode != 0;
    return entry(u"tool_result"_s, pending.name, callId, at, text, pending.commandSeq, failed,
                 lineNo);
}

bool CodexRollout::writeCommand(const PendingCall &call, std::optional<int> exitCode,
                                const QString &output, const QDateTime &endedAt, qint64 lineNo)
{
    CommandRecord command;
    command.seq = call.commandSeq;
    command.argv = call.argv;
    command.cwd = call.cwd;
    command.exitCode = exitCode;
    command.startedAt = call.at;
    command.endedAt = endedAt;
    return m_run.command(command, output, lineNo);
}

bool CodexRollout::event(const QJsonObject &payload, const QDateTime &at, qint64 lineNo)
{
    const QString type = payload.value("type"_L1).toString();
    if (type == u"exec_command_end") {
        const auto it = m_pending.find(payload.value("call_id"_L1).toString());
        if (it == m_pending.end() || it->commandSeq == 0 || it->written)
            return true;
        if (const QString cwd = payload.value("cwd"_L1).toString(); !cwd.isEmpty())
            it->cwd = cwd;
        QString text = payload.value("aggregated_output"_L1).toString();
        if (text.isEmpty())
            text = payload.value("stdout"_L1).toString() % payload.value("stderr"_L1).toString();
        const QJsonValue code = payload.value("exit_code"_L1);
        it->written = true;
        return writeCommand(*it, code.isDouble() ? std::optional<int>(code.toInt()) : std::nullopt,
                            text, at, lineNo);
    }
    if (type == u"token_count") {
        const QJsonObject total =
            payload.value("info"_L1).toObject().value("total_token_usage"_L1).toObject();
        if (!total.isEmpty())
            m_run.task().usage = total; // running totals: the last one is the session's
        return true;
    }
    if (type == u"mcp_tool_call_end") {
        const QJsonObject invocation = payload.value("invocation"_L1).toObject();
        m_run.contact(invocation.value("server"_L1).toString(),
                      invocation.value("server"_L1).toString() % u"__"_s %
                          invocation.value("tool"_L1).toString(),
                      u"MCP tool call"_s, at);
        return true;
    }
    TaskRecord &task = m_run.task();
    if (type == u"task_complete") {
        m_finished = true;
        task.state = TaskState::Completed;
        task.stateReason.clear();
    } else if (type == u"turn_aborted") {
        task.state = TaskState::Cancelled;
        task.stateReason = u"turn aborted: "_s % payload.value("reason"_L1).toString();
    } else if (type == u"error") {
        task.state = TaskState::Failed;
        task.stateReason = payload.value("message"_L1).toString();
        return entry(u"system"_s, {}, {}, at, task.stateReason, 0, true, lineNo);
    }
    return true;
}

// apply_patch's own format: "*** Add File: p", "*** Update File: p" (optionally "*** Move to:
// q"), "*** Delete File: p", each followed by its +/- lines.
void CodexRollout::patch(const QString &patch)
{
    QString path;
    QString change;
    int added = 0;
    int deleted = 0;
    const auto flush = [&] {
        if (!path.isEmpty())
            m_run.fileChange(path, change, added, deleted);
        path.clear();
        added = deleted = 0;
    };
    const QStringList lines = patch.split(u'\n');
    for (const QString &line : lines) {
        if (line.startsWith(u"*** Add File: ")) {
            flush();
            path = line.mid(14).trimmed();
            change = u"added"_s;
        } else if (line.startsWith(u"*** Update File: ")) {
            flush();
            path = line.mid(17).trimmed();
            change = u"modified"_s;
        } else if (line.startsWith(u"*** Delete File: ")) {
            flush();
            path = line.mid(17).trimmed();
            change = u"deleted"_s;
        } else if (line.startsWith(u"*** Move to: ")) {
            path = line.mid(13).trimmed();
            change = u"renamed"_s;
        } else if (line.startsWith(u"***")) {
            continue;
        } else if (line.startsWith(u'+') && !path.isEmpty()) {
            ++added;
        } else if (line.startsWith(u'-') && !path.isEmpty()) {
            ++deleted;
        }
    }
    flush();
}

bool CodexRollout::finish()
{
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (it->commandSeq > 0 && !it->written && !writeCommand(*it, std::nullopt, {}, {}, 0))
            return false;
    }
    TaskRecord &task = m_run.task();
    if (!task.id.isEmpty() && !m_finished && task.state == TaskState::Unknown)
        task.knownGaps << u"the rollout ends without a task_complete event"_s;
    if (!task.id.isEmpty() && task.repo.isEmpty() && !m_cwd.isEmpty())
        task.knownGaps << u"no repository named; the working directory was %1"_s.arg(m_cwd);
    return m_run.finish();
}

} // namespace

bool looksLikeCodexRollout(const QJsonObject &first)
{
    static const QStringList types = {u"session_meta"_s, u"turn_context"_s, u"response_item"_s,
                                      u"event_msg"_s};
    return first.value("payload"_L1).isObject() && first.value("timestamp"_L1).isString() &&
           types.contains(first.value("type"_L1).toString());
}

bool ingestCodexRollout(FileIngest &ingest, LineReader &reader)
{
    CodexRollout rollout(ingest);
    if (!ingest.readObjectLines(
            reader, [&rollout](const QJsonObject &object, qint64 lineNo, const QByteArray &) {
                return rollout.line(object, lineNo);
            }))
        return false;
    return rollout.finish();
}

} // namespace Tasktrail
