// Claude Code session transcripts (~/.claude/projects/<project>/<session id>.jsonl, and a
// sub-agent's under <session id>/subagents/): one JSON object per line, `type` user, assistant
// or system with `sessionId`, `uuid`, `parentUuid`, `cwd`, `gitBranch`, `timestamp`,
// `isSidechain` and `message` in the Messages API's shape. An assistant message's tool_use
// blocks are tool calls; the tool_result blocks of the user record after it are their results.
// docs/transcripts.md says what is kept.
#include "agentrunwriter.h"
#include "fileingest.h"
#include "text/linereader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

const QString agentName = u"claude-code"_s;

// Tools that read or plan inside the agent's own working copy: transcript entries only.
bool isEditTool(const QString &name)
{
    return name == u"Edit" || name == u"MultiEdit" || name == u"Write" || name == u"NotebookEdit";
}

QString blockText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    const QJsonArray blocks = content.toArray();
    for (const QJsonValue &b : blocks) {
        const QJsonObject block = b.toObject();
        const QString type = block.value("type"_L1).toString();
        if (type == u"text")
            parts << block.value("text"_L1).toString();
        else if (type == u"image")
            parts << u"[image]"_s;
    }
    return parts.join(u'\n');
}

struct PendingCall
{
    QString name;
    int commandSeq = 0;
    QString commandLine;
    QString cwd;
    QDateTime at;
    QString path; // Write's file
};

class ClaudeSession
{
public:
    explicit ClaudeSession(FileIngest &ingest)
        : m_ingest(ingest)
        , m_run(ingest, agentName)
    {}

    FileIngest::LineResult record(const QJsonObject &record, qint64 lineNo);
    bool finish();

private:
    struct Where
    {
        QString session; // the entries' session: a sub-agent's has its own
        bool sidechain = false;
        QDateTime at;
    };
    bool message(const QJsonObject &record, const Where &where, qint64 lineNo);
    bool toolUse(const QJsonObject &block, const Where &where, qint64 lineNo);
    bool toolResult(const QJsonObject &block, const QJsonObject &record, const Where &where,
                    qint64 lineNo);
    void usage(const QJsonObject &message);
    QString relative(const QString &path) const;

    FileIngest &m_ingest;
    AgentRunWriter m_run;
    QHash<QString, PendingCall> m_pending; // tool calls waiting for their result
    QString m_cwd;
    QString m_lastMessageId; // an assistant message spans records; its usage counts once
    bool m_answered = false; // the main conversation ended with the agent's text
};

QString ClaudeSession::relative(const QString &path) const
{
    if (!m_cwd.isEmpty() && path.startsWith(m_cwd + u'/'))
        return path.mid(m_cwd.size() + 1);
    return path;
}

FileIngest::LineResult ClaudeSession::record(const QJsonObject &record, qint64 lineNo)
{
    const QString type = record.value("type"_L1).toString();
    if (type != u"user" && type != u"assistant" && type != u"system")
        return FileIngest::LineResult::Stored; // summaries, snapshots: nothing about the run
    const QString sessionId = record.value("sessionId"_L1).toString();
    if (sessionId.isEmpty()) {
        m_ingest.reject(lineNo, u"a %1 record without a sessionId"_s.arg(type));
        return FileIngest::LineResult::Rejected;
    }
    if (m_run.taskId().isEmpty()) {
        const QString task =
            m_ingest.options().taskId.isEmpty() ? sessionId : m_ingest.options().taskId;
        if (!m_run.startTask(task))
            return FileIngest::LineResult::Failed;
    }
    Where where;
    where.sidechain = record.value("isSidechain"_L1).toBool();
    const QString agentId = record.value("agentId"_L1).toString();
    where.session = where.sidechain
                        ? sessionId % u"/agent-"_s % (agentId.isEmpty() ? u"sidechain"_s : agentId)
                        : sessionId;
    where.at = QDateTime::fromString(record.value("timestamp"_L1).toString(), Qt::ISODateWithMs);
    m_run.seen(where.at);
    SessionRecord &session = m_run.session(where.session);
    if (where.at.isValid() && (!session.startedAt.isValid() || where.at < session.startedAt))
        session.startedAt = where.at;
    if (where.at.isValid() && where.at > session.completedAt)
        session.completedAt = where.at;
    if (const QString cwd = record.value("cwd"_L1).toString(); !cwd.isEmpty())
        m_cwd = cwd;
    const QString branch = record.value("gitBranch"_L1).toString();
    if (!branch.isEmpty() && branch != u"HEAD")
        m_run.task().headRef = branch;
    if (type == u"system") {
        const QString text = record.value("content"_L1).toString();
        if (text.isEmpty())
            return FileIngest::LineResult::Stored;
        TranscriptEntry e{where.session, {},   0, u"system"_s,     {},   {},
                          where.at,      text, 0, where.sidechain, false};
        return m_run.entry(e, lineNo) ? FileIngest::LineResult::Stored
                                      : FileIngest::LineResult::Failed;
    }
    return message(record, where, lineNo) ? FileIngest::LineResult::Stored
                                          : FileIngest::LineResult::Failed;
}

bool ClaudeSession::message(const QJsonObject &record, const Where &where, qint64 lineNo)
{
    const QJsonObject message = record.value("message"_L1).toObject();
    const bool assistant = record.value("type"_L1) == "assistant"_L1;
    if (assistant) {
        if (const QString model = message.value("model"_L1).toString();
            !model.isEmpty() && !model.startsWith(u'<'))
            m_run.session(where.session).model = model;
        usage(message);
    }
    // Text the user did not type (command caveats, hook output) is marked isMeta.
    const QString textRole = assistant                            ? u"assistant"_s
                             : record.value("isMeta"_L1).toBool() ? u"system"_s
                                                                  : u"user"_s;
    const QJsonValue content = message.value("content"_L1);
    QJsonArray blocks = content.toArray();
    if (content.isString())
        blocks = QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, content}}};
    for (const QJsonValue &b : std::as_const(blocks)) {
        const QJsonObject block = b.toObject();
        const QString type = block.value("type"_L1).toString();
        bool ok = true;
        if (type == u"text" || type == u"image") {
            const QString text = blockText(QJsonArray{block});
            if (text.isEmpty())
                continue;
            ok = m_run.entry(
                {where.session, {}, 0, textRole, {}, {}, where.at, text, 0, where.sidechain, false},
                lineNo);
            if (!where.sidechain)
                m_answered = assistant;
        } else if (type == u"tool_use") {
            ok = toolUse(block, where, lineNo);
            if (!where.sidechain)
                m_answered = false;
        } else if (type == u"tool_result") {
            ok = toolResult(block, record, where, lineNo);
        }
        if (!ok)
            return false;
    }
    return true;
}

void ClaudeSession::usage(const QJsonObject &message)
{
    const QString id = message.value("id"_L1).toString();
    const QJsonObject usage = message.value("usage"_L1).toObject();
    if (usage.isEmpty() || (!id.isEmpty() && id == m_lastMessageId))
        return;
    m_lastMessageId = id;
    QJsonObject &total = m_run.task().usage;
    for (const QLatin1StringView key :
         {"input_tokens"_L1, "output_tokens"_L1, "cache_creation_input_tokens"_L1,
          "cache_read_input_tokens"_L1}) {
        const qint64 n = usage.value(key).toInteger();
        if (n > 0)
            total.insert(key, double(total.value(key).toInteger() + n));
    }
}

bool ClaudeSession::toolUse(const QJsonObject &block, const Where &where, qint64 lineNo)
{
    const QString name = block.value("name"_L1).toString();
    const QString id = block.value("id"_L1).toString();
    const QJsonObject input = block.value("input"_L1).toObject();
    PendingCall call{name, 0, {}, m_cwd, where.at, {}};
    QString text = QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact));
    if (name == u"Bash" && !input.value("command"_L1).toString().isEmpty()) {
        call.commandLine = input.value("command"_L1).toString();
        text = call.commandLine;
        const std::optional<int> seq = m_run.commandSeq(id.isEmpty() ? text : id, lineNo);
        if (!seq)
            return false;
        call.commandSeq = *seq;
    } else if (isEditTool(name)) {
        const QString path = relative(
            input.value(name == u"NotebookEdit" ? "notebook_path"_L1 : "file_path"_L1).toString());
        if (name == u"Write") {
            call.path = path; // added or modified: its result says which
        } else if (name == u"MultiEdit") {
            const QJsonArray edits = input.value("edits"_L1).toArray();
            for (const QJsonValue &edit : edits)
                m_run.fileChange(
                    path, u"modified"_s,
                    AgentRunWriter::lineCount(edit.toObject().value("new_string"_L1).toString()),
                    AgentRunWriter::lineCount(edit.toObject().value("old_string"_L1).toString()));
        } else {
            m_run.fileChange(path, u"modified"_s,
                             AgentRunWriter::lineCount(input.value("new_string"_L1).toString()),
                             AgentRunWriter::lineCount(input.value("old_string"_L1).toString()));
        }
        if (name == u"Write")
            m_run.fileChange(path, {},
                             AgentRunWriter::lineCount(input.value("content"_L1).toString()), 0);
    } else if (name == u"WebFetch") {
        m_run.contact(QUrl(input.value("url"_L1).toString()).host(), name, u"fetched a URL"_s,
                      where.at);
    } else if (name == u"WebSearch") {
        m_run.contact(u"web-search"_s, name, u"searched the web"_s, where.at);
    } else if (name.startsWith(u"mcp__")) {
        m_run.contact(name.section(u"__"_s, 1, 1), name, u"MCP tool call"_s, where.at);
    }
    if (!id.isEmpty())
        m_pending.insert(id, call);
    return m_run.entry({where.session,
                        {},
                        0,
                        u"tool_call"_s,
                        name,
                        id,
                        where.at,
                        text,
                        call.commandSeq,
                        where.sidechain,
                        false},
                       lineNo);
}

bool ClaudeSession::toolResult(const QJsonObject &block, const QJsonObject &record,
                               const Where &where, qint64 lineNo)
{
    const QString id = block.value("tool_use_id"_L1).toString();
    const PendingCall call = m_pending.take(id);
    const bool isError = block.value("is_error"_L1).toBool();
    const QString output = blockText(block.value("content"_L1));
    if (!call.path.isEmpty()) {
        // Write says in its result whether it created the file or replaced it.
        const QString kind =
            record.value("toolUseResult"_L1).toObject().value("type"_L1).toString();
        m_run.fileChange(call.path, kind == u"update" ? u"modified"_s : u"added"_s, 0, 0);
    }
    if (call.commandSeq > 0) {
        CommandRecord command;
        command.seq = call.commandSeq;
        command.argv = QStringList{call.commandLine};
        command.cwd = call.cwd;
        command.startedAt = call.at;
        command.endedAt = where.at;
        // A failed command's result starts "Exit code N"; any other result is a success.
        static const QRegularExpression exitCode(u"^Exit code (\\d{1,3})\\b"_s);
        if (const QRegularExpressionMatch m = exitCode.match(output); m.hasMatch())
            command.exitCode = m.captured(1).toInt();
        else if (!isError)
            command.exitCode = 0;
        if (!m_run.command(command, output, lineNo))
            return false;
    }
    return m_run.entry({where.session,
                        {},
                        0,
                        u"tool_result"_s,
                        call.name,
                        id,
                        where.at,
                        output,
                        call.commandSeq,
                        where.sidechain,
                        isError},
                       lineNo);
}

bool ClaudeSession::finish()
{
    // Tool calls without a result: the command ran (or was about to), its outcome is unknown.
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (it->commandSeq == 0)
            continue;
        CommandRecord command;
        command.seq = it->commandSeq;
        command.argv = QStringList{it->commandLine};
        command.cwd = it->cwd;
        command.startedAt = it->at;
        if (!m_run.command(command, {}, 0))
            return false;
    }
    TaskRecord &task = m_run.task();
    if (m_answered) {
        task.state = TaskState::Completed;
    } else if (!task.id.isEmpty()) {
        task.knownGaps << u"the transcript ends before the agent's final answer"_s;
    }
    if (!task.id.isEmpty() && task.repo.isEmpty() && !m_cwd.isEmpty())
        task.knownGaps << u"no repository named; the working directory was %1"_s.arg(m_cwd);
    return m_run.finish();
}

} // namespace

bool looksLikeClaudeCodeSession(const QJsonObject &first)
{
    const QString type = first.value("type"_L1).toString();
    if (type == u"summary")
        return first.contains("leafUuid"_L1);
    return first.value("sessionId"_L1).isString() && first.contains("uuid"_L1) &&
           (first.contains("parentUuid"_L1) || first.contains("message"_L1));
}

bool ingestClaudeCodeSession(FileIngest &ingest, LineReader &reader)
{
    ClaudeSession session(ingest);
    if (!ingest.readObjectLines(
            reader, [&session](const QJsonObject &object, qint64 lineNo, const QByteArray &) {
                return session.record(object, lineNo);
            }))
        return false;
    return session.finish();
}

} // namespace Tasktrail
