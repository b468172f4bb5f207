#pragma once

#include "github/githubshapes.h"
#include "ingestissue.h"
#include "ingestor.h"
#include "preparedqueue.h"
#include "text/linereader.h"
#include "text/redactor.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <functional>
#include <numeric>
#include <variant>
#include <vector>

class QIODevice;
#include <optional>

namespace Tasktrail {

class RecordStore;
struct LogLine;
struct RedactedLogLine;
struct TaskRecord;

// The state of ingesting one file: its counts, its open batch and its issues. The format
// readers (JSONL records, GitHub JSON, command logs) share it.
class FileIngest final
{
public:
    FileIngest(Ingestor &owner, RecordStore &store, const QString &path, qint64 size);

    RecordStore &store() { return m_store; }
    const IngestOptions &options() const { return m_owner.m_options; }
    const QString &path() const { return m_path; }
    IngestCounts &counts() { return m_counts; }

    // Where progress is measured when the readers' byte positions are not the file's (gzip
    // data, whose content is longer than the file) or the size is known only at the end
    // (pipes): the file's bytes read so far, and at the end its size.
    void setPosition(std::function<qint64()> position) { m_position = std::move(position); }
    void setSize(qint64 size) { m_size = size; }

    // Opens a batch when none is open.
    bool ensureBatch();
    // Counts `units` of work (one record, or the records a reader wrote at once) and commits
    // when `limit` units are pending: a batch, and what the store holds for it until it
    // commits (the evidence ledger keeps every appended log line's bytes), stays bounded.
    bool step(int limit, qint64 bytePosition, int units = 1);
    // The same with the progress position already taken (progressPosition()), for a reader
    // on another thread than the writes: it takes the position as it reads each line.
    bool stepAt(int limit, qint64 position, int units = 1);
    qint64 progressPosition(qint64 bytePosition) const
    {
        return m_position ? m_position() : bytePosition;
    }
    // Records the file as ingested in the last batch and commits it.
    bool finish(const QByteArray &sha256, const QByteArray &headHash, const QString &format);
    void abort();

    // One line of a JSON-lines file as an object. A line that is too long, not UTF-8, not JSON
    // or not an object is rejected with the reason; a blank line is skipped. Both are nullopt.
    std::optional<QJsonObject> parseObjectLine(const QByteArray &line, qsizetype fullLength,
                                               qint64 lineNo);
    // Reads a JSON-lines file to its end: every object line goes to `store` (with its number
    // and raw bytes); a stored line is one step of the record batch, a rejected one goes on to
    // the next line, and a store error ends the file.
    enum class LineResult
    {
        Stored,
        Rejected,
        Failed,
    };
    using ObjectLineHandler =
        std::function<LineResult(const QJsonObject &object, qint64 lineNo, const QByteArray &line)>;
    bool readObjectLines(LineReader &reader, const ObjectLineHandler &store);
    // The same, with the work that needs no store done on a second thread while this one
    // writes: lines are read, checked and parsed there, and `prepare` turns each object into
    // what `write` then stores, in the file's order, on the calling thread. `prepare` runs
    // beside the writes, so it must touch neither this object nor the store nor the reader
    // (the reader belongs to the other thread until this returns).
    //
    // With `keyOf`, the lines are read a batch at a time (IngestOptions::recordBatch lines, or
    // fewer once they reach recordBatchBytes) and prepared and written in the order of their
    // records' keys: the key of the rows they write (a task's id for a task and what belongs to
    // it), read from the line's bytes on the reading thread. Each table's b-tree is then walked
    // once per batch in one direction, instead of touched at a random page per record, and
    // only the lines of the batch are held, not their parsed records. Lines of one key keep
    // the file's order; lines whose key is empty come first; a line whose key is not known
    // exactly (nullopt) stays where it is and nothing moves past it. A row that lines of two
    // keys may both write (a session, keyed by its own id, names its task) is named in
    // `shared`: lines between two barriers that write one under two keys keep the file's order.
    // A batch's rejections and warnings are reported once it is written, in line order. The
    // commands each line names (task id, number) go to the store, in the file's order, before
    // the batch is written (RecordStore::planCommandKeys): new ones get their keys in that order.
    struct LineKey
    {
        std::optional<QByteArray> key;
        QByteArrayList shared;
        QList<std::pair<QString, int>> commands;
    };
    using KeyOf = std::function<LineKey(QByteArrayView line)>;
    template<typename Prepared>
    bool
    readPreparedLines(LineReader &reader,
                      const std::function<Prepared(const QJsonObject &object, qint64 lineNo,
                                                   const QByteArray &line)> &prepare,
                      const std::function<LineResult(Prepared &prepared, qint64 lineNo)> &write,
                      const KeyOf &keyOf = {});
    // A JSON-lines line as an object, or nullopt with the reason it is rejected (empty for a
    // blank line, which is skipped). Touches nothing: any thread may call it.
    static std::optional<QJsonObject> checkObjectLine(const QByteArray &line, qsizetype fullLength,
                                                      QString *reason);

    // Appends a log line. A line number stored before with other text keeps the stored text
    // (lines are evidence, hashed into the chain as stored) and is warned about. PerLine
    // counts each line as ingested or a duplicate; InRecord leaves that to the record holding
    // it. False on a store error.
    enum class LineCount
    {
        PerLine,
        InRecord,
    };
    bool appendLogLine(qint64 commandKey, const LogLine &line, qint64 fileLine,
                       LineCount count = LineCount::PerLine);
    // The same for a line through LogRedaction::prepare() already, counted per line.
    bool appendRedactedLogLine(qint64 commandKey, RedactedLogLine &line, qint64 fileLine);

    void reject(qint64 line, const QString &reason);
    void warn(qint64 line, const QString &reason);
    bool fatal(const QString &what); // a store error: the batch is rolled back
    bool cancelled() const { return m_owner.isCancelled(); }

    // What the run wrote, for Ingestor::runKeys(). A key that cannot be kept fails the run
    // at the end of the file (Ingestor::keysFailed()).
    void touchTask(const QString &taskId) { m_owner.m_keys.addTask(taskId); }
    void touchPullRequest(const QString &repo, int number)
    {
        m_owner.m_keys.addPullRequest(repo, number);
    }
    // A check run is linked to its pull request by its head.
    void touchCheckRun(const QString &repo, const QString &headSha)
    {
        m_owner.m_keys.addCheckHead(repo, headSha);
    }

    // Redacts a JSON value before it is read (Redactor::redactJson), so that the ids a reader
    // goes on with are the stored ones. A top-level "token" key is left for the identity
    // mapper, which hashes and drops it.
    // Touches no state of the ingest: a prepare step on another thread may call it.
    static int redact(QJsonValue &value, bool topLevel = true);

private:
    // Commits the open batch and opens the next: progress stands at `position`.
    bool commitAt(qint64 position);
    // RecordStore::planCommandKeys() for the open batch; false (and fatal) on a store error.
    bool planCommandKeys(const QList<std::pair<QString, int>> &commands);
    // While a batch read in key order is written: issues are kept, then reported in line
    // order.
    void holdIssues() { m_holdIssues = true; }
    void releaseIssues();
    void keepShownWarnings();
    void emitIssue(IngestIssue::Severity severity, qint64 line, const QString &reason);
    // A line that was stored before: warns when the stored one differs from it.
    void compareStoredLine(qint64 commandKey, const LogLine &asRead, const LogLine *redacted,
                           qint64 fileLine);

    Ingestor &m_owner;
    RecordStore &m_store;
    QString m_path;
    qint64 m_size = 0;
    IngestCounts m_counts;
    IngestCounts m_committed; // m_counts at the last commit
    qint64 m_changedLines = 0;
    qint64 m_storeRedactions = 0; // the store's count when the file started
    bool m_inBatch = false;
    int m_pending = 0;
    qint64 m_lastPosition = 0;
    std::function<qint64()> m_position;
    int m_warningsShown = 0;
    bool m_holdIssues = false;
    QList<IngestIssue> m_heldIssues;
    int m_heldWarnings = 0;
};

template<typename Prepared>
bool FileIngest::readPreparedLines(
    LineReader &reader,
    const std::function<Prepared(const QJsonObject &object, qint64 lineNo, const QByteArray &line)>
        &prepare,
    const std::function<LineResult(Prepared &prepared, qint64 lineNo)> &write, const KeyOf &keyOf)
{
    if (!ensureBatch())
        return false;
    struct Item
    {
        qint64 lineNo = 0;
        qint64 position = 0;
        QString rejection;
        std::optional<Prepared> prepared;
        bool endsBatch = false; // the last line of a batch read in key order
        // On the first item of such a batch: the commands its lines name, in the file's order.
        std::optional<QList<std::pair<QString, int>>> commandPlan;
    };
    using Push = typename PreparedQueue<Item>::Push;
    // The position source reads the file the reader reads: it moves to the reading thread,
    // and each item carries the position it was read at.
    std::function<qint64()> position = std::move(m_position);
    m_position = nullptr;
    const auto toItem = [&prepare](const QByteArray &line, qsizetype fullLength, qint64 lineNo,
                                   Item *item) {
        item->lineNo = lineNo;
        const std::optional<QJsonObject> object =
            checkObjectLine(line, fullLength, &item->rejection);
        if (!object && item->rejection.isEmpty())
            return false; // a blank line
        if (object)
            item->prepared = prepare(*object, lineNo, line);
        return true;
    };
    // In the file's order.
    const auto readInOrder = [&reader, &position, &toItem](const Push &push) {
        QByteArray line;
        qsizetype fullLength = 0;
        while (reader.next(line, &fullLength)) {
            Item item;
            if (!toItem(line, fullLength, reader.lineNumber(), &item))
                continue;
            item.position = position ? position() : reader.bytesConsumed();
            if (!push(std::move(item), line.size()))
                return;
        }
    };
    // A batch of lines at a time, each batch in key order.
    const qsizetype batchLines = qMax(options().recordBatch, 1);
    const qint64 batchBytes = qMax<qint64>(options().recordBatchBytes, 1);
    const auto readInKeyOrder = [&](const Push &push) {
        struct Line
        {
            QByteArray bytes;
            qsizetype fullLength = 0;
            qint64 lineNo = 0;
            LineKey key;
        };
        std::vector<Line> lines;
        std::vector<std::size_t> order;
        qint64 bytes = 0;
        // Prepares and hands on the lines read; the last one ends the batch unless the file
        // ends there (FileIngest::finish() commits that batch with the file).
        const auto pushBatch = [&](qint64 endPosition, bool atEnd) {
            order.resize(lines.size());
            std::iota(order.begin(), order.end(), std::size_t(0));
            const auto byKey = [&lines](std::size_t a, std::size_t b) {
                return *lines[a].key.key < *lines[b].key.key;
            };
            // The lines between two barriers, unless a row they share is written under two keys.
            QHash<QByteArrayView, QByteArrayView> sharedKeys;
            bool sortable = true;
            auto from = order.begin();
            for (auto it = order.begin(); it != order.end(); ++it) {
                const LineKey &key = lines[*it].key;
                if (!key.key) {
                    if (sortable)
                        std::stable_sort(from, it, byKey);
                    from = it + 1;
                    sharedKeys.clear();
                    sortable = true;
                    continue;
                }
                for (const QByteArray &row : key.shared) {
                    const auto owner = sharedKeys.constFind(row);
                    if (owner == sharedKeys.cend())
                        sharedKeys.insert(row, *key.key);
                    else if (*owner != *key.key)
                        sortable = false;
                }
            }
            if (sortable)
                std::stable_sort(from, order.end(), byKey);
            QList<std::pair<QString, int>> plan;
            for (Line &line : lines)
                plan.append(std::move(line.key.commands));
            // Each item is handed on once the next is made, so that the last can be marked.
            std::optional<Item> held;
            qint64 heldBytes = 0;
            for (const std::size_t i : order) {
                Item item;
                const qint64 lineBytes = lines[i].bytes.size();
                const bool isItem =
                    toItem(lines[i].bytes, lines[i].fullLength, lines[i].lineNo, &item);
                lines[i].bytes = QByteArray(); // what the batch holds shrinks as it is handed on
                if (!isItem)
                    continue;
                item.position = endPosition;
                if (!held && !plan.isEmpty())
                    item.commandPlan = std::move(plan);
                if (held && !push(std::move(*held), heldBytes))
                    return false;
                held = std::move(item);
                heldBytes = lineBytes;
            }
            lines.clear();
            bytes = 0;
            if (!held)
                return true;
            held->endsBatch = !atEnd;
            return push(std::move(*held), heldBytes);
        };
        QByteArray bytesRead;
        qsizetype fullLength = 0;
        while (reader.next(bytesRead, &fullLength)) {
            bytes += bytesRead.size();
            LineKey key = keyOf(bytesRead);
            lines.push_back(
                {std::move(bytesRead), fullLength, reader.lineNumber(), std::move(key)});
            bytesRead = QByteArray();
            if ((qsizetype(lines.size()) >= batchLines || bytes >= batchBytes) &&
                !pushBatch(position ? position() : reader.bytesConsumed(), false))
                return;
        }
        pushBatch(position ? position() : reader.bytesConsumed(), true);
    };
    // About 1,000 records in flight: enough to keep both threads busy, little memory.
    PreparedQueue<Item> queue(1024, 8 * 1024 * 1024);
    if (keyOf)
        queue.start(readInKeyOrder);
    else
        queue.start(readInOrder);
    bool ok = true;
    if (keyOf)
        holdIssues();
    while (typename PreparedQueue<Item>::Taken item = queue.take()) {
        if (item->commandPlan && !planCommandKeys(*item->commandPlan)) {
            ok = false;
            break;
        }
        if (!item->prepared) {
            reject(item->lineNo, item->rejection);
        } else {
            const LineResult result = write(*item->prepared, item->lineNo);
            if (result == LineResult::Failed || (!keyOf && result == LineResult::Stored &&
                                                 !step(options().recordBatch, item->position))) {
                ok = false;
                break;
            }
        }
        if (item->endsBatch) {
            releaseIssues();
            m_pending = 0;
            if (!commitAt(item->position)) {
                ok = false;
                break;
            }
            holdIssues();
        }
    }
    releaseIssues();
    queue.stop();
    m_position = std::move(position);
    return ok;
}

// The readers, one per format. Each returns false only on a fatal store error or a cancel.
bool ingestTasktrailRecords(FileIngest &ingest, LineReader &reader);
bool ingestGitHubDocument(FileIngest &ingest, const QByteArray &document);
// A GitHub document taken apart before it is written: splitGitHubDocument() and
// prepareGitHubSplit() run on any thread (documentprefetch.h runs them while the file before is
// written), the ingest then writes the items with the overload below and reports what the split
// found, in the file's order.
//
// One item redacted, hashed and converted: the record it became, or why it became none.
struct PreparedGitHubItem
{
    qint64 line = 0;
    qint64 position = 0; // set by the ingest: where in the file progress stands after it
    int redactions = 0;
    QByteArray hash;
    QString rejection;
    std::variant<TaskRecord, PullRequestRecord, ReviewRecord, CheckRunRecord, CheckSuiteRecord>
        record;
};
struct GitHubSplit
{
    bool parsed = false;
    QList<GitHub::Item> items;
    QList<QPair<qint64, QString>> unrecognised;
    QString error;
    qint64 errorLine = 0;
    bool mayHaveSecrets = false;
    // After prepareGitHubSplit(): every item converted, in order, and `items` empty: a page
    // waiting to be written holds its records, not its JSON objects.
    bool prepared = false;
    QList<PreparedGitHubItem> preparedItems;
};
GitHubSplit splitGitHubDocument(const QByteArray &document);
void prepareGitHubSplit(GitHubSplit &split);
bool ingestGitHubDocument(FileIngest &ingest, const QByteArray &document, GitHubSplit split);
bool ingestCommandLog(FileIngest &ingest, LineReader &reader);
// A log line as stored: cut to the longest line kept, invalid UTF-8 and NULs replaced, each
// with a warning.
void sanitizeLogLine(FileIngest &ingest, QByteArray &line, qsizetype fullLength, qint64 fileLine);
// The same, handing each warning to `warn` (a reader on another thread than its FileIngest).
void sanitizeLogLine(QByteArray &line, qsizetype fullLength,
                     const std::function<void(const QString &)> &warn);
// GitHub Actions: one job's log (IngestOptions name its task), and a run's log archive (ZIP).
bool ingestActionsJobLog(FileIngest &ingest, LineReader &reader);
bool ingestActionsRunArchive(FileIngest &ingest, const QByteArray &archive);
// A Copilot coding agent session log (`data: {chunk}` lines).
bool ingestCopilotSessionLog(FileIngest &ingest, LineReader &reader);
// Coding agents' own transcripts (docs/transcripts.md), told from other JSON lines by one of
// their first objects.
bool looksLikeClaudeCodeSession(const QJsonObject &object);
bool ingestClaudeCodeSession(FileIngest &ingest, LineReader &reader);
bool looksLikeCodexRollout(const QJsonObject &object);
bool ingestCodexRollout(FileIngest &ingest, LineReader &reader);
// Evaluation logs and traces (docs/transcripts.md). Inspect AI logs: a .json document told by
// the keys an EvalLog opens with, a .eval ZIP by its first member (and, when read, by its
// header member); one task per sample. A member that unpacks to more than
// maxInspectMemberSize bytes is not read. OTLP JSON traces: one TracesData object per line,
// told by its first key; one task per invoke_agent span.
inline constexpr qint64 maxInspectMemberSize = 128ll * 1024 * 1024;
bool looksLikeInspectLog(QByteArrayView head);
bool looksLikeInspectEvalHead(QByteArrayView head);
bool looksLikeInspectEvalArchive(const QByteArray &archive);
bool ingestInspectLog(FileIngest &ingest, QIODevice &document);
bool ingestInspectEvalLog(FileIngest &ingest, QIODevice &archive);
bool looksLikeOtlpTraces(QByteArrayView head);
bool ingestOtlpTraces(FileIngest &ingest, LineReader &reader);
// Whole JSON documents of coding agents' runs, read element by element from a device that can
// be read a second time (seek(0)); `head` starts at the first byte that is not space.
bool looksLikeSweAgentTrajectory(QByteArrayView head);
bool ingestSweAgentTrajectory(FileIngest &ingest, QIODevice &document);
bool looksLikeOpenHandsTrajectory(QByteArrayView head);
bool ingestOpenHandsTrajectory(FileIngest &ingest, QIODevice &document);
// GitHub audit-log events: one object per line (a stream or an export), or the REST API's
// array. looksLikeAuditLog() tells them from other JSON by the first event's fields (action,
// actor and @timestamp or created_at); `head` starts at the first byte that is not space.
bool looksLikeAuditLog(QByteArrayView head);
bool ingestAuditLogLines(FileIngest &ingest, LineReader &reader);
bool ingestAuditLogDocument(FileIngest &ingest, const QByteArray &document);
// GitHub repository listings (GET /orgs/{org}/repos): the known-repositories catalogue.
bool looksLikeRepositoryList(const QByteArray &document);
bool ingestRepositoryList(FileIngest &ingest, const QByteArray &document);

// Writes a task with its nested lists, counting it as ingested.
bool writeTaskRecord(FileIngest &ingest, const TaskRecord &task);

} // namespace Tasktrail
