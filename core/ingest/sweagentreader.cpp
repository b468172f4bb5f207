// SWE-agent trajectories (<instance id>.traj): one JSON object with `trajectory` (a step per
// action: response, thought, action, observation, execution_time, state), `history` (the
// messages sent to the model), `info` (exit_status, submission patch, model_stats) and, in
// newer versions, `replay_config` (the run's configuration: repository, model, problem) and
// `environment`. There are no clock times. docs/transcripts.md says what is kept.
#include "agentrunwriter.h"
#include "fileingest.h"
#include "text/jsonelements.h"

#include <QFileInfo>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Tasktrail {

namespace {

const QString agentName = u"swe-agent"_s;

// SWE-agent's own tools that look around the repository or end the run: transcript entries,
// not shell commands.
const QStringList viewerTools = {
    u"open"_s,       u"goto"_s,      u"scroll_up"_s, u"scroll_down"_s,  u"search_file"_s,
    u"search_dir"_s, u"find_file"_s, u"filemap"_s,   u"submit"_s,       u"exit_forfeit"_s,
    u"skip"_s,       u"exit"_s,      u"view"_s,      u"exit_command"_s, u"exit_cost"_s};
// Tools that change the file open in the editor (the state's open_file).
const QStringList openFileEditors = {u"edit"_s, u"insert"_s, u"append"_s};

QString messageText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    const QJsonArray blocks = content.toArray();
    for (const QJsonValue &b : blocks) {
        if (b.toObject().value("type"_L1).toString() == u"text")
            parts << b.toObject().value("text"_L1).toString();
    }
    return parts.join(u'\n');
}

// An object that may be written as a JSON text inside a string (state, replay_config).
QJsonObject objectOrText(const QJsonValue &value)
{
    if (value.isObject())
        return value.toObject();
    return QJsonDocument::fromJson(value.toString().toUtf8()).object();
}

// "https://github.com/o/r", "https://github.com/o/r.git" -> "o/r".
QString repositoryOf(const QString &url)
{
    static const QRegularExpression ownerName(
        u"github\\.com[:/]([^/:\\s]+)/([^/:\\s]+?)(\\.git)?/?$"_s);
    const QRegularExpressionMatch m = ownerName.match(url);
    return m.hasMatch() ? m.captured(1) % u'/' % m.captured(2) : QString();
}

class SweTrajectory
{
public:
    SweTrajectory(FileIngest &ingest, QIODevice &document)
        : m_ingest(ingest)
        , m_doc(document)
        , m_run(ingest, agentName)
    {}

    // False (with the file rejected) when the document has no trajectory list.
    bool survey();
    bool read();

private:
    std::optional<QJsonObject> member(JsonElements::Stream &stream, const QString &key);
    QString taskIdOf(const QJsonObject &config) const;
    void configure(const QJsonObject &config);
    void history(JsonElements::Stream &stream);
    bool step(const QJsonObject &step, qint64 line);
    void edit(const QString &tool, const QStringList &words);
    void finishInfo(const QJsonObject &info);
    bool entry(const QString &role, const QString &tool, const QString &callId, const QString &text,
               int commandSeq, qint64 line)
    {
        return m_run.entry(
            {m_run.taskId(), {}, 0, role, tool, callId, {}, text, commandSeq, false, false}, line);
    }

    FileIngest &m_ingest;
    QIODevice &m_doc;
    AgentRunWriter m_run;
    // What the first pass found: the members read whole, the messages of the history before
    // the agent's first answer, what was wrong with them, and how many trajectory lists there
    // are (the last one is read, as a JSON object keeps the last of repeated keys).
    std::optional<QJsonObject> m_config = QJsonObject();
    std::optional<QJsonObject> m_info = QJsonObject();
    struct Message
    {
        QString role;
        QString text;
        qint64 line = 0;
    };
    QList<Message> m_history;
    QList<std::pair<qint64, QString>> m_problems;
    int m_trajectories = 0;
    QString m_root;     // the repository's directory in the environment
    QString m_cwd;      // the working directory after the last step
    QString m_openFile; // the editor's file after the last step
    int m_steps = 0;
    double m_seconds = 0;
};

// A top-level member parsed on its own; one that is malformed is rejected at its line.
std::optional<QJsonObject> SweTrajectory::member(JsonElements::Stream &stream, const QString &key)
{
    const std::optional<JsonElements::Element> element = stream.value();
    if (!element)
        return QJsonObject();
    const JsonElements::Parsed parsed = JsonElements::parse(*element);
    if (!parsed.value) {
        m_problems.append({parsed.errorLine, key % u": "_s % parsed.error});
        return std::nullopt;
    }
    if (parsed.value->isString() || parsed.value->isObject())
        return objectOrText(*parsed.value);
    return QJsonObject();
}

// `--task`, else the problem's id in the run's configuration, else the file's name: SWE-agent
// names a trajectory after its instance.
QString SweTrajectory::taskIdOf(const QJsonObject &config) const
{
    if (!m_ingest.options().taskId.isEmpty())
        return m_ingest.options().taskId;
    const QString id = config.value("problem_statement"_L1)
                           .toObject()
                           .value("id"_L1)
                           .toString(config.value("instance_id"_L1).toString());
    if (!id.isEmpty())
        return id;
    QString name = QFileInfo(m_ingest.path()).fileName();
    for (const QLatin1StringView suffix : {".gz"_L1, ".json"_L1, ".traj"_L1}) {
        if (name.endsWith(suffix, Qt::CaseInsensitive))
            name.chop(suffix.size());
    }
    return name;
}

void SweTrajectory::configure(const QJsonObject &config)
{
    const QJsonObject repo = config.value("env"_L1).toObject().value("repo"_L1).toObject();
    TaskRecord &task = m_run.task();
    task.repo = repositoryOf(repo.value("github_url"_L1).toString());
    const QString repoName = repo.value("repo_name"_L1).toString(task.repo.section(u'/', 1));
    if (!repoName.isEmpty())
        m_root = u'/' % repoName;
    const QJsonObject model = config.value("agent"_L1).toObject().value("model"_L1).toObject();
    m_run.session(task.id).model =
        model.value("name"_L1).toString(model.value("model_name"_L1).toString());
}

// The first pass: everything but the trajectory's steps, which need the task the rest names.
bool SweTrajectory::survey()
{
    JsonElements::Stream stream(m_doc);
    if (stream.root() != '{')
        return false;
    while (const std::optional<QByteArray> key = stream.nextKey()) {
        if (*key == "replay_config" || *key == "info") {
            (*key == "info" ? m_info : m_config) = member(stream, QString::fromLatin1(*key));
        } else if (*key == "history" && stream.enterArray()) {
            history(stream);
        } else if (*key == "trajectory" && stream.enterArray()) {
            ++m_trajectories;
            while (stream.nextElement()) {
            }
        } else {
            stream.skipValue();
        }
    }
    return m_trajectories > 0;
}

bool SweTrajectory::read()
{
    for (const auto &[line, problem] : std::as_const(m_problems))
        m_ingest.reject(line, problem);
    if (!m_run.startTask(taskIdOf(m_config.value_or(QJsonObject()))))
        return false;
    m_run.session(m_run.taskId());
    configure(m_config.value_or(QJsonObject()));
    for (const Message &message : std::as_const(m_history)) {
        if (!entry(message.role, {}, {}, message.text, 0, message.line))
            return false;
    }
    // The second pass: the steps of the last trajectory list.
    if (!m_doc.seek(0)) {
        m_ingest.reject(0, u"cannot read the trajectory a second time: "_s % m_doc.errorString());
        return true;
    }
    JsonElements::Stream stream(m_doc);
    stream.root();
    int trajectories = 0;
    while (const std::optional<QByteArray> key = stream.nextKey()) {
        if (*key == "trajectory" && stream.enterArray()) {
            if (++trajectories == m_trajectories &&
                !AgentRunWriter::readObjects(m_ingest, stream, u"a trajectory step"_s,
                                             [this](const QJsonObject &step, qint64 line) {
                                                 return this->step(step, line);
                                             }))
                return false;
            while (stream.nextElement()) {
            }
        } else {
            stream.skipValue();
        }
    }
    if (m_info)
        finishInfo(*m_info);
    else
        m_run.task().knownGaps << u"the info member is malformed: no outcome, patch or usage"_s;
    return m_run.finish();
}

// The messages before the agent's first answer: the system prompt and the problem. The rest of
// the history repeats the steps of the trajectory.
void SweTrajectory::history(JsonElements::Stream &stream)
{
    m_history.clear();
    bool answered = false;
    while (const std::optional<JsonElements::Element> element = stream.nextElement()) {
        if (answered)
            continue;
        const JsonElements::Parsed parsed = JsonElements::parse(*element);
        if (!parsed.value) {
            m_problems.append({parsed.errorLine, u"history: "_s % parsed.error});
            continue;
        }
        const QJsonObject message = parsed.value->toObject();
        const QString role = message.value("role"_L1).toString();
        answered = role == u"assistant";
        if (answered || message.value("is_demo"_L1).toBool() ||
            (role != u"system" && role != u"user"))
            continue;
        m_history.append({role, messageText(message.value("content"_L1)), element->line});
    }
}

bool SweTrajectory::step(const QJsonObject &step, qint64 line)
{
    ++m_steps;
    const QString action = step.value("action"_L1).toString().trimmed();
    QString thought = step.value("thought"_L1).toString();
    if (thought.isEmpty())
        thought = step.value("response"_L1).toString();
    const QString observation = step.value("observation"_L1).toString();
    const double seconds = step.value("execution_time"_L1).toDouble();
    m_seconds += seconds;
    if (!thought.trimmed().isEmpty() && !entry(u"assistant"_s, {}, {}, thought, 0, line))
        return false;

    static const QRegularExpression space(u"\\s+"_s);
    const QStringList words = action.split(space, Qt::SkipEmptyParts);
    const QString tool = words.value(0);
    const QString callId = u"step-%1"_s.arg(m_steps);
    int seq = 0;
    if (!tool.isEmpty() && !viewerTools.contains(tool) && !openFileEditors.contains(tool) &&
        tool != u"create" && tool != u"str_replace_editor") {
        const std::optional<int> number = m_run.commandSeq(callId, line);
        if (!number)
            return false;
        seq = *number;
        CommandRecord command;
        command.seq = seq;
        command.argv = QStringList{action};
        command.cwd = m_cwd.isEmpty() ? m_root : m_cwd;
        if (!m_run.command(command, observation, line))
            return false;
    } else if (!tool.isEmpty()) {
        edit(tool, words);
    }
    // The state is read after the action ran: where the next one starts.
    const QJsonObject state = objectOrText(step.value("state"_L1));
    m_cwd = state.value("working_dir"_L1).toString(m_cwd);
    if (const QString open = state.value("open_file"_L1).toString(); open != u"n/a")
        m_openFile = open;
    if (m_root.isEmpty())
        m_root = m_cwd;
    if (!action.isEmpty() &&
        !entry(u"tool_call"_s, seq > 0 ? u"bash"_s : tool, callId, action, seq, line))
        return false;
    QString result = observation;
    if (step.value("execution_time"_L1).isDouble())
        result += u"\n(step took %1 s)"_s.arg(seconds, 0, 'f', 2);
    return action.isEmpty() ||
           entry(u"tool_result"_s, seq > 0 ? u"bash"_s : tool, callId, result, seq, line);
}

// `create PATH`, `edit N:M` (the open file), `str_replace_editor create|str_replace|insert PATH`.
void SweTrajectory::edit(const QString &tool, const QStringList &words)
{
    if (tool == u"create") {
        m_run.fileChange(AgentRunWriter::relativePath(words.value(1), m_root), u"added"_s, 0, 0);
    } else if (openFileEditors.contains(tool) && !m_openFile.isEmpty()) {
        m_run.fileChange(AgentRunWriter::relativePath(m_openFile, m_root), u"modified"_s, 0, 0);
    } else if (tool == u"str_replace_editor") {
        const QString command = words.value(1);
        if (command == u"create" || command == u"str_replace" || command == u"insert" ||
            command == u"undo_edit")
            m_run.fileChange(AgentRunWriter::relativePath(words.value(2), m_root),
                             command == u"create" ? u"added"_s : u"modified"_s, 0, 0);
    }
}

// The outcome from exit_status ("submitted", "submitted (exit_cost)", "exit_cost",
// "exit_format", ...), the patch's files with their lines, model_stats as the usage.
void SweTrajectory::finishInfo(const QJsonObject &info)
{
    TaskRecord &task = m_run.task();
    const QString status = info.value("exit_status"_L1).toString();
    if (status.startsWith(u"submitted")) {
        task.state = TaskState::Completed;
        task.stateReason = status == u"submitted" ? QString() : status;
    } else if (!status.isEmpty()) {
        task.state = TaskState::Failed;
        task.stateReason = status;
    } else {
        task.knownGaps << u"the trajectory has no exit status"_s;
    }
    if (const QString patch = info.value("submission"_L1).toString(); !patch.isEmpty())
        m_run.unifiedDiff(patch, m_root);
    task.usage = info.value("model_stats"_L1).toObject();
    task.knownGaps << u"SWE-agent records no clock times: the task, its commands and its "
                      "transcript have no times; they keep the trajectory's order, and each "
                      "step's duration is in its tool result (%1 steps, %2 s in all)"_s.arg(m_steps)
                          .arg(m_seconds, 0, 'f', 2);
    if (task.repo.isEmpty())
        task.knownGaps << u"no repository named; the working directory was %1"_s.arg(
            m_root.isEmpty() ? u"not recorded"_s : m_root);
}

} // namespace

bool looksLikeSweAgentTrajectory(QByteArrayView head)
{
    const qsizetype open = JsonElements::keyedArray(head, "trajectory");
    if (open < 0)
        return false;
    const JsonElements::Scan scan = JsonElements::scanArray(head, open);
    if (scan.elements.isEmpty())
        return JsonElements::keyedArray(head, "history") >= 0;
    const JsonElements::Element &first = scan.elements.constFirst();
    if (first.cutOff)
        return first.bytes.contains("\"action\"") && first.bytes.contains("\"observation\"");
    const JsonElements::Parsed parsed = JsonElements::parse(first);
    const QJsonObject step = parsed.value ? parsed.value->toObject() : QJsonObject();
    return step.value("action"_L1).isString() &&
           (step.contains("observation"_L1) || step.contains("thought"_L1));
}

bool ingestSweAgentTrajectory(FileIngest &ingest, QIODevice &document)
{
    if (!ingest.ensureBatch())
        return false;
    SweTrajectory trajectory(ingest, document);
    if (!trajectory.survey()) {
        ingest.reject(1, u"expected a SWE-agent trajectory: an object with a trajectory list"_s);
        return true;
    }
    return trajectory.read();
}

} // namespace Tasktrail
