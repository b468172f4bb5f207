#pragma once

#include "records/task.h"
#include "text/jsonelements.h"

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QString>

#include <functional>
#include <optional>

namespace Tasktrail {

class FileIngest;

// What a coding agent's own transcript (Claude Code, Codex CLI) says about its run, written
// as the transcript is read: the conversation entry by entry, every shell tool call as a
// command with its output, and at the end the task with its sessions, changed files,
// contacts, tests and failures. Each record is written once: a record stored before (the same
// transcript ingested again) is counted as a duplicate and left as it is.
class AgentRunWriter final
{
public:
    AgentRunWriter(FileIngest &ingest, const QString &agent);

    // The task the transcript is of, stored at once with its agent so that what follows has
    // a task to belong to; nothing is written before it is known. False on a store error.
    bool startTask(const QString &taskId);
    const QString &taskId() const { return m_task.id; }
    TaskRecord &task() { return m_task; }
    // The session with this id, added to the task on first use.
    SessionRecord &session(const QString &sessionId);
    // Widens the task's start and end to a time the transcript names.
    void seen(const QDateTime &at);

    // Appends an entry to its session's conversation (its number is given here).
    bool entry(TranscriptEntry entry, qint64 lineNo);
    // The command number of a shell tool call: the one an earlier ingest gave it, else the
    // task's next. nullopt on a store error (reported).
    std::optional<int> commandSeq(const QString &callId, qint64 lineNo);
    // A shell command with its output (one log line per line, all at `outputAt`). A test
    // command becomes a test, a failed one a failure.
    bool command(const CommandRecord &record, const QString &output, qint64 lineNo);
    void fileChange(const QString &path, const QString &change, int additions, int deletions);
    // The files a unified diff (git's, or plain `---`/`+++` sections) changes, with the lines
    // it adds and removes; `root` (a working directory) is cut off absolute paths.
    void unifiedDiff(const QString &diff, const QString &root = {});
    // A path relative to `root` when it lies under it.
    static QString relativePath(const QString &path, const QString &root);
    void contact(const QString &host, const QString &tool, const QString &purpose,
                 const QDateTime &at);
    // A shell command line that reaches the network (curl, wget, git clone, ...): a contact.
    void networkCommand(const QString &commandLine, const QDateTime &at);
    // What the transcript itself says was tested or went wrong (a scorer's verdict, a tool's
    // error), beside what commands' exit codes say. One per name, one per command number.
    void test(const TestResult &test);
    void failure(const FailureRecord &failure);

    bool finish();

    // Transcript entries keep this much of a text; a command's whole output is in its log.
    static constexpr qsizetype maxEntryText = 64 * 1024;
    static QString entryText(const QString &text);
    // A stored command's output as its log lines, each at `at` (untimed when invalid); false
    // after a fatal store error.
    static bool writeOutput(FileIngest &ingest, const QString &taskId, int seq,
                            const QString &output, const QDateTime &at, qint64 lineNo);
    static int lineCount(const QString &text);
    // The objects of a JSON array read from a stream (from `first` when it was read already),
    // each parsed on its own: one that is malformed or no object is rejected at its line and
    // the others go to `object`. False once `object` does (a store error) or on a cancel.
    using ElementHandler = std::function<bool(const QJsonObject &object, qint64 line)>;
    static bool readObjects(FileIngest &ingest, JsonElements::Stream &stream, const QString &what,
                            const ElementHandler &object,
                            std::optional<JsonElements::Element> first = std::nullopt);

private:
    std::optional<bool> isNew(const QByteArray &content);
    void recognizeTest(const CommandRecord &record, const QString &output);

    FileIngest &m_ingest;
    QString m_agent;
    TaskRecord m_task;
    QHash<QString, int> m_nextEntry; // per session
    QMap<QString, FileChange> m_files;
    QMap<std::pair<QString, QString>, ExternalContact> m_contacts;
    QMap<QString, TestResult> m_tests;
    QMap<int, FailureRecord> m_failures;
};

} // namespace Tasktrail
