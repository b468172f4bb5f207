#pragma once

#include <QByteArray>
#include <QString>

namespace Tasktrail {

enum class InputFormat
{
    Empty,
    TasktrailRecords,
    GitHubJson,
    AuditLogLines,
    AuditLogJson,
    GitHubRepositories, // told from GitHubJson by the whole document, not the head
    CommandLog,
    ActionsJobLog,     // one job's log as GitHub's runner writes it
    ActionsRunArchive, // a run's log archive (ZIP)
    CopilotSessionLog, // `data: {chunk}` lines of a Copilot coding agent session
    ClaudeCodeSession, // a Claude Code session transcript (JSON lines)
    CodexRollout,      // an OpenAI Codex CLI rollout (JSON lines)
    InspectLog,        // an Inspect AI evaluation log (.json: one JSON document)
    InspectEvalLog,    // an Inspect AI evaluation log (.eval: a ZIP of JSON members)
    OtlpTraces,        // OpenTelemetry traces as OTLP JSON, one TracesData per line
    Unreadable,        // not text Tasktrail reads: InputDetection::reason says what it looks like

    // Coding agents' runs saved as one JSON document: a SWE-agent trajectory (an object), an
    // OpenHands event stream (an array).
    SweAgentTrajectory,
    OpenHandsTrajectory,
};

QString formatName(InputFormat format);
// "Tasktrail reads ...": every format, for a message about a file that is none of them.
QString readableFormats();

struct InputDetection
{
    InputFormat format = InputFormat::Empty;
    QString reason; // for Unreadable
};

// Decided from the first bytes of a file's content (after gzip decoding) and its name: a JSON
// object line naming "tasktrail" is Tasktrail's record format; JSON lines shaped like a Claude
// Code session or a Codex CLI rollout (docs/transcripts.md) are those; an object with a
// `trajectory` list of steps is a SWE-agent trajectory, an array of events with `action` or
// `observation` and `source` an OpenHands trajectory; objects (one per line, or in
// an array) with an audit event's fields are GitHub audit-log events; any other leading '{', or a
// '[' opening an array of objects, is a GitHub JSON document; the rest (including "[INFO] ..."
// lines) is a command log, unless its first lines carry GitHub's runner times (an Actions job
// log) or start with "data: {" (a Copilot session log). An object opening with Inspect AI's
// "version", "status" and "eval" keys is an Inspect log; one opening with "resourceSpans" is
// OTLP JSON traces. A ZIP archive whose first member is one Inspect AI writes is an Inspect
// .eval log, any other a run's log archive (the reader checks the members it finds). A UTF-8 BOM is
// skipped. Text in another encoding (UTF-16, UTF-32), binary data, other compression and a JSON
// value that is no object or array (in a file named
// *.json, *.jsonl or *.ndjson, or making up the whole file) are Unreadable, with what they look
// like and what is read instead.
// `wholeFile` says that `head` is all of the content.
InputDetection detectInputFormat(const QByteArray &head, const QString &fileName, bool wholeFile);

} // namespace Tasktrail
