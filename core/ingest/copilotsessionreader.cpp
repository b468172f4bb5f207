// Copilot coding agent session logs (what `gh agent-task view --log` reads): one server-sent
// event per line, "data: {json}", each a chat.completion.chunk. A chunk whose delta carries
// tool calls and content is a finished tool call with its result; a chunk with assistant
// content alone is the agent's text.
#include "agentrunwriter.h"
#include "fileingest.h"
#include "records/recordvalues.h"
#include "store/recordstore.h"
#include "text/linereader.h"
#include "text/sha256.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRegularExpression>
#include <QTimeZone>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

// Tools that act inside the agent's own sandbox: neither commands nor contacts.
const QStringList sandboxTools = {
    u"view"_s,       u"think"_s,     u"run_setup"_s,       u"read_bash"_s,
    u"write_bash"_s, u"stop_bash"_s, u"read_async_bash"_s, u"stop_async_bash"_s};

// Where the runner checks the repository out: /home/runner/work/{owner}/{repo}/path.
QString repositoryPath(QString path)
{
    static const QRegularExpression checkout(u"^/home/runner/work/[^/]+/[^/]+/"_s);
    return path.remove(checkout);
}

class SessionWriter
{
public:
    SessionWriter(FileIngest &ingest, const QString &taskId, const QString &sessionId,
                  int firstCommand, int lastCommand)
        : m_ingest(ingest)
        , m_taskId(taskId)
        , m_sessionId(sessionId)
        , m_nextSeq(qMax(1, firstCommand))
        , m_lastSeq(lastCommand > 0 ? lastCommand : RecordValues::maxInt)
    {}

    bool chunk(const QJsonObject &chunk, qint64 lineNo);
    bool finish();

private:
    bool toolCall(const QString &name, const QJsonObject &args, const QString &result,
                  const QDateTime &at, qint64 lineNo);
    bool command(const QString &commandLine, const QString &output, const QDateTime &at,
                 qint64 lineNo);
    void contact(const QString &name, const QJsonObject &args, const QDateTime &at);
    // One entry of the conversation, numbered in the order of the log.
    bool entry(TranscriptEntry e, qint64 lineNo);
    // Whether a record with this content was stored before (then it counts as a duplicate);
    // nullopt on a store error.
    std::optional<bool> isNew(const QByteArray &content);

    FileIngest &m_ingest;
    QString m_taskId;
    QString m_sessionId;
    qint64 m_nextSeq;
    qint64 m_lastSeq;
    int m_entrySeq = 0;
    QStringList m_transcript; // the agent's messages and progress reports, in order
    QMap<QString, FileChange> m_files;
    QMap<std::pair<QString, QString>, ExternalContact> m_contacts;
};

std::optional<bool> SessionWriter::isNew(const QByteArray &content)
{
    const QByteArray identity = "copilot-session:" + m_taskId.toUtf8() + '\0' + content;
    const QByteArray hash = Sha256::of(identity);
    bool fresh = false;
    if (!m_ingest.store().markRecordSeen(hash, &fresh))
        return std::nullopt;
    if (!fresh)
        ++m_ingest.counts().duplicates;
    return fresh;
}

bool SessionWriter::chunk(const QJsonObject &chunk, qint64 lineNo)
{
    if (chunk.value("object"_L1).toString() != "chat.completion.chunk"_L1)
        return true; // other events of the stream say nothing about the task
    const qint64 created = chunk.value("created"_L1).toInteger();
    const QDateTime at = created > 0 && created < 253402300800
                             ? QDateTime::fromSecsSinceEpoch(created, QTimeZone::utc())
                             : QDateTime();
    const QJsonArray choices = chunk.value("choices"_L1).toArray();
    for (const QJsonValue &choice : choices) {
        const QJsonObject delta = choice.toObject().value("delta"_L1).toObject();
        const QString content = delta.value("content"_L1).toString();
        const QJsonArray calls = delta.value("tool_calls"_L1).toArray();
        if (calls.isEmpty() && !content.isEmpty() && delta.value("role"_L1) == "assistant"_L1) {
            m_transcript << content;
            if (!entry({m_sessionId, m_taskId, 0, u"assistant"_s, {}, {}, at, content}, lineNo))
                return false;
        }
        // A tool call is finished, with its result, once its chunk carries content.
        if (calls.isEmpty() || content.isEmpty())
            continue;
        for (const QJsonValue &call : calls) {
            const QJsonObject function = call.toObject().value("function"_L1).toObject();
            const QString name = function.value("name"_L1).toString();
            if (name.isEmpty())
                continue;
            const QJsonDocument args =
                QJsonDocument::fromJson(function.value("arguments"_L1).toString().toUtf8());
            if (!args.isObject()) {
                m_ingest.reject(lineNo,
                                u"tool call '%1': its arguments are not a JSON object"_s.arg(
                                    RecordValues::printable(name)));
                continue;
            }
            // The call and its result as the conversation has them; a shell call names the
            // command it becomes.
            const bool shell = (name == "bash"_L1 || name == "async_bash"_L1) &&
                               !args.object().value("command"_L1).toString().isEmpty();
            const int commandSeq = shell && m_nextSeq <= m_lastSeq ? int(m_nextSeq) : 0;
            const QString callId = call.toObject().value("id"_L1).toString();
            if (!entry({m_sessionId, m_taskId, 0, u"tool_call"_s, name, callId, at,
                        function.value("arguments"_L1).toString(), commandSeq},
                       lineNo) ||
                !toolCall(name, args.object(), content, at, lineNo) ||
                !entry({m_sessionId, m_taskId, 0, u"tool_result"_s, name, callId, at, content,
                        commandSeq},
                       lineNo))
                return false;
        }
    }
    return true;
}

bool SessionWriter::toolCall(const QString &name, const QJsonObject &args, const QString &result,
                             const QDateTime &at, qint64 lineNo)
{
    if (name == "bash"_L1 || name == "async_bash"_L1) {
        const QString commandLine = args.value("command"_L1).toString();
        return commandLine.isEmpty() || command(commandLine, result, at, lineNo);
    }
    if (name == "create"_L1 || name == "str_replace"_L1 || name == "insert"_L1 ||
        name == "edit"_L1) {
        const QString path = repositoryPath(args.value("path"_L1).toString());
        if (path.isEmpty())
            return true;
        FileChange &change = m_files[path];
        change.taskId = m_taskId;
        change.path = path;
        if (change.change.isEmpty())
            change.change = name == "create"_L1 ? u"added"_s : u"modified"_s;
        change.additions +=
            AgentRunWriter::lineCount(args.value(name == "create"_L1   ? "file_text"_L1
                                                 : name == "insert"_L1 ? "new_str"_L1
                                                                       : "new_str"_L1)
                                          .toString());
        change.deletions += AgentRunWriter::lineCount(args.value("old_str"_L1).toString());
        return true;
    }
    if (name == "report_progress"_L1) {
        // What the agent committed and wrote as the pull request's description.
        m_transcript << u"Progress: "_s % args.value("commitMessage"_L1).toString() % u"\n\n"_s %
                            args.value("prDescription"_L1).toString();
        return true;
    }
    if (sandboxTools.contains(name))
        return true;
    contact(name, args, at);
    return true;
}

bool SessionWriter::entry(TranscriptEntry e, qint64 lineNo)
{
    if (m_entrySeq >= RecordValues::maxInt) {
        m_ingest.reject(lineNo, u"too many transcript entries in one session"_s);
        return true;
    }
    e.seq = ++m_entrySeq;
    e.text = AgentRunWriter::entryText(e.text);
    const std::optional<bool> fresh =
        isNew("entry:" + m_sessionId.toUtf8() + '\0' + QByteArray::number(e.seq) + '\0' +
              e.role.toUtf8() + '\0' + e.tool.toUtf8() + '\0' + e.callId.toUtf8() + '\0' +
              QByteArray::number(e.commandSeq) + '\0' + e.text.toUtf8());
    if (!fresh || (*fresh && !m_ingest.store().writeTranscriptEntry(e)))
        return m_ingest.fatal(u"line %1: cannot store the transcript entry"_s.arg(lineNo));
    return true;
}

// A shell command and its output; the bash tool ends its output with the exit code.
bool SessionWriter::command(const QString &commandLine, const QString &output, const QDateTime &at,
                            qint64 lineNo)
{
    if (m_nextSeq > m_lastSeq) {
        m_ingest.reject(lineNo, u"too many commands: numbers must be at most %1"_s.arg(m_lastSeq));
        return true;
    }
    CommandRecord record;
    record.taskId = m_taskId;
    record.seq = int(m_nextSeq++);
    record.argv = QStringList{commandLine};
    record.startedAt = at;
    static const QRegularExpression exited(u"<exited with exit code (\\d{1,3})>\\s*$"_s);
    const QRegularExpressionMatch m = exited.match(output);
    if (m.hasMatch())
        record.exitCode = m.captured(1).toInt();
    const std::optional<bool> fresh = isNew("command:" + QByteArray::number(record.seq) + '\0' +
                                            commandLine.toUtf8() + '\0' + output.toUtf8());
    if (!fresh)
        return m_ingest.fatal(u"line %1: cannot store the command"_s.arg(lineNo));
    if (!*fresh)
        return true;
    if (!m_ingest.store().writeCommand(record))
        return m_ingest.fatal(u"line %1: cannot store the command"_s.arg(lineNo));
    // The bash tool's output carries no times of its own.
    if (!AgentRunWriter::writeOutput(m_ingest, m_taskId, record.seq, output, {}, lineNo))
        return false;
    ++m_ingest.counts().ingested;
    return true;
}

// Any other tool reaches outside the sandbox: an MCP server, a browser, a web fetch. The host
// is the URL's when the call names one, else the tool's server ("github-mcp-server-get_issue"
// -> "github-mcp-server", "playwright-browser_navigate" -> "playwright").
void SessionWriter::contact(const QString &name, const QJsonObject &args, const QDateTime &at)
{
    QString host = QUrl(args.value("url"_L1).toString()).host();
    QString purpose = u"tool call"_s;
    if (host.isEmpty()) {
        const qsizetype server = name.indexOf("-server-"_L1);
        host = server > 0 ? name.left(server + 7) : name.section(u'-', 0, 0);
        purpose = u"MCP tool call"_s;
    } else {
        purpose = u"fetched a URL"_s;
    }
    ExternalContact &c = m_contacts[{host, name}];
    if (c.host.isEmpty())
        c = ExternalContact{m_taskId, host, name, purpose, at};
}

bool SessionWriter::finish()
{
    if (!m_transcript.isEmpty()) {
        const TranscriptRecord transcript{m_sessionId, m_taskId, m_transcript.join(u"\n\n"_s)};
        const std::optional<bool> fresh =
            isNew("transcript:" + m_sessionId.toUtf8() + '\0' + transcript.text.toUtf8());
        if (!fresh || (*fresh && !m_ingest.store().writeTranscript(transcript)))
            return m_ingest.fatal(u"cannot store the transcript"_s);
        if (*fresh)
            ++m_ingest.counts().ingested;
    }
    for (const FileChange &change : std::as_const(m_files)) {
        const std::optional<bool> fresh = isNew(
            "file:" + change.path.toUtf8() + '\0' + change.change.toUtf8() + '\0' +
            QByteArray::number(change.additions) + '/' + QByteArray::number(change.deletions));
        if (!fresh)
            return m_ingest.fatal(u"cannot store a changed file"_s);
        if (!*fresh)
            continue;
        if (!m_ingest.store().writeFileChange(change))
            return m_ingest.fatal(u"cannot store a changed file"_s);
        ++m_ingest.counts().ingested;
    }
    for (const ExternalContact &contact : std::as_const(m_contacts)) {
        const std::optional<bool> fresh = isNew(
            "contact:" + contact.host.toUtf8() + '\0' + contact.tool.toUtf8() + '\0' +
            contact.purpose.toUtf8() + '\0' + QByteArray::number(contact.at.toSecsSinceEpoch()));
        if (!fresh)
            return m_ingest.fatal(u"cannot store an external contact"_s);
        if (!*fresh)
            continue;
        if (!m_ingest.store().writeContact(contact))
            return m_ingest.fatal(u"cannot store an external contact"_s);
        ++m_ingest.counts().ingested;
    }
    return true;
}

} // namespace

bool ingestCopilotSessionLog(FileIngest &ingest, LineReader &reader)
{
    const IngestOptions &options = ingest.options();
    if (options.taskId.isEmpty()) { // the Ingestor says so before reading
        ingest.reject(0, u"a Copilot session log needs --task"_s);
        return true;
    }
    if (!ingest.ensureBatch())
        return false;
    TaskRecord task;
    task.id = options.taskId;
    if (!options.sessionId.isEmpty())
        task.sessions.append(SessionRecord{
            options.sessionId, options.taskId, 0, TaskState::Unknown, {}, {}, {}, {}});
    if (!ingest.store().writeTask(task))
        return ingest.fatal(u"cannot store the task"_s);
    ingest.touchTask(options.taskId);
    // Without a session the log's transcript is kept under the task's own name for it.
    const QString sessionId =
        options.sessionId.isEmpty() ? options.taskId % u":session-log"_s : options.sessionId;
    SessionWriter writer(ingest, options.taskId, sessionId, options.commandSeq,
                         options.lastCommandSeq);
    QByteArray line;
    qsizetype fullLength = 0;
    while (reader.next(line, &fullLength)) {
        const qint64 lineNo = reader.lineNumber();
        if (line.trimmed().isEmpty())
            continue;
        if (!line.startsWith("data:")) {
            ingest.reject(lineNo, u"not a \"data:\" line of a session log"_s);
            continue;
        }
        const QByteArray payload = line.mid(5).trimmed();
        const std::optional<QJsonObject> chunk =
            ingest.parseObjectLine(payload, fullLength - (line.size() - payload.size()), lineNo);
        if (!chunk)
            continue;
        if (!writer.chunk(*chunk, lineNo))
            return false;
        if (!ingest.step(options.recordBatch, reader.bytesConsumed()))
            return false;
    }
    return writer.finish();
}

} // namespace Tasktrail
